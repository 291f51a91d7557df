"""iCalendar feeds of commitment due dates and Council meetings, for calendar subscriptions.

Public feeds are built from ``Commitment.objects.published()`` only; staff feeds (behind a secret
token, read without login) from the tracked commitments that are public or of the token owner's own
ministries. Both share this one builder so they carry the same events.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from icalendar import Calendar, Event

from proposals.models import LEGISLATIVE_KINDS, CommissionDocument

from .tracking import MeetingSchedule, with_follow_up_relations

PRODID = "-//fichetracker//toezeggingen en Raadsvergaderingen//NL"
UID_DOMAIN = "fichetracker"
MEETINGS_LOOKBACK = timedelta(days=365)


def commitment_uid(commitment):
    return f"toezegging-{commitment.fiche.natural_id}-{commitment.position}@{UID_DOMAIN}"


def meeting_uid(meeting):
    return f"raad-{meeting.configuration.code.lower()}-{meeting.date.isoformat()}@{UID_DOMAIN}"


def window_uid(document):
    return f"subsidiariteit-{document.slug}@{UID_DOMAIN}"


def _absolute(path):
    return settings.SITE_URL + path


def window_documents(fiches, today):
    """Legislative proposals of ``fiches`` whose subsidiarity window ended at most ``MEETINGS_LOOKBACK`` ago, each
    with ``feed_fiches``: those of ``fiches`` on it, first sent first. Two queries however many there are."""
    # The window is at most eight weeks plus August after transmission; older documents cannot qualify.
    since = today - MEETINGS_LOOKBACK - timedelta(weeks=8) - timedelta(days=31)
    documents = (
        CommissionDocument.objects.filter(pk__in=fiches.values("documents"), doc_type=CommissionDocument.DocType.COM,
                                          kind__in=LEGISLATIVE_KINDS, received_on__gte=since)
        .prefetch_related(Prefetch("fiches", queryset=fiches.order_by("sent_on", "pk"), to_attr="feed_fiches"))
        .order_by("received_on", "pk")
    )
    return [d for d in documents if d.subsidiarity_window.end >= today - MEETINGS_LOOKBACK]


def window_event(document, stamp, staff):
    window = document.subsidiarity_window
    event = Event()
    event.add("uid", window_uid(document))
    event.add("dtstamp", stamp)
    event.add("dtstart", window.end)
    event.add("dtend", window.end + timedelta(days=1))
    event.add("summary", _("Einde subsidiariteitstermijn: %(reference)s") % {"reference": document.reference})
    lines = [
        document.title,
        _("Laatste dag voor een met redenen omkleed advies van de nationale parlementen (Protocol nr. 2): acht weken "
          "na toezending op %(date)s, augustus niet meegeteld.") % {"date": window.transmitted_on.strftime("%d-%m-%Y")},
    ]
    if document.fiche_deadline:
        lines.append(_("Termijn BNC-fiche: %(date)s") % {"date": document.fiche_deadline.strftime("%d-%m-%Y")})
    for fiche in document.feed_fiches:
        name = fiche.kamerstuk_display or fiche.title
        if not fiche.sent_on:
            lines.append(_("%(fiche)s: fiche nog niet verzonden") % {"fiche": name})
            continue
        days = window.days_left(fiche.sent_on)
        if days >= 0:
            text = ngettext("%(fiche)s: fiche verzonden met nog %(days)s dag van de termijn",
                            "%(fiche)s: fiche verzonden met nog %(days)s dagen van de termijn", days)
        else:
            days = -days
            text = ngettext("%(fiche)s: fiche verzonden %(days)s dag na het einde van de termijn",
                            "%(fiche)s: fiche verzonden %(days)s dagen na het einde van de termijn", days)
        lines.append(text % {"fiche": name, "days": days})
    event.add("description", "\n".join(lines))
    event.add("categories", [_("Subsidiariteitstermijn")])
    event.add("transp", "TRANSPARENT")
    url = reverse("admin:proposals_commissiondocument_change", args=[document.pk]) if staff else document.get_absolute_url()
    event.add("url", _absolute(url))
    return event


def build_calendar(*, name, commitments, staff, fiches=None, today=None):
    """The feed as bytes. ``commitments`` and ``fiches`` are querysets already restricted to what the reader may
    see; ``fiches`` are those whose legislative proposals' subsidiarity windows the feed carries (none if None).

    One all-day event per commitment with a (resolved) due date, and one per Council meeting from a
    year ago onwards. Closed commitments stay in the calendar with their status in the title, so a
    subscriber sees a deadline was met rather than an event that silently disappears.
    """
    today = today or timezone.localdate()
    schedule = MeetingSchedule()
    with translation.override("nl"):
        calendar = Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", settings.TIME_ZONE)
        stamp = timezone.now()

        for commitment in with_follow_up_relations(commitments):
            due = schedule.due_date(commitment)
            if due is None:
                continue
            fiche = commitment.fiche
            ministry = commitment.responsible_ministry
            prefix = _("Toezegging") if commitment.is_open else f"{_('Toezegging')} ({commitment.get_status_display()})"
            event = Event()
            event.add("uid", commitment_uid(commitment))
            event.add("dtstamp", stamp)
            event.add("last-modified", commitment.updated_at)
            event.add("dtstart", due)
            event.add("dtend", due + timedelta(days=1))
            event.add("summary", f"{prefix}: {commitment.summary}")
            lines = [
                f"{_('Fiche')}: {fiche.kamerstuk_display} {fiche.title}".strip(),
                f"{_('Status')}: {commitment.get_status_display()}",
            ]
            if ministry:
                lines.append(f"{_('Ministerie')}: {ministry.name}")
            if commitment.due_event and not commitment.due_date:
                lines.append(f"{_('Moment')}: {commitment.get_due_event_display()}")
            lines.append("")
            lines.append(f"“{commitment.quote}”")
            event.add("description", "\n".join(lines))
            event.add("categories", [_("Toezegging"), commitment.get_kind_display()])
            event.add("transp", "TRANSPARENT")
            if staff:
                url = reverse("followup:commitment_detail", kwargs={"fiche": fiche.natural_id, "position": commitment.position})
            else:
                url = f"{fiche.get_absolute_url()}#toezegging-{commitment.pk}"
            event.add("url", _absolute(url))
            calendar.add_component(event)

        if fiches is not None:
            for document in window_documents(fiches, today):
                calendar.add_component(window_event(document, stamp, staff))

        for meeting in schedule.upcoming(today - MEETINGS_LOOKBACK):
            event = Event()
            event.add("uid", meeting_uid(meeting))
            event.add("dtstamp", stamp)
            event.add("dtstart", meeting.date)
            event.add("dtend", (meeting.end_date or meeting.date) + timedelta(days=1))
            title = meeting.configuration.name if meeting.is_formal else f"{meeting.configuration.name} ({_('informeel')})"
            event.add("summary", title)
            if meeting.notes:
                event.add("description", meeting.notes)
            event.add("categories", [_("Raadsvergadering"), meeting.configuration.code])
            event.add("transp", "TRANSPARENT")
            calendar.add_component(event)
    return calendar.to_ical()
