"""Invented fiches in every layout real fiches use (tests/importer/data/)."""

import pytest

from importer.parsing import parse

from .helpers import data_text, example_text


class WordExportLayoutTests:
    """Labels without numbering, with colons; several documents; a month-only date; a compound ministry."""

    @pytest.fixture(scope="class")
    @classmethod
    def data(cls):
        return parse(data_text("word_export_legislative.txt")).data

    def test_it_reads_two_documents_with_their_own_titles_and_celex(self, data):
        assert [(d["reference"], d["celex"]) for d in data["documents"]] == [("COM(2025) 80", "52025PC0080"), ("COM(2025) 81", "52025PC0081")]
        assert data["documents"][1]["title"].startswith("Voorstel voor een richtlijn")
        assert "COM" not in data["documents"][0]["title"]

    def test_it_keeps_a_month_only_date_as_year_and_month(self, data):
        assert data["received_on"] == "2022-11"
        assert any("Alleen de maand" in w for w in data["warnings"])

    def test_it_splits_lead_and_co_ministries(self, data):
        assert data["lead_ministry"] == {"abbreviation": "FIN", "raw": "Ministerie van Financiën"}
        assert [m["abbreviation"] for m in data["co_ministries"]] == ["EZK"]

    def test_it_reads_the_legislative_fields_and_template(self, data):
        assert data["template"] == "legislative"
        assert data["legal_basis"].startswith("Artikel 114")
        assert data["council_procedure"] == "Gekwalificeerde meerderheid"
        assert data["parliament_role"] == "Medebeslissing"
        assert data["council_configuration"]["code"] == "ECOFIN"
        assert data["impact_assessment"] == "SWD(2025) 40 en SEC(2025) 41"

    def test_it_finds_legislative_sections_without_numbers(self, data):
        keys = [s["key"] for s in data["sections"]]
        assert keys == ["essence-content", "essence-impact-assessment", "position-policy", "position-assessment", "position-field",
                        "competence", "subsidiarity", "proportionality", "financial-eu-budget", "financial-national",
                        "financial-business-citizens", "competitiveness", "legal", "implementation", "developing-countries"]

    def test_it_reads_mixed_verdicts(self, data):
        assert data["verdicts"] == {"competence": "positief", "subsidiarity": "positief met kanttekeningen", "proportionality": "negatief"}

    def test_it_finds_amounts_with_decimals(self, data):
        assert data["amounts"][0]["eur"] == "1500000"
        assert {"inform", "advocate"} <= {c["kind"] for c in data["commitments"]}


class BulletsAndGluedLabelsTests:
    """Bullets before labels, values glued to labels, odd reference spacing, form-feed pages with footnotes."""

    @pytest.fixture(scope="class")
    @classmethod
    def data(cls):
        return parse(data_text("bullets_glued.txt")).data

    def test_it_reads_values_glued_to_their_labels(self, data):
        assert data["received_on"] == "2023-03-14"
        assert data["documents"][0]["reference"] == "JOIN(2023) 20"
        assert data["documents"][0]["celex"] == "52023JC0020"

    def test_it_reads_a_joint_responsibility_as_lead_and_co_ministry(self, data):
        assert data["lead_ministry"]["abbreviation"] == "BZ"
        assert [m["abbreviation"] for m in data["co_ministries"]] == ["KGG"]
        assert data["council_configuration"]["code"] == "FAC"

    def test_it_takes_footnotes_out_of_paragraphs_across_pages(self, data):
        essence = data["sections"][0]["text"]
        assert essence == ("De Commissie en de Hoge Vertegenwoordiger presenteren een aanpak voor kritieke grondstoffen. De aanpak bouwt "
                           "voort op eerdere strategieën van de Unie, en op de G7-afspraken. Het pakket omvat ook een verordening die apart is beoordeeld.")
        assert [f["number"] for f in data["footnotes"]] == [1, 2, 3]
        assert data["footnotes"][0]["urls"] == ["https://ec.europa.eu/commission/presscorner/detail/nl/ip_23_1661"]
        assert data["sections"][1]["text"] == "Nederland heeft een eigen grondstoffenstrategie."

    def test_it_reads_neutral_and_not_yet_verdicts(self, data):
        assert data["verdicts"] == {"competence": "neutraal", "subsidiarity": "nog niet te beoordelen", "proportionality": "positief"}


class Layout2007Tests:
    @pytest.fixture(scope="class")
    @classmethod
    def data(cls):
        return parse(data_text("layout_2007.txt")).data

    def test_it_reads_the_colon_labels_of_2007_to_2011(self, data):
        assert data["documents"][0]["reference"] == "COM(2005) 588"
        assert data["documents"][0]["title"].startswith("Voorstel voor een richtlijn")
        assert data["received_on"] == "2005-11-23"
        assert data["impact_assessment"] == "SEC(2005) 1498"
        assert data["council_configuration"]["code"] == "TTE"
        assert data["lead_ministry"]["abbreviation"] == "VenW"
        assert data["template"] == "legislative"

    def test_it_reads_titles_with_their_text_on_the_same_line(self, data):
        sections = {s["key"]: s["text"] for s in data["sections"]}
        assert sections["financial-national"] == "De Inspectie krijgt meer werk."
        assert sections["position-assessment"].startswith("Nederland steunt het voorstel.")
        assert data["verdicts"]["proportionality"] == "positief met kanttekeningen"


class BatchLetterTests:
    @pytest.fixture(scope="class")
    @classmethod
    def data(cls):
        return parse(data_text("batch_letter_revised.txt")).data

    def test_the_fiche_printed_in_the_letter_gets_the_letters_number(self, data):
        assert data["batch_letter"] == "22112-3906"
        assert data["kamerstuk"] == "22112-3906"
        assert data["batch_position"] == 1

    def test_it_recognises_a_revised_fiche(self, data):
        assert data["revision"] is True
        assert data["heading"] == "Herzien fiche verordening luchtkwaliteit"

    def test_a_listed_fiche_after_the_letter_gets_its_own_number(self):
        text = data_text("batch_letter_revised.txt").replace("Fiche 1: Herzien fiche verordening luchtkwaliteit\n\n1. Algemene",
                                                            "Fiche 3: Mededeling over waterbeleid\n\n1. Algemene")
        data = parse(text).data
        assert (data["kamerstuk"], data["batch_letter"], data["batch_position"]) == ("22112-3908", "22112-3906", 3)

    def test_it_reads_numbered_legislative_sections_up_to_eight(self, data):
        assert [(s["key"], s["number"]) for s in data["sections"]][-4:] == [
            ("financial-eu-budget", "5a"), ("legal-national", "6a"), ("implementation", "7"), ("developing-countries", "8")]


class TruncatedFicheTests:
    def test_a_fiche_cut_off_halfway_parses_with_warnings(self):
        text = example_text()
        data = parse(text[: len(text) // 2]).data
        assert data["documents"][0]["reference"] == "COM(2024) 28"
        assert any("subsidiarity" in w for w in data["warnings"])
        assert any("Geen oordeel over subsidiariteit" in w for w in data["warnings"])


class LabelColon2009TwoDocumentsTests:
    """2009: label and value on one line that wraps, two documents, a joint responsibility, a summary block,
    label-colon headings whose title runs over two lines, and the printed Kamerstuk's page footer."""

    @pytest.fixture(scope="class")
    @classmethod
    def data(cls):
        return parse(data_text("label_colon_2009_two_documents.txt")).data

    def test_it_takes_the_kamerstuk_from_the_page_footer_and_keeps_the_footer_out_of_the_text(self, data):
        assert data["kamerstuk"] == "22112-880"
        assert data["footnotes"] == [{"number": 1, "text": "Zie Kamerstuk 21 501-31, nr. 150.", "urls": []}]
        assert all("vergaderjaar" not in s["text"] for s in data["sections"])

    def test_a_wrapped_title_of_two_documents_is_split_at_the_semicolon(self, data):
        assert [(d["reference"], d["title"]) for d in data["documents"]] == [
            ("COM(2009) 414", "Mededeling van de Commissie: Een communautair kader voor grensoverschrijdende gezondheidszorg"),
            ("COM(2009) 415", "Voorstel voor een richtlijn van het Europees Parlement en de Raad betreffende de toepassing van de "
                              "rechten van patiënten bij grensoverschrijdende gezondheidszorg"),
        ]

    def test_it_reads_every_general_field(self, data):
        assert (data["heading"], data["batch_position"], data["revision"]) == (
            "Mededeling en richtlijn over grensoverschrijdende gezondheidszorg", 3, False)
        assert data["received_on"] == "2009-07-03"
        assert data["impact_assessment"] == "SEC(2009) 969 en SEC(2009) 970"
        assert data["council_configuration"]["code"] == "EPSCO"
        assert data["lead_ministry"]["abbreviation"] == "VWS"
        assert data["co_ministries"] == [{"abbreviation": "SZW", "raw": "Sociale Zaken en Werkgelegenheid"}]
        assert (data["legal_basis"], data["council_procedure"], data["parliament_role"]) == (
            "Artikel 95 EG-Verdrag", "Gekwalificeerde meerderheid", "Medebeslissing")
        assert data["template"] == "legislative"

    def test_its_numbered_label_colon_headings_are_recognised_with_their_text_after_the_colon(self, data):
        sections = {s["key"]: s for s in data["sections"]}
        assert sections["financial-national"]["title"] == "Financiële consequenties (incl. personele) voor rijksoverheid en/ of medeoverheden"
        assert sections["financial-national"]["text"] == "De kosten worden geraamd op € 2,5 miljoen per jaar, te dekken op de begroting van VWS."
        assert sections["financial-business-citizens"]["text"] == "Zorgverzekeraars krijgen extra administratieve lasten."
        assert sections["financial-business-citizens"]["title"].endswith("voor bedrijfsleven en burger")
        assert sections["legal-national"]["text"] == "De Zorgverzekeringswet moet worden aangepast."
        assert sections["legal-evaluation"]["text"] == "De richtlijn bevat een evaluatiebepaling na vijf jaar."
        assert "Samenvatting BNC-fiche" not in [s["title"] for s in data["sections"]]
        assert [s["number"] for s in data["sections"]][-4:] == ["8", "9", "10", "11"]

    def test_it_reads_the_verdicts_and_the_amount(self, data):
        assert data["verdicts"] == {"competence": "positief", "subsidiarity": "positief", "proportionality": "positief met kanttekeningen"}
        assert data["amounts"] == [{"eur": "2500000", "text": "De kosten worden geraamd op € 2,5 miljoen per jaar, te dekken op de begroting van VWS."}]


class RevisedLegislativeFicheTests:
    """A "Herzien fiche" in the current legislative layout with Rechtsbasis / Besluitvormingsprocedure / Rol EP,
    a lettered heading over two lines, and a running page footer between a paragraph and its footnote."""

    @pytest.fixture(scope="class")
    @classmethod
    def data(cls):
        return parse(data_text("revised_legislative_with_page_footers.txt")).data

    def test_it_is_a_revision_with_the_kamerstuk_of_its_page_footer(self, data):
        assert data["revision"] is True
        assert (data["kamerstuk"], data["batch_position"]) == ("22112-3157", 2)
        assert data["warnings"] == []

    def test_its_general_data(self, data):
        assert data["documents"][0]["reference"] == "COM(2021) 281" and data["documents"][0]["celex"] == "52021PC0281"
        assert data["received_on"] == "2021-06-03"
        assert data["council_configuration"] == {"code": "TTE", "raw": "Telecomraad"}
        assert data["lead_ministry"] == {"abbreviation": "BZK", "raw": "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties"}
        assert data["co_ministries"] == [{"abbreviation": "EZK", "raw": "Ministerie van Economische Zaken en Klimaat"}]
        assert data["legal_basis"] == "Artikel 114 van het Verdrag betreffende de werking van de Europese Unie (VWEU)"
        assert (data["council_procedure"], data["parliament_role"]) == ("Gekwalificeerde meerderheid", "Medebeslissing")

    def test_every_legislative_section_in_order_with_a_two_line_heading_whole(self, data):
        assert [(s["key"], s["number"]) for s in data["sections"]] == [
            ("essence-content", "2a"), ("essence-impact-assessment", "2b"), ("position-policy", "3a"), ("position-assessment", "3b"),
            ("position-field", "3c"), ("competence", "4a"), ("subsidiarity", "4b"), ("proportionality", "4c"),
            ("financial-eu-budget", "5a"), ("financial-national", "5b"), ("financial-business-citizens", "5c"), ("competitiveness", "5d"),
            ("legal-national", "6a"), ("legal-delegated", "6b"), ("legal-evaluation", "6c"), ("implementation", "7"),
            ("developing-countries", "8"),
        ]
        legal = next(s for s in data["sections"] if s["key"] == "legal-national")
        assert legal["title"].endswith("(inclusief toepassing van voorhang en delegatie)")
        assert legal["text"] == "De Wet digitale overheid moet worden aangepast."

    def test_the_footer_between_paragraph_and_footnote_is_in_neither(self, data):
        assessment = next(s for s in data["sections"] if s["key"] == "position-assessment")["text"]
        assert assessment.endswith("Het kabinet zal uw Kamer informeren over de uitkomst van de onderhandelingen.")
        assert [f["number"] for f in data["footnotes"]] == [1]
        assert data["footnotes"][0]["urls"] == ["https://digital-strategy.ec.europa.eu/nl/library/trusted-and-secure-european-e-id-regulation"]

    def test_a_positive_grondhouding_in_adjective_form_is_a_verdict(self, data):
        assert data["verdicts"] == {"competence": "positief", "subsidiarity": "positief", "proportionality": "nog niet te beoordelen"}
        assert [c["kind"] for c in data["commitments"]] == ["advocate", "inform"]
        assert data["amounts"] == [{"eur": "30000000", "text": "De ontwikkeling van de wallet kost naar schatting EUR 30 miljoen."}]
