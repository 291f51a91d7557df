"""Commission references, CELEX and Kamerstuk numbers as plain values: reading and spelling them.

Pure Python (no Django), so the importer's parser can use it outside Django too. Each reader answers
None for what it cannot read; ``proposals.references`` turns that into the validation errors that
forms and models show.
"""

import re
from dataclasses import dataclass

DOCUMENT_TYPES = ("COM", "JOIN", "SWD", "SEC", "C")

# CELEX sector 5 descriptors allowed for each Commission document type.
CELEX_DESCRIPTORS = {
    "COM": ("PC", "DC"),
    "JOIN": ("JC",),
    "SWD": ("SC",),
    "SEC": ("SC",),
}

# Digits are [0-9], not \d: \d also matches other scripts' digits (２０２４), which int() would accept.
REFERENCE_RE = re.compile(
    r"""^\s*(?P<type>COM|JOIN|SWD|SEC|C)\s*
        (?:\(\s*(?P<year1>[0-9]{4})\s*\)|[/\-\s]\s*(?P<year2>[0-9]{4})\s*[/\-\s])\s*
        (?P<number>[0-9]{1,5})
        (?:\s*(?:final|def\.?|definitief))?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
CELEX_RE = re.compile(r"^(?P<sector>[0-9CE])(?P<year>[0-9]{4})(?P<descriptor>[A-Z]{1,2})(?P<number>[0-9]{4,5})(?:\([0-9]{2}\))?$")
PROCEDURE_RE = re.compile(r"^(?P<year>[0-9]{4})/(?P<number>[0-9]{4})\((?P<kind>COD|CNS|APP|NLE|INI|BUD|SYN|AVC|ACI|INL|RSP|DEC|CNC)\)$")
# Kamerstuk: dossier (optionally with a suffix such as 21501-33) and number.
KAMERSTUK_RE = re.compile(
    r"^(?P<dossier>[0-9]{2}\s?[0-9]{3})(?:-(?P<suffix>[A-Za-z0-9]{1,3}))?(?:\s*,\s*nr\.?\s*|\s+nr\.?\s*|-)(?P<number>[0-9]{1,5})$"
)
KAMERSTUK_STORED_RE = r"^[0-9]{5}(-[A-Z0-9]{1,3})?-[0-9]{1,5}$"
YEARS = range(1950, 2101)


@dataclass(frozen=True)
class Reference:
    doc_type: str
    year: int
    number: int

    def __str__(self):
        return f"{self.doc_type}({self.year}) {self.number}"

    @property
    def slug(self):
        return f"{self.doc_type.lower()}-{self.year}-{self.number}"


def reference_parts(value):
    """(type, year, number) of any common spelling of a Commission reference, or None when it is none."""
    match = REFERENCE_RE.match(value or "")
    if not match:
        return None
    return match["type"].upper(), int(match["year1"] or match["year2"]), int(match["number"])


def read_reference(value):
    """The Reference that ``value`` spells (``COM(2024) 28``, ``com-2024-28``, ``COM/2024/28 final``), or None."""
    parts = reference_parts(value)
    if parts is None or parts[1] not in YEARS or parts[2] < 1:
        return None
    return Reference(*parts)


def expected_celex(reference):
    """The sector-5 CELEX numbers that can describe ``reference``; None when none can be derived (C documents)."""
    allowed = CELEX_DESCRIPTORS.get(reference.doc_type)
    if allowed is None:
        return None
    return [f"5{reference.year}{descriptor}{reference.number:04d}" for descriptor in allowed]


def celex_matches(celex, reference):
    """Whether ``celex`` is a well-formed CELEX number that fits ``reference`` (any, for a C document)."""
    match = CELEX_RE.match(celex or "")
    if not match:
        return False
    allowed = CELEX_DESCRIPTORS.get(reference.doc_type)
    if allowed is None:
        return True
    return (
        match["sector"] == "5"
        and int(match["year"]) == reference.year
        and match["descriptor"] in allowed
        and int(match["number"]) == reference.number
    )


def read_kamerstuk(value):
    """``22 112, nr. 3908`` / ``22112-3908`` / ``Kamerstuk 21 501-33, nr. 12`` -> ``22112-3908`` / ``21501-33-12``; None otherwise."""
    text = re.sub(r"^\s*kamerstuk(ken)?\s*", "", value or "", flags=re.IGNORECASE).strip()
    match = KAMERSTUK_RE.match(text)
    if not match:
        return None
    dossier = match["dossier"].replace(" ", "")
    if match["suffix"]:
        dossier = f"{dossier}-{match['suffix'].upper()}"
    return f"{dossier}-{int(match['number'])}"


def display_kamerstuk(value):
    """``22112-3908`` -> ``Kamerstuk 22 112, nr. 3908``."""
    dossier, _sep, number = value.rpartition("-")
    head, dash, suffix = dossier.partition("-")
    return f"Kamerstuk {head[:2]} {head[2:]}{dash}{suffix}, nr. {number}"


def eurlex_url(celex, language="NL"):
    return f"https://eur-lex.europa.eu/legal-content/{language}/TXT/?uri=CELEX:{celex}"
