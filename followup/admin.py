from django.contrib import admin

from .models import CalendarToken, ReminderLog


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    list_display = ["sent_on", "user", "commitment", "kind", "due_date"]
    list_filter = ["kind", "sent_on"]
    search_fields = ["user__username", "user__email", "commitment__summary"]
    date_hierarchy = "sent_on"
    list_select_related = ["user", "commitment"]

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
