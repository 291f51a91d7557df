"""An outcome goes the fiche's way to the public: draft -> in review -> adopted -> published.

The same steps and the same rights as a fiche (``positions.workflow.TRANSITIONS``), except that the first step
belongs to whoever records outcomes (``outcomes.submit_outcome``: follow-up officers and coordinators). Every
step is judged by the outcome as it is now and by the user's rights on its fiche: an officer works only on
the outcomes of their own ministries' fiches. A published outcome is final; a correction is a new step
back only before publication.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from positions import permissions
from positions.workflow import TRANSITIONS as FICHE_TRANSITIONS
from positions.workflow import TransitionError

from .models import FicheStatus

Status = FicheStatus

# The permission each step needs: the fiche's (without its button labels), but the first step's.
PERMISSIONS = {key: perm for key, (perm, _label) in FICHE_TRANSITIONS.items()} | {(Status.DRAFT, Status.REVIEW): "outcomes.submit_outcome"}


def may_work_on(user, outcome):
    """Whether ``user`` may change ``outcome``: their own ministries' fiches, or every fiche for who edits all."""
    return bool(user.is_superuser or permissions.edits_all_fiches(user)
                or (user.has_perm("outcomes.change_outcome") and permissions.is_own_fiche(user, outcome.fiche)))


def may_edit_content(user, outcome):
    """Content (act, vote, points) changes before publication only; a publisher may not change it at all."""
    return outcome.status != Status.PUBLISHED and may_work_on(user, outcome) and (
        outcome.status in (Status.DRAFT, Status.REVIEW) or permissions.edits_all_fiches(user) or user.is_superuser)


def publication_problems(outcome):
    """What an outcome lacks before it may be published, one Dutch sentence each."""
    problems = []
    if not outcome.points.exists():
        problems.append(_("Er is nog geen punt van de Nederlandse inzet beoordeeld."))
    if not outcome.fiche.is_public:
        problems.append(_("Het fiche zelf is nog niet openbaar; een uitkomst wordt pas na het fiche gepubliceerd."))
    return problems


@transaction.atomic
def outcome_transition(*, outcome, to_status, by):
    """Move ``outcome`` to ``to_status``; TransitionError lists every reason it cannot, PermissionDenied for rights."""
    key = (outcome.status, to_status)
    if key not in PERMISSIONS:
        raise TransitionError(_("Een uitkomst met status '%(from)s' kan niet naar '%(to)s'.")
                              % {"from": outcome.get_status_display(), "to": Status(to_status).label})
    perm = PERMISSIONS[key]
    if not (by.has_perm(perm) and (may_work_on(by, outcome) or permissions.sees_all_fiches(by))):
        raise PermissionDenied(_("U mag deze uitkomst niet naar '%(to)s' zetten.") % {"to": Status(to_status).label})
    if to_status == Status.PUBLISHED:
        problems = publication_problems(outcome)
        if problems:
            raise TransitionError(problems)
    outcome.status = to_status
    outcome.updated_by = by
    outcome._change_reason = _("Status: %(status)s") % {"status": Status(to_status).label}
    outcome.save(update_fields=["status", "updated_by", "updated_at"])
    return outcome
