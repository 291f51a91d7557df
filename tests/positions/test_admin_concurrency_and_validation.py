"""Two editors on one fiche, and validation messages that say what is wrong and what is valid."""

import datetime
import html as html_lib

import pytest
from django.urls import reverse

from positions.models import CofinancingBudget, Fiche
from proposals.models import CommissionDocument

from .conftest import make_fiche, staff_user
from .formdata import form_data


@pytest.mark.django_db
class ConcurrentEditingTests:
    def test_the_second_save_is_refused_naming_who_saved_in_between_and_the_input_stays(self, client, own_ministry, role_users):
        from django.test import Client

        fiche = make_fiche(Fiche.Status.DRAFT, ministry=own_ministry, title="Oorspronkelijke titel")
        anna = staff_user("anna", role="editor", ministries=[own_ministry])
        ben = staff_user("ben", role="editor", ministries=[own_ministry])
        url = reverse("admin:positions_fiche_change", args=[fiche.pk])
        client_anna, client_ben = Client(), Client()
        client_anna.force_login(anna)
        client_ben.force_login(ben)
        form_anna = form_data(client_anna.get(url).content.decode(), "fiche_form")
        form_ben = form_data(client_ben.get(url).content.decode(), "fiche_form")

        form_anna["title"] = ["Titel van Anna"]
        assert client_anna.post(url, form_anna).status_code == 302
        form_ben["title"] = ["Titel van Ben"]
        form_ben["sections-0-text"] = ["Bens nieuwe tekst over het voorstel."]
        response = client_ben.post(url, form_ben)

        html = response.content.decode()
        assert response.status_code == 200
        assert "Dit fiche is intussen opgeslagen door Anna op" in html
        assert 'value="Titel van Ben"' in html
        assert "Bens nieuwe tekst over het voorstel." in html
        fiche.refresh_from_db()
        assert fiche.title == "Titel van Anna"
        assert fiche.updated_by == anna
        assert "Bens nieuwe tekst" not in fiche.sections.get(position=1).text

    def test_a_save_after_reloading_succeeds(self, client, own_ministry, role_users):
        fiche = make_fiche(Fiche.Status.DRAFT, ministry=own_ministry)
        client.force_login(role_users["editor"])
        url = reverse("admin:positions_fiche_change", args=[fiche.pk])
        for title in ("Eerste versie", "Tweede versie"):
            data = form_data(client.get(url).content.decode(), "fiche_form")
            data["title"] = [title]
            assert client.post(url, data).status_code == 302
        assert Fiche.objects.get(pk=fiche.pk).title == "Tweede versie"


def post_fiche(client, fiche, **changes):
    url = reverse("admin:positions_fiche_change", args=[fiche.pk])
    data = form_data(client.get(url).content.decode(), "fiche_form")
    data.update({key: [value] for key, value in changes.items()})
    return client.post(url, data)


@pytest.mark.django_db
class ValidationMessageTests:
    def test_a_kamerstuk_number_is_normalised_or_refused_with_the_valid_form(self, client, superuser):
        fiche = make_fiche(Fiche.Status.DRAFT)
        client.force_login(superuser)
        assert post_fiche(client, fiche, kamerstuk="22 112, nr. 3950").status_code == 302
        assert Fiche.objects.get(pk=fiche.pk).kamerstuk == "22112-3950"
        html = post_fiche(client, fiche, kamerstuk="nummer 12").content.decode()
        assert "Een Kamerstuknummer heeft de vorm 22112-3908" in html

    def test_sent_before_received_is_refused(self, client, superuser):
        fiche = make_fiche(Fiche.Status.DRAFT, received_on=datetime.date(2024, 1, 24))
        client.force_login(superuser)
        html = post_fiche(client, fiche, sent_on="2024-01-10").content.decode()
        assert "De verzenddatum (2024-01-10) ligt voor de datum van ontvangst (2024-01-24)." in html

    def test_a_fiche_in_review_cannot_lose_its_verdict(self, client, superuser):
        fiche = make_fiche(Fiche.Status.REVIEW)
        client.force_login(superuser)
        html = post_fiche(client, fiche, competence="").content.decode()
        assert "Een fiche in review, vastgesteld of gepubliceerd heeft een oordeel nodig" in html
        assert Fiche.objects.get(pk=fiche.pk).competence == "positief"

    def test_a_celex_number_that_does_not_match_its_reference_is_refused(self, client, superuser):
        client.force_login(superuser)
        response = client.post(reverse("admin:proposals_commissiondocument_add"), {
            "doc_type": "COM", "year": 2024, "number": 28, "title": "Mededeling AI", "kind": "communication", "celex": "52024DC0029",
            "relations_from-TOTAL_FORMS": 0, "relations_from-INITIAL_FORMS": 0,
        })
        html = html_lib.unescape(response.content.decode())
        assert "CELEX-nummer 52024DC0029 past niet bij COM(2024) 28; verwacht: 52024PC0028 of 52024DC0028." in html
        assert not CommissionDocument.objects.exists()

    def test_a_malformed_celex_and_procedure_are_explained(self, client, superuser):
        client.force_login(superuser)
        html = client.post(reverse("admin:proposals_commissiondocument_add"), {
            "doc_type": "COM", "year": 2024, "number": 28, "title": "x", "kind": "communication", "celex": "COM2024",
            "procedure": "2024-16", "relations_from-TOTAL_FORMS": 0, "relations_from-INITIAL_FORMS": 0,
        }).content.decode()
        html = html_lib.unescape(html)
        assert "'COM2024' is geen geldig CELEX-nummer" in html
        assert "Gebruik de vorm 2024/0016(CNS)" in html

    def test_received_before_adopted_is_refused(self, client, superuser):
        client.force_login(superuser)
        html = client.post(reverse("admin:proposals_commissiondocument_add"), {
            "doc_type": "COM", "year": 2024, "number": 28, "title": "x", "kind": "communication", "adopted_on": "2024-01-24",
            "received_on": "2024-01-20", "relations_from-TOTAL_FORMS": 0, "relations_from-INITIAL_FORMS": 0,
        }).content.decode()
        html = html_lib.unescape(html)
        assert "De datum van ontvangst ligt voor de datum van de Commissie." in html

    def test_a_negative_amount_is_refused(self, client, superuser, own_ministry):
        fiche = make_fiche(Fiche.Status.DRAFT)
        client.force_login(superuser)
        html = client.post(reverse("admin:positions_cofinancingbudget_add"), {
            "fiche": fiche.pk, "programme": "Digital Europe", "programme_code": "DIGITAL", "ministry": own_ministry.pk, "amount": "-5",
            "priorities-TOTAL_FORMS": 0, "priorities-INITIAL_FORMS": 0,
        }).content.decode()
        html = html_lib.unescape(html)
        assert "Zorg ervoor dat deze waarde minstens 0 is." in html
        assert not CofinancingBudget.objects.exists()

    def test_document_search_understands_references_as_typed(self, client, superuser):
        fiche = make_fiche(Fiche.Status.DRAFT, title="Fiche over COM 28")
        document = fiche.documents.get()
        client.force_login(superuser)
        html = client.get(reverse("admin:positions_fiche_changelist"), {"q": document.reference.replace("(", " (")}).content.decode()
        assert "Fiche over COM 28" in html
