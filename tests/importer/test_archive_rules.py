"""The rules for reading archive fiches right (issue 12): the Kamerstuk number of a batch letter's own fiche, CELEX
numbers read from encoded links or derived per document, PDF clean-up, and the official HTML and XML formats."""

import io

import pypdf
import pytest

from importer.parsing import Budget, BudgetExceeded, FicheParseError, parse, parse_bytes, readers
from importer.parsing.general import derive_celex

from . import formats
from .helpers import data_text


def corpus(name, kind="txt"):
    return parse_bytes(formats.FORMATS[kind](formats.load(name)), formats.FILENAMES[kind]).data


def derived(data):
    return [w for w in data["warnings"] if "afgeleid" in w]


# 1. The Kamerstuk number -------------------------------------------------------------------------------


class KamerstukNumberTests:
    def test_the_fiche_printed_in_the_letter_is_the_one_listed_without_a_number_and_has_the_documents_number(self):
        # Listed as "Fiche 4" without a number, printed under "Fiche: ..." (no position): the first "Kamerstuk ..., nr."
        # in the letter (34 610, nr. 2, a neighbour) was taken before.
        data = corpus("2016_batch_letter_unnumbered")
        assert (data["kamerstuk"], data["batch_letter"], data["batch_position"]) == ("22112-2250", "22112-2250", 4)
        assert not [w for w in data["warnings"] if "Kamerstuk" in w]

    def test_a_heading_whose_position_belongs_to_a_numbered_neighbour_still_gets_the_documents_number(self):
        text = formats.to_text(formats.load("2016_batch_letter_unnumbered")).replace(
            "Fiche: Verordening EU-certificeringssysteem", "Fiche 2: Verordening EU-certificeringssysteem")
        data = parse(text).data
        assert (data["kamerstuk"], data["batch_position"]) == ("22112-2250", 4)
        assert any("De kop noemt fiche 2, de lijst van de verzamelbrief fiche 4" in w for w in data["warnings"])

    def test_a_letter_whose_list_cannot_tell_takes_the_documents_number_with_a_warning(self):
        text = formats.to_text(formats.load("2016_batch_letter_unnumbered")).replace(
            "Fiche 1: Richtlijn over herstructurering en insolventie (Kamerstuk 34 610, nr. 2)", "Fiche 1: Richtlijn over herstructurering")
        data = parse(text.replace("Fiche: Verordening EU-certificeringssysteem", "Fiche: Een andere titel")).data
        assert data["kamerstuk"] == "22112-2250"
        assert any("niet eenduidig te vinden" in w for w in data["warnings"])

    def test_the_running_header_of_the_official_pdf_gives_the_number_when_the_text_has_no_dossier_heading(self):
        body = data_text("revised_legislative_with_page_footers.txt").replace("Tweede Kamer, vergaderjaar 2020–2021, 22 112, nr. 3157 4\n", "")
        head, rest = body.split("2. Essentie voorstel", 1)
        text = f"{head}\f22 112, nr. 3160\n\n2. Essentie voorstel{rest}"
        data = parse(text).data
        assert data["kamerstuk"] == "22112-3160"
        assert all("nr. 3160" not in s["text"] for s in data["sections"])

    def test_a_short_running_header_inside_a_sentence_is_text_not_furniture(self):
        text = data_text("batch_letter_revised.txt").replace(
            "De Commissie wil strengere normen voor fijnstof.", "De Commissie verwijst naar\n22 112, nr. 3200\nvoor de normen.")
        essence = next(s["text"] for s in parse(text).data["sections"] if s["key"] == "essence-content")
        assert essence == "De Commissie verwijst naar 22 112, nr. 3200 voor de normen."


# 2. CELEX ----------------------------------------------------------------------------------------------


class CelexTests:
    def test_a_url_encoded_eurlex_link_is_read(self):
        data = corpus("2016_batch_letter_unnumbered")
        assert data["documents"][0]["celex"] == "52016PC0491" and derived(data) == []

    def test_a_twice_encoded_link_is_read_too(self):
        text = formats.to_text(formats.load("2016_batch_letter_unnumbered")).replace("CELEX%3A52016PC0491", "CELEX%253A52016PC0491")
        data = parse(text).data
        assert data["documents"][0]["celex"] == "52016PC0491" and derived(data) == []

    def test_it_is_derived_per_document_a_communication_dc_and_a_proposal_pc_with_a_warning_each(self):
        data = corpus("2013_legislative_two_documents")
        assert [(d["reference"], d["celex"]) for d in data["documents"]] == [("COM(2013) 295", "52013DC0295"), ("COM(2013) 296", "52013PC0296")]
        assert [w.split(" staat")[0] for w in derived(data)] == ["Het CELEX-nummer 52013DC0295 van COM(2013) 295",
                                                                 "Het CELEX-nummer 52013PC0296 van COM(2013) 296"]
        assert "geen voorstel voor een rechtshandeling" in derived(data)[0] and "een voorstel voor een rechtshandeling" in derived(data)[1]

    def test_a_joint_communication_gets_jc(self):
        data = corpus("2020_join_communication")
        assert data["documents"][0]["celex"] == "52020JC0004" and len(derived(data)) == 1

    @pytest.mark.parametrize(("reference", "title", "template", "celex"), [
        ("COM(2021) 205", "Mededeling van de Commissie over Europees burgerschap", "legislative", "52021DC0205"),
        ("COM(2021) 206", "Voorstel voor een verordening van het Europees Parlement en de Raad", "communication", "52021PC0206"),
        ("COM(2021) 207", "Voorstel voor een aanbeveling van de Raad over jeugdwerk", "legislative", "52021DC0207"),
        ("COM(2021) 208", "Verslag van de Commissie over de mededinging", "legislative", "52021DC0208"),
        ("COM(2021) 209", "Voorstel tot wijziging van Verordening (EU) 2021/1173", "communication", "52021PC0209"),
        ("COM(2021) 12", "", "legislative", "52021PC0012"),
        ("COM(2021) 12", "", "communication", "52021DC0012"),
        ("JOIN(2023) 20", "Gezamenlijke mededeling", "communication", "52023JC0020"),
        ("SWD(2022) 384", "Werkdocument", "legislative", "52022SC0384"),
        ("SEC(2009) 969", "", "legislative", "52009SC0969"),
    ])
    def test_the_descriptor_follows_the_document(self, reference, title, template, celex):
        assert derive_celex(reference, title, template)[0] == celex

    def test_a_commission_decision_gets_no_derived_number_and_a_warning(self):
        text = data_text("batch_letter_revised.txt").replace("COM(2022) 542", "C(2022) 542").replace(
            "https://eur-lex.europa.eu/legal-content/NL/TXT/?uri=CELEX:52022PC0542", "Nog niet beschikbaar")
        data = parse(text).data
        assert data["documents"][0] == {**data["documents"][0], "reference": "C(2022) 542", "celex": None}
        assert any("Geen CELEX-nummer gevonden dat bij C(2022) 542 past" in w for w in data["warnings"])


# 3. PDF clean-up ---------------------------------------------------------------------------------------

PAGED = (
    "Fiche 2: Mededeling over kritieke technologieën\n\n1. Algemene gegevens\n\na) Titel voorstel\n\nMededeling over kritieke "
    "technologieën voor de economische veiligheid van de Unie\n\nb) Datum ontvangst Commissiedocument\n\n3 oktober 2023\n\nc) Nr. "
    "Commissiedocument\n\nCOM(2023) 620\n\nd) EUR-Lex\n\nhttps://eur-lex.europa.eu/legal-content/NL/TXT/?uri=CELEX:52023DC0620\n\ne) Nr. "
    "impact assessment Commissie en Opinie Raad voor Regelgevingstoetsing\n\nSWD(2022) 384.\n2\f"
    "f) Behandelingstraject Raad\n\nRaad voor Concurrentievermogen\n3\f"
    "g) Eerstverantwoordelijk ministerie\n\nMinisterie van Economische Zaken en Klimaat\n\n2. Essentie voorstel\n\nDe Commissie wijst "
    "tien technologiegebieden aan, waaronder artificiële intelligentie (AI)1 en halfgeleiders.2 Zij wil met de lidstaten de risico's "
    "beoordelen.\n\n3. Nederlandse positie ten aanzien van het voorstel\n\na) Essentie Nederlands beleid op dit terrein\n\nHet kabinet "
    "werkt aan een eigen aanpak.\n\nb) Beoordeling + inzet ten aanzien van dit\nvoorstel\n\nHet kabinet steunt de mededeling.\n\n"
    "c) Eerste inschatting van\nkrachtenveld\n\nDe lidstaten steunen de aanpak.\n\n4. Grondhouding ten aanzien van bevoegdheid, "
    "subsidiariteit, proportionaliteit, financiële gevolgen en gevolgen voor regeldruk, concurrentiekracht en geopolitieke aspecten\n\n"
    "a) Bevoegdheid\n\nDe grondhouding ten aanzien van de bevoegdheid is positief.\n\nb) Subsidiariteit\n\nDe grondhouding ten aanzien "
    "van de subsidiariteit is positief.\n\nc) Proportionaliteit\n\nDe grondhouding ten aanzien van de proportionaliteit is positief.\n\n"
    "d) Financiële gevolgen\n\nGeen.\n\n4\f2 Aanbeveling (EU) 2023/2113 van de Commissie.\n"
)


class PdfCleanUpTests:
    @pytest.fixture(scope="class")
    @classmethod
    def data(cls):
        return parse(PAGED).data

    def test_bare_page_numbers_are_not_glued_to_values_and_footnotes(self, data):
        assert data["impact_assessment"] == "SWD(2022) 384."
        assert data["council_configuration"] == {"code": "COMPET", "raw": "Raad voor Concurrentievermogen"}
        assert next(s["text"] for s in data["sections"] if s["key"] == "financial") == "Geen."

    def test_page_numbers_that_count_up_in_text_without_page_breaks_are_dropped(self):
        data = parse(PAGED.replace("\f", "\n")).data
        assert data["council_configuration"]["raw"] == "Raad voor Concurrentievermogen"
        assert next(s["text"] for s in data["sections"] if s["key"] == "financial") == "Geen."

    def test_a_heading_wrapped_over_two_lines_is_recognised(self, data):
        sections = {s["key"]: s for s in data["sections"]}
        assert sections["position-assessment"]["text"] == "Het kabinet steunt de mededeling."
        assert sections["position-field"]["title"] == "Eerste inschatting van krachtenveld"
        assert sections["position-field"]["text"] == "De lidstaten steunen de aanpak."

    def test_every_template_section_not_found_is_warned_by_name(self, data):
        assert [w for w in data["warnings"] if w.startswith("Onderdeel")] == [
            "Onderdeel 'regulatory-burden' (Gevolgen voor regeldruk, concurrentiekracht en geopolitieke aspecten) niet gevonden: "
            "ontbreekt het, of is de kop niet herkend en staat de tekst bij het vorige onderdeel?"]

    def test_a_glued_footnote_number_without_its_footnote_is_taken_out_and_named(self, data):
        essence = next(s["text"] for s in data["sections"] if s["key"] == "essence")
        assert essence.startswith("De Commissie wijst tien technologiegebieden aan, waaronder artificiële intelligentie (AI) en halfgeleiders. ")
        assert data["footnotes"] == [{"number": 2, "text": "Aanbeveling (EU) 2023/2113 van de Commissie.", "urls": []}]
        assert "Voetnoot 1 niet gevonden; controleer de voetnoten rond voetnoot 2." in data["warnings"]
        assert "Voetnootcijfer 1 achter '(AI)' is uit de tekst gehaald: er is geen voetnoot 1 gevonden. Controleer de voetnoten." \
            in data["warnings"]

    def test_numbers_that_belong_to_the_text_stay(self):
        text = PAGED.replace("Zij wil met de lidstaten", "De CO2 en de G7. Verordening (EU)2021/1173 en CO2-uitstoot blijven. Zij wil met de lidstaten")
        essence = next(s["text"] for s in parse(text).data["sections"] if s["key"] == "essence")
        assert "De CO2 en de G7. Verordening (EU)2021/1173 en CO2-uitstoot blijven." in essence

    def test_a_pdf_that_draws_every_word_on_its_own_reads_whole(self):
        data = formats.to_pdf(formats.load("2024_communication_footnotes"), per_word=True)
        plain = "\f".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
        assert plain.startswith("Tweede Kamer der Staten-Generaal\nVergaderjaar 2023–2024\n22\n112\nNieuwe\n")  # a word a line
        before = parse(plain).data
        assert before["lead_ministry"] is None and before["council_configuration"] is None and len(before["sections"]) < 9
        after = parse_bytes(data, "fiche.pdf").data
        assert (after["lead_ministry"]["abbreviation"], after["council_configuration"]["code"], len(after["sections"])) == ("EZK", "COMPET", 9)
        assert after["kamerstuk"] == "22112-3950"

    def test_the_official_print_leaves_no_page_furniture_in_the_text(self):
        data = corpus("2025_revised_legislative", "pdf")
        text = "\n".join([*(s["text"] for s in data["sections"]), *(f["text"] for f in data["footnotes"])])
        for furniture in ("nr. 4100", "kst-22112", "ISSN", "'s-Gravenhage", "vergaderjaar", "Tweede Kamer"):
            assert furniture not in text
        assert data["kamerstuk"] == "22112-4100"

    def test_a_page_that_draws_too_many_forms_is_over_the_parts_budget(self, monkeypatch):
        from importer.parsing import limits

        monkeypatch.setattr(limits, "MAX_PDF_INLINED_FORMS", 50)
        with pytest.raises(BudgetExceeded, match="vormen") as error:
            readers.read_pdf(formats.to_pdf(formats.load("2024_communication_footnotes"), per_word=True))
        assert error.value.budget == Budget.PARTS


# 4. The official HTML page and the Kamerstuk XML --------------------------------------------------------


class OfficialFormatTests:
    def test_the_html_page_is_read_without_the_sites_navigation(self):
        data = corpus("2024_communication_footnotes", "html")
        assert data["kamerstuk"] == "22112-3950" and data["heading"] == "Mededeling over biotechnologie en biomaakindustrie"
        text = " ".join(s["text"] for s in data["sections"])
        assert "Zoek" not in text and "Over deze site" not in text and "Ga direct naar inhoud" not in text
        assert [f["number"] for f in data["footnotes"]] == [1, 2, 3] and "X Noot" not in data["footnotes"][0]["text"]

    def test_the_html_identifier_gives_the_number_when_the_page_has_no_heading(self):
        page = formats.to_html(formats.load("2008_label_colon_legislative"))
        page = page.replace(b'<h1 class="dossiertitel">', b'<h1 class="weg" hidden>').replace(b"Nr. 650", b"")
        data = parse_bytes(page, "pagina.htm").data
        assert data["kamerstuk"] == "22112-650"

    def test_an_html_page_without_extension_is_recognised(self):
        assert corpus("2020_join_communication")["kamerstuk"] == parse_bytes(
            formats.to_html(formats.load("2020_join_communication")), "download").data["kamerstuk"]

    def test_the_xml_is_read_with_its_footnotes_and_links(self):
        data = corpus("2016_batch_letter_unnumbered", "xml")
        assert data["kamerstuk"] == "22112-2250" and data["documents"][0]["celex"] == "52016PC0491"
        assert data["footnotes"][0]["text"].startswith("Zie ook Verordening (EG) nr. 300/2008")

    def test_an_xml_link_that_hides_its_target_still_gives_the_celex(self):
        xml = formats.to_xml(formats.load("2024_communication_footnotes")).replace(
            b">https://eur-lex.europa.eu/legal-content/NL/TXT/?uri=CELEX:52024DC0137</extref>", b">EUR-Lex</extref>")
        data = parse_bytes(xml, "kst.xml").data
        assert data["documents"][0]["celex"] == "52024DC0137" and derived(data) == []

    def test_xml_that_declares_entities_is_refused_before_parsing(self):
        laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">'
                  b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><officiele-publicatie>&lol3;</officiele-publicatie>')
        with pytest.raises(FicheParseError, match="entiteiten"):
            parse_bytes(laughs, "bom.xml")
        external = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><officiele-publicatie>&e;</officiele-publicatie>'
        with pytest.raises(FicheParseError, match="entiteiten"):
            parse_bytes(external, "extern.xml")

    def test_xml_that_is_no_kamerstuk_is_refused_by_name(self):
        with pytest.raises(FicheParseError, match=r"geen Kamerstuk-XML .*hoofdelement is rss"):
            parse_bytes(b'<?xml version="1.0"?><rss><channel><title>Nieuws</title></channel></rss>', "feed.xml")
        with pytest.raises(FicheParseError, match="XML-bestand kan niet worden gelezen"):
            parse_bytes(b'<?xml version="1.0"?><officiele-publicatie><kamerstuk>', "kapot.xml")

    @pytest.mark.parametrize(("name", "data"), [
        ("groot.xml", b'<?xml version="1.0"?><officiele-publicatie>' + b"<al/>" * 250_000 + b"</officiele-publicatie>"),
        ("groot.html", b"<!DOCTYPE html><html><body>" + b"<p></p>" * 250_000 + b"</body></html>"),
    ])
    def test_markup_of_too_many_elements_is_over_the_parts_budget(self, name, data):
        with pytest.raises(BudgetExceeded, match=r"meer dan 200\.000 elementen") as error:
            parse_bytes(data, name)
        assert error.value.budget == Budget.PARTS and error.value.usage is not None  # refused in the worker process

    @pytest.mark.parametrize(("name", "message"), [
        ("fiche.doc", r"Word 97-2003-bestand \(\.doc\)"), ("fiche.odt", r"OpenDocument-bestand \(\.odt\)"),
        ("fiche.xlsx", r"extensie \.xlsx worden niet gelezen; gebruik PDF \(\.pdf\), Word \(\.docx\), tekst \(\.txt\), of de HTML"),
    ])
    def test_other_file_types_are_refused_by_name(self, name, message):
        with pytest.raises(FicheParseError, match=message):
            parse_bytes(b"PK\x03\x04 whatever is inside", name)
