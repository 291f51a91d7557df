"""One invented fiche, written once (tests/importer/corpus/*.fiche), made into every format the importer reads:
text, the PDF as the official publication prints it (running header, footer, page numbers, footnotes at
the page bottom; optionally with every word placed on its own), Word with the general data in a two-column
table and real footnotes, the HTML page of officielebekendmakingen.nl and the Kamerstuk XML.

The source: ``@number``, ``@session`` and ``@stuk`` (the document's own number, session year and title),
then one block a line: ``# heading``, ``| label | value`` (a row of the general data; a label ending in
":" is the label-colon layout), anything else a paragraph; ``[^N]`` marks a footnote reference and
``[^N]: text`` gives the footnote.
"""

import html
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

CORPUS = Path(__file__).parent / "corpus"
DOSSIER = "22 112"
DOSSIER_TITLE = "Nieuwe Commissievoorstellen en initiatieven van de lidstaten van de Europese Unie"
REF = re.compile(r"\[\^(\d+)\]")
MARKER = re.compile(r"^((?:•\s*)?[a-z]\))\s+(.*)$")


@dataclass
class Source:
    name: str
    number: int
    session: str
    stuk: str
    blocks: list = field(default_factory=list)  # ("heading", text) | ("row", label, value) | ("para", text)
    footnotes: dict = field(default_factory=dict)

    @property
    def kamerstuk(self):
        return f"22112-{self.number}"

    @property
    def header(self):
        return [f"{DOSSIER} {DOSSIER_TITLE}", f"Nr. {self.number} {self.stuk}"]


def load(name):
    source = Source(name, 0, "", "")
    for line in (CORPUS / f"{name}.fiche").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        if line.startswith("@"):
            key, _sep, value = line[1:].partition(" ")
            setattr(source, key, int(value) if key == "number" else value)
        elif match := re.match(r"^\[\^(\d+)\]:\s*(.*)$", line):
            source.footnotes[int(match[1])] = match[2]
        elif line.startswith("# "):
            source.blocks.append(("heading", line[2:]))
        elif line.startswith("| "):
            label, value = (part.strip() for part in line[2:].split(" | ", 1))
            source.blocks.append(("row", label, value))
        else:
            source.blocks.append(("para", line))
    return source


def names():
    return sorted(path.stem for path in CORPUS.glob("*.fiche"))


def _glued(text):
    return REF.sub(lambda m: m[1], text)


def _paragraphs(source):
    """The blocks as paragraphs of text, a row as its label and its value (one paragraph in the label-colon layout)."""
    for block in source.blocks:
        if block[0] == "row":
            _kind, label, value = block
            if label.endswith(":"):
                yield f"{label} {value}"
            else:
                yield label
                yield value
        else:
            yield block[1]


# Text --------------------------------------------------------------------------------------------------


def to_text(source):
    """As copied from the publication: paragraphs apart, footnote numbers glued to their words, footnotes at the end."""
    body = "\n\n".join([*source.header, *(_glued(p) for p in _paragraphs(source))])
    notes = "\n".join(f"{number} {text}" for number, text in source.footnotes.items())
    return body + ("\n\n" + notes if notes else "") + "\n"


# PDF ---------------------------------------------------------------------------------------------------

PAGE_WIDTH, PAGE_HEIGHT = 595, 842
LEFT, TOP, BOTTOM = 70, 770, 80
CHARS = 75  # Courier 10 pt: 6 pt a character, 450 pt a line
LEADING, PARAGRAPH_GAP = 13, 8
NOTE_SIZE, NOTE_LEADING, NOTE_CHARS = 8, 10, 90


def _pdf_string(text):
    raw = text.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _wrap(text, width):
    """Words into lines of at most ``width`` characters; a footnote reference ([^N]) takes no room."""
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if len(REF.sub("", candidate)) > width and line:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line] if line else lines


class _PdfWriter:
    def __init__(self, source, per_word):
        self.source, self.per_word = source, per_word
        self.pages, self.ops, self.notes, self.forms = [], [], [], []
        self.y = TOP
        self.new_page()

    def new_page(self):
        if self.ops or self.pages:
            self.finish_page()
        self.ops, self.notes, self.forms = [], [], []
        number = len(self.pages) + 1
        if number == 1:
            self.text(LEFT, 805, "Tweede Kamer der Staten-Generaal", 9)
            self.text(LEFT, 793, f"Vergaderjaar {self.source.session}", 9)
            self.y = TOP
        else:
            self.text(LEFT, 805, f"{DOSSIER}, nr. {self.source.number}", 8)  # the running header
            self.y = TOP

    def finish_page(self):
        number = len(self.pages) + 1
        y = BOTTOM + 10 + NOTE_LEADING * sum(len(lines) for lines in self.notes)
        for lines in self.notes:
            for line in lines:
                self.text(LEFT, y, line, NOTE_SIZE)
                y -= NOTE_LEADING
        if number == 1:
            self.text(LEFT, 52, f"kst-22112-{self.source.number}", 7)
            self.text(LEFT, 44, "ISSN 0921 - 7371", 7)
            self.text(LEFT, 36, f"'s-Gravenhage {self.source.session[-4:]}", 7)
            self.text(250, 36, f"Tweede Kamer, vergaderjaar {self.source.session}, {DOSSIER}, nr. {self.source.number}", 7)
            self.text(540, 36, "1", 7)
        else:
            self.text(PAGE_WIDTH / 2, 36, str(number), 8)  # the page number, alone at the bottom
        self.pages.append((b"\n".join(self.ops), self.forms))

    def text(self, x, y, text, size=10):
        self.ops.append(b"BT /F1 %d Tf 1 0 0 1 %.2f %.2f Tm " % (size, x, y) + _pdf_string(text) + b" Tj ET")

    def word(self, x, y, text):
        if self.per_word:  # each word a form XObject of its own, as some producers write them: plain extraction gives a word a line
            self.forms.append(b"BT /F1 10 Tf 0 3 Td " + _pdf_string(text) + b" Tj ET")
            self.ops.append(b"q 1 0 0 1 %.2f %.2f cm /W%d Do Q" % (x, y - 3, len(self.forms) - 1))
        else:
            self.text(x, y, text)

    def line(self, line):
        """One line of body text at the current height, its footnote references raised and small after their words."""
        x = LEFT
        pieces = line.split(" ") if self.per_word else [line]
        for piece in pieces:
            parts = REF.split(piece)  # text, number, text, number, ...
            for index, part in enumerate(parts):
                if index % 2 == 0:
                    if part:
                        self.word(x, self.y, part)
                        x += 6 * len(part)
                else:
                    self.ops.append(b"BT /F1 6 Tf 1 0 0 1 %.2f %.2f Tm (%s) Tj ET" % (x, self.y + 4, part.encode()))
                    x += 3.6 * len(part)
            x += 6  # the space after the word
        self.y -= LEADING

    def paragraph(self, text):
        for line in _wrap(text, CHARS):
            refs = [int(n) for n in REF.findall(line)]
            notes = [_wrap(f"{n} {self.source.footnotes[n]}", NOTE_CHARS) for n in refs]
            needed = NOTE_LEADING * sum(len(lines) for lines in self.notes + notes)
            if self.y - LEADING < BOTTOM + 20 + needed:
                self.new_page()
            self.notes.extend(notes)
            self.line(line)
        self.y -= PARAGRAPH_GAP

    def build(self):
        for paragraph in [*self.source.header, *_paragraphs(self.source)]:
            self.paragraph(paragraph)
        self.finish_page()
        return _pdf_file(self.pages)


def _pdf_file(pages):
    """A PDF of pages given as (content stream, [form XObject streams drawn as /W0, /W1, ...])."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", None, b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>"]
    kids = []
    for stream, forms in pages:
        names = []
        for index, form in enumerate(forms):
            objects.append(b"<< /Type /XObject /Subtype /Form /BBox [0 0 500 14] /Resources << /Font << /F1 3 0 R >> >> /Length %d >>\n"
                           b"stream\n" % len(form) + form + b"\nendstream")
            names.append(b"/W%d %d 0 R" % (index, len(objects)))
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 3 0 R >> /XObject << %s >> >> "
                       b"/Contents %d 0 R >>" % (PAGE_WIDTH, PAGE_HEIGHT, b" ".join(names), len(objects)))
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


def to_pdf(source, per_word=False):
    return _PdfWriter(source, per_word).build()


# Word --------------------------------------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _runs(text):
    parts = REF.split(text)
    out = []
    for index, part in enumerate(parts):
        if index % 2 == 0:
            if part:
                out.append(f'<w:r><w:t xml:space="preserve">{escape(part)}</w:t></w:r>')
        else:
            out.append(f'<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="{int(part) + 1}"/></w:r>')
    return "".join(out)


def _cell(text):
    return f'<w:tc><w:tcPr><w:tcW w:w="4500" w:type="dxa"/></w:tcPr><w:p>{_runs(text)}</w:p></w:tc>'


def to_docx(source):
    """A Word file: the heading lines and paragraphs as paragraphs, the general data as a two-column table, real footnotes."""
    from .helpers import make_docx

    body, rows = [], []

    def flush_rows():
        if rows:
            body.append('<w:tbl><w:tblPr><w:tblW w:w="9000" w:type="dxa"/></w:tblPr>'
                        + "".join(f"<w:tr>{_cell(label)}{_cell(value)}</w:tr>" for label, value in rows) + "</w:tbl>")
            rows.clear()

    for text in source.header:
        body.append(f"<w:p>{_runs(text)}</w:p>")
    for block in source.blocks:
        if block[0] == "row":
            rows.append((block[1], block[2]))
            continue
        flush_rows()
        body.append(f"<w:p>{_runs(block[1])}</w:p>")
    flush_rows()
    notes = ('<w:footnote w:type="separator" w:id="0"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
             '<w:footnote w:type="continuationSeparator" w:id="1"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
             + "".join(f'<w:footnote w:id="{n + 1}"><w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p></w:footnote>'
                       for n, text in source.footnotes.items()))
    base = zipfile.ZipFile(io.BytesIO(make_docx(["x"])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in base.infolist():
            data = base.read(info.filename)
            if info.filename == "word/document.xml":
                data = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W_NS}"><w:body>'
                        f'{"".join(body)}<w:sectPr/></w:body></w:document>').encode()
            elif info.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/'
                                    b'officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>')
            elif info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>')
            archive.writestr(info.filename, data)
        archive.writestr("word/footnotes.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:footnotes xmlns:w="{W_NS}">{notes}</w:footnotes>')
    return out.getvalue()


# HTML (the page of officielebekendmakingen.nl, as saved) -----------------------------------------------


def _html_text(text):
    out = []
    for index, part in enumerate(REF.split(text)):
        if index % 2:
            out.append(f'<a class="nootnum supernote-click-ID-{part}" href="#ID-{part}">{part}</a>')
        else:
            out.append(re.sub(r"https?://[^\s<]+", lambda m: f'<a href="{m[0]}" class="externe_link">{m[0]}</a>',
                              html.escape(part, quote=False)))
    return "".join(out)


def to_html(source):
    identifier = f"kst-22112-{source.number}"
    parts = [
        "<!DOCTYPE html>", '<html lang="nl"><head><meta charset="utf-8">',
        f"<title>{html.escape(source.stuk.capitalize())} | Overheid.nl &gt; Officiële bekendmakingen</title>",
        f'<meta name="dcterms.identifier" content="{identifier}"><meta name="dcterms.type" content="Kamerstuk">',
        '<link rel="stylesheet" href="/css/site.css"><script src="/js/supernote.js"></script></head><body>',
        '<header><a class="skiplink" href="#content">Ga direct naar inhoud</a><nav><ul><li><a href="/">Home</a></li>'
        '<li><a href="/zoeken">Zoeken</a></li></ul></nav><form action="/zoeken"><input name="q"><button>Zoek</button></form></header>',
        '<main id="content"><table class="metadata"><tr><th>Datum publicatie</th><th>Organisatie</th><th>Vergaderjaar</th>'
        f"<th>Dossier- en ondernummer</th></tr><tr><td>1 januari 2000</td><td>Tweede Kamer der Staten-Generaal</td>"
        f"<td>{source.session}</td><td>22112 nr. {source.number}</td></tr></table>",
        '<div class="stuk">',
        f'<h1 class="dossiertitel"><span class="dossiernummer">{DOSSIER}</span> {html.escape(DOSSIER_TITLE)}</h1>',
        f'<h1 class="stuktitel"><span class="stuknummer">Nr. {source.number}</span> {html.escape(source.stuk)}</h1>',
    ]
    in_list = False
    for block in source.blocks:
        if block[0] == "row" and not block[1].endswith(":"):
            label, value = block[1], block[2]
            if not in_list:
                parts.append('<ul class="expliciet whitespace-small">')
                in_list = True
            marker = MARKER.match(label)
            label_html = (f'<span class="ol">{html.escape(marker[1])} </span>{html.escape(marker[2])}' if marker else html.escape(label))
            parts.append(f'<li class="li"><p class="labeled">{label_html}</p><p>{_html_text(value)}</p></li>')
            continue
        if in_list:
            parts.append("</ul>")
            in_list = False
        if block[0] == "row":
            parts.append(f'<p><strong class="vet">{html.escape(block[1])}</strong> {_html_text(block[2])}</p>')
        elif block[0] == "heading":
            parts.append(f'<h2 class="divisiekop1">{_html_text(block[1])}</h2>')
        else:
            parts.append(f"<p>{_html_text(block[1])}</p>")
    if in_list:
        parts.append("</ul>")
    if source.footnotes:
        parts.append('<div id="noten"><hr>')
        for number, text in source.footnotes.items():
            parts.append(f'<div class="voet noot snp-mouseoffset snb-pinned notedefault" id="supernote-note-ID-{number}">'
                         f'<h5 class="note-close"><a class="note-close" href="#close-ID-{number}">X</a> Noot</h5>'
                         f'<sup><span class="nootnum"><a id="ID-{number}" name="ID-{number}"></a>{number}</span></sup>'
                         f"<p>{_html_text(text)}</p></div>")
        parts.append("</div>")
    parts.append('</div></main><footer><p>Dit is een officiële publicatie.</p><ul><li><a href="/over">Over deze site</a></li>'
                 "</ul></footer></body></html>")
    return "\n".join(parts).encode("utf-8")


# XML (officiele-publicatie, as the repository serves it next to the PDF) --------------------------------


def _xml_text(text, notes):
    out = []
    for index, part in enumerate(REF.split(text)):
        if index % 2:
            number = int(part)
            out.append(f'<noot id="ID-{number}" type="voet"><noot.nr>{number}</noot.nr><noot.al>{_xml_text(notes[number], {})}</noot.al></noot>')
        else:
            out.append(re.sub(r"https?://[^\s<]+", lambda m: f'<extref doc="{m[0]}" soort="URL" status="actief">{m[0]}</extref>',
                              escape(part)))
    return "".join(out)


def to_xml(source):
    notes = source.footnotes
    body, open_list, open_division = [], False, False
    for block in source.blocks:
        if block[0] == "row" and not block[1].endswith(":"):
            if not open_list:
                body.append('<lijst type="expliciet">')
                open_list = True
            marker = MARKER.match(block[1])
            number, label = (marker[1], marker[2]) if marker else ("", block[1])
            body.append(f"<li>{f'<li.nr>{escape(number)}</li.nr>' if number else ''}<al>{_xml_text(label, notes)}</al>"
                        f"<al>{_xml_text(block[2], notes)}</al></li>")
            continue
        if open_list:
            body.append("</lijst>")
            open_list = False
        if block[0] == "row":
            body.append(f'<al><nadruk type="vet">{escape(block[1])}</nadruk> {_xml_text(block[2], notes)}</al>')
        elif block[0] == "heading" and (main := re.match(r"^(\d{1,2}\.)\s+(.*)$", block[1])):
            if open_division:
                body.append("</divisie>")
            body.append(f"<divisie><kop><nr>{main[1]}</nr><titel>{_xml_text(main[2], notes)}</titel></kop>")
            open_division = True
        elif block[0] == "heading":
            body.append(f'<tussenkop kopopmaak="vet">{_xml_text(block[1], notes)}</tussenkop>')
        else:
            body.append(f"<al>{_xml_text(block[1], notes)}</al>")
    if open_list:
        body.append("</lijst>")
    if open_division:
        body.append("</divisie>")
    identifier = f"kst-22112-{source.number}"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<officiele-publicatie xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:noNamespaceSchemaLocation="http://technische-documentatie.oep.overheid.nl/schema/op-xsd-2012-2">'
        f'<metadata><meta name="OVERHEIDop.externMetadataRecord" scheme="" content="https://repository.overheid.nl/frbr/'
        f'officielepublicaties/kst/22112/{identifier}/1/metadata/metadata.xml"/></metadata>'
        "<kamerstuk><kamerstukkop>"
        '<tekstregel inhoud="kameraanduiding">Tweede Kamer der Staten-Generaal</tekstregel>'
        f'<tekstregel inhoud="vergaderjaar">Vergaderjaar {source.session}</tekstregel></kamerstukkop>'
        f"<dossier><dossiernummer><dossiernr>{DOSSIER}</dossiernr></dossiernummer><titel>{escape(DOSSIER_TITLE)}</titel></dossier>"
        f'<stuk><stuknr>Nr. <ondernummer kamer="2">{source.number}</ondernummer></stuknr><titel>{escape(source.stuk)}</titel>'
        '<algemeen><vrije-tekst><tekst status="goed">' + "".join(body) + "</tekst></vrije-tekst></algemeen></stuk></kamerstuk>"
        "</officiele-publicatie>\n"
    ).encode("utf-8")


FORMATS = {
    "txt": lambda source: to_text(source).encode("utf-8"),
    "pdf": to_pdf,
    "pdf-words": lambda source: to_pdf(source, per_word=True),
    "docx": to_docx,
    "html": to_html,
    "xml": to_xml,
}
FILENAMES = {"txt": "fiche.txt", "pdf": "fiche.pdf", "pdf-words": "fiche.pdf", "docx": "fiche.docx", "html": "kst.html", "xml": "kst.xml"}
