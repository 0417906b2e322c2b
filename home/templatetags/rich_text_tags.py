from django import template
from wagtail.rich_text import RichText, expand_db_html

from home.anchors import with_heading_ids

register = template.Library()


@register.simple_tag(takes_context=True)
def anchored(context, value):
    """Rich text with ids on its headings, unique across the whole page being rendered."""
    rendered = str(value) if isinstance(value, RichText) else expand_db_html(value or "")
    # Blocks render with copies of the page's context; the request is the one shared object.
    holder = context.get("request")
    taken = getattr(holder, "_heading_ids", None) if holder is not None else None
    if taken is None:
        taken = set()
        if holder is not None:
            holder._heading_ids = taken
    return with_heading_ids(rendered, taken)
