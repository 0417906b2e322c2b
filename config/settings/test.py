from .base import *  # noqa: F403
from .base import INSTALLED_APPS

DEBUG = False
SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["*"]
# The evaluation and benchmark commands are tested too (devtools: not in production).
INSTALLED_APPS = [*INSTALLED_APPS, "devtools"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Background tasks run inline, whatever the environment says.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

import atexit  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402


# Uploaded files from tests go to a throwaway folder, never into the project. The process that
# made the folders removes them when it ends; processes the tests start (servers, workers)
# find them in the environment and share them, so one killed by a signal leaves nothing.
def _throwaway_folder(variable, prefix):
    folder = os.environ.get(variable)
    if not folder or not os.path.isdir(folder):
        folder = os.environ[variable] = tempfile.mkdtemp(prefix=prefix)
        _MADE.append(folder)
    return folder


_MADE: list[str] = []
_MAKER = os.getpid()
MEDIA_ROOT = _throwaway_folder("HELPCENTER_TEST_MEDIA_ROOT", "helpcenter-test-media-")
MARKDOWN_IMPORT_DIR = _throwaway_folder("HELPCENTER_TEST_IMPORT_DIR", "helpcenter-test-imports-")


@atexit.register
def _remove_throwaway_folders():
    if os.getpid() == _MAKER:
        for folder in _MADE:
            shutil.rmtree(folder, ignore_errors=True)


# Tests search the embedded engine unless they choose another, even when ELASTICSEARCH_URL is
# set for the live Elasticsearch suite (tests/search/elasticsearch/).
SEARCH_ENGINE = "default"

# A second SQLite database, to test the embedded index kept apart from the content (as it
# is when the content is on PostgreSQL).
DATABASES["separate_index"] = {  # noqa: F405
    "ENGINE": "django.db.backends.sqlite3",
    "NAME": ":memory:",
    "TEST": {"MIGRATE": False},  # holds only the index, which the engine creates itself
}
SEARCH_ENGINES["separate_index"] = {  # noqa: F405
    "ENGINE": "search.engines.sqlite.SqliteEngine",
    "OPTIONS": {"DATABASE": "separate_index"},
}

# Tests search by words unless they turn meaning-based search on themselves.
SEARCH_EMBEDDING_MODEL = "off"
# A test that keeps searches busy does not hold the model back from the next one; the
# quiet time has its own test (tests/search/test_load_shedding.py).
SEARCH_MEANING_QUIET_SECONDS = 0

# The insights in their own database, as with SQLite in production, so that the tests use
# the database router.
DATABASES["insights"] = {  # noqa: F405
    "ENGINE": "django.db.backends.sqlite3",
    "NAME": ":memory:",
    "OPTIONS": dict(SQLITE_OPTIONS),  # noqa: F405
}
INSIGHTS_DATABASE = "insights"
# Insights are written when each request ends rather than by the background writer, so that
# a test sees them at once (tests/search/insights/test_write_path.py runs the writer itself).
INSIGHTS_WRITE_DELAY = 0
