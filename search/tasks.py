"""Background work of search: applying recorded index work to remote engines."""

from django.conf import settings
from django_tasks import task

from . import outbox
from .engines import remote_engine_names


@task()
def drain_search_outbox(engine_name=None):
    """Apply the index work waiting for one remote engine, or for all of them (a periodic
    job of the worker, which also retries work after an outage's back-off)."""
    budget = getattr(settings, "SEARCH_OUTBOX_DRAIN_SECONDS", 10.0)
    names = [engine_name] if engine_name else remote_engine_names()
    return {name: outbox.drain(name, budget=budget).applied for name in names}
