"""The official publication of a Kamerstuk, read as a fiche: the HTML page of officielebekendmakingen.nl
as saved from the browser, and the XML the official publications repository serves next to the PDF
(``repository.overheid.nl/frbr/officielepublicaties/kst/22112/kst-22112-3620/...xml``, schema "op-xsd").

Both are turned into the text our other readers produce, so the one text parser reads them: the
document's heading lines ("22 112 Nieuwe Commissievoorstellen ..." and "Nr. 3620 BRIEF VAN ..."),
then a paragraph per block (paragraph, heading, list item, table cell), a footnote reference as its
number glued to the word before it, and after a form feed the footnotes, one "N text" line each.

The XML (root ``officiele-publicatie``): ``kamerstuk/dossier/dossiernummer/dossiernr`` and
``dossier/titel``; ``stuk/stuknr`` ("Nr. " and ``ondernummer``) and ``stuk/titel``; the text in
``al`` (paragraph), ``tussenkop``, ``divisie/kop`` (``nr``, ``titel``), ``lijst/li`` (``li.nr``),
CALS tables (``table/tgroup/tbody/row/entry``); footnotes inline where they are referenced,
``noot`` with ``noot.nr`` and ``noot.al``; links ``extref`` with the target in ``@doc``.

The HTML page: the document in ``div.stuk`` (else ``#broodtekst``, ``main``, ``article``, the body),
references ``a.nootnum`` (or a ``sup`` holding a number), the footnotes in ``#noten`` as ``div.noot``
with the number in ``span.nootnum``; the publication id in ``<meta name="dcterms.identifier">``.

Both are read in the worker process (sandbox.py) under the budgets of limits.py: input size, elements,
text, time. An XML or HTML file that declares entities is refused before it is parsed: no entity is
ever expanded, no DTD or network resource loaded.
"""

import re

from . import limits
from .errors import Budget, BudgetExceeded, FicheParseError

CHUNK_BYTES = 64 * 1024
NOT_KAMERSTUK_XML = ("Dit XML-bestand is geen Kamerstuk-XML van de officiële publicaties (het hoofdelement is {root}, niet "
                     "officiele-publicatie). Gebruik de XML van het Kamerstuk, de HTML-pagina, de PDF of het Word-bestand.")
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_NUMBER = re.compile(r"^\s*(\d{1,3})\s*$")

# XML ------------------------------------------------------------------------------------------------

XML_SKIP = {"metadata", "kamerstukkop", "colspec", "spanspec", "plaatje", "illustratie", "li.nr", "noot"}
XML_INLINE = {"nadruk", "extref", "intref", "sup", "inf", "br", "naam", "voornaam", "achternaam", "voorvoegsels", "datum",
              "organisatie", "functie", "term", "dossierref", "noot"}
XML_PARAGRAPHS = {"al", "tussenkop", "titel", "wat", "dagtekening", "plaats", "considerans.al", "noot.al"}


def read_xml(data):
    """``(text, warnings)`` of a Kamerstuk's official XML."""
    from lxml import etree

    allowance = limits.Allowance(label="XML-bestand", unpacked=limits.MAX_BYTES)
    _refuse_entities(data, "XML-bestand")
    parser = etree.XMLPullParser(events=("start",), resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                                 remove_comments=True, remove_pis=True)
    try:
        root = _parse(parser, data, allowance, "XML-bestand")
    except etree.XMLSyntaxError as error:
        raise FicheParseError(f"Dit XML-bestand kan niet worden gelezen ({error.msg or 'geen geldige XML'}).") from error
    for element in root.iter():
        if isinstance(element.tag, str) and "}" in element.tag:
            element.tag = element.tag.rsplit("}", 1)[1]
    if root.tag != "officiele-publicatie":
        raise FicheParseError(NOT_KAMERSTUK_XML.format(root=root.tag))
    kamerstuk = root.find("kamerstuk")
    stuk = kamerstuk.find("stuk") if kamerstuk is not None else None
    if stuk is None:
        raise FicheParseError("Dit XML-bestand is een officiële publicatie, maar geen Kamerstuk (er staat geen kamerstuk/stuk in).")
    out = _Text(allowance)
    for dossier in kamerstuk.findall("dossier"):
        number = dossier.find("dossiernummer")
        title = dossier.find("titel")
        out.paragraph(" ".join(t for t in (_plain(number), _plain(title)) if t))
    heading = " ".join(t for t in (_plain(stuk.find("stuknr")), _plain(stuk.find("titel"))) if t)
    out.paragraph(heading)
    for child in stuk:
        if isinstance(child.tag, str) and child.tag not in ("stuknr", "titel"):
            _xml_block(child, out)
    return out.text(), []


def _xml_block(element, out):
    tag = element.tag if isinstance(element.tag, str) else None
    if tag is None or tag in XML_SKIP:
        return
    if tag == "kop":
        out.paragraph(" ".join(_xml_inline(part, out) for part in element if isinstance(part.tag, str) and part.tag != "noot"))
        return
    if tag == "li":
        marker = element.find("li.nr")
        prefix = _plain(marker) + " " if marker is not None else ""
        first = True
        for child in element:
            if not isinstance(child.tag, str) or child.tag == "li.nr":
                continue
            if first and child.tag == "al":
                out.paragraph(prefix + _xml_inline(child, out))
                prefix, first = "", False
            else:
                _xml_block(child, out)
        if prefix.strip():
            out.paragraph(prefix)
        return
    if tag in ("ondertekening",):
        out.paragraph("\n".join(_xml_inline(child, out) for child in element if isinstance(child.tag, str)))
        return
    blocks = [child for child in element if isinstance(child.tag, str) and child.tag not in XML_INLINE]
    if tag in XML_PARAGRAPHS or not blocks:
        out.paragraph(_xml_inline(element, out))
        return
    if element.text and element.text.strip():
        out.paragraph(element.text)
    for child in element:
        if isinstance(child.tag, str):
            if child.tag in XML_INLINE:
                out.paragraph(_xml_inline(child, out) + (child.tail or ""))
                continue
            _xml_block(child, out)
        if child.tail and child.tail.strip():
            out.paragraph(child.tail)


def _xml_inline(element, out):
    """The running text of an element: its footnotes as their numbers, their text kept for the end."""
    out.tick()
    parts = [element.text or ""]
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else None
        if tag == "noot":
            number = _plain(child.find("noot.nr"))
            texts = [_xml_inline(al, out) for al in child.findall("noot.al")] or [_xml_inline(child, out)]
            out.footnote(number, " ".join(texts))
            parts.append(number or str(len(out.footnotes)))
        elif tag == "br":
            parts.append("\n")
        elif tag == "extref":
            text = _xml_inline(child, out)
            target = (child.get("doc") or "").strip()
            # A link whose text does not show where it goes ("EUR-Lex", a title): the target is what a reader of
            # the printed text would look up, and the CELEX number sits in it.
            if re.match(r"https?://", target) and target not in text and "celex" in target.lower():
                text = f"{text} {target}".strip()
            parts.append(text)
        elif tag is not None and tag not in XML_SKIP:
            parts.append(_xml_inline(child, out))
        parts.append(child.tail or "")
    return "".join(parts)


# HTML -----------------------------------------------------------------------------------------------

HTML_DROP = {"script", "style", "noscript", "nav", "form", "button", "select", "template", "svg", "iframe", "object", "head"}
HTML_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "td", "th", "div", "section", "article", "main", "blockquote",
               "pre", "tr", "table", "tbody", "thead", "tfoot", "ul", "ol", "dl", "caption", "figcaption", "figure", "address",
               "header", "footer", "aside", "body", "hr"}
_CONTENT_ROOTS = ('//div[contains(concat(" ", normalize-space(@class), " "), " stuk ")]', '//*[@id="broodtekst"]', "//main",
                  "//article", "//body")
_FOOTNOTE_ITEMS = ('//*[@id="noten"]//*[contains(concat(" ", normalize-space(@class), " "), " noot ")]',
                   '//*[contains(concat(" ", normalize-space(@class), " "), " voet ")]',
                   '//*[@id="noten" or contains(concat(" ", normalize-space(@class), " "), " noten ")]/ol/li',
                   '//*[contains(concat(" ", normalize-space(@class), " "), " footnote ")]')


def read_html(data):
    """``(text, warnings)`` of a Kamerstuk's page as saved from officielebekendmakingen.nl."""
    from lxml import etree

    allowance = limits.Allowance(label="HTML-bestand", unpacked=limits.MAX_BYTES)
    _refuse_entities(data, "HTML-bestand")
    parser = etree.HTMLPullParser(events=("start",), no_network=True, remove_comments=True, remove_pis=True, huge_tree=False)
    try:
        root = _parse(parser, data, allowance, "HTML-bestand")
    except etree.LxmlError as error:
        raise FicheParseError(f"Dit HTML-bestand kan niet worden gelezen ({type(error).__name__}).") from error
    if root is None:
        raise FicheParseError("Het HTML-bestand bevat geen tekst.")
    out = _Text(allowance)
    identifier = root.xpath('//meta[translate(@name, "DCTERMSIDNFR", "dctermsidnfr")="dcterms.identifier"]/@content')
    if identifier and re.fullmatch(r"kst-\d{5}-\d{1,5}", identifier[0].strip()):
        out.paragraph(identifier[0].strip())  # the colophon line of the printed Kamerstuk: page furniture that names it
    seen = set()
    for query in _FOOTNOTE_ITEMS:
        for item in root.xpath(query):
            if any(id(parent) in seen for parent in item.iterancestors()) or id(item) in seen:
                continue
            seen.add(id(item))
            _html_footnote(item, out)
            if item.getparent() is not None:
                _drop(item)
    for container in root.xpath('//*[@id="noten"]'):
        _drop(container)
    content = next((found[0] for query in _CONTENT_ROOTS if (found := root.xpath(query))), root)
    _html_block(content, out)
    return out.text(), []


def _html_footnote(item, out):
    number_element = next(iter(item.xpath('.//*[contains(concat(" ", normalize-space(@class), " "), " nootnum ")] | .//sup')), None)
    for close in item.xpath('.//*[contains(concat(" ", normalize-space(@class), " "), " note-close ")]'):
        _drop(close)
    number = " ".join(number_element.itertext()).strip() if number_element is not None else ""
    if number_element is not None:
        _drop(number_element)
    text = " ".join(" ".join(item.itertext()).split())
    if not number:
        match = re.match(r"(\d{1,3})\s+(.*)", text)
        number, text = (match[1], match[2]) if match else (str(len(out.footnotes) + 1), text)
    urls = [href for href in item.xpath(".//a/@href") if href.startswith(("http://", "https://")) and href not in text]
    out.footnote(number, " ".join([text, *urls]))


def _drop(element):
    """Remove an element from the tree, keeping its tail text in place."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _html_tag(element):
    return element.tag.lower() if isinstance(element.tag, str) else None


def _html_block(element, out):
    tag = _html_tag(element)
    if tag is None or tag in HTML_DROP:
        return
    blocks = [child for child in element if _html_tag(child) in HTML_BLOCKS or _html_tag(child) in HTML_DROP]
    if not blocks:
        out.paragraph(_html_inline(element, out))
        return
    run = [element.text or ""]
    for child in element:
        child_tag = _html_tag(child)
        if child_tag in HTML_BLOCKS or child_tag in HTML_DROP:
            out.paragraph("".join(run))
            run = []
            _html_block(child, out)
        elif child_tag is not None:
            run.append(_html_inline(child, out))
        run.append(child.tail or "")
    out.paragraph("".join(run))


def _html_inline(element, out):
    out.tick()
    tag = _html_tag(element)
    if tag in HTML_DROP:
        return ""
    if tag == "br":
        return "\n"
    classes = (element.get("class") or "").split()
    if tag == "sup" or "nootnum" in classes:
        text = "".join(element.itertext())
        if _NUMBER.match(text):
            return text.strip()  # a footnote reference: glued to the word before it, as printed
    if tag == "a" and element.get("href", "").lower().startswith("http") and "celex" in element.get("href", "").lower():
        text = "".join(_html_inline(child, out) + (child.tail or "") for child in element)
        text = (element.text or "") + text
        href = element.get("href").strip()
        return text if href in text else f"{text} {href}".strip()
    parts = [element.text or ""]
    for child in element:
        parts.append(_html_inline(child, out))
        parts.append(child.tail or "")
    return "".join(parts)


# Shared ----------------------------------------------------------------------------------------------


def _refuse_entities(data, label):
    if _ENTITY_DECLARATION.search(data):
        raise FicheParseError(f"Dit {label} declareert eigen entiteiten (<!ENTITY ...>); zo'n bestand wordt niet gelezen. Een "
                              "Kamerstuk van de officiële publicaties heeft ze niet.")


def _parse(parser, data, allowance, label):
    """Feed ``data`` to a pull parser a chunk at a time, counting elements against the budget; the root element."""
    elements = 0
    for start in range(0, len(data), CHUNK_BYTES):
        parser.feed(data[start : start + CHUNK_BYTES])
        for _event in parser.read_events():
            elements += 1
        if elements > limits.MAX_MARKUP_ELEMENTS:
            raise BudgetExceeded(f"Het {label} bestaat uit meer dan {limits.number(limits.MAX_MARKUP_ELEMENTS)} elementen; een fiche "
                                 "heeft er veel minder. Is dit het juiste bestand?", budget=Budget.PARTS)
        allowance.tick()
    return parser.close()


def _plain(element):
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())


class _Text:
    """Paragraphs and footnotes as they are read, counted against the text budget."""

    def __init__(self, allowance):
        self.allowance = allowance
        self.paragraphs = []
        self.footnotes = []

    def tick(self):
        self.allowance.tick()

    def paragraph(self, text):
        lines = [_SPACES.sub(" ", line).strip() for line in (text or "").replace("\r", "").split("\n")]
        text = "\n".join(line for line in lines if line)
        if text:
            self.allowance.text(len(text) + 2)
            self.paragraphs.append(text)

    def footnote(self, number, text):
        text = " ".join((text or "").split())
        self.allowance.text(len(text) + 5)
        self.footnotes.append(f"{number} {text}".strip())

    def text(self):
        body = "\n\n".join(self.paragraphs)
        if sum(1 for c in body if c.isalpha()) < 200:
            raise FicheParseError("Dit bestand bevat (bijna) geen tekst; is het de pagina of XML van het Kamerstuk zelf?")
        return body + ("\f" + "\n".join(self.footnotes) if self.footnotes else "")
