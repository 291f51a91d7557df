"""The content state (pagecache/state.py, pagecache/triggers.py): transactional, yet writers do not queue.

PostgreSQL raises the version at commit (a deferred constraint trigger), so two transactions that write
different fiches never wait for each other, and a reader still never sees the new number before the
new data. Real connections, each its own transaction, as in production.
"""

import datetime

import psycopg
import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse

from fichetracker.settings import with_page_cache
from pagecache.models import ContentVersion, PendingWrite
from pagecache.results import ContentCache
from pagecache.state import content_state, renew_epoch
from positions.models import Fiche
from tests import factories

POSTGRESQL = connection.vendor == "postgresql"
LIST = reverse("public:fiche_list")


def number():
    return ContentVersion.objects.get(pk=1).number


def title_of(fiche):
    return Fiche.objects.values_list("title", flat=True).get(pk=fiche.pk)


def retitle(conn, fiche, title):
    conn.execute("UPDATE positions_fiche SET title = %s WHERE id = %s", [title, fiche.pk])


@pytest.mark.skipif(not POSTGRESQL, reason="SQLite serialises writers anyway; the deferred raise is PostgreSQL's")
class ConcurrentWriteTests:
    def test_two_transactions_writing_different_fiches_do_not_wait_for_each_other(self, transactional_db):
        first, second = factories.fiche(title="Eerste fiche"), factories.fiche(title="Tweede fiche")
        before, state_before = number(), content_state()
        params = connection.get_connection_params()
        with psycopg.connect(**params) as t1, psycopg.connect(**params) as t2:
            retitle(t1, first, "Eerste fiche, herzien")  # T1 writes and stays open
            assert number() == before and content_state() == state_before  # nothing of T1 is visible yet

            # Before: T2's trigger waited for the version row T1 had locked, until T1 ended.
            t2.execute("SET lock_timeout = '1s'")
            retitle(t2, second, "Tweede fiche, herzien")
            assert number() == before  # T2 wrote, not yet committed: still invisible
            t2.commit()
            assert number() == before + 1
            assert title_of(second) == "Tweede fiche, herzien" and title_of(first) == "Eerste fiche"

            # T1 sees the committed number and, for its own reads, a mark of its own uncommitted write.
            committed_key, own_mark = t1.execute(
                "SELECT v.epoch || '.' || v.number, current_setting('pagecache.write', true) FROM pagecache_contentversion v"
            ).fetchone()
            assert committed_key.endswith(f".{before + 1}") and own_mark
            t1.commit()
        assert number() == before + 2
        assert title_of(first) == "Eerste fiche, herzien" and title_of(second) == "Tweede fiche, herzien"
        assert not PendingWrite.objects.exists()

    def test_a_transaction_of_many_statements_raises_the_version_once_and_a_rollback_not_at_all(self, transactional_db):
        fiches = [factories.fiche() for _ in range(3)]
        before = number()
        with transaction.atomic():
            for n, fiche in enumerate(fiches):
                Fiche.objects.filter(pk=fiche.pk).update(title=f"Herzien {n}")
            assert number() == before  # raised at commit, not before
        assert number() == before + 1
        with pytest.raises(RuntimeError), transaction.atomic():
            Fiche.objects.filter(pk=fiches[0].pk).update(title="Teruggedraaid")
            raise RuntimeError
        assert number() == before + 1
        assert not PendingWrite.objects.exists()

    def test_a_savepoint_rolled_back_inside_a_transaction_still_raises_the_version_for_what_stays(self, transactional_db):
        fiche = factories.fiche()
        before = number()
        with transaction.atomic():
            with pytest.raises(RuntimeError), transaction.atomic():
                Fiche.objects.filter(pk=fiche.pk).update(title="Teruggedraaid")  # its pending row goes with the savepoint
                raise RuntimeError
            Fiche.objects.filter(pk=fiche.pk).update(title="Blijft")
        assert number() == before + 1 and title_of(fiche) == "Blijft"

    def test_a_long_import_does_not_hold_up_an_admin_save(self, transactional_db):
        importing, edited = factories.fiche(status=Fiche.Status.DRAFT), factories.fiche()
        before = number()
        params = connection.get_connection_params()
        with psycopg.connect(**params) as long_import:
            for n in range(5):  # many statements in one open transaction
                long_import.execute("INSERT INTO positions_footnote (fiche_id, number, text, urls) VALUES (%s, %s, %s, '[]')",
                                    [importing.pk, 100 + n, f"Voetnoot {n}"])
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '1s'")
                try:
                    Fiche.objects.filter(pk=edited.pk).update(title="Opgeslagen in de admin")  # autocommit
                finally:
                    cursor.execute("RESET lock_timeout")
            assert number() == before + 1
            long_import.commit()
        assert number() == before + 2


class OwnWritesTests:
    def test_inside_a_transaction_every_own_write_gives_a_version_never_seen_before(self, db):
        seen = [content_state().version]
        with transaction.atomic():
            factories.fiche(title="Eerste")
            seen.append(content_state().version)
            with pytest.raises(RuntimeError), transaction.atomic():
                factories.fiche(title="Teruggedraaid")
                seen.append(content_state().version)
                raise RuntimeError
            factories.fiche(title="Daarna")  # different data than inside the rolled-back savepoint: a new key
            seen.append(content_state().version)
        assert len(set(seen)) == len(seen)

    def test_a_reading_connection_without_writes_sees_only_the_committed_version(self, transactional_db):
        state = content_state()
        parts = state.version.split(".")
        assert parts[0] == ContentVersion.objects.get(pk=1).epoch and parts[1] == str(number())
        assert len(parts) == (3 if POSTGRESQL else 2)  # PostgreSQL adds the version row's xmin; no own-write mark


class EpochTests:
    def test_every_migrate_gives_the_content_version_a_new_epoch(self, transactional_db):
        before = ContentVersion.objects.get(pk=1)
        call_command("migrate", verbosity=0)
        after = ContentVersion.objects.get(pk=1)
        assert after.epoch != before.epoch and len(after.epoch) == 16
        assert after.number == before.number

    def test_the_epoch_is_part_of_the_version(self, transactional_db):
        before = content_state().version
        ContentVersion.objects.filter(pk=1).update(epoch="0123456789abcdef")
        assert content_state().version.startswith("0123456789abcdef.") and content_state().version != before

    def test_a_new_epoch_keys_the_pages_and_the_results_afresh(self, client, settings, transactional_db):
        settings.MIDDLEWARE = with_page_cache(settings.MIDDLEWARE)
        settings.PAGE_CACHE_LISTEN = False
        cache.clear()
        factories.fiche(title="Gepubliceerd fiche")
        results_before = ContentCache(Fiche.objects.published(), True).state()[0]
        client.get(LIST)
        assert client.get(LIST)["X-Page-Cache"] == "hit"
        assert renew_epoch()
        assert "X-Page-Cache" not in client.get(LIST)
        assert ContentCache(Fiche.objects.published(), True).state()[0] != results_before
        cache.clear()


def test_the_embargo_part_of_the_state_counts_down_to_the_next_lifting(db):
    factories.fiche(public_from=datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=120))
    assert 0 < content_state().seconds <= 120
