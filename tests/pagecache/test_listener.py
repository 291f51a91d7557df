"""The page cache's in-memory content version (pagecache/listener.py): kept current by LISTEN/NOTIFY on
PostgreSQL, so a cache hit runs no query; on SQLite (and with the listener off) a hit asks the database.

Transactional tests: a NOTIFY is delivered only when the writing transaction commits.
"""

import datetime
import time

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse

from fichetracker.settings import with_page_cache
from pagecache.listener import listener_for
from pagecache.middleware import content_state, current_state
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
        started = time.monotonic()
        assert wait_until(lambda: (listening.current() or (before,))[0] != before, seconds=2)
        assert time.monotonic() - started < 1.0
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
