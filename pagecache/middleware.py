"""Cache of whole public pages for anonymous readers, invalidated by the content version.

Enabled with ``FICHETRACKER_PAGE_CACHE=1``. The settings put this middleware right after the CSRF
middleware (``with_page_cache`` in the settings): a hit still runs the security, language, common and CSRF middleware
(its own CSRF cookie and token); the response headers that the inner middleware add (CSP,
X-Frame-Options) are stored with the page; sessions, auth, two-factor, messages, history and axes are
not needed for an anonymous reader's cached page and are skipped on a hit. The content version comes
from memory when the listener is on (``pagecache.listener``), else from one query per hit.

What is cached: GET/HEAD requests without a session cookie (no signed-in user, no message), for URLs of
the public namespaces, whose response is a complete 200 without cookies of its own and without a CSP
nonce. The key holds the content version (``pagecache.state``: its epoch and number), the language,
host, scheme, full path with query string and today's date (pages that say "overdue" roll over at
midnight); the cache's key prefix holds the release (``FICHETRACKER_RELEASE``), so pages rendered by
older code are not served after a deploy. An entry never outlives the next embargo (``public_from``)
that lifts, so an embargoed fiche appears on time.

Languages: a public page has one URL per language (``/fiches/`` Dutch, ``/en/fiches/`` English), and the
URL alone sets its language (``common.language``), so the two are two entries that can never serve each
other; the language in the key also keeps apart the two languages of a page with one URL for both (the
API documentation, in the language of the reader's cookie or browser). Both are renewed by the same
content version: there is nothing to purge per language.

Correctness does not depend on deleting entries: any write to a watched table raises the version, a
restore or a migrate renews the epoch, and the next request builds a new key. Drafts never enter the
cache, because the views only ever read ``published()``; the cache stores exactly what the view
returned to an anonymous reader.

CSRF: some public pages carry a form with a CSRF token (the e-mail alert form, the language form of
the API documentation). The stored copy has a marker in
place of the token; each hit gets a fresh token for its own reader (``get_token``), and the CSRF
middleware sets that reader's cookie as usual.
"""

import functools
import re

from django.conf import settings
from django.core.cache import cache
from django.db import connections, router
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import Resolver404, get_urlconf, resolve
from django.utils import timezone
from django.utils.translation import get_language

from .listener import listener_for
from .state import MAX_AGE, cache_timeout, content_state

__all__ = ["MAX_AGE", "PublicPageCacheMiddleware", "cache_timeout", "content_state", "current_state", "exempt"]

PUBLIC_NAMESPACES = {"public", "api"}
MARKER = "\ue000csrf\ue000"
CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')


def current_state():
    """The content state from this process's listener (no query) when it is sure of it, else from the
    database. Inside a transaction, always the database: only the query sees the transaction's own writes."""
    from .models import ContentVersion

    alias = router.db_for_read(ContentVersion)
    if settings.PAGE_CACHE_LISTEN and connections[alias].vendor == "postgresql" and not connections[alias].in_atomic_block:
        state = listener_for(alias).current()  # (version, seconds), as a ContentState unpacks
        if state is not None:
            return state
    return content_state()


@functools.lru_cache(maxsize=4096)
def is_public_path(path, urlconf=None, language=None):
    """Whether the path resolves to a view of the public namespaces; remembered per path and language (the
    language-prefixed patterns resolve in the active language), as the URLconf is fixed."""
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return False
    return bool(match.namespaces) and match.namespaces[0] in PUBLIC_NAMESPACES and not getattr(match.func, "page_cache_exempt", False)


def exempt(view):
    """Marks a public view whose responses the page cache must not keep (downloads with a cache of their own)."""
    view.page_cache_exempt = True
    return view


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.cacheable_request(request):
            return self.get_response(request)
        state = current_state()
        if state is None:
            return self.get_response(request)
        version, seconds = state
        timeout = cache_timeout(seconds)
        key = ":".join(["page", version, getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE), request.scheme,
                        request.get_host(), timezone.localdate().isoformat(), request.get_full_path()])
        stored = cache.get(key) if timeout else None
        if stored is not None:
            return self.rebuild(request, stored)
        response = self.get_response(request)
        if timeout and self.cacheable_response(response):
            cache.set(key, self.freeze(response), timeout)
        return response

    @staticmethod
    def cacheable_request(request):
        if request.method not in ("GET", "HEAD") or settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
            return False
        return is_public_path(request.path_info, get_urlconf(), get_language())

    @staticmethod
    def cacheable_response(response):
        if response.status_code != 200 or response.streaming or getattr(response, "is_rendered", True) is False:
            return False
        if any(name != settings.CSRF_COOKIE_NAME for name in response.cookies):
            return False
        return b'nonce="' not in response.content

    @staticmethod
    def freeze(response):
        content = response.content.decode(response.charset or "utf-8")
        content = CSRF_INPUT.sub(lambda m: m.group(1) + MARKER + m.group(2), content)
        headers = [(name, value) for name, value in response.headers.items() if name.lower() not in ("set-cookie", "content-length")]
        return {"content": content, "headers": headers, "charset": response.charset}

    @staticmethod
    def rebuild(request, stored):
        content = stored["content"]
        if MARKER in content:
            content = content.replace(MARKER, get_token(request))
        response = HttpResponse(content.encode(stored["charset"] or "utf-8"))
        for name, value in stored["headers"]:
            response[name] = value
        response["X-Page-Cache"] = "hit"
        return response
