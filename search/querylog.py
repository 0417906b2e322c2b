"""Recording what customers search for and which results they open.

The views call ``record_search`` after each search and ``record_click`` when a result is
opened. Neither writes on the request path: each hands an entry to a per-process buffer
(home/write_buffer.py) that a background thread writes in batches to the insights
database, so a search never waits for a write lock and a failed write is retried.

A search gets its key when it is run (a random hex id, remembered in the visit's cookie), so
paging or filtering the same search reuses the key, and a click can name the search before
its row is written. Each result link carries a token signed over (key, rank, address): only
a result the search really showed at that rank is counted, once.
"""

import logging
import uuid
from functools import lru_cache
from urllib.parse import quote_plus, unquote, urlsplit

from django.conf import settings
from django.db import connections, router, transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404
from django.urls import Resolver404, get_script_prefix, resolve, reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from wagtail.models import Site

from home import visit, write_buffer
from home.limits import MAX_QUERY_CHARS

from . import analysis, redaction
from .documents import documents_for_page
from .engines import get_engine
from .models import PageSearchStat, SearchClick, SearchQueryLog

logger = logging.getLogger(__name__)

MAX_RANK = 1000
MAX_URL_CHARS = 500
# A click whose search row is not written yet (another process logged the search) waits
# this long for it before it is given up.
CLICK_WAITS_SECONDS = 120
_CHUNK = 500


def _base_form(surface, known):
    """The base form every word of one family shares ("והמנוי", "למנוי" and "מנוי" are one
    row). Of all the readings reached by stripping prefixes again and again, the longest the
    index knows ("מודם", "ביטוח" stay whole); for words the index does not know (a failed
    search's), the shortest, which every wording of the word reaches alike."""
    if not analysis.is_hebrew(surface):
        return analysis.base_form(surface, known)
    seen, todo = set(), [surface]
    while todo:
        form = todo.pop()
        if form not in seen:
            seen.add(form)
            todo.extend(analysis.word_forms(form))
    readings = [form for form in seen if form in known]
    if readings:
        return max(readings, key=lambda form: (len(form), form))
    return min(seen, key=lambda form: (len(form), form))


def _known_words(locale):
    try:
        return get_engine().vocabulary(locale)
    except Exception:  # noqa: BLE001 (grouping falls back to whole words, logging goes on)
        logger.exception("No vocabulary for grouping searches")
        return {}


def group_key(text, locale=None):
    """The form that groups a query in the reports: the family base of each word (see
    ``_base_form``), stopwords dropped, so "והטופס", "לטופס" and "טופס" are one row, as
    search and its synonyms and promotions treat them alike."""
    tokens = analysis.analyze_query(redaction.without_placeholders(text))
    words = [t for t in tokens if not t.stopword] or tokens
    known = _known_words(locale) if any(analysis.is_hebrew(t.surface) for t in words) else {}
    return " ".join(_base_form(t.surface, known) for t in words)[:MAX_QUERY_CHARS]


def wording_family(text):
    """A query reduced without the index's vocabulary: each word to its shortest reading
    (Hebrew prefixes all stripped, English stemmed). Coarser than ``group_key``, whose
    readings depend on the words the index holds ("החשבונית" in a title stays whole there,
    "חשבונית" and "לחשבונית" do not), and enough to tell apart the searches behind one page."""
    tokens = analysis.analyze_query(redaction.without_placeholders(text))
    words = [t for t in tokens if not t.stopword] or tokens
    return " ".join(_base_form(t.surface, {}) for t in words)


def _filters(outcome):
    filters = {
        key: [redaction.redact(str(v))[:100] for v in value]
        for key, value in outcome.filters.items()
        if value
    }
    if outcome.locale is None:
        filters["lang"] = "all"
    return filters


def record_search(request, outcome, source="page"):
    """Log one search and return its key (None when there is nothing to log).

    The same visit asking the same normalised query again within the window (another page,
    other filters) updates its logged search rather than adding one.
    """
    if not outcome.query:
        return None
    query = redaction.redact(outcome.query)[:MAX_QUERY_CHARS]
    normalized = group_key(query, outcome.locale) or query.casefold()
    fingerprint = salted_hmac("search.querylog", normalized).hexdigest()[:16]
    window = settings.SEARCH_LOG_SAME_SEARCH_MINUTES * 60
    key = visit.search_key(request, fingerprint, window)
    new = key is None
    if new:
        key = uuid.uuid4().hex
    visit.remember_search_key(request, fingerprint, key)
    now = timezone.now()
    entry = {
        "key": key,
        "query": query,
        "normalized": normalized[:MAX_QUERY_CHARS],
        "locale": outcome.locale or translation.get_language() or settings.LANGUAGE_CODE,
        "filters": _filters(outcome),
        "result_count": outcome.total,
        "engine": outcome.engine[:50],
        "latency_ms": round(outcome.took_ms, 3),
        "corrected": outcome.correction is not None,
        "answer_url": outcome.answer.url[:MAX_URL_CHARS] if outcome.answer else "",
        "source": source,
        "session_key": visit.visitor_id(request),
        "at": now,
        # Pages are counted as shown on a search's first view only.
        "pages": sorted({hit.document.page_id for hit in outcome.results.hits}) if new else [],
    }
    _buffer.add(("search", entry))
    return key


def _write(entries):
    """Write a batch of entries in one transaction; returns the clicks still waiting for
    their search's row."""
    using = router.db_for_write(SearchQueryLog)
    searches = [e for kind, e in entries if kind == "search"]
    clicks = [e for kind, e in entries if kind == "click"]
    with transaction.atomic(using=using):
        ids = _ids_for({e["key"] for e in searches}, using)
        _write_searches(searches, ids, using)
        ids.update(_ids_for({c["key"] for c in clicks} - ids.keys(), using))
        return _write_clicks(clicks, ids, using)


def _ids_for(keys, using):
    keys, ids = sorted(keys), {}
    for i in range(0, len(keys), _CHUNK):
        rows = SearchQueryLog.objects.using(using).filter(key__in=keys[i : i + _CHUNK])
        ids.update(rows.values_list("key", "pk"))
    return ids


def _write_searches(searches, ids, using):
    new, changes, shown = {}, {}, {}
    for e in searches:
        if e["key"] in new:
            row = new[e["key"]]
            row.filters, row.updated_at = e["filters"], e["at"]
            row.result_count = max(row.result_count, e["result_count"])
            row.answer_url = row.answer_url or e["answer_url"]
        elif e["key"] in ids:
            change = changes.setdefault(e["key"], {"result_count": 0})
            change.update(filters=e["filters"], updated_at=e["at"])
            change["result_count"] = max(change["result_count"], e["result_count"])
            if e["answer_url"]:  # a later page of the search shows none: keep the first's
                change["answer_url"] = e["answer_url"]
        else:
            fields = {k: v for k, v in e.items() if k not in ("at", "pages")}
            new[e["key"]] = SearchQueryLog(created_at=e["at"], updated_at=e["at"], **fields)
        day = timezone.localdate(e["at"])
        for page_id in e["pages"]:
            shown[(page_id, day)] = shown.get((page_id, day), 0) + 1
    SearchQueryLog.objects.using(using).bulk_create(new.values(), batch_size=_CHUNK)
    for key, change in changes.items():
        # The search failed only if no view of it found anything.
        change["result_count"] = Greatest("result_count", change["result_count"])
        SearchQueryLog.objects.using(using).filter(key=key).update(**change)
    # bulk_create sets the new rows' ids where the database returns them (SQLite 3.35+,
    # PostgreSQL); looked up only where it did not.
    ids.update((key, row.pk) for key, row in new.items() if row.pk is not None)
    ids.update(_ids_for([key for key, row in new.items() if row.pk is None], using))
    _count_pages_shown(shown, using)


def _count_pages_shown(shown, using):
    """Add to each page's "shown in results" of the day, one statement per chunk."""
    table = PageSearchStat._meta.db_table
    items = sorted(shown.items())
    for i in range(0, len(items), _CHUNK):
        chunk = items[i : i + _CHUNK]
        rows = ", ".join(["(%s, %s, %s)"] * len(chunk))
        params = [v for (page_id, day), count in chunk for v in (page_id, day, count)]
        with connections[using].cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (page_id, date, shown) VALUES {rows} "  # noqa: S608 - our own table name
                "ON CONFLICT (page_id, date) DO UPDATE SET shown = "
                f"{table}.shown + excluded.shown",
                params,
            )


def _write_clicks(clicks, ids, using):
    waiting, rows = [], []
    for c in clicks:
        if c["key"] in ids:
            rows.append(
                SearchClick(log_id=ids[c["key"]], rank=c["rank"], url=c["url"], created_at=c["at"])
            )
        elif (timezone.now() - c["at"]).total_seconds() < CLICK_WAITS_SECONDS:
            waiting.append(("click", c))
        else:
            logger.warning("A click was given up: its search was never logged")
    # A result counts once per search: the unique (log, rank) turns repeats into no-ops.
    SearchClick.objects.using(using).bulk_create(rows, ignore_conflicts=True)
    logs = sorted({row.log_id for row in rows})
    counted = Subquery(
        SearchClick.objects.using(using)
        .filter(log_id=OuterRef("pk"))
        .values("log_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    for i in range(0, len(logs), _CHUNK):
        SearchQueryLog.objects.using(using).filter(pk__in=logs[i : i + _CHUNK]).update(
            click_count=Coalesce(counted, 0)
        )
    return waiting


_buffer = write_buffer.buffer(_write)


def flush():
    """Write what this process has gathered now (tests, commands, shutdown)."""
    return _buffer.flush()


def click_token(key, rank, url):
    """Signed proof that the search ``key`` showed ``url`` at ``rank``."""
    return salted_hmac("search.click", f"{key}:{rank}:{url}").hexdigest()[:24]


def click_url(key, rank, url, path=None):
    """The link a result is opened through, so the click is counted even without JavaScript.
    ``path`` is ``click_path(key)``, when the caller links several hits of one search."""
    # As urlencode() writes it; a page's address is quoted once per process, not per hit.
    query = f"to={_quoted(url)}&t={click_token(key, rank, url)}"
    return f"{(path or click_path(key))(rank)}?{query}"


_quoted = lru_cache(maxsize=4096)(quote_plus)


def click_path(key):
    """A function of the rank giving the click endpoint's path for search ``key``: the URL is
    reversed once a process (for each script prefix), not once per search or per hit."""
    head = _click_path_head(get_script_prefix())
    if head is None:
        return lambda rank: reverse("search_click", args=[key, rank])
    return f"{head}{key}/{{}}/".format


_SAMPLE_KEY = "0" * 32


@lru_cache(maxsize=16)
def _click_path_head(script_prefix):
    """The click endpoint's path up to the search key, or None if it is not laid out as
    ``.../<key>/<rank>/``."""
    path = reverse("search_click", args=[_SAMPLE_KEY, 0])
    tail = f"{_SAMPLE_KEY}/0/"
    return path[: -len(tail)] if path.endswith(tail) and path.count(_SAMPLE_KEY) == 1 else None


def link_hits(outcome, key):
    """Give each hit of ``outcome`` the URL that records its click (``hit.click_url``), and
    the answer shown first its own: it quotes the top hit, so opening it counts as that
    result's click (once, whichever of the two links was followed)."""
    path = click_path(key) if key else None
    for offset, hit in enumerate(outcome.results.hits):
        url = hit.document.url
        hit.click_url = click_url(key, outcome.first_rank + offset, url, path) if key else url
    answer = outcome.answer
    if answer is not None:
        answer.click_url = (
            click_url(key, outcome.first_rank, answer.url, path) if key else answer.url
        )
    return outcome.results.hits


def indexed_url(request, url):
    """The address of a document the public search holds that ``url`` names, else None.

    The click endpoint redirects only there: never to another site or an unpublished page.
    """
    if not isinstance(url, str) or not 1 < len(url) <= MAX_URL_CHARS:
        return None
    parts = urlsplit(unquote(url))  # a Hebrew slug may come percent-encoded
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or "\\" in url:
        return None
    language = translation.get_language_from_path(parts.path)
    if not language:
        return None
    site = Site.find_for_request(request)
    if site is None:
        return None
    with translation.override(language):
        try:
            match = resolve(parts.path)
            if match.url_name != "wagtail_serve":
                return None
            path = match.args[0] if match.args else match.kwargs.get("path", "")
            route = site.root_page.localized.specific.route(
                request, [c for c in path.split("/") if c]
            )
        except (Resolver404, Http404):
            return None
        # Page URLs are percent-encoded (Hebrew slugs); the ``to`` parameter arrives decoded.
        urls = {unquote(d.url): d.url for d in documents_for_page(route[0])}
    return urls.get(unquote(url))


def record_click(key, rank, url, token):
    """Count a click on the result at ``rank`` of a logged search, if the link's token
    proves that search showed ``url`` there. Returns whether the click was accepted."""
    if not 0 < rank <= MAX_RANK or not isinstance(token, str):
        return False
    if not constant_time_compare(token, click_token(key, rank, url)):
        return False
    _buffer.add(("click", {"key": key, "rank": rank, "url": url, "at": timezone.now()}))
    return True
