"""Commission document references and CELEX numbers: parsing, normalising, validating.

Pure functions, no database: the models, the importer and the URL converters all use them,
so that "COM (2022) 546", "COM(2022)546" and "com-2022-546" are one and the same document.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DOCUMENT_TYPES = ("COM", "JOIN", "SWD", "SEC", "C")

# CELEX sector 5 descriptors allowed for each Commission document type.
CELEX_DESCRIPTORS = {
    "COM": ("PC", "DC"),
    "JOIN": ("JC",),
    "SWD": ("SC",),
    "SEC": ("SC",),
}

_REFERENCE_RE = re.compile(
    r"""^\s*(?P<type>COM|JOIN|SWD|SEC|C)\s*
        (?:\(\s*(?P<year1>\d{4})\s*\)|[/\-\s]\s*(?P<year2>\d{4})\s*[/\-\s])\s*
        (?P<number>\d{1,5})
        (?:\s*(?:final|def\.?|definitief))?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
CELEX_RE = re.compile(r"^(?P<sector>[0-9CE])(?P<year>\d{4})(?P<descriptor>[A-Z]{1,2})(?P<number>\d{4,5})(?:\(\d{2}\))?$")
PROCEDURE_RE = re.compile(r"^(?P<year>\d{4})/(?P<number>\d{4})\((?P<kind>COD|CNS|APP|NLE|INI|BUD|SYN|AVC|ACI|INL|RSP|DEC|CNC)\)$")
# Kamerstuk: dossier (optionally with a suffix such as 21501-33) and number.
_KAMERSTUK_RE = re.compile(
    r"^(?P<dossier>\d{2}\s?\d{3})(?:-(?P<suffix>[A-Za-z0-9]{1,3}))?(?:\s*,\s*nr\.?\s*|\s+nr\.?\s*|-)(?P<number>\d{1,5})$"
)


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


def parse_reference(value):
    """Parse any common spelling of a Commission reference, or raise ValidationError.

    Accepts ``COM(2024) 28``, ``COM (2024) 28``, ``COM(2018)703``, ``COM/2024/28 final``, ``com-2024-28``.
    """
    match = _REFERENCE_RE.match(value or "")
    if not match:
        raise ValidationError(
            _("'%(value)s' is geen geldige referentie van een Commissiedocument. Gebruik de vorm COM(2024) 28, JOIN(2023) 20, C(2024) 390, SWD(2022) 385 of SEC(2022) 425."),
            code="invalid_reference",
            params={"value": value},
        )
    year = int(match["year1"] or match["year2"])
    if not 1950 <= year <= 2100:
        raise ValidationError(_("Het jaar %(year)s in de referentie is niet geldig."), code="invalid_year", params={"year": year})
    number = int(match["number"])
    if number < 1:
        raise ValidationError(_("Het nummer in de referentie moet groter dan 0 zijn."), code="invalid_number")
    return Reference(match["type"].upper(), year, number)


def normalise_reference(value):
    return str(parse_reference(value))


def eurlex_url(celex, language="NL"):
    return f"https://eur-lex.europa.eu/legal-content/{language}/TXT/?uri=CELEX:{celex}"


def validate_celex(celex):
    if not CELEX_RE.match(celex or ""):
        raise ValidationError(
            _("'%(value)s' is geen geldig CELEX-nummer. Een CELEX-nummer van een Commissiedocument ziet eruit als 52024DC0028 (sector 5, jaar, type, nummer)."),
            code="invalid_celex",
            params={"value": celex},
        )


def check_celex_matches(celex, reference):
    """Raise ValidationError when a sector-5 CELEX number does not describe ``reference``."""
    validate_celex(celex)
    match = CELEX_RE.match(celex)
    allowed = CELEX_DESCRIPTORS.get(reference.doc_type)
    if allowed is None:
        # C documents are published as acts (sector 3): their CELEX number cannot be derived.
        return
    expected = [f"5{reference.year}{d}{reference.number:04d}" for d in allowed]
    if (
        match["sector"] != "5"
        or int(match["year"]) != reference.year
        or match["descriptor"] not in allowed
        or int(match["number"]) != reference.number
    ):
        raise ValidationError(
            _("CELEX-nummer %(celex)s past niet bij %(reference)s; verwacht: %(expected)s."),
            code="celex_mismatch",
            params={"celex": celex, "reference": str(reference), "expected": _(" of ").join(expected)},
        )


def validate_procedure(value):
    if value and not PROCEDURE_RE.match(value):
        raise ValidationError(
            _("'%(value)s' is geen geldige procedurereferentie. Gebruik de vorm 2024/0016(CNS) of 2014/0202(COD)."),
            code="invalid_procedure",
            params={"value": value},
        )


def normalise_kamerstuk(value):
    """``22 112, nr. 3908`` / ``22112-3908`` / ``Kamerstuk 21 501-33, nr. 12`` -> ``22112-3908`` / ``21501-33-12``."""
    text = re.sub(r"^\s*kamerstuk(ken)?\s*", "", value or "", flags=re.IGNORECASE).strip()
    match = _KAMERSTUK_RE.match(text)
    if not match:
        raise ValidationError(
            _("'%(value)s' is geen geldig Kamerstuknummer. Gebruik de vorm 22112-3908 (dossier-nummer) of 22 112, nr. 3908."),
            code="invalid_kamerstuk",
            params={"value": value},
        )
    dossier = match["dossier"].replace(" ", "")
    if match["suffix"]:
        dossier = f"{dossier}-{match['suffix'].upper()}"
    return f"{dossier}-{int(match['number'])}"


KAMERSTUK_STORED_RE = r"^[0-9]{5}(-[A-Z0-9]{1,3})?-[0-9]{1,5}$"


def display_kamerstuk(value):
    """``22112-3908`` -> ``Kamerstuk 22 112, nr. 3908``."""
    dossier, _sep, number = value.rpartition("-")
    head, dash, suffix = dossier.partition("-")
    return f"Kamerstuk {head[:2]} {head[2:]}{dash}{suffix}, nr. {number}"
