"""The admin's CSV export action."""


import pytest
from django.urls import reverse

from positions.models import Commitment, Fiche
from tests.positions.conftest import make_fiche


@pytest.mark.django_db
class CsvExportTests:
    def test_commitments_export_only_what_the_user_may_see(self, client, role_users, own_ministry, other_ministry):
        own = make_fiche(Fiche.Status.DRAFT, ministry=own_ministry)
        other = make_fiche(Fiche.Status.DRAFT, ministry=other_ministry)
        mine = Commitment.objects.create(fiche=own, position=1, quote="=HYPERLINK(\"x\")", summary="Eigen toezegging")
        theirs = Commitment.objects.create(fiche=other, position=1, quote="Geheim", summary="FIN-toezegging")
        client.force_login(role_users["editor"])
        response = client.post(reverse("admin:positions_commitment_changelist"), {
            "action": "export_commitments_csv", "_selected_action": [str(mine.pk), str(theirs.pk)], "index": "0"})
        text = response.content.decode("utf-8-sig")
        assert response["Content-Type"].startswith("text/csv")
        assert "Eigen toezegging" in text and "FIN-toezegging" not in text
        assert "'=HYPERLINK" in text and ";=HYPERLINK" not in text

    def test_fiches_export_has_a_header_and_one_row_per_fiche(self, client, superuser):
        make_fiche(Fiche.Status.DRAFT, title="Een")
        make_fiche(Fiche.Status.DRAFT, title="Twee")
        client.force_login(superuser)
        ids = [str(pk) for pk in Fiche.objects.values_list("pk", flat=True)]
        response = client.post(reverse("admin:positions_fiche_changelist"),
                               {"action": "export_fiches_csv", "_selected_action": ids, "index": "0"})
        lines = response.content.decode("utf-8-sig").strip().splitlines()
        assert lines[0].startswith("Kamerstuk;Titel;Status")
        assert len(lines) == 3
