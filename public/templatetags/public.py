"""Small helpers for the public templates: optional links, verdict and status symbols, SVG charts."""

from django import template
from django.urls import NoReverseMatch, reverse

from positions import citations
from proposals import references

register = template.Library()

# Symbols sit next to the text label, so the meaning never depends on colour or on the symbol alone.
VERDICT_SYMBOLS = {
    "positief": "✓",
    "positief met kanttekeningen": "✓!",
    "neutraal": "○",
    "negatief": "✗",
    "nog niet te beoordelen": "?",
    "": "–",
}
STATUS_SYMBOLS = {
    "open": "○",
    "partly_fulfilled": "◐",
    "fulfilled": "●",
    "withdrawn": "✕",
    "lapsed": "–",
}


@register.simple_tag
def optional_url(name, *args):
    """The URL of ``name``, or "" while that part of the site does not exist (templates never break)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@register.filter
def verdict_symbol(value):
    return VERDICT_SYMBOLS.get(value or "", "–")


@register.filter
def verdict_class(value):
    return {
        "positief": "positive",
        "positief met kanttekeningen": "positive-remarks",
        "neutraal": "neutral",
        "negatief": "negative",
        "nog niet te beoordelen": "not-yet",
    }.get(value or "", "unknown")


@register.filter
def status_symbol(value):
    return STATUS_SYMBOLS.get(value or "", "–")


@register.filter
def status_class(value):
    return (value or "unknown").replace("_", "-")


@register.filter
def percent(value, total):
    return round(100 * value / total) if total else 0


@register.filter
def kamerstuk_url(kamerstuk):
    """The official publication of a Kamerstuk (``22112-3908``) on officielebekendmakingen.nl."""
    return citations.kamerstuk_url(kamerstuk) if kamerstuk else ""


@register.filter
def kamerstuk_display(kamerstuk):
    """``22112-3906`` -> ``Kamerstuk 22 112, nr. 3906``."""
    return references.display_kamerstuk(kamerstuk) if kamerstuk else ""
