"""The outcome ledger: recorded by follow-up officers of the fiche's ministries, through the fiche's workflow to
the public (dossier page, API, exports, statistics), and nothing of it public before both it and its fiche are."""

import csv
import datetime
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from outcomes import workflow
from outcomes.models import Achievement, Outcome, OutcomePoint, Vote
from positions.models import Fiche
from positions.workflow import TransitionError
from public import statistics
from tests import factories
from tests.positions.conftest import staff_user

pytestmark = pytest.mark.django_db

Status = Fiche.Status


def outcome(fiche, *, status=Status.DRAFT, points=(("Een gelijk speelveld", Achievement.ACHIEVED),), celex="32024R1689",
            vote=Vote.FOR, adopted_on=datetime.date(2024, 6, 13)):
    row = Outcome.objects.create(fiche=fiche, celex=celex, adopted_on=adopted_on, dutch_vote=vote, status=status,
                                 summary="Nederland steunde de verordening.")
    for position, (text, achieved) in enumerate(points, start=1):
        OutcomePoint.objects.create(outcome=row, position=position, point=text, achievement=achieved)
    return row


@pytest.fixture
def world():
    refs = factories.reference_rows()
    fiche = factories.fiche(title="Fiche over kunstmatige intelligentie", lead_ministry=refs["ezk"], council_configuration=refs["tte"])
    return {
        **refs,
        "fiche": fiche,
        "officer": staff_user("olga", role="follow-up officer", ministries=[refs["ezk"]]),
        "other_officer": staff_user("otto", role="follow-up officer", ministries=[refs["fin"]]),
        "coordinator": staff_user("cora", role="coordinator"),
        "publisher": staff_user("piet", role="publisher"),
        "editor": staff_user("eva", role="editor", ministries=[refs["ezk"]]),
    }


def walk_to_published(row, world):
    workflow.outcome_transition(outcome=row, to_status=Status.REVIEW, by=world["officer"])
    workflow.outcome_transition(outcome=row, to_status=Status.ADOPTED, by=world["coordinator"])
    workflow.outcome_transition(outcome=row, to_status=Status.PUBLISHED, by=world["publisher"])


class WorkflowTests:
    def test_an_outcome_goes_the_fiches_way_each_step_by_its_role(self, world):
        row = outcome(world["fiche"])
        with pytest.raises(PermissionDenied):
            workflow.outcome_transition(outcome=row, to_status=Status.REVIEW, by=world["editor"])  # editors do not record outcomes
        with pytest.raises(PermissionDenied):
            workflow.outcome_transition(outcome=row, to_status=Status.REVIEW, by=world["other_officer"])  # not their ministry
        workflow.outcome_transition(outcome=row, to_status=Status.REVIEW, by=world["officer"])
        with pytest.raises(PermissionDenied):
            workflow.outcome_transition(outcome=row, to_status=Status.ADOPTED, by=world["officer"])
        workflow.outcome_transition(outcome=row, to_status=Status.ADOPTED, by=world["coordinator"])
        with pytest.raises(TransitionError):
            workflow.outcome_transition(outcome=row, to_status=Status.DRAFT, by=world["coordinator"])  # no such step from adopted
        workflow.outcome_transition(outcome=row, to_status=Status.PUBLISHED, by=world["publisher"])
        row.refresh_from_db()
        assert row.status == Status.PUBLISHED and row.updated_by == world["publisher"]
        assert [h.status for h in row.history.order_by("history_date")][-3:] == [Status.REVIEW, Status.ADOPTED, Status.PUBLISHED]

    def test_publication_waits_for_points_and_for_the_fiche_itself(self, world):
        draft = factories.fiche(status=Status.DRAFT, lead_ministry=world["ezk"])
        row = outcome(draft, status=Status.ADOPTED, points=())
        with pytest.raises(TransitionError) as refused:
            workflow.outcome_transition(outcome=row, to_status=Status.PUBLISHED, by=world["publisher"])
        assert refused.value.messages == ["Er is nog geen punt van de Nederlandse inzet beoordeeld.",
                                          "Het fiche zelf is nog niet openbaar; een uitkomst wordt pas na het fiche gepubliceerd."]
        assert Outcome.objects.get(pk=row.pk).status == Status.ADOPTED

    def test_a_celex_number_that_is_no_adopted_act_is_refused_by_name(self, world):
        row = Outcome(fiche=world["fiche"], celex="52024PC0028", adopted_on=datetime.date(2024, 6, 13), dutch_vote=Vote.FOR)
        with pytest.raises(ValidationError) as refused:
            row.full_clean()
        assert refused.value.message_dict["celex"] == [
            "Geen CELEX-nummer van een aangenomen handeling: sector 3, jaar, soort en nummer, bijv. 32024R1689."]

    def test_an_act_cannot_be_adopted_before_the_fiche_was_sent(self, world):
        row = Outcome(fiche=world["fiche"], celex="32024R1689", adopted_on=datetime.date(2023, 1, 1), dutch_vote=Vote.FOR)
        with pytest.raises(ValidationError) as refused:
            row.full_clean()
        assert "voordat het fiche naar de Kamer ging (01-03-2024)" in refused.value.message_dict["adopted_on"][0]


class AdminTests:
    def test_an_officer_sees_their_ministries_drafts_and_only_published_others(self, client, world):
        fin_fiche = factories.fiche(title="Fiche van Financiën", lead_ministry=world["fin"])
        outcome(world["fiche"], points=(("Eigen inzet", Achievement.ACHIEVED),))
        other = outcome(fin_fiche, points=(("Inzet van Financiën", Achievement.PARTLY),))
        client.force_login(world["officer"])
        page = client.get("/admin/outcomes/outcome/").content.decode()
        assert "Fiche over kunstmatige intelligentie" in page and "Fiche van Financiën" not in page
        assert client.get(f"/admin/outcomes/outcome/{other.pk}/change/").status_code == 302  # not found: back to the list
        walk = {"officer": staff_user("fien", role="follow-up officer", ministries=[world["fin"]]), "coordinator": world["coordinator"],
                "publisher": world["publisher"]}
        walk_to_published(other, walk)
        assert "Fiche van Financiën" in client.get("/admin/outcomes/outcome/").content.decode()

    def test_an_officer_records_an_outcome_with_its_points_in_the_admin(self, client, world):
        client.force_login(world["officer"])
        response = client.post("/admin/outcomes/outcome/add/", {
            "fiche": world["fiche"].pk, "celex": "32024R1689", "adopted_on": "2024-06-13", "dutch_vote": "for", "summary": "",
            "points-TOTAL_FORMS": "1", "points-INITIAL_FORMS": "0", "points-MIN_NUM_FORMS": "0", "points-MAX_NUM_FORMS": "1000",
            "points-0-position": "1", "points-0-point": "Een risicogebaseerde aanpak", "points-0-achievement": "partly",
            "points-0-explanation": "",
        })
        assert response.status_code == 302, response.content.decode()[:2000]
        row = Outcome.objects.get()
        assert row.status == Status.DRAFT and row.updated_by == world["officer"]
        assert list(row.points.values_list("point", "achievement")) == [("Een risicogebaseerde aanpak", "partly")]

    def test_an_officer_cannot_record_an_outcome_on_another_ministrys_fiche(self, client, world):
        fin_fiche = factories.fiche(title="Fiche van Financiën", lead_ministry=world["fin"])
        client.force_login(world["officer"])
        response = client.post("/admin/outcomes/outcome/add/", {
            "fiche": fin_fiche.pk, "celex": "32024R1689", "adopted_on": "2024-06-13", "dutch_vote": "for",
            "points-TOTAL_FORMS": "0", "points-INITIAL_FORMS": "0", "points-MIN_NUM_FORMS": "0", "points-MAX_NUM_FORMS": "1000",
        })
        assert response.status_code == 200 and not Outcome.objects.exists()
        assert "Selecteer een geldige keuze" in response.content.decode()

    def test_a_published_outcome_is_read_only_even_for_its_officer(self, client, world):
        row = outcome(world["fiche"])
        walk_to_published(row, world)
        client.force_login(world["officer"])
        client.post(f"/admin/outcomes/outcome/{row.pk}/change/", {"celex": "32024R9999", "adopted_on": "2024-06-13", "dutch_vote": "against"})
        row.refresh_from_db()
        assert row.celex == "32024R1689" and row.dutch_vote == Vote.FOR


class PublicTests:
    def dossier(self, client, world):
        return client.get(world["fiche"].documents.first().get_absolute_url()).content.decode()

    def test_the_dossier_shows_the_outcome_only_once_published(self, client, world):
        row = outcome(world["fiche"], points=(("Een gelijk speelveld", Achievement.ACHIEVED), ("Minder regeldruk", Achievement.NOT_ACHIEVED)))
        for status in (Status.DRAFT, Status.REVIEW, Status.ADOPTED):
            Outcome.objects.filter(pk=row.pk).update(status=status)
            assert "Heeft Nederland zijn zin gekregen?" not in self.dossier(client, world)
            assert "Een gelijk speelveld" not in client.get("/api/v1/outcomes/").content.decode()
        Outcome.objects.filter(pk=row.pk).update(status=Status.PUBLISHED)
        page = self.dossier(client, world)
        assert "Heeft Nederland zijn zin gekregen?" in page and "32024R1689 op EUR-Lex" in page
        assert "Een gelijk speelveld" in page and "niet bereikt" in page and "✗" in page and "voor" in page

    def test_a_published_outcome_on_a_fiche_under_embargo_stays_hidden(self, client, world):
        from django.utils import timezone

        outcome(world["fiche"], status=Status.PUBLISHED)
        Fiche.objects.filter(pk=world["fiche"].pk).update(public_from=timezone.now() + datetime.timedelta(days=3))
        assert not Outcome.objects.published().exists()
        assert json.loads(client.get("/api/v1/outcomes/").content)["count"] == 0

    def test_the_api_and_the_exports_carry_the_points(self, client, world):
        outcome(world["fiche"], status=Status.PUBLISHED, vote=Vote.ABSTAINED,
                points=(("Een gelijk speelveld", Achievement.ACHIEVED), ("Minder regeldruk", Achievement.PARTLY)))
        data = json.loads(client.get("/api/v1/outcomes/?council=tte").content)
        assert data["count"] == 1
        item = data["results"][0]
        assert item["celex"] == "32024R1689" and item["dutch_vote"] == {"value": "abstained", "label": "onthouding"}
        assert [p["achievement"] for p in item["points"]] == ["achieved", "partly"]
        assert json.loads(client.get("/api/v1/outcomes/?council=ecofin").content)["count"] == 0
        assert client.get("/api/v1/outcomes/?vote=misschien").status_code == 400
        response = client.get("/uitkomsten/export.csv")
        rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
        assert [(r["fiche"], r["achieved"], r["partly_achieved"], r["dutch_vote"]) for r in rows] == [(world["fiche"].kamerstuk, "1", "1", "abstained")]
        assert rows[0]["points_text"] == "achieved: Een gelijk speelveld | partly: Minder regeldruk"
        exported = json.loads(b"".join(client.get("/uitkomsten/export.json").streaming_content))
        assert exported["count"] == 1 and exported["results"][0]["points"][1]["point"] == "Minder regeldruk"

    def test_the_openapi_document_describes_the_outcome_list(self, client, world):
        document = json.loads(client.get("/api/v1/openapi.json").content)
        parameters = {p["name"] for p in document["paths"]["/api/v1/outcomes/"]["get"]["parameters"]}
        assert {"ministry", "council", "year", "vote"} <= parameters
        assert "Outcome" in document["components"]["schemas"]


class StatisticsTests:
    def test_achievement_per_council_ministry_and_year_counts_published_points_only(self, client, world):
        outcome(world["fiche"], status=Status.PUBLISHED, adopted_on=datetime.date(2024, 6, 13),
                points=(("A", Achievement.ACHIEVED), ("B", Achievement.ACHIEVED), ("C", Achievement.NOT_ACHIEVED)))
        fin_fiche = factories.fiche(lead_ministry=world["fin"], council_configuration=world["ecofin"])
        outcome(fin_fiche, status=Status.PUBLISHED, adopted_on=datetime.date(2025, 2, 1), points=(("D", Achievement.PARTLY),))
        outcome(factories.fiche(lead_ministry=world["fin"]), status=Status.ADOPTED, points=(("E", Achievement.NOT_ACHIEVED),))  # not yet public
        figures = statistics.achievement()
        assert (figures["points"], figures["achieved"], figures["partly"], figures["rate"]) == (4, 2, 1, 50)

        def table(chart):
            return {row.label: [s.value for s in row.segments] for row in chart.rows}

        assert table(figures["council"]) == {"Raad Vervoer, Telecommunicatie en Energie": [2, 0, 1], "Raad Economische en Financiële Zaken": [0, 1, 0]}
        assert table(figures["ministry"]) == {"Economische Zaken en Klimaat": [2, 0, 1], "Financiën": [0, 1, 0]}
        assert table(figures["year"]) == {"2024": [2, 0, 1], "2025": [0, 1, 0]}
        page = client.get("/statistieken/").content.decode()
        assert "Heeft Nederland zijn zin gekregen?" in page and "Van de 4 beoordeelde punten" in page and "50%" in page


class QueryCountTests:
    def test_the_dossier_and_the_statistics_cost_the_same_for_3_or_30_outcomes(self, client, world):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        document = world["fiche"].documents.first()

        def add(count):
            for _ in range(count):
                fiche = factories.fiche(documents=[document])
                outcome(fiche, status=Status.PUBLISHED, points=(("A", Achievement.ACHIEVED), ("B", Achievement.PARTLY)))

        def measure():
            with CaptureQueriesContext(connection) as dossier:
                page = client.get(document.get_absolute_url()).content.decode()
            with CaptureQueriesContext(connection) as stats:
                figures = statistics.achievement()
            return len(dossier), len(stats), page.count('class="outcome"'), figures["points"]

        client.get(document.get_absolute_url())  # warm what does not depend on the rows
        add(3)  # a write: the dossier's cached fragments are rendered again, from the rows, at both sizes
        few = measure()
        add(27)
        many = measure()
        assert few[2:] == (3, 6) and many[2:] == (30, 60)  # every outcome rendered and counted, not served from a cache
        assert few[:2] == many[:2] and few[1] == 1
