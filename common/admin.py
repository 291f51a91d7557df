"""Admin helpers every app's admin uses: simple-history's history pages with a readable word diff."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
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
