"""Load the reference data and the example fiche that `make run` and the tests start from.

Every row in ``fixtures/`` is identified by its natural key (ministry code, EU code of a Council
configuration, Commission reference, Kamerstuk number, ...), never by a database id, so loading
twice updates the same rows in place and creates nothing new.
"""

import json
from collections import Counter

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.base import DeserializationError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, transaction

FIXTURE_DIR = settings.BASE_DIR / "fixtures"

# Dependency order: ministries and Council configurations first, then templates, then the meetings
# commitments can be due at, then the example fiche, which points at all of them.
FIXTURES = [
    "reference.json",
    "templates.json",
    "council_meetings.json",
    "example_fiche.json",
]


def _models_in(path):
    """{model: number of objects} in a fixture file, in the order they first appear."""
    try:
        with path.open(encoding="utf-8") as handle:
            objects = json.load(handle)
        counts = Counter(apps.get_model(obj["model"]) for obj in objects)
    except (OSError, ValueError, KeyError, TypeError, LookupError) as error:
        raise CommandError(f"{path}: not a readable fixture file ({error}).") from error
    return counts


class Command(BaseCommand):
    help = (
        "Load the reference data (ministries, Council configurations and meetings, fiche templates) and the "
        "published example fiche Kamerstuk 22112-3908, in one transaction. Safe to run again: rows are matched "
        "by natural key and updated in place."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias to load into (default: %(default)s).")

    def handle(self, *args, database, verbosity, **options):
        paths = [FIXTURE_DIR / name for name in FIXTURES]
        missing = [str(path) for path in paths if not path.is_file()]
        if missing:
            raise CommandError(f"Fixture file(s) not found: {', '.join(missing)}.")

        report = []
        current = None
        try:
            with transaction.atomic(using=database):
                for path in paths:
                    current = path
                    counts = _models_in(path)
                    before = {model: model._default_manager.using(database).count() for model in counts}
                    call_command("loaddata", str(path), database=database, verbosity=0)
                    created = sum(model._default_manager.using(database).count() - before[model] for model in counts)
                    report.append((path.name, counts, created))
        except (DatabaseError, DeserializationError) as error:
            raise CommandError(
                f"Loading {current.name} failed, nothing was loaded: {error}\n"
                "Is the database migrated? Run: python manage.py migrate"
            ) from error

        if verbosity >= 1:
            for name, counts, created in report:
                parts = ", ".join(f"{number} {model._meta.verbose_name_plural}" for model, number in counts.items())
                self.stdout.write(f"{name}: {sum(counts.values())} objects ({parts}); {created} new.")
            self.stdout.write(self.style.SUCCESS("Fixtures loaded."))
