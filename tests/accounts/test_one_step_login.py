"""The admin login with two-factor authentication: password and authenticator code in one form, one submit.

Each refusal says in Dutch what was wrong, the password is never rendered back into the page, a wrong
code counts towards django-axes' lockout like a wrong password, and a code works only once.
"""

import re

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.positions.conftest import staff_user

PASSWORD = "Een-lang-wachtwoord-2026!"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def two_factor_required(settings):
    settings.FICHETRACKER_REQUIRE_2FA = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def enrolled(username="redacteur"):
    user = staff_user(username)
    return user, TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def code(device):
    return str(totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)).zfill(device.digits)


def wrong(device):
    return str((int(code(device)) + 1) % 10**device.digits).zfill(device.digits)


def login(client, password=PASSWORD, otp_token="", username="redacteur", ip="192.0.2.10"):
    data = {"username": username, "password": password, "next": "/admin/"}
    if otp_token is not None:
        data["otp_token"] = otp_token
    return client.post(reverse("admin:login"), data, REMOTE_ADDR=ip)


def password_inputs(body):
    return re.findall(r"<input[^>]*name=\"password\"[^>]*>", body)


def assert_password_not_rendered(body):
    assert PASSWORD not in body
    inputs = password_inputs(body)
    assert inputs and all("value=" not in tag for tag in inputs), inputs


class OneStepTwoFactorLoginTests:
    def test_the_login_page_asks_for_password_and_code_together(self, client):
        body = client.get(reverse("admin:login")).content.decode()
        assert 'name="password"' in body and 'name="otp_token"' in body
        assert 'autocomplete="one-time-code"' in body
        assert "otp_device" not in body and "otp_challenge" not in body

    def test_a_correct_password_and_code_open_the_admin_with_one_post(self, client):
        _user, device = enrolled()
        response = login(client, otp_token=code(device))
        assert response.status_code == 302, response.content.decode()[:2000]
        assert response.url == "/admin/"
        assert client.get(reverse("admin:index")).status_code == 200
        assert not AccessAttempt.objects.exists()

    def test_spaces_in_the_code_are_ignored(self, client):
        _user, device = enrolled()
        token = code(device)
        assert login(client, otp_token=f" {token[:3]} {token[3:]} ").status_code == 302

    def test_a_wrong_code_is_refused_in_dutch_and_the_password_is_not_in_the_page(self, client):
        _user, device = enrolled()
        response = login(client, otp_token=wrong(device))
        body = response.content.decode()
        assert response.status_code == 200
        assert "De code klopt niet of is verlopen." in body
        assert "select a device" not in body.lower()
        assert_password_not_rendered(body)
        assert wrong(device) not in body  # the refused code is not put back either
        assert client.get(reverse("admin:index")).status_code == 302

    def test_a_missing_code_is_asked_for(self, client):
        enrolled()
        body = login(client, otp_token="").content.decode()
        assert "Vul ook de code uit uw authenticator-app in." in body
        assert_password_not_rendered(body)
        assert client.get(reverse("admin:index")).status_code == 302

    def test_a_code_that_is_not_six_digits_is_refused_without_trying_it(self, client):
        _user, device = enrolled()
        body = login(client, otp_token="12ab56").content.decode()
        assert "De code klopt niet" in body
        device.refresh_from_db()
        assert device.throttling_failure_count == 0

    def test_a_wrong_password_is_refused_before_the_code_is_looked_at(self, client):
        _user, device = enrolled()
        body = login(client, password="fout", otp_token=code(device)).content.decode()
        assert "Gebruikersnaam of wachtwoord onjuist" in body
        assert "De code klopt niet" not in body
        assert "fout" not in re.sub(r"<[^>]*>", "", "".join(password_inputs(body)))
        device.refresh_from_db()
        assert device.throttling_failure_count == 0 and device.last_t == -1

    def test_a_user_without_an_enrolled_device_is_told_how_to_get_one(self, client):
        staff_user("redacteur")
        body = login(client, otp_token="123456").content.decode()
        assert "nog geen authenticator-app gekoppeld" in body and "enrol_totp" in body
        assert_password_not_rendered(body)
        assert client.get(reverse("admin:index")).status_code == 302

    def test_an_unconfirmed_device_does_not_count(self, client):
        user = staff_user("redacteur")
        device = TOTPDevice.objects.create(user=user, name="half", confirmed=False)
        body = login(client, otp_token=code(device)).content.decode()
        assert "nog geen authenticator-app gekoppeld" in body

    def test_another_users_code_does_not_open_this_account(self, client):
        enrolled("redacteur")
        _other, other_device = enrolled("collega")
        body = login(client, otp_token=code(other_device)).content.decode()
        assert "De code klopt niet" in body

    def test_a_code_works_only_once(self, client):
        _user, device = enrolled()
        token = code(device)
        assert login(client, otp_token=token).status_code == 302
        client.logout()
        response = login(client, otp_token=token)
        assert response.status_code == 200
        assert "De code klopt niet" in response.content.decode()

    def test_without_two_factor_the_page_has_no_code_field_and_still_never_renders_the_password(self, client, settings):
        settings.FICHETRACKER_REQUIRE_2FA = False
        staff_user("redacteur")
        body = login(client, password="fout", otp_token=None).content.decode()
        assert 'name="otp_token"' not in body
        assert "Gebruikersnaam of wachtwoord onjuist" in body
        assert all("value=" not in tag for tag in password_inputs(body))
        assert login(client, otp_token=None).status_code == 302


class TwoFactorLockoutTests:
    def test_wrong_codes_count_towards_the_lockout_like_wrong_passwords(self, client, settings):
        settings.AXES_FAILURE_LIMIT = 3
        _user, device = enrolled()
        for _attempt in range(3):
            login(client, otp_token=wrong(device))
        assert AccessAttempt.objects.filter(username="redacteur", ip_address="192.0.2.10").get().failures_since_start == 3
        response = login(client, otp_token=code(device))
        assert response.status_code == 429
        assert client.get(reverse("admin:index")).status_code == 302

    def test_wrong_passwords_still_lock_out_with_the_code_field_present(self, client, settings):
        settings.AXES_FAILURE_LIMIT = 2
        _user, device = enrolled()
        login(client, password="fout", otp_token="000000")
        login(client, password="fout", otp_token="000000")
        assert login(client, otp_token=code(device)).status_code == 429

    def test_a_successful_login_clears_the_failures(self, client, settings):
        settings.AXES_FAILURE_LIMIT = 5
        _user, device = enrolled()
        login(client, otp_token="")  # a forgotten code is not a failure
        login(client, password="fout")
        assert AccessAttempt.objects.get().failures_since_start == 1
        assert login(client, otp_token=code(device)).status_code == 302
        assert not AccessAttempt.objects.exists()
