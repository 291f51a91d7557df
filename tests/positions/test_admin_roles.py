"""Every role against every action, on a fiche of the user's own ministry and of another ministry."""

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse

from positions import workflow
from positions.models import Commitment, Fiche
from tests import factories

from .conftest import make_fiche

ROLES = ["editor", "coordinator", "publisher", "follow-up officer", "reader-staff", "superuser"]
ALL = set(ROLES)

# action -> roles allowed on (own ministry, other ministry)
EXPECTED = {
    "see draft in list": ({"editor", "coordinator", "publisher", "follow-up officer", "reader-staff", "superuser"},
                          {"coordinator", "publisher", "superuser"}),
    "open draft": ({"editor", "coordinator", "publisher", "follow-up officer", "reader-staff", "superuser"},
                   {"coordinator", "publisher", "superuser"}),
    "change draft": ({"editor", "coordinator", "superuser"}, {"coordinator", "superuser"}),
    "delete draft": ({"editor", "coordinator", "superuser"}, {"coordinator", "superuser"}),
    "submit for review": ({"editor", "coordinator", "superuser"}, {"coordinator", "superuser"}),
    "send back to draft": ({"coordinator", "superuser"}, {"coordinator", "superuser"}),
    "record adoption": ({"coordinator", "superuser"}, {"coordinator", "superuser"}),
    "publish": ({"publisher", "superuser"}, {"publisher", "superuser"}),
    "change adopted": ({"coordinator", "publisher", "superuser"}, {"coordinator", "publisher", "superuser"}),
    "change commitment of published": ({"coordinator", "follow-up officer", "superuser"}, {"coordinator", "superuser"}),
    "see published": (ALL, ALL),
    "preview draft": ({"editor", "coordinator", "publisher", "follow-up officer", "reader-staff", "superuser"},
                      {"coordinator", "publisher", "superuser"}),
    "history of draft": ({"editor", "coordinator", "publisher", "follow-up officer", "reader-staff", "superuser"},
                         {"coordinator", "publisher", "superuser"}),
    "find draft by autocomplete": ({"editor", "coordinator", "publisher", "follow-up officer", "reader-staff", "superuser"},
                                   {"coordinator", "publisher", "superuser"}),
    "export draft": ({"editor", "coordinator", "publisher", "follow-up officer", "reader-staff", "superuser"},
                     {"coordinator", "publisher", "superuser"}),
}

CASES = [(action, role, whose) for action in EXPECTED for role in ROLES for whose in ("own", "other")]


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def _transition_allowed(fiche, to_status, user):
    try:
        workflow.fiche_transition(fiche=fiche, to_status=to_status, by=user)
    except PermissionDenied:
        return False
    return True


def perform(action, client, user, fiche):
    fiche_admin = admin.site._registry[Fiche]
    if action == "see draft in list":
        html = client.get(reverse("admin:positions_fiche_changelist")).content.decode()
        return fiche.title in html
    if action in ("open draft", "see published"):
        response = client.get(reverse("admin:positions_fiche_change", args=[fiche.pk]))
        return response.status_code == 200 and fiche.title in response.content.decode()
    if action in ("change draft", "change adopted"):
        return fiche_admin.has_change_permission(_request(user), fiche)
    if action == "delete draft":
        response = client.post(reverse("admin:positions_fiche_delete", args=[fiche.pk]), {"post": "yes"})
        return not Fiche.objects.filter(pk=fiche.pk).exists()
    if action == "submit for review":
        return _transition_allowed(fiche, Fiche.Status.REVIEW, user)
    if action == "send back to draft":
        return _transition_allowed(fiche, Fiche.Status.DRAFT, user)
    if action == "record adoption":
        return _transition_allowed(fiche, Fiche.Status.ADOPTED, user)
    if action == "publish":
        return _transition_allowed(fiche, Fiche.Status.PUBLISHED, user)
    if action == "change commitment of published":
        commitment = Commitment.objects.create(fiche=fiche, position=1, quote="Het kabinet zal hier aandacht voor vragen.", summary="Vragen")
        return admin.site._registry[Commitment].has_change_permission(_request(user), commitment)
    if action == "preview draft":
        return client.get(reverse("admin:positions_fiche_preview", args=[fiche.pk])).status_code == 200
    if action == "history of draft":
        response = client.get(reverse("admin:positions_fiche_history", args=[fiche.pk]))
        return response.status_code == 200
    if action == "find draft by autocomplete":
        response = client.get(reverse("admin:autocomplete"), {"app_label": "positions", "model_name": "commitment", "field_name": "fiche",
                                                              "term": "Geheim"})
        return str(fiche.pk) in [row["id"] for row in response.json()["results"]]
    if action == "export draft":
        response = client.post(reverse("admin:positions_fiche_changelist"),
                               {"action": "export_fiches_csv", "_selected_action": [str(fiche.pk)], "select_across": "0", "index": "0"})
        return response.get("Content-Type", "").startswith("text/csv") and fiche.title in response.content.decode("utf-8-sig")
    raise AssertionError(action)


STATUS_FOR = {
    "send back to draft": Fiche.Status.REVIEW,
    "record adoption": Fiche.Status.REVIEW,
    "publish": Fiche.Status.ADOPTED,
    "change adopted": Fiche.Status.ADOPTED,
    "see published": Fiche.Status.PUBLISHED,
    "change commitment of published": Fiche.Status.PUBLISHED,
}


@pytest.mark.django_db
class RoleMatrixTests:
    @pytest.mark.parametrize(("action", "role", "whose"), CASES)
    def test_role_may_or_may_not_perform_action(self, client, role_users, own_ministry, other_ministry, action, role, whose):
        user = role_users[role]
        ministry = own_ministry if whose == "own" else other_ministry
        status = STATUS_FOR.get(action, Fiche.Status.DRAFT)
        extra = {"kamerstuk": "22112-9001", "sent_on": "2024-03-01", "batch_letter": None} if status != Fiche.Status.DRAFT else {}
        fiche = make_fiche(status, ministry=ministry, title=f"Geheim fiche {whose}", **extra)
        client.force_login(user)
        allowed_own, allowed_other = EXPECTED[action]
        expected = role in (allowed_own if whose == "own" else allowed_other)
        assert perform(action, client, user, fiche) is expected

    def test_a_co_ministry_counts_as_own(self, client, role_users, own_ministry, other_ministry):
        fiche = make_fiche(Fiche.Status.DRAFT, ministry=other_ministry, title="Samen met EZK")
        fiche.co_ministries.add(own_ministry)
        client.force_login(role_users["editor"])
        assert "Samen met EZK" in client.get(reverse("admin:positions_fiche_changelist")).content.decode()

    def test_search_and_filter_choices_do_not_reveal_other_ministries_drafts(self, client, role_users, own_ministry, other_ministry):
        make_fiche(Fiche.Status.DRAFT, ministry=other_ministry, title="Vertrouwelijk FIN-concept",
                   council_configuration=factories.council(code="ECOFIN", name="Raad Economische en Financiële Zaken"))
        client.force_login(role_users["editor"])
        html = client.get(reverse("admin:positions_fiche_changelist"), {"q": "Vertrouwelijk"}).content.decode()
        assert "Vertrouwelijk FIN-concept" not in html
        html = client.get(reverse("admin:positions_fiche_changelist")).content.decode()
        # RelatedOnlyFieldListFilter choices come from the scoped queryset: FIN and ECOFIN are not offered.
        assert "Ministerie van Financiën" not in html
        assert "Raad Economische en Financiële Zaken" not in html

    def test_other_ministries_section_rows_are_hidden_too(self, client, role_users, other_ministry):
        fiche = make_fiche(Fiche.Status.DRAFT, ministry=other_ministry, title="FIN-concept")
        client.force_login(role_users["editor"])
        section = fiche.sections.first()
        assert client.get(reverse("admin:positions_fichesection_change", args=[section.pk])).status_code == 302
        assert "FIN-concept" not in client.get(reverse("admin:positions_fichesection_changelist")).content.decode()

    def test_an_editor_cannot_move_a_fiche_to_another_ministry(self, client, role_users, own_ministry, other_ministry):
        from .formdata import form_data

        fiche = make_fiche(Fiche.Status.DRAFT, ministry=own_ministry)
        client.force_login(role_users["editor"])
        url = reverse("admin:positions_fiche_change", args=[fiche.pk])
        data = form_data(client.get(url).content.decode(), "fiche_form")
        data["lead_ministry"] = [str(other_ministry.pk)]
        response = client.post(url, data)
        assert response.status_code == 200
        assert "alleen fiches van uw eigen ministerie" in response.content.decode()
        fiche.refresh_from_db()
        assert fiche.lead_ministry == own_ministry
