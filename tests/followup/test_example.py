"""The example fiche (Kamerstuk 22 112, nr. 3908) as the fixtures record it, through follow-up."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from icalendar import Calendar

from followup.tracking import ministry_report
from positions.models import Commitment
from proposals.models import Ministry

from . import builders as b


@pytest.fixture
def officer(example):
    return b.staff("opvolger", ministries=[Ministry.objects.get(code="ez")])


class ExampleFicheFollowUpTests:
    def test_the_ai_office_commitment_shows_as_fulfilled_by_another_route_with_its_evidence(self, client, officer, example):
        client.force_login(officer)
        response = client.get(reverse("followup:dashboard"), {"group": "closed"})
        assert [r.commitment.position for r in response.context["rows"]] == [1]
        page = response.content.decode()
        assert "bewijs: <a href=\"https://zoek.officielebekendmakingen.nl/kst-22112-3942.html\">Kamerstuk 22 112, nr. 3942</a>" in page
        detail = client.get(reverse("followup:commitment_detail", kwargs={"fiche": "22112-3908", "position": 1})).content.decode()
        assert "voldaan" in detail and "andere weg" in detail
        assert "Raad Vervoer, Telecommunicatie en Energie, 21 mei 2024" in detail
        assert "Kamerstuk 22 112, nr. 3942</a> (8 mei 2024)" in detail

    def test_the_other_promises_are_open_and_flagged_as_vague_under_the_ministry_of_today(self, client, officer, example):
        client.force_login(officer)
        response = client.get(reverse("followup:dashboard"))
        tallies = response.context["tallies"]
        assert response.context["group"] == "vague" and len(response.context["rows"]) == 8
        assert tallies.open_count == 8
        # EZK (2017-2024) led the fiche; EZ carries its work on since 2024.
        assert [(t.ministry.code, t.open, t.vague) for t in tallies.per_ministry] == [("ez", 8, 8)]
        assert "was EZK 2017–2024" in response.content.decode()

    def test_the_digital_budget_appears_with_its_four_topics_in_dutch_notation(self, client, officer, example):
        client.force_login(officer)
        response = client.get(reverse("followup:dashboard"))
        (total,) = response.context["cofinancing"]
        assert (total.key, total.total, total.committed, total.budgets) == ("ez", Decimal("75000000.00"), 0, 1)
        assert "EUR 75.000.000" in response.content.decode()
        report = client.get(reverse("followup:report", kwargs={"code": "ez"}))
        (line,) = report.context["report"].cofinancing.lines
        assert [p.topic for p in line.priorities] == [
            "Dataruimten voor energie", "Dataruimten voor de maakindustrie", "Een Europees open-source foundation model",
            "ALT-EDIC (Alliantie voor taaltechnologieën)",
        ]
        assert line.unpriced_priorities == 4 and line.remaining == line.total
        page = report.content.decode()
        assert "EUR 75.000.000" in page and "75 miljoen" in page and "50–75%" in page
        assert "4 geprioriteerde onderwerpen zonder eigen bedrag in het fiche" in page

    def test_the_report_of_the_first_half_of_2024_lists_the_delivery_and_the_budget(self, client, officer, example):
        report = ministry_report(Ministry.objects.get(code="ez"), "2024-1")
        assert [r.commitment.position for r in report.closed_in_period] == [1]
        assert report.open_count == len(report.undated) == 8
        assert report.cofinancing.grand_total.total == Decimal("75000000.00")
        client.force_login(officer)
        page = client.get(reverse("followup:report", kwargs={"code": "ezk"}), {"periode": "2024-1"}).content.decode()
        assert "Kamerstuk 22 112, nr. 3942 (8 mei 2024)" in page
        assert "EUR 75.000.000" in page
        rows = list(csv.DictReader(io.StringIO(
            client.get(reverse("followup:report_cofinancing_csv", kwargs={"code": "ezk"})).content.decode("utf-8-sig"))))
        assert rows[0]["budget (EUR)"] == "75000000.00" and rows[0]["budget"] == "EUR 75.000.000"

    def test_the_public_calendar_carries_the_ai_office_deadline_and_the_telecom_council(self, client, example):
        calendar = Calendar.from_ical(client.get(reverse("followup:public_calendar")).content)
        uids = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
        event = uids["toezegging-22112-3908-1@fichetracker"]
        assert str(event["summary"]).startswith("Toezegging (voldaan): Inhoudelijke beoordeling")
        assert event["dtstart"].dt == Commitment.objects.get(fiche=example, position=1).effective_due_date
        assert any(uid.startswith("raad-tte-") for uid in uids)
