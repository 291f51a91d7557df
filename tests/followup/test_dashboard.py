import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from positions.models import Commitment
from proposals.models import CouncilMeeting

from . import builders as b

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def officer():
    return b.staff("opvolger", ministries=[b.ezk()])


def populate(n, today):
    """n commitments of each sort, for two ministries, with history; plus budgets with priorities."""
    ezk, fin = b.ezk(), b.fin()
    fiche = b.fiche(lead_ministry=ezk, sent_on=today - datetime.timedelta(days=60))
    other = b.fiche(lead_ministry=fin, council_configuration=b.ecofin(), sent_on=today - datetime.timedelta(days=60))
    for i in range(n):
        b.commitment(fiche, summary=f"Verlopen {i}", due_date=today - datetime.timedelta(days=i + 1))
        b.commitment(fiche, summary=f"Binnenkort {i}", due_date=today + datetime.timedelta(days=i + 1), kind=Commitment.Kind.INFORM)
        b.commitment(other, summary=f"Bij de Raad {i}", due_event=Commitment.DueEvent.ANNOTATED_AGENDA)
        b.commitment(other, summary=f"Vaag {i}")
        b.commitment(fiche, summary=f"Later {i}", due_date=today + datetime.timedelta(days=100 + i))
        done = b.commitment(fiche, summary=f"Voldaan {i}", status=Commitment.Status.FULFILLED, evidence_reference="Kamerstuk 22 112, nr. 3942")
        done.status_changes.create(from_status="open", to_status="fulfilled", note="Geleverd.", evidence_reference="Kamerstuk 22 112, nr. 3942")
        b.budget(fiche, code=f"P{i}", amount="1000000.00", priorities=[("Onderwerp A", "250000.00"), ("Onderwerp B", None)])
    CouncilMeeting.objects.get_or_create(configuration=b.ecofin(), date=today + datetime.timedelta(days=40))
    return fiche, other


class DashboardTests:
    def test_it_groups_open_commitments_and_flags_vague_ones(self, client, officer):
        populate(1, datetime.date.today())
        client.force_login(officer)
        response = client.get(reverse("followup:dashboard"))
        groups = response.context["groups"]
        assert [r.commitment.summary for r in groups.overdue] == ["Verlopen 0"]
        assert [r.commitment.summary for r in groups.due_soon] == ["Binnenkort 0"]
        assert [r.commitment.summary for r in groups.at_meeting] == ["Bij de Raad 0"]
        assert [r.commitment.summary for r in groups.vague] == ["Vaag 0"]
        assert [r.commitment.summary for r in groups.later] == ["Later 0"]
        assert [r.commitment.summary for r in groups.closed] == ["Voldaan 0"]  # what was delivered shows too, with evidence
        assert {(t.ministry.code, t.open, t.overdue, t.vague) for t in groups.per_ministry} == {("ezk", 3, 1, 0), ("fin", 2, 0, 1)}
        page = response.content.decode()
        assert "vaag: geen datum of moment" in page
        assert "1 dag verlopen" in page
        assert "EUR 1.000.000" in page and "EUR 250.000" in page and "EUR 750.000" in page
        assert "50–75%" in page
        assert "bewijs: Kamerstuk 22 112, nr. 3942" in page

    def test_the_open_filter_leaves_out_what_is_settled(self, client, officer):
        populate(1, datetime.date.today())
        client.force_login(officer)
        groups = client.get(reverse("followup:dashboard"), {"status": "open"}).context["groups"]
        assert groups.closed == []
        assert groups.open_count == 5

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ({"ministry": "fin"}, {"Bij de Raad 0", "Vaag 0"}),
            ({"kind": "inform"}, {"Binnenkort 0"}),
            ({"status": "fulfilled"}, {"Voldaan 0"}),
            ({"configuration": "ECOFIN"}, {"Bij de Raad 0", "Vaag 0"}),
        ],
    )
    def test_filters_narrow_the_commitments(self, client, officer, query, expected):
        populate(1, datetime.date.today())
        client.force_login(officer)
        groups = client.get(reverse("followup:dashboard"), query).context["groups"]
        shown = {r.commitment.summary for rows in (groups.overdue, groups.due_soon, groups.at_meeting, groups.vague, groups.later, groups.closed)
                 for r in rows}
        assert shown == expected

    def test_the_fiche_filter_uses_the_natural_id(self, client, officer):
        _fiche, other = populate(1, datetime.date.today())
        client.force_login(officer)
        groups = client.get(reverse("followup:dashboard"), {"fiche": other.natural_id}).context["groups"]
        assert {r.commitment.fiche for r in groups.at_meeting + groups.vague} == {other}
        assert groups.overdue == []

    def test_an_unknown_filter_value_shows_an_error_instead_of_failing(self, client, officer):
        populate(1, datetime.date.today())
        client.force_login(officer)
        response = client.get(reverse("followup:dashboard"), {"ministry": "bestaat-niet", "status": "kwijt"})
        assert response.status_code == 200
        assert "Niet alle filters konden worden toegepast" in response.content.decode()

    def test_only_staff_see_it(self, client):
        response = client.get(reverse("followup:dashboard"))
        assert response.status_code == 302
        client.force_login(b.staff("burger", role=None, is_staff=False))
        assert client.get(reverse("followup:dashboard")).status_code == 403

    def test_the_number_of_queries_does_not_grow_with_the_commitments(self, client, officer, django_assert_num_queries):
        today = datetime.date.today()
        populate(2, today)
        client.force_login(officer)
        client.get(reverse("followup:dashboard"))  # warm up session and content types
        with CaptureQueriesContext(connection) as small:
            assert client.get(reverse("followup:dashboard"), {"status": "all"}).status_code == 200
        populate(6, today)
        with django_assert_num_queries(len(small.captured_queries)):
            response = client.get(reverse("followup:dashboard"), {"status": "all"})
        assert len(response.context["groups"].overdue) == 8

    def test_where_the_admin_requires_two_factor_authentication_so_does_the_dashboard(self, client, officer, settings):
        settings.FICHETRACKER_REQUIRE_2FA = True
        client.force_login(officer)
        response = client.get(reverse("followup:dashboard"))
        assert response.status_code == 302 and "login" in response["Location"]
