"""Writes of follow-up: status changes of commitments and storing resolved event triggers."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from positions import permissions
from positions.models import Commitment, CommitmentStatusChange

from .tracking import TRIGGER_EVENTS, MeetingSchedule, lineage_ids

EVIDENCE_REQUIRED = Commitment.EVIDENCE_STATUSES


def can_change_commitment(user, commitment):
    """Who may record a status change: the project's one rule for commitments (positions.permissions):
    follow-up officers (``positions.follow_up_commitment``) for their own ministries, plus whoever may
    change the fiche itself."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    if permissions.can_change_commitment(user, commitment.fiche, commitment.ministry_id):
        return True
    # A successor ministry follows up its predecessors' commitments (EZ those of EZK), of fiches it may see.
    responsible = commitment.ministry_id or commitment.fiche.lead_ministry_id
    return (
        responsible is not None
        and user.has_perm("positions.follow_up_commitment")
        and responsible in lineage_ids(user.ministries.all())
        and permissions.can_view_fiche(user, commitment.fiche)
    )


@transaction.atomic
def commitment_set_status(
    *, commitment, to_status, by, note, evidence_reference="", evidence_url="", evidence_date=None, new_due_date=None, check_permission=True
):
    """Change a commitment's status and/or deadline and keep the change, with who and when, in its history.

    Fulfilled and partly fulfilled need evidence: a Kamerstuk or document reference, or a link.
    A new deadline replaces the due date (and with it any event trigger as the date that counts).
    Raises ValidationError with a Dutch message, or PermissionDenied.
    """
    if check_permission and by is not None and not can_change_commitment(by, commitment):
        raise PermissionDenied(_("U mag de toezeggingen van dit ministerie niet wijzigen."))
    note = (note or "").strip()
    evidence_reference = (evidence_reference or "").strip()
    evidence_url = (evidence_url or "").strip()
    errors = {}
    if to_status not in Commitment.Status.values:
        errors["to_status"] = _("Onbekende status: %(status)s.") % {"status": to_status}
    if not note:
        errors["note"] = _("Geef een toelichting bij de wijziging.")
    # Each step to (partly) fulfilled brings its own evidence; staying (partly) fulfilled keeps the earlier one.
    if to_status in EVIDENCE_REQUIRED and to_status != commitment.status and not (evidence_reference or evidence_url):
        errors["evidence_reference"] = _(
            "Een (deels) voldane toezegging heeft bewijs nodig: een Kamerstuk- of documentreferentie "
            "(bijv. Kamerstuk 22 112, nr. 3942) of een link."
        )
    if (
        not errors
        and to_status == commitment.status
        and new_due_date in (None, commitment.due_date)
        and not evidence_reference
        and not evidence_url
    ):
        errors["to_status"] = _("Er verandert niets: kies een andere status, een nieuwe uiterste datum of voeg bewijs toe.")
    if errors:
        raise ValidationError(errors)

    change = CommitmentStatusChange(
        commitment=commitment,
        from_status=commitment.status,
        to_status=to_status,
        new_due_date=new_due_date if new_due_date != commitment.due_date else None,
        note=note,
        evidence_reference=evidence_reference,
        evidence_url=evidence_url,
        changed_by=by,
        changed_at=timezone.now(),
    )
    change.full_clean(exclude=["commitment", "changed_by"])
    change.save()

    commitment.status = to_status
    if evidence_reference or evidence_url:
        commitment.evidence_reference = evidence_reference
        commitment.evidence_url = evidence_url
        commitment.evidence_date = evidence_date or timezone.localdate()
        commitment.evidence_note = note
    if new_due_date:
        commitment.due_date = new_due_date
    commitment._history_user = by  # django-simple-history: who made this version
    commitment.full_clean(exclude=["fiche", "ministry", "due_configuration", "due_meeting"])
    commitment.save()
    return change


@transaction.atomic
def resolve_due_triggers(*, schedule=None):
    """Link every open event-triggered commitment without a meeting to the meeting its event now resolves to.

    Run after Council meetings are imported and before reminders go out; the dashboard resolves the
    same way in memory, so a meeting entered in the admin counts at once. Returns the number linked.
    """
    schedule = schedule or MeetingSchedule()
    pending = (
        Commitment.objects.open()
        .filter(due_meeting__isnull=True, due_date__isnull=True, due_event__in=TRIGGER_EVENTS)
        .select_related("fiche")
    )
    linked = 0
    for commitment in pending:
        meeting = schedule.next_meeting(commitment)
        if meeting is not None:
            commitment.due_meeting = meeting
            commitment.save(update_fields=["due_meeting", "updated_at"])
            linked += 1
    return linked
