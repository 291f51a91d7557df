"""The dossier page's heading (short title, official title below) and parliament's subsidiarity window
(eight weeks for a reasoned opinion, August not counted) beside the fiche's deadline."""

import datetime

import pytest

from proposals.models import CommissionDocument

from . import pages_data as data

pytestmark = pytest.mark.django_db

D = datetime.date
REGULATION = CommissionDocument.Kind.REGULATION
OFFICIAL = ("Voorstel voor een verordening van het Europees Parlement en de Raad tot vaststelling van geharmoniseerde regels "
            "betreffende artificiële intelligentie (verordening artificiële intelligentie) en tot wijziging van bepaalde wetgevingshandelingen")


class DossierHeadingTests:
    def test_the_heading_is_the_fiches_short_title_with_the_official_title_below(self, client):
        doc = data.document(year=2024, number=28, title=OFFICIAL)
        data.fiche(title="Verordening artificiële intelligentie", documents=[doc])
        body = client.get("/voorstellen/com-2024-28/").content.decode()
        heading = body[body.index("<h1>"):body.index("</h1>")]
        assert "Verordening artificiële intelligentie" in heading and OFFICIAL not in heading
        assert f'<p class="official-title"><span class="meta">Officiële titel:</span> {OFFICIAL}</p>' in body

    def test_without_a_fiche_of_its_own_a_long_official_title_is_cut_at_a_word(self, client):
        doc = data.document(year=2024, number=28)
        related = data.document(year=2024, number=29, title=OFFICIAL)
        from proposals.models import DocumentRelation

        DocumentRelation.objects.create(source=doc, target=related, kind=DocumentRelation.Kind.ACCOMPANIES)
        data.fiche(documents=[doc])
        body = client.get("/voorstellen/com-2024-29/").content.decode()
        heading = body[body.index("<h1>"):body.index("</h1>")]
        assert heading.endswith("…") and len(heading) < len(OFFICIAL) and "Voorstel voor een verordening" in heading
        assert OFFICIAL in body

    def test_a_short_official_title_is_the_heading_once(self, client):
        doc = data.document(year=2024, number=28, title="Korte titel")
        related = data.document(year=2024, number=29, title="Nog een korte titel")
        from proposals.models import DocumentRelation

        DocumentRelation.objects.create(source=doc, target=related, kind=DocumentRelation.Kind.ACCOMPANIES)
        data.fiche(documents=[doc])
        body = client.get("/voorstellen/com-2024-29/").content.decode()
        assert "official-title" not in body and body.count("Nog een korte titel") >= 1


class DossierSubsidiarityWindowTests:
    def test_a_july_proposal_shows_the_window_ending_in_october_and_the_days_the_fiche_left(self, client):
        doc = data.document(year=2024, number=400, kind=REGULATION, received_on=D(2024, 7, 10))
        data.fiche(documents=[doc], received_on=D(2024, 7, 10), sent_on=D(2024, 9, 1), kamerstuk="22112-3950")
        body = client.get("/voorstellen/com-2024-400/").content.decode()
        assert "Subsidiariteitstermijn nationale parlementen" in body
        assert "tot en met 5 oktober 2024: acht weken na toezending" in body
        assert "Kamerstuk 22 112, nr. 3950: fiche verzonden met nog 34 dagen van de termijn" in body
        assert "18 september 2024" in body  # the fiche's own deadline (four weeks of August paused) stays beside it
        timeline = body[body.index('class="vtimeline"'):]
        assert '<time datetime="2024-10-05">' in timeline and 'class="mark mark-subsidiarity"' in timeline

    def test_a_fiche_sent_after_the_window_says_how_many_days_after(self, client):
        doc = data.document(year=2024, number=401, kind=REGULATION, received_on=D(2024, 7, 10))
        data.fiche(documents=[doc], received_on=D(2024, 7, 10), sent_on=D(2024, 10, 6), kamerstuk="22112-3951")
        body = client.get("/voorstellen/com-2024-401/").content.decode()
        assert "Kamerstuk 22 112, nr. 3951: fiche verzonden 1 dag na het einde van de termijn" in body

    def test_a_communication_has_no_window(self, client):
        doc = data.document(year=2024, number=402, received_on=D(2024, 7, 10))
        data.fiche(documents=[doc], received_on=D(2024, 7, 10), sent_on=D(2024, 9, 1))
        body = client.get("/voorstellen/com-2024-402/").content.decode()
        assert "Subsidiariteitstermijn nationale parlementen" not in body and "mark-subsidiarity\"" not in body.split("timeline-key")[0]

    def test_the_window_costs_no_queries(self, client, django_assert_num_queries):
        doc = data.document(year=2024, number=403, kind=REGULATION, received_on=D(2024, 7, 10))
        for day in (1, 2, 3):
            data.fiche(documents=[doc], received_on=D(2024, 7, 10), sent_on=D(2024, 9, day))
        with django_assert_num_queries(8):  # 8: the outcome ledger reads its published outcomes (one query; their points only when there are some)
            assert client.get("/voorstellen/com-2024-403/").status_code == 200
