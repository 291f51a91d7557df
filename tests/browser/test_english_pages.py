"""The English site at /en/ (issue 14) in a browser: every public page type at 1280 and 390 px, with no
sideways scrolling, no WCAG 2.1 A/AA violation (axe), Dutch data marked lang="nl", and a language switch
that is one link to the same page in Dutch."""

import pytest

from tests.browser.test_accessibility import describe, violations

pytestmark = pytest.mark.browser

PAGES = {
    "home": "/",
    "list": "/fiches/",
    "search": "/fiches/?q=betrouwbare+AI",
    "fiche": "/fiches/22112-3908/",
    "dossiers": "/voorstellen/",
    "dossier": "/voorstellen/com-2024-28/",
    "commitments": "/toezeggingen/?status=open",
    "statistics": "/statistieken/",
    "about": "/over/",
    "accessibility statement": "/toegankelijkheid/",
    "feeds": "/feeds/",
}
WIDTHS = (1280, 390)


@pytest.fixture
def sized_page(browser, request):
    context = browser.new_context(locale="en-GB", viewport={"width": request.param, "height": 900})
    page = context.new_page()
    yield page
    context.close()


class EnglishPagesTests:
    @pytest.mark.parametrize("sized_page", WIDTHS, indirect=True, ids=lambda w: f"{w}px")
    @pytest.mark.parametrize("name", PAGES)
    def test_each_page_type_reads_in_english_fits_the_screen_and_passes_axe(self, site, sized_page, name):
        page = sized_page
        response = page.goto(site + "/en" + PAGES[name])
        assert response.status == 200
        assert page.locator("html").get_attribute("lang") == "en"
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], f"{name} scrolls sideways: {width}"
        found = violations(page)
        assert not found, f"{name}: {describe(found)}"

    @pytest.mark.parametrize("name", PAGES)
    def test_the_switch_is_one_link_to_the_same_page_in_dutch(self, site, page, name):
        page.goto(site + "/en" + PAGES[name])
        switch = page.locator(".language-switch a")
        assert switch.count() == 1
        assert switch.inner_text() == "Nederlands" and switch.get_attribute("lang") == "nl" and switch.get_attribute("hreflang") == "nl"
        with page.expect_navigation():
            switch.click()
        assert page.url == site + PAGES[name]  # the query string too
        assert page.locator("html").get_attribute("lang") == "nl"
        assert page.locator(".language-switch a").inner_text() == "English"

    def test_the_fiche_title_and_text_are_marked_dutch(self, site, page):
        page.goto(site + "/en/fiches/22112-3908/")
        assert page.locator("h1").get_attribute("lang") == "nl"
        assert page.locator(".fiche-section").first.get_attribute("lang") == "nl"
        assert "published in Dutch only" in page.locator(".dutch-only").inner_text()
