import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from followup.models import CalendarToken
from positions.models import Commitment

from . import builders as b

pytestmark = pytest.mark.django_db

D = datetime.date


def events(response):
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return {str(e["summary"]): e for e in calendar.walk("VEVENT")}


@pytest.fixture
def data():
    ezk, fin = b.ezk(), b.fin()
    published = b.fiche(lead_ministry=ezk, sent_on=D(2026, 10, 1))
    return {
        "ezk": ezk,
        "fin": fin,
        "ezk_commitment": b.commitment(published, summary="EZK levert de beoordeling", due_date=D(2026, 12, 15)),
        "agenda": b.commitment(published, summary="Met de geannoteerde agenda", due_event=Commitment.DueEvent.ANNOTATED_AGENDA, due_configuration=b.tte()),
        "fin_commitment": b.commitment(published, summary="FIN rekent het door", due_date=D(2027, 1, 20), ministry=fin),
        "undated": b.commitment(published, summary="Zonder datum"),
        "draft": b.commitment(b.draft_fiche(lead_ministry=ezk), summary="Geheim concept", due_date=D(2026, 12, 1)),
        "embargoed": b.commitment(b.fiche(lead_ministry=ezk, public_from=timezone.now() + datetime.timedelta(days=3)), summary="Onder embargo",
                                  due_date=D(2026, 12, 2)),
        "meeting": b.meeting(b.tte(), D(2026, 12, 5)),
        "officer": b.staff("opvolger", ministries=[ezk]),
    }


class PublicCalendarTests:
    def test_it_parses_and_carries_published_commitments_and_council_meetings(self, client, data):
        found = events(client.get(reverse("followup:public_calendar")))
        assert found["Toezegging: EZK levert de beoordeling"]["dtstart"].dt == D(2026, 12, 15)
        assert found["Toezegging: EZK levert de beoordeling"]["dtend"].dt == D(2026, 12, 16)
        assert found["Toezegging: Met de geannoteerde agenda"]["dtstart"].dt == D(2026, 11, 28)  # 5 December minus seven days
        assert found["Toezegging: FIN rekent het door"]["dtstart"].dt == D(2027, 1, 20)
        assert found["Raad Vervoer, Telecommunicatie en Energie"]["dtstart"].dt == D(2026, 12, 5)
        assert "Toezegging: Zonder datum" not in found
        fiche = data["ezk_commitment"].fiche
        assert str(found["Toezegging: EZK levert de beoordeling"]["url"]).endswith(f"{fiche.get_absolute_url()}#toezegging-{data['ezk_commitment'].pk}")
        assert len({str(e["uid"]) for e in found.values()}) == len(found)

    def test_it_never_carries_drafts_or_embargoed_fiches(self, client, data):
        body = client.get(reverse("followup:public_calendar")).content.decode()
        assert "Geheim concept" not in body
        assert "Onder embargo" not in body

    def test_the_ministry_feed_carries_only_that_ministry(self, client, data):
        found = events(client.get(reverse("followup:public_ministry_calendar", kwargs={"code": "fin"})))
        assert "Toezegging: FIN rekent het door" in found
        assert "Toezegging: EZK levert de beoordeling" not in found
        assert client.get(reverse("followup:public_ministry_calendar", kwargs={"code": "bestaat-niet"})).status_code == 404

    def test_a_closed_commitment_keeps_its_event_with_its_status(self, client, data):
        c = data["ezk_commitment"]
        c.status, c.evidence_reference = Commitment.Status.FULFILLED, "Kamerstuk 22 112, nr. 3942"
        c.save()
        assert "Toezegging (voldaan): EZK levert de beoordeling" in events(client.get(reverse("followup:public_calendar")))


class StaffCalendarTests:
    def test_a_ministry_token_opens_that_ministrys_feed_including_embargoed_fiches(self, client, data):
        token = CalendarToken.objects.create(user=data["officer"], ministry=data["ezk"])
        response = client.get(token.get_absolute_url())
        assert response["Cache-Control"] == "private, no-store"
        found = events(response)
        assert "Toezegging: EZK levert de beoordeling" in found
        assert "Toezegging: Onder embargo" in found
        assert "Toezegging: FIN rekent het door" not in found
        assert "Toezegging: Geheim concept" not in found
        assert "/opvolging/toezeggingen/" in str(found["Toezegging: EZK levert de beoordeling"]["url"])

    def test_a_token_without_ministry_opens_the_feed_of_all(self, client, data):
        token = CalendarToken.objects.create(user=data["officer"])
        found = events(client.get(token.get_absolute_url()))
        assert "Toezegging: FIN rekent het door" in found and "Toezegging: EZK levert de beoordeling" in found

    def test_a_revoked_token_gets_404(self, client, data):
        token = CalendarToken.objects.create(user=data["officer"], ministry=data["ezk"])
        client.force_login(data["officer"])
        assert client.post(reverse("followup:calendar_token_revoke", kwargs={"pk": token.pk})).status_code == 302
        client.logout()
        assert client.get(token.get_absolute_url()).status_code == 404

    def test_an_unknown_token_or_one_of_a_deactivated_user_gets_404(self, client, data):
        assert client.get(reverse("followup:staff_calendar", kwargs={"token": "geraden"})).status_code == 404
        token = CalendarToken.objects.create(user=data["officer"])
        data["officer"].is_active = False
        data["officer"].save()
        assert client.get(token.get_absolute_url()).status_code == 404

    def test_staff_create_and_list_their_own_tokens_only(self, client, data):
        other = b.staff("ander", ministries=[data["fin"]])
        foreign = CalendarToken.objects.create(user=other)
        client.force_login(data["officer"])
        response = client.post(reverse("followup:calendar_tokens"), {"ministry": "ezk", "label": "agenda op kantoor"})
        assert response.status_code == 302
        token = CalendarToken.objects.get(user=data["officer"])
        assert token.ministry == data["ezk"] and len(token.token) >= 40
        page = client.get(reverse("followup:calendar_tokens")).content.decode()
        assert token.token in page and foreign.token not in page
        assert client.post(reverse("followup:calendar_token_revoke", kwargs={"pk": foreign.pk})).status_code == 404
        foreign.refresh_from_db()
        assert foreign.revoked_at is None
