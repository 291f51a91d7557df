"""The editors' deadline dashboard in the admin."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from positions.dashboard import documents_awaiting_fiche, fiches_waiting
from positions.models import Fiche
from proposals.models import CommissionDocument
from tests import factories
from tests.positions.conftest import make_fiche


@pytest.mark.django_db
class DashboardTests:
    def test_it_lists_documents_awaiting_a_fiche_with_days_left_and_flags_overdue_ones(self, client, role_users, own_ministry, today):
        factories.document("COM(2026) 500", received_on=today - datetime.timedelta(days=10), title="Nieuw voorstel")
        factories.document("COM(2026) 501", received_on=today - datetime.timedelta(days=60), title="Oud voorstel")
        client.force_login(role_users["editor"])
        html = client.get(reverse("admin:dashboard")).content.decode()
        assert "COM(2026) 500" in html and "COM(2026) 501" in html
        assert ">32</td>" in html
        assert "18 dagen te laat" in html
        assert "Nog geen fiche" in html

    def test_it_groups_by_ministry_and_hides_other_ministries_drafts(self, client, role_users, own_ministry, other_ministry, today):
        received = today - datetime.timedelta(days=5)
        own_doc = factories.document("COM(2026) 600", received_on=received)
        other_doc = factories.document("COM(2026) 601", received_on=received)
        make_fiche(Fiche.Status.DRAFT, ministry=own_ministry, documents=[own_doc], title="Eigen concept")
        make_fiche(Fiche.Status.DRAFT, ministry=other_ministry, documents=[other_doc], title="FIN concept")
        client.force_login(role_users["editor"])
        html = client.get(reverse("admin:dashboard")).content.decode()
        assert "Ministerie van Economische Zaken en Klimaat" in html and "Eigen concept" in html
        assert "COM(2026) 601" not in html and "FIN concept" not in html
        client.force_login(role_users["coordinator"])
        html = client.get(reverse("admin:dashboard")).content.decode()
        assert "FIN concept" in html and "Ministerie van Financiën" in html

    def test_it_lists_fiches_waiting_for_review_or_publication_with_the_users_next_steps(self, client, role_users):
        make_fiche(Fiche.Status.REVIEW, title="Wacht op BNC")
        make_fiche(Fiche.Status.ADOPTED, title="Wacht op publicatie")
        client.force_login(role_users["coordinator"])
        html = client.get(reverse("admin:dashboard")).content.decode()
        assert "Wacht op BNC" in html and "Wacht op publicatie" in html
        assert "Vastgesteld door de ministerraad" in html
        assert "?naar=published" not in html


@pytest.mark.django_db
class DashboardAgeAndSendDateTests:
    def test_a_draft_or_review_fiche_keeps_its_old_document_on_the_page_and_an_old_document_without_fiche_does_not(
            self, client, role_users, own_ministry, today):
        long_ago = today - datetime.timedelta(days=400)
        draft_doc = factories.document("COM(2024) 700", received_on=long_ago)
        review_doc = factories.document("COM(2024) 701", received_on=long_ago)
        factories.document("COM(2024) 702", received_on=long_ago, title="Vergeten voorstel")
        make_fiche(Fiche.Status.DRAFT, ministry=own_ministry, documents=[draft_doc], title="Oud concept", received_on=long_ago)
        make_fiche(Fiche.Status.REVIEW, ministry=own_ministry, documents=[review_doc], title="Oud fiche in review", received_on=long_ago)
        client.force_login(role_users["editor"])
        html = client.get(reverse("admin:dashboard")).content.decode()
        assert "COM(2024) 700" in html and "Oud concept" in html
        assert "COM(2024) 701" in html and "Oud fiche in review" in html
        assert "COM(2024) 702" not in html

    def test_an_old_draft_of_another_ministry_stays_hidden(self, client, role_users, own_ministry, other_ministry, today):
        long_ago = today - datetime.timedelta(days=400)
        doc = factories.document("COM(2024) 710", received_on=long_ago)
        make_fiche(Fiche.Status.DRAFT, ministry=other_ministry, documents=[doc], title="FIN oud concept", received_on=long_ago)
        client.force_login(role_users["editor"])
        html = client.get(reverse("admin:dashboard")).content.decode()
        assert "COM(2024) 710" not in html and "FIN oud concept" not in html

    def test_a_fiche_sent_on_time_is_not_overdue_however_long_ago(self, client, role_users, own_ministry):
        received = datetime.date(2021, 3, 1)
        doc = factories.document("COM(2021) 90", received_on=received)
        make_fiche(Fiche.Status.REVIEW, ministry=own_ministry, documents=[doc], title="Op tijd verzonden fiche",
                   received_on=received, sent_on=datetime.date(2021, 3, 20))
        client.force_login(role_users["editor"])
        html = client.get(reverse("admin:dashboard")).content.decode()
        assert "Op tijd verzonden fiche" in html
        assert "op tijd verzonden (20 maart 2021)" in html
        assert "te laat" not in html

    def test_a_fiche_sent_late_is_judged_by_its_send_date_not_today(self, client, role_users, own_ministry):
        received = datetime.date(2021, 3, 1)
        deadline = Fiche(received_on=received).deadline
        make_fiche(Fiche.Status.REVIEW, ministry=own_ministry, title="Laat verzonden fiche", received_on=received,
                   sent_on=deadline + datetime.timedelta(days=3))
        client.force_login(role_users["editor"])
        html = client.get(reverse("admin:dashboard")).content.decode()
        assert "3 dagen te laat verzonden" in html
        assert html.count("dagen te laat") == 1


@pytest.mark.django_db
class DashboardSubsidiarityWindowTests:
    """Parliament's eight weeks for a reasoned opinion beside the fiche's deadline, with real dates around August."""

    def regulation(self, reference, received_on):
        return factories.document(reference, received_on=received_on, kind=CommissionDocument.Kind.REGULATION)

    def test_a_fiche_sent_in_september_left_parliament_34_days_of_a_window_opened_in_july(self, client, role_users, own_ministry):
        doc = self.regulation("COM(2024) 400", datetime.date(2024, 7, 10))
        make_fiche(Fiche.Status.REVIEW, ministry=own_ministry, documents=[doc], title="Verordening in review",
                   received_on=datetime.date(2024, 7, 10), sent_on=datetime.date(2024, 9, 1))
        client.force_login(role_users["editor"])
        html = client.get(reverse("admin:dashboard")).content.decode()
        assert "Subsidiariteitstermijn Kamer" in html
        # Both the document's row and the fiche's row say it; the window ends 5 October (August not counted).
        assert html.count("5 Okt 2024<br>fiche verzonden met nog 34 dagen van de termijn") == 2

    def test_a_fiche_sent_after_the_window_says_how_many_days_late(self, client, role_users, own_ministry):
        doc = self.regulation("COM(2024) 401", datetime.date(2024, 7, 10))
        make_fiche(Fiche.Status.REVIEW, ministry=own_ministry, documents=[doc], title="Laat voor de Kamer",
                   received_on=datetime.date(2024, 7, 10), sent_on=datetime.date(2024, 10, 8))
        client.force_login(role_users["editor"])
        html = client.get(reverse("admin:dashboard")).content.decode()
        assert "fiche verzonden 3 dagen na het einde van de termijn" in html

    def test_days_left_before_sending_pause_in_august_and_a_communication_has_no_window(self, role_users, own_ministry):
        self.regulation("COM(2024) 402", datetime.date(2024, 7, 10))
        factories.document("COM(2024) 403", received_on=datetime.date(2024, 7, 10), kind=CommissionDocument.Kind.COMMUNICATION)
        groups = dict(documents_awaiting_fiche(role_users["editor"], today=datetime.date(2024, 8, 20)))
        rows = {row["document"].reference: row for row in groups["Nog geen fiche"]}
        window = rows["COM(2024) 402"]["window"]
        assert window["end"] == datetime.date(2024, 10, 5) and window["days_left"] == 35 and not window["closed"]
        assert rows["COM(2024) 403"]["window"] is None
        closed = dict(documents_awaiting_fiche(role_users["editor"], today=datetime.date(2024, 10, 6)))
        assert {row["document"].reference: row for row in closed["Nog geen fiche"]}["COM(2024) 402"]["window"]["closed"]

    def test_a_fiche_on_two_proposals_answers_to_the_window_that_closes_first(self, role_users, own_ministry):
        early = self.regulation("COM(2024) 404", datetime.date(2024, 6, 20))
        late = self.regulation("COM(2024) 405", datetime.date(2024, 7, 10))
        make_fiche(Fiche.Status.REVIEW, ministry=own_ministry, documents=[late, early], title="Pakket")
        (row,) = fiches_waiting(role_users["editor"], today=datetime.date(2024, 9, 1))
        assert row["window"]["end"] == datetime.date(2024, 9, 15)

    def test_the_dashboard_query_count_does_not_grow_with_the_windows(self, client, role_users, own_ministry):
        def add(n):
            for _ in range(n):
                doc = self.regulation(f"COM(2024) {500 + add.count}", datetime.date(2024, 7, 10))
                add.count += 1
                make_fiche(Fiche.Status.REVIEW, ministry=own_ministry, documents=[doc], received_on=datetime.date(2024, 7, 10))
        add.count = 0
        client.force_login(role_users["editor"])
        add(1)
        with CaptureQueriesContext(connection) as few:
            client.get(reverse("admin:dashboard"))
        add(6)
        with CaptureQueriesContext(connection) as more:
            html = client.get(reverse("admin:dashboard")).content.decode()
        assert html.count("5 Okt 2024<br>") == 14
        assert len(more.captured_queries) == len(few.captured_queries)
