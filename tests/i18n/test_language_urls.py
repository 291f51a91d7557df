"""English at /en/... (issue 14): the URL decides the language of a public page, every public page names
its other language (hreflang), Dutch data on English pages is marked lang="nl", the sitemap lists both
languages, and unpublished content stays off the English URLs as off the Dutch ones.

Decided (common.language): on a public page only the URL counts. A Dutch URL renders Dutch whatever the
language cookie or Accept-Language say (a crawler, a shared link and the page cache see one language per
URL), and / is never redirected to /en/. Where one URL serves both languages (admin, staff pages, the API
documentation) the cookie, then Accept-Language, decide as before.
"""

import re
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.urls import reverse

from tests import factories
from tests.public import outputs_builders as build

pytestmark = pytest.mark.django_db

ALTERNATE = re.compile(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">')
SWITCH = re.compile(r'<p class="language-switch"><a href="([^"]+)" hreflang="(\w+)" lang="(\w+)" rel="alternate">([^<]+)</a></p>')


def body(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def public_pages(fiche):
    """One Dutch URL of every public page type (with a query string on the lists, which the alternates keep)."""
    document = fiche.documents.first()
    return ["/", "/fiches/?q=innovatie", fiche.get_absolute_url(), "/voorstellen/", document.get_absolute_url(),
            "/toezeggingen/?status=open", "/statistieken/", "/over/", "/toegankelijkheid/", "/feeds/"]


@pytest.fixture
def english_cookie(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


class LanguageByUrlTests:
    def test_an_en_url_renders_english_and_the_same_url_without_it_dutch(self, client, example):
        url = example.get_absolute_url()
        english = client.get("/en" + url)
        assert english["Content-Language"] == "en" and '<html lang="en">' in body(english)
        assert "General data" in body(english) and "Algemene gegevens" not in body(english)
        dutch = client.get(url)
        assert dutch["Content-Language"] == "nl" and '<html lang="nl">' in body(dutch) and "Algemene gegevens" in body(dutch)

    def test_a_dutch_url_stays_dutch_whatever_the_cookie_or_the_browser_prefer(self, english_cookie, example):
        for accept in ("en", "en-GB,en;q=0.9", "nl"):
            response = english_cookie.get("/", headers={"accept-language": accept})
            assert response.status_code == 200  # no redirect to /en/
            assert '<html lang="nl">' in body(response) and "Zoek in alle gepubliceerde fiches" in body(response)
            assert "Accept-Language" not in response.get("Vary", "")  # the URL alone decides

    def test_an_english_url_stays_english_for_a_reader_who_prefers_dutch(self, client, example):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
        response = client.get("/en/fiches/", headers={"accept-language": "nl"})
        assert '<html lang="en">' in body(response) and "Published fiches" in body(response)

    def test_pages_with_one_url_still_follow_the_cookie_then_the_browser(self, client, english_cookie):
        assert '<html lang="en">' in body(english_cookie.get("/api/v1/"))
        english_cookie.cookies.pop(settings.LANGUAGE_COOKIE_NAME)
        assert '<html lang="en">' in body(client.get("/api/v1/", headers={"accept-language": "en"}))
        response = client.get("/api/v1/", headers={"accept-language": "nl"})
        assert '<html lang="nl">' in body(response) and "Accept-Language" in response["Vary"]
        assert 'Log in' in body(client.get("/admin/login/", headers={"accept-language": "en"}))

    def test_existing_dutch_urls_are_unchanged(self, example):
        assert reverse("public:fiche_list") == "/fiches/"
        assert reverse("public:fiche_detail", kwargs={"kamerstuk": "22112-3908"}) == "/fiches/22112-3908/"
        assert reverse("public:fiche_feed") == "/feeds/fiches/" and reverse("api:index") == "/api/v1/"
        assert reverse("followup:dashboard") == "/opvolging/" and reverse("sitemap") == "/sitemap.xml"

    def test_a_dutch_prefix_is_not_a_second_address_of_the_dutch_page(self, client, example):
        assert client.get("/nl/fiches/").status_code == 404


class AlternateTests:
    def test_every_public_page_type_names_both_languages_and_links_the_other(self, client, example):
        for dutch_url in public_pages(example):
            english_url = "/en" + dutch_url
            expected = {"nl": f"http://testserver{dutch_url}", "en": f"http://testserver{english_url}",
                        "x-default": f"http://testserver{dutch_url}"}
            for url, other, name in ((dutch_url, "en", "English"), (english_url, "nl", "Nederlands")):
                page = body(client.get(url))
                assert dict(ALTERNATE.findall(page)) == expected, url
                switch = SWITCH.search(page)
                assert switch, url
                assert switch.groups() == (expected[other], other, other, name), url

    def test_the_switch_is_a_link_and_no_form_on_public_pages(self, client, example):
        page = body(client.get("/en/fiches/"))
        assert 'action="/i18n/setlang/"' not in page and 'id="language-select"' not in page

    def test_pages_with_one_url_have_no_alternates_and_keep_the_language_form(self, client):
        page = body(client.get("/api/v1/"))
        assert not ALTERNATE.findall(page) and 'action="/i18n/setlang/"' in page


class DutchContentMarkTests:
    def test_dutch_data_on_an_english_fiche_page_is_marked_dutch(self, client, example):
        page = body(client.get("/en" + example.get_absolute_url()))
        assert f'<h1 lang="nl">{example.title}</h1>' in page
        assert re.search(r'<section aria-labelledby="onderdeel-essence" class="fiche-section" lang="nl">', page)
        assert '<blockquote class="verdict-sentence" lang="nl">' in page
        commitment = example.commitments.first()
        assert f'<h3 lang="nl">{commitment.summary}</h3>' in page
        assert "Fiches are published in Dutch only" in page
        # The interface around it stays English and unmarked.
        assert '<h2 id="toezeggingen">Commitments</h2>' in page

    def test_a_dutch_page_needs_no_marks(self, client, example):
        page = body(client.get(example.get_absolute_url()))
        assert not re.search(r'(?<!href)lang="nl"', page.replace('<html lang="nl">', ""))
        assert "Fiches are published in Dutch only" not in page
        assert "De fiches verschijnen alleen in het Nederlands" not in page

    def test_list_rows_and_search_snippets_are_marked_dutch_on_english_lists(self, client, example):
        page = body(client.get("/en/fiches/", {"q": "innovatie"}))
        assert f'lang="nl">{example.title}</a>' in page
        assert '<p class="snippet" lang="nl">' in page
        assert "Fiches are published in Dutch only" in page
        home = body(client.get("/en/"))
        assert f'lang="nl">{example.title}</a>' in home

    def test_commitment_texts_are_marked_dutch_on_the_english_commitment_list(self, client, example):
        page = body(client.get("/en/toezeggingen/"))
        commitment = example.commitments.first()
        assert f'lang="nl">{commitment.summary}</a></h3>' in page
        assert f'lang="nl">{example.title}</a>' in page


class SitemapAlternateTests:
    XHTML = "{http://www.w3.org/1999/xhtml}link"
    LOC = "{http://www.sitemaps.org/schemas/sitemap/0.9}"

    def test_each_entry_names_both_languages_and_the_dutch_default(self, client, example):
        root = ET.fromstring(client.get("/sitemap.xml").content)  # noqa: S314 - our own response, in a test
        entries = {url.find(f"{self.LOC}loc").text: {link.get("hreflang"): link.get("href") for link in url.iter(self.XHTML)}
                   for url in root.iter(f"{self.LOC}url")}
        dutch, english = f"http://testserver{example.get_absolute_url()}", f"http://testserver/en{example.get_absolute_url()}"
        expected = {"nl": dutch, "en": english, "x-default": dutch}
        assert entries[dutch] == entries[english] == expected
        assert entries["http://testserver/en/statistieken/"]["nl"] == "http://testserver/statistieken/"
        assert entries["http://testserver/api/v1/"] == {}  # one URL for both languages
        assert "http://testserver/en/api/v1/" not in entries

    def test_unpublished_fiches_are_in_neither_language(self, client):
        build.published_world(1)
        secrets = build.unpublished_world()
        text = client.get("/sitemap.xml").content.decode()
        for fiche in secrets.values():
            assert fiche.kamerstuk not in text
        assert build.MARKER not in text


class EnglishUnpublishedTests:
    """The marker test (tests/public/test_security_unpublished.py) over the English URLs of every public route."""

    @pytest.fixture
    def world(self):
        published = build.published_world(2)
        return {"published": published, "secrets": build.unpublished_world()}

    def test_no_english_url_reveals_unpublished_data(self, client, world):
        leaks, bad, requested = [], [], 0
        for name, urls in build.public_urls(world["published"], world["secrets"]).items():
            if not name.startswith("public:"):
                continue  # one URL for both languages: covered by the Dutch test
            for path, query in urls:
                response = client.get("/en" + path, query)
                requested += 1
                if response.status_code not in (200, 301, 302, 404):
                    bad.append((name, path, response.status_code))
                    continue
                text = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
                asked = " ".join([path, *(str(value) for value in query.values())])
                if build.MARKER in text:
                    leaks.append((name, path, build.MARKER))
                for fiche in world["secrets"].values():
                    doc = fiche.documents.first()
                    leaks += [(name, path, s) for s in (fiche.kamerstuk, doc.reference, doc.slug) if s in text and s not in asked]
        assert not bad, bad
        assert not leaks, leaks
        assert requested > 50

    def test_an_unpublished_fiche_is_404_on_the_english_url_as_on_the_dutch_one(self, client, world):
        shown = world["published"][0].get_absolute_url()
        for fiche in world["secrets"].values():
            doc = fiche.documents.first()
            for path in (f"/fiches/{fiche.kamerstuk}/", f"/voorstellen/{doc.slug}/", f"/feeds/voorstellen/{doc.slug}/"):
                assert client.get(path).status_code == 404, path
                english = client.get("/en" + path)
                assert english.status_code == 404, path
                assert build.MARKER not in english.content.decode()
        assert client.get("/en" + shown).status_code == 200

    def test_a_draft_title_is_no_search_result_in_english(self, client, world):
        page = body(client.get("/en/fiches/", {"q": build.SEARCH_WORD}))
        assert build.MARKER not in page and "0 fiches found" in page


def test_a_new_english_page_of_a_published_fiche_appears_at_once(client):
    fiche = factories.fiche(title="Nieuw Engels bereikbaar fiche")
    assert 'lang="nl">Nieuw Engels bereikbaar fiche' in body(client.get("/en" + fiche.get_absolute_url()))
