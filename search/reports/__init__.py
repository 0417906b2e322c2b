"""The search insights reports in the Wagtail admin and the one-step fixes they offer.

Only superusers and members of the "Search managers" group (the
``search.view_search_insights`` permission) may see them.
"""
