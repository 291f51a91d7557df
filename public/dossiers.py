"""Public dossier pages per Commission document. Reads come from ``public.selectors``.

The timeline is a vertical, dated list: one entry per day, the events of that day together under it,
each event with a mark of its own shape (and a word), so a partly fulfilled commitment never looks
fulfilled and same-day events never hide one another.

A legislative proposal also shows parliament's subsidiarity window (eight weeks for a reasoned opinion,
``proposals.deadlines``) beside the fiche's deadline, and for each fiche sent how many days of that window
were left when it reached parliament.
"""

import datetime
import functools
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from pagecache.results import ContentCache
from positions.models import Commitment
from proposals import references
from proposals.models import CommissionDocument, CouncilMeeting, DocumentRelation

from . import selectors


def canonical_reference(url_name):
    """View decorator for URLs that carry a Commission reference: 404 when it is none, a permanent
    redirect to the canonical spelling (``com-2024-28``) otherwise; the view gets the parsed reference."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, reference, **kwargs):
            try:
                ref = references.parse_reference(reference)
            except ValidationError:
                raise Http404(_("Geen geldige referentie van een Commissiedocument.")) from None
            if reference != ref.slug:
                return redirect(url_name, reference=ref.slug, permanent=True)
            return view(request, ref, **kwargs)

        return wrapper

    return decorator


@dataclass
class Event:
    date: datetime.date
    kind: str  # commission, received, deadline, subsidiarity, sent-on-time, sent-late, meeting, fulfilled, partly-fulfilled
    label: str
    url: str = ""


def build_timeline(document, fiches, commitments):
    """Events of a dossier in date order (same day: in the order things happen)."""
    events = []
    if document.adopted_on:
        events.append(Event(document.adopted_on, "commission", _("Gepubliceerd door de Commissie")))
    received = document.received_on or next((f.received_on for f in fiches if f.received_on and not f.received_month_only), None)
    deadline = document.fiche_deadline if document.received_on else (fiches[0].deadline if fiches else None)
    if received:
        events.append(Event(received, "received", _("Ontvangen door het kabinet")))
    if deadline:
        events.append(Event(deadline, "deadline", _("Termijn voor het BNC-fiche (zes weken)") if not document.is_parliamentary_priority
                            else _("Termijn voor het BNC-fiche (drie weken, prioritair voor de Kamer)")))
    window = document.subsidiarity_window
    if window:
        events.append(Event(window.end, "subsidiarity", _("Einde subsidiariteitstermijn nationale parlementen (acht weken, augustus niet meegeteld)")))
    for fiche in fiches:
        if not fiche.sent_on:
            continue
        if deadline:
            on_time = fiche.sent_on <= deadline
            kind = "sent-on-time" if on_time else "sent-late"
            late_days = (fiche.sent_on - deadline).days
            when = _("op tijd") if on_time else _("te laat, %(days)s dagen na de termijn") % {"days": late_days}
            label = _("Fiche %(kamerstuk)s naar de Kamer (%(when)s)") % {"kamerstuk": fiche.kamerstuk_display, "when": when}
        else:
            kind, label = "sent-on-time", _("Fiche %(kamerstuk)s naar de Kamer") % {"kamerstuk": fiche.kamerstuk_display}
        events.append(Event(fiche.sent_on, kind, label, fiche.get_absolute_url()))
    window_end = max([d for d in [deadline, *(f.sent_on for f in fiches)] if d], default=None)
    configurations = {f.council_configuration_id for f in fiches if f.council_configuration_id}
    meetings = {}
    if received and window_end and configurations:
        for meeting in CouncilMeeting.objects.filter(configuration__in=configurations, date__gte=received, date__lte=window_end).select_related("configuration"):
            meetings[meeting.pk] = (meeting, False)
    # The meetings commitments are due at belong on the line too, however long after the fiche they fall.
    for commitment in commitments:
        if commitment.due_meeting_id:
            meetings[commitment.due_meeting_id] = (commitment.due_meeting, True)
    for meeting, commitments_due in meetings.values():
        formal = "" if meeting.is_formal else " " + _("(informeel)")
        label = _("Vergadering %(council)s%(formal)s") % {"council": meeting.configuration.name, "formal": formal}
        if commitments_due:
            label = _("%(meeting)s: termijn van een toezegging") % {"meeting": label}
        events.append(Event(meeting.date, "meeting", label))
    for commitment in commitments:
        if commitment.status in Commitment.EVIDENCE_STATUSES and commitment.evidence_date:
            kind = "fulfilled" if commitment.status == Commitment.Status.FULFILLED else "partly-fulfilled"
            events.append(Event(commitment.evidence_date, kind, _("Toezegging %(status)s: %(summary)s")
                                % {"status": commitment.get_status_display(), "summary": commitment.summary},
                                f"{commitment.fiche.get_absolute_url()}#toezegging-{commitment.position}"))
    order = ["commission", "received", "meeting", "sent-on-time", "sent-late", "deadline", "subsidiarity", "partly-fulfilled", "fulfilled"]
    events.sort(key=lambda e: (e.date, order.index(e.kind)))
    return events


def window_for_fiches(document, fiches):
    """Parliament's subsidiarity window of ``document`` and, per sent fiche, the days of it left on its send date
    (negative: days after the window closed). None when the document is no legislative proposal or its
    transmission date is unknown."""
    window = document.subsidiarity_window
    if window is None:
        return None
    return {"end": window.end, "transmitted_on": window.transmitted_on,
            "sent": [{"fiche": f, "days_left": window.days_left(f.sent_on), "days_closed": -window.days_left(f.sent_on)}
                     for f in fiches if f.sent_on]}


def short_title(document, fiches):
    """The dossier's heading: the title of its first published fiche (the cabinet's own short Dutch title), else
    the official title cut at a word boundary; the full official title stands below the heading."""
    if fiches:
        return fiches[0].title
    title = " ".join(document.title.split())
    if len(title) <= SHORT_TITLE_LENGTH:
        return title
    return title[:SHORT_TITLE_LENGTH].rsplit(" ", 1)[0].rstrip(",;:") + "…"


SHORT_TITLE_LENGTH = 110


def group_by_day(events):
    """[(date, [events of that day])] in date order: the timeline's entries."""
    days = []
    for event in events:
        if days and days[-1][0] == event.date:
            days[-1][1].append(event)
        else:
            days.append((event.date, [event]))
    return days


class Dossier:
    """What a dossier page shows of its public ``document``, each part read on first use: only when the
    page's rendered fragments are not cached (``document_detail``)."""

    def __init__(self, document):
        self.document = document

    @cached_property
    def fiches(self):
        # The documents of a published fiche are public themselves (assessed in it): they need no gate of their own.
        return list(
            selectors.fiches().filter(documents=self.document)
            .select_related("lead_ministry", "council_configuration")
            .prefetch_related(Prefetch("documents", queryset=CommissionDocument.objects.order_by("doc_type", "year", "number")))
            .order_by("sent_on", "pk")
        )

    @cached_property
    def related(self):
        """The public documents related to this one, either way: one query for the relations and, when there
        are any, one through the public gate for the documents at their other end."""
        document = self.document
        relations = list(DocumentRelation.objects.filter(Q(source=document) | Q(target=document)).select_related("source", "target").order_by("pk"))
        others = {relation.target_id if relation.source_id == document.pk else relation.source_id for relation in relations}
        public = set(selectors.documents().filter(pk__in=others).values_list("pk", flat=True)) if others else set()
        related = []
        for relation in sorted(relations, key=lambda r: r.source_id != document.pk):  # outgoing first, as before
            outgoing = relation.source_id == document.pk
            other = relation.target if outgoing else relation.source
            if other.pk in public:
                related.append({"document": other, "relation": relation.get_kind_display(), "outgoing": outgoing})
        related.sort(key=lambda r: (r["document"].year, r["document"].doc_type, r["document"].number))
        return related

    @cached_property
    def package(self):
        """Documents assessed in the same fiche(s): the package as readers meet it."""
        return sorted({d for f in self.fiches for d in f.documents.all() if d.pk != self.document.pk} - {r["document"] for r in self.related},
                      key=lambda d: (d.year, d.doc_type, d.number))

    @cached_property
    def commitments(self):
        fiches = {f.pk: f for f in self.fiches}
        commitments = list(
            selectors.commitments().filter(fiche__in=list(fiches))
            .select_related("due_meeting__configuration").order_by("fiche__sent_on", "position")
        ) if fiches else []
        for commitment in commitments:
            commitment.fiche = fiches[commitment.fiche_id]  # the fiche already read, not another copy per commitment
        return commitments

    @cached_property
    def events(self):
        return build_timeline(self.document, self.fiches, self.commitments)

    @cached_property
    def days(self):
        return group_by_day(self.events)

    @cached_property
    def window(self):
        return window_for_fiches(self.document, self.fiches)

    @cached_property
    def short_title(self):
        return short_title(self.document, self.fiches)

    @cached_property
    def outcomes(self):
        return list(selectors.outcomes().filter(fiche__in=[f.pk for f in self.fiches])) if self.fiches else []


@require_safe
@canonical_reference("public:document_detail")
def document_detail(request, ref):
    # The rendered heading and body are cached by content version, document and language (the template's
    # {% cache %}); so is whether the document is public. The content version changes with any committed
    # write to the documents, their relations, the fiches, their commitments, outcomes and the reference
    # data (ministries, Councils and their meetings), so it covers all the page shows of other rows: which
    # fiches and related documents are public, their rows, the timeline. An entry never outlives the next
    # embargo that lifts (``ContentCache``). The subscription form (with its CSRF token) is not cached.
    documents = selectors.documents()
    results = ContentCache(documents, enabled=True)

    def public_document():
        return documents.filter(doc_type=ref.doc_type, year=ref.year, number=ref.number).first()

    document = results.rows(f"dossier-document:{ref.slug}", public_document)
    if document is None:
        raise Http404
    key, timeout = results.fragment("dossier")
    return render(request, "public/document_detail.html",
                  {"document": document, "dossier": Dossier(document), "dossier_key": key, "dossier_timeout": timeout})
