"""Admin of e-mail alerts: staff with the view right see how many subscriptions there are per kind, never
an address; superusers also see the subscriptions and addresses themselves (to answer a request to
remove one). Nobody adds or changes a subscription here: readers do that through their own links."""

from django.contrib import admin
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from .models import Subscriber, Subscription, SubscriptionKind


def counts_per_kind():
    """Rows (kind label, active, paused, pending, total) per kind, and the totals row."""
    figures = Subscription.objects.values("kind").annotate(
        active=Count("pk", filter=Q(confirmed_at__isnull=False, paused_at__isnull=True)),
        paused=Count("pk", filter=Q(confirmed_at__isnull=False, paused_at__isnull=False)),
        pending=Count("pk", filter=Q(confirmed_at__isnull=True)),
        total=Count("pk"),
    )
    by_kind = {row["kind"]: row for row in figures}
    rows = []
    for kind in SubscriptionKind:
        row = by_kind.get(kind.value, {})
        rows.append({"label": kind.label, **{key: row.get(key, 0) for key in ("active", "paused", "pending", "total")}})
    totals = {key: sum(row[key] for row in rows) for key in ("active", "paused", "pending", "total")}
    return rows, totals


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["label", "kind", "rhythm", "language", "subscriber", "created_at", "confirmed_at", "paused_at", "last_digest_at"]
    list_filter = ["kind", "rhythm", "language", ("confirmed_at", admin.EmptyFieldListFilter), ("paused_at", admin.EmptyFieldListFilter)]
    search_fields = ["label", "subscriber__email"]
    list_select_related = ["subscriber"]
    change_list_template = "alerts/admin/subscription_change_list.html"
    readonly_fields = [f.name for f in Subscription._meta.fields]

    def changelist_view(self, request, extra_context=None):
        rows, totals = counts_per_kind()
        context = {"counts": rows, "totals": totals, "addresses": Subscriber.objects.count()}
        if not request.user.is_superuser:
            if not self.has_view_permission(request):
                return super().changelist_view(request, extra_context)  # answers 403 as usual
            return TemplateResponse(request, "alerts/admin/subscription_counts.html", {
                **self.admin_site.each_context(request), **context, "opts": self.model._meta, "title": _("Inschrijvingen per soort"),
            })
        return super().changelist_view(request, {**(extra_context or {}), **context})

    def has_view_permission(self, request, obj=None):
        """Staff with the right see the counts; a single subscription (with its address) only a superuser."""
        if obj is not None:
            return request.user.is_superuser
        return super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    """Addresses: superusers only. Deleting one removes its subscriptions and the record of what was sent."""

    list_display = ["email", "created_at", "subscription_count"]
    search_fields = ["email"]
    readonly_fields = ["email", "created_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n=Count("subscriptions"))

    @admin.display(description=_("inschrijvingen"), ordering="n")
    def subscription_count(self, obj):
        return obj.n

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
