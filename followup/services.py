"""Writes of follow-up: status changes of commitments (one at a time or many in one step), who holds a
commitment, and storing resolved event triggers."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from positions import permissions
from positions.models import Commitment, CommitmentStatusChange, Fiche

from .models import CommitmentAssignment
from .tracking import TRIGGER_EVENTS, MeetingSchedule, lineage_ids, successor_map

FOLLOW_UP_PERMISSION = "positions.follow_up_commitment"
BULK_LIMIT = 100

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


def commitment_label(commitment):
    """How messages name a commitment: "Kamerstuk 22 112, nr. 3908, toezegging 2"."""
    fiche = commitment.fiche
    where = fiche.kamerstuk_display or fiche.title
    return _("%(fiche)s, toezegging %(position)s") % {"fiche": where, "position": commitment.position}


@transaction.atomic
def commitments_set_status(*, commitments, to_status, by, note, evidence_reference="", evidence_url="", evidence_date=None):
    """The same status change, note and evidence for several commitments in one step: all or nothing.

    Each commitment goes through ``commitment_set_status``, so each gets its own history row, permission
    check and evidence rule exactly as if changed on its own page. When any of them is refused, nothing is
    kept and the ValidationError names every refused commitment with its reason.
    """
    commitments = list({c.pk: c for c in commitments}.values())
    if not commitments:
        raise ValidationError({"commitments": _("Kies ten minste één toezegging.")})
    if len(commitments) > BULK_LIMIT:
        raise ValidationError({"commitments": _("Kies hoogstens %(limit)d toezeggingen tegelijk.") % {"limit": BULK_LIMIT}})
    problems, changes = [], []
    for commitment in commitments:
        try:
            with transaction.atomic():  # a savepoint: a refused one leaves the transaction usable for the report
                changes.append(commitment_set_status(
                    commitment=commitment, to_status=to_status, by=by, note=note, evidence_reference=evidence_reference,
                    evidence_url=evidence_url, evidence_date=evidence_date,
                ))
        except PermissionDenied as error:
            problems.append(f"{commitment_label(commitment)}: {error}")
        except ValidationError as error:
            reasons = [message for messages in error.message_dict.values() for message in messages] if hasattr(error, "error_dict") else error.messages
            problems.append(f"{commitment_label(commitment)}: {' '.join(reasons)}")
    if problems:
        raise ValidationError(problems)
    return changes


# Who holds a commitment ------------------------------------------------------------------------------


def successor_chain(ministry_id, successors=None):
    """The ministry and every later one that carries on its work (EZ 2012-2017, EZK, EZ)."""
    successors = successor_map() if successors is None else successors
    chain = [ministry_id]
    while successors.get(chain[-1]) is not None and successors[chain[-1]] not in chain:
        chain.append(successors[chain[-1]])
    return chain


def eligible_holders(commitment):
    """Who may hold ``commitment``: active staff with the follow-up right who work for its responsible
    ministry or a ministry that took over its work, and may see its fiche."""
    responsible = commitment.ministry_id or commitment.fiche.lead_ministry_id
    if responsible is None:
        return get_user_model().objects.none()
    users = get_user_model().objects.with_perm(
        FOLLOW_UP_PERMISSION, is_active=True, include_superusers=True, backend="django.contrib.auth.backends.ModelBackend"
    )
    holders = get_user_model().objects.filter(
        pk__in=users.values("pk"), is_staff=True, ministries__in=successor_chain(responsible)
    ).distinct()
    if not commitment.fiche.is_public:  # before publication: only who may see the fiche (its own ministries, or see-all)
        allowed = [user.pk for user in holders if permissions.visible_fiches(user, Fiche.objects.filter(pk=commitment.fiche_id)).exists()]
        holders = holders.filter(pk__in=allowed)
    return holders.order_by("first_name", "last_name", "username")


def holder_name(user):
    return user.get_full_name() or user.get_username()


@transaction.atomic
def commitment_assign(*, commitment, officer, by, note="", check_permission=True):
    """Make ``officer`` the holder of ``commitment`` (``None``: nobody holds it any more).

    The current holder's period ends and the new one starts at the same moment, in one transaction, so the
    rows are the history of who held it. Only who may change the commitment assigns it, and only to an
    officer of its ministry (``eligible_holders``). Raises ValidationError (Dutch) or PermissionDenied.
    """
    if check_permission and by is not None and not can_change_commitment(by, commitment):
        raise PermissionDenied(_("U mag de toezeggingen van dit ministerie niet toewijzen."))
    note = (note or "").strip()
    # Two officers assigning at once: the second waits here and then sees the first one's row.
    Commitment.objects.select_for_update().filter(pk=commitment.pk).first()
    current = CommitmentAssignment.objects.current().filter(commitment=commitment).select_related("officer").first()
    if officer is None:
        if current is None:
            raise ValidationError({"officer": _("Deze toezegging heeft geen houder.")})
    else:
        if current is not None and current.officer_id == officer.pk:
            raise ValidationError({"officer": _("%(name)s is al houder van deze toezegging.") % {"name": holder_name(officer)}})
        if not eligible_holders(commitment).filter(pk=officer.pk).exists():
            raise ValidationError({"officer": _(
                "%(name)s kan deze toezegging niet houden: alleen opvolgingsmedewerkers van het verantwoordelijke ministerie "
                "(of van het ministerie dat het werk heeft overgenomen) kunnen dat."
            ) % {"name": holder_name(officer)}})
    now = timezone.now()
    if current is not None:
        current.ended_at = now
        current.save(update_fields=["ended_at"])
    if officer is None:
        return None
    return CommitmentAssignment.objects.create(commitment=commitment, officer=officer, assigned_by=by, assigned_at=now, note=note)


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
