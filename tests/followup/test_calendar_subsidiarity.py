"""Calendar feeds carry the last day of parliament's subsidiarity window for the legislative proposals of the
fiches the reader may see, with the fiche deadline and how many days of the window the fiche left."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from followup.calendar import build_calendar
from followup.models import CalendarToken
from positions.models import Commitment, Fiche
from proposals.models import CommissionDocument

from . import builders as b
from .test_calendar import events

pytestmark = pytest.mark.django_db

D = datetime.date
REGULATION = CommissionDocument.Kind.REGULATION


def regulation(reference, received_on, **fields):
    return b.factories.document(reference, received_on=received_on, kind=REGULATION, **fields)


def window_events(content):
    return {str(e["summary"]): e for e in Calendar.from_ical(content).walk("VEVENT") if "subsidiariteit" in str(e["uid"])}


class SubsidiarityWindowFeedTests:
    def test_the_event_falls_on_the_last_day_with_august_skipped_and_says_what_the_fiche_left(self):
        doc = regulation("COM(2024) 400", D(2024, 7, 10), title="Verordening over chips")
        b.fiche(documents=[doc], received_on=D(2024, 7, 10), sent_on=D(2024, 9, 1), kamerstuk="22112-3950")
        content = build_calendar(name="t", commitments=Commitment.objects.none(), fiches=Fiche.objects.published(), staff=False,
                                 today=D(2024, 12, 1))
        event = window_events(content)["Einde subsidiariteitstermijn: COM(2024) 400"]
        assert event["dtstart"].dt == D(2024, 10, 5) and event["dtend"].dt == D(2024, 10, 6)
        description = str(event["description"])
        assert "Verordening over chips" in description
        assert "Termijn BNC-fiche: 18-09-2024" in description
        assert "Kamerstuk 22 112, nr. 3950: fiche verzonden met nog 34 dagen van de termijn" in description
        assert str(event["url"]).endswith("/voorstellen/com-2024-400/")
        assert str(event["uid"]) == "subsidiariteit-com-2024-400@fichetracker"

    def test_communications_and_windows_closed_over_a_year_ago_are_left_out(self):
        b.fiche(documents=[b.factories.document("COM(2024) 401", received_on=D(2024, 7, 10), kind=CommissionDocument.Kind.COMMUNICATION)])
        b.fiche(documents=[regulation("COM(2022) 402", D(2022, 7, 10))], received_on=D(2022, 7, 10), sent_on=D(2022, 9, 1))
        content = build_calendar(name="t", commitments=Commitment.objects.none(), fiches=Fiche.objects.published(), staff=False,
                                 today=D(2024, 12, 1))
        assert window_events(content) == {}

    def test_the_public_feed_carries_published_fiches_only_and_the_staff_feed_its_own_ministrys_drafts(self, client):
        received = timezone.localdate() - datetime.timedelta(days=10)
        ezk, fin = b.ezk(), b.fin()
        b.fiche(documents=[regulation("COM(2026) 900", received)], lead_ministry=ezk, received_on=received, sent_on=received)
        b.factories.fiche(status=Fiche.Status.DRAFT, documents=[regulation("COM(2026) 901", received)], lead_ministry=ezk, received_on=received)
        b.factories.fiche(status=Fiche.Status.DRAFT, documents=[regulation("COM(2026) 902", received)], lead_ministry=fin, received_on=received)
        b.fiche(documents=[regulation("COM(2026) 903", received)], lead_ministry=ezk, received_on=received, sent_on=received,
                public_from=timezone.now() + datetime.timedelta(days=3))
        public = events(client.get(reverse("followup:public_calendar")))
        assert "Einde subsidiariteitstermijn: COM(2026) 900" in public
        for secret in ("901", "902", "903"):
            assert f"Einde subsidiariteitstermijn: COM(2026) {secret}" not in public
        officer = b.staff("opvolger", ministries=[ezk])
        staff = events(client.get(CalendarToken.objects.create(user=officer, ministry=ezk).get_absolute_url()))
        assert {"Einde subsidiariteitstermijn: COM(2026) 900", "Einde subsidiariteitstermijn: COM(2026) 901",
                "Einde subsidiariteitstermijn: COM(2026) 903"} <= set(staff)
        assert "fiche nog niet verzonden" in str(staff["Einde subsidiariteitstermijn: COM(2026) 901"]["description"])
        assert "Einde subsidiariteitstermijn: COM(2026) 902" not in staff
        assert "/admin/proposals/commissiondocument/" in str(staff["Einde subsidiariteitstermijn: COM(2026) 901"]["url"])
        fin_feed = events(client.get(reverse("followup:public_ministry_calendar", kwargs={"code": "fin"})))
        assert not any(summary.startswith("Einde subsidiariteitstermijn") for summary in fin_feed)

    def test_the_feed_costs_the_same_queries_however_many_windows(self, client, django_assert_num_queries):
        received = timezone.localdate() - datetime.timedelta(days=10)

        def add(first, n):
            for i in range(n):
                b.fiche(documents=[regulation(f"COM(2026) {first + i}", received)], received_on=received, sent_on=received)

        add(800, 1)
        with django_assert_num_queries(4) as few:
            client.get(reverse("followup:public_calendar"))
        add(810, 5)
        with django_assert_num_queries(len(few.captured_queries)):
            body = client.get(reverse("followup:public_calendar")).content.decode()
        assert body.count("Einde subsidiariteitstermijn") == 6
