"""The outcome ledger in the admin: follow-up officers record outcomes of their own ministries' fiches.

A draft outcome is confidential inside government like a draft fiche: it reaches only staff of the fiche's
ministries and the roles that see all; a published one every staff member. Content changes before
publication only (``workflow.may_edit_content``); status changes go through ``workflow.outcome_transition``
as admin actions, each refusal said in full.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext_lazy, ngettext

from positions import permissions
from positions.models import Fiche

from . import workflow
from .models import FicheStatus, Outcome, OutcomePoint


class OutcomePointInline(admin.TabularInline):
    model = OutcomePoint
    extra = 1
    fields = ["position", "point", "achievement", "explanation"]

    def has_add_permission(self, request, obj=None):
        return obj is None or workflow.may_edit_content(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return obj is None or workflow.may_edit_content(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return obj is not None and workflow.may_edit_content(request.user, obj)


@admin.register(Outcome)
class OutcomeAdmin(admin.ModelAdmin):
    list_display = ["fiche", "celex", "adopted_on", "dutch_vote", "status"]
    list_filter = ["status", "dutch_vote"]
    list_select_related = ["fiche"]
    search_fields = ["fiche__title", "fiche__kamerstuk", "celex"]
    search_help_text = gettext_lazy("Zoek op titel, Kamerstuknummer of CELEX-nummer.")
    autocomplete_fields = ["fiche"]
    fields = ["fiche", "celex", "adopted_on", "dutch_vote", "summary", "status"]
    readonly_fields = ["status"]
    inlines = [OutcomePointInline]
    actions = ["to_review", "to_draft", "to_adopted", "to_published"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("fiche")
        if permissions.sees_all_fiches(request.user):
            return queryset
        own = Fiche.objects.for_ministries(permissions.user_ministry_ids(request.user)).values("pk")
        return queryset.filter(Q(fiche__in=own) | Q(pk__in=Outcome.objects.published().values("pk")))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "fiche" in form.base_fields and not permissions.edits_all_fiches(request.user):
            # An officer records outcomes of their own ministries' fiches only.
            form.base_fields["fiche"].queryset = Fiche.objects.for_ministries(permissions.user_ministry_ids(request.user))
        return form

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not workflow.may_edit_content(request.user, obj):
            return [*self.fields]
        return ["status", "fiche"] if obj is not None else ["status"]

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or workflow.may_work_on(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or workflow.may_edit_content(request.user, obj))

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def _move(self, request, queryset, to_status):
        moved = 0
        for outcome in queryset.select_related("fiche"):
            try:
                workflow.outcome_transition(outcome=outcome, to_status=to_status, by=request.user)
                moved += 1
            except PermissionDenied as refusal:
                self.message_user(request, f"{outcome}: {refusal}", messages.ERROR)
            except workflow.TransitionError as refusal:
                self.message_user(request, f"{outcome}: {' '.join(refusal.messages)}", messages.ERROR)
        if moved:
            self.message_user(request, ngettext("%(count)s uitkomst heeft nu status '%(status)s'.",
                                               "%(count)s uitkomsten hebben nu status '%(status)s'.", moved)
                              % {"count": moved, "status": FicheStatus(to_status).label}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Ter review aanbieden"))
    def to_review(self, request, queryset):
        self._move(request, queryset, FicheStatus.REVIEW)

    @admin.action(description=gettext_lazy("Terug naar concept"))
    def to_draft(self, request, queryset):
        self._move(request, queryset, FicheStatus.DRAFT)

    @admin.action(description=gettext_lazy("Vastgesteld door de ministerraad"))
    def to_adopted(self, request, queryset):
        self._move(request, queryset, FicheStatus.ADOPTED)

    @admin.action(description=gettext_lazy("Publiceren"))
    def to_published(self, request, queryset):
        self._move(request, queryset, FicheStatus.PUBLISHED)
