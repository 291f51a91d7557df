"""Cache of whole public pages for anonymous readers, invalidated by the content version.

Enabled with ``FICHETRACKER_PAGE_CACHE=1``. The settings put this middleware right after WhiteNoise
(``with_page_cache`` in the settings): a hit runs only the security middleware around it. Everything the
inner middleware add to a page (its ``Content-Language`` and ``Vary``, CSP, X-Frame-Options) is stored
with it; sessions, language activation, the common middleware, auth, two-factor, messages, history and
axes are not needed to send an anonymous reader a stored page and are skipped on a hit (issue 17: they
cost a hit as much again as a static file). The page's language is decided as the language middleware
decides it (``common.language.language_for``), without activating it. The content version comes from
memory when the listener is on (``pagecache.listener``), else from one query per hit.

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

CSRF: a few public pages carry a form with a CSRF token: the language form of a page with one URL for
both languages (the API documentation). The lists, searches and dossier pages carry none (they link to the
e-mail sign-up page, ``alerts:subscribe``, which is not cached), so their hits set no cookie and mint no
token. The stored copy of a page with a form has a marker in place of the token; a hit on such a page goes
through Django's CSRF middleware (its request and response steps, as if it ran in its usual place): the
reader's own cookie is read, the page gets a fresh token for it (``get_token``), and the cookie is set
when the reader had none.
"""

import functools
import re

from django.conf import settings
from django.core.cache import cache
from django.db import connections, router
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import override

from common.language import language_for, urlconf_of

from .listener import listened
from .state import MAX_AGE, cache_timeout, content_state

__all__ = ["MAX_AGE", "PublicPageCacheMiddleware", "cache_timeout", "content_state", "current_state", "exempt"]

PUBLIC_NAMESPACES = {"public", "api"}
MARKER = "\ue000csrf\ue000"
CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')


def current_state():
    """The content state from this process's listener (no query) when it is sure of it, else from the
    database. Inside a transaction, always the database: only the query sees the transaction's own writes."""
    from .models import ContentVersion

    return listened(connections[router.db_for_read(ContentVersion)]) or content_state()


@functools.lru_cache(maxsize=4096)
def is_public_path(path, urlconf=None, language=None):
    """Whether the path resolves to a view of the public namespaces in ``language``; remembered per path and
    language (the language-prefixed patterns resolve in that language), as the URLconf is fixed."""
    try:
        with override(language):
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
        # Django's CSRF middleware, for the hits on a page with a form (it never calls a view here).
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request):
        language = self.cacheable_language(request)
        if language is None:
            return self.get_response(request)
        state = current_state()
        if state is None:
            return self.get_response(request)
        version, seconds = state
        timeout = cache_timeout(seconds)
        key = ":".join(["page", version, language, request.scheme, request.get_host(), timezone.localdate().isoformat(),
                        request.get_full_path()])
        stored = cache.get(key) if timeout else None
        if stored is not None:
            return self.rebuild(request, stored)
        response = self.get_response(request)
        if timeout and self.cacheable_response(response):
            cache.set(key, self.freeze(response), timeout)
        return response

    @staticmethod
    def cacheable_language(request):
        """The language of the page when ``request`` may be answered from the cache, else None."""
        if request.method not in ("GET", "HEAD") or settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
            return None
        language = language_for(request)
        return language if is_public_path(request.path_info, urlconf_of(request), language) else None

    @staticmethod
    def cacheable_response(response):
        if response.status_code != 200 or response.streaming or getattr(response, "is_rendered", True) is False:
            return False
        if any(name != settings.CSRF_COOKIE_NAME for name in response.cookies):
            return False
        return b'nonce="' not in response.content

    @staticmethod
    def freeze(response):
        """The page as stored: its body in bytes, split where a CSRF token was (the tokens go back in on a hit),
        and its headers but cookies and length."""
        content = response.content.decode(response.charset or "utf-8")
        parts = CSRF_INPUT.sub(lambda m: m.group(1) + MARKER + m.group(2), content).split(MARKER)
        headers = [(name, value) for name, value in response.headers.items() if name.lower() not in ("set-cookie", "content-length")]
        charset = response.charset or "utf-8"
        return {"parts": [part.encode(charset) for part in parts], "headers": headers}

    def rebuild(self, request, stored):
        parts = stored["parts"]
        if len(parts) > 1:
            self.csrf.process_request(request)  # the reader's CSRF cookie, as the CSRF middleware reads it
            body = get_token(request).encode().join(parts)
        else:
            body = parts[0]
        response = HttpResponse(body)
        for name, value in stored["headers"]:
            response[name] = value
        response["Content-Length"] = str(len(body))
        response["X-Page-Cache"] = "hit"
        if len(parts) > 1:
            response = self.csrf.process_response(request, response)  # the reader's cookie, when it had none
        return response
