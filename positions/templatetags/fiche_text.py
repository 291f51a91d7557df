"""Render stored fiche text: paragraphs separated by blank lines, footnote markers written ``[^12]``.

The text is escaped first; only the markup built here is marked safe.
"""

import re

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()

FOOTNOTE_MARKER = re.compile(r"\[\^(\d{1,3})\]")


def _marker(match):
    number = match.group(1)
    return format_html('<sup class="fn-ref"><a href="#voetnoot-{0}" id="voetnootref-{0}" aria-describedby="voetnoten-kop">{0}</a></sup>', number)


@register.filter
def fiche_paragraphs(text):
    paragraphs = [p.strip() for p in (text or "").split("\n\n") if p.strip()]
    html = "".join(f"<p>{FOOTNOTE_MARKER.sub(_marker, escape(p))}</p>" for p in paragraphs)
    return mark_safe(html)


@register.filter
def strip_footnote_markers(text):
    return FOOTNOTE_MARKER.sub("", text or "")
