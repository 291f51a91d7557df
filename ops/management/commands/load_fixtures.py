"""Load the reference data and the example fiche that `make run` and the tests start from.

Every row in ``fixtures/`` is identified by its natural key (ministry code, EU code of a Council
configuration, Commission reference, Kamerstuk number, ...), never by a database id, so loading
twice updates the same rows in place and creates nothing new.

The example fiche is the exception: once it exists it belongs to the editors, so a second run (every
`make run`) leaves the fiche and everything in it (sections, footnotes, commitments and their status
history, cofinancing) exactly as they are, while reference rows are still loaded and updated.
"""

import json
import tempfile
from collections import Counter
from pathlib import Path

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


def _read(path):
    """The objects of a fixture file and {model: number of objects}, in the order they first appear."""
    try:
        with path.open(encoding="utf-8") as handle:
            objects = json.load(handle)
        counts = Counter(apps.get_model(obj["model"]) for obj in objects)
    except (OSError, ValueError, KeyError, TypeError, LookupError) as error:
        raise CommandError(f"{path}: not a readable fixture file ({error}).") from error
    return objects, counts


def _owning_fiche(obj):
    """Natural id of the fiche a fixture object belongs to (the fiche itself included), or None."""
    fields = obj.get("fields", {})
    if obj["model"] == "positions.fiche":
        return fields.get("natural_id") or fields.get("kamerstuk")
    for owner in ("fiche", "commitment", "budget"):
        key = fields.get(owner)
        if isinstance(key, list) and key and obj["model"] != "proposals.documentrelation":
            return key[0]
    return None


def _without_existing_fiches(objects, database):
    """The objects minus those of fiches that already exist, and the natural ids of the fiches kept as they are."""
    Fiche = apps.get_model("positions", "Fiche")
    owners = {_owning_fiche(obj) for obj in objects} - {None}
    existing = set(Fiche._default_manager.using(database).filter(natural_id__in=owners).values_list("natural_id", flat=True))
    return [obj for obj in objects if _owning_fiche(obj) not in existing], sorted(existing)


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
        kept = []
        current = None
        try:
            with transaction.atomic(using=database), tempfile.TemporaryDirectory() as scratch:
                for path in paths:
                    current = path
                    objects, counts = _read(path)
                    before = {model: model._default_manager.using(database).count() for model in counts}
                    loadable, existing = _without_existing_fiches(objects, database)
                    kept += existing
                    if len(loadable) == len(objects):
                        call_command("loaddata", str(path), database=database, verbosity=0)
                    elif loadable:
                        # loaddata reads files only: the remaining objects go through a scratch copy.
                        partial = Path(scratch) / path.name
                        partial.write_text(json.dumps(loadable, ensure_ascii=False), encoding="utf-8")
                        call_command("loaddata", str(partial), database=database, verbosity=0)
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
            for natural_id in kept:
                self.stdout.write(f"Fiche {natural_id} already exists: left as it is (edits are kept).")
            self.stdout.write(self.style.SUCCESS("Fixtures loaded."))
