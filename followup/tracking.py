"""Reads for follow-up: which commitments are tracked, when each is due, and how they group.

Everything here works on lists loaded in a fixed number of queries (commitments with their fiche and
ministries, the Council meetings, the status changes), so pages and the reminder run cost the same
number of queries for ten commitments as for ten thousand.
"""

from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from positions.models import CofinancingBudget, Commitment, CommitmentStatusChange, Fiche
from positions.permissions import visible_rows
from proposals.models import CouncilMeeting, Ministry

TRIGGER_EVENTS = (Commitment.DueEvent.ANNOTATED_AGENDA, Commitment.DueEvent.COUNCIL_MEETING)
DUE_SOON_DAYS = 30


class _AllReaders:
    """``user`` of the tracked_* reads for code that scopes per recipient itself (the reminder run). A sentinel,
    not None, so a missing user (``None``) sees nothing rather than everything."""

    def __repr__(self):
        return "ALL_READERS"


ALL_READERS = _AllReaders()


def tracked_commitments(user, *, token_feed=False):
    """Commitments that follow-up tracks (those in fiches sent to parliament), as ``user`` may see them.

    A draft fiche promises nothing yet, so its commitments stay out of the dashboard, the reminders,
    the reports and the staff feeds. A fiche sent but still under embargo is tracked, but only its own
    ministries and the roles that see all read it (``positions.permissions.visible_rows``; ``token_feed``
    for a calendar link: public plus own ministries'). ``ALL_READERS`` skips the scoping: only for the
    reminder run, which scopes per recipient. Public surfaces use ``published()``.
    """
    tracked = Commitment.objects.filter(fiche__status=Fiche.Status.PUBLISHED)
    return tracked if user is ALL_READERS else visible_rows(user, tracked, token_feed=token_feed)


def successor_map():
    """{ministry pk: successor pk} for every ministry that has a successor; one query."""
    return dict(Ministry.objects.exclude(successor=None).values_list("pk", "successor_id"))


def lineage_ids(ministries, successors=None):
    """The ministries and all their predecessors: the Ministry of Economic Affairs of 2024 follows up
    what the Ministry of Economic Affairs and Climate promised in 2017-2024."""
    successors = successor_map() if successors is None else successors
    ids = {getattr(m, "pk", m) for m in ministries}
    grew = True
    while grew:
        grew = False
        for pk, successor in successors.items():
            if successor in ids and pk not in ids:
                ids.add(pk)
                grew = True
    return ids


def for_ministry_lineage(queryset, ministries):
    """Commitments (or anything with ``for_ministries``) of these ministries or their predecessors."""
    return queryset.for_ministries(lineage_ids(ministries))


def with_follow_up_relations(queryset):
    """What a follow-up row shows, loaded in one query (plus one for the history when asked)."""
    return queryset.select_related(
        "fiche", "fiche__lead_ministry", "fiche__council_configuration", "ministry", "due_configuration", "due_meeting__configuration"
    )


def history_prefetch():
    return Prefetch(
        "status_changes", queryset=CommitmentStatusChange.objects.select_related("changed_by").order_by("changed_at", "pk"), to_attr="history_rows"
    )


def annotated_agenda_lead():
    return timedelta(days=settings.ANNOTATED_AGENDA_LEAD_DAYS)


def trigger_reference_date(commitment):
    """The 'next' meeting is the next one after the promise was made: when the fiche went to parliament."""
    if commitment.fiche.sent_on:
        return commitment.fiche.sent_on
    return timezone.localdate(commitment.created_at) if commitment.created_at else timezone.localdate()


def trigger_configuration_id(commitment):
    """The Council configuration of an event trigger; the fiche's own Council when the commitment names none."""
    return commitment.due_configuration_id or commitment.fiche.council_configuration_id


def due_date_at_meeting(commitment, meeting):
    """An annotated agenda reaches parliament ANNOTATED_AGENDA_LEAD_DAYS before the meeting; other events fall on it."""
    if commitment.due_event == Commitment.DueEvent.ANNOTATED_AGENDA:
        return meeting.date - annotated_agenda_lead()
    return meeting.date


class MeetingSchedule:
    """All Council meetings, grouped by configuration and sorted by date; one query."""

    def __init__(self, meetings=None):
        if meetings is None:
            meetings = CouncilMeeting.objects.select_related("configuration").order_by("date", "pk")
        self.by_configuration = defaultdict(list)
        for meeting in meetings:
            self.by_configuration[meeting.configuration_id].append(meeting)

    def next_meeting(self, commitment):
        """The meeting an event-triggered commitment is due at, or None while no such meeting is known.

        'The next annotated agenda of the Telecom Council' is the agenda of the first formal meeting of
        that configuration whose agenda goes out on or after the day the fiche was sent (informal
        meetings get no annotated agenda); 'the next Council meeting' is its first meeting on or after that day.
        """
        if commitment.due_meeting_id:
            return commitment.due_meeting
        if commitment.due_event not in TRIGGER_EVENTS:
            return None
        configuration_id = trigger_configuration_id(commitment)
        if configuration_id is None:
            return None
        reference = trigger_reference_date(commitment)
        for meeting in self.by_configuration.get(configuration_id, ()):
            if commitment.due_event == Commitment.DueEvent.ANNOTATED_AGENDA:
                if meeting.is_formal and meeting.date - annotated_agenda_lead() >= reference:
                    return meeting
            elif meeting.date >= reference:
                return meeting
        return None

    def due_date(self, commitment):
        """The date a commitment is due: its own date, else the date its event resolves to, else None."""
        if commitment.due_date:
            return commitment.due_date
        meeting = self.next_meeting(commitment)
        return due_date_at_meeting(commitment, meeting) if meeting else None

    def upcoming(self, on, configuration_ids=None, limit=None):
        rows = [m for meetings in self.by_configuration.values() for m in meetings if m.date >= on]
        if configuration_ids is not None:
            rows = [m for m in rows if m.configuration_id in configuration_ids]
        rows.sort(key=lambda m: (m.date, m.configuration.code))
        return rows[:limit] if limit else rows


@dataclass
class Row:
    """A commitment with what follow-up derives for it."""

    commitment: Commitment
    due: date | None
    meeting: CouncilMeeting | None
    today: date

    @property
    def ministry(self):
        return self.commitment.responsible_ministry

    @property
    def is_open(self):
        return self.commitment.is_open

    @property
    def is_overdue(self):
        return self.is_open and self.due is not None and self.due < self.today

    @property
    def days_left(self):
        return (self.due - self.today).days if self.due else None

    @property
    def days_overdue(self):
        return (self.today - self.due).days if self.is_overdue else None

    @property
    def is_due_soon(self):
        return self.is_open and self.due is not None and self.today <= self.due <= self.today + timedelta(days=DUE_SOON_DAYS)

    @property
    def is_event_triggered(self):
        return self.commitment.due_event in TRIGGER_EVENTS and not self.commitment.due_date

    @property
    def awaits_meeting_date(self):
        return self.is_event_triggered and self.meeting is None

    @property
    def is_at_upcoming_meeting(self):
        return self.is_open and self.is_event_triggered and (self.meeting is None or self.meeting.date >= self.today)

    @property
    def is_vague(self):
        return self.commitment.is_vague

    @property
    def history(self):
        return getattr(self.commitment, "history_rows", [])

    @property
    def proposed_due_date(self):
        """The most recent new deadline set in the history (the 'proposed new deadline' of the rappel)."""
        for change in reversed(self.history):
            if change.new_due_date:
                return change.new_due_date
        return None


def rows_for(commitments, schedule, today):
    return [Row(c, schedule.due_date(c), schedule.next_meeting(c), today) for c in commitments]


def sort_key(row):
    return (row.due is None, row.due or date.max, row.commitment.fiche.kamerstuk, row.commitment.position)


@dataclass
class MinistryCounts:
    ministry: object
    open: int = 0
    overdue: int = 0
    due_soon: int = 0
    at_meeting: int = 0
    vague: int = 0


@dataclass
class Overview:
    today: date
    overdue: list = field(default_factory=list)
    due_soon: list = field(default_factory=list)
    at_meeting: list = field(default_factory=list)
    vague: list = field(default_factory=list)
    later: list = field(default_factory=list)
    closed: list = field(default_factory=list)
    per_ministry: list = field(default_factory=list)

    @property
    def open_count(self):
        return sum(c.open for c in self.per_ministry)


# Row property -> dashboard group and per-ministry tally of the same name.
GROUPS = (("is_overdue", "overdue"), ("is_due_soon", "due_soon"), ("is_at_upcoming_meeting", "at_meeting"), ("is_vague", "vague"))


def overview(rows, today):
    """Group rows for the dashboard. A row can be both due soon and at an upcoming meeting; 'later'
    holds the open rows in no other group, so every open commitment shows up at least once."""
    result = Overview(today=today)
    counts = OrderedDict()
    for row in sorted(rows, key=sort_key):
        if not row.is_open:
            result.closed.append(row)
            continue
        ministry = row.ministry
        key = ministry.pk if ministry else None
        if key not in counts:
            counts[key] = MinistryCounts(ministry=ministry)
        tally = counts[key]
        tally.open += 1
        # A commitment can stand in several groups (overdue and due at a meeting, say); "later" holds the rest.
        buckets = [bucket for test, bucket in GROUPS if getattr(row, test)]
        for bucket in buckets:
            getattr(result, bucket).append(row)
            setattr(tally, bucket, getattr(tally, bucket) + 1)
        if not buckets:
            result.later.append(row)
    result.per_ministry = sorted(counts.values(), key=lambda c: (c.ministry is None, c.ministry.name if c.ministry else ""))
    return result


# Cofinancing -------------------------------------------------------------------------------------


@dataclass
class BudgetLine:
    budget: CofinancingBudget
    total: Decimal
    committed: Decimal
    remaining: Decimal
    priorities: list
    unpriced_priorities: int

    @property
    def committed_share(self):
        return (self.committed / self.total * 100) if self.total else None


@dataclass
class Total:
    label: str
    key: str
    total: Decimal = Decimal(0)
    committed: Decimal = Decimal(0)
    remaining: Decimal = Decimal(0)
    budgets: int = 0

    def add(self, line):
        self.total += line.total
        self.committed += line.committed
        self.remaining += line.remaining
        self.budgets += 1


@dataclass
class CofinancingOverview:
    lines: list
    per_ministry: list
    per_programme: list
    grand_total: Total


def tracked_budgets(user):
    """Budgets announced in fiches sent to parliament (drafts promise no money yet), as ``user`` may see them:
    the same rule as ``tracked_commitments``."""
    tracked = CofinancingBudget.objects.filter(fiche__status=Fiche.Status.PUBLISHED)
    return tracked if user is ALL_READERS else visible_rows(user, tracked)


def cofinancing_overview(budgets):
    """Per budget: total, committed to priorities, remaining; totals per ministry and per programme.

    ``budgets`` is a queryset; it is loaded with its fiche, ministry and priorities in two queries.
    """
    budgets = budgets.select_related("fiche", "ministry").prefetch_related("priorities").order_by("ministry__name", "programme", "pk")
    lines = []
    per_ministry = OrderedDict()
    per_programme = OrderedDict()
    grand = Total(label="", key="")
    for budget in budgets:
        priorities = list(budget.priorities.all())
        committed = sum((p.amount for p in priorities if p.amount is not None), start=Decimal(0))
        line = BudgetLine(
            budget=budget,
            total=budget.amount,
            committed=committed,
            remaining=budget.amount - committed,
            priorities=priorities,
            unpriced_priorities=sum(1 for p in priorities if p.amount is None),
        )
        lines.append(line)
        ministry_total = per_ministry.setdefault(budget.ministry_id, Total(label=budget.ministry.name, key=budget.ministry.code))
        ministry_total.add(line)
        programme_total = per_programme.setdefault(budget.programme_code.upper(), Total(label=budget.programme, key=budget.programme_code.upper()))
        programme_total.add(line)
        grand.add(line)
    return CofinancingOverview(
        lines=lines,
        per_ministry=list(per_ministry.values()),
        per_programme=sorted(per_programme.values(), key=lambda t: t.key),
        grand_total=grand,
    )


# Half-yearly report ------------------------------------------------------------------------------


def half_year(on):
    """(first day, last day, label) of the half year that holds ``on``."""
    if on.month <= 6:
        return date(on.year, 1, 1), date(on.year, 6, 30), f"{on.year}-1"
    return date(on.year, 7, 1), date(on.year, 12, 31), f"{on.year}-2"


def parse_half_year(label):
    """'2026-2' -> (2026-07-01, 2026-12-31, '2026-2'); ValueError for anything else."""
    year_text, _dash, half_text = (label or "").partition("-")
    if not (year_text.isdigit() and len(year_text) == 4 and half_text in ("1", "2")):
        raise ValueError(label)
    return half_year(date(int(year_text), 1 if half_text == "1" else 7, 1))


@dataclass
class Report:
    ministry: object
    on: date
    period_start: date
    period_end: date
    period_label: str
    overdue: list
    upcoming: list
    undated: list
    closed_in_period: list
    cofinancing: CofinancingOverview

    @property
    def open_rows(self):
        return self.overdue + self.upcoming + self.undated

    @property
    def open_count(self):
        return len(self.open_rows)

    @property
    def all_rows(self):
        return [("overdue", r) for r in self.overdue] + [("upcoming", r) for r in self.upcoming] + [
            ("undated", r) for r in self.undated
        ] + [("closed", r) for r in self.closed_in_period]


def settled_between(row, start, end):
    """Whether a closed commitment was settled in [start, end]: by a closing status change, or (for rows
    recorded as fulfilled without a change, as imported data is) by the date of its evidence."""
    closing = [timezone.localdate(c.changed_at) for c in row.history if c.to_status in Commitment.CLOSED_STATUSES]
    if closing:
        return start <= closing[-1] <= end
    evidence_date = row.commitment.evidence_date
    return evidence_date is not None and start <= evidence_date <= end


def ministry_report(ministry, period_label=None, today=None, *, user=ALL_READERS):
    """The half-yearly 'rappel' of one ministry: open commitments (overdue first) with their history and
    proposed new deadlines, what was settled in the half year, and the ministry's cofinancing.

    Pages and CSVs pass the reader as ``user``: a fiche still under embargo shows only to its own
    ministries and the roles that see all (the default, ``ALL_READERS``, is for scripts and tests).

    Statuses are today's; the half year chooses which settled commitments are listed and the
    reference date for 'overdue' (its last day, or today while it runs).
    """
    today = today or timezone.localdate()
    if period_label:
        start, end, label = parse_half_year(period_label)
    else:
        start, end, label = half_year(today)
    on = min(end, today)
    lineage = lineage_ids([ministry])
    commitments = with_follow_up_relations(tracked_commitments(user).for_ministries(lineage)).prefetch_related(history_prefetch())
    rows = sorted(rows_for(commitments, MeetingSchedule(), on), key=sort_key)
    overdue, upcoming, undated, closed = [], [], [], []
    for row in rows:
        if row.is_open:
            if row.due is None:
                undated.append(row)
            elif row.due < on:
                overdue.append(row)
            else:
                upcoming.append(row)
        elif settled_between(row, start, end):
            closed.append(row)
    return Report(
        ministry=ministry,
        on=on,
        period_start=start,
        period_end=end,
        period_label=label,
        overdue=overdue,
        upcoming=upcoming,
        undated=undated,
        closed_in_period=closed,
        cofinancing=cofinancing_overview(tracked_budgets(user).filter(ministry__in=lineage)),
    )
