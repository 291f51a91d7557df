"""The admin's CSV export actions: the site's one CSV dialect (common.csv), scoped to what the user may see."""

import datetime

import pytest
from django.urls import reverse

from positions.models import Commitment, Fiche
from tests.common.spreadsheets import HOSTILE, parse, parse_dicts, shown_as_text
from tests.positions.conftest import make_fiche


def export(client, model, action, objects):
    response = client.post(reverse(f"admin:positions_{model}_changelist"),
                           {"action": action, "_selected_action": [str(o.pk) for o in objects], "index": "0"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    return response.content


@pytest.mark.django_db
class CsvExportTests:
    def test_commitments_export_only_what_the_user_may_see(self, client, role_users, own_ministry, other_ministry):
        own = make_fiche(Fiche.Status.DRAFT, ministry=own_ministry)
        other = make_fiche(Fiche.Status.DRAFT, ministry=other_ministry)
        mine = Commitment.objects.create(fiche=own, position=1, quote="=HYPERLINK(\"x\")", summary="Eigen toezegging")
        theirs = Commitment.objects.create(fiche=other, position=1, quote="Geheim", summary="FIN-toezegging")
        client.force_login(role_users["editor"])
        rows = parse_dicts(export(client, "commitment", "export_commitments_csv", [mine, theirs]))
        assert [row["Samenvatting"] for row in rows] == ["Eigen toezegging"]
        assert rows[0]["Geciteerde zin"] == "'=HYPERLINK(\"x\")"

    def test_fiches_export_has_a_header_and_one_row_per_fiche(self, client, superuser):
        make_fiche(Fiche.Status.DRAFT, title="Een")
        make_fiche(Fiche.Status.DRAFT, title="Twee")
        client.force_login(superuser)
        header, *rows = parse(export(client, "fiche", "export_fiches_csv", Fiche.objects.all()))
        assert header[:3] == ["Kamerstuk", "Titel", "Status"]
        assert sorted(row[1] for row in rows) == ["Een", "Twee"]
        assert {row[2] for row in rows} == {"concept"}

    @pytest.mark.parametrize("hostile", HOSTILE)
    def test_a_hostile_fiche_title_is_text_in_a_file_that_reads_back_into_the_expected_row(self, client, superuser, hostile):
        fiche = make_fiche(Fiche.Status.DRAFT, title=hostile, received_on=datetime.date(2026, 1, 5))
        client.force_login(superuser)
        assert parse(export(client, "fiche", "export_fiches_csv", [fiche])) == [
            ["Kamerstuk", "Titel", "Status", "Eerstverantwoordelijk ministerie", "Medeverantwoordelijk", "Commissiedocumenten",
             "Raadsformatie", "Ontvangen", "Termijn", "Verzonden", "Openbaar vanaf", "Bevoegdheid", "Subsidiariteit", "Proportionaliteit"],
            ["", shown_as_text(hostile), "concept", "EZK", "", fiche.documents.get().reference, "TTE", "2026-01-05",
             fiche.deadline.isoformat(), "", "", "positief", "positief", "neutraal"],
        ]

    @pytest.mark.parametrize("hostile", HOSTILE)
    def test_hostile_commitment_texts_are_text_in_a_file_that_reads_back_into_the_expected_row(self, client, superuser, hostile):
        fiche = make_fiche(Fiche.Status.DRAFT, title="Fiche", kamerstuk="22112-4001")
        commitment = Commitment.objects.create(
            fiche=fiche, position=1, quote=hostile, summary=hostile, due_description=hostile, kind=Commitment.Kind.RAISE,
            status=Commitment.Status.FULFILLED, evidence_reference=hostile, evidence_url="https://example.org/stuk",
        )
        client.force_login(superuser)
        text = shown_as_text(hostile)
        assert parse(export(client, "commitment", "export_commitments_csv", [commitment]))[1] == [
            "22112-4001", "Fiche", "1", text, text, "aandacht vragen in Raad/EU", "EZK", "", text, "voldaan", text, "https://example.org/stuk",
        ]
