"""Template tags of the public lists: their cached rows (``public.rows``)."""

from django import template

from public import rows

register = template.Library()


@register.simple_tag
def fiche_rows(fiches):
    """[(fiche, its row's cached part, snippet)] for ``{% for fiche, head, snippet in rows %}{% include "includes/fiche_row.html" %}``
    (public/rows.py: one cache read for the page, the template only for rows not seen before)."""
    return rows.fiche_rows(fiches)


@register.simple_tag
def commitment_rows(commitments):
    """[(commitment, its row's cached part)], as ``fiche_rows``."""
    return rows.commitment_rows(commitments)
