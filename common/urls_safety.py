"""Which links may be stored and rendered: http, https and mailto, nothing else.

A link is opened by whoever clicks it, so a ``javascript:`` or ``data:`` URL in a footnote or as evidence
would run in (or spoof) the reader's page. Three layers keep them out, each with its own reach:

* ``validate_safe_url`` / ``validate_safe_url_list``: model validators, so the admin, the follow-up
  forms and the importer refuse such a link with a Dutch message naming it;
* ``safe_url_condition`` / ``safe_url_list_condition``: CHECK constraints for the same columns, so a
  write that skips validation (``update()``, ``bulk_create()``, a fixture, a script) fails too. They test
  the scheme only (any case), with LIKE on text columns and a regular expression over the JSON text of a
  list (SQLite runs Django's REGEXP function, PostgreSQL ``~*`` on ``jsonb::text``);
* ``is_safe_url``: the stricter test the ``safe_url`` template filter applies when rendering, so a value
  that passes the constraint but is still odd (``https://`` without a host, control or bidi characters)
  is shown as text, never as ``href``.
"""

import unicodedata
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

SAFE_PREFIXES = ("http://", "https://", "mailto:")
# One JSON string that starts with a safe prefix; escapes (\" \\ \u…) are consumed as pairs.
_JSON_SAFE_STRING = r'"(https?://|mailto:)([^"\\]|\\.)*"'
# A JSON array of such strings (possibly empty), as SQLite stores it (json.dumps) or PostgreSQL prints jsonb.
SAFE_URL_LIST_REGEX = rf"^\[\s*({_JSON_SAFE_STRING}(\s*,\s*{_JSON_SAFE_STRING})*)?\s*\]$"


def _has_invisible_or_control_characters(value):
    return any(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in value)


def is_safe_url(value):
    """True for an absolute http(s) URL with a host, or a mailto: address, without spaces, control or
    format characters (bidi overrides, zero-width characters). Scheme in any case."""
    if not isinstance(value, str) or not value or _has_invisible_or_control_characters(value):
        return False
    lowered = value.lower()
    if lowered.startswith("mailto:"):
        return len(value) > len("mailto:")
    if lowered.startswith(("http://", "https://")):
        try:
            return bool(urlsplit(value).hostname)
        except ValueError:  # e.g. an invalid IPv6 literal
            return False
    return False


def validate_safe_url(value):
    if value and not is_safe_url(value):
        raise ValidationError(
            _("'%(value)s' is geen toegestane link. Een link begint met http://, https:// of mailto: en bevat geen spaties "
              "of onzichtbare tekens; andere soorten (zoals javascript: of data:) worden niet opgeslagen."),
            code="unsafe_url",
            params={"value": value},
        )


def validate_safe_url_list(value):
    """Validator for a JSON list of links (a footnote's ``urls``)."""
    if value in (None, ""):
        return
    if not isinstance(value, list) or not all(isinstance(url, str) for url in value):
        raise ValidationError(
            _('De links zijn een lijst van teksten, bijvoorbeeld ["https://eur-lex.europa.eu/"].'), code="invalid_url_list"
        )
    for url in value:
        validate_safe_url(url)


def safe_url_condition(field):
    """CHECK condition for a text column holding one link: empty, or http://, https:// or mailto: (any case)."""
    condition = Q(**{field: ""})
    for prefix in SAFE_PREFIXES:
        condition |= Q(**{f"{field}__istartswith": prefix})
    return condition


def safe_url_list_condition(field):
    """CHECK condition for a JSON column holding a list of links, each http://, https:// or mailto: (any case)."""
    return Q(**{f"{field}__iregex": SAFE_URL_LIST_REGEX})
