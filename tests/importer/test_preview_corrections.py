"""The import preview: what the editor corrects before the draft is made ends up in the draft, goes through the
import's own rules (a corrected Kamerstuk number that is another fiche's is refused, naming it), and every
section of the template is there to fill in."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from positions.models import CofinancingBudget, Commitment, Fiche, FicheSection, FicheTemplate
from tests import factories

from . import formats
from .helpers import EXAMPLE, make_reference_data

pytestmark = pytest.mark.django_db
UPLOAD = "/admin/positions/fiche/import/"
PREVIEW = UPLOAD + "controleren/"


@pytest.fixture
def editor(client, django_user_model):
    make_reference_data()
    user = django_user_model.objects.create_user("editor", password="x", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["add_fiche", "change_fiche", "view_fiche", "edit_all_fiches",
                                                                       "view_all_fiches"]))
    client.force_login(user)
    return user


def upload(client, content, name="fiche.txt"):
    response = client.post(UPLOAD, {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302, response.content.decode()[:3000]
    return client.get(PREVIEW)


def section_names(response):
    """{section heading: field name} of the preview's section fields."""
    form = response.context["form"]
    return {field.label: field.html_name for field in form.section_fields}


class PreviewCorrectionTests:
    def test_corrected_values_end_up_in_the_draft(self, client, editor):
        page = upload(client, EXAMPLE.read_bytes())
        sections = section_names(page)
        essence = next(name for label, name in sections.items() if "Essentie voorstel" in label)
        corrections = {"kamerstuk": "22 112, nr. 3999", "council_configuration": "ECOFIN", "received_on": "2024-01-25",
                       "sent_on": "2024-03-01", essence: "Door de redacteur verbeterde essentie."}
        # The new essence drops the essence's suggested commitment: the suggestions are shown again before anything is made.
        assert client.post(PREVIEW, corrections).status_code == 400 and not Fiche.objects.exists()
        response = client.post(PREVIEW, corrections)
        fiche = Fiche.objects.get()
        assert response.status_code == 302
        assert (fiche.kamerstuk, fiche.council_configuration.code, fiche.received_on, fiche.sent_on) == (
            "22112-3999", "ECOFIN", datetime.date(2024, 1, 25), datetime.date(2024, 3, 1))
        assert fiche.sections.get(key="essence").text == "Door de redacteur verbeterde essentie."
        assert fiche.status == Fiche.Status.DRAFT

    def test_every_template_section_is_offered_under_its_dutch_heading_and_created(self, client, editor):
        page = upload(client, EXAMPLE.read_bytes())
        template = FicheTemplate.objects.filter(kind="communication").order_by("-version", "-pk").first()
        expected = list(template.sections.order_by("position").values_list("key", flat=True))
        offered = page.context["form"].result.marked_sections
        assert [entry["key"] for entry in offered][:len(expected)] == expected
        body = page.content.decode()
        assert "(essence," not in body and "Essentie voorstel" in body  # Dutch headings, no internal keys
        client.post(PREVIEW, {})
        fiche = Fiche.objects.get()
        assert set(expected) <= set(fiche.sections.values_list("key", flat=True))

    def test_a_corrected_kamerstuk_of_another_fiche_is_refused_by_name_and_nothing_is_made(self, client, editor):
        other = factories.fiche(title="Het fiche van een ander", kamerstuk="22112-3001", sent_on=datetime.date(2024, 2, 1))
        upload(client, EXAMPLE.read_bytes())
        response = client.post(PREVIEW, {"kamerstuk": "22112-3001"})
        body = response.content.decode()
        assert response.status_code == 400 and "Het fiche van een ander" in body
        assert list(Fiche.objects.all()) == [other]
        assert 'value="22112-3001"' in client.get(PREVIEW).content.decode()  # the correction stays while the editor fixes it

    def test_a_kamerstuk_that_is_none_is_named_on_its_field(self, client, editor):
        upload(client, EXAMPLE.read_bytes())
        response = client.post(PREVIEW, {"kamerstuk": "nummer drie"})
        assert response.status_code == 400 and not Fiche.objects.exists()
        assert response.context["form"].errors["kamerstuk"] == [
            "'nummer drie' is geen geldig Kamerstuknummer. Gebruik de vorm 22112-3908 (dossier-nummer) of 22 112, nr. 3908."]

    def test_a_send_date_before_receipt_is_refused(self, client, editor):
        upload(client, EXAMPLE.read_bytes())
        response = client.post(PREVIEW, {"received_on": "2024-03-01", "sent_on": "2024-02-01"})
        assert response.status_code == 400 and not Fiche.objects.exists()
        assert "ligt voor de ontvangst" in response.context["form"].errors["sent_on"][0]

    def test_checking_first_shows_the_plan_for_the_corrections_without_making_anything(self, client, editor):
        factories.fiche(title="Het fiche van een ander", kamerstuk="22112-3001", sent_on=datetime.date(2024, 2, 1))
        upload(client, EXAMPLE.read_bytes())
        response = client.post(PREVIEW, {"kamerstuk": "22112-3001", "action": "check"})
        assert "Het fiche van een ander" in response.context["plan"].summary
        assert Fiche.objects.count() == 1

    def test_the_send_date_is_prefilled_from_the_batch_letter(self, client, editor):
        text = formats.to_text(formats.load("2016_batch_letter_unnumbered"))
        page = upload(client, text.encode())
        assert page.context["form"]["sent_on"].value() == "2016-11-25"
        assert 'name="sent_on" value="2016-11-25"' in page.content.decode()
        client.post(PREVIEW, {"action": "confirm"})
        assert Fiche.objects.get().sent_on == datetime.date(2016, 11, 25)


def section_field(page, key):
    """The field name and text of the preview's section ``key``."""
    entries = page.context["form"].result.marked_sections
    index = next(i for i, entry in enumerate(entries) if entry["key"] == key)
    return f"section_{index}", entries[index]["text"]


def suggested(response):
    """[(sentence, section key, ticked)] of the preview's suggested commitments."""
    return [(c["text"], c["section_key"], ticked) for _index, c, ticked in response.context["commitments"]]


def all_ticked(response):
    return {"commitment": [str(i) for i, _c, _t in response.context["commitments"]],
            "amount": [str(i) for i, _a, _t in response.context["amounts"]]}


MOVED = "Het kabinet zal aandacht blijven houden voor de verdere uitwerking van nieuwe initiatieven, waaronder het GenAI4EU initiatief."
DELETED = "Het kabinet zal de dialoog hierover met het bedrijfsleven intensiveren."
CHANGED_TEXT = "De tekst is gewijzigd; controleer de voorgestelde toezeggingen, bedragen en oordelen opnieuw en bevestig dan."


class CorrectedTextIsReadAgainTests:
    """What the parser reads from the sections (plain sections, verdicts, suggested commitments, amounts) follows
    the editor's corrected text; confirming never imports by checkbox indexes into suggestions that are gone."""

    def test_a_moved_commitment_sentence_gets_the_section_it_moved_to(self, client, editor):
        page = upload(client, EXAMPLE.read_bytes())
        assert (MOVED, "proportionality", True) in suggested(page)
        source, source_text = section_field(page, "proportionality")
        target, target_text = section_field(page, "financial")
        # The verdict sentence goes too: the proportionality verdict is then read as the parser reads a section without one.
        moved = {source: source_text.replace(MOVED, "").replace("De grondhouding ten aanzien van de proportionaliteit is positief. ", ""),
                 target: f"{target_text} {MOVED}"}
        checked = client.post(PREVIEW, {**moved, **all_ticked(page), "action": "check"})
        assert checked.status_code == 200 and not Fiche.objects.exists()
        assert (MOVED, "financial", True) in suggested(checked) and (MOVED, "proportionality", True) not in suggested(checked)
        data = checked.context["data"]
        plain = {s["key"]: s["text"] for s in data["sections"]}
        assert plain["financial"].endswith(MOVED) and MOVED not in plain["proportionality"]
        assert "[^" not in plain["position-assessment"]  # plain text, as the parser gives it
        assert data["verdicts"]["proportionality"] is None and data["verdicts"]["competence"] == "positief"
        assert checked.context["warnings"]["verdicts"] == ["Geen oordeel over proportionaliteit gevonden."]

        response = client.post(PREVIEW, {**moved, **all_ticked(checked), "action": "confirm"})
        assert response.status_code == 302
        fiche = Fiche.objects.get()
        assert Commitment.objects.get(fiche=fiche, quote=MOVED).section_key == "financial"
        assert MOVED in fiche.sections.get(key="financial").text
        assert (fiche.proportionality, fiche.proportionality_sentence) == ("", "")
        assert fiche.competence_sentence == "De grondhouding ten aanzien van de bevoegdheid van de EU is positief."

    def test_a_deleted_sentence_is_no_longer_suggested_nor_imported(self, client, editor):
        page = upload(client, EXAMPLE.read_bytes())
        assert DELETED in [text for text, _key, _ticked in suggested(page)]
        name, text = section_field(page, "position-assessment")
        corrected = {name: text.replace(DELETED, "")}
        checked = client.post(PREVIEW, {**corrected, **all_ticked(page), "action": "check"})
        offered = [text for text, _key, _ticked in suggested(checked)]
        assert DELETED not in offered and len(offered) == len(suggested(page)) - 1
        assert DELETED not in next(s["text"] for s in checked.context["data"]["sections"] if s["key"] == "position-assessment")

        client.post(PREVIEW, {**corrected, **all_ticked(checked)})
        fiche = Fiche.objects.get()
        assert sorted(fiche.commitments.values_list("quote", flat=True)) == sorted(offered)
        assert not Commitment.objects.filter(quote=DELETED).exists()

    def test_confirming_with_changed_suggestions_shows_them_again_and_makes_nothing(self, client, editor):
        page = upload(client, EXAMPLE.read_bytes())
        before = suggested(page)
        name, text = section_field(page, "position-assessment")
        corrected = {name: text.replace(DELETED, "")}
        # The editor unticks the first suggestion (the essence's) and, with the old indexes, ticks the rest.
        ticked = all_ticked(page)
        ticked["commitment"] = ticked["commitment"][1:]
        response = client.post(PREVIEW, {**corrected, **ticked, "action": "confirm"})
        assert response.status_code == 400
        assert CHANGED_TEXT in response.content.decode()
        assert (Fiche.objects.count(), FicheSection.objects.count(), Commitment.objects.count(), CofinancingBudget.objects.count()) == (0, 0, 0, 0)
        again = suggested(response)
        assert [t for t, _k, _c in again] == [t for t, _k, _c in before if t != DELETED]
        # The unticked sentence stays unticked in the new list; every other one is ticked.
        assert [c for _t, _k, c in again] == [False] + [True] * (len(again) - 1)
        assert 'name="commitment" value="0" id="commitment-0">' in response.content.decode()

        # The same text confirmed again changes nothing more: the shown indexes are the ones imported.
        shown = [str(i) for i, _c, ticked_ in response.context["commitments"] if ticked_]
        response = client.post(PREVIEW, {**corrected, "commitment": shown, "amount": ticked["amount"], "action": "confirm"})
        assert response.status_code == 302
        fiche = Fiche.objects.get()
        assert sorted(fiche.commitments.values_list("quote", flat=True)) == sorted(t for t, _k, _c in again[1:])

    def test_a_text_correction_that_leaves_the_suggestions_as_they_were_is_imported_at_once(self, client, editor):
        page = upload(client, EXAMPLE.read_bytes())
        name, text = section_field(page, "position-field")
        response = client.post(PREVIEW, {name: text + " De redacteur voegde deze zin toe.", **all_ticked(page)})
        assert response.status_code == 302
        fiche = Fiche.objects.get()
        assert fiche.sections.get(key="position-field").text.endswith("De redacteur voegde deze zin toe.")
        assert fiche.commitments.count() == len(suggested(page))

    def test_the_general_fields_are_rendered_apart_from_the_sections(self, client, editor):
        page = upload(client, EXAMPLE.read_bytes())
        form = page.context["form"]
        assert [field.name for field in form.general_fields] == ["kamerstuk", "council_configuration", "received_on", "sent_on"]
        body = page.content.decode()
        corrections = body[body.index('id="corrigeren"'):body.index('id="onderdelen"')]
        for name in ("kamerstuk", "council_configuration", "received_on", "sent_on"):
            assert f'name="{name}"' in corrections and f'for="id_{name}"' in corrections
        assert 'name="section_' not in corrections
        assert body.count('name="section_') == len(form.section_fields)


class MinistryCorrectionTests:
    def test_an_editor_of_two_ministries_corrects_the_lead_ministry_to_their_other_one(self, client, django_user_model):
        make_reference_data()
        ezk, fin = factories.ministry(), factories.ministry("fin", "FIN", "Ministerie van Financiën")
        user = django_user_model.objects.create_user("tweeling", password="x", is_staff=True)
        user.user_permissions.add(*Permission.objects.filter(codename__in=["add_fiche", "change_fiche", "view_fiche"]))
        ezk.members.add(user)
        fin.members.add(user)
        client.force_login(user)
        page = upload(client, EXAMPLE.read_bytes())
        assert f'<option value="{ezk.pk}" selected>' in page.content.decode()  # as the text names it
        checked = client.post(PREVIEW, {"ministry": str(fin.pk), "action": "check"})
        plan = checked.context["plan"]
        assert plan.lead_ministry == fin and not plan.refusal and not Fiche.objects.exists()
        assert "Eerstverantwoordelijk ministerie gecorrigeerd: de tekst noemt EZK, gekozen is FIN." in plan.notes
        client.post(PREVIEW, {"ministry": str(fin.pk)})
        assert Fiche.objects.get().lead_ministry == fin

    def test_a_ministry_outside_the_editors_own_cannot_be_chosen(self, client, django_user_model):
        make_reference_data()
        ezk = factories.ministry()
        other = factories.ministry("fin", "FIN", "Ministerie van Financiën")
        user = django_user_model.objects.create_user("eenling", password="x", is_staff=True)
        user.user_permissions.add(*Permission.objects.filter(codename__in=["add_fiche", "change_fiche", "view_fiche"]))
        ezk.members.add(user)
        client.force_login(user)
        upload(client, EXAMPLE.read_bytes())
        response = client.post(PREVIEW, {"ministry": str(other.pk)})
        assert response.status_code == 400 and not Fiche.objects.exists()
        assert "Kies het eerstverantwoordelijke ministerie uit de lijst." in response.content.decode()
