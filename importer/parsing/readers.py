"""Text out of the files editors have: plain text, PDF (text layer, via pypdf), Word (.docx), and the official
publication's HTML page and XML (markup.py).

``read_bytes`` / ``read_path`` return a Reading: the text, and warnings for the preview (a text file
that was not UTF-8). Plain text is read here. PDF and Word files are read by ``read_pdf`` /
``read_docx``, HTML and XML by markup.py, in a limited worker process (sandbox.py); both count what they unpack against the
budgets of limits.py while they unpack it, so a small file that unpacks to gigabytes is refused
after a few megabytes. Word files are not handed to python-docx, which loads every part of the zip
into memory: the reader takes the main document and its footnotes from the zip itself and parses
them as a stream, keeping one paragraph at a time.

Every reader raises FicheParseError (BudgetExceeded for a budget), and only that, on a file it
cannot use.
"""

import io
import logging
import posixpath
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from urllib.parse import unquote

from . import limits, sandbox
from .errors import Budget, BudgetExceeded, FicheParseError
from .limits import MAX_BYTES, MAX_PDF_PAGES

logging.getLogger("pypdf").setLevel(logging.ERROR)

NOT_WORD = "Dit is geen leesbaar Word-bestand (.docx)."


@dataclass
class Reading:
    text: str
    warnings: list = field(default_factory=list)
    usage: sandbox.WorkerUsage | None = None  # None when read in-process (plain text)


def check_size(size):
    if size > MAX_BYTES:
        raise FicheParseError(f"Het bestand is te groot ({size / 1024 / 1024:.1f} MB); de grens is {MAX_BYTES // 1024 // 1024} MB.")


SUPPORTED = "PDF (.pdf), Word (.docx), tekst (.txt), of de HTML-pagina (.html, .htm) of XML (.xml) van het Kamerstuk"
HTML_EXTENSIONS = (".html", ".htm", ".xhtml")
# Formats an editor may have at hand that are no fiche file we read: said at once, by name.
REFUSED_EXTENSIONS = {
    ".doc": "Een Word 97-2003-bestand (.doc) kan niet worden gelezen; sla het in Word op als .docx of als PDF.",
    ".rtf": "Een RTF-bestand kan niet worden gelezen; sla het op als .docx, PDF of tekst.",
    ".odt": "Een OpenDocument-bestand (.odt) kan niet worden gelezen; sla het op als .docx, PDF of tekst.",
    ".pages": "Een Pages-bestand kan niet worden gelezen; exporteer het als .docx of PDF.",
    ".wpd": "Een WordPerfect-bestand kan niet worden gelezen; sla het op als .docx, PDF of tekst.",
}
REFUSED_EXTENSIONS.update(dict.fromkeys(
    (".xls", ".xlsx", ".ods", ".csv", ".ppt", ".pptx", ".odp", ".zip", ".7z", ".rar", ".gz", ".eml", ".msg", ".epub",
     ".jpg", ".jpeg", ".png", ".gif", ".tif", ".tiff", ".bmp", ".svg", ".webp", ".heic"), None))


def extension(filename):
    import posixpath

    name = str(filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    return posixpath.splitext(name)[1].lower()


def _refused_extension(ext):
    message = REFUSED_EXTENSIONS[ext]
    return FicheParseError(message or f"Bestanden met de extensie {ext} worden niet gelezen; gebruik {SUPPORTED}.")


def sniff_markup(data):
    """"html" or "xml" when the bytes start like an HTML page or a Kamerstuk XML, else None."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    if head.startswith(b"<?xml") or head.startswith(b"<officiele-publicatie"):
        return "html" if b"<html" in head else "xml"
    return None


def read_bytes(data, filename=""):
    """The text of a fiche file. PDF and Word are recognised by their content; HTML and XML by the extension
    (.html, .htm, .xml) or by how they start; anything else is read as text, or refused with a reason."""
    check_size(len(data))
    ext = extension(filename)
    if ext in REFUSED_EXTENSIONS:
        raise _refused_extension(ext)
    if not data.strip():
        raise FicheParseError("Het bestand is leeg.")
    kind = "html" if ext in HTML_EXTENSIONS else "xml" if ext == ".xml" else None
    if kind is None and not data.startswith((b"%PDF", b"PK\x03\x04")):
        kind = sniff_markup(data)
    if kind is not None:
        return Reading(*sandbox.read_isolated(kind, data))
    if data.startswith(b"%PDF"):
        if b"obj" not in data:  # no worker for what has not a single PDF object
            raise FicheParseError("Dit PDF-bestand kan niet worden gelezen (er staat geen enkel PDF-object in).")
        return Reading(*sandbox.read_isolated("pdf", data))
    if data.startswith(b"PK\x03\x04"):
        check_zip_directory(data)  # no worker for what is not a zip, or a zip of too many parts
        return Reading(*sandbox.read_isolated("docx", data))
    text, warnings = read_text(data)
    return Reading(text, warnings)


def read_path(path):
    import os

    try:
        check_size(os.path.getsize(path))
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise FicheParseError(f"Het bestand {path} kan niet worden geopend: {error.strerror}.") from error
    return read_bytes(data, str(path))


# Plain text ------------------------------------------------------------------------------------------


def read_text(data):
    """``(text, warnings)``: UTF-8 (with or without BOM) or UTF-16 with BOM; else Windows-1252, with a warning."""
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return _checked_text(data.decode(encoding)), []
            except UnicodeDecodeError as error:
                raise FicheParseError(f"Het tekstbestand begint als {encoding.upper().removesuffix('-SIG')}, maar is op "
                                      f"positie {error.start} niet goed gecodeerd. Sla het opnieuw op als UTF-8.") from error
    sample = data[:200_000]
    control = sum(1 for byte in sample if byte < 9 or 13 < byte < 32)
    if b"\x00" in sample or control > len(sample) * 0.01:
        raise FicheParseError(f"Dit is geen tekst, PDF-, Word-, HTML- of XML-bestand (binaire gegevens). Gebruik {SUPPORTED}.")
    try:
        return _checked_text(data.decode("utf-8")), []
    except UnicodeDecodeError:
        pass
    # Not UTF-8: line by line, UTF-8 where a line is, else Windows-1252 (what Word and Notepad save as "ANSI").
    lines, legacy = [], []
    utf8_multibyte = False
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            decoded = line.decode("utf-8")
            utf8_multibyte = utf8_multibyte or not line.isascii()
        except UnicodeDecodeError:
            try:
                decoded = line.decode("cp1252")
            except UnicodeDecodeError as error:
                raise FicheParseError(
                    f"Het tekstbestand is niet goed gecodeerd: regel {number} is geen UTF-8 en ook geen Windows-1252 "
                    f"(byte 0x{line[error.start]:02X}). Sla het opnieuw op als UTF-8.") from error
            legacy.append(number)
        lines.append(decoded)
    shown = ", ".join(str(n) for n in legacy[:5]) + (f" en {limits.number(len(legacy) - 5)} andere" if len(legacy) > 5 else "")
    if utf8_multibyte:
        warning = (f"Het tekstbestand mengt twee coderingen: regel {shown} is geen UTF-8 en is gelezen als Windows-1252. "
                   "Controleer letters met accenten en tekens als € en ‘ ’ op die regels.")
    else:
        warning = (f"Het tekstbestand is niet in UTF-8 opgeslagen en is gelezen als Windows-1252 (regel {shown}). Controleer "
                   "letters met accenten en tekens als € en ‘ ’; sla het bestand liever op als UTF-8.")
    return _checked_text("\n".join(lines)), [warning]


def _checked_text(text):
    if len(text) > limits.MAX_TEXT_CHARS:
        raise limits.too_much_text()
    return text


# PDF (in the worker) ---------------------------------------------------------------------------------

PDF_CONFIGURATION = {
    "maximum_declared_stream_length": MAX_BYTES,
    "zlib_maximum_output_length": limits.MAX_PDF_STREAM_BYTES,
    "lzw_maximum_output_length": limits.MAX_PDF_STREAM_BYTES,
    "run_length_maximum_output_length": limits.MAX_PDF_STREAM_BYTES,
    "brotli_maximum_output_length": limits.MAX_PDF_STREAM_BYTES,
    "jbig2_maximum_output_length": limits.MAX_PDF_STREAM_BYTES,
    "array_based_stream_maximum_output_length": limits.MAX_PDF_STREAM_BYTES,
    "image_maximum_buffer_size": limits.MAX_PDF_STREAM_BYTES,
    "stream_decoding_work_maximum_length": 2 * limits.MAX_PDF_STREAM_BYTES,
    "page_tree_maximum_entries": 10 * MAX_PDF_PAGES,
    "xform_maximum_invocations_per_extraction": 1_000,
}


def read_pdf(data):
    """``(text, warnings)`` of a PDF's text layer, pages separated by form feeds."""
    import pypdf
    from pypdf.errors import LimitReachedError

    allowance = limits.Allowance(label="PDF-bestand", unpacked=limits.MAX_PDF_UNPACKED_BYTES)
    pages = []
    # pypdf raises many kinds of errors on damaged files; each one means "cannot read this PDF".
    try:
        with pypdf.apply_configuration(**PDF_CONFIGURATION):
            reader = pypdf.PdfReader(io.BytesIO(data))
            objects = sum(len(table) for table in reader.xref.values()) + len(reader.xref_objStm)
            if objects > limits.MAX_PDF_OBJECTS:
                raise BudgetExceeded(f"Het PDF-bestand bestaat uit {limits.number(objects)} objecten; de grens voor een fiche is "
                                     f"{limits.number(limits.MAX_PDF_OBJECTS)}.", budget=Budget.PARTS)
            if reader.is_encrypted:
                reader.decrypt("")
            if len(reader.pages) > MAX_PDF_PAGES:
                raise BudgetExceeded(f"Het PDF-bestand heeft {len(reader.pages)} pagina's; een fiche heeft er hooguit {MAX_PDF_PAGES}.",
                                     budget=Budget.PARTS)
            for number, page in enumerate(reader.pages, start=1):
                allowance.unpack(_pdf_content_bytes(page), f"de inhoud tot en met pagina {number}")
                text = _page_text(page, reader, allowance, number)
                allowance.text(len(text))
                pages.append(text)
    except FicheParseError:
        raise
    except LimitReachedError as error:
        raise _pdf_limit(error) from error
    except MemoryError:
        raise
    except Exception as error:
        raise FicheParseError(f"Dit PDF-bestand kan niet worden gelezen ({type(error).__name__}).") from error
    text = "\f".join(pages)
    if sum(1 for c in text if c.isalpha()) < 200:
        raise FicheParseError("Het PDF-bestand heeft geen (of bijna geen) tekstlaag; is het gescand? Gebruik het Word-bestand of de tekst.")
    return text, []


def _page_text(page, reader, allowance, number):
    """The text of one page, its words grouped into lines by where they stand on the page.

    pypdf's layout mode places every piece of text by its position, so a PDF that writes each word
    separately (or scales its text with the graphics matrix) reads as the lines a reader sees; the
    plain mode follows the order of the content stream and can put every word on its own line. The
    layout mode does not look into form XObjects: a page whose words are drawn as forms (one word a
    form, in some PDF producers) has its forms written into its content first. The columns of spaces
    that place the words are closed up to single spaces, and vertical space becomes a paragraph break
    only where it is wider than the page's ordinary line spacing.
    """
    layout = _layout_text(page)
    if _has_forms(page):
        plain = page.extract_text() or ""
        if _letters(layout) < 0.8 * _letters(plain):
            _inline_forms(page, reader, allowance, number)
            layout = _layout_text(page)
            if _letters(layout) < 0.8 * _letters(plain):
                layout = plain
    return layout_paragraphs(layout)


def _layout_text(page):
    from pypdf.errors import LimitReachedError

    try:
        return page.extract_text(extraction_mode="layout", layout_mode_space_vertically=True,
                                 layout_mode_font_height_weight=LAYOUT_LINE_UNIT) or ""
    except LimitReachedError:
        raise
    except Exception:  # layout mode trips on fonts the plain mode reads: take the plain text then
        return page.extract_text() or ""


def _letters(text):
    return sum(1 for c in text if c.isalpha())


def _resources(holder):
    resources = holder.get("/Resources")
    return resources.get_object() if resources is not None else {}


def _form_xobjects(resources):
    xobjects = resources.get("/XObject")
    xobjects = xobjects.get_object() if xobjects is not None else {}
    return {name: ref.get_object() for name, ref in xobjects.items() if ref.get_object().get("/Subtype") == "/Form"}


def _has_forms(page):
    return bool(_form_xobjects(_resources(page)))


def _inline_forms(page, reader, allowance, number):
    """Write the page's form XObjects into its content stream where they are drawn (``q`` their matrix ``cm`` their
    content ``Q``), their fonts renamed into the page's resources: the text they hold is then on the page itself.
    Every form's content counts against the unpacked budget each time it is written in; forms in forms go three
    deep at most, and a page writes in at most MAX_PDF_INLINED_FORMS of them."""
    from pypdf.generic import ContentStream, DictionaryObject, NameObject

    resources = _resources(page)
    if "/Font" not in resources:
        resources[NameObject("/Font")] = DictionaryObject()
    fonts = resources["/Font"].get_object()
    operations, inlined = [], 0

    def expand(source_operations, forms, depth, renamed):
        nonlocal inlined
        for operands, operator in source_operations:
            if operator == b"Tf" and operands and operands[0] in renamed:
                operands = [renamed[operands[0]], *operands[1:]]
            form = forms.get(operands[0]) if operator == b"Do" and operands else None
            if form is None or depth >= 3:
                operations.append((operands, operator))
                continue
            inlined += 1
            if inlined > limits.MAX_PDF_INLINED_FORMS:
                raise BudgetExceeded(f"Pagina {number} van het PDF-bestand tekent meer dan {limits.number(limits.MAX_PDF_INLINED_FORMS)} "
                                     "vormen (XObjects); een fiche heeft er veel minder.", budget=Budget.PARTS)
            allowance.unpack(len(form.get_data()), f"de vormen op pagina {number}")
            form_resources = _resources(form)
            names = {}
            form_fonts = form_resources.get("/Font")
            for name, font in (form_fonts.get_object().items() if form_fonts is not None else []):
                names[NameObject(name)] = new = NameObject(f"{name}_form{len(fonts)}")
                fonts[new] = font
            operations.append(([], b"q"))
            if "/Matrix" in form:
                operations.append((list(form["/Matrix"]), b"cm"))
            expand(ContentStream(form, reader).operations, _form_xobjects(form_resources), depth + 1, names)
            operations.append(([], b"Q"))

    content = ContentStream(page.get_contents(), reader)
    expand(content.operations, _form_xobjects(resources), 0, {})
    content.operations = operations
    page[NameObject("/Contents")] = content


# pypdf writes one empty line for every this-much of the font height between two lines: a fine measure of the gaps.
LAYOUT_LINE_UNIT = 0.25


def layout_paragraphs(raw):
    """Lines of positioned text with runs of spaces closed up; one empty line where the gap between two
    lines is clearly wider than the usual gap on the page: the space between paragraphs (a page set with
    every line double-spaced keeps its paragraphs, not a break after every line)."""
    lines, gaps, blank = [], [], 0
    for line in raw.split("\n"):
        text = " ".join(line.split())
        if not text:
            blank += 1
            continue
        if lines:
            gaps.append(blank)
        lines.append(text)
        blank = 0
    if not lines:
        return ""
    # The gap between the lines of one paragraph: low among the gaps (a page of one-line paragraphs has mostly wider
    # ones), but not the lowest (a raised footnote number, the smaller footnote lines).
    usual = sorted(gaps)[len(gaps) // 4] if gaps else 0
    wider = usual + max(2, usual // 3)
    out = [lines[0]]
    for text, gap in zip(lines[1:], gaps, strict=True):
        if gap >= wider:
            out.append("")
        out.append(text)
    return "\n".join(out)


def _pdf_content_bytes(page):
    """Unpacked bytes of a page's content streams (pypdf keeps them: counted once, here)."""
    from pypdf.generic import ArrayObject

    contents = page.get("/Contents")
    contents = contents.get_object() if contents is not None else None
    streams = contents if isinstance(contents, ArrayObject) else [contents]
    total = 0
    for stream in streams:
        stream = stream.get_object() if stream is not None else None
        if hasattr(stream, "get_data"):
            total += len(stream.get_data())
    return total


def _pdf_limit(error):
    message = str(error).lower()
    if "cycle" in message or "loop" in message:
        return FicheParseError("Dit PDF-bestand kan niet worden gelezen (het verwijst in een kring naar zichzelf).")
    if any(word in message for word in ("decompress", "decoding", "stream length", "buffer size", "array-based stream")):
        return BudgetExceeded(f"Het PDF-bestand bevat een datastroom die uitgepakt groter is dan {limits.megabytes(limits.MAX_PDF_STREAM_BYTES)}; "
                              "zo'n bestand is geen fiche en wordt niet gelezen.", budget=Budget.SIZE)
    return BudgetExceeded("Het PDF-bestand is te ingewikkeld opgebouwd om veilig te lezen (te veel pagina's, objecten of "
                          "elementen); een fiche is veel eenvoudiger.", budget=Budget.PARTS)


# Word (in the worker) --------------------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PACKAGE_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CONTENT_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
OFFICE_DOCUMENT = "/officeDocument"  # the end of the relationship type, in either OOXML namespace
FOOTNOTES = "/footnotes"
WORD_DOCUMENT_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
}
CHUNK_BYTES = 256 * 1024


def check_zip_directory(data):
    """Refuse a zip of too many parts from its end record alone, before anything is unpacked."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or len(data) < end + 22:
        raise FicheParseError(NOT_WORD)
    entries, directory_bytes = struct.unpack_from("<HI", data, end + 10)
    if entries > limits.MAX_ZIP_MEMBERS or directory_bytes > limits.MAX_ZIP_DIRECTORY_BYTES:
        count = limits.number(entries) if entries < 0xFFFF else "meer dan 65.000"
        raise BudgetExceeded(f"Het Word-bestand bestaat uit {count} delen; de grens voor een fiche is "
                             f"{limits.number(limits.MAX_ZIP_MEMBERS)}.", budget=Budget.PARTS)


def read_docx(data):
    """``(text, warnings)`` of a Word file: its paragraphs and table cells, then its footnotes after a form feed."""
    check_zip_directory(data)
    allowance = limits.Allowance(label="Word-bestand", unpacked=limits.MAX_DOCX_XML_BYTES)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = {info.filename: info for info in archive.infolist()}
            if len(members) > limits.MAX_ZIP_MEMBERS:
                raise BudgetExceeded(f"Het Word-bestand bestaat uit {limits.number(len(members))} delen; de grens voor een fiche is "
                                     f"{limits.number(limits.MAX_ZIP_MEMBERS)}.", budget=Budget.PARTS)
            main = _docx_main_part(archive, members, allowance)
            footnotes = _docx_related(archive, members, main, FOOTNOTES, allowance)
            footnote_texts = _docx_footnotes(archive, members[footnotes], allowance) if footnotes else {}
            paragraphs, numbers = _docx_body(archive, members[main], allowance)
    except FicheParseError:
        raise
    except MemoryError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError, KeyError, SyntaxError) as error:
        # damaged members (CRC, truncated), unsupported compression, encrypted parts, bad XML (lxml's XMLSyntaxError)
        raise FicheParseError(f"Dit Word-bestand kan niet worden gelezen ({type(error).__name__}).") from error
    body = "\n\n".join(p for p in paragraphs if p)
    notes = [f"{number} {footnote_texts.get(note_id, '')}" for note_id, number in sorted(numbers.items(), key=lambda item: item[1])]
    return body + ("\f" + "\n".join(notes) if notes else ""), []


def _member_chunks(archive, info, allowance):
    """The unpacked bytes of a zip member, a chunk at a time, counted; refused at once when its stated size is over."""
    allowance.declare(info.file_size, info.filename)
    with archive.open(info) as member:
        while chunk := member.read(CHUNK_BYTES):
            allowance.unpack(len(chunk), info.filename)
            yield chunk


def _xml_parser(*tags):
    """A streaming parser that reports the end of each of ``tags``; no DTD, no entities, no network, libxml2's size limits."""
    from lxml import etree

    return etree.XMLPullParser(events=("end",), tag=tags, resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _small_xml(archive, members, name, allowance):
    """A small part ([Content_Types].xml, a .rels file) as an element tree, or None when absent."""
    from lxml import etree

    info = members.get(name)
    if info is None:
        return None
    if info.file_size > limits.MAX_DOCX_SMALL_PART_BYTES:
        raise BudgetExceeded(f"Het Word-bestand is uitgepakt te groot: {name} is {limits.megabytes(info.file_size)}; de grens is "
                             f"{limits.megabytes(limits.MAX_DOCX_SMALL_PART_BYTES)}.", budget=Budget.SIZE)
    data = b"".join(_member_chunks(archive, info, allowance))
    try:
        return etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
    except etree.XMLSyntaxError as error:
        raise FicheParseError(NOT_WORD) from error


def _relationships(archive, members, source, allowance):
    """``[(type, target part name)]`` of a part's internal relationships ('' for the package)."""
    folder, base = posixpath.split(source)
    root = _small_xml(archive, members, posixpath.join(folder, "_rels", base + ".rels"), allowance)
    found = []
    for rel in [] if root is None else root.iter(PACKAGE_RELATIONSHIPS + "Relationship"):
        if rel.get("TargetMode") == "External" or not rel.get("Target"):
            continue
        target = unquote(rel.get("Target"))
        name = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        found.append((rel.get("Type") or "", name))
    return found


def _docx_main_part(archive, members, allowance):
    main = next((name for kind, name in _relationships(archive, members, "", allowance) if kind.endswith(OFFICE_DOCUMENT)), None)
    types = _small_xml(archive, members, "[Content_Types].xml", allowance)
    if main is None or main not in members or types is None:
        raise FicheParseError(NOT_WORD)
    content_type = None
    for override in types.iter(CONTENT_TYPES + "Override"):
        if (override.get("PartName") or "").lower() == "/" + main.lower():
            content_type = override.get("ContentType")
    if content_type is None:
        extension = posixpath.splitext(main)[1].lstrip(".").lower()
        content_type = next((d.get("ContentType") for d in types.iter(CONTENT_TYPES + "Default")
                             if (d.get("Extension") or "").lower() == extension), None)
    if content_type not in WORD_DOCUMENT_TYPES:
        raise FicheParseError(NOT_WORD)
    return main


def _docx_related(archive, members, source, kind, allowance):
    return next((name for rel_kind, name in _relationships(archive, members, source, allowance)
                 if rel_kind.endswith(kind) and name in members), None)


def _drop_done(element):
    """Free a finished element and its finished elder siblings: the tree holds one paragraph at a time, not the document."""
    element.clear()
    parent = element.getparent()
    while element.getprevious() is not None:
        del parent[0]


def _docx_body(archive, info, allowance):
    """The paragraphs of the main document, and the footnote numbers in reference order.

    As python-docx's body read them: each paragraph directly in the body (with the text of any text box
    in it), and each paragraph of a table in the body, nested tables and text-box paragraphs included,
    in document order; nothing else (content controls, text boxes outside tables). Streamed: a
    paragraph is read when it ends, then dropped.
    """
    numbers = {}  # Word's footnote id -> number as printed (order of reference)

    def paragraph_text(element):
        parts = []
        for node in element.iter(W + "t", W + "tab", W + "br", W + "footnoteReference"):
            if node.tag == W + "t":
                parts.append(node.text or "")
            elif node.tag == W + "footnoteReference":
                note_id = node.get(W + "id")
                number = numbers.setdefault(note_id, len(numbers) + 1)
                parts.append(str(number))
            else:
                parts.append(" ")
        return "".join(parts).strip()

    body = None

    def place(element):
        """``(block, in_paragraph)``: the body-level element it is in, and whether a paragraph lies between; block None outside the body."""
        nonlocal body
        node, in_paragraph = element, False
        parent = node.getparent()
        while parent is not None and parent.tag != W + "body":
            in_paragraph = in_paragraph or parent.tag == W + "p"
            node, parent = parent, parent.getparent()
        if parent is None or parent.getparent() is None or parent.getparent().getparent() is not None:
            return None, in_paragraph  # not under document/body
        if body is None:
            body = parent  # the first w:body, the one Word (and python-docx) reads
        return (node if parent is body else None), in_paragraph

    paragraphs = []
    parser = _xml_parser(W + "p", W + "tr", W + "tbl")
    for chunk in _member_chunks(archive, info, allowance):
        parser.feed(chunk)
        for _event, element in parser.read_events():
            block, in_paragraph = place(element)
            if block is None or in_paragraph:
                continue  # outside the body, or inside a paragraph that is read as a whole when it ends
            if element.tag == W + "p":
                texts = [paragraph_text(element)] if block is element else \
                    [paragraph_text(p) for p in element.iter(W + "p")] if block.tag == W + "tbl" else None
                if texts is None:
                    continue  # in a content control: not read, dropped with it
                allowance.text(sum(len(t) + 2 for t in texts))  # with the blank line that joins them
                paragraphs.extend(texts)
            elif block.tag != W + "tbl":
                continue
            _drop_done(element)  # a paragraph read, or a table row or table whose paragraphs all were
    parser.close()
    return paragraphs, numbers


def _docx_footnotes(archive, info, allowance):
    texts = {}
    parser = _xml_parser(W + "footnote")
    for chunk in _member_chunks(archive, info, allowance):
        parser.feed(chunk)
        for _event, note in parser.read_events():
            if note.tag != W + "footnote" or note.getparent() is None or note.getparent().getparent() is not None:
                continue
            if note.get(W + "type") not in ("separator", "continuationSeparator", "continuationNotice"):
                text = " ".join("".join(t.text or "" for t in p.iter(W + "t")) for p in note.iter(W + "p"))
                texts[note.get(W + "id")] = " ".join(text.split())
                allowance.text(len(texts[note.get(W + "id")]))
            _drop_done(note)
    parser.close()
    return texts
