"""E-mail each follow-up officer a digest of their ministry's commitments that need attention.

Run it daily from cron (a second run on the same day sends nothing new), or enqueue
``followup.tasks.send_reminders_task``. Mail goes to the console unless DJANGO_EMAIL_HOST is set.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from followup.reminders import send_reminders


def iso_date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--date moet de vorm JJJJ-MM-DD hebben, bijv. 2026-11-26; niet {value!r}.") from None


class Command(BaseCommand):
    help = "Stuurt opvolgingsmedewerkers een overzicht van toezeggingen die binnen vier weken of een week moeten, of verlopen zijn."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Doe alsof het deze dag is (JJJJ-MM-DD); standaard vandaag.")

    def handle(self, *args, date=None, **options):
        today = iso_date(date) if date else None
        result = send_reminders(today=today)
        if result.linked_triggers:
            self.stdout.write(f"{result.linked_triggers} toezegging(en) gekoppeld aan een Raadsvergadering.")
        self.stdout.write(self.style.SUCCESS(f"{result.sent} e-mail(s) verstuurd met {result.notices} herinnering(en)."))
        if result.failed:
            for failure in result.failed:
                self.stderr.write(f"Niet verstuurd: {failure}")
            raise CommandError(f"{len(result.failed)} e-mail(s) konden niet worden verstuurd; ze worden bij de volgende run opnieuw geprobeerd.")
