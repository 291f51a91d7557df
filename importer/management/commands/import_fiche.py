"""``manage.py import_fiche PATH [--dry-run] [--format json] [--revision] [--ministry CODE]``

``--dry-run`` reads, shows and says what an import would do ("Zou een nieuw concept aanmaken", "Zou fiche X
bijwerken (velden: ...)", "Zou weigeren: ..."), on stdout after the summary, or on stderr with ``--format
json`` (stdout stays one JSON object); it writes nothing and exits with status 0, also when it would refuse.
``--ministry CODE`` gives the lead ministry when the text names none (or no single known one); a text that
names another one is refused. An unknown code exits with status 2.

Exit status: 0 done, 2 unusable input (empty, not a fiche, unreadable PDF, Word, HTML or XML file, a file type
that is no fiche (.doc, .odt, a spreadsheet, an image: named in the message), binary,
larger than 20 MB, or over a reading budget such as a Word or PDF file that unpacks to more than a
fiche can be: importer/parsing/limits.py), 1 refused (the fiche is no longer a draft, or reference
data is missing, or no process to read a PDF or Word file could be started). A text file that is not
UTF-8 is read as Windows-1252, with a warning ("Let op: ...") on stderr.
Nothing is written on any failure.
"""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from importer.parsing import MAX_BYTES, FicheParseError, ReaderUnavailable, parse_file
from importer.services import ImportRefused, import_fiche, plan_import
from proposals.models import Ministry


class Command(BaseCommand):
    help = (
        "Leest een fiche (tekst, PDF, Word, of de HTML-pagina of XML van het Kamerstuk) en maakt of werkt een concept bij. "
        f"Exitstatus 2 bij onbruikbare invoer (leeg, geen fiche, onleesbaar, groter dan {MAX_BYTES // 1024 // 1024} MB "
        "of uitgepakt groter dan een fiche kan zijn)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Tekst-, PDF- of Word-bestand (.txt, .pdf, .docx), of de HTML-pagina (.html, .htm) of XML (.xml) "
                                         "van het Kamerstuk op officielebekendmakingen.nl.")
        parser.add_argument("--dry-run", action="store_true", help="Alleen lezen en tonen; niets opslaan.")
        parser.add_argument("--format", choices=["text", "json"], default="text", help="Uitvoer: leesbare tekst of JSON.")
        parser.add_argument("--revision", action="store_true",
                            help="Is het fiche al voorbij de conceptfase, maak dan een herzien concept ernaast.")
        parser.add_argument("--ministry", metavar="CODE",
                            help="Eerstverantwoordelijk ministerie (code, bijv. ezk) als de tekst er geen noemt.")

    def handle(self, *args, path, dry_run, format, revision, ministry=None, **options):
        lead = self._ministry(ministry)
        try:
            result = parse_file(path)
        except ReaderUnavailable as error:
            raise CommandError(f"{path}: {error}", returncode=1) from error
        except FicheParseError as error:
            raise CommandError(f"{path}: {error}", returncode=2) from error
        if dry_run:
            plan = plan_import(result=result, ministry=lead, make_revision=revision)
            if format == "json":
                self.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
                self.stderr.write(plan.summary)
            else:
                self._summary(result)
                self.stdout.write(plan.summary)
            return
        try:
            outcome = import_fiche(result=result, ministry=lead, make_revision=revision)
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

    def _ministry(self, code):
        if code is None:
            return None
        ministry = Ministry.objects.filter(code__iexact=code.strip()).first()
        if ministry is None:
            known = ", ".join(Ministry.objects.order_by("code").values_list("code", flat=True)) or "geen; laad eerst de referentiegegevens"
            raise CommandError(f"Onbekend ministerie '{code}' bij --ministry. Bekende codes: {known}.", returncode=2)
        return ministry

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
