"""The reader's pages of e-mail alerts meet WCAG 2.1 AA (axe-core in Debian's Chromium) and work with the
keyboard and without JavaScript.

They live here, beside the other browser tests, so the whole run shares one Playwright session: a second
session-scoped `browser` fixture (imported into another test module) would start a second Playwright loop
while the first still runs, and every browser test after it would fail at setup."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail

from alerts import tokens
from alerts.models import Subscription, SubscriptionKind
from tests.alerts import builders as b

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def violations(tab):
    results = Axe().run(tab, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    return [f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in results.response["violations"]]


@pytest.fixture
def subscription(site):
    return b.follow("toegankelijk@example.org", kind=SubscriptionKind.MINISTRY, ministry="ezk")


class AlertPagesAccessibilityTests:
    def test_the_alert_pages_have_no_wcag_21_aa_violations(self, site, page, subscription):
        pages = {
            "subscribe": "/volgen/?kind=ministry&ministry=ezk",
            "subscribed": "/volgen/aangevraagd/",
            "confirm": f"/volgen/bevestigen/{tokens.confirm_token(subscription)}/",
            "manage": f"/volgen/beheren/{tokens.manage_token(subscription.subscriber)}/",
            "manage request": "/volgen/beheren/",
            "unsubscribe": f"/volgen/afmelden/{tokens.unsubscribe_token(subscription)}/",
            "broken link": "/volgen/beheren/ongeldig/",
            "cannot follow": "/volgen/?kind=dossier&document=com-2099-1",
            "privacy": "/privacy/",
        }
        found = {}
        for name, path in pages.items():
            page.goto(site + path)
            if problems := violations(page):
                found[name] = problems
        assert not found, found

    def test_a_sign_up_with_a_bad_address_shows_accessible_errors_tied_to_the_field(self, site, page):
        page.goto(site + "/volgen/?kind=ministry&ministry=ezk")
        page.fill("#volgen-email", "lezer@localhost")  # valid for the browser, refused by the server
        with page.expect_navigation():
            page.click("form.filters button[type=submit]")
        assert page.locator(".error-summary").is_visible()
        assert page.locator("#volgen-email").get_attribute("aria-invalid") == "true"
        assert page.locator("#volgen-email").get_attribute("aria-describedby") == "volgen-email-fout"
        assert not violations(page)

    def test_the_link_on_the_fiche_list_leads_to_the_sign_up_page_and_signs_up_with_the_keyboard_only(self, site, page):
        page.goto(site + "/fiches/?q=fiche")
        link = page.locator("ul.subscribe a", has_text="Volg deze zoekopdracht per e-mail")
        assert link.get_attribute("href") == "/volgen/?kind=fiche_search&query=q%3Dfiche"
        assert page.locator("form[method=post]").count() == 0 and not page.context.cookies()
        assert not violations(page)
        link.focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator("h1").inner_text() == "Volgen per e-mail"
        assert "Fiches met Zoeken in de tekst: fiche" in page.locator("main").inner_text()
        page.locator("#volgen-email").focus()
        page.keyboard.type("toetsenbord@example.org")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert re.search(r"/volgen/aangevraagd/$", page.url)
        assert page.locator("h1").inner_text() == "Kijk in uw mailbox"
        [message] = mail.outbox
        assert message.to == ["toetsenbord@example.org"] and "Fiches met Zoeken in de tekst: fiche" in message.body
        assert Subscription.objects.get().query == "q=fiche"
