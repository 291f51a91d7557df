"""Every role against every action, on a fiche of the user's own ministry and of another ministry.

Revert (an earlier version of the fiche), restore (an earlier text of a section) and import (a text about the
fiche's documents, of the fiche's ministry) are tried in every status: what a role may do depends on the
fiche as it is now, and an import never overwrites a fiche past the draft stage.
"""

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from positions import workflow
from positions.models import Commitment, Fiche
from tests import factories
from tests.importer.helpers import example_text, make_reference_data

from .conftest import make_fiche
from .formdata import form_data

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
    "change content of adopted": ({"coordinator", "superuser"}, {"coordinator", "superuser"}),
    "change content of published": (set(), set()),
    "change publication data of published": ({"coordinator", "publisher", "superuser"}, {"coordinator", "publisher", "superuser"}),
    "make revision of published": ({"editor", "coordinator", "superuser"}, {"coordinator", "superuser"}),
    "import new fiche": ({"editor", "coordinator", "superuser"}, {"coordinator", "superuser"}),
    "import revision of published": ({"editor", "coordinator", "superuser"}, {"coordinator", "superuser"}),
}
# Per status: who may bring back an earlier version of the fiche, an earlier text of one of its sections, and
# who may import a text over it (updating it in place).
DRAFTERS = ({"editor", "coordinator", "superuser"}, {"coordinator", "superuser"})
COORDINATION = ({"coordinator", "superuser"}, {"coordinator", "superuser"})
NOBODY = (set(), set())
for status, allowed in ((Fiche.Status.DRAFT, DRAFTERS), (Fiche.Status.REVIEW, DRAFTERS), (Fiche.Status.ADOPTED, COORDINATION),
                        (Fiche.Status.PUBLISHED, NOBODY)):
    EXPECTED[f"revert {status}"] = allowed
    EXPECTED[f"restore section of {status}"] = allowed
    EXPECTED[f"import over {status}"] = DRAFTERS if status == Fiche.Status.DRAFT else NOBODY

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


def _post_change(client, fiche, **changes):
    """Change ``fiche`` through its form as a browser would; True when every change was stored."""
    url = reverse("admin:positions_fiche_change", args=[fiche.pk])
    data = form_data(client.get(url).content.decode(), "fiche_form")
    data.update({name: [value] for name, value in changes.items()})
    client.post(url, data)
    stored = Fiche.objects.filter(pk=fiche.pk).values(*changes).get()
    return all(str(stored[name]) == value for name, value in changes.items())


def _post_history(client, url, form_id):
    page = client.get(url)
    client.post(url, form_data(page.content.decode(), form_id) if page.status_code == 200 else {})


def _revert(client, fiche):
    earlier = fiche.history.order_by("-history_date", "-history_id").first()
    fiche.title = "Later gewijzigde titel"
    fiche.save()
    _post_history(client, reverse("admin:positions_fiche_simple_history", args=[fiche.pk, earlier.history_id]), "historicalfiche_form")
    return Fiche.objects.get(pk=fiche.pk).title == earlier.title


def _restore_section(client, fiche):
    section = fiche.sections.get(position=1)
    earlier = section.history.order_by("-history_date", "-history_id").first()
    section.text = "Later gewijzigde tekst"
    section.save()
    url = reverse("admin:positions_fichesection_simple_history", args=[section.pk, earlier.history_id])
    _post_history(client, url, "historicalfichesection_form")
    return fiche.sections.get(pk=section.pk).text == earlier.text


IMPORT_TITLE = "Mededeling stimuleren van startups en innovatie in betrouwbare AI"


def _import(client, fiche, whose, *, over=True, revision=False):
    """Upload and confirm the example text, made the fiche's ministry's; True when it did what was asked."""
    make_reference_data()
    text = example_text()
    if whose == "other":
        text = text.replace("Ministerie van Economische Zaken en Klimaat", "Ministerie van Financiën")
    if over:
        fiche.documents.set([factories.document("COM(2024) 28")])
    response = client.post("/admin/positions/fiche/import/", {"file": SimpleUploadedFile("fiche.txt", text.encode())})
    if response.status_code != 302:
        return False
    client.post("/admin/positions/fiche/import/controleren/", {"revision": "1"} if revision else {})
    if revision:
        return Fiche.objects.filter(revises=fiche, status=Fiche.Status.DRAFT).exists()
    if not over:
        return Fiche.objects.filter(title=IMPORT_TITLE).exclude(pk=fiche.pk).exists()
    return Fiche.objects.get(pk=fiche.pk).title == IMPORT_TITLE and Fiche.objects.count() == 1


def perform(action, client, user, fiche, whose):
    fiche_admin = admin.site._registry[Fiche]
    if action.startswith("revert "):
        return _revert(client, fiche)
    if action.startswith("restore section of "):
        return _restore_section(client, fiche)
    if action.startswith("import over "):
        return _import(client, fiche, whose)
    if action == "import new fiche":
        return _import(client, fiche, whose, over=False)
    if action == "import revision of published":
        return _import(client, fiche, whose, revision=True)
    if action == "change content of adopted" or action == "change content of published":
        return _post_change(client, fiche, title="Nieuwe titel")
    if action == "change publication data of published":
        return _post_change(client, fiche, sent_on="2024-03-04")
    if action == "make revision of published":
        client.post(reverse("admin:positions_fiche_revise", args=[fiche.pk]))
        return Fiche.objects.filter(revises=fiche).exists()
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
    **{action: Fiche.Status(action.rsplit(" ", 1)[1]) for action in EXPECTED
       if action.split(" ", 1)[0] in ("revert", "restore", "import") and action.rsplit(" ", 1)[1] in Fiche.Status.values},
    "change content of adopted": Fiche.Status.ADOPTED,
    "change content of published": Fiche.Status.PUBLISHED,
    "change publication data of published": Fiche.Status.PUBLISHED,
    "make revision of published": Fiche.Status.PUBLISHED,
    "import revision of published": Fiche.Status.PUBLISHED,
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
        assert perform(action, client, user, fiche, whose) is expected

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
