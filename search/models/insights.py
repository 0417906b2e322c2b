"""Search insights: what customers searched for, what they opened, and what failed.

``SearchQueryLog`` holds one row per search a customer submitted (paging or filtering the
same search updates it); ``SearchClick`` one per result opened from it. The reports read
``SearchDailyStat``, the log rolled up per day and ``SearchTerm`` (a normalised query in one
language), so they stay fast however long the log grows. A term also carries the managers'
verdict on it when it fails: open, handled or ignored.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from home.limits import MAX_QUERY_CHARS


class SearchQueryLog(models.Model):
    SOURCES = [("page", _("Results page")), ("api", _("API"))]

    # Given when the search is run, before its row is written (search.querylog): the same
    # search paged or filtered, and the clicks on its results, name it by this key.
    key = models.CharField(max_length=32, unique=True, null=True, editable=False)

    # What the customer typed with personal data replaced by placeholders (search.redaction).
    query = models.CharField(_("query"), max_length=MAX_QUERY_CHARS)
    # The query's grouping key (search.querylog.group_key): "והטופס", "לטופס", "טופס" share one.
    normalized = models.CharField(_("normalised query"), max_length=MAX_QUERY_CHARS)
    locale = models.CharField(_("language"), max_length=10)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    result_count = models.PositiveIntegerField(_("results"))
    engine = models.CharField(_("engine"), max_length=50, blank=True)
    latency_ms = models.FloatField(_("latency (ms)"), default=0)
    corrected = models.BooleanField(_("correction shown"), default=False)
    source = models.CharField(_("source"), max_length=4, choices=SOURCES, default="page")
    # The visit's random id (kept in its cookie, home.visit): it links one visitor's searches
    # and clicks without saying who they are. No IP address is stored.
    session_key = models.CharField(max_length=32, db_index=True)
    click_count = models.PositiveIntegerField(_("clicks"), default=0)
    # The page whose answer was shown above the results (answer first); blank when none was.
    answer_url = models.CharField(_("answer shown"), max_length=500, blank=True, default="")
    created_at = models.DateTimeField(_("searched at"), db_index=True)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("logged search")
        verbose_name_plural = _("logged searches")
        indexes = [models.Index(fields=["normalized", "locale"], name="search_log_term_idx")]
        permissions = [
            ("view_search_insights", _("Can see search reports and fix failed searches"))
        ]

    def __str__(self):
        return self.query


class SearchClick(models.Model):
    log = models.ForeignKey(SearchQueryLog, on_delete=models.CASCADE, related_name="clicks")
    rank = models.PositiveSmallIntegerField(_("rank"))
    url = models.CharField(_("opened"), max_length=500)
    created_at = models.DateTimeField(_("clicked at"))

    class Meta:
        verbose_name = _("search result click")
        constraints = [
            # A result is counted once per search, however often it is opened.
            models.UniqueConstraint(fields=["log", "rank"], name="search_click_once")
        ]

    def __str__(self):
        return f"{self.log_id}#{self.rank}"


class SearchTerm(models.Model):
    """A normalised query in one language: the row of every report, and the status a
    manager gave it when it failed."""

    OPEN, HANDLED, IGNORED = "open", "handled", "ignored"
    STATUSES = [(OPEN, _("Open")), (HANDLED, _("Handled")), (IGNORED, _("Ignored"))]

    locale = models.CharField(_("language"), max_length=10)
    normalized = models.CharField(_("normalised query"), max_length=MAX_QUERY_CHARS)
    # The most frequent wordings seen recently (already redacted), most frequent first.
    samples = models.JSONField(_("sample wordings"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=STATUSES, default=OPEN)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    # A user of the content database, which may be another database: no constraint.
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    # What was done about it, e.g. "Synonym: receipt, invoice".
    fix_note = models.CharField(_("fix"), max_length=300, blank=True)
    # Set when a handled or ignored term failed again and came back to the open list.
    reopened = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("search term")
        constraints = [
            models.UniqueConstraint(fields=["locale", "normalized"], name="search_term_unique")
        ]

    def __str__(self):
        return self.display

    @property
    def display(self):
        """What a manager reads: the most common wording, else the normalised form."""
        return self.samples[0] if self.samples else self.normalized

    @property
    def samples_text(self):
        return " | ".join(self.samples)

    @property
    def status_label(self):
        if self.status == self.OPEN and self.reopened:
            return _("Failing again")
        return self.get_status_display()


class SearchDailyStat(models.Model):
    """One term's searches on one day (in the site's time zone)."""

    date = models.DateField(_("date"))
    term = models.ForeignKey(SearchTerm, on_delete=models.CASCADE, related_name="daily")
    searches = models.PositiveIntegerField(default=0)
    sessions = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)  # no results
    failed_sessions = models.PositiveIntegerField(default=0)
    no_click = models.PositiveIntegerField(default=0)  # results, but none opened
    clicked = models.PositiveIntegerField(default=0)  # searches with at least one click
    clicks = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)  # an answer was shown first
    answered_clicked = models.PositiveIntegerField(default=0)  # ... and a result was opened
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField()
    first_failed = models.DateTimeField(null=True)
    last_failed = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("daily search statistic")
        constraints = [models.UniqueConstraint(fields=["date", "term"], name="search_daily_unique")]
        indexes = [models.Index(fields=["date"], name="search_daily_date_idx")]

    def __str__(self):
        return f"{self.date} {self.term_id}"


class PageSearchStat(models.Model):
    """How often a page was among the results customers were shown, per day: the "found"
    half of a page's search health (clicks are the other)."""

    page_id = models.PositiveBigIntegerField(_("page"))
    date = models.DateField(_("date"))
    shown = models.PositiveIntegerField(_("shown in results"), default=0)

    class Meta:
        verbose_name = _("page search statistic")
        constraints = [
            models.UniqueConstraint(fields=["page_id", "date"], name="search_page_stat_unique")
        ]

    def __str__(self):
        return f"{self.date} page {self.page_id}: {self.shown}"
