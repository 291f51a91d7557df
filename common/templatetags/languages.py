"""The page in every language (``hreflang`` alternates, the language switch): see ``common.language``."""

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info

from common import language

register = template.Library()


@register.simple_tag(takes_context=True)
def language_alternates(context):
    """[{code, name (in that language), url (absolute), default}] for the current page, or [] when it has one URL for all
    languages. One resolve and one reverse per language, no query."""
    request = context.get("request")
    if request is None:
        return []
    return [{"code": code, "name": get_language_info(code)["name_local"], "url": url,
             "default": code == settings.LANGUAGE_CODE}
            for code, _name, url in language.alternates(request)]


@register.simple_tag
def dutch_content():
    """The attribute for Dutch data (fiche titles, texts, commitments) on a page in another language:
    ' lang="nl"' on English pages, nothing on Dutch ones, where the page's own lang already says it.
    base.html sets it once as ``lang_nl``; each row then costs one variable lookup."""
    return "" if get_language() == settings.LANGUAGE_CODE else mark_safe(f' lang="{settings.LANGUAGE_CODE}"')
