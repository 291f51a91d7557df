"""Admin helpers every app's admin uses: simple-history's history pages with a readable word diff, an autocomplete
select that does not query for the row its form already holds, and a list filter of the related rows in use."""

from django import forms
from django.contrib.admin import RelatedOnlyFieldListFilter
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from common.diff import text_diff_html

LONG_TEXT = 80


class DiffContextHelper(HistoricalRecordContextHelper):
    """Adds a word diff of the full (untruncated) texts to every change of a long text field."""

    def context_for_delta_changes(self, delta):
        rows = super().context_for_delta_changes(delta)
        for row, change in zip(rows, delta.changes, strict=True):
            old, new = change.old, change.new
            if isinstance(old, str) and isinstance(new, str) and max(len(old), len(new)) > LONG_TEXT:
                row["diff"] = text_diff_html(old, new)
        return rows


def require_valid_key(model, value):
    """404 for a key that cannot be one of ``model``'s (``/history/abc/``), instead of the ValueError's 500."""
    try:
        model._meta.pk.to_python(unquote(value))
    except (ValidationError, ValueError, TypeError):
        raise Http404 from None


class ReadableHistoryAdmin(SimpleHistoryAdmin):
    """simple-history's history and revert, with long texts shown as a word diff instead of old → new."""

    object_history_list_template = "admin/history/object_history_list.html"

    def get_historical_record_context_helper(self, request, historical_record):
        return DiffContextHelper(self.model, historical_record)

    def history_view(self, request, object_id, extra_context=None):
        require_valid_key(self.model, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        require_valid_key(self.model, object_id)
        require_valid_key(self.model.history.model, version_id)
        # simple-history judges a revert by the old version and saves it with only the view permission checked:
        # only someone who may change the object as it is now may restore an earlier version of it.
        if request.method == "POST":
            current = self.get_object(request, unquote(object_id))
            if current is None or not self.has_change_permission(request, current):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class KnownRowAutocomplete(AutocompleteSelect):
    """Django's autocomplete select for a foreign key, which reads the label of its chosen row with a query of its
    own for every form, also when nothing is chosen (the query is built and found empty): three per commitment of
    the fiche form. This one needs no query when nothing is chosen, nor when the chosen row is the one the form's
    instance holds already (``chosen``, set by ``KnownRowsForm`` from a ``select_related`` row); otherwise it asks
    the database as Django's does. The markup is Django's."""

    chosen = None  # (value, label) of the instance's row

    def optgroups(self, name, value, attr=None):
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        known = self.chosen is not None and selected == {str(self.chosen[0])}
        if selected and not known:
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        if known:
            options.append(self.create_option(name, self.chosen[0], self.chosen[1], selected, len(options)))
        return [(None, options, 0)]


class KnownRowsForm(forms.ModelForm):
    """A model form whose ``KnownRowAutocomplete`` widgets take the chosen row from the instance, when its query
    loaded that row (``select_related``); the widgets of rows it did not load ask the database."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = getattr(field.widget, "widget", field.widget)  # inside a RelatedFieldWidgetWrapper or not
            if not isinstance(widget, KnownRowAutocomplete):
                continue
            model_field = self.instance._meta.get_field(name)
            if model_field.remote_field.field_name == model_field.related_model._meta.pk.name and model_field.is_cached(self.instance):
                row = model_field.get_cached_value(self.instance)
                if row is not None:
                    widget.chosen = (row.pk, field.label_from_instance(row))


class KnownRowAutocompleteMixin:
    """For a ModelAdmin or inline: ``KnownRowAutocomplete`` for its ``autocomplete_fields`` foreign keys (use a
    ``KnownRowsForm`` and select the related rows in ``get_queryset`` to spare their queries)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KnownRowAutocomplete(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class RelatedInUseFilter(RelatedOnlyFieldListFilter):
    """Django's ``RelatedOnlyFieldListFilter`` (the related rows that rows the user sees point to), asked per related
    row: an EXISTS through the foreign key's index for each of a few dozen ministries or Council configurations,
    where Django's ``pk IN (SELECT DISTINCT ...)`` reads every row of the list (8 ms of the fiche list at 10,000)."""

    def field_choices(self, field, request, model_admin):
        in_use = model_admin.get_queryset(request).filter(**{self.field_path: OuterRef("pk")})
        ordering = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(include_blank=False, limit_choices_to=Q(Exists(in_use)), ordering=ordering)
