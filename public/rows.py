"""Rows of the public lists rendered once and kept as fragments, keyed by what they show (issue 17).

A list page shows 25 rows; rendering one through the template engine cost about a millisecond (its verdict
marks, dates, ministry label and their translations), two thirds of the fiche list's server time. A row's
HTML depends only on the facts it shows and on the language, so it is cached under a digest of exactly
those facts: the same row in another list, another search or another page costs one cache read, and a row
whose facts change (a new title, a verdict, a renamed ministry) gets a new key and is rendered afresh. No
write has to invalidate anything, and a write to one fiche leaves every other fiche's row in the cache.

What the key covers (``*_facts`` below): every field of the row and of the related rows it shows, the
language (labels, the ``lang="nl"`` mark and the URL's language prefix) and the script prefix of its URLs.
The template itself is covered by ``settings.RELEASE`` in the cache's key prefix (a digest of the code and
templates). Only the rows a view passes in are rendered: those views list ``published()`` rows only, so a
fragment never holds anything that is not public, and the facts (not the content version) decide its key.
What is not a fact of the row (a search's snippet) stays out of the fragment. The columns the rows are read
with (``selectors.fiche_list_rows``, ``commitment_rows``) are those the facts and templates here use.
"""

import functools
import hashlib

from django.core.cache import cache
from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils import dateformat
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, override

from common.templatetags.languages import dutch_content
from positions.models import VERDICTS, Verdict

from .templatetags.public import verdict_class, verdict_symbol

TIMEOUT = 24 * 60 * 60  # a fragment is never stale (its key is its content); the day only lets unused ones go


def _ministry(ministry):
    return None if ministry is None else (ministry.pk, ministry.name, ministry.abbreviation, ministry.valid_from, ministry.valid_until)


@functools.cache
def _verdict_marks(language):
    """{verdict value: (class, symbol, shown value)} and the three labels, in ``language``: translated once
    a process instead of three times a row."""
    with override(language):
        marks = {value: (verdict_class(value), verdict_symbol(value), str(label)) for value, label in Verdict.choices}
        marks[""] = (verdict_class(""), verdict_symbol(""), gettext("niet vastgesteld"))
        return marks, tuple(str(label) for _name, label in VERDICTS)


def fiche_row(fiche):
    """What the row shows, as plain values: a flat template of plain lookups renders a row in about half the time."""
    marks, labels = _verdict_marks(get_language())
    ministry = fiche.lead_ministry
    values = [getattr(fiche, name) for name, _label in VERDICTS]
    return {
        "url": fiche.get_absolute_url(), "title": fiche.title, "kamerstuk": fiche.kamerstuk_display,
        "sent_on": fiche.sent_on and fiche.sent_on.isoformat(), "sent_on_text": fiche.sent_on and dateformat.format(fiche.sent_on, "j b Y"),
        "ministry": ministry and ministry.label,
        "ministry_short": ministry and ministry.short_label,
        # ``marks`` has every verdict value (a check constraint keeps them to the choices) and "" for none.
        "verdicts": [(label, *marks[value or ""]) for label, value in zip(labels, values, strict=True)],
    }


def fiche_facts(fiche):
    """Everything ``includes/fiche_row_head.html`` shows of a fiche."""
    return (fiche.pk, fiche.kamerstuk, fiche.title, fiche.sent_on, _ministry(fiche.lead_ministry),
            fiche.competence, fiche.subsidiarity, fiche.proportionality)


def commitment_facts(commitment):
    """Everything ``includes/commitment_row.html`` shows of a commitment, its fiche and its due meeting."""
    fiche, meeting = commitment.fiche, commitment.due_meeting
    return (commitment.pk, commitment.position, commitment.summary, commitment.status, commitment.kind, fiche.pk, fiche.kamerstuk,
            fiche.title, _ministry(commitment.responsible_ministry),
            fiche.council_configuration.name if fiche.council_configuration else None,
            commitment.due_date, commitment.due_event, meeting.date if meeting else None, commitment.due_description,
            commitment.evidence_reference, commitment.evidence_url, commitment.evidence_date)


def rendered(items, template_name, facts, name, values=None):
    """[(item, HTML)] of ``items``, each rendered with ``template_name`` (context: ``name``: the item, or
    ``values(item)`` when given; and ``lang_nl``), from the cache where a fragment of the same facts in the
    same language was rendered before."""
    prefix = f"row:{template_name}:{get_language()}:{get_script_prefix()}:"
    keys = [prefix + hashlib.blake2b(repr(facts(item)).encode(), digest_size=16).hexdigest() for item in items]
    found = cache.get_many(keys) if keys else {}
    new = {}
    template = None
    for item, key in zip(items, keys, strict=True):
        if key not in found:
            template = template or get_template(template_name)
            context = {name: values(item) if values else item, "lang_nl": dutch_content()}
            new[key] = found[key] = str(template.render(context)).strip()
    if new:
        cache.set_many(new, TIMEOUT)
    return [(item, mark_safe(found[key])) for item, key in zip(items, keys, strict=True)]  # rendered by our template (escaped there)


def fiche_rows(fiches):
    """[(fiche, its row's cached part, its search snippet or "")]: the snippet named here, so that the template
    never looks for a missing attribute (a failed lookup costs the template engine a ``dir()`` of the fiche)."""
    return [(fiche, head, getattr(fiche, "snippet", ""))
            for fiche, head in rendered(list(fiches), "includes/fiche_row_head.html", fiche_facts, "row", fiche_row)]


def commitment_rows(commitments):
    return rendered(list(commitments), "includes/commitment_row.html", commitment_facts, "c")
