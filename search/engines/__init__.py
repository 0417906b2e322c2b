"""Engines are chosen by name from settings.SEARCH_ENGINES, as Django chooses caches."""

from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string


@cache
def get_engine(name=None):
    name = name or settings.SEARCH_ENGINE
    try:
        config = settings.SEARCH_ENGINES[name]
    except KeyError as err:
        raise ImproperlyConfigured(f"No search engine named {name!r} in SEARCH_ENGINES") from err
    engine_class = import_string(config["ENGINE"])
    return engine_class(name, config.get("OPTIONS", {}))


def reset_engines():
    get_engine.cache_clear()
