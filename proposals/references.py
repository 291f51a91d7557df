"""Commission references, CELEX and Kamerstuk numbers as validators: the readers of
``proposals.identifiers`` with the Dutch validation errors that forms, models and URLs show.

The models, the admin, the public pages and the API all go through here, so that "COM (2022) 546",
"COM(2022)546" and "com-2022-546" are one and the same document.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .identifiers import (  # noqa: F401 -- the names callers use from here
    CELEX_DESCRIPTORS,
    CELEX_RE,
    DOCUMENT_TYPES,
    KAMERSTUK_STORED_RE,
    PROCEDURE_RE,
    YEARS,
    Reference,
    celex_matches,
    display_kamerstuk,
    eurlex_url,
    expected_celex,
    read_kamerstuk,
    reference_parts,
)


def parse_reference(value):
    """Parse any common spelling of a Commission reference, or raise ValidationError.

    Accepts ``COM(2024) 28``, ``COM (2024) 28``, ``COM(2018)703``, ``COM/2024/28 final``, ``com-2024-28``.
    """
    parts = reference_parts(value)
    if parts is None:
        raise ValidationError(
            _("'%(value)s' is geen geldige referentie van een Commissiedocument. Gebruik de vorm COM(2024) 28, JOIN(2023) 20, C(2024) 390, SWD(2022) 385 of SEC(2022) 425."),
            code="invalid_reference",
            params={"value": value},
        )
    doc_type, year, number = parts
    if year not in YEARS:
        raise ValidationError(_("Het jaar %(year)s in de referentie is niet geldig."), code="invalid_year", params={"year": year})
    if number < 1:
        raise ValidationError(_("Het nummer in de referentie moet groter dan 0 zijn."), code="invalid_number")
    return Reference(doc_type, year, number)


def normalise_reference(value):
    return str(parse_reference(value))


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
    if not celex_matches(celex, reference):
        raise ValidationError(
            _("CELEX-nummer %(celex)s past niet bij %(reference)s; verwacht: %(expected)s."),
            code="celex_mismatch",
            params={"celex": celex, "reference": str(reference), "expected": _(" of ").join(expected_celex(reference))},
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
    kamerstuk = read_kamerstuk(value)
    if kamerstuk is None:
        raise ValidationError(
            _("'%(value)s' is geen geldig Kamerstuknummer. Gebruik de vorm 22112-3908 (dossier-nummer) of 22 112, nr. 3908."),
            code="invalid_kamerstuk",
            params={"value": value},
        )
    return kamerstuk
