"""Admin pages to import a fiche: upload a file, check the parsed preview with its warnings, confirm.

Wired in ``fichetracker/urls.py`` under ``admin/positions/fiche/import/`` (before the admin's own
URLs). Staff only, with the ``positions.add_fiche`` permission. The parse result waits in the session
between preview and confirmation, so the file is read once and nothing is written before the editor
confirms. What confirming would do comes from ``services.plan_import`` for the user: the preview says it
("zou aanmaken" / "zou fiche X bijwerken (velden ...)") and names only fiches the user may see. A text led by
another ministry than the editor's own is refused at the upload; when it names no single known lead
ministry, the editor chooses one of their own in the preview. In the preview the editor also corrects the
Kamerstuk number, Council configuration, dates and the text of every template section (``corrections``)
before anything is made; "Voorbeeld bijwerken" shows the plan for the corrections first. Corrected section text
is read again as the parser reads it (suggested commitments, amounts, verdicts); when that changes what the editor
chose from, confirming shows the new suggestions first instead of importing by the old checkbox indexes.
"""

import datetime
from collections import Counter

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from positions import permissions
from positions.models import Fiche
from proposals.models import Ministry

from .corrections import CorrectionForm, complete_sections
from .parsing import MAX_BYTES, FicheParseError, ParseResult, parse_bytes
from .services import ImportRefused, door_refusal, import_fiche, imports_for_any_ministry, plan_import

SESSION_KEY = "fiche_import_result"
GENERAL_FIELDS = [
    ("heading", gettext_lazy("Kop")), ("kamerstuk", gettext_lazy("Kamerstuknummer")), ("batch_letter", gettext_lazy("Verzamelbrief")),
    ("batch_position", gettext_lazy("Nummer in verzamelbrief")), ("template", gettext_lazy("Sjabloon")), ("revision", gettext_lazy("Herzien fiche")),
    ("received_on", gettext_lazy("Datum ontvangst")), ("impact_assessment", gettext_lazy("Impact assessment")),
    ("council_configuration", gettext_lazy("Behandelingstraject Raad")), ("lead_ministry", gettext_lazy("Eerstverantwoordelijk ministerie")),
    ("co_ministries", gettext_lazy("Medeverantwoordelijke ministeries")), ("legal_basis", gettext_lazy("Rechtsbasis")),
    ("council_procedure", gettext_lazy("Besluitvormingsprocedure Raad")), ("parliament_role", gettext_lazy("Rol Europees Parlement")),
]


class UploadForm(forms.Form):
    # Lazy as a whole: `gettext_lazy(...) % {...}` formats at import time, and the help would stay Dutch in English.
    file = forms.FileField(label=gettext_lazy("Bestand"), help_text=lazy(lambda: _(
        "Het fiche als PDF, Word-bestand (.docx) of tekstbestand, of de HTML-pagina (.html) of XML (.xml) van het Kamerstuk op "
        "officielebekendmakingen.nl; hooguit %(mb)s MB.") % {"mb": MAX_BYTES // 1024 // 1024}, str)())

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise ValidationError(_("Het bestand is te groot (%(size).1f MB); de grens is %(max)s MB.")
                                  % {"size": upload.size / 1024 / 1024, "max": MAX_BYTES // 1024 // 1024})
        try:
            self.result = parse_bytes(upload.read(MAX_BYTES + 1), upload.name)
        except FicheParseError as error:
            # Over a reading budget too (a zip bomb, a PDF stream of gigabytes): the message says which; nothing is stored.
            raise ValidationError(str(error), code=str(getattr(error, "budget", "unreadable"))) from error
        return upload


def _ministry_choices(user):
    """The lead ministries ``user`` may give an import: their own, or every current one for a coordinator."""
    if imports_for_any_ministry(user):
        return list(Ministry.objects.current())
    return list(Ministry.objects.filter(pk__in=permissions.user_ministry_ids(user)))


def _chosen_ministry(request, ministries):
    """The ministry picked in the preview: None when none was picked, False when the pick is not one of the choices."""
    value = request.POST.get("ministry", "") if request.method == "POST" else ""
    if not value:
        return None
    return next((m for m in ministries if str(m.pk) == value), False)


def _check_permission(request):
    if not request.user.has_perm("positions.add_fiche"):
        raise PermissionDenied


def _display(value):
    if isinstance(value, dict):
        code = value.get("code") or value.get("abbreviation")
        not_recognised = _("niet herkend")  # outside the f-string, where makemessages finds it
        return f"{code} — {value.get('raw')}" if code else f"{value.get('raw')} ({not_recognised})"
    if isinstance(value, list):
        return "; ".join(_display(v) for v in value)
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    return "" if value is None else str(value)


@require_http_methods(["GET", "POST"])
def upload(request):
    _check_permission(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        refusal = door_refusal(result=form.result, user=request.user)
        if refusal:
            form.add_error("file", refusal)
        else:
            request.session[SESSION_KEY] = form.result.to_state()
            return redirect("importer:preview")
    context = {**admin.site.each_context(request), "title": _("Fiche importeren"), "form": form, "opts": Fiche._meta}
    return TemplateResponse(request, "importer/upload.html", context, status=200 if request.method == "GET" else 400)


def _suggestions(data):
    """What the preview offers that is read from the section text: the suggested commitments and amounts (chosen
    by index) and the verdicts."""
    return list(data["commitments"]), list(data["amounts"]), dict(data["verdicts"])


def _still_accepted(old, accepted, new, key):
    """Indexes into ``new`` (suggestions read again from corrected text) to tick: all but a suggestion the editor
    unticked in ``old``, matched by ``key`` (a sentence unticked twice stays unticked twice)."""
    unticked = Counter(key(item) for index, item in enumerate(old) if index not in accepted)
    ticked = set()
    for index, item in enumerate(new):
        if unticked[key(item)]:
            unticked[key(item)] -= 1
        else:
            ticked.add(index)
    return ticked


@require_http_methods(["GET", "POST"])
def preview(request):
    _check_permission(request)
    state = request.session.get(SESSION_KEY)
    if not state:
        messages.warning(request, _("Er is geen geïmporteerd fiche om te bekijken; upload eerst een bestand."))
        return redirect("importer:upload")
    result = complete_sections(ParseResult.from_state(state))
    ministries = _ministry_choices(request.user)
    chosen = _chosen_ministry(request, ministries)
    form = CorrectionForm(request.POST if request.method == "POST" else None, result=result, sent_on=state.get("sent_on"))
    accept_commitments = accept_amounts = None
    status = 200
    if request.method == "POST":
        accept_commitments = {int(i) for i in request.POST.getlist("commitment") if i.isdigit()}
        accept_amounts = {int(i) for i in request.POST.getlist("amount") if i.isdigit()}
        if not form.is_valid():
            messages.error(request, _("Er is nog niets aangemaakt: verbeter de gemarkeerde velden."))
            status = 400
        else:
            # The corrections stay with the parsed result, also when confirming is refused below.
            before = _suggestions(result.data)
            sent_on = form.apply()
            request.session[SESSION_KEY] = {**result.to_state(), "sent_on": sent_on}
            reread = form.sections_changed and _suggestions(result.data) != before
            if reread:
                # The ticked boxes are indexes into the suggestions the editor saw, read from the text before the correction:
                # carry the editor's unticking over by sentence, and never import with those indexes.
                accept_commitments = _still_accepted(before[0], accept_commitments, result.data["commitments"], lambda c: c["text"])
                accept_amounts = _still_accepted(before[1], accept_amounts, result.data["amounts"], lambda a: (a["eur"], a["text"]))
            if request.POST.get("action") != "check" and reread:
                messages.warning(request, _("De tekst is gewijzigd; controleer de voorgestelde toezeggingen, bedragen en oordelen opnieuw "
                                            "en bevestig dan. Er is nog niets aangemaakt."))
                status = 400
            elif request.POST.get("action") != "check":
                try:
                    if chosen is False:
                        raise ImportRefused(_("Kies het eerstverantwoordelijke ministerie uit de lijst."))
                    outcome = import_fiche(result=result, user=request.user, ministry=chosen, make_revision=request.POST.get("revision") == "1",
                                           accept_commitments=accept_commitments, accept_amounts=accept_amounts,
                                           sent_on=datetime.date.fromisoformat(sent_on) if sent_on else None, correct_ministry=True)
                except (ImportRefused, ValidationError) as error:
                    text = str(error) if isinstance(error, ImportRefused) else "; ".join(error.messages)
                    messages.error(request, text)
                    status = 400
                else:
                    del request.session[SESSION_KEY]
                    for message in outcome.messages:
                        messages.success(request, message)
                    return redirect(reverse("admin:positions_fiche_change", args=[outcome.fiche.pk]))
    data = result.data
    provisional = chosen or (ministries[0] if len(ministries) == 1 and not imports_for_any_ministry(request.user) else None)
    plan = plan_import(result=result, user=request.user, ministry=provisional, correct_ministry=True)
    general = [{"name": name, "label": label, "value": _display(data[name]), "warnings": result.warnings_for(name)} for name, label in GENERAL_FIELDS]
    context = {
        **admin.site.each_context(request), "title": _("Controleer het geïmporteerde fiche"), "opts": Fiche._meta,
        "data": data, "general": general, "plan": plan,
        "ministries": ministries, "choose_ministry": plan.choose_ministry, "chosen_ministry": chosen or plan.lead_ministry,
        "ministry_required": not imports_for_any_ministry(request.user),
        "verdicts": [(_("Bevoegdheid"), data["verdicts"]["competence"]), (_("Subsidiariteit"), data["verdicts"]["subsidiarity"]),
                     (_("Proportionaliteit"), data["verdicts"]["proportionality"])],
        "warnings": {name: result.warnings_for(name) for name in ("documents", "sections", "footnotes", "verdicts", "general")},
        "commitments": [(i, c, accept_commitments is None or i in accept_commitments) for i, c in enumerate(data["commitments"])],
        "amounts": [(i, a, accept_amounts is None or i in accept_amounts) for i, a in enumerate(data["amounts"])],
        "form": form, "section_warnings": result.warnings_for("sections"),
    }
    return TemplateResponse(request, "importer/preview.html", context, status=status)
