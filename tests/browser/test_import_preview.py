"""Issue 13 in a real browser: upload a text fiche, correct its Kamerstuk number and one section in the preview,
confirm, and land on the created draft with those values; axe finds no WCAG 2.1 AA violation on the preview,
which does not scroll sideways at 1280 or 390 px."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import User
from django.test import Client

from positions.models import Fiche
from tests.importer.helpers import EXAMPLE, make_reference_data

from .test_accessibility import WCAG_TAGS, describe

pytestmark = pytest.mark.browser
UPLOAD = "/admin/positions/fiche/import/"
SELECT2 = {"exclude": [[".select2-container"]]}


@pytest.fixture
def importer_session(transactional_db, live_server):
    """A coordinator (superuser: a live-server flush removes the roles' groups) with the reference data."""
    make_reference_data()
    user = User.objects.create_user("carla", password=None, is_staff=True, is_superuser=True, first_name="Carla")
    client = Client()
    client.force_login(user)
    return live_server.url, client


def open_page(browser, base, client, width=1280):
    context = browser.new_context(locale="nl-NL", viewport={"width": width, "height": 900})
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}])
    return context, context.new_page()


def upload(page, base):
    page.goto(base + UPLOAD)
    page.set_input_files("input[type=file]", files=[{"name": "fiche.txt", "mimeType": "text/plain", "buffer": EXAMPLE.read_bytes()}])
    with page.expect_navigation():
        page.locator("form:has(input[type=file]) [type=submit]").first.click()
    assert page.url.endswith("controleren/"), page.url


def test_correct_and_confirm_lands_on_the_draft(browser, importer_session):
    base, client = importer_session
    context, page = open_page(browser, base, client)
    try:
        upload(page, base)
        page.fill("#id_kamerstuk", "22112-3901")
        first = page.locator("#onderdelen textarea").first
        first.evaluate("el => el.closest('details').open = true")
        first.fill("Door de redactie verbeterde tekst.")
        with page.expect_navigation():
            page.locator("button[name=action][value=confirm]").click()
        # The new text changed what the program suggests (the replaced essence held a commitment): the preview is
        # shown again with the new suggestions, nothing is created yet, and a second confirm imports what is shown.
        assert "De tekst is gewijzigd" in page.locator("body").inner_text()
        assert not Fiche.objects.exists()
        with page.expect_navigation():
            page.locator("button[name=action][value=confirm]").click()
        fiche = Fiche.objects.get()
        assert f"/admin/positions/fiche/{fiche.pk}/change/" in page.url
        assert fiche.kamerstuk == "22112-3901"
        assert fiche.sections.filter(text="Door de redactie verbeterde tekst.").exists()
        assert page.locator("body").inner_text().count("Door de redactie verbeterde tekst.") or page.locator(
            "textarea", has_text="Door de redactie verbeterde tekst.").count()
    finally:
        context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_preview_is_accessible_and_fits(browser, importer_session, width):
    base, client = importer_session
    context, page = open_page(browser, base, client, width)
    try:
        upload(page, base)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"the preview scrolls sideways by {overflow}px at {width}px"
        found = Axe().run(page, context=SELECT2, options={"runOnly": {"type": "tag", "values": WCAG_TAGS},
                                                          "resultTypes": ["violations"]}).response["violations"]
        assert not found, describe(found)
    finally:
        context.close()
