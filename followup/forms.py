from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from positions.models import Commitment
from proposals.models import Ministry

from .filters import MinistryChoiceField, ministries_current_first
from .services import EVIDENCE_REQUIRED


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class StatusChangeForm(forms.Form):
    """A status change or new deadline; the service enforces the same rules for every other caller."""

    to_status = forms.ChoiceField(label=_("Nieuwe status"), choices=Commitment.Status.choices)
    note = forms.CharField(
        label=_("Toelichting"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Verplicht: wat is er gebeurd, of waarom verandert de termijn?"),
        error_messages={"required": _("Geef een toelichting bij de wijziging.")},
    )
    evidence_reference = forms.CharField(
        label=_("Bewijs: Kamerstuk of document"), max_length=200, required=False,
        help_text=_("Verplicht bij (deels) voldaan, of een link. Bijv. Kamerstuk 22 112, nr. 3942."),
    )
    evidence_url = forms.URLField(label=_("Bewijs: link"), required=False, assume_scheme="https")
    evidence_date = forms.DateField(label=_("Datum bewijs"), required=False, widget=DateInput(), help_text=_("Leeg: vandaag."))
    new_due_date = forms.DateField(
        label=_("Nieuwe uiterste datum"), required=False, widget=DateInput(), help_text=_("Alleen invullen bij een nieuwe termijn.")
    )

    def __init__(self, *args, commitment, **kwargs):
        self.commitment = commitment
        kwargs.setdefault("initial", {"to_status": commitment.status})
        super().__init__(*args, **kwargs)

    def clean_new_due_date(self):
        value = self.cleaned_data.get("new_due_date")
        if value and value < timezone.localdate():
            raise ValidationError(_("De nieuwe uiterste datum ligt in het verleden."))
        return value

    def clean_evidence_date(self):
        value = self.cleaned_data.get("evidence_date")
        if value and value > timezone.localdate():
            raise ValidationError(_("De datum van het bewijs ligt in de toekomst."))
        return value

    def clean(self):
        data = super().clean()
        status = data.get("to_status")
        has_evidence = data.get("evidence_reference") or data.get("evidence_url") or "evidence_url" in self.errors
        if status in EVIDENCE_REQUIRED and status != self.commitment.status and not has_evidence:
            self.add_error(
                "evidence_reference",
                _("Een (deels) voldane toezegging heeft bewijs nodig: een Kamerstuk- of documentreferentie "
                  "(bijv. Kamerstuk 22 112, nr. 3942) of een link."),
            )
        return data


class CalendarTokenForm(forms.Form):
    ministry = MinistryChoiceField(
        label=_("Ministerie"), queryset=Ministry.objects.none(), required=False, empty_label=_("alle ministeries"),
        to_field_name="code",
    )
    label = forms.CharField(label=_("Omschrijving"), max_length=100, required=False, help_text=_("Bijv. 'agenda-app op kantoor'."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Historic ministries too: their commitments are followed up under their successor's name.
        self.fields["ministry"].queryset = ministries_current_first()
