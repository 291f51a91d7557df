"""Enrolling a staff member's own authenticator app (TOTP) and their one-time recovery codes.

Shared by the admin's enrolment page (accounts/views.py) and ``manage.py enrol_totp``. A new device is
created unconfirmed and never counts for the login until the user has typed a code from it; only then
are their previous TOTP devices removed, so a half-finished re-enrolment never locks anyone out.
"""

import re
from base64 import b32encode

import segno
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODE_COUNT = 10
RECOVERY_DEVICE_NAME = "herstelcodes"
PENDING_NAME = "authenticator (nog niet bevestigd)"


def qr_code(uri):
    return segno.make(uri, error="m")


def qr_svg(uri, title):
    """The QR code as inline SVG (no XML declaration, no inline style: the CSP allows it)."""
    return qr_code(uri).svg_inline(scale=5, border=4, title=title, dark="#000", light="#fff", svgclass="ft-qr")


def readable_secret(device):
    """The device's secret in base32, in groups of four, for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def confirmed_totp(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True)


def pending_totp(user):
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


@transaction.atomic
def start_enrolment(user):
    """A new unconfirmed device (any earlier unconfirmed one is dropped); confirmed devices stay."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=PENDING_NAME, confirmed=False)


def normalise_code(code):
    return re.sub(r"\s+", "", code or "").lower()


@transaction.atomic
def confirm_enrolment(user, code):
    """Confirm the pending device with a code from it: it replaces the user's other TOTP devices.

    Returns ``(device, recovery_codes)``, or ``(None, None)`` when there is no pending device or the
    code is wrong (the device's own throttling counts the attempt).
    """
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("-pk").first()
    code = normalise_code(code)
    if device is None or not re.fullmatch(r"[0-9]{6,8}", code):
        return None, None
    allowed, _extra = device.verify_is_allowed()
    if not allowed or not device.verify_token(code):
        return None, None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.name = "authenticator"
    device.confirmed = True
    device.save(update_fields=["name", "confirmed"])
    return device, new_recovery_codes(user)


@transaction.atomic
def new_recovery_codes(user):
    """Fresh one-time recovery codes; the user's earlier ones stop working. Shown once, stored as django-otp keeps them."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def remaining_recovery_codes(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
