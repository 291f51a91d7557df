"""Who holds a commitment: assigned to a named follow-up officer of its ministry, reassigned with a history of
who held it when, "Mijn toezeggingen" for the holder, and reminders that go to the holder first."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from followup.models import CommitmentAssignment
from followup.reminders import ESCALATE_AFTER, build_digests, send_reminders
from followup.services import commitment_assign, eligible_holders
from positions.models import Commitment
from tests import factories

from . import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    ezk, fin = b.ezk(), b.fin()
    fiche = b.fiche(lead_ministry=ezk)
    return {
        "ezk": ezk, "fin": fin, "fiche": fiche,
        "commitment": b.commitment(fiche, summary="Kamer informeren", due_date=b.days(5)),
        "anna": b.staff("anna", ministries=[ezk]),
        "bram": b.staff("bram", ministries=[ezk]),
        "fin_officer": b.staff("fenna", ministries=[fin]),
        "editor": b.staff("eddy", role="editor", ministries=[ezk]),
    }


def detail_url(commitment):
    return reverse("followup:commitment_detail", kwargs={"fiche": commitment.fiche.natural_id, "position": commitment.position})


def assign_url(commitment):
    return reverse("followup:commitment_assign", kwargs={"fiche": commitment.fiche.natural_id, "position": commitment.position})


class AssignmentServiceTests:
    def test_reassigning_ends_the_current_holder_and_keeps_who_held_it_when(self, world):
        c = world["commitment"]
        first = commitment_assign(commitment=c, officer=world["anna"], by=world["anna"], note="Pak ik op.")
        second = commitment_assign(commitment=c, officer=world["bram"], by=world["anna"], note="Anna met verlof.")
        rows = list(CommitmentAssignment.objects.filter(commitment=c).order_by("assigned_at", "pk"))
        assert [(r.officer, r.assigned_by, r.note, r.is_current) for r in rows] == [
            (world["anna"], world["anna"], "Pak ik op.", False), (world["bram"], world["anna"], "Anna met verlof.", True)]
        assert rows[0].pk == first.pk and rows[1].pk == second.pk
        assert rows[0].ended_at == rows[1].assigned_at  # no gap, no overlap

    def test_letting_go_leaves_nobody_and_the_history(self, world):
        c = world["commitment"]
        commitment_assign(commitment=c, officer=world["anna"], by=world["anna"])
        assert commitment_assign(commitment=c, officer=None, by=world["anna"]) is None
        assert not CommitmentAssignment.objects.current().filter(commitment=c).exists()
        assert CommitmentAssignment.objects.filter(commitment=c).count() == 1

    @pytest.mark.parametrize(
        ("who", "message"),
        [
            ("fin_officer", "Fenna kan deze toezegging niet houden: alleen opvolgingsmedewerkers van het verantwoordelijke ministerie"),
            ("editor", "Eddy kan deze toezegging niet houden"),
        ],
    )
    def test_only_a_follow_up_officer_of_its_ministry_can_hold_it(self, world, who, message):
        with pytest.raises(ValidationError, match=message):
            commitment_assign(commitment=world["commitment"], officer=world[who], by=world["anna"])
        assert not CommitmentAssignment.objects.exists()

    def test_the_holder_again_or_nobody_twice_is_refused_with_a_reason(self, world):
        c = world["commitment"]
        with pytest.raises(ValidationError, match=r"Deze toezegging heeft geen houder\."):
            commitment_assign(commitment=c, officer=None, by=world["anna"])
        commitment_assign(commitment=c, officer=world["anna"], by=world["anna"])
        with pytest.raises(ValidationError, match=r"Anna is al houder van deze toezegging\."):
            commitment_assign(commitment=c, officer=world["anna"], by=world["bram"])
        assert CommitmentAssignment.objects.count() == 1

    def test_an_officer_of_another_ministry_may_not_assign(self, world):
        with pytest.raises(PermissionDenied):
            commitment_assign(commitment=world["commitment"], officer=world["anna"], by=world["fin_officer"])
        assert not CommitmentAssignment.objects.exists()

    def test_the_database_allows_one_current_holder_only(self, world):
        CommitmentAssignment.objects.create(commitment=world["commitment"], officer=world["anna"])
        with pytest.raises(IntegrityError), transaction.atomic():
            CommitmentAssignment.objects.create(commitment=world["commitment"], officer=world["bram"])

    def test_the_successors_officers_hold_a_dissolved_ministrys_commitments(self, world):
        ez = factories.ministry(code="ez", abbreviation="EZ", name="Ministerie van Economische Zaken")
        world["ezk"].successor = ez
        world["ezk"].valid_until = datetime.date(2024, 7, 2)
        world["ezk"].save()
        ez_officer = b.staff("erik", ministries=[ez])
        assert ez_officer in eligible_holders(world["commitment"])
        commitment_assign(commitment=world["commitment"], officer=ez_officer, by=ez_officer)

    def test_before_publication_only_who_may_see_the_fiche_can_hold_it(self, world):
        secret = b.fiche(lead_ministry=world["fin"], public_from=timezone.now() + datetime.timedelta(days=5))
        c = b.commitment(secret, ministry=world["ezk"], due_date=b.days(3))  # EZK must act; FIN leads, EZK may not see it yet
        assert world["anna"] not in eligible_holders(c)
        secret.co_ministries.add(world["ezk"])
        assert world["anna"] in eligible_holders(c)


class AssignmentPageTests:
    def test_the_page_shows_the_holder_and_the_history_and_assigns(self, client, world):
        c = world["commitment"]
        client.force_login(world["anna"])
        page = client.get(detail_url(c)).content.decode()
        assert "Nog nooit toegewezen." in page
        assert f'<option value="{world["anna"].pk}">Anna</option>' in page and "Fenna" not in page
        response = client.post(assign_url(c), {"houder-officer": world["bram"].pk, "houder-note": "Bram neemt het over."})
        assert response.status_code == 302
        page = client.get(detail_url(c)).content.decode()
        assert "Bram is nu houder van deze toezegging." in page
        assert "toegewezen door Anna" in page and "Bram neemt het over." in page

    def test_a_refused_assignment_shows_the_reason_and_changes_nothing(self, client, world):
        client.force_login(world["anna"])
        response = client.post(assign_url(world["commitment"]), {"houder-officer": world["fin_officer"].pk})
        assert response.status_code == 400
        assert "De houder is niet gewijzigd" in response.content.decode()
        assert not CommitmentAssignment.objects.exists()
        response = client.post(assign_url(world["commitment"]), {"houder-officer": "\x00"})
        assert response.status_code == 400 and not CommitmentAssignment.objects.exists()

    def test_staff_who_may_not_change_it_see_the_holder_but_no_form_and_cannot_post(self, client, world):
        commitment_assign(commitment=world["commitment"], officer=world["anna"], by=world["anna"])
        client.force_login(world["fin_officer"])
        page = client.get(detail_url(world["commitment"])).content.decode()
        assert "Anna (sinds" in page and "Houder vastleggen" not in page
        assert client.post(assign_url(world["commitment"]), {"houder-officer": world["fin_officer"].pk}).status_code == 403
        assert CommitmentAssignment.objects.current().get().officer == world["anna"]

    def test_mijn_toezeggingen_shows_what_the_officer_holds(self, client, world):
        today = timezone.localdate()
        Commitment.objects.filter(pk=world["commitment"].pk).update(due_date=today + datetime.timedelta(days=5))
        other = b.commitment(world["fiche"], summary="Van Bram", due_date=today - datetime.timedelta(days=2))
        commitment_assign(commitment=world["commitment"], officer=world["anna"], by=world["anna"])
        commitment_assign(commitment=other, officer=world["bram"], by=world["anna"])
        b.commitment(world["fiche"], summary="Van niemand", due_date=today - datetime.timedelta(days=3))
        client.force_login(world["anna"])
        response = client.get(reverse("followup:dashboard"), {"owner": "mine"})
        assert response.context["mine"]
        assert response.context["tallies"].open_count == 1
        assert [r.commitment.summary for r in response.context["rows"]] == ["Kamer informeren"]
        assert "<h1>Mijn toezeggingen</h1>" in response.content.decode()
        nobody = client.get(reverse("followup:dashboard"), {"owner": "none"}).context["rows"]
        assert [r.commitment.summary for r in nobody] == ["Van niemand"]
        rows = client.get(reverse("followup:dashboard"), {"group": "overdue"}).context["rows"]
        assert {r.commitment.summary: r.commitment.holder for r in rows} == {"Van Bram": world["bram"], "Van niemand": None}


class HolderRemindersTests:
    def test_the_holder_gets_the_reminder_and_the_other_officers_do_not(self, world):
        commitment_assign(commitment=world["commitment"], officer=world["bram"], by=world["anna"])
        send_reminders(today=b.TODAY)
        bodies = {m.to[0]: m.body for m in mail.outbox}
        assert "Kamer informeren (u bent houder)" in bodies["bram@minezk.nl"]
        assert "anna@minezk.nl" not in bodies

    def test_without_a_holder_every_officer_of_the_ministry_is_reminded(self, world):
        send_reminders(today=b.TODAY)
        assert sorted(m.to[0] for m in mail.outbox) == ["anna@minezk.nl", "bram@minezk.nl"]

    def test_long_overdue_the_other_officers_are_reminded_too_naming_the_holder(self, world):
        c = world["commitment"]
        commitment_assign(commitment=c, officer=world["bram"], by=world["anna"])
        c.due_date = b.TODAY - ESCALATE_AFTER
        c.save()
        assert [d.user for d in build_digests(b.TODAY)] == [world["bram"]]  # exactly ESCALATE_AFTER: still the holder's
        c.due_date = b.TODAY - ESCALATE_AFTER - datetime.timedelta(days=1)
        c.save()
        digests = {d.user.username: d for d in build_digests(b.TODAY)}
        assert set(digests) == {"anna", "bram"}
        send_reminders(today=b.TODAY)
        anna = next(m for m in mail.outbox if m.to == ["anna@minezk.nl"])
        assert "Kamer informeren (houder: Bram)" in anna.body

    def test_a_holder_who_can_no_longer_be_reminded_does_not_swallow_the_reminder(self, world):
        commitment_assign(commitment=world["commitment"], officer=world["bram"], by=world["anna"])
        world["ezk"].members.remove(world["bram"])  # moved to another ministry
        send_reminders(today=b.TODAY)
        assert sorted(m.to[0] for m in mail.outbox) == ["anna@minezk.nl"]
