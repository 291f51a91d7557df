"""The admin's login forms: password only (when debugging), or password and authenticator code in one step.

django-otp's own form asks for a device on a second round (the first submit of a correct password and
code is refused with "Please select a device") and puts the password back into that page. Here the code
is checked against the user's confirmed devices in the same submit, the password is never rendered back
(``render_value=False``), and every refusal has its own Dutch message. A wrong code counts as a failed
login for django-axes, so guessing codes with a known password is locked out like guessing passwords.
"""

import re

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice

# A code from the app (digits) or a one-time recovery code (django-otp static token: 8 base32 characters).
# Each is checked only against its own kind of device, so a recovery code never counts as a failed app code.
APP_CODE_RE = re.compile(r"[0-9]{6,8}")
RECOVERY_CODE_RE = re.compile(r"[a-z2-7]{8}")


class OneTimeCodeInput(forms.TextInput):
    """A code is used once: a refused one is never put back into the page."""

    def format_value(self, value):
        return None


class PasswordLoginForm(AdminAuthenticationForm):
    password = forms.CharField(
        label=_("Wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}, render_value=False),
    )

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": _(
            "Gebruikersnaam of wachtwoord onjuist, of dit account heeft geen toegang tot het beheer. "
            "Let op: hoofdletters en kleine letters verschillen."
        ),
        "inactive": _("Dit account is uitgeschakeld."),
    }


class TwoFactorLoginForm(PasswordLoginForm):
    otp_token = forms.CharField(
        label=_("Code uit de authenticator-app"),
        required=False,
        widget=OneTimeCodeInput(attrs={"autocomplete": "one-time-code", "size": 10}),
        help_text=_("De zes cijfers die de app nu toont, of een van uw herstelcodes."),
    )

    error_messages = {
        **PasswordLoginForm.error_messages,
        "no_device": _(
            "Voor dit account is nog geen authenticator-app gekoppeld, en zonder die code opent het beheer niet. "
            "Vraag een beheerder de app te koppelen (manage.py enrol_totp)."
        ),
        "token_required": _("Vul ook de code uit uw authenticator-app in."),
        "invalid_token": _("De code klopt niet of is verlopen. Vul de code in die de app nu toont."),
        "throttled": _("Te veel onjuiste codes na elkaar. Wacht even en vul dan de nieuwe code uit de app in."),
    }

    @sensitive_variables()
    def clean(self):
        cleaned_data = super().clean()  # the password first: a wrong one says nothing about the code
        user = self.get_user()
        if user is not None:
            self._verify_code(user, re.sub(r"\s+", "", cleaned_data.get("otp_token") or "").lower())
        return cleaned_data

    def _verify_code(self, user, code):
        error = None
        # The devices are locked while verifying, and the refusal leaves the atomic block normally so
        # that their failure counters (django-otp's throttling) are saved.
        with transaction.atomic():
            devices = list(devices_for_user(user, confirmed=True, for_verify=True))
            if not devices:
                error = "no_device"
            elif not code:
                error = "token_required"
            elif not (APP_CODE_RE.fullmatch(code) or RECOVERY_CODE_RE.fullmatch(code)):
                error = "invalid_token"
            else:
                error = "invalid_token"
                for device in devices:
                    pattern = RECOVERY_CODE_RE if isinstance(device, StaticDevice) else APP_CODE_RE
                    if not pattern.fullmatch(code):
                        continue
                    allowed, _extra = device.verify_is_allowed()
                    if not allowed:
                        error = "throttled"
                    elif device.verify_token(code):
                        user.otp_device = device  # django-otp marks the session verified on login
                        return
        if error in ("invalid_token", "throttled"):
            user_login_failed.send(sender=__name__, credentials={"username": self.cleaned_data.get("username")}, request=self.request)
        raise ValidationError(self.error_messages[error], code=error)
