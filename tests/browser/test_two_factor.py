"""Enrolling an authenticator app in a real browser: start, read the secret off the page as a person would type it
into their app, confirm with the code the app would show, get the recovery codes; the enrolment and the codes
pages are axe clean and do not scroll sideways at 1280 and 390 px."""

from base64 import b32decode

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from .test_editor_admin import violations

pytestmark = pytest.mark.browser
PAGE = "/admin/tweestapsverificatie/"


@pytest.fixture
def officer(transactional_db, live_server):
    user = User.objects.create_user("olga", password=None, is_staff=True, is_superuser=True, first_name="Olga")
    client = Client()
    client.force_login(user)
    return live_server.url, user, client


def code_for(secret):
    """The six digits an authenticator app shows now for the secret as the page writes it (groups of four)."""
    key = secret.replace(" ", "")
    key += "=" * (-len(key) % 8)
    return f"{totp(b32decode(key)):06d}"


@pytest.mark.parametrize("width", [1280, 390])
def test_a_staff_member_enrols_an_app_and_gets_recovery_codes(browser, officer, width):
    base, user, client = officer
    context = browser.new_context(locale="nl-NL", viewport={"width": width, "height": 900})
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(base + PAGE)
        assert "Aan uw account is nog geen authenticator-app gekoppeld." in page.content()
        with page.expect_navigation():
            page.click("button[value=start]")
        secret = page.inner_text("code.ft-secret")
        assert page.locator("svg.ft-qr").count() == 1
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
        assert not violations(page), "enrolment page"
        assert not TOTPDevice.objects.get(user=user).confirmed

        page.fill("#id_code", "000000" if code_for(secret) != "000000" else "111111")
        with page.expect_navigation():
            page.click("button[value=confirm]")
        assert "Deze code klopt niet of is verlopen." in page.content()
        assert not TOTPDevice.objects.get(user=user).confirmed

        page.wait_for_timeout(2_100)  # django-otp throttles a device for a second after a wrong code (OTP_TOTP_THROTTLE_FACTOR)
        page.fill("#id_code", code_for(secret))
        with page.expect_navigation():
            page.click("button[value=confirm]")
        assert "De app is gekoppeld." in page.content()
        assert page.locator(".ft-recovery-codes li").count() == 10
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
        assert not violations(page), "recovery codes page"
        assert TOTPDevice.objects.get(user=user).confirmed
    finally:
        context.close()
