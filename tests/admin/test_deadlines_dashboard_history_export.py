"""Deadlines with real dates, the dashboard, readable history with restore, CSV export, query counts."""

import datetime

import pytest
from django.urls import reverse

from positions.models import Commitment, Fiche
from proposals.deadlines import fiche_deadline
from tests import factories

from .conftest import make_fiche
from .formdata import form_data


class DeadlineRuleTests:
    def test_six_weeks_after_receipt(self):
        assert fiche_deadline(datetime.date(2024, 1, 24)) == datetime.date(2024, 3, 6)

    def test_three_weeks_for_a_parliamentary_priority(self):
        assert fiche_deadline(datetime.date(2024, 1, 24), priority=True) == datetime.date(2024, 2, 14)

    def test_a_july_receipt_skips_the_four_weeks_of_august(self):
        # 1 July + 6 weeks = 12 August; 12 of the paused days fall before that, the rest follow: 9 September.
        assert fiche_deadline(datetime.date(2024, 7, 1)) == datetime.date(2024, 9, 9)
        assert fiche_deadline(datetime.date(2025, 7, 20)) == datetime.date(2025, 9, 28)

    def test_a_receipt_inside_august_starts_counting_after_the_pause(self):
        assert fiche_deadline(datetime.date(2024, 8, 10)) == datetime.date(2024, 10, 9)

    def test_a_receipt_after_the_pause_is_plain_six_weeks(self):
        assert fiche_deadline(datetime.date(2024, 9, 2)) == datetime.date(2024, 10, 14)


@pytest.mark.django_db
class DashboardTests:
    def test_it_lists_documents_awaiting_a_fiche_with_days_left_and_flags_overdue_ones(self, client, role_users, own_ministry, today):
        factories.document("COM(2026) 500", received_on=today - datetime.timedelta(days=10), title="Nieuw voorstel")
        factories.document("COM(2026) 501", received_on=today - datetime.timedelta(days=60), title="Oud voorstel")
        client.force_login(role_users["editor"])
        html = client.get(reverse("admin:dashboard")).content.decode()
        assert "COM(2026) 500" in html and "COM(2026) 501" in html
        assert "<td>32</td>" in html
        assert "18 dagen te laat" in html
        assert "Nog geen fiche" in html

    def test_it_groups_by_ministry_and_hides_other_ministries_drafts(self, client, role_users, own_ministry, other_ministry, today):
        received = today - datetime.timedelta(days=5)
        own_doc = factories.document("COM(2026) 600", received_on=received)
        other_doc = factories.document("COM(2026) 601", received_on=received)
        make_fiche(Fiche.Status.DRAFT, ministry=own_ministry, documents=[own_doc], title="Eigen concept")
        make_fiche(Fiche.Status.DRAFT, ministry=other_ministry, documents=[other_doc], title="FIN concept")
        client.force_login(role_users["editor"])
        html = client.get(reverse("admin:dashboard")).content.decode()
        assert "Ministerie van Economische Zaken en Klimaat" in html and "Eigen concept" in html
        assert "COM(2026) 601" not in html and "FIN concept" not in html
        client.force_login(role_users["coordinator"])
        html = client.get(reverse("admin:dashboard")).content.decode()
        assert "FIN concept" in html and "Ministerie van Financiën" in html

    def test_it_lists_fiches_waiting_for_review_or_publication_with_the_users_next_steps(self, client, role_users):
        make_fiche(Fiche.Status.REVIEW, title="Wacht op BNC")
        make_fiche(Fiche.Status.ADOPTED, title="Wacht op publicatie")
        client.force_login(role_users["coordinator"])
        html = client.get(reverse("admin:dashboard")).content.decode()
        assert "Wacht op BNC" in html and "Wacht op publicatie" in html
        assert "Vastgesteld door de ministerraad" in html
        assert "?naar=published" not in html


@pytest.mark.django_db
class HistoryTests:
    def _edit(self, client, fiche, **changes):
        url = reverse("admin:positions_fiche_change", args=[fiche.pk])
        data = form_data(client.get(url).content.decode(), "fiche_form")
        data.update({key: [value] for key, value in changes.items()})
        assert client.post(url, data).status_code == 302

    def test_history_shows_who_changed_what_with_a_word_diff_for_long_texts(self, client, superuser):
        long_text = "Het kabinet steunt de inzet van de Commissie om startups en innovatie in betrouwbare AI te stimuleren " * 2
        fiche = make_fiche(Fiche.Status.DRAFT, legal_basis=long_text)
        client.force_login(superuser)
        self._edit(client, fiche, legal_basis=long_text.replace("steunt", "verwelkomt", 1), title="Nieuwe titel")
        html = client.get(reverse("admin:positions_fiche_history", args=[fiche.pk])).content.decode()
        assert "<del>steunt</del>" in html and "<ins>verwelkomt</ins>" in html
        assert "Nieuwe titel" in html
        assert superuser.username in html
        assert 'style="' not in html.split('id="change-history"')[1]

    def test_an_earlier_version_can_be_restored_but_not_its_status(self, client, superuser):
        fiche = make_fiche(Fiche.Status.DRAFT, title="Eerste titel")
        client.force_login(superuser)
        self._edit(client, fiche, title="Tweede titel")
        Fiche.objects.filter(pk=fiche.pk).update(status=Fiche.Status.REVIEW)
        first = fiche.history.order_by("history_date").first()
        url = reverse("admin:positions_fiche_simple_history", args=[fiche.pk, first.history_id])
        data = form_data(client.get(url).content.decode(), "historicalfiche_form")
        assert data["title"] == ["Eerste titel"]
        assert client.post(url, data).status_code == 302
        fiche.refresh_from_db()
        assert (fiche.title, fiche.status) == ("Eerste titel", Fiche.Status.REVIEW)

    @pytest.mark.parametrize("model_name", ["fichesection", "commitment", "commissiondocument"])
    def test_sections_commitments_and_documents_have_history_too(self, client, superuser, model_name):
        fiche = make_fiche(Fiche.Status.DRAFT)
        Commitment.objects.create(fiche=fiche, position=1, quote="Het kabinet zal hier aandacht voor vragen.", summary="Vragen")
        obj = {"fichesection": fiche.sections.first(), "commitment": fiche.commitments.first(), "commissiondocument": fiche.documents.first()}
        app = "proposals" if model_name == "commissiondocument" else "positions"
        client.force_login(superuser)
        response = client.get(reverse(f"admin:{app}_{model_name}_history", args=[obj[model_name].pk]))
        assert response.status_code == 200

    def test_an_editor_cannot_read_the_history_of_another_ministrys_draft(self, client, role_users, other_ministry):
        fiche = make_fiche(Fiche.Status.DRAFT, ministry=other_ministry)
        client.force_login(role_users["editor"])
        assert client.get(reverse("admin:positions_fiche_history", args=[fiche.pk])).status_code == 403
        version = fiche.history.first()
        assert client.get(reverse("admin:positions_fiche_simple_history", args=[fiche.pk, version.history_id])).status_code == 403


@pytest.mark.django_db
class CsvExportTests:
    def test_commitments_export_only_what_the_user_may_see(self, client, role_users, own_ministry, other_ministry):
        own = make_fiche(Fiche.Status.DRAFT, ministry=own_ministry)
        other = make_fiche(Fiche.Status.DRAFT, ministry=other_ministry)
        mine = Commitment.objects.create(fiche=own, position=1, quote="=HYPERLINK(\"x\")", summary="Eigen toezegging")
        theirs = Commitment.objects.create(fiche=other, position=1, quote="Geheim", summary="FIN-toezegging")
        client.force_login(role_users["editor"])
        response = client.post(reverse("admin:positions_commitment_changelist"), {
            "action": "export_commitments_csv", "_selected_action": [str(mine.pk), str(theirs.pk)], "index": "0"})
        text = response.content.decode("utf-8-sig")
        assert response["Content-Type"].startswith("text/csv")
        assert "Eigen toezegging" in text and "FIN-toezegging" not in text
        assert "'=HYPERLINK" in text and ";=HYPERLINK" not in text

    def test_fiches_export_has_a_header_and_one_row_per_fiche(self, client, superuser):
        make_fiche(Fiche.Status.DRAFT, title="Een")
        make_fiche(Fiche.Status.DRAFT, title="Twee")
        client.force_login(superuser)
        ids = [str(pk) for pk in Fiche.objects.values_list("pk", flat=True)]
        response = client.post(reverse("admin:positions_fiche_changelist"),
                               {"action": "export_fiches_csv", "_selected_action": ids, "index": "0"})
        lines = response.content.decode("utf-8-sig").strip().splitlines()
        assert lines[0].startswith("Kamerstuk;Titel;Status")
        assert len(lines) == 3


@pytest.mark.django_db
class ChangelistQueryCountTests:
    @pytest.mark.parametrize("url_name", ["admin:positions_fiche_changelist", "admin:positions_commitment_changelist",
                                          "admin:proposals_commissiondocument_changelist", "admin:positions_fichesection_changelist"])
    @pytest.mark.parametrize("role", ["editor", "coordinator"])
    def test_changelist_queries_do_not_grow_with_the_number_of_rows(self, client, role_users, own_ministry, url_name, role):
        def add_fiches(n):
            for i in range(n):
                fiche = make_fiche(Fiche.Status.DRAFT, ministry=own_ministry)
                Commitment.objects.create(fiche=fiche, position=1, quote="Het kabinet zal.", summary=f"T{i}")

        client.force_login(role_users[role])
        add_fiches(2)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as small:
            assert client.get(reverse(url_name)).status_code == 200
        add_fiches(6)
        with CaptureQueriesContext(connection) as large:
            assert client.get(reverse(url_name)).status_code == 200
        assert len(large) == len(small)
