"""Who may see and change what in the admin: roles (groups) and ministry scoping, in one place.

Roles are groups created by the data migration ``positions/migrations/*_roles``; what a role may do
is a set of ordinary model permissions plus a few custom ones on Fiche:

- ``positions.view_all_fiches``: sees every fiche, drafts of every ministry included (coordinator,
  publisher). Everybody else sees published fiches (past any embargo) and the fiches of their own
  ministries, lead or co-ministry (``Ministry.members``).
- ``positions.edit_all_fiches``: changes every fiche in any status (coordinator).
- ``positions.submit_fiche``: draft -> in review (editor, coordinator).
- ``positions.review_fiche``: in review -> draft or adopted (coordinator).
- ``positions.publish_fiche``: adopted -> published, and edits the publication data of adopted and
  published fiches (publisher).
- ``positions.follow_up_commitment``: changes commitments and cofinancing of their own ministries,
  whatever the status of the fiche (follow-up officer).

Editors (``add_fiche``) change the fiches of their own ministries while in draft or in review. Superusers may do
everything. Every admin list, search, autocomplete, history, preview and export starts from
``visible_fiches``; object checks use the ``can_*`` functions below.

Before publication (any status before published, or published under a future embargo) a fiche and
what hangs from it (commitments, cofinancing, status history) is confidential inside government too:
only staff of its own ministries and the roles that see all may read it. Staff surfaces outside the
admin (follow-up pages, reports, CSVs, reminder mails, calendar feeds) apply the same rule through
``visible_rows``. A calendar token feed is fetched without login, so anyone holding the link reads it:
it never uses the see-all right and carries only what is public plus the token owner's own ministries'.
"""

from django.db.models import Q

from .models import Fiche

ROLE_EDITOR = "editor"
ROLE_COORDINATOR = "coordinator"
ROLE_PUBLISHER = "publisher"
ROLE_FOLLOW_UP = "follow-up officer"
ROLE_READER = "reader-staff"
ROLES = (ROLE_EDITOR, ROLE_COORDINATOR, ROLE_PUBLISHER, ROLE_FOLLOW_UP, ROLE_READER)

EDITABLE_BY_EDITORS = (Fiche.Status.DRAFT, Fiche.Status.REVIEW)
EDITABLE_BY_PUBLISHERS = (Fiche.Status.ADOPTED, Fiche.Status.PUBLISHED)


def _is_staff(user):
    return bool(user and user.is_active and user.is_staff)


def user_ministry_ids(user):
    """Primary keys of the user's ministries, cached on the user object for the request."""
    if not _is_staff(user):
        return set()
    if not hasattr(user, "_fichetracker_ministry_ids"):
        user._fichetracker_ministry_ids = set(user.ministries.values_list("pk", flat=True))
    return user._fichetracker_ministry_ids


def sees_all_fiches(user):
    return _is_staff(user) and (user.is_superuser or user.has_perm("positions.view_all_fiches"))


def edits_all_fiches(user):
    return _is_staff(user) and (user.is_superuser or user.has_perm("positions.edit_all_fiches"))


def visible_fiches(user, queryset=None, *, token_feed=False):
    """The fiches ``user`` may see: all, or public ones (published, past any embargo) plus their ministries' own.

    ``token_feed``: for a calendar feed opened by ``user``'s secret link without login; public plus own
    ministries' only, whatever the user's role.
    """
    queryset = Fiche.objects.all() if queryset is None else queryset
    if not _is_staff(user):
        return queryset.none()
    if not token_feed and sees_all_fiches(user):
        return queryset
    own = Fiche.objects.for_ministries(user_ministry_ids(user)).values("pk")
    return queryset.filter(Q(pk__in=Fiche.objects.published().values("pk")) | Q(pk__in=own))


def visible_rows(user, queryset, *, fiche_path="fiche", token_feed=False):
    """Rows that hang from a fiche (commitments, cofinancing budgets, status changes) as ``visible_fiches`` allows.

    ``fiche_path`` is the lookup from the row to its fiche, e.g. ``"commitment__fiche"`` for status changes.
    """
    if not token_feed and sees_all_fiches(user):
        return queryset
    return queryset.filter(**{f"{fiche_path}__in": visible_fiches(user, token_feed=token_feed).values("pk")})


def is_own_fiche(user, fiche):
    ministries = user_ministry_ids(user)
    if not ministries:
        return False
    if fiche.lead_ministry_id in ministries:
        return True
    return fiche.pk is not None and fiche.co_ministries.filter(pk__in=ministries).exists()


def can_view_fiche(user, fiche):
    if not _is_staff(user):
        return False
    if sees_all_fiches(user) or fiche.is_public:
        return True
    return is_own_fiche(user, fiche)


def can_change_fiche(user, fiche):
    if not _is_staff(user) or not user.has_perm("positions.change_fiche"):
        return False
    if edits_all_fiches(user):
        return True
    if fiche.status in EDITABLE_BY_PUBLISHERS and user.has_perm("positions.publish_fiche"):
        return True
    # Drafting is the editor's work: ``add_fiche`` marks it (a publisher has change_fiche, not add_fiche).
    return fiche.status in EDITABLE_BY_EDITORS and user.has_perm("positions.add_fiche") and is_own_fiche(user, fiche)


def can_change_fiche_content(user, fiche):
    """The content of a fiche (everything but status and publication data): as ``can_change_fiche``, but not
    through the publisher's right (publication data only), and for nobody once published (a revision then)."""
    if fiche.status == Fiche.Status.PUBLISHED or not _is_staff(user) or not user.has_perm("positions.change_fiche"):
        return False
    if edits_all_fiches(user):
        return True
    return fiche.status in EDITABLE_BY_EDITORS and user.has_perm("positions.add_fiche") and is_own_fiche(user, fiche)


def can_delete_fiche(user, fiche):
    if not _is_staff(user) or not user.has_perm("positions.delete_fiche"):
        return False
    if edits_all_fiches(user):
        return True
    return fiche.status == Fiche.Status.DRAFT and is_own_fiche(user, fiche)


def can_change_commitment(user, fiche, ministry_id):
    """Commitments and cofinancing lines: through their fiche, or as follow-up of the user's ministry."""
    if can_change_fiche(user, fiche):
        return True
    if not user.has_perm("positions.follow_up_commitment") or not can_view_fiche(user, fiche):
        return False
    responsible = ministry_id if ministry_id is not None else fiche.lead_ministry_id
    return responsible in user_ministry_ids(user)
