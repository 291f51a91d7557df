"""``/healthz``: the URL a load balancer or monitor polls.

It answers 200 only when every configured database answers a trivial query, so a load balancer takes an
application server out of rotation while it cannot reach its database, and puts it back by itself.
It reads no rows, needs no session and sets no cookie, so it is cheap to poll every few seconds.
"""

import logging
import time

from django.db import DatabaseError, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5


def check_database(alias):
    """Run ``SELECT 1`` on ``alias``; return (ok, milliseconds, error text)."""
    started = time.perf_counter()
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        # A broken connection must not stay in the pool: the next request opens a fresh one.
        connections[alias].close_if_unusable_or_obsolete()
        return False, (time.perf_counter() - started) * 1000, type(error).__name__
    return True, (time.perf_counter() - started) * 1000, ""


@never_cache
@require_safe
def healthz(request):
    databases = {}
    healthy = True
    for alias in connections:
        ok, ms, error = check_database(alias)
        healthy = healthy and ok
        databases[alias] = {"ok": ok, "ms": round(ms, 1)} | ({"error": error} if error else {})
        if not ok:
            logger.warning("Health check: database %r unreachable (%s)", alias, error)
    response = JsonResponse({"status": "ok" if healthy else "unavailable", "databases": databases}, status=200 if healthy else 503)
    if not healthy:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
