"""The editorial workflow of a fiche: draft -> in review -> adopted -> published, and back to draft.

``fiche_transition`` is the only way a fiche changes status; every change is recorded in
FicheStatusChange with who, when and an optional note. The checks say precisely what is missing,
in Dutch, so the admin can show them as they are.

What a fiche says (its content) and how it reached parliament (its publication data) change by different
rules. Content is written by editors in draft and review and by coordinators up to adoption; once published
it only changes through a revision: a new draft that revises it (``start_revision``). Publishers change the
publication data only. Restoring an earlier version (``restore_version``) is a content change like any
other: judged by the fiche as it is now, it brings back content only, never the status or publication data,
and it passes the same validation as a save.
"""

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import permissions
from .models import Fiche, FicheSection, FicheStatusChange, Footnote

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


# ---------------------------------------------------------------------------------------------------
# Content and publication data
# ---------------------------------------------------------------------------------------------------

# How the fiche reached parliament and the public: what a publisher may change on an adopted or published
# fiche, and what restoring an earlier version never brings back (with the status).
PUBLICATION_FIELDS = ("kamerstuk", "sent_on", "batch_letter", "batch_position", "public_from")
CONTENT_M2M_FIELDS = ("documents", "co_ministries")


def content_fields():
    """The fields a fiche's content is made of: every editable column but the status and the publication data."""
    return [
        f for f in Fiche._meta.concrete_fields
        if f.editable and not f.primary_key and f.name != "status" and f.name not in PUBLICATION_FIELDS
    ]


CONTENT_FIELD_NAMES = (*(f.name for f in content_fields()), *CONTENT_M2M_FIELDS)


def content_lock_reason(user, fiche):
    """Why ``user``, who may change ``fiche``, may change only its publication data (None when they may change all)."""
    if permissions.can_change_fiche_content(user, fiche):
        return None
    if fiche.status == Status.PUBLISHED:
        return _("De inhoud van een gepubliceerd fiche verandert alleen via een herzien fiche; hier wijzigt u alleen de "
                 "publicatiegegevens (Kamerstuknummer, verzenddatum, verzamelbrief, embargo).")
    return _("U wijzigt bij een fiche met de status '%(status)s' alleen de publicatiegegevens (Kamerstuknummer, verzenddatum, "
             "verzamelbrief, embargo); de inhoud is vastgesteld.") % {"status": fiche.get_status_display()}


# ---------------------------------------------------------------------------------------------------
# Restoring an earlier version
# ---------------------------------------------------------------------------------------------------


def restore_refusal(user, fiche):
    """Why ``user`` may not restore an earlier version of ``fiche`` as it is now; None when they may."""
    if permissions.can_change_fiche_content(user, fiche):
        return None
    if fiche.status == Status.PUBLISHED:
        return _("Een gepubliceerd fiche krijgt geen eerdere versie terug: de inhoud verandert alleen via een herzien fiche.")
    return _("U mag de inhoud van dit fiche (status: %(status)s) niet wijzigen, dus ook geen eerdere versie terugzetten.") % {
        "status": fiche.get_status_display()
    }


def _m2m_ids(obj, name):
    """Primary keys of an m2m field, on a fiche or (from its recorded through rows) on one of its historical versions."""
    if isinstance(obj, Fiche):
        return set(getattr(obj, name).values_list("pk", flat=True))
    target = Fiche._meta.get_field(name).m2m_reverse_field_name()
    return set(getattr(obj, name).values_list(f"{target}_id", flat=True))


def _version_value(version, field):
    return getattr(version, field.attname)


def version_differences(fiche, version):
    """What restoring ``version`` of ``fiche`` does, as two lists of (field, value now, value in the version):
    the content that comes back, and the status and publication data that differ but stay as they are.
    Foreign keys are given as primary keys, m2m fields as sets of primary keys."""
    restored, kept = [], []
    for field in content_fields():
        now, then = getattr(fiche, field.attname), _version_value(version, field)
        if now != then:
            restored.append((field, now, then))
    for name in CONTENT_M2M_FIELDS:
        now, then = _m2m_ids(fiche, name), _m2m_ids(version, name)
        if now != then:
            restored.append((Fiche._meta.get_field(name), now, then))
    for name in ("status", *PUBLICATION_FIELDS):
        field = Fiche._meta.get_field(name)
        now, then = getattr(fiche, field.attname), _version_value(version, field)
        if now != then:
            kept.append((field, now, then))
    return restored, kept


def _readable(error):
    """A ValidationError from full_clean as sentences that name the field."""
    if not hasattr(error, "error_dict"):
        return error.messages
    sentences = []
    for name, errors in error.message_dict.items():
        label = None if name == NON_FIELD_ERRORS else str(Fiche._meta.get_field(name).verbose_name)
        sentences.extend(f"{label}: {message}" if label else message for message in errors)
    return sentences


@transaction.atomic
def restore_version(*, fiche, version, by, loaded_updated_at=None):
    """Bring back the content of ``version`` (a historical record of ``fiche``) on behalf of ``by``.

    Judged by the fiche as it is now: raises PermissionDenied when ``by`` may not change its content. The
    status and the publication data stay as they are. Raises ValidationError, with readable Dutch sentences,
    when the result would break a rule of the form or the database, when there is nothing to restore, or when
    the fiche was saved after ``loaded_updated_at`` (the moment the user looked at the differences). Returns
    the restored fields.
    """
    locked = Fiche.objects.select_for_update().get(pk=fiche.pk)
    if version.id != locked.pk:
        raise ValueError("version of another fiche")
    refusal = restore_refusal(by, locked)
    if refusal:
        raise PermissionDenied(refusal)
    if loaded_updated_at is not None and locked.updated_at.isoformat() != loaded_updated_at:
        raise ValidationError(_("Het fiche is intussen opnieuw opgeslagen; er is niets teruggezet. Bekijk de verschillen opnieuw "
                                "voordat u deze versie terugzet."), code="concurrent_save")
    restored, _kept = version_differences(locked, version)
    if not restored:
        raise ValidationError(_("Deze versie heeft dezelfde inhoud als het fiche nu; er is niets om terug te zetten."), code="no_changes")
    for field in content_fields():
        setattr(locked, field.attname, _version_value(version, field))
    if locked.status != Status.DRAFT:
        problems = review_problems(locked)
        if problems:
            lead = _("Een fiche in review, vastgesteld of gepubliceerd heeft een oordeel nodig; deze versie heeft er nog geen.")
            raise ValidationError([lead, *problems], code="verdicts")
    try:
        locked.full_clean()
    except ValidationError as error:
        raise ValidationError(_readable(error), code="invalid") from error
    when = date_format(timezone.localtime(version.history_date), "j F Y H:i")
    locked.updated_by = by
    locked._history_user = by
    locked._change_reason = _("Inhoud van de versie van %(when)s teruggezet") % {"when": when}
    try:
        with transaction.atomic():
            locked.save()
            for name in CONTENT_M2M_FIELDS:
                manager = getattr(locked, name)
                wanted = _m2m_ids(version, name)
                manager.set(manager.model.objects.filter(pk__in=wanted))
    except IntegrityError as error:
        raise ValidationError(_("Deze versie kan niet terug: ze botst met een regel voor fiches in de status '%(status)s'.")
                              % {"status": locked.get_status_display()}, code="integrity") from error
    fiche.refresh_from_db()
    return [field for field, _now, _then in restored]


# ---------------------------------------------------------------------------------------------------
# Revisions
# ---------------------------------------------------------------------------------------------------


def may_start_revision(user, fiche):
    """A revision of a published fiche is drafting: editors of its ministries and coordinators."""
    if fiche.status != Status.PUBLISHED or not permissions.can_view_fiche(user, fiche) or not user.has_perm("positions.add_fiche"):
        return False
    return permissions.edits_all_fiches(user) or permissions.is_own_fiche(user, fiche)


@transaction.atomic
def start_revision(*, fiche, by):
    """The draft that revises the published ``fiche``: its content copied into a new draft (without Kamerstuk
    number or publication data, and without the commitments, which stay with the published fiche for the
    follow-up). An open revision draft is returned instead of a second one. Returns (draft, created)."""
    locked = Fiche.objects.select_for_update().get(pk=fiche.pk)
    if not may_start_revision(by, locked):
        raise PermissionDenied(_("U mag van dit fiche geen herzien concept maken."))
    open_revision = locked.revised_by.filter(status=Status.DRAFT).order_by("-pk").first()
    if open_revision is not None:
        return open_revision, False
    draft = Fiche(status=Status.DRAFT, updated_by=by)
    for field in content_fields():
        setattr(draft, field.attname, getattr(locked, field.attname))
    draft.is_revision, draft.revises = True, locked
    draft._history_user = by
    draft._change_reason = _("Herzien concept van %(fiche)s") % {"fiche": locked.kamerstuk_display or locked.title}
    draft.save()
    for name in CONTENT_M2M_FIELDS:
        getattr(draft, name).set(getattr(locked, name).all())
    FicheSection.objects.bulk_create(
        FicheSection(fiche=draft, key=s.key, number=s.number, title=s.title, position=s.position, text=s.text)
        for s in locked.sections.order_by("position")
    )
    Footnote.objects.bulk_create(Footnote(fiche=draft, number=n.number, text=n.text, urls=n.urls) for n in locked.footnotes.all())
    return draft, True
