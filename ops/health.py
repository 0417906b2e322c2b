"""/healthz for load balancers and monitoring: JSON, no secrets, a few indexed reads.

503 when this server cannot answer customers (its database or its embedded search index is
unusable); Elasticsearch trouble or a stalled worker are reported but keep the status 200,
because searches fall back to the embedded index and queued work waits without loss.
"""

import logging

from django.db import DatabaseError, connections
from django.http import JsonResponse
from django.utils import timezone

from search.engines import get_engine, remote_engine_names
from search.models.outbox import RemoteEngineStatus

from . import queue

logger = logging.getLogger(__name__)

PATH = "/healthz"


def check_database():
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"ok": True}


def check_search_index():
    return {"ok": True, "documents": get_engine("default").count()}


def check_remote_engines():
    statuses = {s.engine: s for s in RemoteEngineStatus.objects.all()}
    out = {}
    for name in remote_engine_names():
        status = statuses.get(name)
        failing = bool(status and (status.writes_failing() or status.searches_degraded()))
        # Wrong settings (API key, certificate) only a person can mend; the text stays in
        # the admin (Reports -> Search index), out of this unauthenticated answer.
        misconfigured = bool(status and status.configuration_error)
        out[name] = {"ok": not (failing or misconfigured), "configuration_error": misconfigured}
    return out


def report():
    checks = {}
    for name, check in (("database", check_database), ("search_index", check_search_index)):
        try:
            checks[name] = check()
        except DatabaseError as err:
            logger.warning("Health check %s failed: %s", name, err)
            checks[name] = {"ok": False}
    healthy = all(c["ok"] for c in checks.values())
    if checks["database"]["ok"]:
        checks.update(check_remote_engines())
        checks["worker"] = queue.worker_status()
    status = "ok" if all(c.get("ok", True) for c in checks.values()) else "degraded"
    return {
        "status": status if healthy else "fail",
        "time": timezone.now().isoformat(timespec="seconds"),
        "checks": checks,
    }, healthy


class HealthCheckMiddleware:
    """Answers /healthz before host checks, HTTPS redirects, sessions and locale prefixes:
    probes come by IP address and plain HTTP."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != PATH or request.method not in {"GET", "HEAD"}:
            return self.get_response(request)
        body, healthy = report()
        response = JsonResponse(body, status=200 if healthy else 503)
        response["Cache-Control"] = "no-store"
        return response
