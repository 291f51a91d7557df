"""Footnotes: numbered lines at page bottoms that interrupt paragraphs, with references glued to words.

Footnotes are numbered 1, 2, 3... through a fiche, so the parser always knows which number comes
next; that, and the reference in the body that must precede it, tell a footnote from a body line
that happens to start with a number. The glued reference ("innovatiepakket.1") becomes a marker
``[^1]`` in the body text.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from positions.text import FOOTNOTE_MARKER

from .text import BREAK, FOOTNOTE_SEPARATOR, TEXT, Line, join_lines

FOOTNOTE_START = re.compile(r"^(\d{1,3})\s+(\S.*)$")
URL_ONLY = re.compile(r"^(https?://\S+)$")
URL = re.compile(r"https?://[^\s<>\"”’)]+[^\s<>\"”’).,;:]")
MAX_GAP = 3


@dataclass
class Footnote:
    number: int
    page: int
    parts: list = field(default_factory=list)
    urls: list = field(default_factory=list)

    @property
    def text(self):
        return join_lines(self.parts)


def glued_reference(number):
    """A footnote number glued to the word or punctuation before it: ``AI-verordening4.``, ``(SAPAI)10,``."""
    return re.compile(rf"(?<=[^\s\d\[\^/(\-+]){number}(?=[\s.,;:!?)\]'\"’”]|$)")


def _has_reference(number, lines):
    pattern = glued_reference(number)
    return any(line.kind == TEXT and pattern.search(line.text) for line in lines)


def extract(lines):
    """Split lines into body lines and footnotes; returns (body, footnotes, page_urls, warnings).

    ``page_urls`` are bare URL lines printed at a page bottom (link targets of the page); those are
    attached to the footnote that names their site, the rest is returned for the caller to use.
    """
    pages = {}
    for line in lines:
        pages.setdefault(line.page, []).append(line)
    single_page = len(pages) == 1
    body, footnotes, page_urls, warnings = [], [], [], []
    expected = 1
    for page_number, page_lines in pages.items():
        page_body, zone, zone_lines = [], None, []
        last_text = next((line.text for line in reversed(body) if line.kind == TEXT), "")
        if last_text and not last_text.endswith((".", "!", "?", ":")):
            # A sentence cut off at the bottom of the previous page goes on here: the space above the page's first line
            # (under its running header) is no paragraph break.
            while page_lines and page_lines[0].kind == BREAK:
                page_lines = page_lines[1:]
            while body and body[-1].kind == BREAK:  # nor the space above the previous page's footer
                body.pop()
        for index, line in enumerate(page_lines):
            if zone is None:
                if line.kind == FOOTNOTE_SEPARATOR:
                    if _starts_zone(page_lines[index + 1 :], expected, bool(footnotes), line.text == "rule"):
                        zone = "separator"
                        _unbreak(page_body)
                    else:
                        page_body.append(Line(BREAK, page=line.page))
                    continue
                match = FOOTNOTE_START.match(line.text) if line.kind == TEXT else None
                if match and expected <= int(match[1]) <= expected + MAX_GAP and (
                    _has_reference(int(match[1]), page_body) or _has_reference(int(match[1]), body[-400:])
                ):
                    zone = "number"
                    _unbreak(page_body)
                else:
                    page_body.append(line)
                    continue
            if zone == "number" and single_page and line.kind == BREAK:
                following = page_lines[index + 1] if index + 1 < len(page_lines) else None
                if following and following.kind == TEXT and not FOOTNOTE_START.match(following.text) and not URL_ONLY.match(following.text):
                    # One long page without page breaks: the footnotes end where a paragraph resumes.
                    zone = "closed"
            if zone == "closed":
                page_body.append(line)
            elif line.kind == TEXT:
                zone_lines.append(line)
        expected, returned = _read_zone(zone_lines, footnotes, page_urls, expected, page_number, warnings)
        body.extend(page_body)
        body.extend(returned)
    _attach_page_urls(footnotes, page_urls)
    return body, footnotes, [u for u, _page, used in page_urls if not used], warnings


def _unbreak(page_body):
    """A sentence cut off by the footnotes goes on at the top of the next page: no paragraph break."""
    texts = [line for line in page_body if line.kind == TEXT]
    if texts and not texts[-1].text.endswith((".", "!", "?", ":")):
        while page_body and page_body[-1].kind == BREAK:
            page_body.pop()


def _starts_zone(rest, expected, has_footnotes, is_rule):
    """A line of spaces directly followed by text starts the footnotes only when the rest of the page
    holds no paragraph break and starts (or continues) a footnote."""
    texts = [line for line in rest if line.kind == TEXT]
    if not texts:
        return False
    if is_rule:
        return True
    if any(line.kind in (BREAK, FOOTNOTE_SEPARATOR) for line in rest):
        return False
    first = FOOTNOTE_START.match(texts[0].text)
    if (first and expected <= int(first[1]) <= expected + MAX_GAP) or URL_ONLY.match(texts[0].text):
        return True
    return has_footnotes and any(
        ((m := FOOTNOTE_START.match(line.text)) and expected <= int(m[1]) <= expected + MAX_GAP) or URL_ONLY.match(line.text)
        for line in texts
    )


def _read_zone(zone_lines, footnotes, page_urls, expected, page_number, warnings):
    """Read the footnote lines of one page; lines that turn out not to be footnotes are returned."""
    starts = [line for line in zone_lines if (m := FOOTNOTE_START.match(line.text)) and expected <= int(m[1]) <= expected + MAX_GAP]
    has_urls = any(URL_ONLY.match(line.text) for line in zone_lines)
    if not starts and not has_urls and (not footnotes or footnotes[-1].text.endswith(".")):
        return expected, zone_lines  # a separator that started no footnotes: body text after all
    current = None
    for line in zone_lines:
        text = line.text
        if url := URL_ONLY.match(text):
            page_urls.append([url[1], page_number, False])
            continue
        match = FOOTNOTE_START.match(text)
        if match and expected <= int(match[1]) <= expected + MAX_GAP:
            number = int(match[1])
            if number != expected:
                missing = f"Voetnoot {expected}" if number - 1 == expected else f"Voetnoot {expected} tot {number - 1}"
                warnings.append(f"{missing} niet gevonden; controleer de voetnoten rond voetnoot {number}.")
            current = Footnote(number, page_number, [match[2]])
            footnotes.append(current)
            expected = number + 1
        elif current is not None:
            current.parts.append(text)
        elif footnotes:
            footnotes[-1].parts.append(text)  # a footnote continued from the previous page
    return expected, []


def _attach_page_urls(footnotes, page_urls):
    for footnote in footnotes:
        for url in URL.findall(footnote.text):
            if url not in footnote.urls:
                footnote.urls.append(url)
    for entry in page_urls:
        url, page, _used = entry
        if "celex" in url.lower():
            continue  # a link to a Commission document: the general data use it
        host = (urlsplit(url).hostname or "").lower()
        candidates = [f for f in footnotes if f.page == page] + [f for f in footnotes if f.page != page]
        for footnote in candidates:
            named = re.findall(r"\(([a-z0-9.-]+\.[a-z]{2,})\)", footnote.text.lower())
            if not footnote.urls and any(host == site or host.endswith("." + site) for site in named):
                footnote.urls.append(url)
                entry[2] = True
                break


def insert_markers(body, footnotes, warnings):
    """Replace each footnote's glued reference in the body by ``[^N]``, searching its own page first."""
    cursor = (-1, 0)
    for footnote in footnotes:
        pattern = glued_reference(footnote.number)
        found = _find(body, pattern, cursor, lambda line, fn=footnote: line.page == fn.page) or _find(body, pattern, cursor, None)
        if found is None:
            warnings.append(f"De verwijzing naar voetnoot {footnote.number} is niet gevonden in de tekst.")
            continue
        index, match = found
        line = body[index]
        marker = f"[^{footnote.number}]"
        line.text = line.text[: match.start()] + marker + line.text[match.end() :]
        cursor = (index, match.start() + len(marker))


# A footnote number glued to the end of a word: after three lower-case letters ("innovatiepakket1") or after a
# letter and closing punctuation ("AI)1", "pakket.1", "Office,1"); never after capitals alone (CO2, G7, PM2,5),
# after digits (2024) or before more digits or a hyphen (CO2-uitstoot, (EU)2021/1173).
GLUED_NUMBER = re.compile(r"(?P<before>[a-zà-ÿ]{3}|[A-Za-zÀ-ÿ][).,”’])(?P<number>[1-9]\d{0,2})(?=[\s.,;:!?)\]'\"’”]|$)")


def strip_unmatched(text, footnotes, warnings):
    """``text`` (a paragraph of a section) without the footnote numbers still glued to its words: their footnote
    was not found (a PDF that printed them elsewhere, a text cut short). Each one taken out is named in a
    warning. Not for the general data, where a value can be glued to its label ("Commissiedocument14 maart")."""
    known = {footnote.number for footnote in footnotes}
    kept, last = [], 0
    for match in GLUED_NUMBER.finditer(text):
        word_start = text.rfind(" ", 0, match.start()) + 1
        token = text[word_start : match.end()]
        if "://" in token or "www." in token or "@" in token or int(match["number"]) in known:
            continue
        kept.append(text[last : match.start("number")])
        last = match.end("number")
        word = text[word_start : match.start("number")]
        warnings.append(f"Voetnootcijfer {match['number']} achter '{word[-40:]}' is uit de tekst gehaald: er is geen voetnoot "
                        f"{match['number']} gevonden. Controleer de voetnoten.")
    return "".join(kept) + text[last:] if kept else text


def _find(body, pattern, cursor, where):
    start_index, start_offset = cursor
    for index in range(max(start_index, 0), len(body)):
        line = body[index]
        if line.kind != TEXT or (where and not where(line)):
            continue
        offset = start_offset if index == start_index else 0
        match = pattern.search(line.text, offset)
        if match:
            return index, match
    return None


def strip_markers(text):
    return FOOTNOTE_MARKER.sub("", text)


__all__ = ["Footnote", "Line", "extract", "insert_markers", "strip_markers", "strip_unmatched"]
