"""``manage.py harvest_fiches --since 2007-01-01 [--until DATE] [--offline DIR] [--published] [--report FILE.csv]
[--delay SECONDS]``

Fetches the fiches of Kamerstuk dossier 22 112 from the official publications repository (its public SRU search,
then each document's XML) and imports them as ``import_archive`` does (importer/harvest.py says how: which records,
the rate limit, retries; importer/archive.py the import rules).

- ``--since`` / ``--until``: the period of publication (dates as YYYY-MM-DD, both inclusive).
- ``--offline DIR``: read saved answers instead of the network (``sru-<startRecord>.xml``, ``<identifier>.xml``).
- ``--published``, ``--report FILE.csv``: as for ``import_archive``; the report has a row per document and per
  failed SRU page.
- ``--delay SECONDS``: the wait between two requests (default 1); retries wait 2, 4 and 8 times as long.

A line per SRU page and then a progress bar go to stderr; the summary to stdout. Exit status 0 when everything
went through, 1 when a page or document failed (the run still did the others), 2 for bad arguments. Rerun, it
skips the documents already imported without downloading them.
"""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from importer.harvest import Harvest, OfflineFetcher, WebFetcher

from .import_archive import run_bulk


def _date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"'{value}' is geen datum; schrijf die als JJJJ-MM-DD, bijvoorbeeld 2007-01-01.", returncode=2) from None


class Command(BaseCommand):
    help = "Haalt de BNC-fiches (Kamerstuk 22 112) op uit de repository van officiële publicaties en leest ze in."

    stealth_options = ("fetcher",)  # call_command(..., fetcher=...): a fetcher of one's own (see importer.harvest)

    def add_arguments(self, parser):
        parser.add_argument("--since", required=True, metavar="JJJJ-MM-DD", help="Vanaf deze publicatiedatum (bijv. 2007-01-01).")
        parser.add_argument("--until", metavar="JJJJ-MM-DD", help="Tot en met deze publicatiedatum.")
        parser.add_argument("--offline", metavar="MAP", help="Lees opgeslagen antwoorden uit deze map in plaats van het internet.")
        parser.add_argument("--published", action="store_true",
                            help="Fiches met Kamerstuknummer en verzenddatum als gepubliceerd laden (het zijn al openbare stukken).")
        parser.add_argument("--report", metavar="FILE.csv", help="Schrijf per document een regel naar dit CSV-bestand.")
        parser.add_argument("--delay", type=float, default=1.0, metavar="SECONDEN",
                            help="Wachttijd tussen twee verzoeken (standaard 1 seconde).")

    def handle(self, *args, since, until, offline, published, report, delay, fetcher=None, **options):
        since, until = _date(since), _date(until) if until else None
        if until and until < since:
            raise CommandError(f"--until ({until}) ligt voor --since ({since}).", returncode=2)
        if delay < 0:
            raise CommandError("--delay kan niet negatief zijn.", returncode=2)
        if fetcher is None:
            if offline:
                if not Path(offline).is_dir():
                    raise CommandError(f"{offline} is geen map.", returncode=2)
                fetcher = OfflineFetcher(offline)
            else:
                fetcher = WebFetcher()
        harvest = Harvest(fetcher, since=since, until=until, published=published, delay=delay,
                          on_page=lambda line: self.stderr.write(line))
        try:
            harvest.pages()
        except KeyboardInterrupt:
            raise CommandError("Onderbroken tijdens het zoeken; er is nog niets ingelezen.", returncode=1) from None
        self.stdout.write(f"Gevonden: {harvest.found} stukken; {len(harvest.records)} fiches op te halen, {harvest.done_before} "
                          f"al eerder ingelezen (overgeslagen), {harvest.not_fiches} geen fiche, {harvest.outside} buiten de periode"
                          f"{f', {len(harvest.failures)} pagina’s mislukt' if harvest.failures else ''}.")
        run_bulk(self, harvest.items(), published=published, dry_run=False, report=report, jobs=1, label="documenten",
                 total=len(harvest.failures) + len(harvest.records))
