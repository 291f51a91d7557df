"""``manage.py import_fiche PATH [--dry-run] [--format json] [--revision]``

Exit status: 0 done, 2 unusable input (empty, not a fiche, unreadable PDF or Word file, binary,
larger than 20 MB), 1 refused (the fiche is no longer a draft, or reference data is missing).
Nothing is written on any failure.
"""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from importer.parsing import MAX_BYTES, FicheParseError, parse_file
from importer.services import ImportRefused, import_fiche


class Command(BaseCommand):
    help = (
        "Leest een fiche (tekst, PDF of Word) en maakt of werkt een concept bij. "
        f"Exitstatus 2 bij onbruikbare invoer (leeg, geen fiche, onleesbaar, groter dan {MAX_BYTES // 1024 // 1024} MB)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Tekst-, PDF- of Word-bestand (.txt, .pdf, .docx).")
        parser.add_argument("--dry-run", action="store_true", help="Alleen lezen en tonen; niets opslaan.")
        parser.add_argument("--format", choices=["text", "json"], default="text", help="Uitvoer: leesbare tekst of JSON.")
        parser.add_argument("--revision", action="store_true",
                            help="Is het fiche al voorbij de conceptfase, maak dan een herzien concept ernaast.")

    def handle(self, *args, path, dry_run, format, revision, **options):
        try:
            result = parse_file(path)
        except FicheParseError as error:
            raise CommandError(f"{path}: {error}", returncode=2) from error
        if dry_run:
            if format == "json":
                self.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
            else:
                self._summary(result)
            return
        try:
            outcome = import_fiche(result=result, make_revision=revision)
        except ImportRefused as error:
            raise CommandError(str(error), returncode=1) from error
        except ValidationError as error:
            raise CommandError("Het concept is niet opgeslagen: " + "; ".join(error.messages), returncode=1) from error
        if format == "json":
            self.stdout.write(json.dumps({"fiche": outcome.fiche.pk, "natural_id": outcome.fiche.natural_id, "created": outcome.created,
                                         "messages": outcome.messages, "warnings": result.data["warnings"]}, ensure_ascii=False, indent=2))
            return
        for message in outcome.messages:
            self.stdout.write(message)
        self._warnings(result)

    def _summary(self, result):
        data = result.data
        self.stdout.write(f"Fiche: {data['heading']}")
        self.stdout.write(f"Kamerstuk: {data['kamerstuk'] or '-'}  verzamelbrief: {data['batch_letter'] or '-'}  positie: {data['batch_position'] or '-'}")
        self.stdout.write(f"Sjabloon: {data['template']}{'  (herzien fiche)' if data['revision'] else ''}")
        self.stdout.write("Documenten: " + ", ".join(f"{d['reference']} ({d['celex'] or 'geen CELEX'})" for d in data["documents"]))
        self.stdout.write(f"Onderdelen: {len(data['sections'])}  voetnoten: {len(data['footnotes'])}  "
                          f"toezeggingen: {len(data['commitments'])}  bedragen: {len(data['amounts'])}")
        self.stdout.write("Oordelen: " + ", ".join(f"{k} {v or '-'}" for k, v in data["verdicts"].items()))
        self._warnings(result)

    def _warnings(self, result):
        for message in result.data["warnings"]:
            self.stderr.write(f"Let op: {message}")
