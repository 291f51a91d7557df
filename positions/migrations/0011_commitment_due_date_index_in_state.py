"""The due-date index of 0010, which was created with SQL, now declared on the model (``Commitment.Meta.indexes``)
so that the ORM knows it (``sqlmigrate``, ``makemigrations``): the state only, the index is already there."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("positions", "0010_commitment_due_date_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(
                    model_name="commitment",
                    index=models.Index(fields=["due_date"], name="positions_commitment_due_date"),
                ),
            ],
        ),
    ]
