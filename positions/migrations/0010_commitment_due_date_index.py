"""An index on the commitments' due date, in the order of the public commitment list (``due_date`` first, then
the fiche's date and Kamerstuk, position): the list's first pages walk the index and sort only the few rows
that share a due date (incremental sort), instead of sorting every published commitment: 28 -> 1 ms for a
page's keys at 60,000 commitments, which the first list after a write pays (issue 17). Unknown to the ORM, as
the indexes of 0008; on both databases."""

from django.db import migrations

NAME = "positions_commitment_due_date"


def create(apps, schema_editor):
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {NAME} ON positions_commitment (due_date)")


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [
        ("positions", "0009_fiche_list_columns"),
    ]

    operations = [migrations.RunPython(create, drop)]
