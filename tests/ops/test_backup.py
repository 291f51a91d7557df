import datetime
import re

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db.models import F
from django.urls import reverse

from fichetracker.settings import with_page_cache
from pagecache.models import ContentVersion
from positions.models import Commitment, Fiche
from proposals.models import Ministry
from tests import factories

CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+"')
NONCE = re.compile(r'nonce="[^"]+"')


def normalised(response):
    """The page without what differs on every request anyway (CSRF token, CSP nonce)."""
    assert response.status_code == 200, response.status_code
    return NONCE.sub('nonce=""', CSRF.sub(r'\1"', response.content.decode()))


PUBLIC_URLS = [
    reverse("public:home"),
    reverse("public:fiche_list"),
    reverse("public:fiche_detail", kwargs={"kamerstuk": "22112-3908"}),
    reverse("public:document_detail", kwargs={"reference": "com-2024-28"}),
    reverse("public:commitment_list"),
    reverse("public:statistics"),
    reverse("api:fiche_list"),
    reverse("api:fiche_detail", kwargs={"kamerstuk": "22112-3908"}),
    reverse("api:commitment_list"),
]


def snapshot(client):
    pages = {url: normalised(client.get(url)) for url in PUBLIC_URLS}
    history = list(Fiche.history.order_by("history_id").values_list("history_id", "history_type", "title", "status"))
    commitment_history = list(Commitment.history.order_by("history_id").values_list("history_id", "status", "summary"))
    return pages, history, commitment_history


class BackupRoundTripTests:
    def test_a_restored_backup_renders_the_same_pages_and_api_with_history(self, client, transactional_db, tmp_path):
        call_command("load_fixtures", verbosity=0)
        fiche = Fiche.objects.get(kamerstuk="22112-3908")
        fiche.title = fiche.title + " (bijgewerkt)"
        fiche.save()
        commitment = fiche.commitments.first()
        commitment.summary = "Bijgewerkte samenvatting"
        commitment.save()
        before = snapshot(client)
        assert "(bijgewerkt)" in before[0][reverse("public:fiche_detail", kwargs={"kamerstuk": "22112-3908"})]
        assert len(before[1]) >= 2

        path = tmp_path / "backup.file"
        call_command("backup", "--output", str(path), verbosity=0)
        assert path.stat().st_size > 0

        # Lose the fiche, change what is left: the restore must bring back exactly the state of the backup.
        Fiche.objects.filter(pk=fiche.pk).delete()
        Fiche.history.all().delete()
        assert client.get(PUBLIC_URLS[2]).status_code == 404

        call_command("restore", str(path), "--noinput", verbosity=0)
        after = snapshot(client)
        assert after[0] == before[0]
        assert after[1] == before[1]
        assert after[2] == before[2]


class BackupCommandTests:
    def test_restore_refuses_a_file_that_is_not_a_backup_and_changes_nothing(self, transactional_db, tmp_path):
        call_command("load_fixtures", verbosity=0)
        bogus = tmp_path / "notes.txt"
        bogus.write_text("not a database")
        with pytest.raises(CommandError, match="Nothing was restored"):
            call_command("restore", str(bogus), "--noinput", verbosity=0)
        with pytest.raises(CommandError, match="does not exist"):
            call_command("restore", str(tmp_path / "missing.dump"), "--noinput", verbosity=0)
        assert Fiche.objects.filter(kamerstuk="22112-3908").exists()

    def test_backup_writes_a_dated_file_in_the_backup_directory(self, transactional_db, tmp_path, monkeypatch, capsys):
        monkeypatch.setenv("FICHETRACKER_BACKUP_DIR", str(tmp_path))
        call_command("backup", verbosity=0)
        written = capsys.readouterr().out.strip()
        assert re.search(r"fichetracker-\d{8}-\d{6}\.(dump|sqlite3)$", written)
        assert (tmp_path / written.rsplit("/", 1)[1]).is_file()
        assert not list(tmp_path.glob("*.partial"))

    def test_restore_asks_for_confirmation_and_cancels_on_anything_but_yes(self, transactional_db, tmp_path, monkeypatch):
        path = tmp_path / "backup.file"
        call_command("backup", "--output", str(path), verbosity=0)
        monkeypatch.setattr("builtins.input", lambda prompt: "no")
        with pytest.raises(CommandError, match="cancelled; nothing was changed"):
            call_command("restore", str(path), verbosity=0)


class RestoreAndCacheTests:
    """A restore rewinds the content version; the epoch it writes keeps every page cached before it out."""

    @pytest.fixture
    def page_cache(self, settings, transactional_db):
        settings.MIDDLEWARE = with_page_cache(settings.MIDDLEWARE)
        settings.PAGE_CACHE_LISTEN = False
        cache.clear()
        yield
        cache.clear()

    def test_a_draft_page_cached_while_it_was_published_is_not_served_after_a_restore(self, client, page_cache, tmp_path):
        factories.reference_rows()
        draft = factories.fiche(status=Fiche.Status.DRAFT, title="Concept dat even openbaar was", kamerstuk="22112-9911",
                                sent_on=datetime.date(2026, 11, 20))
        page = reverse("public:fiche_detail", kwargs={"kamerstuk": "22112-9911"})
        assert client.get(page).status_code == 404
        path = tmp_path / "backup.file"
        call_command("backup", "--output", str(path), verbosity=0)

        Fiche.objects.filter(pk=draft.pk).update(status=Fiche.Status.PUBLISHED)  # published by mistake ...
        cached_under = ContentVersion.objects.get(pk=1).number
        assert "Concept dat even openbaar was" in client.get(page).content.decode()
        assert client.get(page)["X-Page-Cache"] == "hit"

        call_command("restore", str(path), "--noinput", verbosity=0)  # ... and undone by a restore
        assert Fiche.objects.get(pk=draft.pk).status == Fiche.Status.DRAFT
        assert ContentVersion.objects.get(pk=1).number < cached_under
        while ContentVersion.objects.get(pk=1).number < cached_under:  # unrelated edits count the number up again
            Ministry.objects.filter(code="ezk").update(name=F("name"))
        assert ContentVersion.objects.get(pk=1).number == cached_under

        response = client.get(page)
        assert response.status_code == 404
        assert "X-Page-Cache" not in response

    def test_a_restore_gives_the_content_version_a_new_epoch(self, transactional_db, tmp_path):
        path = tmp_path / "backup.file"
        call_command("backup", "--output", str(path), verbosity=0)
        backed_up = ContentVersion.objects.get(pk=1).epoch
        call_command("restore", str(path), "--noinput", verbosity=0)
        assert ContentVersion.objects.get(pk=1).epoch != backed_up
