"""PDF and Word files, and input that is no fiche at all."""

import pytest

from importer.parsing import MAX_BYTES, FicheParseError, parse_bytes

from .helpers import data_text, make_docx, make_pdf


def _pdf_pages():
    lines = [line for line in data_text("batch_letter_revised.txt").split("\n") if line.strip()]
    return [lines[:40], lines[40:]]


class PdfReaderTests:
    def test_it_reads_a_fiche_from_the_text_layer_of_a_pdf(self):
        data = parse_bytes(make_pdf(_pdf_pages()), "fiche.pdf").data
        assert data["documents"][0]["reference"] == "COM(2022) 542"
        assert data["received_on"] == "2022-10-26"
        assert data["lead_ministry"]["abbreviation"] == "IenW"
        assert data["kamerstuk"] == "22112-3906"
        assert data["verdicts"]["proportionality"] == "positief met kanttekeningen"
        assert "developing-countries" in [s["key"] for s in data["sections"]]

    def test_a_pdf_without_text_is_refused_with_a_reason(self):
        with pytest.raises(FicheParseError, match="tekstlaag"):
            parse_bytes(make_pdf([[""]]), "scan.pdf")

    def test_a_damaged_pdf_is_refused(self):
        with pytest.raises(FicheParseError, match="PDF"):
            parse_bytes(b"%PDF-1.4\n" + b"\x00garbage" * 100, "kapot.pdf")


class DocxReaderTests:
    def test_it_reads_paragraphs_and_a_table_of_general_data_from_word(self):
        rows = [("Titel voorstel", "Mededeling over kritieke grondstoffen"), ("Datum ontvangst Commissiedocument", "14 maart 2023"),
                ("Nr. Commissiedocument", "COM(2023) 165"), ("Behandelingstraject Raad", "Raad voor Concurrentievermogen"),
                ("Eerstverantwoordelijk ministerie", "Ministerie van Economische Zaken en Klimaat")]
        paragraphs = ["Fiche 1: Mededeling kritieke grondstoffen", "Essentie voorstel", "De Commissie wil minder afhankelijk worden. " * 5,
                      "Subsidiariteit", "De grondhouding ten aanzien van de subsidiariteit is positief.",
                      "Proportionaliteit", "De grondhouding ten aanzien van de proportionaliteit is positief."]
        data = parse_bytes(make_docx(paragraphs, rows), "fiche.docx").data
        assert data["documents"][0]["reference"] == "COM(2023) 165"
        assert data["council_configuration"]["code"] == "COMPET"
        assert data["lead_ministry"]["abbreviation"] == "EZK"
        assert [s["key"] for s in data["sections"]] == ["essence", "subsidiarity", "proportionality"]
        assert data["verdicts"]["subsidiarity"] == "positief"

    def test_a_zip_that_is_not_word_is_refused(self):
        import io
        import zipfile

        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("hello.txt", "hallo")
        with pytest.raises(FicheParseError, match="Word"):
            parse_bytes(out.getvalue(), "x.docx")


class UnusableInputTests:
    @pytest.mark.parametrize(("data", "message"), [
        (b"", "leeg"),
        (b"   \n\n  ", "leeg"),
        (bytes(range(256)) * 50, "binaire"),
        (b"Dit is een boodschappenlijst met melk, brood, kaas en eieren voor de hele week. " * 20, "Geen BNC-fiche"),
        (b"COM(2024) 28", "te weinig"),
    ])
    def test_it_refuses_input_that_is_no_fiche_with_a_clear_message(self, data, message):
        with pytest.raises(FicheParseError, match=message):
            parse_bytes(data, "x")

    def test_it_refuses_files_over_the_size_limit(self):
        with pytest.raises(FicheParseError, match="te groot"):
            parse_bytes(b"a" * (MAX_BYTES + 1), "groot.txt")

    def test_it_reads_windows_encoded_text(self):
        data = parse_bytes(data_text("layout_2007.txt").encode("cp1252"), "oud.txt").data
        assert data["lead_ministry"]["abbreviation"] == "VenW"
