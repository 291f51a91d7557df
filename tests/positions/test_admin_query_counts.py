"""The fiche changelist and change form cost a fixed number of queries; the changelist's filters offer only what the
user's fiches use."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
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


@pytest.mark.django_db
class ChangeFormQueryCountTests:
    """The fiche form reads its commitments' and budgets' chosen ministries, Council configurations and meetings with
    the rows themselves (``KnownRowAutocomplete``), not with a query per autocomplete field and row."""

    def add_rows(self, fiche, n, ministry, first=0):
        from proposals.models import CouncilMeeting
        from tests import factories

        council = factories.council()
        for i in range(first, first + n):
            meeting = CouncilMeeting.objects.create(configuration=council, date=datetime.date(2031, 1, 1) + datetime.timedelta(days=i))
            factories.commitment(fiche, summary=f"Toezegging {i}", ministry=ministry, due_configuration=council, due_meeting=meeting)
            factories.budget(fiche, programme=f"Programma {i}", code=f"P{i}", ministry=ministry)

    def test_the_change_form_costs_the_same_with_1_or_6_commitments_and_budgets(self, client, superuser, own_ministry):
        fiche = make_fiche(Fiche.Status.DRAFT, ministry=own_ministry)
        client.force_login(superuser)
        url = reverse("admin:positions_fiche_change", args=[fiche.pk])
        self.add_rows(fiche, 1, own_ministry)
        client.get(url)
        with CaptureQueriesContext(connection) as few:
            assert client.get(url).status_code == 200
        self.add_rows(fiche, 5, own_ministry, first=1)
        with CaptureQueriesContext(connection) as many:
            html = client.get(url).content.decode()
        assert len(many) == len(few)
        # Each row still shows what it holds, chosen in its autocomplete.
        for index in range(6):
            assert re.search(rf'name="commitments-{index}-ministry"[^>]*>\s*<option value=""></option>\s*'
                             rf'<option value="{own_ministry.pk}" selected>{re.escape(str(own_ministry))}</option>', html)
            assert re.search(rf'name="cofinancing_budgets-{index}-ministry"[^>]*>\s*'
                             rf'<option value="{own_ministry.pk}" selected>{re.escape(str(own_ministry))}</option>', html)
        assert re.search(r'name="commitments-5-due_meeting"[^>]*>\s*<option value=""></option>\s*'
                         r'<option value="\d+" selected>TTE 06-01-2031</option>', html)

    def test_the_change_form_reads_its_fiche_once(self, client, superuser, own_ministry):
        fiche = make_fiche(Fiche.Status.DRAFT, ministry=own_ministry)
        client.force_login(superuser)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("admin:positions_fiche_change", args=[fiche.pk])).status_code == 200
        # The row itself (its edit-version token is another, narrow query).
        rows = [q["sql"] for q in queries
                if q["sql"].startswith('SELECT "positions_fiche"."id", "positions_fiche"."natural_id"')
                and f' FROM "positions_fiche" WHERE "positions_fiche"."id" = {fiche.pk} ' in q["sql"]]
        assert len(rows) == 1, rows

    def test_a_chosen_row_the_form_did_not_load_is_read_as_before(self, client, superuser, own_ministry, other_ministry):
        """After a refused save the posted ministry (not the stored one) is the chosen option."""
        from tests.positions.formdata import form_data

        fiche = make_fiche(Fiche.Status.DRAFT, ministry=own_ministry)
        self.add_rows(fiche, 1, own_ministry)
        client.force_login(superuser)
        url = reverse("admin:positions_fiche_change", args=[fiche.pk])
        data = form_data(client.get(url).content.decode(), "fiche_form")
        data.update({"commitments-0-ministry": [str(other_ministry.pk)], "commitments-0-kind": ["verzonnen"]})
        html = client.post(url, data).content.decode()
        assert re.search(rf'name="commitments-0-ministry"[^>]*>\s*<option value=""></option>\s*'
                         rf'<option value="{other_ministry.pk}" selected>{re.escape(str(other_ministry))}</option>', html)


@pytest.mark.django_db
class ChangelistFilterTests:
    def test_the_ministry_and_council_filters_offer_only_what_the_users_fiches_use(self, client, own_ministry, other_ministry):
        from tests import factories
        from tests.positions.conftest import staff_user

        unused = factories.ministry("bzk", "BZK", "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties")
        ecofin = factories.council("ECOFIN", "Raad Economische en Financiële Zaken")
        make_fiche(Fiche.Status.DRAFT, ministry=own_ministry, council_configuration=factories.council())
        make_fiche(Fiche.Status.DRAFT, ministry=other_ministry, council_configuration=ecofin)  # another ministry's draft
        editor = staff_user("redacteur", role="editor", ministries=[own_ministry])
        client.force_login(editor)
        html = client.get(reverse("admin:positions_fiche_changelist")).content.decode()
        assert f"lead_ministry__id__exact={own_ministry.pk}" in html
        for hidden in (other_ministry, unused):
            assert f"lead_ministry__id__exact={hidden.pk}" not in html
        assert "council_configuration__id__exact" in html and f"council_configuration__id__exact={ecofin.pk}" not in html

    def test_the_date_hierarchy_offers_the_years_with_fiches(self, client, superuser, own_ministry):
        from tests import factories

        for year in (2020, 2022, 2023):
            factories.fiche(lead_ministry=own_ministry, sent_on=datetime.date(year, 3, 1), received_on=datetime.date(year, 1, 24))
        client.force_login(superuser)
        url = reverse("admin:positions_fiche_changelist")
        html = client.get(url).content.decode()
        assert re.findall(r'href="\?sent_on__year=(\d+)"', html) == ["2020", "2022", "2023"]
        html = client.get(url, {"sent_on__year": "2022"}).content.decode()  # a year: its months, as Django reads them
        assert "sent_on__month=3" in html
