"""Layout normalisation: from extracted text to pages of lines, whatever tool extracted it.

Three layouts reach the importer:

* "spaced" text as some PDF extractors write it (the example fiche): every physical line is followed
  by an empty line, a paragraph break is a line holding only spaces, a line holding only spaces that
  is directly followed by text starts the footnotes of a page, and a new page starts with a line that
  begins with a space directly after a text line;
* plain text (pdftotext, pypdf, Word exports): pages separated by form feeds, paragraphs by empty
  lines when the extractor kept them;
* our own PDF and Word readers, which write plain text with form feeds between pages.
"""

import itertools
import re
import unicodedata
from dataclasses import dataclass

TEXT = "text"
BREAK = "break"  # paragraph break
FOOTNOTE_SEPARATOR = "fnsep"

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\u200b\u200c\u200d\ufeff\u00ad]")
_RULE = re.compile(r"^\s*[_\-–—=]{5,}\s*$")
# The running footer or header of a printed Kamerstuk ("Tweede Kamer, vergaderjaar 2023–2024, 22 112, nr. 3908 5")
# and its colophon lines ("kst-22112-3908", "ISSN 0921 - 7371"): not part of the text, but they carry the number.
PAGE_FURNITURE = re.compile(
    r"^\s*(?:(?:'s-Gravenhage\s+\d{4}\s+)?(?:Tweede|Eerste)\s+Kamer,?\s+vergaderjaar\s+\d{4}\s*[–—-]\s*\d{4},?\s*"
    r"(?P<dossier>\d{2}\s?\d{3})(?:-[A-Z0-9]+)?,?\s*nr\.?\s*(?P<number>\d{1,5})(?:\s+\d{1,3})?"
    r"|kst-(?P<kst_dossier>\d{5})-(?P<kst_number>\d{1,5})(?:\s.*)?|ISSN\s+\d{4}\s*-\s*\d{4}(?:\s.*)?|'s-Gravenhage\s+\d{4})\s*$",
    re.IGNORECASE,
)


# The short running header of a printed Kamerstuk, "22 112, nr. 3620" (with the page number before or after it):
# furniture only at the top or bottom of a page, or when it repeats, since a sentence can end in such a citation too.
RUNNING_HEADER = re.compile(
    r"^\s*(?:\d{1,3}\s+)?(?P<dossier>\d{2}\s?\d{3})(?:-[A-Z0-9]{1,3})?,\s*nr\.?\s*(?P<number>\d{1,5})(?:\s+\d{1,3})?\s*$", re.IGNORECASE)
PAGE_NUMBER = re.compile(r"^\s*(?:-\s*)?(?P<number>\d{1,3})(?:\s*-)?\s*$")
EDGE_LINES = 3  # lines at the top and at the bottom of a page where its furniture stands


def page_kamerstuk(text):
    """The Kamerstuk number ("22112-3908") printed in the page footers or running headers, or None."""
    lines = clean(text or "").split("\n")
    for line in lines:
        match = PAGE_FURNITURE.match(line)
        if match and match["number"]:
            return _kamerstuk(match)
        if match and match["kst_number"]:
            return f"{match['kst_dossier']}-{int(match['kst_number'])}"
    edges, counts = _edge_lines(clean(text or "")), {}
    for line in lines:
        if RUNNING_HEADER.match(line):
            counts[_folded(line)] = counts.get(_folded(line), 0) + 1
    for line in lines:
        match = RUNNING_HEADER.match(line)
        if match and (line.strip() in edges or counts[_folded(line)] > 1):
            return _kamerstuk(match)
    return None


def _kamerstuk(match):
    return f"{match['dossier'].replace(' ', '')}-{int(match['number'])}"


def _folded(line):
    match = RUNNING_HEADER.match(line)
    return _kamerstuk(match) if match else line


def _edge_lines(text):
    """The first and last few non-empty lines of every form-feed page, stripped."""
    edges = set()
    for page in text.split("\f"):
        texts = [line.strip() for line in page.split("\n") if line.strip()]
        edges.update(texts[:EDGE_LINES] + texts[-EDGE_LINES:])
    return edges


@dataclass
class Line:
    kind: str
    text: str = ""
    page: int = 0


def clean(raw):
    """Unicode NFC, one kind of newline, no control characters, no non-breaking spaces."""
    text = unicodedata.normalize("NFC", raw)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\u2009", " ").replace("\u202f", " ").replace("\t", " ")
    return _CONTROL.sub("", text)


def is_spaced(raw_lines):
    """True for the layout where every line is followed by an empty line and paragraph breaks are
    lines of spaces."""
    texts = [i for i, line in enumerate(raw_lines) if line.strip()]
    if len(texts) < 6:
        return False
    followed_by_empty = sum(1 for i in texts if i + 1 < len(raw_lines) and raw_lines[i + 1] == "")
    has_space_lines = any(line and not line.strip() for line in raw_lines)
    return has_space_lines and followed_by_empty / len(texts) > 0.5


def to_lines(text):
    """Split cleaned text into typed lines with page numbers."""
    text = clean(text)
    pages = text.split("\f")
    lines = []
    for page_number, page in enumerate(pages):
        raw_lines = [line.rstrip() if line.strip() else line for line in page.split("\n")]
        if is_spaced(raw_lines):
            lines.extend(_spaced_lines(raw_lines, page_number))
        else:
            lines.extend(_plain_lines(raw_lines, page_number))
    return _drop_furniture(_renumber(lines))


def _drop_furniture(lines):
    """Take out what a printed page adds to the text: bare page numbers ("2" glued to the value or footnote
    above it once the lines are joined) and the short running header, where they stand at the top or
    bottom of a page; in text without page breaks, page numbers that count up one by one, and a
    running header that repeats."""
    texts = [line for line in lines if line.kind == TEXT]
    pages = {}
    for line in texts:
        pages.setdefault(line.page, []).append(line)
    edge = {id(line) for page in pages.values() for line in page[:EDGE_LINES] + page[-EDGE_LINES:]}
    headers = {}
    for line in texts:
        if RUNNING_HEADER.match(line.text):
            headers[_folded(line.text)] = headers.get(_folded(line.text), 0) + 1
    numbers = [line for line in texts if PAGE_NUMBER.match(line.text)]
    values = [int(PAGE_NUMBER.match(line.text)["number"]) for line in numbers]
    counting = len(values) >= 2 and all(b == a + 1 for a, b in itertools.pairwise(values))
    def furniture(line):
        if RUNNING_HEADER.match(line.text):
            return id(line) in edge or headers[_folded(line.text)] > 1
        return bool(PAGE_NUMBER.match(line.text)) and (counting or (id(line) in edge and len(pages) > 1))

    drop = {id(line) for line in texts if furniture(line)}
    return [line for line in lines if id(line) not in drop]


def _spaced_lines(raw_lines, form_feed_page):
    sub_page = 0
    page = (form_feed_page, sub_page)
    previous = ""  # "text", "empty", "space"
    for index, raw in enumerate(raw_lines):
        if raw == "":
            previous = "empty"
            continue
        if not raw.strip():
            following = raw_lines[index + 1] if index + 1 < len(raw_lines) else ""
            if following.strip():
                yield Line(FOOTNOTE_SEPARATOR, page=page)
            else:
                yield Line(BREAK, page=page)
            previous = "space"
            continue
        if PAGE_FURNITURE.match(raw):
            continue
        if raw.startswith(" ") and previous == "text":
            # A new page: the extractor writes the first line of every page with a leading space.
            sub_page += 1
            page = (form_feed_page, sub_page)
        if _RULE.match(raw):
            yield Line(FOOTNOTE_SEPARATOR, "rule", page)
        else:
            yield Line(TEXT, raw.strip(), page)
        previous = "text"


def _plain_lines(raw_lines, form_feed_page):
    page = (form_feed_page, 0)
    has_breaks = any(not line.strip() for line in raw_lines[1:-1])
    texts = [line.strip() for line in raw_lines if line.strip()]
    typical = sorted(len(t) for t in texts)[int(len(texts) * 0.9)] if texts else 0
    for raw in raw_lines:
        stripped = raw.strip()
        if not stripped:
            yield Line(BREAK, page=page)
        elif PAGE_FURNITURE.match(raw):
            continue
        elif _RULE.match(raw):
            yield Line(FOOTNOTE_SEPARATOR, "rule", page)
        else:
            yield Line(TEXT, stripped, page)
            if not has_breaks and typical > 40 and stripped[-1] in ".:!?" and len(stripped) < 0.75 * typical:
                # Extractors such as pypdf keep no empty lines: a short line ending a sentence ends a paragraph.
                yield Line(BREAK, page=page)


def _renumber(lines):
    """Pages numbered 0, 1, 2... in document order, whatever mix of form feeds and spaced pages."""
    current, last_raw = 0, None
    for line in lines:
        if last_raw is not None and line.page != last_raw:
            current += 1
        last_raw = line.page
        line.page = current
    return lines


def join_lines(parts):
    """Join physical lines of one paragraph: a word split after a hyphen stays one word."""
    text = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if not text:
            text = part
        elif text.endswith("-") and len(text) > 1 and text[-2].isalnum() and part[0].isalnum():
            text += part
        else:
            text += " " + part
    return re.sub(r"[ ]{2,}", " ", text)
