"""Import Council meetings from a CSV or iCalendar (.ics) file.

CSV: a header line with configuratie and datum, optionally einddatum, formeel (ja/nee) and
toelichting; comma or semicolon separated. The configuration may be its EU code (TTE), its Dutch
name or any alias (Telecomraad). iCalendar: one event per meeting, the configuration named in the
title. The whole file is checked first: one bad line imports nothing. Meetings can also be entered
one by one in the admin (Raadsvergaderingen).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from followup.meetings import ImportFailed, council_meetings_import, read_meetings_file


class Command(BaseCommand):
    help = "Importeert Raadsvergaderingen uit een CSV- of iCalendar-bestand (.ics) en koppelt wachtende toezeggingen."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Pad naar het .csv- of .ics-bestand.")
        parser.add_argument("--format", choices=["csv", "ics"], help="Standaard: afgeleid van de extensie.")
        parser.add_argument("--skip-unknown", action="store_true",
                            help="iCalendar: sla afspraken zonder bekende Raadsformatie over in plaats van te stoppen.")
        parser.add_argument("--dry-run", action="store_true", help="Controleer het bestand zonder iets op te slaan.")

    def handle(self, *args, path, format=None, skip_unknown=False, dry_run=False, **options):
        file = Path(path)
        kind = format or file.suffix.lower().lstrip(".")
        if kind not in ("csv", "ics"):
            raise CommandError(f"Onbekend bestandstype {file.suffix or '(geen extensie)'}: gebruik .csv of .ics, of geef --format.")
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Kan {file} niet lezen: {error.strerror or error}.") from None
        try:
            rows, skipped = read_meetings_file(data, kind, skip_unknown=skip_unknown)
            for note in skipped:
                self.stdout.write(f"Overgeslagen: {note}.")
            if dry_run:
                self.stdout.write(self.style.SUCCESS(f"In orde: {len(rows)} vergadering(en) gevonden; niets opgeslagen (--dry-run)."))
                return
            result = council_meetings_import(rows=rows)
        except ImportFailed as failure:
            if len(failure.errors) == 1:
                raise CommandError(f"Niets geïmporteerd uit {file}: {failure.errors[0]}") from None
            for error in failure.errors:
                self.stderr.write(error)
            raise CommandError(f"Niets geïmporteerd: {len(failure.errors)} fout(en) in {file}.") from None
        self.stdout.write(self.style.SUCCESS(
            f"{result.created} nieuw, {result.updated} bijgewerkt, {result.unchanged} ongewijzigd; "
            f"{result.linked_triggers} toezegging(en) gekoppeld aan een Raadsvergadering."
        ))
