"""Render stored fiche text: paragraphs separated by blank lines, footnote markers written ``[^12]``,
Kamerstuk and Commission references as links, and the sentences that are commitments marked.

The text is escaped first; only the markup built here is marked safe. Each marker links to its
footnote; the first marker of a number gets the id the footnote links back to, later markers of the
same number get their own ids (``voetnootref-3-2``), so every id on the page is unique.

A citation links to our own page only when the page's ``citations`` (``positions.citations.resolve``, read
from ``published()`` only) says we hold it publicly; without them every citation links to its official
publication.

A commitment's quote (``Commitment.quote``, the sentence itself) is looked for in its own section (or in
any section when it names none); its first occurrence becomes a ``<mark id="toezegging-tekst-N">`` with
a link to the commitment's card, and ``commitment_marked`` tells the card to link back.
"""

import re

from django import template
from django.conf import settings
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from positions.citations import CITATION, Links, read_citation
from positions.text import FOOTNOTE_MARKER

register = template.Library()

INLINE = re.compile(rf"(?P<marker>\[\^(?P<fn>\d{{1,3}})\])|{CITATION.pattern}")
OPTIONAL_MARKER = r"(?:\[\^\d{1,3}\])?"


def _inline(text, seen, links):
    """``text`` (one paragraph, or part of one) escaped, with footnote markers and citations as links."""

    def replace(match):
        if match["marker"]:
            number = int(match["fn"])
            seen[number] = seen.get(number, 0) + 1
            ref_id = f"voetnootref-{number}" if seen[number] == 1 else f"voetnootref-{number}-{seen[number]}"
            return format_html(
                '<sup class="fn-ref"><a href="#voetnoot-{0}" id="{1}" aria-describedby="voetnoten-kop">{0}</a></sup>', number, ref_id
            )
        citation = read_citation(match)
        if citation is None:
            return escape(match.group(0))
        url, ours = links.url(citation)
        if ours:
            return format_html('<a href="{}" class="cite cite-ours">{}</a>', url, match.group(0))
        return format_html('<a href="{}" class="cite cite-official" rel="external">{}</a>', url, match.group(0))

    parts, last = [], 0
    for match in INLINE.finditer(text):
        parts.append(escape(text[last:match.start()]))
        parts.append(replace(match))
        last = match.end()
    parts.append(escape(text[last:]))
    return "".join(parts)


def quote_pattern(quote):
    """A regex for ``quote`` in stored text: any whitespace between its words, footnote markers allowed after each."""
    words = (quote or "").split()
    if not words:
        return None
    return re.compile(rf"{OPTIONAL_MARKER}\s+".join(re.escape(w) for w in words) + OPTIONAL_MARKER)


def _paragraph(text, seen, links, quotes, marked):
    """One paragraph, with the first occurrence of each not yet marked commitment quote in it marked."""
    spans = []
    for position, pattern in quotes:
        if position in marked:
            continue
        match = pattern.search(text)
        if match and not any(match.start() < end and start < match.end() for start, end, _p in spans):
            spans.append((match.start(), match.end(), position))
            marked.add(position)
    spans.sort()
    parts, last = [], 0
    for start, end, position in spans:
        parts.append(_inline(text[last:start], seen, links))
        parts.append(format_html(
            '<mark class="commitment-mark" id="toezegging-tekst-{0}">{1}</mark>'
            # On an English page the link speaks English inside the Dutch text (lang="nl" on its section).
            '<a href="#toezegging-{0}" class="commitment-link"{4}><span class="visually-hidden">{2} </span>{3}</a>',
            position, mark_safe(_inline(text[start:end], seen, links)), _("naar"), _("toezegging %(n)s") % {"n": position},
            mark_safe("" if get_language() == settings.LANGUAGE_CODE else f' lang="{get_language()}"'),
        ))
        last = end
    parts.append(_inline(text[last:], seen, links))
    return "".join(parts)


def _render(text, seen, links, quotes=(), marked=None):
    marked = set() if marked is None else marked
    paragraphs = [p.strip() for p in (text or "").split("\n\n") if p.strip()]
    return mark_safe("".join(f"<p>{_paragraph(p, seen, links, quotes, marked)}</p>" for p in paragraphs))  # text escaped first


@register.filter
def fiche_paragraphs(text):
    return _render(text, {}, Links())


@register.simple_tag(takes_context=True)
def fiche_text(context, text, section_key=None, commitments=()):
    """Like ``fiche_paragraphs``, but footnote reference ids stay unique across all sections of a page, citations
    link as the page's ``citations`` say, and the quotes of ``commitments`` of this section are marked."""
    seen = context.render_context.setdefault("fiche_footnote_refs", {})
    marked = context.render_context.setdefault("fiche_marked_commitments", set())
    quotes = [
        (c.position, pattern) for c in commitments
        if (not c.section_key or c.section_key == section_key) and (pattern := quote_pattern(c.quote))
    ]
    return _render(text, seen, context.get("citations") or Links(), quotes, marked)


@register.simple_tag(takes_context=True)
def cited_text(context, text):
    """One line of text (a footnote) escaped, with its citations as links."""
    return mark_safe(_inline(text or "", {}, context.get("citations") or Links()))  # escaped in _inline


@register.filter
def strip_footnote_markers(text):
    return FOOTNOTE_MARKER.sub("", text or "")


@register.simple_tag(takes_context=True)
def footnote_referenced(context, number):
    """Whether ``{% fiche_text %}`` rendered a marker for footnote ``number`` earlier on this page."""
    return bool(context.render_context.get("fiche_footnote_refs", {}).get(number))


@register.simple_tag(takes_context=True)
def commitment_marked(context, position):
    """Whether ``{% fiche_text %}`` marked the quote of commitment ``position`` earlier on this page."""
    return position in context.render_context.get("fiche_marked_commitments", set())
