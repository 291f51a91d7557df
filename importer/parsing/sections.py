"""Section headings, recognised by their titles (numbering changed over the years), in both templates.

``split`` walks the body lines once and returns the header (everything before the general data),
the labelled values of the general data, and the sections with their paragraphs.
"""

import re
from dataclasses import dataclass, field

from . import general
from .text import BREAK, TEXT, join_lines

# (key, title pattern). Group headings have a key starting with "group:": they hold sub-sections and
# only become a section of their own when text follows them directly.
SECTION_TITLES = [
    ("general", r"Algemene\s+gegevens"),
    ("group:summary", r"Samenvatting\s+(?:van\s+het\s+)?(?:BNC[\s-]*)?fiche"),
    ("essence-content", r"(?:Korte\s+)?Inhoud\s+(?:van\s+het\s+)?voorstel"),
    ("essence-impact-assessment", r"Impact[\s-]*assessment\s+(?:van\s+de\s+)?Commissie"),
    ("essence", r"Essentie\s+(?:van\s+het\s+)?voorstel"),
    ("group:position", r"Nederlandse\s+positie\s+(?:ten\s+aanzien\s+van|over|t\.?a\.?v\.?)\s+(?:het|dit)\s+voorstel"),
    ("position-policy", r"Essentie\s+Nederlands(?:e)?\s+beleid(?:\s+op\s+dit\s+terrein)?"),
    ("position-assessment", r"Beoordeling\s*(?:\+|en|&)\s*inzet(?:\s+ten\s+aanzien\s+van\s+(?:dit|het)\s+voorstel)?"
                            r"|Nederlandse\s+belangen\s+en\s+eerste\s+algemene\s+standpuntbepaling"),
    ("position-field", r"Eerste\s+inschatting\s+van\s+(?:het\s+)?krachtenveld"),
    ("group:assessment", r"Grondhouding\s+ten\s+aanzien\s+van\s+bevoegdheid[^:]*"
                         r"|Beoordeling\s+(?:van\s+(?:de\s+)?)?bevoegdheid,?\s+subsidiariteit\s+en\s+proportionaliteit"
                         r"|Subsidiariteit\s+en\s+proportionaliteit"),
    ("competence", r"(?:Oordeel\s+)?bevoegdheid"),
    ("subsidiarity", r"(?:Oordeel\s+)?subsidiariteit"),
    ("proportionality", r"(?:Oordeel\s+)?proportionaliteit"),
    ("group:financial", r"Financi[eë]le\s+gevolgen,\s+gevolgen\s+voor\s+regeldruk[^:]*"),
    ("financial-eu-budget", r"(?:Financi[eë]le\s+)?(?:consequenties|gevolgen)\s+(?:voor\s+de\s+)?EU[\s-]*begroting"),
    ("financial-national", r"(?:Financi[eë]le|Budgettaire)\s+(?:consequenties|gevolgen)\s+\(?(?:incl\.?\s+personele\)?\s+)?voor\s+(?:de\s+)?rijksoverheid[^:]*"),
    ("financial-business-citizens", r"Financi[eë]le\s+(?:consequenties|gevolgen)\s+(?:en\s+(?:gevolgen|consequenties)\s+voor\s+(?:de\s+)?(?:regeldruk|administratieve\s+lasten)"
                                    r"(?:\s*(?:/|en|of|en/of)\s*(?:regeldruk|administratieve\s+lasten))?\s+)?"
                                    r"(?:voor\s+)?(?:het\s+)?bedrijfsleven\s+en\s+burger[^:]*"),
    ("regulatory-burden", r"Gevolgen\s+voor\s+regeldruk,\s+concurrentiekracht(?:\s+en\s+geopolitieke\s+aspecten)?"),
    ("competitiveness", r"Gevolgen\s+voor\s+(?:de\s+)?concurrentiekracht(?:\s+en\s+geopolitieke\s+aspecten)?"),
    ("administrative-burden", r"Gevolgen\s+voor\s+(?:de\s+)?regeldruk(?:\s*/\s*|\s+en\s+)?(?:administratieve\s+lasten)?|Administratieve\s+lasten"),
    ("financial", r"Financi[eë]le\s+(?:gevolgen|consequenties)"),
    ("legal-national", r"(?:Consequenties|Gevolgen)\s+(?:voor\s+)?(?:de\s+)?nationale\s+(?:en\s+decentrale\s+)?regelgeving[^:]*"),
    ("legal-delegated", r"(?:Gedelegeerde\s+en/?\s*of\s+uitvoeringshandelingen|Delegatie[\s-]*\s*en/?\s*of\s+comitologie(?:bepalingen)?|Delegatie[\s-]en\s+uitvoeringsbevoegdheden)[^:]*"),
    ("legal-implementation-term", r"(?:Voorgestelde\s+)?implementatietermijn[^:]*"),
    ("legal-evaluation", r"(?:Wenselijkheid\s+)?evaluatie[\s-]*(?:/\s*horizon)?bepaling[^:]*|Toetsbaarheid\s+en\s+evalueerbaarheid"),
    ("legal", r"Juridische\s+consequenties"),
    ("implementation", r"Implicaties\s+voor\s+(?:de\s+)?uitvoering\s+en/?\s*of\s+handhaving|Uitvoering\s+en\s+handhaving|Gevolgen\s+voor\s+uitvoering[^:]*"),
    ("developing-countries", r"(?:Implicaties|Consequenties|Gevolgen)\s+voor\s+(?:de\s+)?ontwikkelingslanden"),
]
_HEADING_RES = [
    (key, re.compile(general.MARKER + rf"(?P<title>{pattern})\s*(?P<colon>:)?\s*(?P<rest>.*)$", re.IGNORECASE)) for key, pattern in SECTION_TITLES
]
FICHE_HEADING = re.compile(r"^[\s•]*(?:(?:Herzien(?:e)?|Geactualiseerd(?:e)?)\s+)?Fiche\s*(?P<num>\d{1,2})?\s*[:.\-–]\s*(?P<title>\S.*)$", re.IGNORECASE)
_NUMBERED = re.compile(r"^(?P<num>\d{1,2})\s*\.\s+(?P<title>[A-ZÀ-Ý][^.:]{3,110})(?::\s*(?P<rest>.*))?$")
# A heading line that stops short of its end: an open parenthesis or a word that cannot end a title.
_UNFINISHED = re.compile(r"(?:\([^)]*|\b(?:en|of|en/of|van|voor|de|het|met|ten|aanzien|inclusief|incl\.|op|in|bij|aan))$", re.IGNORECASE)


@dataclass
class Heading:
    key: str
    number: str
    title: str
    rest: str = ""
    main: bool = False  # numbered "2." rather than lettered "a)"


def match_heading(text, expected_main=None):
    """The section heading ``text`` is, or None. A title counts as a heading when it stands alone on
    its line, is followed by a colon, or carries a number or letter."""
    for key, pattern in _HEADING_RES:
        match = pattern.match(text)
        if not match:
            continue
        rest = match["rest"].strip()
        marked = bool(match["num"] or match["letter"])
        title = match["title"].strip()
        if not marked and title[0].islower():
            continue
        if rest and not match["colon"]:
            if not (marked and key.startswith("group:")):
                continue
            title, rest = f"{title} {rest}", ""
        number = (match["num"] or "") + (match["letter"] or "")
        return Heading(key, number, title, rest, main=bool(match["num"]) and not match["letter"])
    if expected_main is not None:
        match = _NUMBERED.match(text)
        if match and int(match["num"]) == expected_main and (match["rest"] is not None or not text.endswith((".", ",", ";"))):
            return Heading("other", match["num"], match["title"].strip(), (match["rest"] or "").strip(), main=True)
    return None


@dataclass
class Section:
    key: str
    number: str
    title: str
    paragraphs: list = field(default_factory=list)

    @property
    def text(self):
        return "\n\n".join(p for p in self.paragraphs if p)


@dataclass
class Structure:
    header: list = field(default_factory=list)  # paragraphs before the general data
    labels: list = field(default_factory=list)  # (key, [paragraphs]) in document order
    sections: list = field(default_factory=list)
    found_general_heading: bool = False


def split(body):
    """Walk the body lines: header, general data, sections."""
    structure = Structure()
    region = "header"
    current_label = None
    current_section = None
    main_number, main_letter_parent = None, None
    buffer = []

    def flush():
        if not buffer:
            return
        paragraph = join_lines(buffer)
        buffer.clear()
        if not paragraph:
            return
        if region == "header":
            structure.header.append(paragraph)
        elif region == "general":
            if current_label is not None:
                current_label[1].append(paragraph)
        elif current_section is not None:
            current_section.paragraphs.append(paragraph)

    index = 0
    while index < len(body):
        line = body[index]
        index += 1
        if line.kind == BREAK:
            flush()
            continue
        if line.kind != TEXT:
            continue
        text = line.text
        if region in ("header", "general"):
            if general.GENERAL_HEADING.match(text):
                flush()
                region, structure.found_general_heading = "general", True
                main_number = 1
                continue
            label = general.match_label(text)
            if label and not _is_section_title(text):
                flush()
                region = "general"
                current_label = (label[0], [])
                structure.labels.append(current_label)
                if label[1]:
                    buffer.append(label[1])  # an inline value may run on over the next lines
                continue
        expected_main = (main_number + 1) if main_number else None
        heading = match_heading(text, expected_main=expected_main)
        if heading is None and region != "header":
            heading, taken = _wrapped_heading(body, index, text, expected_main)
            index += taken
        if heading and heading.key == "general":
            continue
        if heading and (region != "header" or heading.main or heading.key in ("essence", "essence-content")):
            flush()
            region = "sections"
            title = heading.title
            following = body[index].text if index < len(body) and body[index].kind == TEXT else ""
            long_title_goes_on = len(title) > 40 and following[:1].islower()
            if not heading.rest and (heading.main or _UNFINISHED.search(title) or long_title_goes_on):
                # A heading may run over several lines ("4. Grondhouding ... geopolitieke / aspecten", "a) ... (inclusief /
                # toepassing van voorhang en delegatie)"); in the label-colon layout its text starts after the colon.
                while index < len(body) and body[index].kind == TEXT and _continues_heading(body[index].text):
                    continuation, colon, rest = body[index].text.partition(":")
                    title = join_lines([title, continuation])
                    index += 1
                    if colon:
                        heading.rest = rest.strip()
                        break
                full = match_heading(f"{heading.number}{'.' if heading.main else ')'} {title}") if heading.number else match_heading(title)
                if full is not None and full.key != "other" and (heading.key == "other" or full.key != heading.key):
                    heading.key = full.key
            if heading.main:
                main_number = int(heading.number) if heading.number.isdigit() else main_number
                main_letter_parent = heading.number
            number = heading.number
            if number and number.isalpha() and main_letter_parent:
                number = f"{main_letter_parent}{number}"
            current_section = Section(heading.key, number, title)
            structure.sections.append(current_section)
            if heading.rest:
                buffer.append(heading.rest)
            continue
        buffer.append(text)
        if region == "header":
            flush()  # header lines stay apart: "Fiche 1: ..." entries of a batch letter are lines of their own
    flush()
    return structure


def _wrapped_heading(body, index, text, expected_main):
    """A heading whose title wraps onto the next line(s) where its first line alone is no title ("c) Eerste
    inschatting van" / "krachtenveld"): the heading and how many more lines it takes, or (None, 0). Only a
    whole title counts, standing alone or ending in a colon, so a paragraph that starts like one stays text."""
    if len(text) > 120 or text.endswith((".", ";", ",")):
        return None, 0
    joined, lines = text, 0
    while lines < 2 and index + lines < len(body) and body[index + lines].kind == TEXT:
        following = body[index + lines].text
        if len(following) > 120 or match_heading(following) is not None:
            break
        joined = join_lines([joined, following])
        lines += 1
        heading = match_heading(joined, expected_main=expected_main)
        if heading is not None and heading.key != "other" and not heading.rest:
            return heading, lines
    return None, 0


def _is_section_title(text):
    heading = match_heading(text)
    return heading is not None and heading.key not in ("general",)


def _continues_heading(text):
    return bool(text) and text[0].islower() and not text.startswith(("http", "www")) and len(text) < 140 and match_heading(text) is None
