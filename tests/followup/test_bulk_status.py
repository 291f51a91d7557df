"""Changing the status of many commitments in one step: one note and one piece of evidence, one history row per
commitment exactly as if each was changed on its own page, and all or nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from followup.services import BULK_LIMIT, commitment_set_status, commitments_set_status
from positions.models import Commitment, CommitmentStatusChange

from . import builders as b

pytestmark = pytest.mark.django_db

FULFILLED, LAPSED, OPEN = Commitment.Status.FULFILLED, Commitment.Status.LAPSED, Commitment.Status.OPEN
EVIDENCE = "Kamerstuk 22 112, nr. 4012"


@pytest.fixture
def world():
    ezk, fin = b.ezk(), b.fin()
    fiche = b.fiche(lead_ministry=ezk, title="Fiche over chips")
    due = timezone.localdate() - datetime.timedelta(days=3)
    return {
        "ezk": ezk, "fiche": fiche,
        "ours": [b.commitment(fiche, summary=f"Toezegging {i}", due_date=due) for i in range(3)],
        "theirs": b.commitment(b.fiche(lead_ministry=fin), summary="Van Financiën", due_date=due),
        "officer": b.staff("opvolger", ministries=[ezk]),
    }


def history(commitment):
    return list(commitment.status_changes.values_list("from_status", "to_status", "note", "evidence_reference", "changed_by__username"))


class BulkServiceTests:
    def test_each_commitment_gets_its_own_history_row_as_if_changed_singly(self, world):
        single = b.commitment(world["fiche"], summary="Los", due_date=timezone.localdate())
        commitment_set_status(commitment=single, to_status=FULFILLED, by=world["officer"], note="Geleverd met de brief.",
                              evidence_reference=EVIDENCE)
        changes = commitments_set_status(commitments=world["ours"], to_status=FULFILLED, by=world["officer"],
                                         note="Geleverd met de brief.", evidence_reference=EVIDENCE)
        assert len(changes) == 3 == CommitmentStatusChange.objects.filter(commitment__in=world["ours"]).count()
        for commitment in world["ours"]:
            commitment.refresh_from_db()
            assert history(commitment) == history(single) == [(OPEN, FULFILLED, "Geleverd met de brief.", EVIDENCE, "opvolger")]
            assert (commitment.status, commitment.evidence_reference, commitment.evidence_date) == (FULFILLED, EVIDENCE, timezone.localdate())
            assert commitment.history.first().history_user == world["officer"]  # the version history names who did it, too

    def test_one_refused_commitment_refuses_them_all_naming_each_and_why(self, world):
        already = world["ours"][1]
        commitment_set_status(commitment=already, to_status=LAPSED, by=world["officer"], note="Vervallen.")
        with pytest.raises(ValidationError) as refused:
            commitments_set_status(commitments=[*world["ours"], world["theirs"]], to_status=LAPSED, by=world["officer"], note="Vervallen.")
        messages = refused.value.messages
        assert len(messages) == 2
        assert any(m.startswith(f"{world['fiche'].kamerstuk_display}, toezegging {already.position}: Er verandert niets") for m in messages)
        theirs = world["theirs"]
        assert f"{theirs.fiche.kamerstuk_display}, toezegging {theirs.position}: U mag de toezeggingen van dit ministerie niet wijzigen." in messages
        assert CommitmentStatusChange.objects.count() == 1  # only the earlier single change
        assert list(Commitment.objects.filter(pk__in=[world["ours"][0].pk, world["ours"][2].pk]).values_list("status", flat=True)) == [OPEN, OPEN]

    def test_evidence_is_required_for_fulfilled_for_every_one_and_nothing_is_written_without(self, world):
        with pytest.raises(ValidationError, match="heeft bewijs nodig"):
            commitments_set_status(commitments=world["ours"], to_status=FULFILLED, by=world["officer"], note="Klaar.")
        assert not CommitmentStatusChange.objects.exists()

    def test_none_or_too_many_are_refused(self, world):
        with pytest.raises(ValidationError, match="ten minste één"):
            commitments_set_status(commitments=[], to_status=LAPSED, by=world["officer"], note="x")
        many = [b.commitment(world["fiche"]) for _ in range(BULK_LIMIT + 1)]
        with pytest.raises(ValidationError, match=f"hoogstens {BULK_LIMIT}"):
            commitments_set_status(commitments=many, to_status=LAPSED, by=world["officer"], note="x")
        assert not CommitmentStatusChange.objects.exists()


def post(client, world, commitments, **data):
    return client.post(reverse("followup:bulk_status"), {
        "commitments": [c.pk if hasattr(c, "pk") else c for c in commitments], "to_status": LAPSED, "note": "Niet meer aan de orde.",
        "next": "/opvolging/?group=overdue", **data,
    })


class BulkPageTests:
    def test_the_dashboard_offers_a_checkbox_per_row_tied_to_the_bulk_form(self, client, world):
        client.force_login(world["officer"])
        page = client.get(reverse("followup:dashboard"), {"group": "overdue"}).content.decode()
        for commitment in world["ours"]:
            assert f'name="commitments" value="{commitment.pk}" form="bulk"' in page
        assert f'action="{reverse("followup:bulk_status")}" id="bulk"' in page

    def test_posting_changes_them_all_and_goes_back_to_the_list(self, client, world):
        client.force_login(world["officer"])
        response = post(client, world, world["ours"])
        assert response.status_code == 302 and response["Location"] == "/opvolging/?group=overdue"
        assert set(Commitment.objects.filter(pk__in=[c.pk for c in world["ours"]]).values_list("status", flat=True)) == {LAPSED}
        assert CommitmentStatusChange.objects.count() == 3
        assert "De wijziging is vastgelegd voor 3 toezeggingen." in client.get(response["Location"]).content.decode()

    def test_a_refusal_shows_every_reason_keeps_the_choice_and_the_note_and_writes_nothing(self, client, world):
        client.force_login(world["officer"])
        response = post(client, world, [*world["ours"], world["theirs"]], to_status=FULFILLED, evidence_reference=EVIDENCE)
        assert response.status_code == 400
        page = response.content.decode()
        assert "Er is niets vastgelegd" in page
        assert "U mag de toezeggingen van dit ministerie niet wijzigen." in page
        assert "Niet meer aan de orde." in page  # the note typed is still there
        for commitment in [*world["ours"], world["theirs"]]:
            assert f'name="commitments" value="{commitment.pk}" id="kies-{commitment.pk}" checked' in page
        assert not CommitmentStatusChange.objects.exists()

    def test_a_commitment_the_user_may_not_see_is_unknown_and_nothing_is_written(self, client, world):
        secret = b.fiche(lead_ministry=b.fin(), public_from=timezone.now() + datetime.timedelta(days=9), title="Geheim fiche")
        hidden = b.commitment(secret, summary="Geheime toezegging")
        client.force_login(world["officer"])
        response = post(client, world, [world["ours"][0], hidden])
        assert response.status_code == 400
        page = response.content.decode()
        assert "Een gekozen toezegging bestaat niet (meer) of u mag haar niet zien." in page
        assert "Geheime toezegging" not in page and "Geheim fiche" not in page
        assert not CommitmentStatusChange.objects.exists()

    @pytest.mark.parametrize("values", [["abc"], ["\x00"], ["9" * 40], ["-1"], []])
    def test_hostile_choices_get_a_dutch_error_and_write_nothing(self, client, world, values):
        client.force_login(world["officer"])
        response = post(client, world, values)
        assert response.status_code == 400
        assert "toezegging" in response.content.decode()
        assert not CommitmentStatusChange.objects.exists()

    def test_too_many_at_once_are_refused_before_any_lookup(self, client, world, django_assert_max_num_queries):
        client.force_login(world["officer"])
        client.get(reverse("followup:dashboard"))
        with django_assert_max_num_queries(8):
            response = post(client, world, list(range(1, BULK_LIMIT + 2)))
        assert response.status_code == 400 and f"Kies hoogstens {BULK_LIMIT} toezeggingen tegelijk." in response.content.decode()

    def test_a_foreign_next_address_is_not_followed(self, client, world):
        client.force_login(world["officer"])
        response = post(client, world, world["ours"][:1], next="https://elders.example/")
        assert response["Location"] == reverse("followup:dashboard")

    def test_only_staff_may_post_and_get_is_not_allowed(self, client, world):
        assert post(client, world, world["ours"]).status_code == 302  # to the login
        client.force_login(b.staff("burger", role=None, is_staff=False))
        assert post(client, world, world["ours"]).status_code == 403
        client.force_login(world["officer"])
        assert client.get(reverse("followup:bulk_status")).status_code == 405
        assert not CommitmentStatusChange.objects.exists()
