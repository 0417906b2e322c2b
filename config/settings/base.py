"""Settings shared by every environment. Everything configurable comes from the environment."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

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
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
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
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Readers never wait for the writer; a busy writer waits instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "help@localhost")

WAGTAIL_SITE_NAME = os.environ.get("SITE_NAME", "Help Center")
WAGTAILADMIN_BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000")
# Videos and their caption tracks are documents; they are served straight from MEDIA_URL so
# that browsers can stream them.
WAGTAILDOCS_EXTENSIONS = ["pdf", "csv", "txt", "docx", "xlsx", "webm", "mp4", "vtt"]
WAGTAILDOCS_SERVE_METHOD = "direct"
WAGTAILDOCS_MAX_UPLOAD_SIZE = 200 * 1024 * 1024

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
        "OPTIONS": {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"},
    }
    SEARCH_ENGINES["default"]["OPTIONS"]["DATABASE"] = "search_index"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

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
            # Spelling correction reads the embedded index's words: the same, and local.
            "VOCABULARY": "default",
        },
    }
    SEARCH_ENGINES["resilient"] = {
        "ENGINE": "search.engines.resilient.ResilientEngine",
        "OPTIONS": {"PRIMARY": "elasticsearch", "FALLBACK": "default", "RETRY_AFTER": 30},
    }
    SEARCH_ENGINE = os.environ.get("SEARCH_ENGINE", "resilient")
# Apply index work for Elasticsearch right after each commit; off when a worker runs
# `manage.py search_outbox --watch` instead.
SEARCH_OUTBOX_DRAIN_ON_COMMIT = env_bool("SEARCH_OUTBOX_DRAIN_ON_COMMIT", True)
SEARCH_OUTBOX_DRAIN_SECONDS = 10.0
# Applied index work is kept this long, so a rebuild can lay what was written meanwhile over
# its new index; a rebuild must finish within it.
SEARCH_OUTBOX_RETENTION_HOURS = 24
