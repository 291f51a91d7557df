"""The admin for fiches and what they hold, configured for ministry editors.

Scoping: every queryset starts from ``permissions.visible_fiches`` and every object check goes through
the ``permissions.can_*`` functions, so lists, search, autocomplete, filter choices, history, preview
and CSV export show an editor only published fiches and the fiches of their own ministries.
Status changes only happen through ``workflow.fiche_transition`` (buttons on the change form).
Content and publication data follow ``workflow``'s rules: where a user may change only the publication
data (a publisher; anyone on a published fiche) the content fields, sections and footnotes are read-only and
a request that sends them anyway is refused; a published fiche's content changes through a revision draft.
Restoring an earlier version (simple-history's revert page) is replaced by ``history_form_view``.
"""

import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from common import csv as common_csv
from common.admin import (
    LONG_TEXT,
    KnownRowAutocompleteMixin,
    KnownRowsForm,
    ReadableHistoryAdmin,
    RelatedInUseFilter,
    require_valid_key,
    text_diff_html,
)
from proposals import references
from proposals.models import CommissionDocument

from . import fiche_page, permissions, precedents, workflow
from . import forms as fiche_forms
from .forms import display_value
from .models import (
    BatchLetter,
    CofinancingBudget,
    CofinancingPriority,
    Commitment,
    CommitmentStatusChange,
    Fiche,
    FicheSection,
    FicheStatusChange,
    FicheTemplate,
    Footnote,
    TemplateSection,
)

# ---------------------------------------------------------------------------------------------------
# Scoping helpers
# ---------------------------------------------------------------------------------------------------


class FicheChildAdminMixin:
    """Admins of rows inside a fiche: only rows of visible fiches; changes as the fiche allows."""

    fiche_path = "fiche"

    def fiche_of(self, obj):
        return obj.fiche

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.filter(**{f"{self.fiche_path}__in": permissions.visible_fiches(request.user)})

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or permissions.can_view_fiche(request.user, self.fiche_of(obj)))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or permissions.can_change_fiche(request.user, self.fiche_of(obj)))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or permissions.can_change_fiche(request.user, self.fiche_of(obj)))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "fiche":
            kwargs["queryset"] = permissions.visible_fiches(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        # A row stays in its fiche: moving it would bypass the scoping of both fiches.
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "fiche"] if obj is not None else readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        admin_self = self

        class ScopedChildForm(form_class):
            def clean(self):
                cleaned = super().clean()
                fiche = cleaned.get("fiche")
                if fiche is not None and not admin_self.may_add_to(request.user, fiche, cleaned):
                    self.add_error("fiche", _("U mag dit fiche niet wijzigen; kies een fiche van uw eigen ministerie in concept of review."))
                return cleaned

        return ScopedChildForm

    def may_add_to(self, user, fiche, cleaned):
        return permissions.can_change_fiche(user, fiche)


class FollowUpChildMixin(FicheChildAdminMixin):
    """Commitments and cofinancing: follow-up officers change those of their own ministries too."""

    def has_change_permission(self, request, obj=None):
        if not admin.ModelAdmin.has_change_permission(self, request, obj):
            return False
        return obj is None or permissions.can_change_commitment(request.user, self.fiche_of(obj), obj.ministry_id)

    def may_add_to(self, user, fiche, cleaned):
        ministry = cleaned.get("ministry")
        return permissions.can_change_commitment(user, fiche, ministry.pk if ministry else None)


class FicheContentChildMixin(FicheChildAdminMixin):
    """Sections and footnotes are the fiche's content: changed only when its content may change (never by a
    publisher, never once published), also through their own pages and history."""

    def has_change_permission(self, request, obj=None):
        allowed = admin.ModelAdmin.has_change_permission(self, request, obj)
        return allowed and (obj is None or permissions.can_change_fiche_content(request.user, self.fiche_of(obj)))

    def has_delete_permission(self, request, obj=None):
        allowed = admin.ModelAdmin.has_delete_permission(self, request, obj)
        return allowed and (obj is None or permissions.can_change_fiche_content(request.user, self.fiche_of(obj)))

    def may_add_to(self, user, fiche, cleaned):
        return permissions.can_change_fiche_content(user, fiche)


class FicheInlinePermissions:
    """Inlines on the fiche form: editable exactly when the fiche is."""

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and (obj is None or permissions.can_change_fiche(request.user, obj))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or permissions.can_change_fiche(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or permissions.can_change_fiche(request.user, obj))


# ---------------------------------------------------------------------------------------------------
# CSV export (the site's one CSV dialect and formula rule: common.csv)
# ---------------------------------------------------------------------------------------------------


@admin.action(description=gettext_lazy("Geselecteerde fiches exporteren (CSV)"), permissions=["view"])
def export_fiches_csv(modeladmin, request, queryset):
    fiches = permissions.visible_fiches(request.user, queryset).select_related("lead_ministry", "council_configuration", "batch_letter")
    fiches = fiches.prefetch_related("documents", "co_ministries")
    header = [_("Kamerstuk"), _("Titel"), _("Status"), _("Eerstverantwoordelijk ministerie"), _("Medeverantwoordelijk"),
              _("Commissiedocumenten"), _("Raadsformatie"), _("Ontvangen"), _("Termijn"), _("Verzonden"), _("Openbaar vanaf"),
              _("Bevoegdheid"), _("Subsidiariteit"), _("Proportionaliteit")]
    rows = (
        [f.kamerstuk, f.title, f.get_status_display(), f.lead_ministry.abbreviation if f.lead_ministry else f.lead_ministry_raw,
         ", ".join(m.abbreviation for m in f.co_ministries.all()), ", ".join(d.reference for d in f.documents.all()),
         f.council_configuration.code if f.council_configuration else f.council_configuration_raw, f.received_on, f.deadline,
         f.sent_on, f.public_from, f.competence, f.subsidiarity, f.proportionality]
        for f in fiches
    )
    return common_csv.response("fiches.csv", header, rows)


@admin.action(description=gettext_lazy("Geselecteerde toezeggingen exporteren (CSV)"), permissions=["view"])
def export_commitments_csv(modeladmin, request, queryset):
    commitments = queryset.filter(fiche__in=permissions.visible_fiches(request.user)).select_related(
        "fiche", "fiche__lead_ministry", "ministry", "due_meeting", "due_meeting__configuration"
    )
    header = [_("Kamerstuk fiche"), _("Fiche"), _("Nr."), _("Samenvatting"), _("Geciteerde zin"), _("Soort"), _("Ministerie"),
              _("Uiterste datum"), _("Moment"), _("Status"), _("Bewijs"), _("Link bewijs")]
    rows = (
        [c.fiche.kamerstuk, c.fiche.title, c.position, c.summary, c.quote, c.get_kind_display(),
         c.responsible_ministry.abbreviation if c.responsible_ministry else "", c.effective_due_date,
         c.get_due_event_display() if c.due_event else c.due_description, c.get_status_display(), c.evidence_reference, c.evidence_url]
        for c in commitments
    )
    return common_csv.response("toezeggingen.csv", header, rows)


@admin.action(description=gettext_lazy("Geselecteerde toezeggingen bevestigen (openbaar en gevolgd)"), permissions=["change"])
def confirm_commitments(modeladmin, request, queryset):
    """Confirm commitments read from archive fiches: from then on they are public (with their published fiche)
    and followed up. Only those the user may change (``can_change_commitment``); one history row each."""
    confirmed, refused = 0, 0
    for commitment in queryset.filter(confirmed=False).select_related("fiche"):
        if not permissions.can_change_commitment(request.user, commitment.fiche, commitment.ministry_id):
            refused += 1
            continue
        commitment.confirmed = True
        commitment._history_user = request.user
        commitment._change_reason = _("Toezegging bevestigd")
        commitment.save(update_fields=["confirmed", "updated_at"])
        confirmed += 1
    if confirmed:
        modeladmin.message_user(request, ngettext("%(count)s toezegging bevestigd.", "%(count)s toezeggingen bevestigd.", confirmed) % {"count": confirmed}, messages.SUCCESS)
    if refused:
        modeladmin.message_user(request, ngettext("%(count)s toezegging niet bevestigd: u mag die niet wijzigen.",
                                         "%(count)s toezeggingen niet bevestigd: u mag die niet wijzigen.", refused) % {"count": refused},
                                messages.WARNING)
    if not confirmed and not refused:
        modeladmin.message_user(request, _("De gekozen toezeggingen waren al bevestigd."), messages.INFO)


# ---------------------------------------------------------------------------------------------------
# Fiche
# ---------------------------------------------------------------------------------------------------


class KamerstukFormField(forms.CharField):
    """Accepts any common spelling (22 112, nr. 3908) and stores the normal form (22112-3908)."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return value
        try:
            return references.normalise_kamerstuk(value)
        except ValidationError:
            return value  # the model's validator explains the expected form


class FicheAdminForm(forms.ModelForm):
    """The fiche form, with a guard against overwriting a colleague's save (optimistic locking: the refusal
    lists what they changed, see ``positions.forms``), and against content changes by someone who may change
    the publication data only (``content_lock_reason``)."""

    loaded_updated_at = forms.CharField(required=False, widget=forms.HiddenInput)
    loaded_version = forms.CharField(required=False, widget=forms.HiddenInput)
    conflicts = ()
    content_lock_reason = None  # set by FicheAdmin.get_form: the content fields are read-only, and must not be posted

    class Meta:
        model = Fiche
        fields = "__all__"  # noqa: DJ007 - the admin narrows it to the fields of its fieldsets

    def __init__(self, *args, **kwargs):
        self.user = kwargs.pop("user", None)
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The time stored in the database when the form was loaded (also when restoring a version), and its
            # last history version: what a colleague changed after it is shown when a save is refused.
            latest = Fiche.history.filter(id=OuterRef("pk")).order_by("-history_id").values("history_id")[:1]
            current = Fiche.objects.filter(pk=self.instance.pk).values_list("updated_at", Subquery(latest)).first()
            self.fields["loaded_updated_at"].initial = current[0].isoformat() if current else ""
            self.fields["loaded_version"].initial = current[1] if current and current[1] else ""

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            self._check_content_not_posted()
            self._check_concurrent_save()
            self._check_verdicts_kept()
        self._check_own_ministry(cleaned)
        return cleaned

    def _check_content_not_posted(self):
        # The page shows the content read-only; a request that sends it anyway is refused as a whole.
        if self.content_lock_reason and any(self.add_prefix(name) in self.data for name in workflow.CONTENT_FIELD_NAMES):
            raise ValidationError(
                _("%(reason)s Er is niets opgeslagen.") % {"reason": self.content_lock_reason}, code="content_locked"
            )

    def _check_concurrent_save(self):
        loaded = self.data.get(self.add_prefix("loaded_updated_at"), "")
        # Inside the admin's transaction: the row stays locked until this save commits (PostgreSQL).
        current = Fiche.objects.select_for_update(of=("self",)).select_related("updated_by").filter(pk=self.instance.pk).first()
        if current is None or current.updated_at.isoformat() == loaded:
            return
        who = current.updated_by.get_full_name() or current.updated_by.get_username() if current.updated_by else _("iemand anders")
        when = date_format(timezone.localtime(current.updated_at), "j F Y H:i:s")
        loaded_version = self.data.get(self.add_prefix("loaded_version"), "")
        version = Fiche.history.filter(id=current.pk, history_id=loaded_version).first() if loaded_version.isdigit() else None
        if version is not None:
            self.conflicts = [*fiche_forms.field_conflicts(self, current, version),
                              *fiche_forms.section_conflicts(self.data, current, version)]
            # The next save starts from the colleague's save, with what the editor chooses per field.
            self.data = self.data.copy()
            self.data[self.add_prefix("loaded_updated_at")] = current.updated_at.isoformat()
            self.data[self.add_prefix("loaded_version")] = str(fiche_forms.latest_version_id(current.pk) or "")
            raise ValidationError(
                _("Dit fiche is intussen opgeslagen door %(who)s op %(when)s. Uw wijzigingen zijn NIET opgeslagen en staan hieronder nog "
                  "op het scherm. Kies bij 'Gelijktijdig gewijzigd' per veld of u de waarde van uw collega overneemt of de uwe houdt, "
                  "en sla opnieuw op.") % {"who": who, "when": when},
                code="concurrent_save",
            )
        raise ValidationError(
            _("Dit fiche is intussen opgeslagen door %(who)s op %(when)s. Uw wijzigingen zijn NIET opgeslagen en staan hieronder nog "
              "op het scherm: kopieer wat u wilt bewaren, open het fiche opnieuw en breng uw wijzigingen daar aan.")
            % {"who": who, "when": when},
            code="concurrent_save",
        )

    def _check_verdicts_kept(self):
        if self.instance.status == Fiche.Status.DRAFT:
            return
        for field in ("competence", "subsidiarity", "proportionality"):
            if field in self.cleaned_data and not self.cleaned_data.get(field):
                self.add_error(field, _("Een fiche in review, vastgesteld of gepubliceerd heeft een oordeel nodig: kies positief, "
                                        "positief met kanttekeningen, neutraal, negatief of nog niet te beoordelen."))

    def _check_own_ministry(self, cleaned):
        user = self.user
        if user is None or permissions.edits_all_fiches(user) or "lead_ministry" not in self.fields:
            return
        if self.instance.status in permissions.EDITABLE_BY_PUBLISHERS and user.has_perm("positions.publish_fiche"):
            return
        own = permissions.user_ministry_ids(user)
        lead = cleaned.get("lead_ministry")
        co = cleaned.get("co_ministries") or []
        if not ((lead and lead.pk in own) or any(m.pk in own for m in co)):
            self.add_error("lead_ministry", _("U kunt alleen fiches van uw eigen ministerie(s) bewerken: kies uw ministerie als "
                                              "eerstverantwoordelijk of medeverantwoordelijk ministerie."))


class FicheContentInlinePermissions:
    """Inlines with the fiche's content (sections, footnotes): editable exactly when its content is."""

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and (obj is None or permissions.can_change_fiche_content(request.user, obj))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or permissions.can_change_fiche_content(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or permissions.can_change_fiche_content(request.user, obj))


# Django's stacked inline with the fiche form's fieldset template (positions/templatetags/fiche_admin.py).
STACKED_TEMPLATE = "admin/positions/fiche/edit_inline/stacked.html"


class FicheSectionInline(FicheContentInlinePermissions, admin.StackedInline):
    model = FicheSection
    template = STACKED_TEMPLATE
    extra = 0
    fields = [("number", "title", "key", "position"), "text"]
    verbose_name = gettext_lazy("onderdeel")
    verbose_name_plural = gettext_lazy("Onderdelen (in de volgorde van het sjabloon)")


class FootnoteInline(FicheContentInlinePermissions, admin.TabularInline):
    model = Footnote
    extra = 0
    fields = ["number", "text", "urls"]
    classes = ["collapse"]


# What followup.services.commitment_set_status writes; read-only in the admin.
COMMITMENT_STATUS_FIELDS = ["status", "evidence_reference", "evidence_url", "evidence_date", "evidence_note"]
COMMITMENT_STATUS_LAYOUT = [("status", "evidence_reference", "evidence_url", "evidence_date"), "evidence_note", "status_change_link"]


class CommitmentStatusReadOnly:
    """Status and evidence of a commitment are shown, not edited: they change only through the follow-up
    form (``followup.services.commitment_set_status``), which keeps every change, with who and why, as a
    ``CommitmentStatusChange`` that the history, the dossier feed and the API show. New commitments start
    open (the model's default)."""

    @admin.display(description=gettext_lazy("status wijzigen"))
    def status_change_link(self, obj):
        if obj is None or obj.pk is None or obj.fiche_id is None:
            return _("Een nieuwe toezegging begint als openstaand.")
        if obj.fiche.status != Fiche.Status.PUBLISHED:
            return _("De status verandert via de opvolging, zodra het fiche is gepubliceerd.")
        url = reverse("followup:commitment_detail", kwargs={"fiche": obj.fiche.natural_id, "position": obj.position})
        return format_html('<a href="{}">{}</a>', url, _("Status, bewijs of termijn wijzigen in de opvolging"))


class FicheRowsInlineMixin(KnownRowAutocompleteMixin):
    """Rows of the fiche form: their autocompletes read the chosen rows from the inline's query (``KnownRowsForm``,
    ``related_rows``), and the reference data in ``unwrapped_fields`` (ministries, Council configurations: a few dozen
    rows kept up on their own pages) gets no add/change/delete/view links beside it in every row: Django's wrapper
    for them cost about a millisecond a row."""

    form = KnownRowsForm
    related_rows = ()
    unwrapped_fields = ()

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.related_rows)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in self.unwrapped_fields and isinstance(getattr(formfield, "widget", None), RelatedFieldWidgetWrapper):
            formfield.widget = formfield.widget.widget
        return formfield


class CommitmentInline(CommitmentStatusReadOnly, FicheInlinePermissions, FicheRowsInlineMixin, admin.StackedInline):
    model = Commitment
    template = STACKED_TEMPLATE
    extra = 0
    fields = [("position", "section_key", "kind"), "quote", "summary", ("ministry", "due_date", "due_event"),
              ("due_configuration", "due_meeting", "due_description"), *COMMITMENT_STATUS_LAYOUT]
    readonly_fields = [*COMMITMENT_STATUS_FIELDS, "status_change_link"]
    autocomplete_fields = ["ministry", "due_configuration", "due_meeting"]
    classes = ["collapse"]
    # status_change_link reads the fiche of every row; the autocompletes their chosen rows. A follow-up officer may add
    # a Council meeting: that field keeps its links.
    related_rows = ["fiche", "ministry", "due_configuration", "due_meeting__configuration"]
    unwrapped_fields = ["ministry", "due_configuration"]

    form = fiche_forms.CommitmentForm
    formset = fiche_forms.CommitmentInlineFormSet

    def get_formset(self, request, obj=None, **kwargs):
        # The section is chosen from this fiche's sections; new rows are numbered by the formset.
        form = fiche_forms.CommitmentForm.for_fiche(obj)
        form.numbered_by_formset = True
        return super().get_formset(request, obj, form=form, **kwargs)


class CofinancingBudgetInline(FicheInlinePermissions, FicheRowsInlineMixin, admin.StackedInline):
    model = CofinancingBudget
    template = STACKED_TEMPLATE
    extra = 0
    fields = [("programme", "programme_code", "ministry", "amount"), ("period_start", "period_end", "eu_rate_min", "eu_rate_max"), "quote"]
    autocomplete_fields = ["ministry"]
    related_rows = ["ministry"]
    unwrapped_fields = ["ministry"]
    show_change_link = True
    classes = ["collapse"]


class InlineFormSetMedia(helpers.InlineAdminFormSet):
    """An inline's media from its formset alone. Django adds every form's media to it one by one (a merge of
    the same widgets' scripts per row, about a twentieth of the change form's time with its autocompletes);
    the forms of one formset have the same widgets, so the formset's media (its first form's) is the sum."""

    @property
    def media(self):
        return self.opts.media + self.formset.media


class DeadlineListFilter(admin.SimpleListFilter):
    title = gettext_lazy("termijn")
    parameter_name = "termijn"

    def lookups(self, request, model_admin):
        return [("te-laat", _("verlopen, nog niet verzonden")), ("binnen-14-dagen", _("verloopt binnen 14 dagen"))]

    def queryset(self, request, queryset):
        if self.value() not in ("te-laat", "binnen-14-dagen"):
            return queryset
        today = timezone.localdate()
        pending = queryset.filter(sent_on__isnull=True, received_on__isnull=False, received_month_only=False)
        horizon = today if self.value() == "te-laat" else today + datetime.timedelta(days=14)
        # The rule lives in proposals.deadlines; it is applied per row (a few dozen open fiches at most).
        ids = [pk for pk, received in pending.values_list("pk", "received_on")
               if (self.value() == "te-laat" and Fiche(received_on=received).deadline < today)
               or (self.value() == "binnen-14-dagen" and today <= Fiche(received_on=received).deadline <= horizon)]
        return queryset.filter(pk__in=ids)


@admin.register(Fiche)
class FicheAdmin(ReadableHistoryAdmin):
    form = FicheAdminForm
    change_form_template = "admin/positions/fiche/change_form.html"
    change_list_template = "admin/positions/fiche/change_list.html"
    list_display = ["title", "kamerstuk", "lead_ministry_abbreviation", "status", "deadline_column", "sent_on", "updated_at"]
    list_display_links = ["title"]
    list_select_related = ["lead_ministry"]
    # A filtered list says "N resultaten (Alles tonen)" instead of counting every fiche the editor may see a second
    # time on each request, as Django advises for large tables (issue 17: the changelist's two counts).
    show_full_result_count = False
    list_filter = ["status", DeadlineListFilter, ("lead_ministry", RelatedInUseFilter),
                   ("council_configuration", RelatedInUseFilter), "template__kind", "competence", "subsidiarity",
                   "proportionality", "is_revision"]
    search_fields = ["title", "proposal_title", "kamerstuk", "documents__celex", "lead_ministry__abbreviation", "lead_ministry_raw"]
    search_help_text = gettext_lazy("Zoek op titel, Kamerstuknummer (22112-3908), Commissiedocument (COM(2024) 28), CELEX of ministerie.")
    date_hierarchy = "sent_on"
    autocomplete_fields = ["documents", "lead_ministry", "co_ministries", "council_configuration", "revises", "batch_letter"]
    readonly_fields = ["status_display", "deadline_display", "updated_display"]
    actions = [export_fiches_csv]
    inlines = [FicheSectionInline, FootnoteInline, CommitmentInline, CofinancingBudgetInline]
    save_on_top = True
    history_list_display = ["status"]
    fieldsets = [
        (gettext_lazy("1. Algemene gegevens"), {
            "fields": ["title", "proposal_title", ("received_on", "received_month_only"), "documents", "impact_assessment",
                       ("council_configuration", "council_configuration_raw"), ("lead_ministry", "lead_ministry_raw"), "co_ministries",
                       "legal_basis", "council_voting_rule", "parliament_role"],
            "description": gettext_lazy("a) titel · b) datum ontvangst · c) Commissiedocumenten (d: EUR-Lex volgt uit het CELEX-nummer) · "
                                        "e) impact assessment · f) behandelingstraject Raad · g) ministeries · h) rechtsbasis · "
                                        "i) besluitvormingsprocedure Raad · j) rol Europees Parlement (h-j alleen bij wetgeving)"),
        }),
        (gettext_lazy("Sjabloon en herziening"), {"fields": ["template", ("is_revision", "revises")]}),
        (gettext_lazy("Grondhouding"), {
            "fields": [("competence", "competence_sentence"), ("subsidiarity", "subsidiarity_sentence"),
                       ("proportionality", "proportionality_sentence")],
            "description": gettext_lazy("Verplicht voordat het fiche ter review gaat. Neem de zin over waar het oordeel uit blijkt."),
        }),
        (gettext_lazy("Verzending en publicatie"), {
            "fields": ["status_display", "deadline_display", ("kamerstuk", "sent_on"), ("batch_letter", "batch_position"), "public_from",
                       "updated_display"],
        }),
    ]

    # --- scoping -------------------------------------------------------------------------------

    def get_queryset(self, request):
        return permissions.visible_fiches(request.user, super().get_queryset(request))

    def get_object(self, request, object_id, from_field=None):
        """The fiche, read once on a page that only shows it: ``change_view`` reads it for the workflow panel and Django's
        ``changeform_view`` then again for the form. A save reads it afresh each time (the form changes the object it
        is given, and the stored values must stay apart from it)."""
        if request.method not in ("GET", "HEAD"):
            return super().get_object(request, object_id, from_field)
        read = request.__dict__.setdefault("_fiches_read", {})
        key = (str(object_id), from_field)
        if key not in read:
            read[key] = super().get_object(request, object_id, from_field)
        return read[key]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "kamerstuk":
            kwargs["form_class"] = KamerstukFormField
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and (obj is None or permissions.can_view_fiche(request.user, obj))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or permissions.can_change_fiche(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or permissions.can_delete_fiche(request.user, obj))

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and self.has_change_permission(request, obj):
            # The hidden time the form was loaded with travels in the last fieldset (see FicheAdminForm).
            *head, (title, options) = fieldsets
            fieldsets = [*head, (title, {**options, "fields": [*options["fields"], "loaded_updated_at", "loaded_version"]})]
        return fieldsets

    def _content_lock_reason(self, request, obj):
        """Why the content of ``obj`` is read-only for a user who may change its publication data (None: it is not)."""
        if obj is None or obj.pk is None or not self.has_change_permission(request, obj):
            return None
        return workflow.content_lock_reason(request.user, obj)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if self._content_lock_reason(request, obj):
            readonly += [name for name in workflow.CONTENT_FIELD_NAMES if name not in readonly]
        return readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        user = request.user
        lock_reason = self._content_lock_reason(request, obj)

        class UserFicheForm(form_class):
            content_lock_reason = lock_reason

            def __init__(self, *args, **inner):
                inner.setdefault("user", user)
                super().__init__(*args, **inner)

        return UserFicheForm

    def get_search_results(self, request, queryset, search_term):
        try:
            reference = references.parse_reference(search_term)
        except ValidationError:
            reference = None
        if reference:
            documents = CommissionDocument.objects.filter(doc_type=reference.doc_type, year=reference.year, number=reference.number)
            return queryset.filter(documents__in=documents).distinct(), False
        try:
            kamerstuk = references.normalise_kamerstuk(search_term)
        except ValidationError:
            kamerstuk = None
        if kamerstuk:
            return queryset.filter(kamerstuk=kamerstuk), False
        return super().get_search_results(request, queryset, search_term)

    # --- columns and read-only fields ----------------------------------------------------------

    @admin.display(description=gettext_lazy("ministerie"), ordering="lead_ministry__abbreviation")
    def lead_ministry_abbreviation(self, obj):
        return obj.lead_ministry.abbreviation if obj.lead_ministry else obj.lead_ministry_raw or "–"

    @admin.display(description=gettext_lazy("termijn"), ordering="received_on")
    def deadline_column(self, obj):
        deadline = obj.deadline
        if not deadline:
            return "–"
        if not obj.sent_on and deadline < timezone.localdate():
            return format_html('<strong class="ft-overdue-label">{} ({})</strong>', date_format(deadline, "j M Y"), _("verlopen"))
        return date_format(deadline, "j M Y")

    @admin.display(description=gettext_lazy("status"))
    def status_display(self, obj):
        return obj.get_status_display() if obj.pk else Fiche.Status.DRAFT.label

    @admin.display(description=gettext_lazy("termijn (zes weken na ontvangst)"))
    def deadline_display(self, obj):
        return self._deadline_text(obj)

    @admin.display(description=gettext_lazy("laatst opgeslagen"))
    def updated_display(self, obj):
        if not obj.pk:
            return "–"
        who = obj.updated_by.get_username() if obj.updated_by else "–"
        return f"{date_format(timezone.localtime(obj.updated_at), 'j F Y H:i')} · {who}"

    @staticmethod
    def _deadline_text(fiche):
        deadline = fiche.deadline
        if not deadline:
            return _("onbekend: vul de datum van ontvangst in (een dag, niet alleen een maand)")
        days = (deadline - timezone.localdate()).days
        text = date_format(deadline, "j F Y")
        if fiche.sent_on:
            return _("%(date)s; verzonden op %(sent)s") % {"date": text, "sent": date_format(fiche.sent_on, "j F Y")}
        if days < 0:
            return _("%(date)s: %(days)s dagen verlopen") % {"date": text, "days": -days}
        return _("%(date)s: nog %(days)s dagen") % {"date": text, "days": days}

    # --- saving --------------------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        # The status only changes through the workflow; content that the user may not change stays as stored.
        if change:
            current = Fiche.objects.get(pk=obj.pk)
            obj.status = current.status
            if not permissions.can_change_fiche_content(request.user, current):
                for field in workflow.content_fields():
                    setattr(obj, field.attname, getattr(current, field.attname))
        else:
            obj.status = Fiche.Status.DRAFT
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change and not form.instance.sections.exists():
            # A new fiche gets an empty section for every part of its template, in template order.
            FicheSection.objects.bulk_create(
                FicheSection(fiche=form.instance, key=s.key, number=s.number, title=s.title, position=s.position)
                for s in form.instance.template.sections.order_by("position")
            )

    # --- change form context, workflow and preview ---------------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # After a refused save: the fields the editor chose to take from their colleague get the stored value.
        if request.method == "POST" and object_id and fiche_forms.chosen_theirs(request.POST):
            current = self.get_object(request, unquote(object_id))
            if current is not None and self.has_change_permission(request, current):
                request.POST = fiche_forms.take_theirs(request.POST, self.get_form(request, current, change=True), current)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and self.has_view_permission(request, obj):
            extra_context.update(self.workflow_context(request, obj))
        return super().change_view(request, object_id, form_url, extra_context)

    def get_inline_formsets(self, request, formsets, inline_instances, obj=None):
        inline_admin_formsets = super().get_inline_formsets(request, formsets, inline_instances, obj)
        for inline_admin_formset in inline_admin_formsets:
            inline_admin_formset.__class__ = InlineFormSetMedia  # same object, cheaper media (see the class)
        return inline_admin_formsets

    def workflow_context(self, request, fiche):
        problems = []
        if fiche.status in (Fiche.Status.REVIEW, Fiche.Status.ADOPTED):
            problems = workflow.publication_problems(fiche)
        elif fiche.status == Fiche.Status.DRAFT:
            problems = workflow.review_problems(fiche)
        return {
            "fiche_status": fiche.get_status_display(),
            "fiche_deadline": self._deadline_text(fiche),
            "fiche_transitions": workflow.allowed_transitions(request.user, fiche),
            "fiche_problems": problems,
            "fiche_problems_for": _("publicatie") if fiche.status != Fiche.Status.DRAFT else _("review"),
            "fiche_status_changes": fiche.status_changes.select_related("changed_by").order_by("-changed_at")[:5],
            "fiche_embargo": fiche.public_from if fiche.public_from and fiche.public_from > timezone.now() else None,
            "fiche_content_locked": self._content_lock_reason(request, fiche),
            "fiche_may_revise": workflow.may_start_revision(request.user, fiche),
            "fiche_revisions": (permissions.visible_fiches(request.user, fiche.revised_by.all()).order_by("-pk")[:5]
                                if fiche.status != Fiche.Status.DRAFT else []),
        }

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("<path:object_id>/status/", self.admin_site.admin_view(self.transition_view), name=f"{info[0]}_{info[1]}_transition"),
            path("<path:object_id>/voorbeeld/", self.admin_site.admin_view(self.preview_view), name=f"{info[0]}_{info[1]}_preview"),
            path("<path:object_id>/herzien/", self.admin_site.admin_view(self.revise_view), name=f"{info[0]}_{info[1]}_revise"),
            path("<path:object_id>/precedenten/", self.admin_site.admin_view(self.precedents_view), name=f"{info[0]}_{info[1]}_precedents"),
            *super().get_urls(),
        ]

    def _get_visible(self, request, object_id):
        fiche = self.get_object(request, object_id)
        if fiche is None or not self.has_view_permission(request, fiche):
            raise Http404(_("Dit fiche bestaat niet of u mag het niet zien."))
        return fiche

    def transition_view(self, request, object_id):
        fiche = self._get_visible(request, object_id)
        allowed = dict(workflow.allowed_transitions(request.user, fiche))
        to_status = request.POST.get("naar") if request.method == "POST" else request.GET.get("naar")
        if to_status not in allowed:
            messages.error(request, _("Deze statuswijziging is voor u niet mogelijk bij de huidige status (%(status)s).")
                           % {"status": fiche.get_status_display()})
            return HttpResponseRedirect(reverse("admin:positions_fiche_change", args=[fiche.pk]))
        problems = workflow.transition_problems(fiche, to_status)
        if request.method == "POST" and not problems:
            try:
                workflow.fiche_transition(fiche=fiche, to_status=to_status, by=request.user, note=request.POST.get("note", "")[:2000])
            except workflow.TransitionError as error:
                problems = error.messages
            except PermissionDenied as error:
                messages.error(request, str(error))
                return HttpResponseRedirect(reverse("admin:positions_fiche_change", args=[fiche.pk]))
            else:
                self.log_change(request, fiche, _("Status gewijzigd naar %(status)s.") % {"status": fiche.get_status_display()})
                messages.success(request, _("Het fiche heeft nu de status '%(status)s'.") % {"status": fiche.get_status_display()})
                return HttpResponseRedirect(reverse("admin:positions_fiche_change", args=[fiche.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Status wijzigen: %(fiche)s") % {"fiche": fiche},
            "opts": self.opts,
            "original": fiche,
            "fiche": fiche,
            "to_status": to_status,
            "to_label": allowed[to_status],
            "problems": problems,
            "fiche_deadline": self._deadline_text(fiche),
            "publishing": to_status == Fiche.Status.PUBLISHED,
            "embargo": fiche.public_from if fiche.public_from and fiche.public_from > timezone.now() else None,
            "note": request.POST.get("note", ""),
        }
        return TemplateResponse(request, "admin/positions/fiche/transition.html", context, status=200)

    def preview_view(self, request, object_id):
        """The fiche's page as the public will see it once published: the public page's body, built the same way
        (``fiche_page``: confirmed commitments only, links to our pages of cited published fiches and documents, the
        list of changes of a revision of a public fiche). No ``body_key``: the template never caches the body, so a
        draft's text never reaches the shared cache."""
        fiche = self._get_visible(request, object_id)
        fiche = fiche_page.page_rows(Fiche.objects.filter(pk=fiche.pk)).get()
        response = TemplateResponse(request, "admin/positions/fiche/preview.html", {
            "fiche": fiche, "detail": fiche_page.page_detail(fiche),
            "change_url": reverse("admin:positions_fiche_change", args=[fiche.pk]),
        })
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def precedents_view(self, request, object_id):
        """The precedent panel (``positions.precedents``: published fiches only) of a fiche the user may view. Not part of
        the change form's first render (its queries over all published fiches were a fifth of it): the form links
        here, and its script puts the panel (``?paneel=1``: the panel alone) in the form once it has loaded."""
        fiche = self._get_visible(request, object_id)
        context = {"precedents": precedents.PrecedentPanel(fiche), "fiche": fiche}
        if request.GET.get("paneel"):
            return TemplateResponse(request, "admin/positions/fiche/precedents.html", context)
        return TemplateResponse(request, "admin/positions/fiche/precedents_page.html", {
            **self.admin_site.each_context(request), **context,
            "title": _("Precedenten: %(fiche)s") % {"fiche": fiche}, "opts": self.opts, "original": fiche,
        })

    def revise_view(self, request, object_id):
        """A published fiche's content changes through a revision: a new draft with its content, after confirmation."""
        fiche = self._get_visible(request, object_id)
        change_url = reverse("admin:positions_fiche_change", args=[fiche.pk])
        if not workflow.may_start_revision(request.user, fiche):
            messages.error(request, _("Van dit fiche kunt u geen herzien concept maken: dat kan bij een gepubliceerd fiche, door een "
                                      "redacteur van een van zijn ministeries of een coördinator."))
            return HttpResponseRedirect(change_url)
        if request.method == "POST":
            try:
                draft, created = workflow.start_revision(fiche=fiche, by=request.user)
            except PermissionDenied as error:
                messages.error(request, str(error))
                return HttpResponseRedirect(change_url)
            if created:
                self.log_addition(request, draft, _("Herzien concept van %(fiche)s gemaakt.") % {"fiche": fiche})
                messages.success(request, _("Herzien concept gemaakt met de inhoud van '%(fiche)s'. Het gepubliceerde fiche blijft "
                                            "ongewijzigd tot het herziene fiche zelf gepubliceerd is.") % {"fiche": fiche})
            else:
                messages.info(request, _("Er is al een herzien concept van dit fiche; u werkt daarin verder."))
            return HttpResponseRedirect(reverse("admin:positions_fiche_change", args=[draft.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Herzien concept maken: %(fiche)s") % {"fiche": fiche},
            "opts": self.opts, "original": fiche, "fiche": fiche,
        }
        return TemplateResponse(request, "admin/positions/fiche/revise.html", context)

    # --- history: restoring an earlier version --------------------------------------------------

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Restoring an earlier version: judged by the fiche as it is now and by the user's right to change its
        content (not by the old version), limited to content (never status or publication data), validated
        like a save, and shown first: the page lists what comes back and what stays as it is."""
        request.current_app = self.admin_site.name
        require_valid_key(self.model, object_id)
        require_valid_key(self.model.history.model, version_id)
        fiche = self.get_object(request, unquote(object_id))
        if fiche is None or not self.has_view_permission(request, fiche):
            raise PermissionDenied
        if not str(version_id).isdigit():
            raise Http404(_("Deze versie bestaat niet."))
        version = get_object_or_404(Fiche.history.model.objects.select_related("history_user"), id=fiche.pk, history_id=version_id)
        refusal = workflow.restore_refusal(request.user, fiche)
        errors, status = [], 200
        if request.method == "POST" and refusal:
            errors, status = [refusal], 403
        elif request.method == "POST":
            try:
                restored = workflow.restore_version(fiche=fiche, version=version, by=request.user,
                                                    loaded_updated_at=request.POST.get("loaded_updated_at", ""))
            except PermissionDenied as error:
                errors, status = [str(error)], 403
            except ValidationError as error:
                errors, status = error.messages, 400
            else:
                fields = ", ".join(str(field.verbose_name) for field in restored)
                when = date_format(timezone.localtime(version.history_date), "j F Y H:i")
                self.log_change(request, fiche, _("Inhoud van de versie van %(when)s teruggezet: %(fields)s.") % {"when": when, "fields": fields})
                messages.success(request, _("De inhoud van de versie van %(when)s is teruggezet (%(fields)s). Status en publicatiegegevens "
                                            "zijn niet veranderd.") % {"when": when, "fields": fields})
                return HttpResponseRedirect(reverse("admin:positions_fiche_change", args=[fiche.pk]))
        restored, kept = workflow.version_differences(fiche, version)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Eerdere versie terugzetten: %(fiche)s") % {"fiche": fiche},
            "opts": self.opts, "original": fiche, "fiche": fiche, "version": version,
            "restored": [_difference_row(field, now, then) for field, now, then in restored],
            "kept": [_difference_row(field, now, then) for field, now, then in kept],
            "refusal": refusal, "errors": errors,
            "loaded_updated_at": fiche.updated_at.isoformat(),
            "history_url": reverse("admin:positions_fiche_history", args=[fiche.pk]),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/positions/fiche/revert.html", context, status=status)


def _difference_row(field, now, then):
    now_text, then_text = display_value(field, now), display_value(field, then)
    long_text = max(len(now_text), len(then_text)) > LONG_TEXT
    return {"label": capfirst(field.verbose_name), "now": now_text, "then": then_text,
            "diff": text_diff_html(now_text, then_text) if long_text else None}


# ---------------------------------------------------------------------------------------------------
# Rows inside a fiche, with their own lists and history
# ---------------------------------------------------------------------------------------------------


@admin.register(FicheSection)
class FicheSectionAdmin(FicheContentChildMixin, ReadableHistoryAdmin):
    list_display = ["__str__", "fiche", "key"]
    list_select_related = ["fiche"]
    list_filter = ["key"]
    search_fields = ["title", "text", "fiche__title", "fiche__kamerstuk"]
    fields = ["fiche", ("number", "title"), ("key", "position"), "text"]


@admin.register(Footnote)
class FootnoteAdmin(FicheContentChildMixin, ReadableHistoryAdmin):
    list_display = ["number", "fiche", "short_text"]
    list_select_related = ["fiche"]
    search_fields = ["text", "fiche__title", "fiche__kamerstuk"]
    fields = ["fiche", "number", "text", "urls"]

    @admin.display(description=gettext_lazy("tekst"))
    def short_text(self, obj):
        return obj.text[:100]


class CommitmentStatusChangeInline(admin.TabularInline):
    model = CommitmentStatusChange
    extra = 0
    fields = ["changed_at", "from_status", "to_status", "new_due_date", "note", "evidence_reference", "changed_by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Commitment)
class CommitmentAdmin(CommitmentStatusReadOnly, FollowUpChildMixin, ReadableHistoryAdmin):
    list_display = ["summary", "fiche_kamerstuk", "kind", "responsible", "due_date", "due_event", "status", "confirmed"]
    list_select_related = ["fiche", "fiche__lead_ministry", "ministry"]
    list_filter = ["status", "confirmed", "kind", ("ministry", RelatedInUseFilter), "due_event"]
    search_fields = ["summary", "quote", "fiche__title", "fiche__kamerstuk", "evidence_reference"]
    date_hierarchy = "due_date"
    autocomplete_fields = ["fiche", "ministry", "due_configuration", "due_meeting"]
    actions = [export_commitments_csv, confirm_commitments]
    inlines = [CommitmentStatusChangeInline]
    history_list_display = ["status"]
    fieldsets = [
        (None, {"fields": ["fiche", ("position", "section_key"), "quote", "summary", "kind", "ministry", "confirmed"]}),
        (gettext_lazy("Wanneer"), {"fields": [("due_date", "due_event"), ("due_configuration", "due_meeting"), "due_description"]}),
        (gettext_lazy("Status en bewijs"), {"fields": COMMITMENT_STATUS_LAYOUT}),
    ]
    readonly_fields = [*COMMITMENT_STATUS_FIELDS, "status_change_link", "confirmed"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = fiche_forms.CommitmentForm.for_fiche(obj.fiche) if obj is not None else fiche_forms.CommitmentForm
        return super().get_form(request, obj, change=change, **kwargs)

    def save_model(self, request, obj, form, change):
        # Status and evidence stay what the follow-up made them, also when an earlier version is restored
        # from the history (a restored version carries its old status); a new commitment starts open.
        if change:
            current = Commitment.objects.filter(pk=obj.pk).values(*COMMITMENT_STATUS_FIELDS).first()
            for name, value in (current or {}).items():
                setattr(obj, name, value)
        else:
            obj.status = Commitment.Status.OPEN
        super().save_model(request, obj, form, change)

    @admin.display(description=gettext_lazy("fiche"), ordering="fiche__kamerstuk")
    def fiche_kamerstuk(self, obj):
        return obj.fiche.kamerstuk or obj.fiche.title[:60]

    @admin.display(description=gettext_lazy("ministerie"))
    def responsible(self, obj):
        ministry = obj.responsible_ministry
        return ministry.abbreviation if ministry else "–"


class CofinancingPriorityInline(admin.TabularInline):
    """Priorities follow their budget: editable exactly when the budget is."""

    model = CofinancingPriority
    extra = 0
    fields = ["position", "topic", "amount"]

    def _budget_editable(self, request, budget):
        return budget is None or permissions.can_change_commitment(request.user, budget.fiche, budget.ministry_id)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._budget_editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._budget_editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._budget_editable(request, obj)


@admin.register(CofinancingBudget)
class CofinancingBudgetAdmin(FollowUpChildMixin, ReadableHistoryAdmin):
    list_display = ["programme", "fiche", "ministry", "amount", "period_start", "period_end"]
    list_select_related = ["fiche", "ministry"]
    list_filter = [("ministry", RelatedInUseFilter)]
    search_fields = ["programme", "programme_code", "fiche__title", "fiche__kamerstuk"]
    autocomplete_fields = ["fiche", "ministry"]
    inlines = [CofinancingPriorityInline]
    fields = ["fiche", ("programme", "programme_code"), ("ministry", "amount"), ("period_start", "period_end"),
              ("eu_rate_min", "eu_rate_max"), "quote", "description"]


@admin.register(FicheStatusChange)
class FicheStatusChangeAdmin(FicheChildAdminMixin, admin.ModelAdmin):
    """The workflow log: read-only; entries are written by workflow.fiche_transition."""

    list_display = ["changed_at", "fiche", "from_status", "to_status", "changed_by", "note"]
    list_select_related = ["fiche", "changed_by"]
    list_filter = ["to_status"]
    search_fields = ["fiche__title", "fiche__kamerstuk", "note"]
    date_hierarchy = "changed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# ---------------------------------------------------------------------------------------------------
# Reference data of the positions app
# ---------------------------------------------------------------------------------------------------


class TemplateSectionInline(admin.TabularInline):
    model = TemplateSection
    extra = 0
    fields = ["position", "number", "title", "key", "required"]


@admin.register(FicheTemplate)
class FicheTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "version", "in_use_from"]
    list_filter = ["kind"]
    search_fields = ["name", "key"]
    inlines = [TemplateSectionInline]


@admin.register(BatchLetter)
class BatchLetterAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kamerstuk", "date"]
    search_fields = ["kamerstuk"]
    date_hierarchy = "date"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "kamerstuk":
            kwargs["form_class"] = KamerstukFormField
        return super().formfield_for_dbfield(db_field, request, **kwargs)
