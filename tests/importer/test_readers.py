"""PDF and Word files, text in other encodings than UTF-8, and input that is no fiche at all."""

import pytest

from importer.parsing import MAX_BYTES, FicheParseError, parse, parse_bytes, read_bytes
from importer.parsing.readers import read_docx

from .helpers import data_text, example_text, make_docx, make_pdf


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


class TextEncodingTests:
    def test_utf8_text_is_read_without_a_warning(self):
        reading = read_bytes(example_text().encode("utf-8"), "fiche.txt")
        assert reading.text == example_text() and reading.warnings == []

    def test_windows_1252_text_is_read_with_a_warning_that_comes_first(self):
        result = parse_bytes(example_text().encode("cp1252"), "oud.txt")
        assert "Comité van de Regio’s" in result.data["documents"][0]["title"]
        first = result.data["warnings"][0]
        assert "niet in UTF-8 opgeslagen" in first and "Windows-1252" in first
        assert result.warnings_for("general")[0] == first

    def test_a_file_mixing_utf8_and_windows_1252_names_the_lines_read_as_windows_1252(self):
        data = example_text().encode("utf-8") + "\nNog één regel.\n".encode("cp1252")
        reading = read_bytes(data, "gemengd.txt")
        line = example_text().count("\n") + 2
        assert reading.text.endswith("Nog één regel.\n") and "Comité" in reading.text
        assert len(reading.warnings) == 1 and "mengt twee coderingen" in reading.warnings[0] and f"regel {line} " in reading.warnings[0]

    def test_bytes_that_are_neither_utf8_nor_windows_1252_are_refused_with_the_line(self):
        data = example_text().encode("utf-8") + b"\nKapot: \x81\x8d\n"
        line = example_text().count("\n") + 2
        with pytest.raises(FicheParseError, match=f"regel {line} is geen UTF-8 en ook geen Windows-1252 \\(byte 0x81\\)"):
            parse_bytes(data, "kapot.txt")

    def test_broken_utf16_is_refused_with_its_position(self):
        with pytest.raises(FicheParseError, match=r"UTF-16.*positie"):
            parse_bytes(b"\xff\xfe" + "Fiche".encode("utf-16-le") + b"\x00\xd8", "x.txt")


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TEXT_BOX = '<w:r><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>'
RICH_BODY = (
    '<w:p><w:r><w:t>Fiche 1: Mededeling</w:t></w:r></w:p>'
    '<w:p><w:r><w:t xml:space="preserve">Met tab </w:t><w:tab/><w:t>en</w:t><w:br/><w:t>regeleinde</w:t></w:r>'
    '<w:r><w:footnoteReference w:id="5"/></w:r></w:p>'
    '<w:p/>'
    '<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Cel</w:t></w:r><w:r><w:footnoteReference w:id="7"/></w:r></w:p>'
    '<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Geneste cel</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:tc>'
    '<w:tc><w:p><w:r><w:t>Voor</w:t></w:r>' + TEXT_BOX.format("In tekstvak") + '<w:r><w:t>na</w:t></w:r></w:p></w:tc></w:tr>'
    '<w:tr><w:tc><w:p><w:r><w:t>Tweede rij</w:t></w:r></w:p></w:tc></w:tr></w:tbl>'
    '<w:sdt><w:sdtContent><w:p><w:r><w:t>In een inhoudsbesturingselement</w:t></w:r></w:p></w:sdtContent></w:sdt>'
    '<w:p><w:r><w:t>Tekstvak in de lopende tekst:</w:t></w:r>' + TEXT_BOX.format("binnen") + '</w:p>'
    '<w:p><w:r><w:t>Weer</w:t></w:r><w:r><w:footnoteReference w:id="5"/></w:r></w:p>'
)
RICH_FOOTNOTES = (
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p/></w:footnote>'
    '<w:footnote w:id="5"><w:p><w:r><w:t xml:space="preserve">Eerste noot, </w:t></w:r><w:r><w:t>in twee stukken.</w:t></w:r></w:p></w:footnote>'
    '<w:footnote w:id="7"><w:p><w:r><w:t>Tweede</w:t></w:r></w:p><w:p><w:r><w:t xml:space="preserve">noot   met  ruimte</w:t></w:r></w:p></w:footnote>'
)


def word_file(body, footnotes=None, main_type="wordprocessingml.document.main+xml"):
    """A .docx (python-docx's own template) whose body is ``body`` (WordprocessingML), with a footnotes part when given."""
    import io
    import zipfile

    base = zipfile.ZipFile(io.BytesIO(make_docx(["x"])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in base.infolist():
            data = base.read(info.filename)
            if info.filename == "word/document.xml":
                data = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W_NS}" '
                        f'xmlns:v="urn:schemas-microsoft-com:vml"><w:body>{body}<w:sectPr/></w:body></w:document>').encode()
            elif footnotes and info.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/'
                                    b'officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>')
            elif info.filename == "[Content_Types].xml":
                data = data.replace(b"wordprocessingml.document.main+xml", main_type.encode())
            if footnotes and info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>')
            archive.writestr(info.filename, data)
        if footnotes:
            archive.writestr("word/footnotes.xml", f'<w:footnotes xmlns:w="{W_NS}">{footnotes}</w:footnotes>')
    return out.getvalue()


def text_as_python_docx_read_it(data):
    """The Word reader as it was before the budgets (python-docx, whole file in memory): the reference for the text."""
    import io

    import docx
    from docx.oxml.ns import qn
    from lxml import etree

    document = docx.Document(io.BytesIO(data))
    texts = {}
    for rel in document.part.rels.values():
        if rel.reltype.endswith("/footnotes") and not rel.is_external:
            root = etree.fromstring(rel.target_part.blob, parser=etree.XMLParser(resolve_entities=False, no_network=True))
            for note in root.iter(qn("w:footnote")):
                if note.get(qn("w:type")) in ("separator", "continuationSeparator", "continuationNotice"):
                    continue
                text = " ".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in note.iter(qn("w:p")))
                texts[note.get(qn("w:id"))] = " ".join(text.split())
    numbers = {}

    def paragraph_text(element):
        parts = []
        for node in element.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:footnoteReference")):
            if node.tag == qn("w:t"):
                parts.append(node.text or "")
            elif node.tag == qn("w:footnoteReference"):
                parts.append(str(numbers.setdefault(node.get(qn("w:id")), len(numbers) + 1)))
            else:
                parts.append(" ")
        return "".join(parts).strip()

    paragraphs = []
    for block in document.element.body.iterchildren():
        if block.tag == qn("w:p"):
            paragraphs.append(paragraph_text(block))
        elif block.tag == qn("w:tbl"):
            paragraphs.extend(paragraph_text(p) for p in block.iter(qn("w:p")))
    body = "\n\n".join(p for p in paragraphs if p)
    notes = [f"{number} {texts.get(note_id, '')}" for note_id, number in sorted(numbers.items(), key=lambda item: item[1])]
    return body + ("\f" + "\n".join(notes) if notes else "")


class StreamingWordReaderTests:
    def test_it_reads_the_same_text_as_python_docx_did_tables_text_boxes_footnotes_and_all(self):
        data = word_file(RICH_BODY, RICH_FOOTNOTES)
        expected = text_as_python_docx_read_it(data)
        assert "Geneste cel" in expected and "In tekstvak" in expected and "In een inhoudsbesturingselement" not in expected
        assert expected.endswith("\f1 Eerste noot, in twee stukken.\n2 Tweede noot met ruimte")
        assert read_docx(data) == (expected, [])
        assert read_bytes(data, "rijk.docx").text == expected  # the same through the worker process

    def test_a_word_fiche_parses_to_the_same_fields_as_before(self):
        lines = [line.strip() for line in example_text().split("\n") if line.strip()]
        data = make_docx(lines)
        assert parse_bytes(data, "fiche.docx").to_json() == parse(text_as_python_docx_read_it(data)).to_json()

    def test_a_word_file_whose_main_part_is_not_a_word_document_is_refused(self):
        data = word_file("<w:p/>", main_type="spreadsheetml.sheet.main+xml")
        with pytest.raises(FicheParseError, match="geen leesbaar Word-bestand"):
            read_docx(data)

    def test_a_word_file_with_broken_xml_is_refused(self):
        with pytest.raises(FicheParseError, match=r"Word-bestand kan niet worden gelezen \(XMLSyntaxError\)"):
            read_docx(word_file("<w:p><w:r>"))


class PdfSameAsBeforeTests:
    def test_a_pdf_fiche_parses_to_the_same_fields_as_before(self):
        import io

        from pypdf import PdfReader

        lines = [line.strip() for line in example_text().split("\n") if line.strip()]
        data = make_pdf([lines[i:i + 60] for i in range(0, len(lines), 60)])
        before = "\f".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
        result = parse_bytes(data, "fiche.pdf")
        assert result.to_json() == parse(before).to_json()
        assert result.data["documents"][0]["celex"] == "52024DC0028" and result.data["lead_ministry"]["abbreviation"] == "EZK"
