# ruff: noqa: S608 -- table names come from our own models; values are parameters
"""The content state, read in one query: what every cache of public pages and results is keyed by.

One place builds and parses that query, for the three readers: the page cache middleware (on each
request without the listener), the listener (``pagecache.listener``, on its own connection) and the
result cache (``pagecache.results``).

The state is ``(version, seconds)``:
- ``version``, a string that changes whenever what a public page shows may have changed: the content
  version's epoch and number (``pagecache.models``); on PostgreSQL also the version row's ``xmin``
  (the transaction that last wrote it: a fresh one after ``pg_restore``, in the same commit as the
  restored data); and, for a connection inside a transaction that wrote a watched table, a mark of its
  own uncommitted writes (PostgreSQL: the value the version trigger last set in ``pagecache.write``,
  from a sequence, so it never repeats, not even after a rolled-back savepoint; SQLite, inside an atomic
  block: ``total_changes()``). Other connections never see that mark, and a rolled-back transaction's
  keys never come back;
- ``seconds`` until the next embargo (``public_from``) of a published fiche lifts, or None: no entry
  may outlive it.

Raw SQL on purpose: this runs on every cache hit without the listener, and building the same query
with the ORM cost more than the query itself.
"""

import datetime
from typing import NamedTuple

from django.db import connections, router
from django.utils import timezone
from django.utils.dateparse import parse_datetime

MAX_AGE = 600
LOCAL_WRITE_SETTING = "pagecache.write"


class ContentState(NamedTuple):
    version: str
    seconds: float | None


def cache_timeout(seconds_to_next_embargo):
    """How long an entry built now may be kept: ``MAX_AGE``, but never past the next embargo lifting."""
    if seconds_to_next_embargo is None:
        return MAX_AGE
    return max(0, min(MAX_AGE, int(seconds_to_next_embargo)))


def state_sql(vendor):
    """The query: epoch, number, own-write mark, next embargo. ``vendor``: 'postgresql' or 'sqlite'."""
    from positions.models import Fiche

    from .models import ContentVersion

    if vendor == "postgresql":
        version = f"v.epoch || '.' || v.number || '.' || v.xmin::text, current_setting('{LOCAL_WRITE_SETTING}', true)"
    else:
        version = "v.epoch || '.' || v.number, total_changes()"
    return (
        f"SELECT {version}, (SELECT MIN(f.public_from) FROM {Fiche._meta.db_table} f WHERE f.status = %s AND f.public_from > %s) "
        f"FROM {ContentVersion._meta.db_table} v WHERE v.id = 1"
    )


def state_parameters(connection, now):
    from positions.models import Fiche

    return [Fiche.Status.PUBLISHED.value, connection.ops.adapt_datetimefield_value(now)]


def parse_lifts_at(value):
    if isinstance(value, str):  # SQLite hands back the stored text (UTC)
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value


def version_of(committed, local):
    """The version string from the committed part and this connection's own-write mark ('' or None: none)."""
    return f"{committed}.{local}" if local not in (None, "") else committed


def read(connection):
    """The content state as ``connection`` (a Django connection) sees it, in one query; None when unknown."""
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(state_sql(connection.vendor), state_parameters(connection, now))
        row = cursor.fetchone()
    if row is None:
        return None
    committed, local, lifts_at = row
    if connection.vendor != "postgresql" and not connection.in_atomic_block:
        local = None  # SQLite in autocommit: nothing uncommitted to tell apart
    lifts_at = parse_lifts_at(lifts_at)
    return ContentState(version_of(committed, local), (lifts_at - now).total_seconds() if lifts_at else None)


def content_state():
    """The content state read from the database the public pages are read from (a replica, if routed)."""
    from .models import ContentVersion

    return read(connections[router.db_for_read(ContentVersion)])


def renew_epoch(using="default"):
    """Give the content version a new epoch (after ``migrate`` and ``restore``); False when the table or
    the column is not there yet (a backup older than the code: the ``migrate`` that must follow renews it)."""
    from .models import ContentVersion, new_epoch

    connection = connections[using]
    table = ContentVersion._meta.db_table
    with connection.cursor() as cursor:
        if table not in connection.introspection.table_names(cursor):
            return False
        if "epoch" not in {column.name for column in connection.introspection.get_table_description(cursor, table)}:
            return False
        cursor.execute(f"UPDATE {table} SET epoch = %s WHERE id = 1", [new_epoch()])
    return True
