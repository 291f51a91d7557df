import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PAGES = {
    "home": "/",
    "list with results": "/fiches/",
    "list with errors": "/fiches/?year=abc&competence=heel+goed",
    "search": "/fiches/?q=betrouwbare+AI",
    "fiche": "/fiches/22112-3908/",
    "dossier": "/voorstellen/com-2024-28/",
    "commitments": "/toezeggingen/",
    "commitments with errors": "/toezeggingen/?status=klaar",
    "statistics": "/statistieken/",
    "about": "/over/",
    "accessibility statement": "/toegankelijkheid/",
    "not found": "/fiches/22112-1/",
}


def violations(page):
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    return results.response["violations"]


def describe(found):
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}" for v in found)


class AccessibilityTests:
    @pytest.mark.parametrize("name", PAGES)
    def test_every_page_type_has_no_wcag_21_aa_violations(self, site, page, name):
        response = page.goto(site + PAGES[name])
        assert response.status == (404 if name == "not found" else 200)
        found = violations(page)
        assert not found, f"{name}: {describe(found)}"

    def test_the_check_would_catch_a_violation(self, site, page):
        page.goto(site + "/over/")
        page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/x.png\"><input type=text>')")
        assert {"image-alt", "label"} <= {v["id"] for v in violations(page)}

    def test_the_english_interface_has_no_violations_either(self, site, page):
        page.goto(site + "/over/")
        with page.expect_navigation():
            page.click(".language-switch a[hreflang=en]")  # one link to /en/over/ (issue 14)
        assert page.url == site + "/en/over/"
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.locator("h1").inner_text() == "About fichetracker"
        found = violations(page)
        assert not found, describe(found)

    def test_pages_stay_usable_at_400_percent_zoom(self, site, browser):
        # 1280 px at 400% zoom is a 320 CSS px wide viewport: no horizontal scrolling of the page.
        context = browser.new_context(viewport={"width": 320, "height": 640})
        page = context.new_page()
        try:
            for path in ("/", "/fiches/", "/fiches/22112-3908/", "/voorstellen/com-2024-28/", "/statistieken/"):
                page.goto(site + path)
                overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
                assert overflow <= 1, f"{path} scrolls sideways by {overflow}px at 320px width"
        finally:
            context.close()

    def test_the_fiche_prints_without_navigation_or_forms(self, site, page):
        page.goto(site + "/fiches/22112-3908/")
        page.emulate_media(media="print")
        assert not page.locator(".site-header").is_visible()
        assert not page.locator(".toc").is_visible()
        assert page.locator("h1").is_visible() and page.locator("#voetnoten-kop").is_visible()
        assert len(page.pdf(format="A4")) > 10_000


class KeyboardTests:
    def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(self, site, page):
        page.goto(site + "/fiches/")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip-link"
        assert page.evaluate("getComputedStyle(document.activeElement).left") != "-9999px"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "inhoud"

    def test_the_filter_form_is_reachable_in_order_with_visible_focus_and_submits_by_keyboard(self, site, page):
        page.goto(site + "/fiches/")
        expected = ["id_q", "id_year", "id_council", "id_ministry", "id_document_kind", "id_template",
                    "id_competence", "id_subsidiarity", "id_proportionality", "id_commitment_status"]
        page.focus("#id_q")
        seen = []
        for _ in range(len(expected)):
            active = page.evaluate("document.activeElement.id")
            seen.append(active)
            outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
            assert outline not in ("none", ""), f"no visible focus on {active}"
            page.keyboard.press("Tab")
        assert seen == expected
        assert page.evaluate("document.activeElement.type") == "submit"
        page.focus("#id_q")
        page.keyboard.type("betrouwbare")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "q=betrouwbare" in page.url
        assert page.locator(".result-count").is_visible()

    def test_an_error_summary_links_to_the_field_in_error(self, site, page):
        page.goto(site + "/fiches/?year=abc")
        link = page.locator(".error-summary a").first
        link.focus()
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "id_year"
        assert page.locator("#id_year").get_attribute("aria-invalid") == "true"
