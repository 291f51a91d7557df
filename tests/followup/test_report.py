import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from followup.tracking import ministry_report
from positions.models import Commitment, CommitmentStatusChange
from tests.common.spreadsheets import HOSTILE, parse, parse_dicts, shown_as_text

from . import builders as b

pytestmark = pytest.mark.django_db

D = datetime.date
OPEN = Commitment.Status.OPEN


def populate(n):
    """n of each: overdue (with a proposed new deadline in its history), upcoming, undated, settled in
    2026-2 and settled in 2026-1; an EZ budget and an EZK (predecessor) budget."""
    ezk = b.ezk()
    fiche = b.fiche(lead_ministry=ezk)
    officer = b.staff(f"opvolger{CommitmentStatusChange.objects.count()}", ministries=[ezk])
    for i in range(n):
        late = b.commitment(fiche, summary=f"Te laat {i}", due_date=D(2026, 10, 1))
        CommitmentStatusChange.objects.create(commitment=late, from_status=OPEN, to_status=OPEN, new_due_date=D(2026, 10, 1),
                                              note="Nieuwe termijn gevraagd.", changed_by=officer,
                                              changed_at=timezone.make_aware(datetime.datetime(2026, 9, 1, 10)))
        b.commitment(fiche, summary=f"Nog niet {i}", due_date=D(2027, 2, 1))
        b.commitment(fiche, summary=f"Zonder datum {i}")
        for label, when in (("nu", datetime.datetime(2026, 8, 3, 12)), ("eerder", datetime.datetime(2026, 3, 3, 12))):
            done = b.commitment(fiche, summary=f"Voldaan {label} {i}", status=Commitment.Status.FULFILLED, evidence_reference="Kamerstuk 22 112, nr. 3942")
            CommitmentStatusChange.objects.create(commitment=done, from_status=OPEN, to_status=Commitment.Status.FULFILLED, note="Geleverd.",
                                                  evidence_reference="Kamerstuk 22 112, nr. 3942", changed_by=officer,
                                                  changed_at=timezone.make_aware(when))
        b.budget(fiche, code=f"P{fiche.pk}-{i}", amount="10000000.00", priorities=[("Onderwerp A", "2500000.00"), ("Onderwerp B", "1250000.50")])
    return fiche, officer


@pytest.fixture
def officer():
    return b.staff("lezer", ministries=[b.ezk()])


class ReportTests:
    def test_open_commitments_split_into_overdue_upcoming_and_undated_and_add_up(self):
        populate(2)
        b.commitment(b.fiche(lead_ministry=b.fin()), summary="Van een ander ministerie", due_date=D(2026, 1, 1))
        report = ministry_report(b.ezk(), "2026-2", today=b.TODAY)
        assert report.on == b.TODAY
        assert [r.commitment.summary for r in report.overdue] == ["Te laat 0", "Te laat 1"]
        assert [r.commitment.summary for r in report.upcoming] == ["Nog niet 0", "Nog niet 1"]
        assert [r.commitment.summary for r in report.undated] == ["Zonder datum 0", "Zonder datum 1"]
        assert [r.commitment.summary for r in report.closed_in_period] == ["Voldaan nu 0", "Voldaan nu 1"]
        assert report.open_count == len(report.overdue) + len(report.upcoming) + len(report.undated) == 6
        assert report.open_count == Commitment.objects.open().for_ministries([b.ezk()]).count()
        assert report.overdue[0].proposed_due_date == D(2026, 10, 1)
        assert report.overdue[0].days_overdue == 56

    def test_a_past_half_year_uses_its_last_day_and_its_own_settled_commitments(self):
        populate(1)
        report = ministry_report(b.ezk(), "2026-1", today=b.TODAY)
        assert report.on == D(2026, 6, 30)
        assert [r.commitment.summary for r in report.closed_in_period] == ["Voldaan eerder 0"]
        assert [r.commitment.summary for r in report.upcoming] == ["Te laat 0", "Nog niet 0"]  # not yet overdue on 30 June

    def test_cofinancing_totals_add_up(self):
        populate(3)
        data = ministry_report(b.ezk(), today=b.TODAY).cofinancing
        assert len(data.lines) == 3
        for line in data.lines:
            assert line.committed == Decimal("3750000.50")
            assert line.committed + line.remaining == line.total
        total = data.grand_total
        assert total.total == sum(line.total for line in data.lines) == Decimal("30000000.00")
        assert total.committed + total.remaining == total.total
        assert sum(t.total for t in data.per_ministry) == sum(t.total for t in data.per_programme) == total.total

    def test_the_page_shows_history_and_proposed_deadlines(self, client, officer):
        populate(1)
        client.force_login(officer)
        page = client.get(reverse("followup:report", kwargs={"code": "ezk"}), {"periode": "2026-2"}).content.decode()
        assert "Te laat 0" in page and "Nieuwe termijn gevraagd." in page
        assert "1 oktober 2026" in page
        assert "EUR 10.000.000" in page and "EUR 1.250.000,50" in page and "EUR 6.249.999,50" in page

    def test_the_csv_has_one_row_per_listed_commitment_and_its_groups_match_the_totals(self, client, officer):
        populate(2)
        client.force_login(officer)
        response = client.get(reverse("followup:report_csv", kwargs={"code": "ezk"}), {"periode": "2026-2"})
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
        report = ministry_report(b.ezk(), "2026-2")
        assert len(rows) == report.open_count + len(report.closed_in_period)
        groups = [r["groep"] for r in rows]
        assert groups.count("verlopen") == len(report.overdue) == 2
        assert groups.count("openstaand") == len(report.upcoming)
        assert groups.count("afgehandeld in periode") == len(report.closed_in_period)
        late = next(r for r in rows if r["toezegging"] == "Te laat 0")
        assert late["dagen verlopen"] == str(report.overdue[0].days_overdue)
        assert late["voorgestelde nieuwe termijn"] == "2026-10-01"
        assert "Nieuwe termijn gevraagd." in late["geschiedenis"]

    def test_the_cofinancing_csv_totals_add_up_in_plain_and_dutch_notation(self, client, officer):
        populate(2)
        client.force_login(officer)
        response = client.get(reverse("followup:report_cofinancing_csv", kwargs={"code": "ezk"}))
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
        lines, total = rows[:-1], rows[-1]
        assert total["ministerie"] == "totaal"
        assert sum(Decimal(r["budget (EUR)"]) for r in lines) == Decimal(total["budget (EUR)"]) == Decimal("20000000.00")
        assert sum(Decimal(r["resterend (EUR)"]) for r in lines) == Decimal(total["resterend (EUR)"])
        assert total["budget"] == "EUR 20.000.000"
        assert lines[0]["EU-financiering"] == "50–75%"

    def test_an_unknown_period_is_400_with_the_expected_form_and_an_unknown_ministry_404(self, client, officer):
        client.force_login(officer)
        for name in ("report", "report_csv", "report_cofinancing_csv"):
            response = client.get(reverse(f"followup:{name}", kwargs={"code": "ezk"}), {"periode": "2026-3"})
            assert response.status_code == 400
            assert "gebruik de vorm 2026-1" in response.content.decode()
        assert client.get(reverse("followup:report", kwargs={"code": "bestaat-niet"})).status_code == 404

    def test_the_successor_ministry_reports_its_predecessors_commitments(self):
        populate(1)
        ez = b.factories.ministry(code="ez", abbreviation="EZ", name="Ministerie van Economische Zaken")
        ezk = b.ezk()
        ezk.successor = ez
        ezk.save()
        report = ministry_report(ez, "2026-2", today=b.TODAY)
        assert report.open_count == 3
        assert report.cofinancing.grand_total.total == Decimal("10000000.00")

    def test_the_number_of_queries_does_not_grow_with_the_commitments(self, client, officer, django_assert_num_queries):
        populate(1)
        client.force_login(officer)
        url = reverse("followup:report", kwargs={"code": "ezk"})
        client.get(url)
        with CaptureQueriesContext(connection) as small:
            client.get(url)
        with CaptureQueriesContext(connection) as small_csv:
            client.get(reverse("followup:report_csv", kwargs={"code": "ezk"}))
        populate(5)
        with django_assert_num_queries(len(small.captured_queries)):
            response = client.get(url)
        assert len(response.context["report"].overdue) == 6
        with django_assert_num_queries(len(small_csv.captured_queries)):
            client.get(reverse("followup:report_csv", kwargs={"code": "ezk"}))


def hostile_world(hostile):
    """A published EZK fiche whose title, commitments, staff notes, evidence and cofinancing carry ``hostile``."""
    fiche = b.fiche(lead_ministry=b.ezk(), title=hostile)
    officer = b.staff("opvolger", ministries=[b.ezk()])
    pending = b.commitment(fiche, position=1, summary=hostile, due_date=D(2099, 1, 1), due_description=hostile)
    CommitmentStatusChange.objects.create(commitment=pending, from_status=OPEN, to_status=OPEN, new_due_date=D(2099, 1, 1), note=hostile,
                                          changed_by=officer, changed_at=timezone.make_aware(datetime.datetime(2026, 9, 1, 10)))
    done = b.commitment(fiche, position=2, summary=hostile, status=Commitment.Status.FULFILLED, evidence_reference=hostile)
    CommitmentStatusChange.objects.create(commitment=done, from_status=OPEN, to_status=Commitment.Status.FULFILLED, note=hostile,
                                          evidence_reference=hostile, changed_by=officer,
                                          changed_at=timezone.make_aware(datetime.datetime(2026, 8, 3, 12)))
    b.budget(fiche, code="HOSTILE", programme=hostile, amount="10000000.00", priorities=[(hostile, "2500000.00"), ("Onderwerp B", "1250000.50")])
    b.budget(fiche, code="KLEIN", programme="Klein programma", amount="1000.00", priorities=[("Te veel", "1500.00")])
    return fiche, officer


class ReportCsvInjectionTests:
    """Titles, summaries, staff notes, evidence and programme names are data: in a spreadsheet they must
    never run as a formula. Every follow-up CSV reads back, with Python's csv module, into the expected rows."""

    @pytest.mark.parametrize("hostile", HOSTILE)
    def test_the_report_csv_quotes_every_hostile_cell_and_reads_back_into_the_expected_rows(self, client, hostile):
        fiche, officer = hostile_world(hostile)
        client.force_login(officer)
        response = client.get(reverse("followup:report_csv", kwargs={"code": "ezk"}), {"periode": "2026-2"})
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        text = shown_as_text(hostile)
        assert parse(response.content) == [
            ["groep", "kamerstuk", "fiche", "volgnummer", "toezegging", "soort", "status", "uiterste datum", "dagen verlopen", "moment",
             "voorgestelde nieuwe termijn", "bewijs", "geschiedenis"],
            ["openstaand", fiche.kamerstuk_display, text, "1", text, "aandacht vragen in Raad/EU", "openstaand", "2099-01-01", "", text,
             "2099-01-01", "", f"01-09-2026 openstaand → openstaand (nieuwe termijn 01-01-2099) door Opvolger: {hostile}"],
            ["afgehandeld in periode", fiche.kamerstuk_display, text, "2", text, "aandacht vragen in Raad/EU", "voldaan", "", "", "", "",
             text, f"03-08-2026 openstaand → voldaan door Opvolger: {hostile}"],
        ]
        assert "no-store" in response["Cache-Control"]  # staff notes stay out of shared caches

    @pytest.mark.parametrize("name", ["report_cofinancing_csv", "cofinancing_csv"])
    @pytest.mark.parametrize("hostile", HOSTILE)
    def test_the_cofinancing_csvs_quote_every_hostile_cell_and_keep_amounts_as_numbers(self, client, hostile, name):
        fiche, officer = hostile_world(hostile)
        client.force_login(officer)
        url = reverse(f"followup:{name}", kwargs={"code": "ezk"} if name == "report_cofinancing_csv" else {})
        rows = parse_dicts(client.get(url).content)
        by_code = {row["programmacode"]: row for row in rows}
        assert set(by_code) == {"HOSTILE", "KLEIN", ""}
        assert by_code["HOSTILE"] == {
            "ministerie": "EZK", "programma": shown_as_text(hostile), "programmacode": "HOSTILE", "kamerstuk fiche": fiche.kamerstuk_display,
            "budget (EUR)": "10000000.00", "budget": "EUR 10.000.000", "toegezegd aan prioriteiten (EUR)": "3750000.50",
            "toegezegd": "EUR 3.750.000,50", "resterend (EUR)": "6249999.50", "resterend": "EUR 6.249.999,50", "EU-financiering": "50–75%",
            "geprioriteerde onderwerpen": shown_as_text(f"{hostile} (EUR 2.500.000); Onderwerp B (EUR 1.250.000,50)"),
        }
        assert by_code["KLEIN"]["resterend (EUR)"] == "-500.00"  # a number, not a formula: no apostrophe
        assert (by_code[""]["ministerie"], by_code[""]["resterend (EUR)"]) == ("totaal", "6249499.50")
