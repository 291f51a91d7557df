"""`load_fixtures` on a database that already holds the example: editors' work survives `make run`."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from positions.models import Commitment, CommitmentStatusChange, Fiche
from proposals.models import CouncilConfiguration, Ministry
from tests.followup import builders as b


@pytest.mark.django_db
class ReloadingFixturesTests:
    def test_a_second_run_leaves_an_edited_example_fiche_and_its_parts_as_the_editor_left_them(self, example):
        Fiche.objects.filter(pk=example.pk).update(title="Titel aangepast door een redacteur")
        example.sections.filter(key="essence").update(text="Nieuwe tekst van de redacteur.")
        example.commitments.filter(position=9).delete()
        example.footnotes.filter(number=17).update(text="Voetnoot aangepast.")
        out = StringIO()
        call_command("load_fixtures", stdout=out)
        example.refresh_from_db()
        assert example.title == "Titel aangepast door een redacteur"
        assert example.sections.get(key="essence").text == "Nieuwe tekst van de redacteur."
        assert not example.commitments.filter(position=9).exists()
        assert example.footnotes.get(number=17).text == "Voetnoot aangepast."
        assert "Fiche 22112-3908 already exists: left as it is" in out.getvalue()

    def test_a_second_run_still_loads_and_updates_reference_rows(self, example):
        CouncilConfiguration.objects.filter(code="TTE").update(name="verkeerd")
        Ministry.objects.filter(code="fin").delete()
        call_command("load_fixtures", verbosity=0)
        assert CouncilConfiguration.objects.get(code="TTE").name == "Raad Vervoer, Telecommunicatie en Energie"
        assert Ministry.objects.filter(code="fin").exists()

    def test_loading_twice_creates_no_status_change_twice(self, example):
        call_command("load_fixtures", verbosity=0)
        Fiche.objects.filter(pk=example.pk).delete()
        call_command("load_fixtures", verbosity=0)
        call_command("load_fixtures", verbosity=0)
        assert CommitmentStatusChange.objects.count() == 1


class AiOfficeHistoryTests:
    def test_the_fixtures_record_the_ai_office_commitment_going_from_open_to_fulfilled_on_8_may_2024(self, example):
        change = CommitmentStatusChange.objects.get()
        assert change.commitment == example.commitments.get(position=1)
        assert (change.from_status, change.to_status) == (Commitment.Status.OPEN, Commitment.Status.FULFILLED)
        assert change.changed_at.date() == datetime.date(2024, 5, 8)
        assert change.evidence_reference == "Kamerstuk 22 112, nr. 3942"
        assert change.natural_key() == ("22112-3908", 1, change.changed_at)
        assert CommitmentStatusChange.objects.get_by_natural_key(*change.natural_key()) == change

    def test_its_history_shows_on_the_commitment_page(self, client, example):
        client.force_login(b.staff("opvolger", ministries=[Ministry.objects.get(code="ez")]))
        page = client.get(reverse("followup:commitment_detail", kwargs={"fiche": "22112-3908", "position": 1})).content.decode()
        assert "Nog geen wijzigingen vastgelegd" not in page
        assert '<time datetime="2024-05-08' in page
        assert "openstaand → <strong>voldaan</strong>" in page
        assert "Kamerstuk 22 112, nr. 3942</a>" in page
