"""The editors' and coordinators' admin page: documents awaiting a fiche with the days left, and fiches
waiting for a review or publication step. Scoped like every admin list (positions.permissions).

Beside the fiche's deadline each legislative proposal shows parliament's subsidiarity window (eight weeks for a
reasoned opinion, ``proposals.deadlines``): a fiche that reaches parliament with days of that window left
still informs its subsidiarity check.

A document without a fiche counts as work for ``RECENT_DAYS``; one with a draft or a fiche in review stays on
the page whatever its age, until the fiche is adopted. A fiche that has been sent is judged by its send date
against the deadline ("op tijd verzonden", "3 dagen te laat verzonden"), never by today's date."""

import datetime
from collections import defaultdict

from django.db.models import Max, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from proposals.models import CommissionDocument

from . import permissions, workflow
from .models import Fiche

# Documents received longer ago than this without a fiche are history, not work in progress.
RECENT_DAYS = 180
DONE = (Fiche.Status.ADOPTED, Fiche.Status.PUBLISHED)


def judge_deadline(deadline, sent_on, today):
    """Days left, days overdue and the overdue flag of a deadline: against the send date once sent, else today."""
    if deadline is None:
        return {"deadline": None, "days_left": None, "days_overdue": None, "overdue": False, "sent_on": sent_on}
    days_left = (deadline - (sent_on or today)).days
    return {"deadline": deadline, "days_left": days_left, "days_overdue": -days_left, "overdue": days_left < 0, "sent_on": sent_on}


def judge_window(window, sent_on, today):
    """Parliament's subsidiarity window of a row: its end and the days of it left, on the fiche's send date once
    sent, else today. None when the row has no legislative proposal with a known transmission date."""
    if window is None:
        return None
    days_left = window.days_left(sent_on or today)
    return {"end": window.end, "days_left": days_left, "days_closed": -days_left, "closed": days_left < 0, "sent_on": sent_on}


def earliest_window(documents):
    """The window that closes first among ``documents`` (a fiche on several proposals answers to the earliest)."""
    windows = [d.subsidiarity_window for d in documents if d.subsidiarity_window]
    return min(windows, key=lambda w: w.end, default=None)


def documents_awaiting_fiche(user, today=None):
    """(ministry label, rows) groups of documents whose fiche is not yet adopted.

    Each row: document, its draft/review fiche (if any, and visible to ``user``), deadline, days left,
    overdue flag (judged by the fiche's send date once it is sent). Documents without a fiche are shown to
    everyone under "Nog geen fiche" while they are recent: Commission documents are public; draft fiches of
    other ministries are not, so their documents are left out. A visible draft or fiche in review keeps its
    document on the page whatever its age.
    """
    today = today or timezone.localdate()
    visible = permissions.visible_fiches(user)
    in_progress = Fiche.objects.exclude(status__in=DONE)
    visible_open = visible.filter(pk__in=in_progress.values("pk"))
    documents = (
        CommissionDocument.objects.filter(
            Q(received_on__gte=today - datetime.timedelta(days=RECENT_DAYS)) | Q(pk__in=visible_open.values("documents"))
        )
        .exclude(fiches__status__in=DONE)
        .prefetch_related(Prefetch("fiches", queryset=in_progress.select_related("lead_ministry"), to_attr="open_fiches"))
    )
    visible_ids = set(visible_open.filter(documents__in=documents).values_list("pk", flat=True))
    groups = defaultdict(list)
    for document in documents:
        fiches = document.open_fiches
        if fiches and not any(f.pk in visible_ids for f in fiches):
            continue
        fiche = next((f for f in fiches if f.pk in visible_ids), None)
        ministry = fiche.lead_ministry if fiche and fiche.lead_ministry else None
        label = ministry.name if ministry else (_("Ministerie nog niet bepaald") if fiche else _("Nog geen fiche"))
        sent_on = fiche.sent_on if fiche else None
        groups[str(label)].append({"document": document, "fiche": fiche, **judge_deadline(document.fiche_deadline, sent_on, today),
                                   "window": judge_window(document.subsidiarity_window, sent_on, today)})
    return sorted(
        ((label, sorted(rows, key=lambda row: (row["deadline"] is None, row["deadline"] or today))) for label, rows in groups.items()),
        key=lambda group: group[0],
    )


def fiches_waiting(user, today=None):
    """Fiches in review (waiting for the coordinator) or adopted (waiting for the publisher), whatever their age,
    each with its deadline judged like ``judge_deadline``."""
    today = today or timezone.localdate()
    fiches = (
        permissions.visible_fiches(user)
        .filter(status__in=[Fiche.Status.REVIEW, Fiche.Status.ADOPTED])
        .select_related("lead_ministry")
        .prefetch_related("documents")
        .annotate(status_since=Max("status_changes__changed_at"))
        .order_by("status", "status_since", "pk")
    )
    rows = []
    for fiche in fiches:
        rows.append({"fiche": fiche, "since": fiche.status_since, "actions": workflow.allowed_transitions(user, fiche),
                     **judge_deadline(fiche.deadline, fiche.sent_on, today),
                     "window": judge_window(earliest_window(fiche.documents.all()), fiche.sent_on, today)})
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
            "waiting": fiches_waiting(user, today),
            "recent_days": RECENT_DAYS,
        }
