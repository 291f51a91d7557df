"""Text out of the files editors have: plain text, PDF (text layer, via pypdf) and Word (.docx).

Every reader raises FicheParseError, and only that, on a file it cannot use.
"""

import io
import logging
import zipfile

from .errors import FicheParseError

MAX_BYTES = 20 * 1024 * 1024  # 20 MB: a 30-page fiche PDF is well under 2 MB
MAX_PDF_PAGES = 300

logging.getLogger("pypdf").setLevel(logging.ERROR)


def check_size(size):
    if size > MAX_BYTES:
        raise FicheParseError(f"Het bestand is te groot ({size / 1024 / 1024:.1f} MB); de grens is {MAX_BYTES // 1024 // 1024} MB.")


def read_bytes(data, filename=""):
    """The text of a fiche file, whatever its format (recognised by content, not by name)."""
    check_size(len(data))
    if not data.strip():
        raise FicheParseError("Het bestand is leeg.")
    if data.startswith(b"%PDF"):
        return read_pdf(data)
    if data.startswith(b"PK\x03\x04"):
        return read_docx(data)
    return read_text(data)


def read_text(data):
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as error:
                raise FicheParseError("Het tekstbestand is niet goed gecodeerd.") from error
    control = sum(1 for byte in data[:200_000] if byte < 9 or 13 < byte < 32)
    if b"\x00" in data[:200_000] or control > len(data[:200_000]) * 0.01:
        raise FicheParseError("Dit is geen tekst, PDF of Word-bestand (binaire gegevens).")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_pdf(data):
    from pypdf import PdfReader

    # pypdf raises many kinds of errors on damaged files; each one means "cannot read this PDF".
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            reader.decrypt("")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise FicheParseError(f"Het PDF-bestand heeft {len(reader.pages)} pagina's; een fiche heeft er hooguit {MAX_PDF_PAGES}.")
        pages = [page.extract_text() or "" for page in reader.pages]
    except FicheParseError:
        raise
    except Exception as error:
        raise FicheParseError(f"Dit PDF-bestand kan niet worden gelezen ({type(error).__name__}).") from error
    text = "\f".join(pages)
    if sum(1 for c in text if c.isalpha()) < 200:
        raise FicheParseError("Het PDF-bestand heeft geen (of bijna geen) tekstlaag; is het gescand? Gebruik het Word-bestand of de tekst.")
    return text


def read_docx(data):
    import docx
    from docx.oxml.ns import qn

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, docx.opc.exceptions.PackageNotFoundError) as error:
        raise FicheParseError("Dit is geen leesbaar Word-bestand (.docx).") from error
    except Exception as error:  # lxml and zip errors of a damaged file: all mean "cannot read"
        raise FicheParseError(f"Dit Word-bestand kan niet worden gelezen ({type(error).__name__}).") from error

    footnote_texts = _docx_footnotes(document, qn)
    numbers = {}  # Word's footnote id -> number as printed (order of reference)

    def paragraph_text(element):
        parts = []
        for node in element.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:footnoteReference")):
            if node.tag == qn("w:t"):
                parts.append(node.text or "")
            elif node.tag == qn("w:footnoteReference"):
                note_id = node.get(qn("w:id"))
                number = numbers.setdefault(note_id, len(numbers) + 1)
                parts.append(str(number))
            else:
                parts.append(" ")
        return "".join(parts).strip()

    paragraphs = []
    for block in document.element.body.iterchildren():
        if block.tag == qn("w:p"):
            paragraphs.append(paragraph_text(block))
        elif block.tag == qn("w:tbl"):
            for cell_paragraph in block.iter(qn("w:p")):
                paragraphs.append(paragraph_text(cell_paragraph))
    body = "\n\n".join(p for p in paragraphs if p)
    notes = [f"{number} {footnote_texts.get(note_id, '')}" for note_id, number in sorted(numbers.items(), key=lambda item: item[1])]
    return body + ("\f" + "\n".join(notes) if notes else "")


def _docx_footnotes(document, qn):
    from lxml import etree

    texts = {}
    for rel in document.part.rels.values():
        if rel.reltype.endswith("/footnotes") and not rel.is_external:
            root = etree.fromstring(rel.target_part.blob, parser=etree.XMLParser(resolve_entities=False, no_network=True))
            for note in root.iter(qn("w:footnote")):
                if note.get(qn("w:type")) in ("separator", "continuationSeparator", "continuationNotice"):
                    continue
                text = " ".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in note.iter(qn("w:p")))
                texts[note.get(qn("w:id"))] = " ".join(text.split())
    return texts


def read_path(path):
    import os

    try:
        check_size(os.path.getsize(path))
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise FicheParseError(f"Het bestand {path} kan niet worden geopend: {error.strerror}.") from error
    return read_bytes(data, str(path))
