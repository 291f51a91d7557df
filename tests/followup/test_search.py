"""Text search over commitments (``Commitment.objects.search``): the commitment's text, its fiche's title and its
Kamerstuk number in any spelling, on the follow-up dashboard and on the public commitments list and API."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from positions.models import Commitment

from . import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    ezk = b.ezk()
    chips = b.fiche(lead_ministry=ezk, title="Europese chipsverordening", kamerstuk="22112-3908")
    water = b.fiche(lead_ministry=ezk, title="Herziening Kaderrichtlijn Water", kamerstuk="22112-39080")
    secret = b.fiche(lead_ministry=ezk, title="Geheime chipsstrategie", public_from=timezone.now() + datetime.timedelta(days=4))
    due = timezone.localdate() + datetime.timedelta(days=10)
    return {
        "leveringszekerheid": b.commitment(chips, summary="Aandacht voor leveringszekerheid", quote="Het kabinet zal aandacht vragen voor de toeleveringsketen.", due_date=due),
        "staatssteun": b.commitment(chips, summary="Kamer informeren over staatssteun", quote="Het kabinet informeert de Kamer.", due_date=due),
        "water": b.commitment(water, summary="Uitvoeringstoets microverontreinigingen", quote="Het kabinet laat de gevolgen voor de waterschappen toetsen.", due_date=due),
        "secret": b.commitment(secret, summary="Geheime toezegging over chips", due_date=due),
    }


def found(text, queryset=None):
    return {c.summary for c in (queryset if queryset is not None else Commitment.objects.all()).search(text)}


class CommitmentSearchTests:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("leveringszekerheid", {"Aandacht voor leveringszekerheid"}),  # the summary
            ("TOELEVERINGSKETEN", {"Aandacht voor leveringszekerheid"}),  # the quote, any case
            ("chipsverordening", {"Aandacht voor leveringszekerheid", "Kamer informeren over staatssteun"}),  # the fiche's title
            ("kamer staatssteun", {"Kamer informeren over staatssteun"}),  # every word must occur
            ("kamer water", set()),
            ("22 112, nr. 3908", {"Aandacht voor leveringszekerheid", "Kamer informeren over staatssteun"}),  # a Kamerstuk, any spelling
            ("Kamerstuk 22112-3908", {"Aandacht voor leveringszekerheid", "Kamer informeren over staatssteun"}),
            ("3908", {"Aandacht voor leveringszekerheid", "Kamer informeren over staatssteun"}),  # its number alone, not nr. 39080
            ("nr. 39080", {"Uitvoeringstoets microverontreinigingen"}),
            ("   ", {"Aandacht voor leveringszekerheid", "Kamer informeren over staatssteun", "Uitvoeringstoets microverontreinigingen",
                     "Geheime toezegging over chips"}),
            ("%'\x00", {"Aandacht voor leveringszekerheid", "Kamer informeren over staatssteun", "Uitvoeringstoets microverontreinigingen",
                        "Geheime toezegging over chips"}),  # no words: nothing to narrow by, and no NUL reaches SQL
            ("_", set()),  # a LIKE wildcard is searched for as itself
        ],
    )
    def test_it_finds_by_text_title_and_kamerstuk(self, world, text, expected):
        assert found(text) == expected

    def test_it_only_narrows_what_it_is_given(self, world):
        assert found("chips", Commitment.objects.published()) == {"Aandacht voor leveringszekerheid", "Kamer informeren over staatssteun"}


class DashboardSearchTests:
    def test_the_dashboard_searches_within_what_the_reader_may_see(self, client, world):
        client.force_login(b.staff("lezer", role="reader-staff", ministries=[b.fin()]))
        response = client.get(reverse("followup:dashboard"), {"q": "chips"})
        assert {r.commitment.summary for r in response.context["rows"]} == {"Aandacht voor leveringszekerheid", "Kamer informeren over staatssteun"}
        assert "Geheime" not in response.content.decode()
        assert response.context["tallies"].open_count == 2

    def test_a_kamerstuk_search_narrows_the_counts_too(self, client, world):
        client.force_login(b.staff("opvolger", ministries=[b.ezk()]))
        response = client.get(reverse("followup:dashboard"), {"q": "22 112, nr. 39080"})
        assert [r.commitment.summary for r in response.context["rows"]] == ["Uitvoeringstoets microverontreinigingen"]
        assert [(t.ministry.code, t.open) for t in response.context["tallies"].per_ministry] == [("ezk", 1)]

    def test_an_overlong_search_is_an_error_in_dutch_not_a_failure(self, client, world):
        client.force_login(b.staff("opvolger", ministries=[b.ezk()]))
        response = client.get(reverse("followup:dashboard"), {"q": "x" * 201})
        assert response.status_code == 200
        assert "Zoek met hoogstens 200 tekens; deze zoekopdracht telt er 201." in response.content.decode()


class PublicSearchTests:
    def test_the_public_commitments_list_searches_published_commitments_only(self, client, world):
        response = client.get(reverse("public:commitment_list"), {"q": "chips"})
        assert response.status_code == 200
        page = response.content.decode()
        assert "Aandacht voor leveringszekerheid" in page and "Kamer informeren over staatssteun" in page
        assert "Uitvoeringstoets microverontreinigingen" not in page and "Geheime toezegging" not in page
        assert "2 toezeggingen gevonden" in page
        assert 'name="q"' in page

    def test_the_public_list_finds_a_kamerstuk_and_shows_the_search_as_an_active_filter(self, client, world):
        page = client.get(reverse("public:commitment_list"), {"q": "22 112, nr. 39080"}).content.decode()
        assert "Uitvoeringstoets microverontreinigingen" in page and "Aandacht voor leveringszekerheid" not in page
        assert "1 toezegging gevonden" in page

    def test_the_api_takes_the_same_search(self, client, world):
        data = client.get("/api/v1/commitments/", {"q": "waterschappen"}).json()
        assert [row["summary"] for row in data["results"]] == ["Uitvoeringstoets microverontreinigingen"]
        assert client.get("/api/v1/commitments/", {"q": "geheime"}).json()["count"] == 0
