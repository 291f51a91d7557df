"""Reader pages at two widths (1280 and 390 px): nothing scrolls sideways, chart text stays readable on a
phone, and the statistics, dossier and API pages have no WCAG 2.1 A/AA violations in Dutch and English."""

import pytest

from .test_accessibility import describe, violations

pytestmark = pytest.mark.browser

PAGES = {
    "fiche": "/fiches/22112-3908/",
    "dossier": "/voorstellen/com-2024-28/",
    "statistics": "/statistieken/",
    "statistics for one year": "/statistieken/?jaar=2024",
    "api docs": "/api/v1/",
}


@pytest.fixture(params=[1280, 390], ids=["1280px", "390px"])
def width(request):
    return request.param


def open_page(browser, url, width, locale="nl-NL"):
    context = browser.new_context(locale=locale, viewport={"width": width, "height": 900})
    page = context.new_page()
    return context, page, page.goto(url)


class ReaderPagesLayoutTests:
    @pytest.mark.parametrize("name", PAGES)
    def test_nothing_scrolls_sideways(self, site, browser, width, name):
        context, page, response = open_page(browser, site + PAGES[name], width)
        assert response.status == 200
        # open every table and example too: they must fit as well
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        context.close()
        assert overflow <= 0, f"{name} at {width}px scrolls {overflow}px sideways"

    def test_every_chart_label_is_at_least_12px_on_a_phone(self, site, browser):
        context, page, _response = open_page(browser, site + "/statistieken/", 390)
        sizes = page.evaluate("""() => [...document.querySelectorAll('.hchart, .hchart *')]
            .filter(e => e.childNodes.length && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
            .map(e => [e.textContent.trim().slice(0, 40), parseFloat(getComputedStyle(e).fontSize)])""")
        context.close()
        assert len(sizes) > 10
        small = [(text, size) for text, size in sizes if size < 12]
        assert not small, small

    def test_the_statistics_charts_draw_a_pattern_besides_colour(self, site, browser):
        context, page, _response = open_page(browser, site + "/statistieken/", 1280)
        fills = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('.hchart rect.seg')]
            .map(r => [r.getAttribute('class'), getComputedStyle(r).fill]))""")
        context.close()
        assert fills["seg seg-late"].startswith("url(") and fills["seg seg-on_time"] != fills["seg seg-late"]


class ReaderPagesAccessibilityTests:
    @pytest.mark.parametrize("locale", ["nl-NL", "en-GB"])
    @pytest.mark.parametrize("name", ["dossier", "statistics", "api docs", "fiche"])
    def test_no_wcag_21_aa_violations_in_dutch_and_english(self, site, browser, name, locale):
        # The URL sets the language of a public page: English lives under /en/ (the browser's locale alone keeps it Dutch).
        # The API documentation keeps one URL and follows the browser's language.
        path = PAGES[name] if locale == "nl-NL" or PAGES[name].startswith("/api/") else "/en" + PAGES[name]
        context, page, response = open_page(browser, site + path, 1280, locale=locale)
        assert response.status == 200
        assert page.evaluate("document.documentElement.lang") == locale[:2]
        found = violations(page)
        context.close()
        assert not found, f"{name} ({locale}): {describe(found)}"
