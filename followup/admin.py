"""Admin of follow-up: reminder log, calendar links, and Council meetings with their upload (which links
commitments that wait for a meeting to the meeting)."""

from pathlib import PurePath

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from positions.permissions import visible_rows
from proposals.models import CouncilMeeting

from .meetings import ImportFailed, council_meetings_import, read_meetings_file
from .models import CalendarToken, ReminderLog


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    list_display = ["sent_on", "user", "commitment", "kind", "due_date"]
    list_filter = ["kind", "sent_on"]
    search_fields = ["user__username", "user__email", "commitment__summary"]
    date_hierarchy = "sent_on"
    list_select_related = ["user", "commitment"]

    def get_queryset(self, request):
        """A reminder names its commitment: one of a fiche under embargo only for who may see that fiche."""
        return visible_rows(request.user, super().get_queryset(request), fiche_path="commitment__fiche")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CalendarToken)
class CalendarTokenAdmin(admin.ModelAdmin):
    """Tokens are shown but their secret is not: revoking is what an administrator does here."""

    list_display = ["user", "ministry", "label", "created_at", "revoked_at"]
    list_filter = ["ministry", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__username", "user__email", "label"]
    list_select_related = ["user", "ministry"]
    fields = ["user", "ministry", "label", "created_at", "revoked_at"]
    readonly_fields = ["user", "ministry", "created_at"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Geselecteerde agendalinks intrekken")
    def revoke(self, request, queryset):
        from django.utils import timezone

        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, f"{count} agendalink(s) ingetrokken.")


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
