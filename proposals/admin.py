"""Admin for Commission documents and reference data: ministries and Council configurations.

Council meetings are registered by ``followup.admin``: their upload links commitments to meetings."""


from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common.admin import ReadableHistoryAdmin

from . import references
from .models import (
    CommissionDocument,
    CouncilConfiguration,
    CouncilConfigurationAlias,
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
