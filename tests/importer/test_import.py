"""Writing drafts: create, update in place, never a duplicate, never over a published fiche."""

import datetime

import pytest

from importer.parsing import parse
from importer.services import ImportRefused, import_fiche
from positions.models import CofinancingBudget, Commitment, Fiche, FicheSection, Footnote
from proposals.models import CommissionDocument

from .helpers import data_text, example_text, make_reference_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def reference_data():
    make_reference_data()


class ImportDraftTests:
    def test_it_creates_a_draft_with_everything_from_the_example(self, reference_data):
        outcome = import_fiche(result=parse(example_text()))
        fiche = Fiche.objects.get()
        assert outcome.created and fiche.status == Fiche.Status.DRAFT
        assert fiche.title == "Mededeling stimuleren van startups en innovatie in betrouwbare AI"
        assert fiche.template.kind == "communication"
        assert fiche.received_on == datetime.date(2024, 1, 24)
        assert fiche.lead_ministry.abbreviation == "EZK"
        assert fiche.council_configuration.code == "TTE"
        assert (fiche.competence, fiche.subsidiarity, fiche.proportionality) == ("positief", "positief", "positief")
        assert fiche.competence_sentence.startswith("De grondhouding ten aanzien van de bevoegdheid")
        document = fiche.documents.get()
        assert (document.reference, document.celex, document.kind) == ("COM(2024) 28", "52024DC0028", "communication")
        assert fiche.sections.count() == 9 and fiche.footnotes.count() == 17
        assert "AI-innovatiepakket.[^1] In deze" in fiche.sections.get(key="essence").text
        assert Commitment.objects.filter(fiche=fiche).count() >= 9
        budget = CofinancingBudget.objects.get(fiche=fiche)
        assert (budget.programme_code, budget.amount, budget.ministry.abbreviation) == ("DIGITAL", 75000000, "EZK")

    def test_reimporting_updates_the_same_draft_without_duplicates(self, reference_data):
        first = import_fiche(result=parse(example_text())).fiche
        section = first.sections.get(key="essence")
        section.text = "bewerkt"
        section.save()
        second = import_fiche(result=parse(example_text()))
        assert not second.created and second.fiche.pk == first.pk
        assert Fiche.objects.count() == 1 and CommissionDocument.objects.count() == 1
        assert FicheSection.objects.count() == 9 and Footnote.objects.count() == 17
        assert FicheSection.objects.get(pk=section.pk).text.startswith("Op 24 januari jl.")
        assert Commitment.objects.count() == len(parse(example_text()).data["commitments"])
        assert CofinancingBudget.objects.count() == 1

    def test_it_links_an_existing_document_instead_of_creating_one(self, reference_data):
        existing = CommissionDocument.objects.create(doc_type="COM", year=2024, number=28, title="Bestaand")
        fiche = import_fiche(result=parse(example_text())).fiche
        assert list(fiche.documents.all()) == [existing]
        existing.refresh_from_db()
        assert existing.title == "Bestaand" and existing.celex == "52024DC0028"

    def test_it_refuses_to_overwrite_a_published_fiche_and_writes_nothing(self, reference_data):
        fiche = import_fiche(result=parse(example_text())).fiche
        Fiche.objects.filter(pk=fiche.pk).update(status=Fiche.Status.PUBLISHED, kamerstuk="22112-3908", sent_on=datetime.date(2024, 3, 1))
        FicheSection.objects.filter(fiche=fiche).update(text="gepubliceerde tekst")
        with pytest.raises(ImportRefused, match="niet overschreven"):
            import_fiche(result=parse(example_text()))
        assert Fiche.objects.count() == 1
        assert set(FicheSection.objects.values_list("text", flat=True)) == {"gepubliceerde tekst"}

    def test_it_makes_a_revision_draft_next_to_a_published_fiche_when_asked(self, reference_data):
        fiche = import_fiche(result=parse(example_text())).fiche
        Fiche.objects.filter(pk=fiche.pk).update(status=Fiche.Status.PUBLISHED, kamerstuk="22112-3908", sent_on=datetime.date(2024, 3, 1))
        revision = import_fiche(result=parse(example_text()), make_revision=True).fiche
        again = import_fiche(result=parse(example_text())).fiche
        assert revision.pk != fiche.pk and again.pk == revision.pk
        assert revision.status == Fiche.Status.DRAFT and revision.revises_id == fiche.pk and revision.is_revision
        assert Fiche.objects.count() == 2

    def test_it_matches_a_fiche_by_kamerstuk_and_creates_the_batch_letter(self, reference_data):
        outcome = import_fiche(result=parse(data_text("batch_letter_revised.txt")))
        fiche = outcome.fiche
        assert fiche.kamerstuk == "22112-3906" and fiche.batch_position == 1 and fiche.is_revision
        assert fiche.batch_letter.kamerstuk == "22112-3906" and fiche.batch_letter.date == datetime.date(2024, 3, 1)
        assert fiche.council_configuration.code == "ENVI"
        assert import_fiche(result=parse(data_text("batch_letter_revised.txt"))).fiche.pk == fiche.pk

    def test_it_stores_a_month_only_date_and_co_ministries(self, reference_data):
        fiche = import_fiche(result=parse(data_text("word_export_legislative.txt"))).fiche
        assert fiche.received_on == datetime.date(2022, 11, 1) and fiche.received_month_only and fiche.deadline is None
        assert fiche.lead_ministry.abbreviation == "FIN"
        assert [m.abbreviation for m in fiche.co_ministries.all()] == ["EZK"]
        assert fiche.documents.count() == 2 and fiche.template.kind == "legislative"

    def test_only_accepted_suggestions_are_stored(self, reference_data):
        fiche = import_fiche(result=parse(example_text()), accept_commitments={1}, accept_amounts=set()).fiche
        assert list(fiche.commitments.values_list("quote", flat=True)) == ["Het kabinet zal hier aandacht voor vragen."]
        assert not fiche.cofinancing_budgets.exists()

    def test_without_a_template_it_refuses_and_writes_nothing(self, db):
        with pytest.raises(ImportRefused, match="fichesjabloon"):
            import_fiche(result=parse(example_text()))
        assert not Fiche.objects.exists() and not CommissionDocument.objects.exists()


class ImportAgainstProjectFixturesTests:
    def test_importing_the_published_example_is_refused_then_revised_with_real_reference_data(self, example):
        with pytest.raises(ImportRefused, match="niet overschreven"):
            import_fiche(result=parse(example_text()))
        revision = import_fiche(result=parse(example_text()), make_revision=True).fiche
        assert revision.revises == example and revision.status == Fiche.Status.DRAFT and revision.kamerstuk == ""
        assert revision.lead_ministry == example.lead_ministry
        assert revision.council_configuration.code == "TTE"
        assert list(revision.documents.all()) == list(example.documents.all())
        example.refresh_from_db()
        assert example.status == Fiche.Status.PUBLISHED
