"""The page cache's in-memory content version (pagecache/listener.py): kept current by LISTEN/NOTIFY on
PostgreSQL, so a cache hit runs no query; on SQLite (and with the listener off) a hit asks the database.

Transactional tests: a NOTIFY is delivered only when the writing transaction commits.
"""

import datetime
import os
import time

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse

from fichetracker.settings import with_page_cache
from pagecache.listener import HEARTBEAT, VersionListener, listener_for
from pagecache.middleware import content_state, current_state
from pagecache.state import renew_epoch
from positions.models import Fiche

LIST = reverse("public:fiche_list")
POSTGRESQL = connection.vendor == "postgresql"


@pytest.fixture
def listening(transactional_db, settings):
    call_command("load_fixtures", verbosity=0)
    settings.MIDDLEWARE = with_page_cache(settings.MIDDLEWARE)
    settings.PAGE_CACHE_LISTEN = True
    cache.clear()
    listener = listener_for("default")
    yield listener
    listener.stop()
    cache.clear()


def wait_until(condition, seconds=5.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.002)
    return False


def publish(title, kamerstuk):
    return Fiche.objects.create(title=title, template=Fiche.objects.first().template, status=Fiche.Status.PUBLISHED,
                                kamerstuk=kamerstuk, sent_on=datetime.date(2026, 11, 20))


def listener_backends():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE application_name = 'fichetracker page cache listener'")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.skipif(not POSTGRESQL, reason="LISTEN/NOTIFY is PostgreSQL's; the SQLite path is the test below")
class ListenerTests:
    def test_a_hit_runs_no_query_and_a_committed_publication_shows_on_the_next_request(self, client, listening, django_assert_num_queries):
        client.get(LIST)  # starts this process's listener
        assert wait_until(lambda: listening.current() is not None)
        assert listening.current()[0] == content_state()[0]
        client.get(LIST)
        with django_assert_num_queries(0):
            hit = client.get(LIST)
        assert hit["X-Page-Cache"] == "hit"

        before = listening.current()[0]
        publish("Zojuist gepubliceerd", "22112-9101")  # autocommit: committed, NOTIFY delivered
        assert wait_until(lambda: (listening.current() or (before,))[0] != before, seconds=5)
        response = client.get(LIST)
        assert "X-Page-Cache" not in response
        assert "Zojuist gepubliceerd" in response.content.decode()

    def test_a_rolled_back_write_leaves_the_version_and_the_cached_pages_alone(self, client, listening):
        client.get(LIST)
        assert wait_until(lambda: listening.current() is not None)
        before = listening.current()[0]
        client.get(LIST)
        with pytest.raises(RuntimeError), transaction.atomic():
            publish("Teruggedraaid", "22112-9102")
            raise RuntimeError
        listening.refreshed.clear()
        assert not listening.refreshed.wait(0.3)  # nothing was notified
        assert listening.current()[0] == before
        response = client.get(LIST)
        assert response["X-Page-Cache"] == "hit" and "Teruggedraaid" not in response.content.decode()

    def test_a_lost_connection_falls_back_to_the_query_and_the_listener_reconnects(self, client, listening, django_assert_num_queries):
        client.get(LIST)
        assert wait_until(lambda: listening.current() is not None)
        client.get(LIST)
        [pid] = listener_backends()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        assert wait_until(lambda: listening.current() is None, seconds=2)
        publish("Tijdens het herverbinden", "22112-9103")  # no listener to tell: the query must see it
        with django_assert_num_queries(1):
            assert "Tijdens het herverbinden" not in client.get(reverse("public:about")).content.decode()
        assert "Tijdens het herverbinden" in client.get(LIST).content.decode()
        assert wait_until(lambda: listening.current() is not None, seconds=5)
        assert listener_backends() and listener_backends() != [pid]
        assert listening.current()[0] == content_state()[0]

    def test_stop_closes_the_connection(self, client, listening):
        client.get(LIST)
        assert wait_until(lambda: listening.current() is not None)
        assert len(listener_backends()) == 1
        listening.stop()
        assert wait_until(lambda: not listener_backends(), seconds=2)
        assert listening.current() is None  # and a later request starts it again
        assert wait_until(lambda: listening.current() is not None)


def test_without_postgresql_or_with_the_listener_off_a_hit_asks_the_database(client, example, settings, django_assert_num_queries):
    settings.MIDDLEWARE = with_page_cache(settings.MIDDLEWARE)
    settings.PAGE_CACHE_LISTEN = not POSTGRESQL  # SQLite: the setting on, but there is nothing to listen to
    cache.clear()
    client.get(LIST)
    assert current_state() == content_state() or current_state()[0] == content_state()[0]
    with django_assert_num_queries(1):
        assert client.get(LIST)["X-Page-Cache"] == "hit"
    cache.clear()


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


class ListenerAgeTests:
    """The version in memory has an age: two heartbeats without a successful re-read, and the
    middleware asks the database again. The clock is injected; nothing sleeps."""

    def held(self, clock):
        listener = VersionListener("default", clock=clock)
        listener._pid = os.getpid()  # as if its thread had started in this process (none is)
        listener._state = ("epoch.7", None, clock())  # what a re-read at clock() left
        return listener

    def test_a_version_re_read_within_two_heartbeats_is_used(self):
        clock = FakeClock()
        listener = self.held(clock)
        clock.now += 2 * HEARTBEAT
        assert listener.current() == ("epoch.7", None)

    def test_a_version_older_than_two_heartbeats_is_not_trusted(self):
        clock = FakeClock()
        listener = self.held(clock)
        clock.now += 2 * HEARTBEAT + 0.001
        assert listener.current() is None

    def test_its_connection_probes_an_idle_peer_and_gives_up_on_a_silent_one(self):
        params = VersionListener("default").connection_params()
        assert params["keepalives"] == 1
        # An idle connection whose peer vanished is found dead within half a minute ...
        assert params["keepalives_idle"] + params["keepalives_interval"] * params["keepalives_count"] <= 30
        # ... and so is one waiting for the answer to a re-read.
        assert 0 < params["tcp_user_timeout"] <= 30_000
        assert params["application_name"] == "fichetracker page cache listener"


@pytest.mark.skipif(not POSTGRESQL, reason="LISTEN/NOTIFY is PostgreSQL's")
def test_a_new_epoch_reaches_the_listener_at_once(client, listening):
    client.get(LIST)
    assert wait_until(lambda: listening.current() is not None)
    before = listening.current()[0]
    renew_epoch()  # as restore and migrate do: the trigger on the version row notifies
    assert wait_until(lambda: (listening.current() or (before,))[0] != before, seconds=2)
    assert listening.current()[0] == content_state()[0]
