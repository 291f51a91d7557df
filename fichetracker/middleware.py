"""A database that is briefly unreachable (a restart, a fail-over) gives readers a proper 503 page.

Without this, a request that hits the database while PostgreSQL restarts ends in a 500 (or, with
DEBUG on, a stack trace). With it, the reader sees a short Dutch/English page and a ``Retry-After``
header, and monitors see a 503 they can tell apart from a bug. The application recovers by itself:
Django's connection health checks (``CONN_HEALTH_CHECKS``) replace the broken connection on the next
request, so no restart of the application server is needed.

Two paths lead here:
- an exception raised by a view or while rendering its template reaches ``process_exception``;
- an exception raised inside another middleware (a session save, say) has already been turned into a
  500 response by Django's handler by the time it comes back out; the ``got_request_exception`` signal
  marks the request, and ``__call__`` swaps that 500 for the 503 page.
Keep it right after SecurityMiddleware in ``MIDDLEWARE``: it wraps every other middleware, and the 503
still gets the security headers.

Only a lost connection is a 503: an error of SQLSTATE class 08 (connection exception) or 57P (the
server shutting down, crashed, not yet accepting connections, the database dropped), or a driver error
without any SQLSTATE (connection refused, the connection closed or lost before an answer). Every other
database error is a bug or a load problem that someone must see, and stays a logged 500: a deadlock
(40P01), a statement timeout (57014), a lock timeout (55P03), SQLite's "database is locked", a
broken constraint, bad SQL. (SQLite has no connection to lose; only a database file that cannot be
opened at all counts as away.)
"""

import logging
import sqlite3
import sys

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
LOST_CONNECTION_SQLSTATES = ("08", "57P")
SQLITE_CANTOPEN = 14
_MARK = "_fichetracker_database_unavailable"


def is_database_unavailable(exception):
    """True for the errors of a database that is down, restarting or out of reach; False for every other
    error, including the driver's errors of a database that answered (see the module's docstring)."""
    if not isinstance(exception, DATABASE_UNAVAILABLE):
        return False
    driver = exception.__cause__ or exception  # Django's wrapper raises ``from`` the driver's own error
    sqlstate = getattr(driver, "sqlstate", None)
    if sqlstate:
        return sqlstate.startswith(LOST_CONNECTION_SQLSTATES)
    if isinstance(driver, sqlite3.Error):
        return getattr(driver, "sqlite_errorcode", None) is not None and driver.sqlite_errorcode & 0xFF == SQLITE_CANTOPEN
    return True


def database_unavailable_response():
    """The 503 page. Rendered without a request, so no context processor (session, user) touches the database."""
    from django.http import HttpResponse

    response = HttpResponse(render_to_string("503.html"), status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _mark_request(sender, request=None, **kwargs):
    exception = sys.exc_info()[1]
    if request is not None and is_database_unavailable(exception):
        setattr(request, _MARK, True)


got_request_exception.connect(_mark_request, dispatch_uid="fichetracker.middleware.database_unavailable")


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, _MARK, False):
            return database_unavailable_response()
        return response

    def process_exception(self, request, exception):
        if not is_database_unavailable(exception):
            return None
        logger.warning("Database unavailable while serving %s %s: %s", request.method, request.path, exception)
        return database_unavailable_response()
