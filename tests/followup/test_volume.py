"""Follow-up at volume: the dashboard derives due dates and lists in SQL (``tracking.with_due``,
``group_conditions``); the reminders, the reports and a commitment's page derive them in Python
(``MeetingSchedule``, ``Row``). Both must agree on every kind of commitment, and a dissolved ministry's
commitments must show under the ministry that took over its work (``current_ministry_ids``)."""

import datetime
import itertools

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from followup.tracking import (
    GROUP_KEYS,
    MeetingSchedule,
    Row,
    current_ministry_ids,
    group_conditions,
    ministry_report,
    tracked_commitments,
    with_due,
)
from positions.models import Commitment
from tests import factories

from . import builders as b

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = datetime.date.today()
OPEN, FULFILLED = Commitment.Status.OPEN, Commitment.Status.FULFILLED
AGENDA, COUNCIL, OTHER = Commitment.DueEvent.ANNOTATED_AGENDA, Commitment.DueEvent.COUNCIL_MEETING, Commitment.DueEvent.OTHER


def days(n):
    return TODAY + datetime.timedelta(days=n)


def python_groups(row):
    """The lists a row belongs to, by the Row properties the reports and reminders use."""
    found = set()
    if not row.is_open:
        return {"closed"}
    for key, test in (("overdue", "is_overdue"), ("due_soon", "is_due_soon"), ("at_meeting", "is_at_upcoming_meeting"), ("vague", "is_vague")):
        if getattr(row, test):
            found.add(key)
    return found or {"later"}


@pytest.fixture
def every_kind():
    """Commitments of every due kind around every boundary: own dates, linked meetings (past, near, far),
    unresolved triggers (with and without a meeting to resolve to, with the fiche's Council or their own),
    other events, vague ones; open, partly fulfilled and settled."""
    tte, ecofin = b.tte(), b.ecofin()
    for offset in (-20, -3, 2, 9, 20, 45):
        b.meeting(tte, days(offset))
    b.meeting(ecofin, days(12), formal=False)  # informal: no annotated agenda
    b.meeting(ecofin, days(60))
    past = b.meeting(ecofin, days(-40))
    soon = b.meeting(tte, days(5))
    far = b.meeting(tte, days(200))
    fiche = b.fiche(lead_ministry=b.ezk(), sent_on=days(-30), received_on=days(-60))
    late_fiche = b.fiche(lead_ministry=b.ezk(), sent_on=days(-1), received_on=days(-60), council_configuration=ecofin)
    orphan = b.fiche(lead_ministry=b.ezk(), sent_on=days(-1), received_on=days(-60), council_configuration=None)
    shapes = []
    for offset in (-400, -31, -1, 0, 1, 29, 30, 31, 90):
        shapes.append({"due_date": days(offset)})
        shapes.append({"due_date": days(offset), "due_event": AGENDA, "due_configuration": tte})  # own date wins over the event
    for meeting in (past, soon, far):
        shapes.append({"due_event": AGENDA, "due_meeting": meeting})
        shapes.append({"due_event": COUNCIL, "due_meeting": meeting})
        shapes.append({"due_event": OTHER, "due_meeting": meeting})
    for event in (AGENDA, COUNCIL):
        shapes.append({"due_event": event})  # the fiche's Council (TTE)
        shapes.append({"due_event": event, "due_configuration": ecofin})
        shapes.append({"due_event": event, "fiche": late_fiche})
        shapes.append({"due_event": event, "fiche": orphan})  # no Council at all: awaits a meeting
    shapes += [{"due_event": OTHER}, {"due_description": "voor de zomer"}, {}]
    made = []
    for shape, status in itertools.product(shapes, (OPEN, Commitment.Status.PARTLY_FULFILLED, FULFILLED)):
        shape = dict(shape)
        target = shape.pop("fiche", fiche)
        evidence = {"evidence_reference": "Kamerstuk 22 112, nr. 3942"} if status != OPEN else {}
        made.append(b.commitment(target, status=status, **evidence, **shape))
    return made


class SqlAgreesWithPythonTests:
    def test_due_dates_agree_for_every_kind_of_commitment(self, every_kind):
        schedule = MeetingSchedule()
        sql = dict(with_due(Commitment.objects.all()).annotate(due_on=F("due")).values_list("pk", "due_on"))
        python = {c.pk: schedule.due_date(c) for c in Commitment.objects.select_related("fiche", "due_meeting")}
        assert sql == python
        assert len(set(sql.values())) > 10 and None in sql.values()

    def test_lists_agree_for_every_kind_of_commitment(self, every_kind):
        schedule = MeetingSchedule()
        conditions = group_conditions(TODAY)
        sql = {c.pk: set() for c in every_kind}
        for key in GROUP_KEYS:
            for pk in with_due(Commitment.objects.all()).filter(conditions[key]).values_list("pk", flat=True):
                sql[pk].add(key)
        commitments = Commitment.objects.select_related("fiche", "due_meeting", "due_meeting__configuration")
        python = {c.pk: python_groups(Row(c, schedule.due_date(c), schedule.next_meeting(c), TODAY)) for c in commitments}
        assert sql == python
        assert set().union(*sql.values()) == set(GROUP_KEYS)  # the fixture reaches every list

    def test_the_annotated_agenda_lead_is_a_setting_and_both_follow_it(self, every_kind, settings):
        settings.ANNOTATED_AGENDA_LEAD_DAYS = 3
        self.test_due_dates_agree_for_every_kind_of_commitment(every_kind)


def ministry(code, abbreviation, name, start=None, end=None, successor=None):
    row = factories.ministry(code=code, abbreviation=abbreviation, name=name)
    row.valid_from, row.valid_until, row.successor = start, end, successor
    row.save()
    return row


@pytest.fixture
def lineage():
    """EZ (today) <- EZK (2017-2024) <- EZ (2012-2017), and LNV (2017-2024) -> LVVN."""
    ez = ministry("ez", "EZ", "Ministerie van Economische Zaken", D(2024, 7, 2))
    ezk = ministry("ezk", "EZK", "Ministerie van Economische Zaken en Klimaat", D(2017, 10, 26), D(2024, 7, 2), ez)
    ez2012 = ministry("ez-2012", "EZ", "Ministerie van Economische Zaken", D(2012, 11, 5), D(2017, 10, 26), ezk)
    lvvn = ministry("lvvn", "LVVN", "Ministerie van Landbouw, Visserij, Voedselzekerheid en Natuur", D(2024, 7, 2))
    lnv = ministry("lnv", "LNV", "Ministerie van Landbouw, Natuur en Voedselkwaliteit", D(2017, 10, 26), D(2024, 7, 2), lvvn)
    return {"ez": ez, "ezk": ezk, "ez-2012": ez2012, "lvvn": lvvn, "lnv": lnv}


class SuccessorRollUpTests:
    def test_every_ministry_rolls_up_to_the_end_of_its_chain_and_a_loop_stops(self, lineage):
        current = current_ministry_ids()
        assert current[lineage["ez-2012"].pk] == current[lineage["ezk"].pk] == lineage["ez"].pk
        assert current[lineage["lnv"].pk] == lineage["lvvn"].pk
        assert current_ministry_ids({1: 2, 2: 3, 3: 1}) == {1: 1, 2: 2, 3: 3}

    def test_a_dissolved_ministrys_commitment_shows_under_its_successor_on_the_dashboard(self, client, lineage):
        old = b.fiche(lead_ministry=lineage["ez-2012"], title="Fiche van het oude EZ")
        b.commitment(old, summary="Belofte uit 2016", due_date=days(-10))
        b.commitment(b.fiche(lead_ministry=lineage["lvvn"]), summary="Van LNV overgenomen", due_date=days(-5), ministry=lineage["lnv"])
        b.commitment(b.fiche(lead_ministry=lineage["ez"]), summary="Van EZ zelf", due_date=days(3))
        officer = b.staff("ez-opvolger", ministries=[lineage["ez"]])
        client.force_login(officer)
        response = client.get(reverse("followup:dashboard"))
        tallies = {t.ministry.code: (t.open, t.overdue, t.due_soon) for t in response.context["tallies"].per_ministry}
        assert tallies == {"ez": (2, 1, 1), "lvvn": (1, 1, 0)}  # no row for EZK, EZ 2012-2017 or LNV
        page = response.content.decode()
        assert "Belofte uit 2016" in page and "was EZ 2012–2017" in page
        assert page.count("Halfjaarrapportage EZ<") == 1
        # The successor's filter finds it too, and its officer may act on it.
        rows = client.get(reverse("followup:dashboard"), {"ministry": "ez", "group": "overdue"}).context["rows"]
        assert [r.commitment.summary for r in rows] == ["Belofte uit 2016"]
        assert rows[0].commitment.current_ministry == lineage["ez"]

    def test_a_dissolved_ministrys_commitment_is_in_its_successors_report(self, client, lineage):
        b.commitment(b.fiche(lead_ministry=lineage["ez-2012"]), summary="Belofte uit 2016", due_date=days(-10))
        report = ministry_report(lineage["ez"])
        assert [r.commitment.summary for r in report.overdue] == ["Belofte uit 2016"]
        client.force_login(b.staff("ez-opvolger", ministries=[lineage["ez"]]))
        assert "Belofte uit 2016" in client.get(reverse("followup:report", kwargs={"code": "ez"})).content.decode()
        assert "Belofte uit 2016" in client.get(reverse("followup:report_csv", kwargs={"code": "ez"})).content.decode("utf-8-sig")

    def test_a_dissolved_ministrys_commitment_page_names_who_follows_it_up_now(self, client, lineage):
        commitment = b.commitment(b.fiche(lead_ministry=lineage["ez-2012"]), summary="Belofte uit 2016", due_date=days(-10))
        client.force_login(b.staff("ez-opvolger", ministries=[lineage["ez"]]))
        page = client.get(reverse("followup:commitment_detail", kwargs={"fiche": commitment.fiche.natural_id, "position": commitment.position}))
        text = page.content.decode()
        assert "Ministerie van Economische Zaken (EZ, 2012–2017)<br>opgevolgd door Ministerie van Economische Zaken (EZ)" in text
        assert "Houder vastleggen" in text  # the successor's officer may act on it

    def test_the_report_of_a_historic_ministry_names_its_period(self, client, lineage):
        client.force_login(b.staff("ez-opvolger", ministries=[lineage["ez"]]))
        page = client.get(reverse("followup:report", kwargs={"code": "ez-2012"})).content.decode()
        assert "Ministerie van Economische Zaken (EZ, 2012–2017)" in page

    def test_the_cofinancing_summary_rolls_up_too(self, client, lineage):
        b.budget(b.fiche(lead_ministry=lineage["ezk"]), amount="2000000.00", priorities=[("A", "500000.00")])
        b.budget(b.fiche(lead_ministry=lineage["ez"]), code="CEF", amount="1000000.00")
        client.force_login(b.staff("ez-opvolger", ministries=[lineage["ez"]]))
        totals = client.get(reverse("followup:dashboard")).context["cofinancing"]
        assert [(t.key, t.total, t.committed, t.remaining, t.budgets) for t in totals] == [("ez", 3000000, 500000, 2500000, 2)]

    def test_tracked_commitments_still_scope_what_the_roll_up_counts(self, client, lineage):
        secret = b.fiche(lead_ministry=lineage["ez"], public_from=timezone.now() + datetime.timedelta(days=3))
        b.commitment(secret, summary="Onder embargo", due_date=days(-1))
        outsider = b.staff("fin-opvolger", ministries=[b.fin()])
        assert not tracked_commitments(outsider).exists()
        client.force_login(outsider)
        response = client.get(reverse("followup:dashboard"))
        assert response.context["tallies"].per_ministry == []
        assert "Onder embargo" not in response.content.decode()
