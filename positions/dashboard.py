"""The editors' and coordinators' admin page: documents awaiting a fiche with the days left, and fiches
waiting for a review or publication step. Scoped like every admin list (positions.permissions)."""

import datetime
from collections import defaultdict

from django.db.models import Max, Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from proposals.models import CommissionDocument

from . import permissions, workflow
from .models import Fiche

# Documents received longer ago than this without a fiche are history, not work in progress.
RECENT_DAYS = 180
DONE = (Fiche.Status.ADOPTED, Fiche.Status.PUBLISHED)


def documents_awaiting_fiche(user, today=None):
    """(ministry label, rows) groups of documents received recently whose fiche is not yet adopted.

    Each row: document, its draft/review fiche (if any, and visible to ``user``), deadline, days left,
    overdue flag. Documents without a fiche are shown to everyone under "Nog geen fiche": Commission
    documents are public; draft fiches of other ministries are not, so their documents are left out.
    """
    today = today or timezone.localdate()
    visible = permissions.visible_fiches(user)
    in_progress = Fiche.objects.exclude(status__in=DONE)
    documents = (
        CommissionDocument.objects.filter(received_on__gte=today - datetime.timedelta(days=RECENT_DAYS))
        .exclude(fiches__status__in=DONE)
        .prefetch_related(Prefetch("fiches", queryset=in_progress.select_related("lead_ministry"), to_attr="open_fiches"))
    )
    visible_ids = set(visible.filter(pk__in=in_progress.filter(documents__in=documents).values("pk")).values_list("pk", flat=True))
    groups = defaultdict(list)
    for document in documents:
        fiches = document.open_fiches
        if fiches and not any(f.pk in visible_ids for f in fiches):
            continue
        fiche = next((f for f in fiches if f.pk in visible_ids), None)
        deadline = document.fiche_deadline
        days_left = (deadline - today).days
        ministry = fiche.lead_ministry if fiche and fiche.lead_ministry else None
        label = ministry.name if ministry else (_("Ministerie nog niet bepaald") if fiche else _("Nog geen fiche"))
        groups[str(label)].append({
            "document": document, "fiche": fiche, "deadline": deadline, "days_left": days_left, "days_overdue": -days_left, "overdue": days_left < 0,
        })
    return sorted(
        ((label, sorted(rows, key=lambda row: row["deadline"])) for label, rows in groups.items()),
        key=lambda group: group[0],
    )


def fiches_waiting(user):
    """Fiches in review (waiting for the coordinator) or adopted (waiting for the publisher)."""
    fiches = (
        permissions.visible_fiches(user)
        .filter(status__in=[Fiche.Status.REVIEW, Fiche.Status.ADOPTED])
        .select_related("lead_ministry")
        .annotate(status_since=Max("status_changes__changed_at"))
        .order_by("status", "status_since", "pk")
    )
    rows = []
    for fiche in fiches:
        rows.append({"fiche": fiche, "deadline": fiche.deadline, "since": fiche.status_since,
                     "actions": workflow.allowed_transitions(user, fiche)})
    return rows


class DashboardView(TemplateView):
    template_name = "admin/positions/dashboard.html"
    admin_site = None

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        user = self.request.user
        return {
            **super().get_context_data(**kwargs),
            **self.admin_site.each_context(self.request),
            "title": _("Termijnen en werkvoorraad"),
            "today": today,
            "document_groups": documents_awaiting_fiche(user, today),
            "waiting": fiches_waiting(user),
            "recent_days": RECENT_DAYS,
        }
