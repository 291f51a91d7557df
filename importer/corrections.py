"""What an editor corrects in the import preview before the draft is created.

The parsed result waits in the session (``views.preview``); this form edits it in place: the Kamerstuk
number, the Council configuration, the date of receipt, the send date (prefilled from the batch letter's
date when the file is a batch letter) and the text of every section under its Dutch heading. Every section
of the fiche's template is offered, empty where the file had none, so the draft gets them all and editors
fill in place; moving text between sections is how a wrong section boundary is put right. When section text
changed, everything the parser reads from the sections (the plain sections, verdicts, suggested commitments and
amounts: ``parsing.fiche.derive_from_sections``) is read again from the corrected text. The corrected
result then goes through the import's own plan and validation (``services.plan_import`` / ``import_fiche``):
a corrected Kamerstuk number that belongs to another fiche is refused like a misread one.
"""

import datetime

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from proposals import references
from proposals.models import CouncilConfiguration

from .parsing.fiche import derive_from_sections
from .services import newest_template


def complete_sections(result):
    """Add the template's sections the file did not have (empty), in the template's order; sections the
    template does not know stay after them. Returns ``result`` (changed in place)."""
    template = newest_template(result.data["template"])
    if template is None:
        return result
    found = {entry["key"]: entry for entry in result.marked_sections}
    ordered = []
    for section in template.sections.order_by("position"):
        ordered.append(found.pop(section.key, None) or {"key": section.key, "number": section.number, "title": section.title, "text": ""})
    result.marked_sections = ordered + list(found.values())
    return result


class CorrectionForm(forms.Form):
    kamerstuk = forms.CharField(label=gettext_lazy("Kamerstuknummer"), required=False, max_length=40,
                                help_text=gettext_lazy("Het nummer van dit fiche zelf, bijv. 22112-3908 of 22 112, nr. 3908."))
    council_configuration = forms.ModelChoiceField(
        label=gettext_lazy("Behandelingstraject Raad"), required=False, to_field_name="code",
        queryset=CouncilConfiguration.objects.order_by("name"), empty_label=gettext_lazy("(niet gevonden)"))
    received_on = forms.DateField(label=gettext_lazy("Datum ontvangst Commissiedocument"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    sent_on = forms.DateField(label=gettext_lazy("Datum verzending aan de Kamer"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                              help_text=gettext_lazy("Vooringevuld met de datum van de verzamelbrief, als de tekst die noemt."))

    def __init__(self, *args, result, sent_on=None, **kwargs):
        self.result = result
        data = result.data
        council = (data["council_configuration"] or {}).get("code") or ""
        received = data["received_on"] if data["received_on"] and len(data["received_on"]) == 10 else None
        initial = {"kamerstuk": data["kamerstuk"] or "", "council_configuration": council or None,
                   "received_on": received, "sent_on": sent_on or result.batch_letter_date}
        for index, entry in enumerate(result.marked_sections):
            initial[f"section_{index}"] = entry["text"]
        if args and args[0] is not None:
            # A field the request does not carry keeps what was read (a confirmation posted without the corrections
            # changes nothing); a field sent empty is the editor emptying it.
            posted = args[0].copy()
            for name, value in initial.items():
                if name not in posted:
                    posted[name] = value or ""
            args = (posted, *args[1:])
        super().__init__(*args, initial=initial, **kwargs)
        for index, entry in enumerate(result.marked_sections):
            label = f"{entry['number']}. {entry['title']}" if entry["number"] else entry["title"]
            self.fields[f"section_{index}"] = forms.CharField(label=label, required=False, strip=False,
                                                              widget=forms.Textarea(attrs={"rows": 4, "class": "vLargeTextField"}))

    @property
    def section_fields(self):
        return [self[f"section_{index}"] for index in range(len(self.result.marked_sections))]

    @property
    def general_fields(self):
        """The fields besides the sections' text (Kamerstuk number, Council configuration, dates), in form order."""
        sections = {field.name for field in self.section_fields}
        return [field for field in self if field.name not in sections]

    def clean_kamerstuk(self):
        value = self.cleaned_data["kamerstuk"].strip()
        return references.normalise_kamerstuk(value) if value else ""

    def clean(self):
        cleaned = super().clean()
        received, sent = cleaned.get("received_on"), cleaned.get("sent_on")
        if received and sent and sent < received:
            self.add_error("sent_on", _("De datum van verzending (%(sent)s) ligt voor de ontvangst van het Commissiedocument (%(received)s).")
                           % {"sent": sent.strftime("%d-%m-%Y"), "received": received.strftime("%d-%m-%Y")})
        return cleaned

    def apply(self):
        """Write the corrections into the parsed result (in place); returns the send date (ISO text or None), which
        the parsed result does not hold. When a section's text changed, what is read from the sections is read again
        (``derive_from_sections``) and ``sections_changed`` is True: the suggestions may be other ones now."""
        data, cleaned = self.result.data, self.cleaned_data
        data["kamerstuk"] = cleaned["kamerstuk"] or None
        council = cleaned["council_configuration"]
        parsed = data["council_configuration"] or {}
        if council is not None and council.code != parsed.get("code"):
            data["council_configuration"] = {"code": council.code, "raw": council.name}
        elif council is None and parsed.get("code"):
            data["council_configuration"] = None  # the editor said: not this one
        if cleaned["received_on"]:
            data["received_on"] = cleaned["received_on"].isoformat()
        self.sections_changed = False
        for index, entry in enumerate(self.result.marked_sections):
            text = cleaned.get(f"section_{index}", entry["text"]).replace("\r\n", "\n")
            self.sections_changed |= text != entry["text"]
            entry["text"] = text
        if self.sections_changed:
            derive_from_sections(self.result)
        sent = cleaned["sent_on"]
        return sent.isoformat() if isinstance(sent, datetime.date) else None
