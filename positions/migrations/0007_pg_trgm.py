"""PostgreSQL only: the pg_trgm extension, for the trigram similarity of fiche titles in the precedent panel
(positions/precedents.py). Django's CreateExtension does nothing on SQLite."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("positions", "0006_commitment_confirmed"),
    ]

    operations = [
        TrigramExtension(),
    ]
