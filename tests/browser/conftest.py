"""Browser tests: Playwright driving Debian's Chromium (never a downloaded browser), axe-core for WCAG.

Without /usr/bin/chromium these tests are deselected and the run ends with a clear line saying so;
when CI is set they run anyway and fail, so CI can never pass without them.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("FICHETRACKER_CHROMIUM", "/usr/bin/chromium"))
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]
NOT_RUN_MESSAGE = f"browser tests NOT run: no {CHROMIUM}"
_deselected = []

# Playwright's sync API keeps an event loop in the main thread; the Django calls in these tests are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists() or os.environ.get("CI"):
        return
    keep = [item for item in items if "browser" not in item.keywords]
    removed = [item for item in items if "browser" in item.keywords]
    if removed:
        _deselected.extend(removed)
        config.hook.pytest_deselected(items=removed)
        items[:] = keep


def pytest_terminal_summary(terminalreporter):
    if _deselected:
        terminalreporter.write_sep("!", f"{NOT_RUN_MESSAGE} ({len(_deselected)} deselected; install Debian's chromium)", red=True, bold=True)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{NOT_RUN_MESSAGE}, and CI is set: install the Debian package chromium.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def site(transactional_db, live_server):
    """The example fiche and a small world of fiches, commitments and documents, served live."""
    from django.core.management import call_command

    from tests.public import pages_data

    call_command("load_fixtures", verbosity=0)
    fiches = pages_data.world(4)
    outcomes(fiches)
    return live_server.url


def outcomes(fiches):
    """Published outcomes of the ledger on the example fiche (its dossier is com-2024-28) and on two of ``fiches``:
    the dossier page and the statistics page show them."""
    import datetime

    from outcomes.models import Achievement, Outcome, OutcomePoint, Vote
    from positions.models import Fiche

    example = Fiche.objects.get(kamerstuk="22112-3908")
    achievements = [Achievement.ACHIEVED, Achievement.PARTLY, Achievement.NOT_ACHIEVED]
    for n, fiche in enumerate([example, *fiches[:2]]):
        outcome = Outcome.objects.create(fiche=fiche, celex=f"32025R{100 + n:04d}", adopted_on=datetime.date(2025, 6, 1 + n),
                                         dutch_vote=[Vote.FOR, Vote.ABSTAINED, Vote.AGAINST][n], status=Fiche.Status.PUBLISHED)
        for position, achieved in enumerate(achievements[n:] + achievements[:n], start=1):
            OutcomePoint.objects.create(outcome=outcome, position=position, point=f"Punt {position} van de Nederlandse inzet", achievement=achieved,
                                        explanation="Toelichting bij het punt." if position == 1 else "")
