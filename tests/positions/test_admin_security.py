"""Login throttling (django-axes), two-factor authentication (django-otp TOTP) and enrolment."""

import io
import logging

import pytest
from axes.models import AccessAttempt
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from .conftest import staff_user

PASSWORD = "Een-lang-wachtwoord-2026!"


def login(client, username, password, ip="192.0.2.10", **extra):
    return client.post(reverse("admin:login"), {"username": username, "password": password, "next": "/admin/", **extra}, REMOTE_ADDR=ip)


@pytest.mark.django_db
class LoginThrottlingTests:
    def test_repeated_failures_lock_out_that_username_from_that_address_and_are_logged(self, client, settings, caplog):
        settings.AXES_FAILURE_LIMIT = 3
        staff_user("redacteur")
        with caplog.at_level(logging.WARNING, logger="axes"):
            for _attempt in range(3):
                login(client, "redacteur", "fout")
        response = login(client, "redacteur", PASSWORD)
        assert response.status_code == 429
        assert "Inloggen tijdelijk geblokkeerd" in response.content.decode()
        assert AccessAttempt.objects.filter(username="redacteur", ip_address="192.0.2.10").exists()
        assert any("locking out" in record.getMessage().lower() for record in caplog.records)

    def test_the_lockout_does_not_block_the_same_user_from_another_address(self, client, settings):
        settings.AXES_FAILURE_LIMIT = 2
        staff_user("redacteur")
        for _attempt in range(2):
            login(client, "redacteur", "fout")
        response = login(client, "redacteur", PASSWORD, ip="198.51.100.7")
        assert response.status_code == 302

    def test_a_successful_login_resets_the_count(self, client, settings):
        settings.AXES_FAILURE_LIMIT = 3
        staff_user("redacteur")
        login(client, "redacteur", "fout")
        login(client, "redacteur", "fout")
        assert login(client, "redacteur", PASSWORD).status_code == 302
        assert not AccessAttempt.objects.filter(username="redacteur").exists()


@pytest.mark.django_db
class TwoFactorTests:
    def test_when_required_a_password_alone_does_not_open_the_admin(self, client, settings):
        settings.FICHETRACKER_REQUIRE_2FA = True
        staff_user("redacteur")
        response = login(client, "redacteur", PASSWORD)
        assert response.status_code == 200
        assert client.get(reverse("admin:index")).status_code == 302

    def test_when_required_a_valid_totp_token_opens_the_admin(self, client, settings):
        settings.FICHETRACKER_REQUIRE_2FA = True
        user = staff_user("redacteur")
        device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
        token = str(totp(device.bin_key)).zfill(6)
        response = login(client, "redacteur", PASSWORD, otp_device=device.persistent_id, otp_token=token)
        assert response.status_code == 302, response.content.decode()[:3000]
        assert client.get(reverse("admin:index")).status_code == 200

    def test_a_forced_login_without_a_verified_device_is_not_enough_when_required(self, client, settings):
        settings.FICHETRACKER_REQUIRE_2FA = True
        client.force_login(staff_user("redacteur", superuser=True))
        assert client.get(reverse("admin:index")).status_code == 302

    def test_when_debugging_the_password_is_enough(self, client, settings):
        settings.FICHETRACKER_REQUIRE_2FA = False
        staff_user("redacteur")
        assert login(client, "redacteur", PASSWORD).status_code == 302
        assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db
class EnrolTotpCommandTests:
    def test_it_creates_a_device_and_prints_the_otpauth_uri_and_a_qr_code(self, tmp_path):
        user = staff_user("redacteur")
        out = io.StringIO()
        svg = tmp_path / "qr.svg"
        call_command("enrol_totp", "redacteur", "--svg", str(svg), stdout=out)
        text = out.getvalue()
        device = TOTPDevice.objects.get(user=user)
        assert device.confirmed
        assert "otpauth://totp/fichetracker%3Aredacteur?secret=" in text
        assert "issuer=fichetracker" in text
        assert svg.read_text().startswith("<?xml") or "<svg" in svg.read_text()

    def test_it_refuses_a_second_device_unless_asked_to_replace(self):
        user = staff_user("redacteur")
        call_command("enrol_totp", "redacteur", "--no-qr", stdout=io.StringIO())
        with pytest.raises(CommandError, match="--replace"):
            call_command("enrol_totp", "redacteur", stdout=io.StringIO())
        call_command("enrol_totp", "redacteur", "--replace", "--no-qr", stdout=io.StringIO())
        assert TOTPDevice.objects.filter(user=user).count() == 1

    def test_unknown_and_non_staff_users_are_refused_clearly(self):
        from django.contrib.auth.models import User

        with pytest.raises(CommandError, match="bestaat niet"):
            call_command("enrol_totp", "niemand", stdout=io.StringIO())
        User.objects.create_user("lezer")
        with pytest.raises(CommandError, match="geen medewerker"):
            call_command("enrol_totp", "lezer", stdout=io.StringIO())
