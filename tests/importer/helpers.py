"""Small builders for the importer tests: reference data, and PDF and Word files made in the test."""

import io
from pathlib import Path

DATA = Path(__file__).parent / "data"
EXAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "fiches" / "2024-COM-2024-28-startups-betrouwbare-ai.txt"


def example_text():
    return EXAMPLE.read_text(encoding="utf-8")


def data_text(name):
    return (DATA / name).read_text(encoding="utf-8")


def make_reference_data():
    from proposals.models import CouncilConfiguration, CouncilConfigurationAlias, MinistryAlias
    from tests import factories

    rows = factories.reference_rows()
    MinistryAlias.objects.get_or_create(ministry=rows["ezk"], name="Economische Zaken en Klimaat")
    CouncilConfigurationAlias.objects.get_or_create(configuration=rows["tte"], name="Telecomraad")
    CouncilConfiguration.objects.get_or_create(code="ENVI", defaults={"name": "Milieuraad"})


def _pdf_string(text):
    raw = text.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def make_pdf(pages):
    """A minimal PDF (Helvetica, WinAnsi) with one text line per list item, one list per page."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", None, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    kids = []
    for lines in pages:
        stream = b"BT /F1 10 Tf 50 800 Td 13 TL " + b" ".join(_pdf_string(line) + b" '" for line in lines) + b" ET"
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        content_number = len(objects)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % content_number)
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids) + b"] /Count %d >>" % len(kids)
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def make_docx(paragraphs, table_rows=()):
    """A Word file with the given paragraphs, and the general data as a two-column table."""
    import docx

    document = docx.Document()
    for text in paragraphs[:1]:
        document.add_paragraph(text)
    if table_rows:
        table = document.add_table(rows=0, cols=2)
        for label, value in table_rows:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = label, value
    for text in paragraphs[1:]:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
