"""The fixtures of `make run`: reference data and the example fiche Kamerstuk 22112-3908, entered exactly."""

import datetime
import json
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ops.management.commands import load_fixtures
from positions.models import (
    BatchLetter,
    CofinancingBudget,
    CofinancingPriority,
    Commitment,
    Fiche,
    FicheSection,
    FicheTemplate,
    Footnote,
    TemplateSection,
)
from proposals.models import (
    CommissionDocument,
    CouncilConfiguration,
    CouncilConfigurationAlias,
    CouncilMeeting,
    DocumentRelation,
    Ministry,
    MinistryAlias,
)

ALL_MODELS = [
    Ministry, MinistryAlias, CouncilConfiguration, CouncilConfigurationAlias, CouncilMeeting, FicheTemplate, TemplateSection,
    CommissionDocument, DocumentRelation, BatchLetter, Fiche, FicheSection, Footnote, Commitment, CofinancingBudget,
    CofinancingPriority,
]
MARKER = re.compile(r"\[\^(\d+)\]")


def snapshot():
    """Every row of every fixture model, with its many-to-many links, as plain values."""
    rows = {model.__name__: list(model.objects.order_by("pk").values()) for model in ALL_MODELS}
    rows["fiche documents"] = list(Fiche.documents.through.objects.order_by("pk").values())
    rows["fiche co-ministries"] = list(Fiche.co_ministries.through.objects.order_by("pk").values())
    return rows


def without_markers(text):
    return MARKER.sub("", text)


@pytest.mark.django_db
class LoadFixturesCommandTests:
    def test_it_loads_every_file_on_a_fresh_database_and_reports_what_it_loaded(self):
        out = StringIO()
        call_command("load_fixtures", stdout=out)
        report = out.getvalue()
        assert "reference.json: 197 objects" in report
        assert "example_fiche.json: 48 objects" in report
        assert "48 new" in report
        assert Fiche.objects.filter(kamerstuk="22112-3908").exists()

    def test_loading_twice_changes_no_row_count_and_no_content(self):
        call_command("load_fixtures", verbosity=0)
        before = snapshot()
        out = StringIO()
        call_command("load_fixtures", stdout=out)
        assert snapshot() == before
        assert {len(rows) for rows in before.values()} != {0}
        assert re.findall(r"; (\d+) new\.", out.getvalue()) == ["0", "0", "0", "0"]

    def test_a_missing_fixture_file_is_a_clear_error(self, monkeypatch, tmp_path):
        monkeypatch.setattr(load_fixtures, "FIXTURE_DIR", tmp_path)
        with pytest.raises(CommandError, match=r"Fixture file\(s\) not found: .*reference\.json"):
            call_command("load_fixtures", verbosity=0)

    def test_a_fixture_that_cannot_load_rolls_back_everything_before_it(self, monkeypatch, tmp_path):
        for name in ("reference.json", "templates.json"):
            (tmp_path / name).write_text((load_fixtures.FIXTURE_DIR / name).read_text(encoding="utf-8"), encoding="utf-8")
        broken = [{"model": "positions.batchletter", "fields": {"kamerstuk": "22112-1", "date": "not a date"}}]
        (tmp_path / "broken.json").write_text(json.dumps(broken), encoding="utf-8")
        monkeypatch.setattr(load_fixtures, "FIXTURE_DIR", tmp_path)
        monkeypatch.setattr(load_fixtures, "FIXTURES", ["reference.json", "templates.json", "broken.json"])
        with pytest.raises(CommandError, match=r"Loading broken\.json failed, nothing was loaded"):
            call_command("load_fixtures", verbosity=0)
        assert Ministry.objects.count() == 0
        assert FicheTemplate.objects.count() == 0


class ReferenceDataTests:
    def test_every_current_ministry_exists_and_is_current(self, example):
        current = {"az", "aenm", "bzk", "bz", "def", "ez", "fin", "ienw", "jenv", "kgg", "lvvn", "ocw", "szw", "vws", "vro"}
        assert set(Ministry.objects.current(on=datetime.date(2026, 11, 26)).values_list("code", flat=True)) == current

    def test_historic_ministries_have_their_period_and_successor(self, example):
        ezk = Ministry.objects.get(code="ezk")
        assert (ezk.abbreviation, ezk.valid_from, ezk.valid_until, ezk.successor.code) == (
            "EZK", datetime.date(2017, 10, 26), datetime.date(2024, 7, 2), "ez")
        ez_2012 = Ministry.objects.get(code="ez-2012")
        assert (ez_2012.abbreviation, ez_2012.valid_from, ez_2012.valid_until, ez_2012.successor) == (
            "EZ", datetime.date(2012, 11, 5), datetime.date(2017, 10, 26), ezk)
        assert Ministry.objects.get(code="eli").successor == ez_2012
        assert Ministry.objects.get(code="lnv").successor.code == "lvvn"
        assert Ministry.objects.get(code="vrom").valid_until == datetime.date(2010, 10, 14)
        assert Ministry.objects.get(code="venw").successor.code == "ienm"
        for code in ("ienm", "venj"):
            assert Ministry.objects.get(code=code).valid_until == datetime.date(2017, 10, 26)

    def test_the_ministry_a_fiche_names_is_found_in_its_own_era(self, example):
        on = datetime.date(2024, 3, 1)
        assert Ministry.objects.by_name("Ministerie van Economische Zaken en Klimaat").current(on=on).get().code == "ezk"
        assert Ministry.objects.by_name("EZK").get().code == "ezk"
        assert Ministry.objects.by_name("Ministerie van Economische Zaken").current(on=on).count() == 0
        assert Ministry.objects.by_name("Ministerie van Economische Zaken").current(on=datetime.date(2015, 6, 1)).get().code == "ez-2012"
        assert Ministry.objects.by_name("ELenI").get().code == "eli"
        assert Ministry.objects.by_name("I&W").get().code == "ienw"
        assert Ministry.objects.by_name("financiën").get().code == "fin"

    def test_all_ten_council_configurations_exist_with_dutch_and_english_names(self, example):
        assert set(CouncilConfiguration.objects.values_list("code", flat=True)) == {
            "GAC", "FAC", "ECOFIN", "JHA", "EPSCO", "COMPET", "TTE", "AGRIFISH", "ENVI", "EYCS"}
        tte = CouncilConfiguration.objects.get(code="TTE")
        assert (tte.name, tte.name_en) == ("Raad Vervoer, Telecommunicatie en Energie", "Transport, Telecommunications and Energy Council")

    @pytest.mark.parametrize("name, code", [
        ("Telecomraad", "TTE"), ("Raad Vervoer, Telecommunicatie en Energie (Telecom)", "TTE"), ("Energieraad", "TTE"),
        ("Ecofin", "ECOFIN"), ("Milieuraad", "ENVI"), ("Landbouw- en Visserijraad", "AGRIFISH"), ("RAZ", "GAC"),
        ("JBZ-Raad", "JHA"), ("Concurrentievermogenraad", "COMPET"), ("Raad Concurrentievermogen", "COMPET"),
    ])
    def test_council_configurations_are_found_by_the_names_fiches_use(self, example, name, code):
        assert CouncilConfiguration.objects.by_name(name).get().code == code

    def test_the_templates_hold_their_sections_in_order(self, example):
        communication = FicheTemplate.objects.get(key="communication-2024")
        assert list(communication.sections.values_list("number", "key")) == [
            ("2", "essence"), ("3a", "position-policy"), ("3b", "position-assessment"), ("3c", "position-field"),
            ("4a", "competence"), ("4b", "subsidiarity"), ("4c", "proportionality"), ("4d", "financial"),
            ("4e", "regulatory-burden"),
        ]
        legislative = FicheTemplate.objects.get(key="legislative-2024")
        keys = list(legislative.sections.values_list("key", flat=True))
        assert keys[:2] == ["essence-content", "essence-impact-assessment"]
        assert keys[-2:] == ["implementation", "developing-countries"]
        assert {"financial-eu-budget", "financial-national", "financial-business-citizens", "competitiveness", "legal-national"} <= set(keys)

    def test_the_formal_telecom_council_of_21_may_2024_is_a_meeting(self, example):
        meeting = CouncilMeeting.objects.get(configuration__code="TTE", date=datetime.date(2024, 5, 21))
        assert meeting.is_formal
        assert CouncilMeeting.objects.upcoming(on=datetime.date(2026, 11, 26)).filter(configuration__code="TTE").exists()


class ExampleFicheTests:
    def test_it_assesses_com_2024_28_and_knows_the_rest_of_the_package(self, example):
        document = example.documents.get()
        assert (document.reference, document.celex, document.kind) == ("COM(2024) 28", "52024DC0028", "communication")
        assert document.adopted_on == document.received_on == datetime.date(2024, 1, 24)
        assert document.title == example.proposal_title
        assert document.eurlex_url == "https://eur-lex.europa.eu/legal-content/NL/TXT/?uri=CELEX:52024DC0028"
        related = {(r.target.reference, r.kind) for r in document.relations_from.select_related("target")}
        assert related == {("COM(2024) 29", "same_package"), ("C(2024) 390", "same_package")}
        euro_hpc = CommissionDocument.objects.by_reference("COM (2024) 29").get()
        assert (euro_hpc.celex, euro_hpc.procedure, euro_hpc.kind) == ("52024PC0029", "2024/0016(CNS)", "regulation")
        ai_office = CommissionDocument.objects.by_reference("C(2024) 390").get()
        assert (ai_office.celex, ai_office.kind, ai_office.title) == (
            "", "decision", "Commission Decision establishing the European Artificial Intelligence Office")
        assert set(CommissionDocument.objects.published().values_list("number", flat=True)) == {28, 29, 390}

    def test_its_general_data_are_those_of_the_printed_fiche(self, example):
        assert example.natural_id == example.kamerstuk == "22112-3908"
        assert example.title == "Mededeling stimuleren van startups en innovatie in betrouwbare AI"
        assert example.proposal_title == (
            "Mededeling van de Commissie aan het Europees Parlement, de Raad, het Europees Economisch en Sociaal Comité en het "
            "Comité van de Regio’s over het stimuleren van start-ups en innovatie op het gebied van betrouwbare artificiële "
            "intelligentie.")
        assert (example.batch_letter.kamerstuk, example.batch_letter.date, example.batch_position) == (
            "22112-3906", datetime.date(2024, 3, 1), 4)
        assert example.template.key == "communication-2024"
        assert example.received_on == datetime.date(2024, 1, 24) and not example.received_month_only
        assert example.impact_assessment == "N.v.t."
        assert example.council_configuration.code == "TTE"
        assert example.council_configuration_raw == "Raad Vervoer, Telecommunicatie en Energie (Telecom)"
        assert example.lead_ministry.code == "ezk"
        assert example.lead_ministry_raw == "Ministerie van Economische Zaken en Klimaat"
        assert not example.co_ministries.exists()
        assert (example.status, example.sent_on) == (Fiche.Status.PUBLISHED, datetime.date(2024, 3, 1))
        assert Fiche.objects.published().filter(pk=example.pk).exists()
        assert example.sent_on_time

    def test_its_three_verdicts_are_positive_with_the_sentence_they_came_from(self, example):
        assert [(value, sentence) for _label, value, _display, sentence in example.verdicts] == [
            ("positief", "De grondhouding ten aanzien van de bevoegdheid van de EU is positief."),
            ("positief", "De grondhouding ten opzichte van de subsidiariteit van de mededeling is positief."),
            ("positief", "De grondhouding ten aanzien van de proportionaliteit is positief."),
        ]
        sections = {s.key: s.text for s in example.sections.all()}
        for key, (_label, _value, _display, sentence) in zip(["competence", "subsidiarity", "proportionality"], example.verdicts, strict=True):
            assert sections[key].startswith(sentence)

    def test_it_has_seventeen_footnotes_with_their_exact_text(self, example):
        footnotes = {f.number: f for f in example.footnotes.all()}
        assert sorted(footnotes) == list(range(1, 18))
        assert footnotes[1].text == "Commission launches AI innovation package (europa.eu)"
        assert footnotes[1].urls == ["https://ec.europa.eu/commission/presscorner/detail/en/ip_24_383"]
        assert footnotes[2].text == "Commission Decision establishing the European Artificial Intelligence Office C(2024) 390, 24 januari 2024."
        assert footnotes[8].text == (
            "Zie voor een uitgebreide appreciatie het BNC-fiche over het voorstel voor een wijziging van de EuroHPC-verordening "
            "dat gelijktijdig aan uw Kamer is gezonden.")
        assert footnotes[10].text == (
            "Strategisch Actieplan voor Artificiële intelligentie, Kamerstukken 2019–2020, 26 643 en 32 761, nr. 640 Zie voor de "
            "samenhang van SAPAI met andere beleidsstukken tot oktober 2023, de bijlage ‘Samenhang Strategisch Actieplan voor AI "
            "met andere beleidsstukken’ bij de Kamerbrief over voortgangsrapportage Strategie Digitale Economie, Kamerstuk 2023, "
            "26 643, nr. 1082.")
        assert footnotes[16].text == "Overheidsbrede visie Generatieve AI, Kamerstuk 2024, 26 643, nr. 1125"
        assert footnotes[17].text == "Strategie Digitale Economie, Kamerstuk 2022, 26 643, nr. 941"
        assert all(f.urls == [] for number, f in footnotes.items() if number != 1)

    def test_its_sections_follow_the_template_with_every_paragraph_whole(self, example):
        sections = list(example.sections.all())
        assert [(s.key, s.number, s.title) for s in sections] == [
            (t.key, t.number, t.title) for t in example.template.sections.all()]
        assert [s.position for s in sections] == list(range(1, 10))
        essence = sections[0].text
        assert "voor de formele Telecomraad. Over het voorstel omtrent het EuroHPC-initiatief" in essence
        assert "als onderdeel van een breder AI-innovatiepakket.[^1] In deze mededeling" in essence
        assert "tot oprichting van de AI Office[^2], en een voorstel" in essence
        assert "general purpose AI-modellen. Het toepassen" in essence
        assessment = {s.key: s.text for s in sections}["position-assessment"]
        assert "Het als eerst kunnen beschikken over dergelijke AI-modellen, en de toepassingen" in assessment
        assert "Frankrijk host de wettelijke zetel, 14 lidstaten nemen als volwaardig lid deel en 7 lidstaten nemen als waarnemend lid deel. Nederland neemt deel" in assessment
        assert len(essence.split("\n\n")) == 7
        assert len(assessment.split("\n\n")) == 9

    def test_no_footnote_line_is_left_in_a_section_and_every_marker_is_there_once(self, example):
        texts = [s.text for s in example.sections.all()]
        whole = "\n\n".join(texts)
        for footnote in example.footnotes.all():
            assert footnote.text not in whole
            assert f"{footnote.number} {footnote.text[:30]}" not in whole
        assert "Kamerstuk 20" not in whole and "Commission Decision" not in whole
        assert "http" not in whole and "(europa.eu)" not in whole
        for text in texts:
            assert "\n" not in text.replace("\n\n", "")
            assert text == text.strip() and "  " not in text
            assert not re.search(r"(^|\n)\d+ [A-Z]", text)
        assert [int(n) for n in MARKER.findall(whole)] == list(range(1, 18))

    def test_it_holds_its_nine_commitments_in_document_order(self, example):
        commitments = list(example.commitments.all())
        assert [(c.position, c.section_key, c.kind) for c in commitments] == [
            (1, "essence", "inform"),
            (2, "position-assessment", "raise"),
            (3, "position-assessment", "advocate"),
            (4, "position-assessment", "cofinancing"),
            (5, "position-assessment", "advocate"),
            (6, "position-assessment", "advocate"),
            (7, "position-assessment", "raise"),
            (8, "position-assessment", "dialogue"),
            (9, "proportionality", "monitor"),
        ]
        sections = {s.key: without_markers(s.text) for s in example.sections.all()}
        for commitment in commitments:
            assert commitment.quote in sections[commitment.section_key]
            assert commitment.summary and commitment.responsible_ministry.code == "ezk"
        assert [c.quote for c in commitments].count("Het kabinet zal zich ervoor inzetten dat dit behouden blijft.") == 2
        assert [c.status for c in commitments[1:]] == [Commitment.Status.OPEN] * 8

    def test_the_ai_office_commitment_was_fulfilled_by_another_route(self, example):
        ai_office = example.commitments.get(position=1)
        assert ai_office.quote == (
            "Een inhoudelijke beoordeling van het takenpakket van de AI Office wordt meegenomen in de eerstvolgende "
            "geannoteerde agenda voor de formele Telecomraad.")
        assert (ai_office.due_event, ai_office.due_configuration.code) == (Commitment.DueEvent.ANNOTATED_AGENDA, "TTE")
        assert ai_office.due_meeting.date == datetime.date(2024, 5, 21)
        assert ai_office.status == Commitment.Status.FULFILLED
        assert (ai_office.evidence_reference, ai_office.evidence_date) == ("Kamerstuk 22 112, nr. 3942", datetime.date(2024, 5, 8))
        assert "schriftelijk overleg" in ai_office.evidence_note and "geannoteerde agenda" in ai_office.evidence_note
        assert ai_office in Commitment.objects.published()

    def test_it_announces_eur_75_million_of_digital_cofinancing_with_four_priorities(self, example):
        budget = example.cofinancing_budgets.get()
        assert (budget.programme, budget.programme_code, budget.ministry.code) == ("Digital Europe (DIGITAL)", "DIGITAL", "ezk")
        assert budget.amount == Decimal("75000000.00")
        assert (budget.eu_rate_min, budget.eu_rate_max) == (Decimal("50"), Decimal("75"))
        assert "EUR 75 miljoen begroot" in budget.quote and budget.quote in without_markers(example.sections.get(key="position-assessment").text)
        assert "gespecialiseerde onderwijsprogramma" in budget.description
        assert list(budget.priorities.values_list("position", "topic", "amount")) == [
            (1, "Dataruimten voor energie", None),
            (2, "Dataruimten voor de maakindustrie", None),
            (3, "Een Europees open-source foundation model", None),
            (4, "ALT-EDIC (Alliantie voor taaltechnologieën)", None),
        ]
        assert budget.remaining_amount == Decimal("75000000.00")

    def test_the_published_example_is_visible_on_its_page(self, example, client):
        response = client.get("/fiches/22112-3908/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "Mededeling stimuleren van startups en innovatie in betrouwbare AI" in html
        assert "COM(2024) 28" in html and "CELEX:52024DC0028" in html
        assert "Raad Vervoer, Telecommunicatie en Energie" in html
        assert "Ministerie van Economische Zaken en Klimaat" in html
        assert 'href="#voetnoot-17"' in html and 'id="voetnoot-17"' in html
        assert "[^" not in html
        assert "Kamerstuk 22 112, nr. 3942" in html
        assert "Dataruimten voor de maakindustrie" in html
