"""The follow-up dashboard in a real browser: at 1280 px it fits a page of 25 rows in at most 3,000 px, at
1280 and 390 px nothing scrolls sideways, and axe finds no WCAG 2.1 AA violation (lists, the bulk form open,
a commitment's page with its holder form)."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from followup.models import CommitmentAssignment
from positions.models import Commitment
from tests import factories

from .test_accessibility import describe, violations

pytestmark = pytest.mark.browser

WIDTHS = (1280, 390)


def ministry(code, abbreviation, name, start=None, end=None, successor=None):
    row = factories.ministry(code=code, abbreviation=abbreviation, name=name)
    row.valid_from, row.valid_until, row.successor = start, end, successor
    row.save()
    return row


@pytest.fixture
def dashboard(transactional_db, live_server):
    """Sixty commitments over three ministries (one dissolved, rolled up into its successor), in every list,
    with long summaries and titles as real ones are; one held by the officer. Returns (url, session cookie)."""
    today = timezone.localdate()
    ez = ministry("ez", "EZ", "Ministerie van Economische Zaken", datetime.date(2024, 7, 2))
    ezk = ministry("ezk", "EZK", "Ministerie van Economische Zaken en Klimaat", datetime.date(2017, 10, 26), datetime.date(2024, 7, 2), ez)
    fin = factories.ministry("fin", "FIN", "Ministerie van Financiën")
    # A superuser who works for EZ: the roles' groups come from a data migration, which a live-server test's
    # flush of the database removes; a superuser needs none.
    officer = User.objects.create_user("opvolger", password=None, is_staff=True, is_superuser=True, first_name="Olga",
                                       last_name="Opvolger", email="olga@minez.nl")
    ez.members.add(officer)
    fiches = [
        factories.fiche(lead_ministry=lead, title=f"Verordening over de digitale weerbaarheid van de financiële sector, deel {i}",
                        sent_on=datetime.date(2024, 3, 1))
        for i, lead in enumerate((ezk, ez, fin))
    ]
    for i in range(60):
        shape = [
            {"due_date": today - datetime.timedelta(days=3 + i)},
            {"due_date": today + datetime.timedelta(days=5 + i % 20)},
            {"due_event": Commitment.DueEvent.ANNOTATED_AGENDA},
            {"due_description": "voor de zomer"},
            {"due_date": today + datetime.timedelta(days=200)},
            {"status": Commitment.Status.FULFILLED, "evidence_reference": "Kamerstuk 22 112, nr. 3942", "due_date": today - datetime.timedelta(days=90)},
        ][i % 6] if i >= 25 else {"due_date": today - datetime.timedelta(days=3 + i)}
        factories.commitment(fiches[i % 3], summary=f"Het kabinet zal de Kamer informeren over de uitkomst van de onderhandelingen, punt {i}",
                             **shape)
    CommitmentAssignment.objects.create(commitment=Commitment.objects.filter(fiche=fiches[1]).first(), officer=officer)
    client = Client()
    client.force_login(officer)
    return live_server.url, client.cookies["sessionid"].value


def open_page(browser, url, cookie, width):
    context = browser.new_context(locale="nl-NL", viewport={"width": width, "height": 900})
    context.add_cookies([{"name": "sessionid", "value": cookie, "url": url}])
    return context, context.new_page()


def sideways(page):
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


class DashboardInTheBrowserTests:
    @pytest.mark.parametrize("width", WIDTHS)
    def test_the_lists_do_not_scroll_sideways_and_have_no_wcag_violations(self, browser, dashboard, width):
        url, cookie = dashboard
        context, page = open_page(browser, url, cookie, width)
        try:
            for path in ("/opvolging/", "/opvolging/?group=closed", "/opvolging/?group=vague&page=1", "/opvolging/?owner=mine",
                         "/opvolging/?ministry=bestaat-niet"):
                assert page.goto(url + path).status == 200
                assert sideways(page) <= 1, f"{path} scrolls sideways by {sideways(page)}px at {width}px"
                found = violations(page)
                assert not found, f"{path} at {width}px: {describe(found)}"
            page.goto(url + "/opvolging/")
            page.click("details.bulk summary")  # the bulk form, open, is part of the page too
            assert page.locator("#bulk").is_visible()
            assert sideways(page) <= 1
            found = violations(page)
            assert not found, describe(found)
        finally:
            context.close()

    def test_a_page_of_25_rows_fits_in_3000_px_at_1280(self, browser, dashboard):
        url, cookie = dashboard
        context, page = open_page(browser, url, cookie, 1280)
        try:
            page.goto(url + "/opvolging/")
            assert page.locator(".worklist-table tbody tr").count() == 25
            height = page.evaluate("document.documentElement.scrollHeight")
            assert height <= 3000, f"the dashboard is {height}px high"
            assert page.locator(".pagination").is_visible()
        finally:
            context.close()

    def test_ticked_commitments_change_status_together_from_the_page(self, browser, dashboard):
        url, cookie = dashboard
        context, page = open_page(browser, url, cookie, 1280)
        try:
            page.goto(url + "/opvolging/?ministry=ez&group=overdue")
            boxes = page.locator(".worklist-table input[type=checkbox]")
            picked = [boxes.nth(i).get_attribute("value") for i in range(2)]
            for i in range(2):
                boxes.nth(i).check()
            page.click("details.bulk summary")
            page.select_option("#id_to_status", "lapsed")
            page.fill("#id_note", "Niet meer aan de orde na de Raad.")
            page.click("#bulk button[type=submit]")
            assert "De wijziging is vastgelegd voor 2 toezeggingen." in page.locator("main").inner_text()
            assert "/opvolging/?ministry=ez&group=overdue" in page.url
            assert set(Commitment.objects.filter(pk__in=picked).values_list("status", flat=True)) == {"lapsed"}
        finally:
            context.close()

    @pytest.mark.parametrize("width", WIDTHS)
    def test_a_commitments_page_with_its_holder_form_has_no_violations(self, browser, dashboard, width):
        url, cookie = dashboard
        commitment = CommitmentAssignment.objects.get().commitment
        context, page = open_page(browser, url, cookie, width)
        try:
            page.goto(f"{url}/opvolging/toezeggingen/{commitment.fiche.natural_id}/{commitment.position}/")
            assert "Olga Opvolger" in page.locator("main").inner_text()
            assert sideways(page) <= 1
            found = violations(page)
            assert not found, describe(found)
        finally:
            context.close()
