"""The editorial workflow of a fiche: draft -> in review -> adopted -> published, and back to draft.

``fiche_transition`` is the only way a fiche changes status; every change is recorded in
FicheStatusChange with who, when and an optional note. The checks say precisely what is missing,
in Dutch, so the admin can show them as they are.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import permissions
from .models import Fiche, FicheStatusChange

Status = Fiche.Status

# (from, to) -> the permission that allows it, and the label of the button.
TRANSITIONS = {
    (Status.DRAFT, Status.REVIEW): ("positions.submit_fiche", gettext_lazy("Ter review aanbieden")),
    (Status.REVIEW, Status.DRAFT): ("positions.review_fiche", gettext_lazy("Terug naar concept")),
    (Status.REVIEW, Status.ADOPTED): ("positions.review_fiche", gettext_lazy("Vastgesteld door de ministerraad")),
    (Status.ADOPTED, Status.PUBLISHED): ("positions.publish_fiche", gettext_lazy("Publiceren")),
}


class TransitionError(ValidationError):
    """A status change that is not allowed now; ``messages`` lists every reason."""


def review_problems(fiche):
    """What a fiche lacks before it can go to review: the three verdicts."""
    problems = []
    for field, label in (("competence", _("bevoegdheid")), ("subsidiarity", _("subsidiariteit")), ("proportionality", _("proportionaliteit"))):
        if not getattr(fiche, field):
            problems.append(_("Het oordeel over de %(label)s ontbreekt (kies positief, positief met kanttekeningen, neutraal, negatief of nog niet te beoordelen).")
                            % {"label": label})
    return problems


def publication_problems(fiche):
    """Everything a fiche lacks before it may be published, one Dutch sentence per missing thing."""
    problems = []
    if not fiche.documents.exists():
        problems.append(_("Er is geen Commissiedocument gekoppeld (1c, bijv. COM(2024) 28)."))
    if not fiche.kamerstuk:
        problems.append(_("Het Kamerstuknummer ontbreekt (bijv. 22112-3908)."))
    if not fiche.sent_on:
        problems.append(_("De datum van verzending aan de Kamer ontbreekt."))
    problems.extend(review_problems(fiche))
    filled = {key for key, text in fiche.sections.values_list("key", "text") if text.strip()}
    for section in fiche.template.sections.filter(required=True).order_by("position"):
        if section.key not in filled:
            problems.append(_("Onderdeel %(number)s '%(title)s' is leeg.") % {"number": section.number, "title": section.title})
    return problems


def allowed_transitions(user, fiche):
    """The next statuses ``user`` may move ``fiche`` to, as (status, label) pairs."""
    if not permissions.can_view_fiche(user, fiche):
        return []
    result = []
    for (from_status, to_status), (perm, label) in TRANSITIONS.items():
        if fiche.status != from_status or not user.has_perm(perm):
            continue
        if perm == "positions.submit_fiche" and not permissions.can_change_fiche(user, fiche):
            continue
        result.append((to_status, label))
    return result


def transition_problems(fiche, to_status):
    if to_status == Status.REVIEW:
        return review_problems(fiche)
    if to_status in (Status.ADOPTED,):
        return review_problems(fiche)
    if to_status == Status.PUBLISHED:
        return publication_problems(fiche)
    return []


@transaction.atomic
def fiche_transition(*, fiche, to_status, by, note=""):
    """Move ``fiche`` to ``to_status`` on behalf of ``by``, record it, and return the FicheStatusChange.

    Raises PermissionDenied when ``by`` may not make this step, and TransitionError listing every
    missing requirement when the fiche is not ready for it.
    """
    locked = Fiche.objects.select_for_update().get(pk=fiche.pk)
    to_status = Status(to_status)
    step = (Status(locked.status), to_status)
    if step not in TRANSITIONS:
        raise TransitionError(
            _("Van '%(from)s' naar '%(to)s' is geen toegestane stap.") % {"from": locked.get_status_display(), "to": to_status.label}
        )
    if to_status not in {status for status, _label in allowed_transitions(by, locked)}:
        raise PermissionDenied(
            _("U mag dit fiche niet van '%(from)s' naar '%(to)s' zetten.") % {"from": locked.get_status_display(), "to": to_status.label}
        )
    problems = transition_problems(locked, to_status)
    if problems:
        raise TransitionError(problems)
    change = FicheStatusChange.objects.create(
        fiche=locked, from_status=locked.status, to_status=to_status, note=note.strip(), changed_by=by,
    )
    locked.status = to_status
    locked.updated_by = by
    locked._change_reason = _("Status: %(from)s → %(to)s") % {"from": Status(change.from_status).label, "to": to_status.label}
    locked.save(update_fields=["status", "updated_by", "updated_at"])
    fiche.status, fiche.updated_by, fiche.updated_at = locked.status, by, locked.updated_at
    return change
