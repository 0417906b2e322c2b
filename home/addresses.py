"""Full addresses of pages as the reader reached the site.

Wagtail's ``get_full_url`` prefixes the Site record's hostname and port, which may be a
placeholder (the demo's "localhost:80") rather than where the site is actually served.
The request knows the real scheme, host and port (checked against ALLOWED_HOSTS).
"""


def page_address(page, request):
    """The page's full address on the host this request came to; None if it has no URL."""
    url = page.get_url(request)
    return request.build_absolute_uri(url) if url else None
