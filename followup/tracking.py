"""Reads for follow-up: which commitments are tracked, when each is due, how they group, and who follows
them up today.

Reports, reminders and a commitment's page work on lists loaded in a fixed number of queries (commitments
with their fiche and ministries, the Council meetings, the status changes) and derive in Python (``Row``).
The dashboard cannot load tens of thousands of commitments: it derives the same due dates and lists in SQL
(``with_due``, ``group_conditions``, ``tallies``) and loads only the rows of one page. Either way a page
costs the same number of queries for ten commitments as for ten thousand.
"""

import functools
import operator
from collections import OrderedDict, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    Prefetch,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Length, TruncDate
from django.utils import timezone

from positions.models import CofinancingBudget, CofinancingPriority, Commitment, CommitmentStatusChange, Fiche
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
    the reports and the staff feeds; so do the commitments read from archive fiches until a follow-up officer
    confirms them (``Commitment.confirmed``: the commitment admin's "to confirm" filter and action). A fiche sent but still under embargo is tracked, but only its own
    ministries and the roles that see all read it (``positions.permissions.visible_rows``; ``token_feed``
    for a calendar link: public plus own ministries'). ``ALL_READERS`` skips the scoping: only for the
    reminder run, which scopes per recipient. Public surfaces use ``published()``.
    """
    tracked = Commitment.objects.filter(fiche__status=Fiche.Status.PUBLISHED, confirmed=True)
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


def due_at_meeting(due_event, meeting):
    """An annotated agenda reaches parliament ANNOTATED_AGENDA_LEAD_DAYS before the meeting; other events fall on it."""
    if due_event == Commitment.DueEvent.ANNOTATED_AGENDA:
        return meeting.date - annotated_agenda_lead()
    return meeting.date


def due_date_at_meeting(commitment, meeting):
    return due_at_meeting(commitment.due_event, meeting)


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
        return self.resolve(commitment.due_event, trigger_configuration_id(commitment), trigger_reference_date(commitment))

    def resolve(self, due_event, configuration_id, reference):
        """The meeting ``due_event`` of that Council configuration resolves to for a promise made on ``reference``."""
        if due_event not in TRIGGER_EVENTS or configuration_id is None:
            return None
        for meeting in self.by_configuration.get(configuration_id, ()):
            if due_event == Commitment.DueEvent.ANNOTATED_AGENDA:
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


# In the database: the same rules as Row, as SQL -----------------------------------------------------
#
# The dashboard counts and pages tens of thousands of commitments: it cannot load them. These expressions
# derive what ``Row`` derives (due date, list) inside the query, so counts, order and pages come from the
# database and only the 25 rows of a page are loaded. They hold no correlated
# subquery: PostgreSQL prices those per row and then JIT-compiles the query (two seconds at 10,000 fiches).
# tests/followup/test_volume.py checks that SQL and Python agree.


def current_ministry_ids(successors=None):
    """{ministry pk: pk of the ministry that carries its work today} for every ministry with a successor:
    the end of its successor chain (EZ 2012-2017 -> EZK -> EZ). A loop in the data stops where it closes."""
    successors = successor_map() if successors is None else successors
    current = {}
    for pk, successor in successors.items():
        seen = {pk}
        while successor in successors and successor not in seen:
            seen.add(successor)
            successor = successors[successor]
        current[pk] = successor
    return current


def current_ministry_of(ministry_id, current):
    """The pk of the ministry that carries on ``ministry_id``'s work today (itself when nothing took it over)."""
    return current.get(ministry_id, ministry_id)


def _shifted(expression, days):
    """``expression`` (a date) plus ``days``, as a date on every database."""
    return Cast(expression + Value(timedelta(days=days)), output_field=DateField())


def pending_due_dates(queryset, schedule):
    """[(due event, Council configuration pk, reference day, due date)] for the commitments of ``queryset`` whose
    event resolves to a meeting that is not stored on them yet (``resolve_due_triggers`` stores it daily, and a
    meeting upload at once): resolved here by ``MeetingSchedule``, the reports' and reminders' own rule. One
    query over the few such rows; a meeting entered in the admin counts on the dashboard at once."""
    pending = (
        queryset.filter(due_date__isnull=True, due_meeting__isnull=True, due_event__in=TRIGGER_EVENTS)
        .annotate(pending_council=Coalesce(F("due_configuration_id"), F("fiche__council_configuration_id")),
                  pending_reference=Coalesce(F("fiche__sent_on"), TruncDate("created_at"), output_field=DateField()))
        .order_by().values_list("due_event", "pending_council", "pending_reference").distinct()
    )
    resolved = []
    for due_event, council, reference in pending:
        meeting = schedule.resolve(due_event, council, reference)
        if meeting is not None:
            resolved.append((due_event, council, reference, due_at_meeting(due_event, meeting)))
    return resolved


def due_expression(pending):
    """The date a commitment is due, as ``MeetingSchedule.due_date`` computes it: its own date, else the date of
    the meeting it is linked to (an annotated agenda ANNOTATED_AGENDA_LEAD_DAYS before), else the date its event
    resolves to (``pending``, from ``pending_due_dates``). No subquery: a plain CASE the planner prices low."""
    lead = settings.ANNOTATED_AGENDA_LEAD_DAYS
    agenda = Commitment.DueEvent.ANNOTATED_AGENDA
    by_date = defaultdict(list)
    for due_event, council, reference, due in pending:
        by_date[due].append(Q(due_event=due_event, due_council=council, due_reference=reference))
    resolved = [
        When(functools.reduce(operator.or_, conditions) & Q(due_date__isnull=True, due_meeting__isnull=True), then=Value(due))
        for due, conditions in sorted(by_date.items())
    ]
    return Case(
        When(due_date__isnull=False, then=F("due_date")),
        When(due_meeting__isnull=False, due_event=agenda, then=_shifted(F("due_meeting__date"), -lead)),
        When(due_meeting__isnull=False, then=F("due_meeting__date")),
        *resolved,
        default=None,
        output_field=DateField(),
    )


# The dashboard's lists, in the order of its tabs. Overdue, due soon and at a meeting may
# overlap (a commitment due at next week's Council is both due soon and at a meeting); "later" holds the
# open commitments in no other list, so every open commitment shows up at least once.
GROUP_KEYS = ("overdue", "due_soon", "at_meeting", "vague", "later", "closed")


def group_conditions(today):
    """{group key: Q} over a queryset with the ``due`` alias (``with_due``): the SQL form of Row's
    is_overdue, is_due_soon, is_at_upcoming_meeting and is_vague."""
    soon = today + timedelta(days=DUE_SOON_DAYS)
    lead = timedelta(days=settings.ANNOTATED_AGENDA_LEAD_DAYS)
    is_open = Q(status__in=Commitment.OPEN_STATUSES)
    triggered = Q(due_event__in=TRIGGER_EVENTS, due_date__isnull=True)
    # The meeting is today or later: its date is the due date, or the due date plus the lead for an agenda.
    meeting_ahead = (
        Q(due__isnull=True)
        | Q(due_event=Commitment.DueEvent.ANNOTATED_AGENDA, due__gte=today - lead)
        | Q(due_event=Commitment.DueEvent.COUNCIL_MEETING, due__gte=today)
    )
    return {
        "overdue": is_open & Q(due__lt=today),
        "due_soon": is_open & Q(due__gte=today, due__lte=soon),
        "at_meeting": is_open & triggered & meeting_ahead,
        "vague": is_open & Q(due_date__isnull=True, due_event=Commitment.DueEvent.NONE),
        # In none of the above: a date of its own beyond 30 days, or another kind of event (not a Council
        # meeting, so never "at a meeting") that is not due within 30 days. A triggered commitment without
        # a date of its own is at a meeting or overdue; one without date or event is vague.
        "later": is_open & (
            Q(due_date__gt=soon)
            | Q(due_date__isnull=True, due_event=Commitment.DueEvent.OTHER) & (Q(due__isnull=True) | Q(due__gt=soon))
        ),
        "closed": Q(status__in=Commitment.CLOSED_STATUSES),
    }


def with_due(queryset, pending=None):
    """``queryset`` with the alias ``due`` (the date due), for filters, counts and order.

    ``pending``: what ``pending_due_dates`` found (computed here when not given); ``due_reference`` and
    ``due_council`` (the day the promise was made and the Council of its event) identify those rows."""
    if pending is None:
        pending = pending_due_dates(queryset, MeetingSchedule())
    if pending:
        queryset = queryset.alias(
            due_reference=Coalesce(F("fiche__sent_on"), TruncDate("created_at"), output_field=DateField()),
            due_council=Coalesce(F("due_configuration_id"), F("fiche__council_configuration_id")),
        )
    return queryset.alias(due=due_expression(pending))


@dataclass
class MinistryCounts:
    """What one ministry (today's, its predecessors' commitments included) has in each list."""

    ministry: object
    open: int = 0
    overdue: int = 0
    due_soon: int = 0
    at_meeting: int = 0
    vague: int = 0
    later: int = 0
    closed: int = 0


@dataclass
class Tallies:
    per_ministry: list
    totals: MinistryCounts

    def count(self, group):
        return getattr(self.totals, group)

    @property
    def open_count(self):
        return self.totals.open


def tallies(queryset, today, ministries, current=None, pending=None):
    """Counts per list and per current ministry in two grouped queries over ``queryset`` (any filters applied):
    the open commitments with their due dates, and the settled ones, which need none. Rows are grouped by
    their own and their fiche's ministry (a few hundred pairs at most) and rolled up to today's ministry here.
    ``ministries``: {pk: Ministry} to name the rows; they come sorted by name, then those without a ministry."""
    current = current_ministry_ids() if current is None else current
    conditions = group_conditions(today)
    counts = {key: Count("pk", filter=conditions[key]) for key in GROUP_KEYS if key != "closed"}
    pairs = ("ministry_id", "fiche__lead_ministry_id")
    open_rows = with_due(queryset.open(), pending).order_by().values(*pairs).annotate(open=Count("pk"), **counts)
    closed_rows = queryset.filter(status__in=Commitment.CLOSED_STATUSES).order_by().values(*pairs).annotate(closed=Count("pk"))
    found = defaultdict(lambda: defaultdict(int))
    for row in [*open_rows, *closed_rows]:
        own, lead = row.pop("ministry_id"), row.pop("fiche__lead_ministry_id")
        tally = found[current_ministry_of(own or lead, current)]
        for key, value in row.items():
            tally[key] += value
    per_ministry, totals = [], MinistryCounts(ministry=None)
    for pk, row in found.items():
        tally = MinistryCounts(ministry=ministries.get(pk), **row)
        for key, value in row.items():
            setattr(totals, key, getattr(totals, key) + value)
        if tally.open:
            per_ministry.append(tally)
    per_ministry.sort(key=lambda t: (t.ministry is None, t.ministry.name if t.ministry else "", t.ministry.pk if t.ministry else 0))
    return Tallies(per_ministry=per_ministry, totals=totals)


# Orders of the dashboard's lists (``filters.SORTS``). Every order ends in a unique key, so pages never overlap or
# skip a row. "Days overdue" puts the open overdue commitments first (most or fewest days), then the rest by due date.
def _overdue_first(today, *, most_first):
    overdue = Q(status__in=Commitment.OPEN_STATUSES, due__lt=today)
    overdue_due = Case(When(overdue, then=F("due")), output_field=DateField())
    # Among the overdue the earliest due date is the most days overdue; the others follow by due date.
    return [
        Case(When(overdue, then=Value(0)), default=Value(1)),
        overdue_due.asc(nulls_last=True) if most_first else overdue_due.desc(nulls_last=True),
        F("due").asc(nulls_last=True),
    ]


# "22112-999" before "22112-3908": by length first, then as text.
TIE_BREAK = (Length("fiche__kamerstuk").asc(), "fiche__kamerstuk", "position", "pk")


def list_order(sort, today):
    """The ORDER BY of a list sorted by ``sort`` (a key of ``filters.SORTS``; anything else: by due date)."""
    if sort == "-due":
        return [F("due").desc(nulls_last=True), *TIE_BREAK]
    if sort == "overdue":
        return [*_overdue_first(today, most_first=True), *TIE_BREAK]
    if sort == "-overdue":
        return [*_overdue_first(today, most_first=False), *TIE_BREAK]
    if sort == "fiche":
        return [F("fiche__sent_on").desc(nulls_last=True), *TIE_BREAK]
    if sort == "-fiche":
        return [F("fiche__sent_on").asc(nulls_last=True), *TIE_BREAK]
    return [F("due").asc(nulls_last=True), *TIE_BREAK]


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


def cofinancing_totals(budgets, ministries, current=None):
    """Budget, committed and remaining per current ministry, summed in the database (two grouped queries):
    the dashboard's summary. ``cofinancing_overview`` lists the budgets themselves (reports, CSV)."""
    current = current_ministry_ids() if current is None else current
    budgets = budgets.order_by()
    by_ministry = defaultdict(lambda: {"total": Decimal(0), "committed": Decimal(0), "budgets": 0})
    for ministry_id, total, count in budgets.values("ministry_id").annotate(total=Sum("amount"), n=Count("pk")).values_list(
            "ministry_id", "total", "n"):
        row = by_ministry[current_ministry_of(ministry_id, current)]
        row["total"] += total or 0
        row["budgets"] += count
    committed = (
        CofinancingPriority.objects.filter(budget__in=budgets.values("pk"), amount__isnull=False).order_by()
        .values("budget__ministry_id").annotate(committed=Sum("amount")).values_list("budget__ministry_id", "committed")
    )
    for ministry_id, amount in committed:
        by_ministry[current_ministry_of(ministry_id, current)]["committed"] += amount or 0
    totals = []
    for pk, row in by_ministry.items():
        ministry = ministries.get(pk)
        totals.append(Total(label=ministry.name if ministry else "", key=ministry.code if ministry else "", total=row["total"],
                            committed=row["committed"], remaining=row["total"] - row["committed"], budgets=row["budgets"]))
    return sorted(totals, key=lambda t: t.label)


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
