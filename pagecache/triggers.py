# ruff: noqa: S608 -- table and trigger names come from our own models, quoted; no outside input
"""Triggers that raise the content version (``ContentVersion``) for every write to a watched table.

Installed after every ``migrate`` (post_migrate, also sent by ``flush``), idempotently, for every table
of the watched apps (their models and many-to-many tables; history tables excluded, they change together
with their rows). Each run also gives the content version a new epoch (``pagecache.state``).

PostgreSQL, so that writers never queue behind the one version row:
- a statement-level trigger on each watched table (``pagecache_bump``): the first such statement of a
  transaction inserts a row into ``pagecache_pending``; every such statement sets the transaction-local
  setting ``pagecache.write`` to a new value of a sequence (the transaction's own reads key their
  caches by it, ``pagecache.state``). No shared row is touched, so two transactions writing different
  fiches never wait for each other, however long either stays open;
- a deferred constraint trigger on ``pagecache_pending`` (``pagecache_commit``) fires when that
  transaction commits: it raises the version and deletes the pending row. The version row is locked
  only for that instant, and the raise is still part of the transaction: a reader sees the new number
  exactly when it sees the new data, and a rollback leaves the number alone. (Not a sequence's
  ``nextval`` as the version: that is visible before the commit, so a page built from the old data
  could be stored under the new number.) If something fires the deferred triggers early
  (``SET CONSTRAINTS ALL IMMEDIATE``, as ``loaddata`` does), the raise happens then, still inside the
  transaction and visible only with its commit; later writes of that transaction ride on it;
- a row trigger on the version row (``pagecache_notify``) NOTIFYs the ``pagecache`` channel whenever it
  changes (a raise, a new epoch, an update by hand), delivered at commit, identical notifications of
  one transaction folded into one, for the listener of each application process (``pagecache.listener``).

The statement trigger skips statements run by another trigger (``pg_trigger_depth() > 1``): those are
the search-vector triggers writing ``positions_fiche`` for a section, footnote or document row, and the
statement on the watched table counts itself. Without the skip, a bulk insert of 140,000 sections
touched the version 140,000 times in one transaction (once quadratic: over 15 minutes for the
10,000-fiche demo data).

SQLite: row-level triggers raise the number in the writing transaction (SQLite has no statement-level
triggers, and serialises writers anyway).
"""

from django.apps import apps
from django.db import connections

from .state import LOCAL_WRITE_SETTING

WATCHED_APPS = ("positions", "proposals", "outcomes")
TABLE = "pagecache_contentversion"
PENDING_TABLE = "pagecache_pending"
SEQUENCE = "pagecache_write_seq"
CHANNEL = "pagecache"

POSTGRESQL_FUNCTIONS = [
    f"""CREATE OR REPLACE FUNCTION pagecache_bump() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE mark bigint;
BEGIN
    IF pg_trigger_depth() > 1 THEN RETURN NULL; END IF;
    mark := nextval('{SEQUENCE}');
    IF COALESCE(current_setting('{LOCAL_WRITE_SETTING}', true), '') = '' THEN
        INSERT INTO {PENDING_TABLE} (id) VALUES (mark);
    END IF;
    PERFORM set_config('{LOCAL_WRITE_SETTING}', mark::text, true);
    RETURN NULL;
END $$""",
    f"""CREATE OR REPLACE FUNCTION pagecache_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE {TABLE} SET number = number + 1 WHERE id = 1;
    DELETE FROM {PENDING_TABLE} WHERE id = NEW.id;
    RETURN NULL;
END $$""",
    f"""CREATE OR REPLACE FUNCTION pagecache_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('{CHANNEL}', '');
    RETURN NULL;
END $$""",
]


def watched_tables():
    tables = set()
    for label in WATCHED_APPS:
        if not apps.is_installed(label):
            continue
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.proxy or not model._meta.managed or model.__name__.startswith("Historical"):
                continue
            tables.add(model._meta.db_table)
    return sorted(tables)


def install_triggers(sender=None, using="default", **kwargs):
    if sender is not None and sender.label != "pagecache":
        return  # once per migrate, after our own app's migrations ran
    from .models import new_epoch

    connection = connections[using]
    existing = set(connection.introspection.table_names())
    if TABLE not in existing or PENDING_TABLE not in existing:
        return  # our migrations have not all run (migrate pagecache 0001): nothing to install yet
    tables = [t for t in watched_tables() if t in existing]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {TABLE} (id, number, epoch) SELECT 1, 1, %s WHERE NOT EXISTS (SELECT 1 FROM {TABLE} WHERE id = 1)", [new_epoch()])
        if connection.vendor == "postgresql":
            cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE}")
            for function in POSTGRESQL_FUNCTIONS:
                cursor.execute(function)
            cursor.execute(f"DROP TRIGGER IF EXISTS pagecache_commit ON {PENDING_TABLE}")
            cursor.execute(
                f"CREATE CONSTRAINT TRIGGER pagecache_commit AFTER INSERT ON {PENDING_TABLE} "
                "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION pagecache_commit()"
            )
            cursor.execute(f"DROP TRIGGER IF EXISTS pagecache_notify ON {TABLE}")
            cursor.execute(f"CREATE TRIGGER pagecache_notify AFTER UPDATE ON {TABLE} FOR EACH ROW EXECUTE FUNCTION pagecache_notify()")
            for table in tables:
                cursor.execute(f"DROP TRIGGER IF EXISTS pagecache_bump ON {quote(table)}")
                cursor.execute(
                    f"CREATE TRIGGER pagecache_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {quote(table)} "
                    "FOR EACH STATEMENT EXECUTE FUNCTION pagecache_bump()"
                )
        elif connection.vendor == "sqlite":
            for table in tables:
                for event in ("INSERT", "UPDATE", "DELETE"):
                    name = quote(f"pagecache_bump_{table}_{event.lower()}")
                    cursor.execute(
                        f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {event} ON {quote(table)} "
                        f"BEGIN UPDATE {TABLE} SET number = number + 1 WHERE id = 1; END"
                    )
        # A new epoch on every migrate and flush: numbers that start again never meet older cache keys.
        cursor.execute(f"UPDATE {TABLE} SET epoch = %s WHERE id = 1", [new_epoch()])
