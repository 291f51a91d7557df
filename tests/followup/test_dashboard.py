import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from followup.models import CommitmentAssignment
from positions.models import Commitment
from proposals.models import CouncilMeeting
from tests import factories

from . import builders as b

pytestmark = pytest.mark.django_db

D = datetime.date
LISTS = ("overdue", "due_soon", "at_meeting", "vague", "later", "closed")


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


def shown(client, **query):
    """{list: [summaries on its first page]} as the dashboard shows them, one request per list."""
    result = {}
    for group in LISTS:
        response = client.get(reverse("followup:dashboard"), {**query, "group": group})
        assert response.status_code == 200
        result[group] = [row.commitment.summary for row in response.context["rows"]]
    return result


class DashboardTests:
    def test_it_sorts_every_commitment_into_its_lists_and_counts_them_per_ministry(self, client, officer):
        populate(1, datetime.date.today())
        client.force_login(officer)
        assert shown(client) == {
            "overdue": ["Verlopen 0"], "due_soon": ["Binnenkort 0"], "at_meeting": ["Bij de Raad 0"], "vague": ["Vaag 0"],
            "later": ["Later 0"], "closed": ["Voldaan 0"],  # what was delivered shows too, with evidence
        }
        response = client.get(reverse("followup:dashboard"))
        tallies = response.context["tallies"]
        assert {(t.ministry.code, t.open, t.overdue, t.vague) for t in tallies.per_ministry} == {("ezk", 3, 1, 0), ("fin", 2, 0, 1)}
        assert [(key, count) for key, _title, count, _url in response.context["tabs"]] == [(key, 1) for key in LISTS]
        assert response.context["group"] == "overdue"  # the first list with something in it
        page = response.content.decode()
        assert "1 dag verlopen" in page
        assert "Ministerie van Financiën (FIN)" in page
        assert "EUR 1.000.000" in page and "EUR 250.000" in page and "EUR 750.000" in page  # cofinancing per ministry
        page = client.get(reverse("followup:dashboard"), {"group": "vague"}).content.decode()
        assert "Geef deze toezeggingen een uiterste datum of koppel ze aan een Raadsvergadering" in page
        page = client.get(reverse("followup:dashboard"), {"group": "closed"}).content.decode()
        assert "bewijs: Kamerstuk 22 112, nr. 3942" in page

    def test_the_first_list_with_rows_opens_when_none_is_chosen(self, client, officer):
        fiche = b.fiche(lead_ministry=b.ezk())
        b.commitment(fiche, summary="Zonder datum")
        client.force_login(officer)
        response = client.get(reverse("followup:dashboard"))
        assert response.context["group"] == "vague"
        assert [r.commitment.summary for r in response.context["rows"]] == ["Zonder datum"]

    def test_the_open_filter_leaves_out_what_is_settled(self, client, officer):
        populate(1, datetime.date.today())
        client.force_login(officer)
        response = client.get(reverse("followup:dashboard"), {"status": "open", "group": "closed"})
        assert response.context["rows"] == []
        assert response.context["tallies"].open_count == 5

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
        assert {summary for rows in shown(client, **query).values() for summary in rows} == expected

    def test_the_fiche_filter_uses_the_natural_id_and_shows_which_fiche(self, client, officer):
        _fiche, other = populate(1, datetime.date.today())
        client.force_login(officer)
        lists = shown(client, fiche=other.natural_id)
        assert {summary for rows in lists.values() for summary in rows} == {"Bij de Raad 0", "Vaag 0"}
        page = client.get(reverse("followup:dashboard"), {"fiche": other.natural_id}).content.decode()
        assert f"Alleen het fiche {other.kamerstuk_display}" in page
        assert f'name="fiche" value="{other.natural_id}"' in page  # it travels with the other filters

    def test_the_fiche_filter_is_no_menu_of_every_fiche(self, client, officer):
        fiches = [b.fiche(lead_ministry=b.ezk(), title=f"Fiche nummer {i}") for i in range(3)]
        client.force_login(officer)
        page = client.get(reverse("followup:dashboard")).content.decode()
        assert re.search(r'<input type="hidden" name="fiche" id="id_fiche">', page)
        assert all(f.title not in page for f in fiches)  # no menu lists them (and without commitments no row names them)

    def test_an_unknown_filter_value_shows_an_error_instead_of_failing(self, client, officer):
        populate(1, datetime.date.today())
        client.force_login(officer)
        response = client.get(reverse("followup:dashboard"), {"ministry": "bestaat-niet", "status": "kwijt", "fiche": "geen-fiche"})
        assert response.status_code == 200
        page = response.content.decode()
        assert "Niet alle filters konden worden toegepast" in page
        assert "Dit fiche bestaat niet of u mag het niet zien." in page

    def test_an_unknown_list_sort_or_page_falls_back_to_the_default(self, client, officer):
        populate(1, datetime.date.today())
        client.force_login(officer)
        response = client.get(reverse("followup:dashboard"), {"group": "kwijt", "sort": "willekeurig", "page": "999"})
        assert response.status_code == 200
        assert response.context["group"] == "overdue"
        assert [r.commitment.summary for r in response.context["rows"]] == ["Verlopen 0"]

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
        populate(30, today)
        fiche = Commitment.objects.filter(summary="Verlopen 0").first().fiche
        for commitment in fiche.commitments.all()[:10]:
            CommitmentAssignment.objects.create(commitment=commitment, officer=officer)
        with django_assert_num_queries(len(small.captured_queries)):
            response = client.get(reverse("followup:dashboard"), {"status": "all"})
        assert response.context["page_obj"].paginator.count == 32
        assert len(response.context["rows"]) == 25
        # session, user, 2x permissions, own ministries, ministries, meetings, pending triggers, open and settled counts,
        # page keys, page rows, holders, 2x cofinancing, 2 filter menus
        assert len(small.captured_queries) <= 17

    def test_where_the_admin_requires_two_factor_authentication_so_does_the_dashboard(self, client, officer, settings):
        settings.FICHETRACKER_REQUIRE_2FA = True
        client.force_login(officer)
        response = client.get(reverse("followup:dashboard"))
        assert response.status_code == 302 and "login" in response["Location"]


class PagingAndSortingTests:
    @pytest.fixture
    def sixty(self, officer):
        """60 overdue commitments of three fiches sent on different days, due 1 to 60 days ago."""
        today = datetime.date.today()
        fiches = [b.fiche(lead_ministry=b.ezk(), sent_on=D(2024 + i, 3, 1)) for i in range(3)]
        for day in range(1, 61):
            b.commitment(fiches[day % 3], summary=f"Verlopen sinds {day:02d}", due_date=today - datetime.timedelta(days=day))
        return fiches

    def test_every_list_pages_by_25_with_numbered_links(self, client, officer, sixty):
        client.force_login(officer)
        first = client.get(reverse("followup:dashboard"))
        assert len(first.context["rows"]) == 25
        assert first.context["page_obj"].numbers == [1, 2, 3]
        page = first.content.decode()
        assert 'aria-label="Paginering"' in page and "group=overdue&amp;page=3" in page
        last = client.get(reverse("followup:dashboard"), {"group": "overdue", "page": 3})
        assert len(last.context["rows"]) == 10
        seen = [r.commitment.pk for p in (1, 2, 3) for r in client.get(reverse("followup:dashboard"), {"page": p}).context["rows"]]
        assert len(seen) == len(set(seen)) == 60  # no row twice, none skipped

    @pytest.mark.parametrize(
        ("sort", "first", "last"),
        [
            ("due", "Verlopen sinds 60", "Verlopen sinds 36"),  # earliest due date first
            ("-due", "Verlopen sinds 01", "Verlopen sinds 25"),
            ("overdue", "Verlopen sinds 60", "Verlopen sinds 36"),  # most days overdue first
            ("-overdue", "Verlopen sinds 01", "Verlopen sinds 25"),
        ],
    )
    def test_lists_sort_by_due_date_and_days_overdue(self, client, officer, sixty, sort, first, last):
        client.force_login(officer)
        rows = [r.commitment.summary for r in client.get(reverse("followup:dashboard"), {"sort": sort}).context["rows"]]
        assert (rows[0], rows[-1]) == (first, last)

    def test_lists_sort_by_fiche_date_newest_or_oldest_first(self, client, officer, sixty):
        client.force_login(officer)
        newest = client.get(reverse("followup:dashboard"), {"sort": "fiche"}).context["rows"]
        oldest = client.get(reverse("followup:dashboard"), {"sort": "-fiche"}).context["rows"]
        assert {r.commitment.fiche for r in newest[:20]} == {sixty[2]}
        assert {r.commitment.fiche for r in oldest[:20]} == {sixty[0]}

    def test_days_overdue_puts_open_overdue_commitments_before_settled_ones_in_any_list(self, client, officer):
        today = datetime.date.today()
        fiche = b.fiche(lead_ministry=b.ezk())
        b.commitment(fiche, summary="Lang geleden voldaan", due_date=today - datetime.timedelta(days=400), status=Commitment.Status.FULFILLED,
                     evidence_reference="Kamerstuk 22 112, nr. 3942")
        b.commitment(fiche, summary="Open en verlopen", due_date=today - datetime.timedelta(days=3))
        client.force_login(officer)
        by_due = client.get(reverse("followup:dashboard"), {"kind": "raise", "group": "closed", "sort": "due"})
        assert [r.commitment.summary for r in by_due.context["rows"]] == ["Lang geleden voldaan"]
        from followup.tracking import list_order, tracked_commitments, with_due

        rows = with_due(tracked_commitments(officer)).order_by(*list_order("overdue", today))
        assert [c.summary for c in rows] == ["Open en verlopen", "Lang geleden voldaan"]
        assert [c.summary for c in with_due(tracked_commitments(officer)).order_by(*list_order("due", today))] == [
            "Lang geleden voldaan", "Open en verlopen"]


class HistoricMinistryTests:
    def test_ministries_of_the_same_name_are_told_apart_by_their_period(self, client, officer):
        old_ez = factories.ministry(code="ez-2012", abbreviation="EZ", name="Ministerie van Economische Zaken")
        old_ez.valid_from, old_ez.valid_until = D(2012, 11, 5), D(2017, 10, 26)
        old_ez.save()
        b.commitment(b.fiche(lead_ministry=old_ez), summary="Van het oude EZ", due_date=D(2016, 1, 1))  # no successor: its own row
        client.force_login(officer)
        page = client.get(reverse("followup:dashboard")).content.decode()
        assert "Ministerie van Economische Zaken (EZ, 2012–2017)" in page
        assert "Halfjaarrapportage EZ 2012–2017" in page
