"""Confidentiality inside government in the admin: every changelist, its search, the history lists, the
autocomplete and the deadline dashboard keep a fiche that is not yet public (and what hangs from it) to
its own ministries and the roles that see all.

The follow-up routes have their own walk (tests/followup/test_staff_visibility.py); this one walks the
admin of every model that holds fiche content, as every role of another ministry, with a marker in each
secret row, and checks the marker never shows; staff of the own ministry are the positive control.
"""

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from positions.models import CofinancingBudget, Commitment, Fiche, FicheSection, Footnote
from positions.permissions import ROLE_COORDINATOR, ROLE_PUBLISHER, ROLES
from tests import factories
from tests.positions.conftest import staff_user

pytestmark = pytest.mark.django_db

MARKER = "zqxadmin"
SEE_ALL = {ROLE_COORDINATOR, ROLE_PUBLISHER}
SECRET_STATES = {
    "draft": {"status": Fiche.Status.DRAFT},
    "review": {"status": Fiche.Status.REVIEW},
    "adopted": {"status": Fiche.Status.ADOPTED},
    "embargo": {"status": Fiche.Status.PUBLISHED},  # public_from in the future, set below
}
CONTENT_MODELS = [Fiche, FicheSection, Footnote, Commitment, CofinancingBudget]


@pytest.fixture
def world():
    own = factories.ministry()
    other = factories.ministry("bzk", "BZK", "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties")
    for state, fields in SECRET_STATES.items():
        extra = {"public_from": timezone.now() + datetime.timedelta(days=30)} if state == "embargo" else {}
        fiche = factories.fiche(
            title=f"Fiche {MARKER} {state}", lead_ministry=own, **fields, **extra,
            sections=[("essence", "2", "Essentie voorstel", f"Tekst {MARKER} {state}")],
            footnotes=[(1, f"Voetnoot {MARKER} {state}")],
        )
        factories.commitment(fiche, summary=f"Toezegging {MARKER} {state}")
        factories.budget(fiche, programme=f"Programma {MARKER} {state}")
    users = {}
    for role in ROLES:
        slug = role.replace(" ", "-")
        users[(role, "own")] = staff_user(f"{slug}-eigen", role=role, ministries=[own])
        users[(role, "other")] = staff_user(f"{slug}-ander", role=role, ministries=[other])
    return users


def admin_pages():
    """Every changelist of a model that holds fiche content, plain and searched for the marker, and the index."""
    pages = [reverse("admin:index")]
    for model in CONTENT_MODELS:
        if model not in admin.site._registry:
            continue
        changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        pages += [changelist, f"{changelist}?q={MARKER}"]
    pages.append(reverse("admin:autocomplete") + f"?app_label=positions&model_name=commitment&field_name=fiche&term={MARKER}")
    return pages


def history_pages():
    return [reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_history", args=[row.pk])
            for model in CONTENT_MODELS if model in admin.site._registry for row in model.objects.all()]


class AdminVisibilityTests:
    # Coordinators and publishers see every fiche by design (the positive control below).
    @pytest.mark.parametrize("role", [role for role in ROLES if role not in SEE_ALL])
    def test_staff_of_another_ministry_never_see_a_fiche_that_is_not_yet_public(self, client, world, role):
        client.force_login(world[(role, "other")])
        for url in [*admin_pages(), *history_pages()]:
            response = client.get(url)
            assert response.status_code in (200, 302, 403, 404), url
            shown = response.content.decode()
            leaked = [state for state in SECRET_STATES if f"{MARKER} {state}" in shown]  # the search term itself may echo
            assert not leaked, f"{role} of another ministry saw {leaked} on {url}"

    def test_staff_of_the_own_ministry_and_roles_that_see_all_do_see_it(self, client, world):
        for user in (world[("editor", "own")], world[(ROLE_COORDINATOR, "other")]):
            client.force_login(user)
            changelist = client.get(reverse("admin:positions_fiche_changelist") + f"?q={MARKER}")
            assert changelist.status_code == 200
            shown = changelist.content.decode()
            assert all(f"{MARKER} {state}" in shown for state in SECRET_STATES), user.username
