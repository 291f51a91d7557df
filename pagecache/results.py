"""Results computed from all published rows, cached by content version: facet rows, a list's page count
and page keys, the home page totals, the statistics figures and finished exports.

Between two writes a list, a search, a deep page or the statistics then cost only the rows they show,
whatever the number of published rows behind them; the first request after a write computes them again.
"""

import hashlib
from urllib.parse import urlencode

from django.core.cache import cache
from django.db import connections

from .listener import listened
from .state import cache_timeout, read


class ContentCache:
    """Values derived from ``published()`` rows, keyed by the content state (``pagecache.state``).

    Only for values computed from exactly ``published()`` of a model, whatever the reader (the key does
    not describe the queryset; the views say so with ``cache_facets=True`` or by building one). The key
    holds the content version (epoch and number, raised by database triggers with any committed write
    to the fiches, their documents, commitments or reference data; a new epoch after a restore or a
    migrate) and, inside a transaction that wrote, a mark of its own writes that never repeats, so a
    rolled-back write (e.g. between tests) cannot bring back stale values. An entry never outlives the
    next embargo (``public_from``) that lifts, as in the page cache. The process's listener holds all that
    in memory, as for the page cache (``listened``); otherwise one query per request (per instance) reads
    it. The values are computed only on a miss.

    ``enabled=False`` computes every value afresh (a filterset on another queryset).
    """

    def __init__(self, queryset, enabled):
        self.db = queryset.db
        self.enabled = enabled
        self._read = []

    def state(self):
        """(key prefix, timeout) for this request, read once; None when the state is unknown."""
        if not self._read:
            self._read.append(self._read_state())
        return self._read[0]

    def _read_state(self):
        connection = connections[self.db]
        if connection.vendor not in ("postgresql", "sqlite"):
            return None
        current = listened(connection) or read(connection)
        if current is None:
            return None
        version, seconds = current
        return f"results:{self.db}:{version}", cache_timeout(seconds)

    @staticmethod
    def query_digest(request, *, without=()):
        """A short, order-independent digest of the query string (less ``without``), for keys of per-query entries."""
        query = sorted((k, v) for k, values in request.GET.lists() if k not in without for v in values)
        return hashlib.sha256(urlencode(query).encode()).hexdigest()[:32]

    def fragment(self, name):
        """(cache key, timeout) for a rendered fragment of ``name`` (``{% cache %}``), or (None, 0): do not cache."""
        state = self.state() if self.enabled else None
        if not state or not state[1]:
            return None, 0
        return f"{state[0]}:{name}", state[1]

    def rows(self, name, compute):
        """``compute()``'s value for ``name``, from the cache when this content state has it."""
        key, timeout = self.fragment(name)
        if key is None:
            return compute()
        value = cache.get(key)
        if value is None:
            value = compute()
            cache.set(key, value, timeout)
        return value
