from .base import *  # noqa: F403
from .base import INSTALLED_APPS, env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-change-me"  # noqa: F405
ALLOWED_HOSTS = ["*"]

# Relevance evaluation and benchmarks: development only, production never installs them.
INSTALLED_APPS = [*INSTALLED_APPS, "devtools"]
