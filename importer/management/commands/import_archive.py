"""``manage.py import_archive PATH... [--published] [--dry-run] [--report FILE.csv] [--jobs N]``

Loads a ministry's archive of fiches: every fiche file (.txt, .pdf, .docx, .html, .htm, .xml) in the folders
given, and every file given, one fiche a document, through the same path as ``import_fiche``
(importer/archive.py says how: idempotent, resumable, one transaction a file).

- ``--published``: a fiche with a Kamerstuk number and a send date (the letter's date) is stored as published;
  without them it stays a draft, with a warning.
- ``--dry-run``: reads every file and says what it would do; writes nothing (not even what it read).
- ``--report FILE.csv``: a row per file: file, result (created / updated / unchanged / failed), Kamerstuk,
  documents, number of warnings, seconds, message.
- ``--jobs N``: read the files in N worker processes (the database writes stay in this one).

A progress bar with the rate and the time left goes to stderr; the summary to stdout. Exit status: 0 when
every file went through, 1 when a file failed (the run still did all others), 2 when a path does not exist.
Interrupted (Ctrl-C), it stops after the file in hand; a rerun skips what was done.
"""

import time
from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from importer.archive import ArchiveError, ArchiveImport, Progress, Report, collect
from importer.models import ImportResult

LABELS = {ImportResult.CREATED: "nieuw", ImportResult.UPDATED: "bijgewerkt", ImportResult.UNCHANGED: "ongewijzigd",
          ImportResult.FAILED: "mislukt"}


def add_bulk_arguments(parser):
    parser.add_argument("--published", action="store_true",
                        help="Fiches met Kamerstuknummer en verzenddatum als gepubliceerd laden (het zijn al openbare stukken).")
    parser.add_argument("--dry-run", action="store_true", help="Alleen lezen en melden wat er zou gebeuren; niets opslaan.")
    parser.add_argument("--report", metavar="FILE.csv", help="Schrijf per bestand een regel naar dit CSV-bestand.")
    parser.add_argument("--jobs", type=int, default=1, metavar="N", help="Lees de bestanden in N processen (standaard 1).")


def run_bulk(command, items, *, published, dry_run, report, jobs, label="bestanden", total=None):
    """Import ``items`` with a progress bar and a report; returns the rows. Shared with ``harvest_fiches``, which gives
    ``total`` and a generator, so each document is downloaded only when its turn comes."""
    if jobs < 1:
        raise CommandError("--jobs moet 1 of meer zijn.", returncode=2)
    if total is None:
        items = list(items)
        total = len(items)
    progress = Progress(total, command.stderr._out, label=label)
    writer = Report(report) if report else None
    rows, started = [], time.monotonic()
    try:
        for row in ArchiveImport(published=published, dry_run=dry_run, jobs=jobs).run(items):
            rows.append(row)
            if writer:
                writer.write(row)
            if row.result == ImportResult.FAILED:
                command.stderr.write(f"Mislukt: {row.path}: {row.message}")
            progress.step()
    except KeyboardInterrupt:
        command.stderr.write(f"Onderbroken na {len(rows)} van {total} {label}; een nieuwe run slaat over wat klaar is.")
    finally:
        if writer:
            writer.close()
    seconds = time.monotonic() - started
    counts = Counter(row.result for row in rows)
    rate = len(rows) / seconds if seconds else 0
    parts = ", ".join(f"{counts[result]} {LABELS[result]}" for result in LABELS)
    prefix = "Proefrun (niets opgeslagen)" if dry_run else "Klaar"
    command.stdout.write(f"{prefix}: {len(rows)} {label} in {seconds:.1f} s ({rate:.1f}/s): {parts}; "
                         f"{sum(len(row.warnings) for row in rows)} waarschuwingen.")
    if counts[ImportResult.FAILED]:
        raise CommandError(f"{counts[ImportResult.FAILED]} van de {len(rows)} {label} mislukt; zie de meldingen"
                           f"{' en het rapport' if report else ''}.", returncode=1)
    return rows


class Command(BaseCommand):
    help = "Leest een archief van fiches (mappen en bestanden: tekst, PDF, Word, HTML, XML) in, één fiche per document."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="Bestanden en mappen (mappen worden doorzocht).")
        add_bulk_arguments(parser)

    def handle(self, *args, paths, published, dry_run, report, jobs, **options):
        try:
            items = collect(paths)
        except ArchiveError as error:
            raise CommandError(str(error), returncode=2) from error
        run_bulk(self, items, published=published, dry_run=dry_run, report=report, jobs=jobs)
