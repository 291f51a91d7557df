"""Enrol a TOTP device (authenticator app) for a staff user: prints the otpauth URI and a QR code."""

import io

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.twofactor import qr_code


class Command(BaseCommand):
    help = (
        "Koppelt een authenticator-app (TOTP) aan een medewerker. Toont de otpauth-URI en een QR-code; "
        "scan die met de app. Bestaande apparaten blijven werken tenzij --replace is gegeven."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="Gebruikersnaam van de medewerker.")
        parser.add_argument("--name", default="authenticator", help="Naam van het apparaat (standaard: authenticator).")
        parser.add_argument("--replace", action="store_true", help="Verwijder eerst de bestaande TOTP-apparaten van deze gebruiker.")
        parser.add_argument("--no-qr", action="store_true", help="Alleen de URI tonen, geen QR-code in de terminal.")
        parser.add_argument("--svg", metavar="PAD", help="Schrijf de QR-code ook als SVG-bestand naar PAD.")

    @transaction.atomic
    def handle(self, *args, username, name, replace, no_qr, svg, **options):
        user_model = get_user_model()
        try:
            user = user_model.objects.get(**{user_model.USERNAME_FIELD: username})
        except user_model.DoesNotExist:
            raise CommandError(f"Gebruiker '{username}' bestaat niet. Maak de gebruiker eerst aan (createsuperuser of in het beheer).") from None
        if not user.is_staff:
            raise CommandError(f"Gebruiker '{username}' is geen medewerker (is_staff staat uit); alleen medewerkers gebruiken het beheer.")
        existing = TOTPDevice.objects.devices_for_user(user, confirmed=None)
        if existing.exists():
            if not replace:
                raise CommandError(
                    f"Gebruiker '{username}' heeft al {existing.count()} TOTP-apparaat/apparaten. "
                    "Gebruik --replace om ze te vervangen."
                )
            existing.delete()
        device = TOTPDevice.objects.create(user=user, name=name, confirmed=True)
        uri = device.config_url
        self.stdout.write(f"TOTP-apparaat '{name}' gekoppeld aan {username}.")
        self.stdout.write("Voeg het toe aan een authenticator-app met deze URI (geheim: deel hem met niemand):")
        self.stdout.write(uri)
        qr = qr_code(uri)
        if not no_qr:
            buffer = io.StringIO()
            qr.terminal(out=buffer, compact=True)
            self.stdout.write(buffer.getvalue())
        if svg:
            try:
                qr.save(svg, kind="svg", scale=6)
            except OSError as error:
                raise CommandError(f"Kan de QR-code niet schrijven naar {svg}: {error}") from None
            self.stdout.write(f"QR-code geschreven naar {svg}.")
