"""Every admin changelist, add form and change form opens for a staff superuser; anonymous users go to login."""

import pytest
from django.contrib import admin
from django.urls import reverse

from positions.models import (
    BatchLetter,
    CofinancingBudget,
    CofinancingPriority,
    Commitment,
    CommitmentStatusChange,
    Fiche,
    FicheStatusChange,
    Footnote,
)
from proposals.models import CouncilMeeting, DocumentRelation, MinistryAlias
from tests import factories

from .conftest import make_fiche

APPS = ("positions", "proposals")


def registered_models():
    return sorted(
        (model for model in admin.site._registry if model._meta.app_label in APPS),
        key=lambda model: model._meta.label,
    )


@pytest.fixture
def one_of_everything(own_ministry, superuser):
    fiche = make_fiche(Fiche.Status.DRAFT, ministry=own_ministry)
    Footnote.objects.create(fiche=fiche, number=1, text="Kamerstuk 22 112, nr. 3906.")
    commitment = Commitment.objects.create(fiche=fiche, position=1, quote="Het kabinet zal hier aandacht voor vragen.", summary="Aandacht vragen")
    CommitmentStatusChange.objects.create(commitment=commitment, from_status="open", to_status="open", note="Nog open.")
    budget = CofinancingBudget.objects.create(fiche=fiche, programme="Digital Europe", programme_code="DIGITAL", ministry=own_ministry,
                                              amount=75_000_000)
    CofinancingPriority.objects.create(budget=budget, topic="Dataruimten", position=1)
    FicheStatusChange.objects.create(fiche=fiche, from_status="draft", to_status="draft", changed_by=superuser)
    BatchLetter.objects.create(kamerstuk="22112-3906", date="2024-03-01")
    MinistryAlias.objects.create(ministry=own_ministry, name="EZK")
    council = factories.council()
    CouncilMeeting.objects.create(configuration=council, date="2024-05-21")
    other = factories.document()
    DocumentRelation.objects.create(source=fiche.documents.get(), target=other, kind="same_package")
    return fiche


@pytest.mark.django_db
class AdminPagesTests:
    def test_every_positions_and_proposals_model_is_registered(self):
        labels = {model._meta.label for model in registered_models()}
        assert {"positions.Fiche", "positions.FicheSection", "positions.Footnote", "positions.Commitment", "positions.CofinancingBudget",
                "positions.FicheTemplate", "positions.BatchLetter", "positions.FicheStatusChange", "proposals.Ministry",
                "proposals.CouncilConfiguration", "proposals.CouncilMeeting", "proposals.CommissionDocument"} <= labels

    @pytest.mark.parametrize("model", registered_models(), ids=lambda m: m._meta.label)
    def test_changelist_add_and_change_forms_open_for_a_superuser(self, client, superuser, one_of_everything, model):
        client.force_login(superuser)
        opts = model._meta
        changelist = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        assert changelist.status_code == 200
        obj = model.objects.first()
        assert obj is not None, f"test data lacks a {opts.label}"
        change = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
        assert change.status_code == 200
        add = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        assert add.status_code in (200, 403)  # 403 only for the read-only workflow log
        if model is not FicheStatusChange:
            assert add.status_code == 200

    @pytest.mark.parametrize("model", registered_models(), ids=lambda m: m._meta.label)
    def test_anonymous_users_are_sent_to_login(self, client, model):
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))

    def test_the_dashboard_and_index_open_and_link_to_each_other(self, client, superuser):
        client.force_login(superuser)
        index = client.get(reverse("admin:index"))
        assert reverse("admin:dashboard") in index.content.decode()
        assert client.get(reverse("admin:dashboard")).status_code == 200

    def test_the_fiche_changelist_links_to_the_import_page(self, client, superuser):
        client.force_login(superuser)
        html = client.get(reverse("admin:positions_fiche_changelist")).content.decode()
        assert 'href="/admin/positions/fiche/import/"' in html
        assert "Importeren" in html

    def test_the_fiche_form_follows_the_template_order(self, client, superuser, one_of_everything):
        client.force_login(superuser)
        html = client.get(reverse("admin:positions_fiche_change", args=[one_of_everything.pk])).content.decode()
        html = html[html.index("</nav>", html.index('class="ft-jump"')):]  # the parts themselves, after the jump links
        general = html.index("1. Algemene gegevens")
        sections = html.index("Onderdelen (in de volgorde van het sjabloon)")
        verdicts = html.index("Grondhouding")
        commitments = html.index('id="commitments-group"')
        assert general < sections < verdicts < commitments
        assert html.index('value="Essentie voorstel"') < html.index('value="Essentie Nederlands beleid op dit terrein"') < html.index('value="Bevoegdheid"')

    def test_admin_pages_carry_the_content_security_policy_without_unsafe_inline(self, client, superuser, one_of_everything):
        client.force_login(superuser)
        response = client.get(reverse("admin:positions_fiche_change", args=[one_of_everything.pk]))
        policy = response["Content-Security-Policy"]
        assert "unsafe-inline" not in policy
        assert "script-src 'self'" in policy
