"""A PostgreSQL server that is not there, for the tests of what readers see while the database restarts."""

import socket
from contextlib import contextmanager

import dj_database_url
from django.db import connections
from django.db.utils import load_backend


def closed_port():
    """A loopback port nothing listens on: bind it, note it, release it."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def database_at_closed_port(alias="default"):
    """Point ``alias`` at a PostgreSQL server that is not there: every query raises a real
    OperationalError (connection refused) from the real driver, as during a database restart."""
    settings_dict = dj_database_url.parse(f"postgres://fichetracker@127.0.0.1:{closed_port()}/fichetracker", conn_health_checks=True)
    settings_dict = connections.configure_settings({alias: settings_dict})[alias]
    real = connections[alias]
    unreachable = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias)
    connections[alias] = unreachable
    try:
        yield unreachable
    finally:
        unreachable.close()
        connections[alias] = real
