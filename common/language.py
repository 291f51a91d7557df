"""Which language a request is answered in: the URL for public pages, the reader's preference elsewhere.

Public pages (the routes inside ``i18n_patterns`` in ``fichetracker/urls.py``; the middleware is
``common.language.LanguageMiddleware`` in the settings) have one URL per language:
Dutch at ``/fiches/...`` (no prefix, the default language), English at ``/en/fiches/...``. For them the
URL alone decides: a Dutch URL renders Dutch whatever the language cookie or ``Accept-Language`` say,
so a crawler, a shared link and a cached copy always get the language of their URL, and ``/`` is never
redirected to ``/en/`` (the page cache keeps one Dutch page, not one per browser preference).

Everything else (the admin, the staff pages, the API and its documentation, ``agenda.ics``, the alert
pages, health checks) keeps one URL, and there the reader's preference
decides, as before: the cookie the language form sets, then ``Accept-Language``, then Dutch. Django's
own ``LocaleMiddleware`` would render every unprefixed URL in Dutch once ``prefix_default_language`` is
off, so the admin could no longer be English.
"""

import functools

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.urls import LocalePrefixPattern, Resolver404, URLResolver, get_resolver, get_urlconf, translate_url
from django.utils import translation
from django.utils.cache import patch_vary_headers


@functools.lru_cache(maxsize=4096)
def url_decides_language(path, urlconf=None):
    """Whether ``path`` is a page of the language-prefixed patterns (Dutch without prefix, English under /en/).

    Remembered per path, as the URLconf is fixed. A path with a language prefix is checked in that language."""
    language = translation.get_language_from_path(path) or settings.LANGUAGE_CODE
    with translation.override(language):
        for pattern in get_resolver(urlconf).url_patterns:
            if isinstance(pattern, URLResolver) and isinstance(pattern.pattern, LocalePrefixPattern):
                try:
                    pattern.resolve(path.removeprefix("/"))
                except Resolver404:
                    continue
                return True
    return False


def urlconf_of(request):
    """The request's URLconf by name, so the remembered answers never outlive a change of ROOT_URLCONF (tests)."""
    return getattr(request, "urlconf", None) or get_urlconf() or settings.ROOT_URLCONF


def language_for(request):
    """The language ``request`` is answered in (see the module docstring), without activating it: the URL's
    for a public page, else the reader's preference. The page cache, which answers before this middleware
    runs, keys its pages by it."""
    from_path = translation.get_language_from_path(request.path_info)
    if from_path:
        return from_path
    if url_decides_language(request.path_info, urlconf_of(request)):
        return settings.LANGUAGE_CODE
    return translation.get_language_from_request(request, check_path=False)


class LanguageMiddleware(LocaleMiddleware):
    """``LocaleMiddleware`` where the URL decides only for the language-prefixed pages (see the module docstring)."""

    def process_request(self, request):
        translation.activate(language_for(request))
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        language = translation.get_language()
        negotiated = not translation.get_language_from_path(request.path_info) and not url_decides_language(
            request.path_info, urlconf_of(request))
        if negotiated:
            patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", language)
        return response


def alternates(request):
    """[(language code, language name, absolute URL)] of the page of ``request`` in every language, or [] when
    the page has one URL for all languages (the language is then a preference, set with the language form).

    The query string is kept: a filtered list in the other language shows the same filter."""
    if not url_decides_language(request.path_info, urlconf_of(request)):
        return []
    path = request.get_full_path()
    return [(code, name, request.build_absolute_uri(translate_url(path, code))) for code, name in settings.LANGUAGES]
