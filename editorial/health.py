"""Search health of one help page, for the panel in its editor: the query log's figures
(search app) and the feedback votes (kb app), both below editorial.
"""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from home.redaction import redact
from kb.feedback import PageFeedback
from search.models import PageSearchStat, SearchClick
from search.querylog import wording_family

WINDOW = timedelta(days=30)
TOP_QUERIES = 3
# The panel groups the most recent clicks on the page in Python; older ones only count.
MAX_CLICKS_READ = 5000


def search_opens(page, since):
    """(times opened from search results, [the searches most often behind it]); None for a
    page without a URL.

    The wordings of one search ("חשבונית", "החשבונית", "לחשבונית"; "Invoice", "invoices")
    count together (search.querylog.wording_family), each search shown by the wording most
    visitors used. A search is shown only when SEARCH_PANEL_MIN_VISITORS different visitors
    made it (so no single customer's search, and no phrase a handful of scripted visitors
    planted, reaches the editor), and only redacted."""
    url = page.get_url()
    if not url:
        return None
    clicks = SearchClick.objects.filter(created_at__gte=since).filter(
        Q(url=url) | Q(url__startswith=f"{url}#")
    )
    searches = {}
    recent = clicks.order_by("-created_at").values_list("log__query", "log__session_key")
    for query, visitor in recent[:MAX_CLICKS_READ]:
        family = searches.setdefault(wording_family(query), [0, set(), defaultdict(set)])
        family[0] += 1
        family[1].add(visitor)
        family[2][query].add(visitor)
    shown = sorted(
        (
            (-opened, min(wordings.items(), key=lambda w: (-len(w[1]), w[0]))[0])
            for opened, visitors, wordings in searches.values()
            if len(visitors) >= settings.SEARCH_PANEL_MIN_VISITORS
        ),
    )[:TOP_QUERIES]
    return clicks.count(), list(dict.fromkeys(redact(wording) for _n, wording in shown))


def times_shown(page, since):
    """How many searches showed this page among their results."""
    shown = PageSearchStat.objects.filter(page_id=page.pk, date__gte=since.date())
    return shown.aggregate(total=Sum("shown"))["total"] or 0


def helpfulness(page, since):
    """(helpful votes, all votes)."""
    votes = PageFeedback.objects.filter(page_id=page.pk, created_at__gte=since).aggregate(
        total=Count("pk"), yes=Count("pk", filter=Q(helpful=True))
    )
    return votes["yes"], votes["total"]


def search_health(page, now=None):
    """``(label, value)`` pairs for the page editor; empty for a page never published."""
    if not page.first_published_at:
        return []
    since = (now or timezone.now()) - WINDOW
    figures = [(_("Shown in search results (30 days)"), times_shown(page, since))]
    opens = search_opens(page, since)
    if opens is not None:
        count, queries = opens
        figures.append((_("Opened from search (30 days)"), count))
        if queries:
            figures.append((_("Searches that led here"), ", ".join(f"“{q}”" for q in queries)))
    yes, total = helpfulness(page, since)
    if total:
        value = _("%(yes)d of %(total)d (%(percent)d%%)") % {
            "yes": yes,
            "total": total,
            "percent": round(100 * yes / total),
        }
    else:
        value = _("No ratings yet")
    figures.append((_("Rated helpful (30 days)"), value))
    return figures
