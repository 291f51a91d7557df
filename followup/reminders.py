"""The reminder run: a digest per follow-up officer of their ministries' commitments that need attention.

Notices: due within four weeks (once per due date), due within one week (once per due date) and
overdue (once a week while it stays overdue). The ReminderLog makes a second run on the same day
send nothing new, and lets a run catch up after cron missed a day.

The holder first: a commitment with a holder who can receive reminders (an officer of its ministry with an
address, who may see it) goes to that holder only, until it is ESCALATE_AFTER overdue; from then on the
ministry's other officers get its overdue notices too. A commitment without such a holder goes to every
officer of its ministry, as before ownership existed, so a departed holder never swallows a reminder.

A mail goes where the staff pages' rule cannot follow it, so each digest applies that rule itself: a
commitment of a fiche under embargo reaches an officer only if ``positions.permissions.visible_fiches``
lets them see the fiche (one of their own ministries, or a role that sees all).
"""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import DEFAULT_MAILER_ALIAS, EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from positions.models import Commitment, Fiche
from positions.permissions import visible_fiches

from .models import CommitmentAssignment, ReminderLog
from .services import resolve_due_triggers
from .tracking import ALL_READERS, MeetingSchedule, Row, lineage_ids, sort_key, successor_map, tracked_commitments, with_follow_up_relations

logger = logging.getLogger(__name__)

FOUR_WEEKS = timedelta(days=28)
ONE_WEEK = timedelta(days=7)
OVERDUE_INTERVAL = timedelta(days=7)
ESCALATE_AFTER = timedelta(days=14)


def reminder_kind(due, today):
    """Which notice a commitment due on ``due`` earns today, or None.

    Due today counts as 'within a week' (not overdue); due in exactly 28 days is 'within four weeks';
    due yesterday is overdue.
    """
    if due is None:
        return None
    if due < today:
        return ReminderLog.Kind.OVERDUE
    if due <= today + ONE_WEEK:
        return ReminderLog.Kind.ONE_WEEK
    if due <= today + FOUR_WEEKS:
        return ReminderLog.Kind.FOUR_WEEKS
    return None


FOLLOW_UP_PERMISSION = "positions.follow_up_commitment"


def follow_up_officers():
    """Active users with an e-mail address who belong to a ministry and follow up its commitments
    (the 'follow-up officer' role, or a superuser who is a member of a ministry)."""
    users = get_user_model().objects.with_perm(
        FOLLOW_UP_PERMISSION, is_active=True, include_superusers=True, backend="django.contrib.auth.backends.ModelBackend"
    )
    return (
        get_user_model()
        .objects.filter(pk__in=users.values("pk"), ministries__isnull=False)
        .exclude(email="")
        .distinct()
        .prefetch_related("ministries")
        .order_by("pk")
    )


@dataclass
class Digest:
    user: object
    today: object
    four_weeks: list = field(default_factory=list)
    one_week: list = field(default_factory=list)
    overdue: list = field(default_factory=list)
    held: set = field(default_factory=set)  # pks of the commitments this user holds

    @property
    def rows(self):
        return self.overdue + self.one_week + self.four_weeks

    def __bool__(self):
        return bool(self.rows)


@dataclass
class RunResult:
    sent: int = 0
    notices: int = 0
    failed: list = field(default_factory=list)
    linked_triggers: int = 0

    def as_dict(self):
        return {"sent": self.sent, "notices": self.notices, "failed": self.failed, "linked_triggers": self.linked_triggers}


def _visible_rows_of(user, rows_by_ministry, successors):
    """The rows of the user's ministries (and their predecessors), once each, without the commitments of a
    fiche under embargo the user may not see. One query, and only when such a fiche is among them."""
    rows, seen = [], set()
    for ministry_pk in sorted(lineage_ids(user.ministries.all(), successors)):
        for row in rows_by_ministry.get(ministry_pk, ()):
            if row.commitment.pk not in seen:
                seen.add(row.commitment.pk)
                rows.append(row)
    hidden = {row.commitment.fiche_id for row in rows if not row.commitment.fiche.is_public}
    if hidden:
        allowed = set(visible_fiches(user, Fiche.objects.filter(pk__in=hidden)).values_list("pk", flat=True))
        rows = [row for row in rows if row.commitment.fiche.is_public or row.commitment.fiche_id in allowed]
    return rows


def build_digests(today, users=None):
    """The new notices per officer for ``today``, honouring what the log says was sent already."""
    users = list(users if users is not None else follow_up_officers())
    if not users:
        return []
    schedule = MeetingSchedule()
    successors = successor_map()
    commitments = with_follow_up_relations(tracked_commitments(ALL_READERS).open())  # scoped per recipient below
    rows_by_ministry = {}
    for commitment in commitments:
        row = Row(commitment, schedule.due_date(commitment), schedule.next_meeting(commitment), today)
        if reminder_kind(row.due, today) is None or row.ministry is None:
            continue
        rows_by_ministry.setdefault(row.ministry.pk, []).append(row)
    # A four-week or one-week notice is sent at most 28 days before its due date, an overdue notice
    # repeats after 7 days: older log entries cannot matter.
    sent = set()
    recent_overdue = set()
    for log in ReminderLog.objects.filter(user__in=users, sent_on__gte=today - FOUR_WEEKS).only(
        "user_id", "commitment_id", "kind", "due_date", "sent_on"
    ):
        sent.add((log.user_id, log.commitment_id, log.kind, log.due_date))
        if log.kind == ReminderLog.Kind.OVERDUE and log.sent_on > today - OVERDUE_INTERVAL:
            recent_overdue.add((log.user_id, log.commitment_id))
    visible = {user.pk: _visible_rows_of(user, rows_by_ministry, successors) for user in users}
    reachable = {pk: {row.commitment.pk for row in rows} for pk, rows in visible.items()}
    by_pk = {user.pk: user for user in users}
    holders = {}  # commitment pk -> holder, for the holders who get its reminders
    for commitment_id, officer_id in CommitmentAssignment.objects.current().filter(
        commitment__status__in=Commitment.OPEN_STATUSES
    ).values_list("commitment_id", "officer_id"):
        if commitment_id in reachable.get(officer_id, ()):
            holders[commitment_id] = by_pk[officer_id]
    digests = []
    for user in users:
        digest = Digest(user=user, today=today)
        for row in visible[user.pk]:
            holder = holders.get(row.commitment.pk)
            row.commitment.holder = holder
            kind = reminder_kind(row.due, today)
            if holder is not None and holder.pk != user.pk and not (kind == ReminderLog.Kind.OVERDUE and today - row.due > ESCALATE_AFTER):
                continue  # the holder's, and not yet long overdue
            if holder is not None and holder.pk == user.pk:
                digest.held.add(row.commitment.pk)
            key = (user.pk, row.commitment.pk)
            if kind == ReminderLog.Kind.OVERDUE:
                if key not in recent_overdue:
                    digest.overdue.append(row)
            elif kind == ReminderLog.Kind.ONE_WEEK:
                if (*key, kind, row.due) not in sent:
                    digest.one_week.append(row)
            elif (*key, kind, row.due) not in sent and (*key, ReminderLog.Kind.ONE_WEEK, row.due) not in sent:
                digest.four_weeks.append(row)
        for rows in (digest.overdue, digest.one_week, digest.four_weeks):
            rows.sort(key=sort_key)
        if digest:
            digests.append(digest)
    return digests


def absolute(path):
    return settings.SITE_URL.rstrip("/") + path


def commitment_url(commitment):
    return absolute(reverse("followup:commitment_detail", kwargs={"fiche": commitment.fiche.natural_id, "position": commitment.position}))


def digest_message(digest):
    with translation.override("nl"):
        context = {
            "digest": digest,
            "dashboard_url": absolute(reverse("followup:dashboard")),
            "groups": [
                (title, [(row, commitment_url(row.commitment)) for row in rows])
                for title, rows in (
                    (_("Verlopen"), digest.overdue),
                    (_("Uiterlijk binnen een week"), digest.one_week),
                    (_("Uiterlijk binnen vier weken"), digest.four_weeks),
                )
                if rows
            ],
        }
        count = len(digest.rows)
        subject = render_to_string("followup/email/reminder_subject.txt", {**context, "count": count}).strip()
        text = render_to_string("followup/email/reminder_digest.txt", context)
        html = render_to_string("followup/email/reminder_digest.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[digest.user.email])
    message.attach_alternative(html, "text/html")
    return message


def send_reminders(*, today=None):
    """Send today's digests and log every notice; a failed message is logged as failed and retried next run."""
    today = today or timezone.localdate()
    result = RunResult(linked_triggers=resolve_due_triggers())
    digests = build_digests(today)
    for digest in digests:
        try:
            digest_message(digest).send(using=DEFAULT_MAILER_ALIAS)
        except Exception as error:  # a broken address or mail server must not stop the other digests
            logger.exception("Herinnering aan %s mislukt", digest.user.email)
            result.failed.append(f"{digest.user.email}: {error}")
            continue
        with transaction.atomic():
            ReminderLog.objects.bulk_create(
                [
                    ReminderLog(user=digest.user, commitment=row.commitment, kind=kind, due_date=row.due, sent_on=today)
                    for kind, rows in (
                        (ReminderLog.Kind.OVERDUE, digest.overdue),
                        (ReminderLog.Kind.ONE_WEEK, digest.one_week),
                        (ReminderLog.Kind.FOUR_WEEKS, digest.four_weeks),
                    )
                    for row in rows
                ],
                ignore_conflicts=True,
            )
        result.sent += 1
        result.notices += len(digest.rows)
    return result
