"""Mail every confirmed subscription its news: new and revised fiches, status changes of commitments and new
Commission documents, at once, daily or weekly as the reader chose.

Run it from cron every few minutes (or enqueue ``alerts.tasks.send_alerts_task``). A rerun, or a run
after a crash, sends nothing twice and skips nothing (see ``alerts.sending``). Mail goes to the console
unless DJANGO_EMAIL_HOST is set.
"""

from django.core.management.base import BaseCommand, CommandError

from alerts.sending import send_alerts


class Command(BaseCommand):
    help = "Stuurt lezers die een zoekopdracht, dossier, ministerie of toezegging volgen het nieuws per e-mail."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, help="Inschrijvingen per databasetransactie (standaard FICHETRACKER_ALERTS_BATCH_SIZE).")

    def handle(self, *args, batch_size=None, **options):
        if batch_size is not None and batch_size < 1:
            raise CommandError(f"--batch-size moet minstens 1 zijn, niet {batch_size}.")
        result = send_alerts(batch_size=batch_size)
        self.stdout.write(self.style.SUCCESS(f"{result.mails} e-mail(s) verstuurd met {result.items} bericht(en), in {result.batches} groep(en)."))
        if result.failed:
            self.stderr.write(f"{result.failed} e-mail(s) geweigerd door de mailserver; ze worden bij de volgende run opnieuw geprobeerd.")
        if result.stopped:
            raise CommandError(result.stopped)
