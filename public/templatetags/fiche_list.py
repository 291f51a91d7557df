"""Template filters and tags of the public lists: ministry names that tell apart ministries of the same name, cached rows."""

from django import template

from public import rows
from public.filters import ministry_label as label_of

register = template.Library()


@register.filter
def ministry_label(ministry):
    """"Economische Zaken (2012-2017)" for a Ministry, "" for None."""
    return label_of(ministry.name, ministry.valid_from, ministry.valid_until) if ministry else ""


@register.filter
def ministry_short(ministry):
    """"EZ (2012-2017)": the abbreviation with the period, for a compact row."""
    return label_of(ministry.abbreviation, ministry.valid_from, ministry.valid_until) if ministry else ""


@register.simple_tag
def fiche_rows(fiches):
    """[(fiche, its row's cached part, snippet)] for ``{% for fiche, head, snippet in rows %}{% include "includes/fiche_row.html" %}``
    (public/rows.py: one cache read for the page, the template only for rows not seen before)."""
    return rows.fiche_rows(fiches)


@register.simple_tag
def commitment_rows(commitments):
    """[(commitment, its row's cached part)], as ``fiche_rows``."""
    return rows.commitment_rows(commitments)
