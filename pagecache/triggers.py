# ruff: noqa: S608 -- table and trigger names come from our own models, quoted; no outside input
"""Triggers that raise the content version (``ContentVersion``) on every write to a watched table.

Installed after every ``migrate`` (post_migrate), idempotently, for every table of the watched apps
(their models and many-to-many tables; history tables excluded, they change together with their rows).
PostgreSQL: one statement-level trigger per table, so a bulk write costs one update; it also NOTIFYs the
``pagecache`` channel, delivered when the transaction commits (identical notifications of one
transaction are folded into one), for the listener of each application process
(``pagecache.listener``). SQLite: row-level triggers (SQLite has no statement-level ones).

PostgreSQL skips the bump for statements run by another trigger (``pg_trigger_depth() > 1``): those are
the search-vector triggers writing ``positions_fiche`` for a section, footnote or document row, and the
statement on that watched table bumps the version itself. Without the skip, a bulk insert of 140,000
sections ran 140,000 updates of the one version row in one transaction, each walking the chain of the
row's earlier versions of that transaction: quadratic, over 15 minutes for the 10,000-fiche demo data.
"""

from django.apps import apps
from django.db import connections

WATCHED_APPS = ("positions", "proposals")
TABLE = "pagecache_contentversion"
CHANNEL = "pagecache"


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
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    if TABLE not in existing:
        return
    tables = [t for t in watched_tables() if t in existing]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {TABLE} (id, number) SELECT 1, 1 WHERE NOT EXISTS (SELECT 1 FROM {TABLE} WHERE id = 1)")
        if connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE OR REPLACE FUNCTION pagecache_bump() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN IF pg_trigger_depth() > 1 THEN RETURN NULL; END IF; "
                f"UPDATE {TABLE} SET number = number + 1 WHERE id = 1; PERFORM pg_notify('{CHANNEL}', ''); RETURN NULL; END $$"
            )
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
