"""Throwaway databases and Elasticsearch indexes for a measurement, so that evaluations and
benchmarks never touch the site's own data; each is gone when its block ends."""

import logging
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.test.utils import override_settings, setup_databases, teardown_databases

from search.engines import build_engine, engine_class, reset_engines
from search.engines.elasticsearch import index_alias

logger = logging.getLogger(__name__)


@contextmanager
def throwaway_databases(directory=None):
    """Fresh migrated copies of the site's databases for the block; the content's in a file
    under ``directory`` when given (as on a real site), otherwise the test runner's default."""
    test = connections["default"].settings_dict.setdefault("TEST", {})
    saved = test.get("NAME")
    if directory:
        test["NAME"] = str(Path(directory) / "bench.sqlite3")
    old = setup_databases(verbosity=0, interactive=False)
    try:
        yield
    finally:
        teardown_databases(old, verbosity=0)
        test["NAME"] = saved


@contextmanager
def throwaway_indexes(tag: str, **overrides):
    """Every Elasticsearch engine of SEARCH_ENGINES pointed at indexes of its own for the
    block, dropped afterwards, with ``overrides`` laid over their options. The engines are
    looked up by name (a resilient engine finds its primary that way), so the scratch
    configuration stands in for SEARCH_ENGINES for the block and no longer."""
    scratch = {}
    for name, config in settings.SEARCH_ENGINES.items():
        options = dict(config.get("OPTIONS", {}))
        if engine_class(config).remote:
            options.update(overrides, INDEX=f"{index_alias(options)}-{tag}")
        scratch[name] = {**config, "OPTIONS": options}
    with override_settings(SEARCH_ENGINES=scratch):
        reset_engines()
        try:
            yield
        finally:
            for name, config in scratch.items():
                if engine_class(config).remote:
                    try:
                        build_engine(name).drop()
                    except Exception:  # noqa: BLE001 (an unreachable server keeps its index)
                        logger.warning("Could not drop the throwaway index of %r", name)
    reset_engines()
