"""The admin's "te controleren" list: fiches the bulk import (``import_archive``, ``harvest_fiches``) left warnings on.

The list shows each fiche once, with how many warnings are open; its page puts every warning next to the
field it is about, with the field's value now and a link to that field in the fiche's form. An editor sees
only the fiches of their own ministries (lead or co-ministry), also when those are published; whoever sees
every fiche (coordinator, publisher) sees them all. Marking a fiche "gecontroleerd" takes it off the list;
that needs the right to change the fiche (positions/permissions.py).
"""

from django.contrib import admin, messages
from django.db.models import Count, Max, Q, Sum
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from positions import permissions
from positions.models import Fiche

from .models import FicheToCheck, ImportedFile

# What a warning of the importer is about: (label, the Fiche field whose value is shown and whose input it links to).
FIELDS = {
    "heading": (gettext_lazy("Titel fiche"), "title"),
    "kamerstuk": (gettext_lazy("Kamerstuknummer"), "kamerstuk"),
    "batch_letter": (gettext_lazy("Verzamelbrief"), "batch_letter"),
    "batch_position": (gettext_lazy("Nummer in verzamelbrief"), "batch_position"),
    "sent_on": (gettext_lazy("Verzonden aan de Kamer"), "sent_on"),
    "template": (gettext_lazy("Sjabloon"), "template"),
    "documents": (gettext_lazy("Commissiedocumenten en CELEX"), "documents"),
    "received_on": (gettext_lazy("Datum ontvangst Commissiedocument"), "received_on"),
    "council_configuration": (gettext_lazy("Behandelingstraject Raad"), "council_configuration"),
    "lead_ministry": (gettext_lazy("Eerstverantwoordelijk ministerie"), "lead_ministry"),
    "co_ministries": (gettext_lazy("Medeverantwoordelijke ministeries"), "co_ministries"),
    "verdicts": (gettext_lazy("Grondhouding (bevoegdheid, subsidiariteit, proportionaliteit)"), "competence"),
    "sections": (gettext_lazy("Onderdelen"), None),
    "footnotes": (gettext_lazy("Voetnoten"), None),
    "general": (gettext_lazy("Algemeen"), None),
}
ORDER = list(FIELDS)


def scoped(user, queryset):
    """The fiches of ``queryset`` on ``user``'s list: all for whoever sees every fiche, else their ministries' own."""
    if permissions.sees_all_fiches(user):
        return queryset
    return queryset.filter(pk__in=Fiche.objects.for_ministries(permissions.user_ministry_ids(user)).values("pk"))


def _value(fiche, name):
    if name is None:
        return ""
    if name in ("documents", "co_ministries"):
        return ", ".join(str(item) for item in getattr(fiche, name).all()) or "—"
    value = getattr(fiche, name)
    display = getattr(fiche, f"get_{name}_display", None)
    return (display() if display and value else value) or "—"


def warnings_by_field(fiche, files):
    """``[{label, value, anchor, warnings: [(message, file)]}]`` in the order of the form, each message once."""
    found = {}
    for imported in files:
        for key, message in imported.warnings:
            key = key if key in FIELDS else "general"
            entries = found.setdefault(key, {})
            entries.setdefault(message, imported.path)
    rows = []
    for key in sorted(found, key=ORDER.index):
        label, name = FIELDS[key]
        rows.append({"key": key, "label": label, "value": _value(fiche, name), "anchor": f"id_{name}" if name else "",
                     "warnings": list(found[key].items())})
    return rows


@admin.register(FicheToCheck)
class FicheToCheckAdmin(admin.ModelAdmin):
    list_display = ["title", "kamerstuk", "lead_ministry_abbreviation", "status", "open_warnings", "last_import"]
    list_display_links = ["title"]
    list_select_related = ["lead_ministry"]
    list_filter = ["status", ("lead_ministry", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "kamerstuk"]
    search_help_text = gettext_lazy("Zoek op titel of Kamerstuknummer.")
    actions = ["mark_checked"]
    change_form_template = "admin/importer/fichetocheck/change_form.html"

    def get_queryset(self, request):
        open_files = Q(imported_files__warning_count__gt=0, imported_files__checked=False)
        queryset = super().get_queryset(request).filter(pk__in=ImportedFile.objects.with_warnings().values("fiche"))
        return scoped(request.user, queryset).annotate(
            warning_total=Sum("imported_files__warning_count", filter=open_files),
            last_imported=Max("imported_files__imported_at"), file_total=Count("imported_files", filter=open_files)).order_by("-last_imported", "-pk")

    # Read-only: the fiche itself is changed in its own form; here only "gecontroleerd".
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff and request.user.has_perm("positions.view_fiche")

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request) and (obj is None or scoped(request.user, Fiche.objects.filter(pk=obj.pk)).exists())

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_mark_permission(self, request):
        return request.user.has_perm("positions.change_fiche")

    @admin.display(description=gettext_lazy("ministerie"), ordering="lead_ministry__abbreviation")
    def lead_ministry_abbreviation(self, obj):
        return obj.lead_ministry.abbreviation if obj.lead_ministry else "—"

    @admin.display(description=gettext_lazy("waarschuwingen"), ordering="warning_total")
    def open_warnings(self, obj):
        return obj.warning_total

    @admin.display(description=gettext_lazy("laatst ingelezen"), ordering="last_imported")
    def last_import(self, obj):
        return obj.last_imported

    @admin.action(description=gettext_lazy("Als gecontroleerd markeren"), permissions=["mark"])
    def mark_checked(self, request, queryset):
        self._mark(request, list(queryset))

    def _mark(self, request, fiches):
        allowed = [fiche for fiche in fiches if permissions.can_change_fiche(request.user, fiche)]
        if len(allowed) < len(fiches):
            refused = len(fiches) - len(allowed)
            self.message_user(request, ngettext("%(count)s fiche niet gemarkeerd: u mag het niet wijzigen.",
                                               "%(count)s fiches niet gemarkeerd: u mag ze niet wijzigen.", refused)
                              % {"count": refused}, messages.WARNING)
        count = ImportedFile.objects.filter(fiche__in=allowed, checked=False).update(checked=True)
        if allowed:
            self.message_user(request, ngettext("%(count)s fiche gecontroleerd (%(files)s bestanden).",
                                                "%(count)s fiches gecontroleerd (%(files)s bestanden).", len(allowed))
                              % {"count": len(allowed), "files": count}, messages.SUCCESS)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        fiche = self.get_object(request, object_id)
        if fiche is None or not self.has_view_permission(request, fiche):
            raise Http404(_("Dit fiche staat niet op uw lijst te controleren."))
        if request.method == "POST":
            if not (self.has_mark_permission(request) and permissions.can_change_fiche(request.user, fiche)):
                raise Http404(_("U mag dit fiche niet wijzigen."))
            self._mark(request, [fiche])
            return HttpResponseRedirect(reverse("admin:importer_fichetocheck_changelist"))
        files = list(fiche.imported_files.filter(warning_count__gt=0, checked=False).order_by("imported_at", "pk"))
        context = {
            **self.admin_site.each_context(request), "opts": self.opts, "title": _("Te controleren: %(fiche)s") % {"fiche": fiche},
            "fiche": fiche, "rows": warnings_by_field(fiche, files), "files": files,
            "fiche_url": reverse("admin:positions_fiche_change", args=[fiche.pk]),
            "may_mark": self.has_mark_permission(request) and permissions.can_change_fiche(request.user, fiche),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.change_form_template, context)
