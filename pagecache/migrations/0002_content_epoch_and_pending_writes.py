from django.db import migrations, models

import pagecache.models

# PostgreSQL's version trigger before the pending table (pagecache/triggers.py): raising the version at
# once. Put back when this migration is reversed, so writes keep working without the pending table.
IMMEDIATE_BUMP = (
    "CREATE OR REPLACE FUNCTION pagecache_bump() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN IF pg_trigger_depth() > 1 THEN RETURN NULL; END IF; "
    "UPDATE pagecache_contentversion SET number = number + 1 WHERE id = 1; PERFORM pg_notify('pagecache', ''); RETURN NULL; END $$"
)


def create_pending_table(apps, schema_editor):
    # IF NOT EXISTS: a restored backup from before this migration leaves the table of the database it
    # replaced in place (pg_restore --clean drops only what the backup holds), and migrate runs next.
    schema_editor.execute("CREATE TABLE IF NOT EXISTS pagecache_pending (id bigint NOT NULL PRIMARY KEY)")


def drop_pending_table(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(IMMEDIATE_BUMP)
        schema_editor.execute("DROP TRIGGER IF EXISTS pagecache_notify ON pagecache_contentversion")
        schema_editor.execute("DROP FUNCTION IF EXISTS pagecache_notify()")
        schema_editor.execute("DROP FUNCTION IF EXISTS pagecache_commit() CASCADE")
        schema_editor.execute("DROP SEQUENCE IF EXISTS pagecache_write_seq")
    schema_editor.execute("DROP TABLE IF EXISTS pagecache_pending")


class Migration(migrations.Migration):
    dependencies = [("pagecache", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="contentversion",
            name="epoch",
            field=models.CharField(default=pagecache.models.new_epoch, max_length=32),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PendingWrite",
                    fields=[("id", models.BigIntegerField(primary_key=True, serialize=False))],
                    options={"verbose_name": "wachtende schrijfactie", "verbose_name_plural": "wachtende schrijfacties",
                             "db_table": "pagecache_pending"},
                ),
            ],
            database_operations=[migrations.RunPython(create_pending_table, drop_pending_table)],
        ),
    ]
