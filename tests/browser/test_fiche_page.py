"""The fiche page in a browser at 1280 and 390 px: a revision of the example fiche with its word diff,
citations, commitment marks and batch letter. Nothing scrolls sideways, axe finds no WCAG 2.1 A/AA
violation in Dutch or English, and the mark and its card link to each other."""

import datetime

import pytest

from .test_accessibility import describe, violations

pytestmark = pytest.mark.browser


@pytest.fixture
def revision_url(transactional_db, live_server):
    from django.core.management import call_command

    from positions.models import BatchLetter, Fiche, Footnote, Verdict
    from tests import factories

    call_command("load_fixtures", verbosity=0)
    example = Fiche.objects.get(kamerstuk="22112-3908")
    letter = BatchLetter.objects.get_or_create(kamerstuk="22112-3950", defaults={"date": datetime.date(2024, 9, 2)})[0]
    sections = []
    for s in example.sections.all():
        text = s.text.replace("Het kabinet", "De regering", 1)
        if not sections:
            text += ("\n\nZie Kamerstuk 22 112, nr. 3908, Kamerstukken II 2021/22, 21 501-33, nr. 12 en COM(2021) 206."
                     "\n\nHet kabinet zal de Kamer voor de zomer informeren over de uitvoering.")
        sections.append((s.key, s.number, s.title, text))
    revision = factories.fiche(
        title=f"{example.title} (herzien)", kamerstuk="22112-3951", sent_on=datetime.date(2024, 9, 2), revises=example,
        is_revision=True, batch_letter=letter, batch_position=4, documents=list(example.documents.all()),
        template=example.template, competence=Verdict.NEGATIVE, subsidiarity=example.subsidiarity, proportionality=example.proportionality,
        sections=sections,
    )
    Footnote.objects.create(fiche=revision, number=1, text="Kamerstuk 26 643, nr. 941; COM(2023) 1",
                            urls=["https://zoek.officielebekendmakingen.nl/kst-26643-941.html?een-heel-lange-parameter=" + "x" * 80])
    factories.commitment(revision, quote="Het kabinet zal de Kamer voor de zomer informeren over de uitvoering.",
                         section_key=sections[0][0], summary="Kamer informeren over de uitvoering")
    return live_server.url + revision.get_absolute_url()


@pytest.fixture(params=[1280, 390], ids=["1280px", "390px"])
def width(request):
    return request.param


def open_page(browser, url, width, locale="nl-NL"):
    context = browser.new_context(locale=locale, viewport={"width": width, "height": 900})
    page = context.new_page()
    response = page.goto(url)
    assert response.status == 200
    return context, page


class FichePageLayoutTests:
    def test_the_revised_fiche_page_does_not_scroll_sideways(self, revision_url, browser, width):
        context, page = open_page(browser, revision_url, width)
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        assert page.locator(".changes del").count() > 0 and page.locator(".changes ins").count() > 0
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        context.close()
        assert overflow <= 0, f"the fiche page at {width}px scrolls {overflow}px sideways"

    def test_the_contents_draw_no_list_numbers_of_their_own(self, revision_url, browser):
        context, page = open_page(browser, revision_url, 1280)
        style = page.evaluate("getComputedStyle(document.querySelector('.toc-list li')).listStyleType")
        context.close()
        assert style == "none"

    def test_the_marked_sentence_and_its_card_link_to_each_other(self, revision_url, browser):
        context, page = open_page(browser, revision_url, 1280)
        page.click(".commitment-link")
        assert page.evaluate("location.hash") == "#toezegging-1"
        page.click("#toezegging-1 .commitment-in-text a")
        assert page.evaluate("location.hash") == "#toezegging-tekst-1"
        assert page.locator("mark:target").inner_text().startswith("Het kabinet zal de Kamer")
        context.close()


class FichePageAccessibilityTests:
    @pytest.mark.parametrize("locale", ["nl-NL", "en-GB"])
    def test_no_wcag_21_aa_violations_in_dutch_and_english(self, revision_url, browser, locale, width):
        # The URL sets a public page's language: the English page is the same path under /en/.
        url = revision_url if locale == "nl-NL" else revision_url.replace("/fiches/", "/en/fiches/", 1)
        context, page = open_page(browser, url, width, locale=locale)
        assert page.evaluate("document.documentElement.lang") == locale[:2]
        found = violations(page)
        context.close()
        assert not found, f"fiche page ({locale}, {width}px): {describe(found)}"
