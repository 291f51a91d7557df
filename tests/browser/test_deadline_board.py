"""The editors' deadline board (admin dashboard) with parliament's subsidiarity window in a real browser: at 1280
and 390 px nothing scrolls sideways and axe finds no WCAG 2.1 AA violation."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from positions.models import Fiche
from proposals.models import CommissionDocument
from tests import factories
from tests.positions.conftest import make_fiche

from .test_accessibility import describe
from .test_editor_admin import violations

pytestmark = pytest.mark.browser

WIDTHS = (1280, 390)


@pytest.fixture
def board(transactional_db, live_server):
    """Documents awaiting a fiche (legislative and not, one overdue) and fiches in review, sent and not, with long
    official titles as real ones are. Returns (base url, session cookie)."""
    today = timezone.localdate()
    ministry = factories.ministry()
    # A superuser of the ministry: a live-server test's flush removes the roles' groups, a superuser needs none.
    editor = User.objects.create_user("redacteur", password=None, is_staff=True, is_superuser=True, first_name="Roos")
    ministry.members.add(editor)
    title = ("Voorstel voor een verordening van het Europees Parlement en de Raad tot vaststelling van geharmoniseerde regels "
             "betreffende de digitale operationele weerbaarheid van de financiële sector")
    for i, (days_ago, kind) in enumerate([(10, "regulation"), (30, "directive"), (60, "communication"), (5, "decision")]):
        factories.document(f"COM({today.year}) {700 + i}", received_on=today - datetime.timedelta(days=days_ago), kind=kind, title=title)
    for i, sent in enumerate([datetime.date(2024, 9, 1), datetime.date(2024, 10, 8), None]):
        doc = factories.document(f"COM(2024) {710 + i}", received_on=datetime.date(2024, 7, 10), kind=CommissionDocument.Kind.REGULATION, title=title)
        make_fiche(Fiche.Status.REVIEW, ministry=ministry, documents=[doc], received_on=datetime.date(2024, 7, 10), sent_on=sent,
                   title=f"Verordening over de digitale operationele weerbaarheid van de financiële sector, deel {i}")
    client = Client()
    client.force_login(editor)
    return live_server.url, client.cookies["sessionid"].value


def open_page(browser, url, cookie, width):
    context = browser.new_context(locale="nl-NL", viewport={"width": width, "height": 900})
    context.add_cookies([{"name": "sessionid", "value": cookie, "url": url}])
    return context, context.new_page()


class DeadlineBoardInTheBrowserTests:
    @pytest.mark.parametrize("width", WIDTHS)
    def test_the_board_does_not_scroll_sideways_and_has_no_wcag_violations(self, browser, board, width):
        base, cookie = board
        context, page = open_page(browser, base, cookie, width)
        try:
            assert page.goto(base + reverse("admin:dashboard")).status == 200
            assert page.get_by_text("fiche verzonden met nog 34 dagen van de termijn").count() == 2
            assert page.get_by_text("fiche verzonden 3 dagen na het einde van de termijn").count() == 2
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), \
                page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            found = violations(page)
            assert not found, describe(found)
        finally:
            context.close()
