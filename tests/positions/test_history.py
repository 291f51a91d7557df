"""Readable history with a word diff, and restoring an earlier version."""


import pytest
from django.urls import reverse

from positions.models import Commitment, Fiche
from tests.positions.conftest import make_fiche
from tests.positions.formdata import form_data


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
        page = client.get(url).content.decode()
        assert "Eerste titel" in page.split('id="ft-restored"')[1]
        assert client.post(url, form_data(page, "historicalfiche_form")).status_code == 302
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
