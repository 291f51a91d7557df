"""The public gate as a matrix: every editorial status (and the embargo) x every page of the foundation."""

import datetime

import pytest
from django.db import IntegrityError
from django.utils import timezone

from positions.models import Commitment, Fiche
from proposals.models import CommissionDocument
from tests import factories

PUBLIC = [("published", None, True), ("published", -1, True), ("published", +1, False)]
HIDDEN = [(status, None, False) for status in ("draft", "review", "adopted")]


def make(status, embargo_days):
    public_from = timezone.now() + datetime.timedelta(days=embargo_days) if embargo_days is not None else None
    fields = {"kamerstuk": "22112-9999", "sent_on": datetime.date(2024, 3, 1)}
    return factories.fiche(status=status, title="Geheim concept XQZ", public_from=public_from, **fields)


@pytest.mark.django_db
class PublicationMatrixTests:
    @pytest.mark.parametrize(("status", "embargo_days", "visible"), PUBLIC + HIDDEN)
    def test_published_queryset(self, status, embargo_days, visible):
        fiche = make(status, embargo_days)
        assert (fiche in Fiche.objects.published()) is visible
        assert fiche.is_public is visible

    @pytest.mark.parametrize(("status", "embargo_days", "visible"), PUBLIC + HIDDEN)
    def test_fiche_page(self, client, status, embargo_days, visible):
        make(status, embargo_days)
        response = client.get("/fiches/22112-9999/")
        assert response.status_code == (200 if visible else 404)
        assert ("Geheim concept XQZ" in response.content.decode()) is visible

    @pytest.mark.parametrize(("status", "embargo_days", "visible"), PUBLIC + HIDDEN)
    def test_list_and_home(self, client, status, embargo_days, visible):
        make(status, embargo_days)
        for url in ("/", "/fiches/"):
            response = client.get(url)
            assert response.status_code == 200
            assert ("Geheim concept XQZ" in response.content.decode()) is visible, url

    @pytest.mark.parametrize(("status", "embargo_days", "visible"), PUBLIC + HIDDEN)
    def test_dossier_and_commitments_follow_the_fiche(self, client, status, embargo_days, visible):
        fiche = make(status, embargo_days)
        doc = fiche.documents.get()
        Commitment.objects.create(fiche=fiche, position=1, quote="Het kabinet zal XQZ.", summary="Toezegging XQZ")
        assert (doc in CommissionDocument.objects.published()) is visible
        assert Commitment.objects.published().exists() is visible
        response = client.get(doc.get_absolute_url())
        assert response.status_code == (200 if visible else 404)

    def test_a_document_related_to_a_published_one_is_public_but_an_unrelated_one_is_not(self):
        fiche = make("published", None)
        related = factories.document("C(2024) 390")
        lonely = factories.document("C(2024) 391")
        fiche.documents.get().relations_from.create(target=related, kind="same_package")
        public = CommissionDocument.objects.published()
        assert related in public
        assert lonely not in public


@pytest.mark.django_db
class DatabaseConstraintTests:
    def test_duplicate_kamerstuk_numbers_are_refused_by_the_database(self):
        factories.fiche(kamerstuk="22112-3908")
        with pytest.raises(IntegrityError):
            factories.fiche(kamerstuk="22112-3908")

    def test_many_drafts_without_kamerstuk_number_are_allowed(self):
        factories.fiche(status="draft", kamerstuk="")
        factories.fiche(status="draft", kamerstuk="")
        assert Fiche.objects.filter(kamerstuk="").count() == 2

    def test_a_published_fiche_without_kamerstuk_is_refused_by_the_database(self):
        with pytest.raises(IntegrityError):
            factories.fiche(status="published", kamerstuk="", sent_on=datetime.date(2024, 3, 1))

    def test_sent_before_received_is_refused_by_the_database(self):
        with pytest.raises(IntegrityError):
            factories.fiche(received_on=datetime.date(2024, 3, 2), sent_on=datetime.date(2024, 3, 1))

    def test_fulfilled_commitment_without_evidence_is_refused_by_the_database(self):
        fiche = factories.fiche()
        with pytest.raises(IntegrityError):
            Commitment.objects.create(fiche=fiche, position=1, quote="q", summary="s", status="fulfilled")

    def test_negative_budget_is_refused_by_the_database(self):
        fiche = factories.fiche()
        with pytest.raises(IntegrityError):
            fiche.cofinancing_budgets.create(programme="DIGITAL", programme_code="DIGITAL", ministry=factories.ministry(), amount=-1)

    def test_invalid_status_is_refused_by_the_database(self):
        fiche = factories.fiche()
        with pytest.raises(IntegrityError):
            Fiche.objects.filter(pk=fiche.pk).update(status="secret")
