"""Admin for Commission documents and reference data: ministries, Council configurations and meetings."""

from pathlib import PurePath

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from common.admin import ReadableHistoryAdmin

from . import references
from .models import (
    CommissionDocument,
    CouncilConfiguration,
    CouncilConfigurationAlias,
    CouncilMeeting,
    DocumentRelation,
    Ministry,
    MinistryAlias,
)


class MinistryAliasInline(admin.TabularInline):
    model = MinistryAlias
    extra = 1


@admin.register(Ministry)
class MinistryAdmin(admin.ModelAdmin):
    list_display = ["abbreviation", "name", "code", "valid_from", "valid_until", "successor"]
    list_select_related = ["successor"]
    list_filter = [("valid_until", admin.EmptyFieldListFilter)]
    search_fields = ["abbreviation", "name", "code", "aliases__name"]
    autocomplete_fields = ["successor", "members"]
    inlines = [MinistryAliasInline]
    fields = [("abbreviation", "code"), "name", ("valid_from", "valid_until"), "successor", "members"]


class CouncilConfigurationAliasInline(admin.TabularInline):
    model = CouncilConfigurationAlias
    extra = 1


@admin.register(CouncilConfiguration)
class CouncilConfigurationAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "abbreviation", "name_en"]
    search_fields = ["code", "name", "abbreviation", "name_en", "aliases__name"]
    inlines = [CouncilConfigurationAliasInline]


@admin.register(CouncilMeeting)
class CouncilMeetingAdmin(admin.ModelAdmin):
    list_display = ["date", "configuration", "end_date", "is_formal", "notes"]
    list_select_related = ["configuration"]
    list_filter = ["configuration", "is_formal"]
    search_fields = ["configuration__code", "configuration__name", "notes"]
    date_hierarchy = "date"
    autocomplete_fields = ["configuration"]
    change_list_template = "admin/proposals/councilmeeting/change_list.html"

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        return [path("importeren/", view, name="proposals_councilmeeting_import"), *super().get_urls()]

    def import_view(self, request):
        """Upload a CSV or iCalendar file of meetings: the whole file is checked first, one bad line imports nothing."""
        from followup.meetings import ImportFailed, council_meetings_import, read_meetings_file

        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        form = CouncilMeetingImportForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                rows, skipped = read_meetings_file(upload.read(), PurePath(upload.name).suffix, skip_unknown=form.cleaned_data["skip_unknown"])
                result = council_meetings_import(rows=rows)
            except ImportFailed as failure:
                errors = failure.errors
            else:
                for note in skipped:
                    messages.warning(request, gettext("Overgeslagen: %(note)s.") % {"note": note})
                messages.success(request, gettext(
                    "%(created)s nieuw, %(updated)s bijgewerkt, %(unchanged)s ongewijzigd; %(linked)s toezegging(en) gekoppeld aan een "
                    "Raadsvergadering.") % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged,
                                             "linked": result.linked_triggers})
                return redirect("admin:proposals_councilmeeting_changelist")
        context = {
            **self.admin_site.each_context(request), "opts": self.model._meta, "form": form, "errors": errors,
            "title": gettext("Raadsvergaderingen importeren"),
            "error_title": ngettext("Niets geïmporteerd: %(count)s fout.", "Niets geïmporteerd: %(count)s fouten.", len(errors)) % {"count": len(errors)},
        }
        return TemplateResponse(request, "admin/proposals/councilmeeting/import.html", context, status=400 if errors else 200)


class CouncilMeetingImportForm(forms.Form):
    file = forms.FileField(
        label=_("Bestand"), max_length=255,
        help_text=_("CSV met de kolommen configuratie en datum (en eventueel einddatum, formeel, toelichting), of een iCalendar-bestand "
                    "(.ics) met één afspraak per vergadering. Vergaderingen die er al zijn worden bijgewerkt, niet dubbel aangemaakt."),
    )
    skip_unknown = forms.BooleanField(
        label=_("Afspraken zonder bekende Raadsformatie overslaan (alleen iCalendar)"), required=False)

    MAX_BYTES = 5 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if PurePath(upload.name).suffix.lower() not in (".csv", ".ics"):
            raise ValidationError(_("Kies een .csv- of .ics-bestand."), code="type")
        if upload.size > self.MAX_BYTES:
            raise ValidationError(_("Het bestand is groter dan 5 MB; een lijst van Raadsvergaderingen is veel kleiner."), code="size")
        return upload


class DocumentRelationInline(admin.TabularInline):
    model = DocumentRelation
    fk_name = "source"
    extra = 0
    autocomplete_fields = ["target"]


@admin.register(CommissionDocument)
class CommissionDocumentAdmin(ReadableHistoryAdmin):
    list_display = ["reference_display", "title_short", "kind", "received_on", "deadline_display", "is_parliamentary_priority"]
    list_filter = ["doc_type", "kind", "is_parliamentary_priority", "year"]
    search_fields = ["title", "celex", "procedure"]
    search_help_text = _("Zoek op referentie (COM(2024) 28), CELEX-nummer, procedure of titel.")
    date_hierarchy = "received_on"
    inlines = [DocumentRelationInline]
    fieldsets = [
        (None, {
            "fields": [("doc_type", "year", "number"), "title", "kind", "celex", "procedure"],
            "description": _("Referentie zoals COM(2024) 28: type COM, jaar 2024, nummer 28. Het CELEX-nummer moet daarbij passen "
                             "(COM(2024) 28 → 52024DC0028 of 52024PC0028)."),
        }),
        (_("Data en termijn"), {"fields": [("adopted_on", "received_on"), "is_parliamentary_priority"]}),
    ]

    @admin.display(description=_("referentie"), ordering="year")
    def reference_display(self, obj):
        return obj.reference

    @admin.display(description=_("titel"))
    def title_short(self, obj):
        return obj.title if len(obj.title) <= 90 else obj.title[:89] + "…"

    @admin.display(description=_("termijn fiche"))
    def deadline_display(self, obj):
        return obj.fiche_deadline or "–"

    def get_search_results(self, request, queryset, search_term):
        try:
            reference = references.parse_reference(search_term)
        except ValidationError:
            return super().get_search_results(request, queryset, search_term)
        return queryset.filter(doc_type=reference.doc_type, year=reference.year, number=reference.number), False
