"""The precedent panel of the fiche change form in a real browser, at 1280 and 390 px: with JavaScript the form loads it
in place after its first render, without JavaScript the form links to the panel's own page; it opens and closes without
JavaScript, nothing scrolls sideways, and axe finds no WCAG 2.1 AA violation in it."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from positions.models import Fiche
from tests import factories
from tests.positions.conftest import make_fiche

from .test_accessibility import WCAG_TAGS, describe

pytestmark = pytest.mark.browser

WIDTHS = (1280, 390)
LEGAL_BASIS = "Artikel 114 van het Verdrag betreffende de werking van de Europese Unie (VWEU)"
LONG_TITLE = ("Voorstel voor een verordening van het Europees Parlement en de Raad tot vaststelling van geharmoniseerde regels "
              "betreffende kunstmatige intelligentie en tot wijziging van bepaalde wetgevingshandelingen van de Unie")
SENTENCE = ("Het kabinet oordeelt positief over de subsidiariteit van het voorstel, omdat de interne markt voor producten met "
            "kunstmatige intelligentie alleen op Europees niveau geharmoniseerd kan worden (Verordening (EU) 2019/1020).")


@pytest.fixture
def form(transactional_db, live_server):
    """A draft of an editor's ministry with five published precedents (long titles and sentences, as real ones have)
    whose subsidiarity verdict the draft departs from. Returns (change form url, session cookie)."""
    ministry = factories.ministry()
    council = factories.council("TTE", "Raad Vervoer, Telecommunicatie en Energie")
    other = factories.ministry("fin", "FIN", "Ministerie van Financiën")
    for i in range(5):
        factories.fiche(title=f"{LONG_TITLE}, deel {i}", legal_basis=LEGAL_BASIS, council_configuration=council, lead_ministry=other,
                        sent_on=datetime.date(2023, 1, 10) + datetime.timedelta(days=30 * i), received_on=datetime.date(2022, 12, 1),
                        competence="positief", competence_sentence="Het kabinet acht de EU bevoegd op grond van artikel 114 VWEU.",
                        subsidiarity="positief", subsidiarity_sentence=SENTENCE,
                        proportionality="positief met kanttekeningen", proportionality_sentence="Positief met kanttekeningen.")
    draft = make_fiche(Fiche.Status.DRAFT, ministry=ministry, title="Verordening kunstmatige intelligentie", legal_basis="Artikel 114 VWEU",
                       council_configuration=council, subsidiarity="negatief", proportionality="positief met kanttekeningen")
    # A superuser of the ministry: a live-server test's flush removes the roles' groups, a superuser needs none.
    editor = User.objects.create_user("redacteur", password=None, is_staff=True, is_superuser=True, first_name="Roos")
    ministry.members.add(editor)
    client = Client()
    client.force_login(editor)
    return live_server.url + reverse("admin:positions_fiche_change", args=[draft.pk]), client.cookies["sessionid"].value


def open_page(browser, url, cookie, width, javascript=True):
    context = browser.new_context(locale="nl-NL", viewport={"width": width, "height": 900}, java_script_enabled=javascript)
    # The session for the whole site (a cookie set for the form's URL would not reach the panel's page).
    context.add_cookies([{"name": "sessionid", "value": cookie, "url": url.split("/admin/")[0] + "/"}])
    return context, context.new_page()


def panel_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context={"include": [["#ft-precedents"]]},
                        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    return results.response["violations"]


class PrecedentPanelInTheBrowserTests:
    @pytest.mark.parametrize("width", WIDTHS)
    def test_the_open_panel_does_not_scroll_sideways_and_has_no_wcag_violations(self, browser, form, width):
        url, cookie = form
        context, page = open_page(browser, url, cookie, width)
        try:
            assert page.goto(url).status == 200
            panel = page.locator("#ft-precedents")
            panel.locator("details").wait_for()  # loaded after the form, in place of the link to its page
            assert panel.get_by_role("link", name="Precedenten en afwijkende oordelen bekijken").count() == 0
            assert panel.locator("details").get_attribute("open") is not None  # open: one verdict departs from the majority
            assert panel.get_by_text("5 van de laatste 5 fiches op artikel 114 VWEU oordeelden positief over subsidiariteit; "
                                     "dit concept: negatief.").is_visible()
            assert panel.locator("li.ft-precedent").count() == 5
            assert panel.get_by_role("link", name=f"{LONG_TITLE}, deel 4").is_visible()
            panel.scroll_into_view_if_needed()
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), \
                page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            box = panel.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, box
            assert panel.evaluate("el => el.scrollWidth <= el.clientWidth"), panel.evaluate("el => [el.scrollWidth, el.clientWidth]")
            found = panel_violations(page)
            assert not found, describe(found)
        finally:
            context.close()

    def test_without_javascript_the_form_links_to_the_panel_which_closes_and_opens(self, browser, form):
        url, cookie = form
        context, page = open_page(browser, url, cookie, 1280, javascript=False)
        try:
            page.goto(url)
            assert page.locator("nav.ft-jump").get_by_role("link", name="Precedenten", exact=True).get_attribute("href") == "#ft-precedents"
            with page.expect_navigation():
                page.locator("#ft-precedents").get_by_role("link", name="Precedenten en afwijkende oordelen bekijken").click()
            assert page.url.endswith("/precedenten/")
            summary = page.locator("#ft-precedents summary")
            assert "Precedenten (5) · 1 afwijkend oordeel" in summary.inner_text()
            first = page.locator("#ft-precedents li.ft-precedent").first
            assert first.is_visible()
            summary.click()
            assert not first.is_visible()
            summary.click()
            assert first.is_visible()
            with page.expect_navigation():
                page.get_by_role("link", name="Terug naar het fiche").click()
            assert page.url == url + "#ft-precedents"
        finally:
            context.close()
