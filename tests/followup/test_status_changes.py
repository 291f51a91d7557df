import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from followup.services import commitment_set_status
from positions.models import Commitment, CommitmentStatusChange

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
        response = client.post(url(commitment), {"to_status": "fulfilled", "note": "Geleverd."})
        assert response.status_code == 400
        assert EVIDENCE_MESSAGE in response.content.decode()
        commitment.refresh_from_db()
        assert commitment.status == Commitment.Status.OPEN

    def test_posting_with_evidence_records_the_change_and_redirects(self, client, officer, commitment):
        client.force_login(officer)
        response = client.post(url(commitment), {"to_status": "fulfilled", "note": "Geleverd.", "evidence_reference": "Kamerstuk 22 112, nr. 3942"})
        assert response.status_code == 302
        commitment.refresh_from_db()
        assert commitment.status == Commitment.Status.FULFILLED
        page = client.get(url(commitment)).content.decode()
        assert "De wijziging is vastgelegd." in page
        assert "Kamerstuk 22 112, nr. 3942" in page

    def test_a_deadline_in_the_past_is_refused(self, client, officer, commitment):
        client.force_login(officer)
        response = client.post(url(commitment), {"to_status": "open", "note": "Terug in de tijd.", "new_due_date": "2020-01-01"})
        assert response.status_code == 400
        assert "De nieuwe uiterste datum ligt in het verleden." in response.content.decode()

    def test_staff_of_another_ministry_see_the_history_but_cannot_post(self, client, commitment):
        stranger = b.staff("fin-opvolger", ministries=[b.fin()])
        client.force_login(stranger)
        page = client.get(url(commitment)).content.decode()
        assert 'name="note"' not in page
        assert client.post(url(commitment), {"to_status": "lapsed", "note": "Weg ermee."}).status_code == 403
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
