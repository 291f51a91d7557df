"""An import never overwrites another fiche: it updates a fiche only when Kamerstuk number and documents agree,
refuses a collision naming the fiche (or, when the user may not see it, nothing of it), and says beforehand
what it would do."""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile

from importer.parsing import parse
from importer.services import ImportRefused, import_fiche, plan_import
from positions.models import Commitment, Fiche, FicheSection
from tests import factories

from .helpers import example_text, make_reference_data

pytestmark = pytest.mark.django_db
UPLOAD = "/admin/positions/fiche/import/"
PREVIEW = UPLOAD + "controleren/"
EXAMPLE_TITLE = "Mededeling stimuleren van startups en innovatie in betrouwbare AI"


@pytest.fixture
def reference_data():
    make_reference_data()
    return factories.reference_rows()


def example(kamerstuk=None):
    result = parse(example_text())
    if kamerstuk:
        result.data["kamerstuk"] = kamerstuk
    return result


def staff(username, role, ministry):
    user = User.objects.create_user(username, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    ministry.members.add(user)
    return user


def other_draft(ministry, *, kamerstuk="", reference="COM(2022) 677", title="Concept over verpakkingen"):
    """A draft of another fiche, with a section and a commitment of its own."""
    fiche = factories.fiche(status=Fiche.Status.DRAFT, title=title, kamerstuk=kamerstuk, lead_ministry=ministry,
                            documents=[factories.document(reference)], sections=[("essence", "2", "Essentie voorstel", "Eigen tekst.")])
    factories.commitment(fiche, quote="Het kabinet zal zich inzetten voor minder verpakkingen.")
    return fiche


def snapshot(fiche):
    fiche = Fiche.objects.get(pk=fiche.pk)
    return (fiche.title, fiche.kamerstuk, fiche.lead_ministry_id, fiche.template_id, sorted(fiche.documents.values_list("pk", flat=True)),
            list(fiche.sections.values_list("key", "text")), list(fiche.commitments.values_list("quote", flat=True)))


class KamerstukAndDocumentsTests:
    def test_a_misread_kamerstuk_number_of_another_draft_is_refused_naming_that_fiche(self, reference_data):
        theirs = other_draft(reference_data["fin"], kamerstuk="22112-3950")
        before = snapshot(theirs)

        with pytest.raises(ImportRefused) as refused:
            import_fiche(result=example("22112-3950"))

        message = str(refused.value)
        assert "22112-3950" in message and "Concept over verpakkingen" in message and "COM(2022) 677" in message
        assert "controleer het Kamerstuknummer" in message
        assert snapshot(theirs) == before
        assert Fiche.objects.count() == 1 and Commitment.objects.count() == 1

    def test_the_documents_of_a_draft_with_another_kamerstuk_number_are_refused(self, reference_data):
        ours = import_fiche(result=example("22112-3949")).fiche
        before = snapshot(ours)
        with pytest.raises(ImportRefused, match="met Kamerstuknummer 22112-3949, maar de tekst noemt 22112-3950"):
            import_fiche(result=example("22112-3950"))
        assert snapshot(ours) == before and Fiche.objects.count() == 1

    def test_a_kamerstuk_number_that_another_fiche_already_has_is_refused(self, reference_data):
        factories.fiche(title="Gepubliceerd ander fiche", kamerstuk="22112-3950")
        with pytest.raises(ImportRefused, match="hoort bij fiche 'Gepubliceerd ander fiche'"):
            import_fiche(result=example("22112-3950"))
        assert not Fiche.objects.filter(title=EXAMPLE_TITLE).exists()

    def test_when_kamerstuk_number_and_documents_agree_the_draft_is_updated_in_place(self, reference_data):
        first = import_fiche(result=example("22112-3950")).fiche
        FicheSection.objects.filter(fiche=first, key="essence").update(text="bewerkt")
        again = import_fiche(result=example("22112-3950"))
        assert not again.created and again.fiche.pk == first.pk and Fiche.objects.count() == 1
        assert first.sections.get(key="essence").text != "bewerkt"

    def test_a_draft_without_a_number_gets_the_number_from_the_text(self, reference_data):
        first = import_fiche(result=example()).fiche
        again = import_fiche(result=example("22112-3950")).fiche
        assert again.pk == first.pk and again.kamerstuk == "22112-3950"


class ImportPlanTests:
    def test_the_plan_says_create_then_which_fields_an_update_changes(self, reference_data):
        assert plan_import(result=example()).summary == "Zou een nieuw concept aanmaken."
        fiche = import_fiche(result=example()).fiche
        assert plan_import(result=example()).summary == f"Zou fiche '{fiche}' (zonder Kamerstuknummer) bijwerken; er verandert niets."
        Fiche.objects.filter(pk=fiche.pk).update(title="Eigen titel", legal_basis="Artikel 173 VWEU")
        FicheSection.objects.filter(fiche=fiche, key="essence").update(text="bewerkt")
        plan = plan_import(result=example())
        assert plan.fiche == Fiche.objects.get(pk=fiche.pk)
        assert plan.summary == "Zou fiche 'Eigen titel' (zonder Kamerstuknummer) bijwerken (velden: titel fiche, rechtsbasis, onderdelen)."

    def test_the_plan_of_a_collision_is_a_refusal_and_nothing_is_written(self, reference_data):
        other_draft(reference_data["fin"], kamerstuk="22112-3950")
        plan = plan_import(result=example("22112-3950"))
        assert plan.summary.startswith("Zou weigeren: Het Kamerstuknummer 22112-3950 in de tekst hoort bij fiche 'Concept over verpakkingen'")
        assert plan.fiche is None and Fiche.objects.count() == 1


class VisibilityTests:
    def test_the_preview_does_not_name_another_ministrys_draft_and_confirming_is_refused(self, client, reference_data):
        secret = other_draft(reference_data["fin"], reference="COM(2024) 28", title="Geheim FIN-concept")
        before = snapshot(secret)
        client.force_login(staff("redacteur", "editor", reference_data["ezk"]))
        assert client.post(UPLOAD, {"file": SimpleUploadedFile("fiche.txt", example_text().encode())}).status_code == 302

        page = client.get(PREVIEW).content.decode()
        assert "Geheim FIN-concept" not in page and "COM(2022)" not in page
        assert "botst met een fiche dat u niet kunt inzien" in page

        response = client.post(PREVIEW, {}, follow=True)
        assert "botst met een fiche dat u niet kunt inzien" in response.content.decode()
        assert "Geheim FIN-concept" not in response.content.decode()
        assert snapshot(secret) == before and Fiche.objects.count() == 1

    def test_an_invisible_fiche_with_the_same_kamerstuk_number_is_not_named(self, reference_data):
        other_draft(reference_data["fin"], kamerstuk="22112-3950", title="Geheim FIN-concept")
        editor = staff("redacteur", "editor", reference_data["ezk"])
        with pytest.raises(ImportRefused) as refused:
            import_fiche(result=example("22112-3950"), user=editor)
        assert "Geheim" not in str(refused.value) and "COM(2022) 677" not in str(refused.value)
        assert "niet kunt inzien" in str(refused.value)

    def test_a_coordinator_who_sees_every_fiche_is_told_which_fiche_it_is(self, client, reference_data):
        other_draft(reference_data["fin"], reference="COM(2024) 28", title="FIN-concept")
        client.force_login(staff("coordinator", "coordinator", reference_data["ezk"]))
        client.post(UPLOAD, {"file": SimpleUploadedFile("fiche.txt", example_text().encode())})
        page = client.get(PREVIEW).content.decode()
        assert "Zou fiche &#x27;FIN-concept&#x27; (zonder Kamerstuknummer) bijwerken (velden:" in page

    def test_a_published_fiche_of_another_ministry_is_named_and_offers_a_revision(self, client, reference_data):
        factories.fiche(title="Gepubliceerd FIN-fiche", lead_ministry=reference_data["fin"], documents=[factories.document("COM(2024) 28")],
                        sent_on=datetime.date(2024, 3, 1))
        client.force_login(staff("redacteur", "editor", reference_data["ezk"]))
        client.post(UPLOAD, {"file": SimpleUploadedFile("fiche.txt", example_text().encode())})
        page = client.get(PREVIEW).content.decode()
        assert "Gepubliceerd FIN-fiche" in page and 'name="revision"' in page
