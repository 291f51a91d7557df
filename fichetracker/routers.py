"""Send the public site's reads to a PostgreSQL read replica (enabled when ``DATABASE_REPLICA_URL`` is set).

Readers are the bulk of the traffic and only read, so they can be served from one or more streaming
replicas. Everything that must see its own writes stays on the primary: writes themselves, reads
inside a transaction, and every request that ``PinPrimaryMiddleware`` pins (the admin, unsafe methods,
signed-in users), so an editor never reads a page older than the change just saved. A reader on the
replica sees a publication after the replication lag, typically well under a second.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.urls import reverse

REPLICA_ALIAS = "replica"

_pinned = ContextVar("fichetracker_pinned_to_primary", default=False)


@contextmanager
def pinned_to_primary():
    """Read from the primary inside this block (a request that writes, the admin, a management command)."""
    token = _pinned.set(True)
    try:
        yield
    finally:
        _pinned.reset(token)


def is_pinned_to_primary():
    return _pinned.get()


class PrimaryReplicaRouter:
    """Installed by the settings only when the ``replica`` alias exists."""

    def db_for_read(self, model, **hints):
        if _pinned.get() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return REPLICA_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same data: a row read from the replica may point at one from the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


class PinPrimaryMiddleware:
    """Pin requests that write or belong to an editor to the primary database.

    Listed in ``MIDDLEWARE`` only when a replica is configured. It looks at the request only (method,
    path, session cookie), so it costs nothing and needs no query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self.needs_primary(request):
            with pinned_to_primary():
                return self.get_response(request)
        return self.get_response(request)

    @staticmethod
    def needs_primary(request):
        return (
            request.method not in ("GET", "HEAD", "OPTIONS")
            or request.path.startswith(reverse("admin:index"))
            or settings.SESSION_COOKIE_NAME in request.COOKIES
        )
