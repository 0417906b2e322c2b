"""Limits on what customers may type, in characters (not bytes), shared by search, its
forms and every link that carries a search along (e.g. to the contact form)."""

# The search box's maxlength and what the search forms accept. A URL carrying a query
# of 4-byte characters is 500 x 12 bytes once percent-encoded: the server's request-line
# limit must allow that (gunicorn.conf.py).
MAX_QUERY_CHARS = 500
