"""``manage.py generate_demo_data --fiches N``: realistic synthetic fiches at scale (see ops/demo.py)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from ops.demo import DemoDataError, Generator, clear_demo_data, reference_data_problems
from positions.models import Fiche

MAX_FICHES = 100_000


def positive_count(value):
    import argparse

    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a whole number.") from None
    if not 1 <= number <= MAX_FICHES:
        raise argparse.ArgumentTypeError(f"choose between 1 and {MAX_FICHES:,} fiches; got {number}.")
    return number


class Command(BaseCommand):
    help = (
        "Create N synthetic but realistic fiches (both templates, ~25 KB of text each, footnotes, verdicts, commitments, "
        "cofinancing, Commission documents, batch letters and Council meetings over twenty years; published and draft), "
        "all marked as demo data. Deterministic for a given --seed. Refuses to touch a database that holds real fiches "
        "unless --allow-real-data is given. Needs the reference data of `manage.py load_fixtures`."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fiches", type=positive_count, default=100, help="Number of fiches to create (default: %(default)s).")
        parser.add_argument("--seed", type=int, default=1, help="Seed of the random generator; the same seed gives the same data (default: %(default)s).")
        parser.add_argument("--clear", action="store_true", help="Delete the demo data that is already there first (real fiches are never touched).")
        parser.add_argument("--allow-real-data", action="store_true",
                            help="Also run when the database holds real (non-demo) fiches. Demo fiches stay marked and never collide with them.")
        parser.add_argument("--published-share", type=float, default=0.85,
                            help="Share of the older fiches that is published, between 0 and 1 (default: %(default)s).")

    def handle(self, *args, fiches, seed, clear, allow_real_data, published_share, verbosity, **options):
        if not 0 <= published_share <= 1:
            raise CommandError(f"--published-share must lie between 0 and 1; got {published_share}.")
        try:
            self.check_database(clear=clear, allow_real_data=allow_real_data)
            if clear:
                deleted = clear_demo_data()
                if verbosity:
                    self.stdout.write(f"Deleted {deleted} demo fiches.")
            generator = Generator(fiches=fiches, seed=seed, published_share=published_share, stdout=self.stdout if verbosity > 1 else None)
            counts = generator.run()
        except (DemoDataError, DatabaseError) as error:
            raise CommandError(f"Nothing was created: {error}") from error
        if verbosity:
            seconds = counts.pop("seconds")
            summary = ", ".join(f"{number:,} {name}" for name, number in counts.items())
            self.stdout.write(self.style.SUCCESS(f"Created {summary} in {seconds} s (seed {seed})."))

    def check_database(self, *, clear, allow_real_data):
        problems = reference_data_problems()
        if problems:
            raise CommandError(f"The reference data is missing ({'; '.join(problems)}). Run first: python manage.py load_fixtures")
        real = Fiche.objects.filter(is_demo=False).count()
        if real and not allow_real_data:
            raise CommandError(
                f"This database holds {real} real (non-demo) fiche{'s' if real != 1 else ''}; demo data would mix with them on every "
                "public page. Use a separate database, or pass --allow-real-data if you really want both."
            )
        demo = Fiche.objects.filter(is_demo=True).count()
        if demo and not clear:
            raise CommandError(f"This database already holds {demo} demo fiches. Pass --clear to replace them.")
