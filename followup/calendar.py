"""iCalendar feeds of commitment due dates and Council meetings, for calendar subscriptions.

Public feeds are built from ``Commitment.objects.published()`` only; staff feeds (behind a secret
token, read without login) from the tracked commitments that are public or of the token owner's own
ministries. Both share this one builder so they carry the same events.
"""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .tracking import MeetingSchedule, with_follow_up_relations

PRODID = "-//fichetracker//toezeggingen en Raadsvergaderingen//NL"
UID_DOMAIN = "fichetracker"
MEETINGS_LOOKBACK = timedelta(days=365)


def commitment_uid(commitment):
    return f"toezegging-{commitment.fiche.natural_id}-{commitment.position}@{UID_DOMAIN}"


def meeting_uid(meeting):
    return f"raad-{meeting.configuration.code.lower()}-{meeting.date.isoformat()}@{UID_DOMAIN}"


def _absolute(path):
    return settings.SITE_URL + path


def build_calendar(*, name, commitments, staff, today=None):
    """The feed as bytes. ``commitments`` is a queryset already restricted to what the reader may see.

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
