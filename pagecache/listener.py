"""The content version held in memory per process, kept current by PostgreSQL LISTEN/NOTIFY.

Without it, every page-cache hit asks the database for the content version (one round trip, about a
third of a hit's time). With it (``FICHETRACKER_PAGE_CACHE_LISTEN``, on by default on PostgreSQL
without a read replica), each process keeps one extra connection that LISTENs on the channel a
trigger on the version row NOTIFYs (``pagecache.triggers``), and a hit reads the version from memory.

Consistency:
- NOTIFY is delivered when the writing transaction commits, never for one that rolls back; on each
  notification the thread re-reads the version and the next embargo, so the version it holds is never
  older than the last commit it was told of. A publication shows on the next request once the
  notification has arrived (well under a millisecond on the same network; measured by the test).
- The thread re-reads the state at least every ``HEARTBEAT`` seconds and when the next embargo lifts.
  The version it holds has an age: older than ``MAX_AGE`` (two heartbeats) without a successful
  re-read, ``current()`` answers None, so a thread stuck on a connection that died without a word
  (a network partition, a host that vanished) cannot keep a stale version. TCP keepalives and a TCP
  user timeout on its connection make such a connection fail, and the thread reconnect, within about
  half a minute instead of the operating system's quarter of an hour.
- Whenever the thread is not sure (not started yet, connection lost, reconnecting, the embargo time
  passed), ``current()`` answers None and the middleware asks the database itself, as it would without
  the listener. So a database restart degrades to the per-request query (and its 503 page) and the
  listener reconnects by itself.
- Not with a read replica: NOTIFY reaches only the primary, which would run ahead of the replica the
  pages are read from, and a page built from the replica's older rows would be stored under the new
  version. The settings switch the listener off when ``DATABASE_REPLICA_URL`` is set.

The thread starts on the first request of each process (gunicorn forks after loading the app, and a
thread does not survive a fork), as a daemon, so it never holds up a shutdown.
"""

import logging
import os
import threading
import time

from django.conf import settings
from django.db import connections
from django.utils import timezone

from . import state
from .triggers import CHANNEL

logger = logging.getLogger(__name__)

HEARTBEAT = 10.0
MAX_AGE = 2 * HEARTBEAT
RETRY_AFTER = (0.2, 0.5, 1.0, 2.0, 5.0)
# libpq: probe an idle connection after 10 s, every 5 s, give up after 3 unanswered probes; and give up
# on data sent but not acknowledged for 20 s (a re-read waiting on a dead peer).
CONNECTION_OPTIONS = {
    "connect_timeout": 5,
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 5,
    "keepalives_count": 3,
    "tcp_user_timeout": 20_000,
    "application_name": "fichetracker page cache listener",
}


class VersionListener:
    def __init__(self, alias, clock=time.monotonic):
        self.alias = alias
        self.clock = clock
        self._lock = threading.Lock()
        self._pid = None
        # (version, lifts_at datetime or None, clock() of the re-read) while the connection is known to be good
        self._state = None
        self.refreshed = threading.Event()  # set after each re-read (tests wait on it)
        self._stop = threading.Event()
        self._thread = None

    def current(self):
        """(version, seconds until the next embargo lifts or None), or None when the database must be asked."""
        if self._pid != os.getpid():
            self._start()
            return None
        held = self._state
        if held is None:
            return None
        version, lifts_at, refreshed_at = held
        if self.clock() - refreshed_at > MAX_AGE:
            return None  # no successful re-read for two heartbeats: the thread may be stuck
        if lifts_at is None:
            return version, None
        seconds = (lifts_at - timezone.now()).total_seconds()
        return (version, seconds) if seconds > 0 else None

    def _start(self):
        with self._lock:
            if self._pid == os.getpid():
                return
            self._pid = os.getpid()
            self._state = None
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name=f"pagecache-listener-{self.alias}", daemon=True)
            self._thread.start()

    def stop(self, timeout=5.0):
        """End the thread and close its connection (tests: before the test database is dropped)."""
        thread = self._thread
        with self._lock:
            self._pid, self._state, self._thread = None, None, None
            self._stop.set()
        if thread is not None and thread.is_alive():
            with connections[self.alias].cursor() as cursor:
                cursor.execute(f"NOTIFY {CHANNEL}")  # wakes the thread at once (delivered at commit)
            thread.join(timeout)

    def _run(self):
        import psycopg

        failures = 0
        while not self._stop.is_set():
            try:
                with psycopg.connect(**self.connection_params(), autocommit=True) as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    self._refresh(connection)  # after LISTEN: no commit can fall between the two
                    failures = 0
                    while not self._stop.is_set():
                        # Wake on a notification (one re-read covers a whole burst of commits), at the
                        # heartbeat, or when the next embargo lifts; re-read the state every time.
                        for _notify in connection.notifies(timeout=self._wait(), stop_after=1):
                            pass
                        self._refresh(connection)
            except Exception:  # any failure: forget the version, let requests ask, retry
                self._state = None
                if self._stop.is_set():
                    return
                delay = RETRY_AFTER[min(failures, len(RETRY_AFTER) - 1)]
                failures += 1
                if failures in (1, 10) or failures % 100 == 0:
                    logger.warning("Page cache listener lost its connection (%s attempt(s)); retrying in %.1f s.", failures, delay, exc_info=failures == 1)
                self._stop.wait(delay)
        self._state = None

    def connection_params(self):
        """The database's connection parameters plus the listener's defaults (timeouts, keepalives, name);
        options given in ``DATABASE_URL`` win."""
        return {**CONNECTION_OPTIONS, **connections[self.alias].get_connection_params()}

    def _wait(self):
        held = self._state
        if held is None or held[1] is None:
            return HEARTBEAT
        return max(0.0, min(HEARTBEAT, (held[1] - timezone.now()).total_seconds()))

    def _refresh(self, connection):
        with connection.cursor() as cursor:
            cursor.execute(state.state_sql("postgresql"), state.state_parameters(connections[self.alias], timezone.now()))
            row = cursor.fetchone()
        # Autocommit and never writing: this connection has no own writes to mark (row[1]).
        self._state = (row[0], state.parse_lifts_at(row[2]), self.clock()) if row else None
        self.refreshed.set()


_listeners = {}
_listeners_lock = threading.Lock()


def listener_for(alias):
    with _listeners_lock:
        if alias not in _listeners:
            _listeners[alias] = VersionListener(alias)
        return _listeners[alias]


def listened(connection):
    """The content state from this process's listener, as the page cache and ``ContentCache`` read it: no
    query. None when the listener is off (SQLite, a read replica) or not sure, and inside a transaction,
    whose own writes only a query sees."""
    if not settings.PAGE_CACHE_LISTEN or connection.vendor != "postgresql" or connection.in_atomic_block:
        return None
    return listener_for(connection.alias).current()
