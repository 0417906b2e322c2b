"""Engines are chosen by name from settings.SEARCH_ENGINES, as Django chooses caches."""

from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from .. import outcome_cache


@cache
def get_engine(name=None):
    return build_engine(name or settings.SEARCH_ENGINE)


def build_engine(name, **options):
    """A new engine from its settings, with ``options`` laid over its OPTIONS."""
    try:
        config = settings.SEARCH_ENGINES[name]
    except KeyError as err:
        raise ImproperlyConfigured(f"No search engine named {name!r} in SEARCH_ENGINES") from err
    return engine_class(config)(name, {**config.get("OPTIONS", {}), **options})


def engine_class(config: dict):
    """The engine class a SEARCH_ENGINES entry names."""
    return import_string(config["ENGINE"])


def remote_engine_names():
    """Engines whose index lives on another server and is fed after commit (see search.outbox)."""
    return [name for name, config in settings.SEARCH_ENGINES.items() if engine_class(config).remote]


def reset_engines():
    get_engine.cache_clear()
    outcome_cache.clear()  # kept outcomes name their engine
