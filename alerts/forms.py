"""Forms of e-mail alerts: an address and a rhythm, nothing more. What is followed comes from the link or
the hidden fields of the page it was asked on and is checked by ``alerts.targets``."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Rhythm

# Plain addresses only: no quoted local part, comment, display name, domain literal ([192.0.2.1]) or bare
# host name. What Django's EmailValidator accepts beyond that (quotes, "<", ">") only ever helps an attack.
PLAIN_ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[^@\s\"<>()\[\],;:\\]+\.[^@\s\"<>()\[\],;:\\]+$")


def validate_plain_address(value):
    if not PLAIN_ADDRESS.match(value) or any(ord(character) < 32 or ord(character) == 127 for character in value):
        raise ValidationError(_("Vul een gewoon e-mailadres in, zoals naam@voorbeeld.nl (zonder naam, aanhalingstekens of spaties)."),
                              code="not_plain")


class AddressForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mailadres"), max_length=254, validators=[validate_plain_address],
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": _("Vul uw e-mailadres in."),
            "invalid": _("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."),
            "max_length": _("Een e-mailadres is hoogstens %(limit_value)d tekens lang; dit telt er %(show_value)d."),
        },
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "volgen-%s")
        super().__init__(*args, **kwargs)
        self.described()

    def described(self):
        """Ties error messages to their field (aria-describedby, aria-invalid) for screen readers."""
        for name, field in self.fields.items():
            if self.is_bound and self.errors.get(name):
                field.widget.attrs["aria-invalid"] = "true"
                field.widget.attrs["aria-describedby"] = f"{self[name].id_for_label}-fout"

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class RhythmField(forms.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("Hoe vaak"), choices=Rhythm.choices,
            error_messages={"required": _("Kies hoe vaak u e-mail wilt krijgen."),
                            "invalid_choice": _("Kies direct, dagelijks of wekelijks.")},
            **kwargs,
        )


class SubscribeForm(AddressForm):
    rhythm = RhythmField(widget=forms.RadioSelect, initial=Rhythm.DAILY)


class RhythmForm(forms.Form):
    rhythm = RhythmField()
