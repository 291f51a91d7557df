import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from followup.services import commitment_set_status
from positions.models import Commitment, CommitmentStatusChange, Fiche
from tests.positions.conftest import make_fiche
from tests.positions.formdata import form_data

from . import builders as b

pytestmark = pytest.mark.django_db

EVIDENCE_MESSAGE = "Een (deels) voldane toezegging heeft bewijs nodig"


@pytest.fixture
def officer():
    return b.staff("opvolger", ministries=[b.ezk()])


@pytest.fixture
def commitment():
    return b.commitment(b.fiche(lead_ministry=b.ezk()), summary="Beoordeling AI Office naar de Kamer", due_date=datetime.date(2024, 5, 14))


def url(c):
    return reverse("followup:commitment_detail", kwargs={"fiche": c.fiche.natural_id, "position": c.position})


class StatusChangeServiceTests:
    @pytest.mark.parametrize("status", [Commitment.Status.FULFILLED, Commitment.Status.PARTLY_FULFILLED])
    def test_fulfilled_without_evidence_is_refused_with_a_clear_message_and_nothing_changes(self, officer, commitment, status):
        with pytest.raises(ValidationError) as error:
            commitment_set_status(commitment=commitment, to_status=status, by=officer, note="Geleverd.")
        assert EVIDENCE_MESSAGE in error.value.message_dict["evidence_reference"][0]
        assert "Kamerstuk 22 112, nr. 3942" in error.value.message_dict["evidence_reference"][0]
        commitment.refresh_from_db()
        assert commitment.status == Commitment.Status.OPEN
        assert not CommitmentStatusChange.objects.exists()

    def test_a_note_is_required(self, officer, commitment):
        with pytest.raises(ValidationError) as error:
            commitment_set_status(commitment=commitment, to_status=Commitment.Status.LAPSED, by=officer, note="  ")
        assert error.value.message_dict["note"] == ["Geef een toelichting bij de wijziging."]

    def test_fulfilled_with_evidence_is_kept_with_who_and_when(self, officer, commitment):
        change = commitment_set_status(
            commitment=commitment, to_status=Commitment.Status.FULFILLED, by=officer,
            note="Geleverd via het schriftelijk overleg in plaats van de geannoteerde agenda.",
            evidence_reference="Kamerstuk 22 112, nr. 3942", evidence_date=datetime.date(2024, 5, 8),
        )
        commitment.refresh_from_db()
        assert commitment.status == Commitment.Status.FULFILLED
        assert commitment.evidence_reference == "Kamerstuk 22 112, nr. 3942"
        assert commitment.evidence_date == datetime.date(2024, 5, 8)
        assert (change.from_status, change.to_status, change.changed_by) == (Commitment.Status.OPEN, Commitment.Status.FULFILLED, officer)
        assert commitment.history.first().history_user == officer

    def test_a_link_is_evidence_too(self, officer, commitment):
        commitment_set_status(commitment=commitment, to_status=Commitment.Status.PARTLY_FULFILLED, by=officer, note="Deels.",
                              evidence_url="https://zoek.officielebekendmakingen.nl/kst-22112-3942.html")
        commitment.refresh_from_db()
        assert commitment.status == Commitment.Status.PARTLY_FULFILLED

    def test_a_new_deadline_replaces_the_due_date_and_is_recorded(self, officer, commitment):
        change = commitment_set_status(commitment=commitment, to_status=Commitment.Status.OPEN, by=officer, note="Uitgesteld tot na de zomer.",
                                       new_due_date=datetime.date(2027, 3, 1))
        commitment.refresh_from_db()
        assert commitment.due_date == datetime.date(2027, 3, 1)
        assert change.new_due_date == datetime.date(2027, 3, 1)

    def test_a_change_that_changes_nothing_is_refused(self, officer, commitment):
        with pytest.raises(ValidationError, match="Er verandert niets"):
            commitment_set_status(commitment=commitment, to_status=Commitment.Status.OPEN, by=officer, note="Niets.")

    def test_an_officer_of_another_ministry_may_not_change_it(self, commitment):
        stranger = b.staff("fin-opvolger", ministries=[b.fin()])
        with pytest.raises(PermissionDenied):
            commitment_set_status(commitment=commitment, to_status=Commitment.Status.LAPSED, by=stranger, note="Vervallen.")


class StatusChangePageTests:
    def test_the_page_shows_the_form_and_the_history(self, client, officer, commitment):
        commitment_set_status(commitment=commitment, to_status=Commitment.Status.OPEN, by=officer, note="Nieuwe termijn afgesproken.",
                              new_due_date=datetime.date(2027, 1, 15))
        client.force_login(officer)
        page = client.get(url(commitment)).content.decode()
        assert "Beoordeling AI Office naar de Kamer" in page
        assert "Nieuwe termijn afgesproken." in page
        assert "Opvolger" in page  # who
        assert "15 januari 2027" in page
        assert 'name="note"' in page

    def test_posting_fulfilled_without_evidence_shows_the_message_and_saves_nothing(self, client, officer, commitment):
        client.force_login(officer)
        response = client.post(url(commitment), {"to_status": Commitment.Status.FULFILLED, "note": "Geleverd."})
        assert response.status_code == 400
        assert EVIDENCE_MESSAGE in response.content.decode()
        commitment.refresh_from_db()
        assert commitment.status == Commitment.Status.OPEN

    def test_posting_with_evidence_records_the_change_and_redirects(self, client, officer, commitment):
        client.force_login(officer)
        response = client.post(url(commitment), {"to_status": Commitment.Status.FULFILLED, "note": "Geleverd.",
                                                  "evidence_reference": "Kamerstuk 22 112, nr. 3942"})
        assert response.status_code == 302
        commitment.refresh_from_db()
        assert commitment.status == Commitment.Status.FULFILLED
        page = client.get(url(commitment)).content.decode()
        assert "De wijziging is vastgelegd." in page
        assert "Kamerstuk 22 112, nr. 3942" in page

    def test_a_deadline_in_the_past_is_refused(self, client, officer, commitment):
        client.force_login(officer)
        response = client.post(url(commitment), {"to_status": Commitment.Status.OPEN, "note": "Terug in de tijd.", "new_due_date": "2020-01-01"})
        assert response.status_code == 400
        assert "De nieuwe uiterste datum ligt in het verleden." in response.content.decode()

    def test_staff_of_another_ministry_see_the_history_but_cannot_post(self, client, commitment):
        stranger = b.staff("fin-opvolger", ministries=[b.fin()])
        client.force_login(stranger)
        page = client.get(url(commitment)).content.decode()
        assert 'name="note"' not in page
        assert client.post(url(commitment), {"to_status": Commitment.Status.LAPSED, "note": "Weg ermee."}).status_code == 403
        commitment.refresh_from_db()
        assert commitment.status == Commitment.Status.OPEN

    def test_anonymous_visitors_are_sent_to_the_login_and_non_staff_get_403(self, client, commitment):
        response = client.get(url(commitment))
        assert response.status_code == 302 and "login" in response["Location"]
        client.force_login(b.staff("burger", role=None, is_staff=False))
        assert client.get(url(commitment)).status_code == 403

    def test_commitments_of_draft_fiches_are_not_tracked(self, client, officer):
        draft = b.commitment(b.draft_fiche(lead_ministry=b.ezk()))
        client.force_login(officer)
        assert client.get(url(draft)).status_code == 404


@pytest.fixture
def admin_user():
    return b.staff("beheerder", role=None, superuser=True)


def admin_url(name, *args):
    return reverse(f"admin:positions_{name}", args=args)


class StatusOnlyThroughTheServiceTests:
    """Status and evidence change only through the follow-up form (commitment_set_status), which keeps a
    CommitmentStatusChange; the admin shows them read-only and links to that form."""

    def test_posting_a_changed_status_through_the_admin_change_form_changes_only_the_other_fields(self, client, admin_user, commitment):
        client.force_login(admin_user)
        data = form_data(client.get(admin_url("commitment_change", commitment.pk)).content.decode(), "commitment_form")
        data.update(summary=["Een nieuwe samenvatting"], status=[Commitment.Status.FULFILLED], evidence_reference=["Kamerstuk 22 112, nr. 3942"],
                    evidence_url=["https://example.org/bewijs"], evidence_note=["Via de admin."], evidence_date=["2026-01-01"])
        response = client.post(admin_url("commitment_change", commitment.pk), data)
        assert response.status_code == 302, response.content.decode()[:2000]
        commitment.refresh_from_db()
        assert commitment.summary == "Een nieuwe samenvatting"
        assert commitment.status == Commitment.Status.OPEN
        assert (commitment.evidence_reference, commitment.evidence_url, commitment.evidence_note, commitment.evidence_date) == ("", "", "", None)
        assert not CommitmentStatusChange.objects.exists()

    def test_the_admin_shows_status_and_evidence_read_only_with_a_link_to_the_follow_up_form(self, client, admin_user, commitment):
        client.force_login(admin_user)
        html = client.get(admin_url("commitment_change", commitment.pk)).content.decode()
        assert 'name="status"' not in html and 'name="evidence_url"' not in html and 'name="evidence_note"' not in html
        assert f'href="{url(commitment)}"' in html
        assert "openstaand" in html

    def test_the_commitment_inline_on_the_fiche_form_does_not_change_the_status(self, client, admin_user):
        fiche = make_fiche(Fiche.Status.DRAFT, ministry=b.ezk())
        inline = b.commitment(fiche, summary="In het fiche", position=1)
        client.force_login(admin_user)
        html = client.get(admin_url("fiche_change", fiche.pk)).content.decode()
        data = form_data(html, "fiche_form")
        data.update({"commitments-0-summary": ["Aangepast in het fiche"], "commitments-0-status": [Commitment.Status.LAPSED],
                     "commitments-0-evidence_reference": ["Kamerstuk 22 112, nr. 3942"]})
        response = client.post(admin_url("fiche_change", fiche.pk), data)
        assert response.status_code == 302, response.content.decode()[:2000]
        inline.refresh_from_db()
        assert (inline.summary, inline.status, inline.evidence_reference) == ("Aangepast in het fiche", Commitment.Status.OPEN, "")
        assert 'name="commitments-0-summary"' in html and 'name="commitments-0-status"' not in html
        assert "zodra het fiche is gepubliceerd" in html  # no follow-up form for a draft's commitments yet

    def test_the_follow_up_links_of_the_fiche_form_cost_no_query_per_commitment(self, client, admin_user):
        fiche = make_fiche(Fiche.Status.PUBLISHED, ministry=b.ezk(), kamerstuk="22112-4444", sent_on=datetime.date(2024, 3, 1))
        b.commitment(fiche, position=1)
        client.force_login(admin_user)
        page = admin_url("fiche_change", fiche.pk)
        client.get(page)
        with CaptureQueriesContext(connection) as one:
            client.get(page)
        for position in range(2, 6):
            b.commitment(fiche, position=position)
        with CaptureQueriesContext(connection) as five:
            html = client.get(page).content.decode()
        assert len(five) == len(one)
        assert html.count('href="/opvolging/toezeggingen/') == 5

    def test_a_commitment_created_in_the_admin_starts_open(self, client, admin_user):
        fiche = make_fiche(Fiche.Status.DRAFT, ministry=b.ezk())
        client.force_login(admin_user)
        data = form_data(client.get(admin_url("commitment_add")).content.decode(), "commitment_form")
        data.update(fiche=[str(fiche.pk)], position=["1"], quote=["Het kabinet zal de Kamer informeren."], summary=["Kamer informeren"],
                    kind=[Commitment.Kind.INFORM], status=[Commitment.Status.FULFILLED], evidence_reference=["Kamerstuk 22 112, nr. 3942"])
        response = client.post(admin_url("commitment_add"), data)
        assert response.status_code == 302, response.content.decode()[:2000]
        created = Commitment.objects.get(fiche=fiche)
        assert (created.summary, created.status, created.evidence_reference) == ("Kamer informeren", Commitment.Status.OPEN, "")

    def test_restoring_an_earlier_version_in_the_admin_keeps_the_status_the_follow_up_set(self, client, admin_user, officer, commitment):
        first_version = commitment.history.earliest()
        commitment.summary = "Later anders samengevat"
        commitment.save()
        commitment_set_status(commitment=commitment, to_status=Commitment.Status.FULFILLED, by=officer, note="Geleverd.",
                              evidence_reference="Kamerstuk 22 112, nr. 3942")
        client.force_login(admin_user)
        revert_url = admin_url("commitment_simple_history", commitment.pk, first_version.history_id)
        data = form_data(client.get(revert_url).content.decode(), "historicalcommitment_form")
        response = client.post(revert_url, data)
        assert response.status_code == 302, response.content.decode()[:2000]
        commitment.refresh_from_db()
        assert commitment.summary == "Beoordeling AI Office naar de Kamer"  # the version is restored...
        assert (commitment.status, commitment.evidence_reference) == (Commitment.Status.FULFILLED, "Kamerstuk 22 112, nr. 3942")  # ...not its status
        assert CommitmentStatusChange.objects.filter(commitment=commitment).count() == 1

    def test_a_change_through_the_follow_up_form_reaches_the_history_the_dossier_feed_and_the_api(self, client, officer, commitment):
        client.force_login(officer)
        response = client.post(url(commitment), {"to_status": Commitment.Status.FULFILLED, "note": "Geleverd via een Kamerbrief.",
                                                  "evidence_reference": "Kamerstuk 22 112, nr. 3942"})
        assert response.status_code == 302
        change = CommitmentStatusChange.objects.get(commitment=commitment)
        assert (change.from_status, change.to_status, change.changed_by) == (Commitment.Status.OPEN, Commitment.Status.FULFILLED, officer)
        client.logout()
        document = commitment.fiche.documents.get()
        feed = client.get(reverse("public:dossier_feed", kwargs={"reference": document.slug})).content.decode()
        assert "Toezegging voldaan: Beoordeling AI Office naar de Kamer" in feed
        assert "Geleverd via een Kamerbrief." in feed
        api = client.get(reverse("api:commitment_detail", kwargs={"kamerstuk": commitment.fiche.kamerstuk, "position": commitment.position})).json()
        assert api["status"] == Commitment.Status.FULFILLED
        assert [(c["from_status"], c["to_status"], c["note"]) for c in api["status_changes"]] == [
            (Commitment.Status.OPEN, Commitment.Status.FULFILLED, "Geleverd via een Kamerbrief.")]


class OpenStatusesTests:
    """"Openstaand" is defined once (Commitment.OPEN_STATUSES); the queryset, the instance, the follow-up
    report and the API's open count all mean the same by it."""

    def test_every_status_is_either_open_or_closed(self):
        assert set(Commitment.OPEN_STATUSES) | set(Commitment.CLOSED_STATUSES) == set(Commitment.Status)
        assert not set(Commitment.OPEN_STATUSES) & set(Commitment.CLOSED_STATUSES)

    def test_the_queryset_the_instance_and_the_api_agree_on_what_is_open(self, client):
        fiche = b.fiche(lead_ministry=b.ezk())
        for position, status in enumerate(Commitment.Status, start=1):
            evidence = "Kamerstuk 22 112, nr. 3942" if status in Commitment.EVIDENCE_STATUSES else ""
            b.commitment(fiche, position=position, status=status, evidence_reference=evidence)
        open_ids = set(Commitment.objects.open().values_list("pk", flat=True))
        assert open_ids == {c.pk for c in Commitment.objects.all() if c.is_open}
        assert {c.status for c in Commitment.objects.filter(pk__in=open_ids)} == set(Commitment.OPEN_STATUSES)
        row = client.get(reverse("api:fiche_detail", kwargs={"kamerstuk": fiche.kamerstuk})).json()
        assert (row["commitment_count"], row["open_commitment_count"]) == (len(Commitment.Status), len(Commitment.OPEN_STATUSES))
