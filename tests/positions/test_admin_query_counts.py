"""The fiche changelist costs a fixed number of queries."""


import pytest
from django.urls import reverse

from positions.models import Commitment, Fiche
from tests.positions.conftest import make_fiche


@pytest.mark.django_db
class ChangelistQueryCountTests:
    @pytest.mark.parametrize("url_name", ["admin:positions_fiche_changelist", "admin:positions_commitment_changelist",
                                          "admin:proposals_commissiondocument_changelist", "admin:positions_fichesection_changelist"])
    @pytest.mark.parametrize("role", ["editor", "coordinator"])
    def test_changelist_queries_do_not_grow_with_the_number_of_rows(self, client, role_users, own_ministry, url_name, role):
        def add_fiches(n):
            for i in range(n):
                fiche = make_fiche(Fiche.Status.DRAFT, ministry=own_ministry)
                Commitment.objects.create(fiche=fiche, position=1, quote="Het kabinet zal.", summary=f"T{i}")

        client.force_login(role_users[role])
        add_fiches(2)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as small:
            assert client.get(reverse(url_name)).status_code == 200
        add_fiches(6)
        with CaptureQueriesContext(connection) as large:
            assert client.get(reverse(url_name)).status_code == 200
        assert len(large) == len(small)
