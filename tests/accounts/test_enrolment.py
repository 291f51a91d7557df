"""Staff enrol their own authenticator app in the admin: QR code and secret, confirmed with a code before it counts,
then one-time recovery codes that the login accepts instead of a code. Re-enrolling replaces the old app only
once the new one is confirmed; another user's devices are never touched."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.positions.conftest import staff_user

from .test_one_step_login import PASSWORD, code, login, wrong

pytestmark = pytest.mark.django_db
URL = "/admin/tweestapsverificatie/"


@pytest.fixture(autouse=True)
def fast_hashes(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def anna(client):
    user = staff_user("anna")
    client.force_login(user)
    return user


def start(client):
    response = client.post(URL, {"action": "start"})
    assert response.status_code == 302
    return client.get(URL)


def pending(user):
    return TOTPDevice.objects.get(user=user, confirmed=False)


class EnrolmentTests:
    def test_the_user_menu_links_to_the_page(self, client, anna):
        body = client.get(reverse("admin:index")).content.decode()
        assert f'href="{URL}"' in body and "Tweestapsverificatie" in body

    def test_enrol_shows_qr_and_secret_then_confirms_and_gives_recovery_codes(self, client, anna):
        body = start(client).content.decode()
        device = pending(anna)
        assert "<svg" in body and "<title>QR-code om fichetracker" in body
        from accounts.twofactor import readable_secret

        assert readable_secret(device) in body
        assert not device.confirmed
        response = client.post(URL, {"action": "confirm", "code": code(device)})
        assert response.status_code == 200
        assert response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]
        device.refresh_from_db()
        assert device.confirmed
        codes = list(response.context["recovery_codes"])
        assert len(codes) == 10 and len(set(codes)) == 10
        body = response.content.decode()
        assert all(f"<code>{c}</code>" in body for c in codes)
        assert set(StaticToken.objects.filter(device__user=anna).values_list("token", flat=True)) == set(codes)
        # shown once: the next visit only counts them
        body = client.get(URL).content.decode()
        assert codes[0] not in body and "nog 10 ongebruikte herstelcodes" in body

    def test_a_wrong_code_is_refused_with_a_clear_message_and_nothing_is_confirmed(self, client, anna):
        start(client)
        device = pending(anna)
        response = client.post(URL, {"action": "confirm", "code": wrong(device)})
        assert response.status_code == 400
        body = response.content.decode()
        assert "Deze code klopt niet of is verlopen" in body and "<svg" in body
        assert not TOTPDevice.objects.filter(user=anna, confirmed=True).exists()
        assert not StaticToken.objects.exists()
        response = client.post(URL, {"action": "confirm", "code": "abc"})
        assert "Deze code klopt niet of is verlopen" in response.content.decode()

    def test_reenrolling_replaces_the_old_device_only_once_the_new_one_is_confirmed(self, client, anna):
        old = TOTPDevice.objects.create(user=anna, name="oud", confirmed=True)
        start(client)
        new = pending(anna)
        client.post(URL, {"action": "confirm", "code": wrong(new)})
        assert TOTPDevice.objects.filter(pk=old.pk, confirmed=True).exists()  # a failed attempt keeps the old app
        client.post(URL, {"action": "cancel"})
        assert TOTPDevice.objects.filter(pk=old.pk, confirmed=True).exists()
        assert not TOTPDevice.objects.filter(user=anna, confirmed=False).exists()
        start(client)
        new = pending(anna)
        client.post(URL, {"action": "confirm", "code": code(new)})
        assert list(TOTPDevice.objects.filter(user=anna).values_list("pk", flat=True)) == [new.pk]

    def test_another_users_devices_are_untouched(self, client, anna):
        ben = staff_user("ben")
        bens_app = TOTPDevice.objects.create(user=ben, name="app", confirmed=True)
        from accounts.twofactor import new_recovery_codes

        bens_codes = new_recovery_codes(ben)
        start(client)
        client.post(URL, {"action": "confirm", "code": code(pending(anna))})
        client.post(URL, {"action": "recovery"})
        assert TOTPDevice.objects.filter(pk=bens_app.pk, confirmed=True).exists()
        assert set(StaticToken.objects.filter(device__user=ben).values_list("token", flat=True)) == set(bens_codes)

    def test_the_page_needs_a_login(self, client):
        response = client.get(URL)
        assert response.status_code == 302 and "/admin/login/" in response.url


class RecoveryCodeLoginTests:
    @pytest.fixture(autouse=True)
    def required(self, settings):
        settings.FICHETRACKER_REQUIRE_2FA = True

    def test_a_recovery_code_works_once_instead_of_the_app_code(self, client):
        user = staff_user("redacteur")
        user.set_password(PASSWORD)
        user.save()
        TOTPDevice.objects.create(user=user, name="app", confirmed=True)
        from accounts.twofactor import new_recovery_codes

        codes = new_recovery_codes(user)
        response = login(client, otp_token=codes[0].upper())
        assert response.status_code == 302, response.content.decode()[:1500]
        assert client.get(reverse("admin:index")).status_code == 200
        client.logout()
        response = login(client, otp_token=codes[0])
        assert response.status_code == 200
        assert "De code klopt niet of is verlopen" in response.content.decode()
        # after the refusal django-otp throttles the recovery device for a moment; time passes
        StaticDevice.objects.filter(user=user).update(throttling_failure_timestamp=None, throttling_failure_count=0)
        assert login(client, otp_token=codes[1]).status_code == 302

    def test_a_verified_session_stays_verified_after_reenrolling(self, client):
        user = staff_user("redacteur")
        user.set_password(PASSWORD)
        user.save()
        old = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
        assert login(client, otp_token=code(old)).status_code == 302
        start(client)
        new = pending(user)
        token = str(totp(new.bin_key, step=new.step, t0=new.t0, digits=new.digits)).zfill(new.digits)
        assert client.post(URL, {"action": "confirm", "code": token}).status_code == 200
        assert not TOTPDevice.objects.filter(pk=old.pk).exists()
        assert client.get(reverse("admin:index")).status_code == 200
