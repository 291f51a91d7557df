"""Render stored fiche text: paragraphs separated by blank lines, footnote markers written ``[^12]``.

The text is escaped first; only the markup built here is marked safe. Each marker links to its
footnote; the first marker of a number gets the id the footnote links back to, later markers of the
same number get their own ids (``voetnootref-3-2``), so every id on the page is unique.
"""

import re

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()

FOOTNOTE_MARKER = re.compile(r"\[\^(\d{1,3})\]")


def _render(text, seen):
    def marker(match):
        number = int(match.group(1))
        seen[number] = seen.get(number, 0) + 1
        ref_id = f"voetnootref-{number}" if seen[number] == 1 else f"voetnootref-{number}-{seen[number]}"
        return format_html(
            '<sup class="fn-ref"><a href="#voetnoot-{0}" id="{1}" aria-describedby="voetnoten-kop">{0}</a></sup>', number, ref_id
        )

    paragraphs = [p.strip() for p in (text or "").split("\n\n") if p.strip()]
    return mark_safe("".join(f"<p>{FOOTNOTE_MARKER.sub(marker, escape(p))}</p>" for p in paragraphs))  # text escaped first


@register.filter
def fiche_paragraphs(text):
    return _render(text, {})


@register.simple_tag(takes_context=True)
def fiche_text(context, text):
    """Like ``fiche_paragraphs``, but footnote reference ids stay unique across all sections of a page."""
    seen = context.render_context.setdefault("fiche_footnote_refs", {})
    return _render(text, seen)


@register.filter
def strip_footnote_markers(text):
    return FOOTNOTE_MARKER.sub("", text or "")


@register.simple_tag(takes_context=True)
def footnote_referenced(context, number):
    """Whether ``{% fiche_text %}`` rendered a marker for footnote ``number`` earlier on this page."""
    return bool(context.render_context.get("fiche_footnote_refs", {}).get(number))
