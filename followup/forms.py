import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from positions.models import Commitment
from proposals.models import Ministry

from .filters import ministries_current_first
from .services import BULK_LIMIT, EVIDENCE_REQUIRED, eligible_holders, holder_name
from .tracking import tracked_commitments


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
    ministry = forms.ModelChoiceField(
        label=_("Ministerie"), queryset=Ministry.objects.none(), required=False, empty_label=_("alle ministeries"),
        to_field_name="code",
    )
    label = forms.CharField(label=_("Omschrijving"), max_length=100, required=False, help_text=_("Bijv. 'agenda-app op kantoor'."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Historic ministries too: their commitments are followed up under their successor's name.
        self.fields["ministry"].queryset = ministries_current_first()


class HolderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return holder_name(obj)


class AssignForm(forms.Form):
    """Who holds a commitment: an officer of its ministry, or nobody."""

    officer = HolderChoiceField(
        label=_("Houder"), queryset=None, required=False, empty_label=_("niemand (houder loslaten)"),
        help_text=_("Opvolgingsmedewerkers van het verantwoordelijke ministerie. De houder krijgt de herinneringen als eerste."),
    )
    note = forms.CharField(label=_("Toelichting"), max_length=500, required=False, help_text=_("Bijv. 'neemt het over tijdens verlof'."))

    def __init__(self, *args, commitment, **kwargs):
        kwargs.setdefault("prefix", "houder")  # beside the status form on one page: its own field names and ids
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = eligible_holders(commitment)


PK_RE = re.compile(r"[0-9]{1,19}")


class CommitmentsField(forms.ModelMultipleChoiceField):
    """Chosen commitments by primary key, among those the reader may see; anything else is 'not found'."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Commitment.objects.none(), **kwargs)
        self.error_messages = {
            **self.error_messages,
            "required": _("Kies ten minste één toezegging."),
            "invalid_choice": _("Een gekozen toezegging bestaat niet (meer) of u mag haar niet zien."),
            "invalid_pk_value": _("Een gekozen toezegging bestaat niet (meer) of u mag haar niet zien."),
        }

    def clean(self, value):
        # Before the lookup: a flood of keys, or one no database column can hold, never reaches the database.
        if value and len(value) > BULK_LIMIT:
            raise ValidationError(_("Kies hoogstens %(limit)d toezeggingen tegelijk.") % {"limit": BULK_LIMIT})
        if value and not all(isinstance(key, str) and PK_RE.fullmatch(key) and int(key) < 2**63 for key in value):
            raise ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value")
        return super().clean(value)


class BulkStatusForm(forms.Form):
    """One status change, note and evidence for several commitments; the service records one change each."""

    commitments = CommitmentsField(label=_("Toezeggingen"), widget=forms.MultipleHiddenInput)
    to_status = forms.ChoiceField(label=_("Nieuwe status"), choices=Commitment.Status.choices)
    note = StatusChangeForm.base_fields["note"]
    evidence_reference = StatusChangeForm.base_fields["evidence_reference"]
    evidence_url = StatusChangeForm.base_fields["evidence_url"]
    evidence_date = StatusChangeForm.base_fields["evidence_date"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commitments"].queryset = tracked_commitments(user).select_related("fiche", "fiche__lead_ministry", "ministry")

    clean_evidence_date = StatusChangeForm.clean_evidence_date
