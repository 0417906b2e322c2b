"""Date and time ranges the way a customer reads them: "Tue 3 Dec, 01:00–04:00".

Rendered in the active language and the site's time zone; static/js/site.js redraws the
same shape in the reader's own time zone.
"""

from django.utils import dateformat, timezone
from django.utils.translation import gettext

DAY = "D j M"
TIME = "H:i"


def format_span(start, end=None):
    start = timezone.localtime(start)
    starts = f"{dateformat.format(start, DAY)}, {dateformat.format(start, TIME)}"
    if end is None:
        return gettext("from %(when)s") % {"when": starts}
    end = timezone.localtime(end)
    if end.date() == start.date():
        return f"{starts}–{dateformat.format(end, TIME)}"
    return f"{starts} – {dateformat.format(end, DAY)}, {dateformat.format(end, TIME)}"
