"""Sign-up throttling with counters in Django's cache: per e-mail address and per client address, per hour.

The keys hold a keyed digest of the address, never the address itself (a shared cache such as Redis can
be listed). A counter starts at the first attempt and expires an hour later; attempts over the limit are
refused before anything is stored or sent.
"""

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache

from accounts.backends import client_ip

from . import conf

WINDOW_SECONDS = 3600


def _key(kind, value):
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:32]
    return f"alerts:throttle:{kind}:{digest}"


def _allow(kind, value, limit):
    key = _key(kind, value)
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        count = 1
    return count <= limit


def allow_client(request):
    """Counts one attempt from the request's client address; False once over the hourly limit."""
    return _allow("client", client_ip(request) or "unknown", conf.signups_per_client())


def allow_address(email):
    """Counts one attempt for ``email`` (normalised); False once over the hourly limit."""
    return _allow("address", email, conf.signups_per_address())
