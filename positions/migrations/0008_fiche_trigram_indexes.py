"""PostgreSQL only: trigram indexes for the precedent panel (positions/precedents.py). A GiST index on the fiche
title finds the titles nearest to a fiche's subject words in distance order (``<->``, a few milliseconds at 10,000
fiches, where computing similarity for every row took 80 ms); a GIN index on the legal basis serves the regular
expression on an article number when few fiches cite it. The ORM does not know these indexes (as with the
full-text column of 0002); on SQLite this migration does nothing."""

from django.db import migrations

INDEXES = {
    "positions_fiche_title_trgm": "positions_fiche USING gist (title gist_trgm_ops)",
    "positions_fiche_legal_basis_trgm": "positions_fiche USING gin (legal_basis gin_trgm_ops)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, definition in INDEXES.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ("positions", "0007_pg_trgm"),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
