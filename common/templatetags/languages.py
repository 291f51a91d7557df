"""The page in every language (``hreflang`` alternates, the language switch): see ``common.language``."""

from django import template
from django.conf import settings
from django.utils.translation import get_language_info

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
