import datetime
import re

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fichetracker.settings import with_page_cache
from pagecache.middleware import MAX_AGE, cache_timeout, content_state
from positions.models import Fiche, FicheSection

LIST = reverse("public:fiche_list")
EXAMPLE = reverse("public:fiche_detail", kwargs={"kamerstuk": "22112-3908"})
API_DOCS = reverse("api:index")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def page_cache(settings, example):
    settings.MIDDLEWARE = with_page_cache(settings.MIDDLEWARE)
    settings.PAGE_CACHE_LISTEN = False  # these tests run inside a transaction, which never commits: no NOTIFY
    cache.clear()
    yield example
    cache.clear()


def publish_new(title, kamerstuk="22112-9001", **extra):
    return Fiche.objects.create(title=title, template=Fiche.objects.first().template, status=Fiche.Status.PUBLISHED,
                                kamerstuk=kamerstuk, sent_on=datetime.date(2026, 11, 20), **extra)


class PublicPageCacheTests:
    def test_a_second_anonymous_request_is_served_from_the_cache_with_one_query(self, client, page_cache, django_assert_num_queries):
        first = client.get(LIST)
        assert first.status_code == 200 and "X-Page-Cache" not in first
        with django_assert_num_queries(1):
            second = client.get(LIST)
        assert second["X-Page-Cache"] == "hit"
        assert TOKEN.sub("", second.content.decode()) == TOKEN.sub("", first.content.decode())
        assert second["Content-Security-Policy"] and second["X-Frame-Options"] == "DENY"

    def test_a_publication_is_visible_at_once(self, client, page_cache):
        assert "Nieuw gepubliceerd fiche" not in client.get(LIST).content.decode()
        publish_new("Nieuw gepubliceerd fiche")
        response = client.get(LIST)
        assert "X-Page-Cache" not in response
        assert "Nieuw gepubliceerd fiche" in response.content.decode()

    def test_a_draft_never_reaches_the_cached_pages(self, client, page_cache):
        client.get(LIST)
        Fiche.objects.create(title="Geheim concept", template=page_cache.template)
        for _ in range(2):
            assert "Geheim concept" not in client.get(LIST).content.decode()

    def test_an_edit_by_a_bulk_update_is_visible_at_once(self, client, page_cache):
        client.get(EXAMPLE)
        assert client.get(EXAMPLE)["X-Page-Cache"] == "hit"
        FicheSection.objects.filter(fiche=page_cache, key="essence").update(text="Geheel herschreven essentie.")
        assert "Geheel herschreven essentie." in client.get(EXAMPLE).content.decode()

    def test_withdrawing_a_publication_takes_the_page_down_at_once(self, client, page_cache):
        assert client.get(EXAMPLE).status_code == 200
        Fiche.objects.filter(pk=page_cache.pk).update(status=Fiche.Status.DRAFT)
        assert client.get(EXAMPLE).status_code == 404
        assert page_cache.title not in client.get(LIST).content.decode()

    def test_signed_in_users_are_never_served_from_the_cache(self, client, page_cache, django_user_model):
        client.get(LIST)
        client.force_login(django_user_model.objects.create_user("lezer", password="x" * 16))
        assert "X-Page-Cache" not in client.get(LIST)
        assert "X-Page-Cache" not in client.get(LIST)

    def test_every_reader_gets_a_csrf_token_of_their_own_that_works(self, page_cache):
        # The API documentation has one URL for both languages, so it carries the language form (and a token).
        first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
        token_first = TOKEN.search(first.get(API_DOCS).content.decode()).group(1)
        hit = second.get(API_DOCS)
        assert hit["X-Page-Cache"] == "hit"
        token_second = TOKEN.search(hit.content.decode()).group(1)
        assert token_second != token_first
        assert "csrftoken" in second.cookies
        switched = second.post(reverse("set_language"), {"language": "en", "next": API_DOCS, "csrfmiddlewaretoken": token_second})
        assert switched.status_code == 302

    def test_a_hit_keeps_a_readers_csrf_cookie_and_sends_a_complete_page(self, page_cache):
        """The page cache answers before the CSRF middleware's usual place and calls it itself for a page with a form
        (the API documentation's language form)."""
        reader = Client(enforce_csrf_checks=True)
        reader.get(API_DOCS)  # a miss: the reader gets a CSRF cookie
        cookie = reader.cookies["csrftoken"].value
        hit = reader.get(API_DOCS)
        assert hit["X-Page-Cache"] == "hit"
        assert hit.cookies["csrftoken"].value == cookie  # the reader's secret is kept (Django sends it again, as always)
        assert int(hit["Content-Length"]) == len(hit.content)
        assert hit["Content-Language"] == "nl" and "Cookie" in hit["Vary"]
        token = TOKEN.search(hit.content.decode()).group(1)
        assert reader.cookies["csrftoken"].value == cookie
        switched = reader.post(reverse("set_language"), {"csrfmiddlewaretoken": token, "language": "en", "next": API_DOCS})
        assert switched.status_code == 302

    @pytest.mark.parametrize("path", [LIST, LIST + "?q=voorstel", reverse("public:commitment_list"), "/voorstellen/com-2024-28/"])
    def test_a_hit_on_a_list_or_dossier_page_sets_no_cookie_and_mints_no_token(self, page_cache, path):
        """These pages link to the e-mail sign-up page instead of carrying its form: no CSRF token in the page, so
        neither a miss nor a hit sets a cookie for a reader who has none."""
        miss = Client().get(path)
        assert miss.status_code == 200 and "X-Page-Cache" not in miss and not miss.cookies
        reader = Client()
        hit = reader.get(path)
        assert hit["X-Page-Cache"] == "hit"
        assert "Set-Cookie" not in hit and not hit.cookies and not reader.cookies
        assert "csrfmiddlewaretoken" not in hit.content.decode() and "/volgen/?kind=" in hit.content.decode()
        assert hit.content == miss.content and int(hit["Content-Length"]) == len(hit.content)

    def test_languages_are_cached_apart(self, client, page_cache):
        dutch = client.get(API_DOCS, headers={"accept-language": "nl"}).content.decode()
        english = client.get(API_DOCS, headers={"accept-language": "en"})
        assert english["Content-Language"] == "en"
        assert english.content.decode() != dutch

    def test_the_dutch_and_english_urls_of_a_page_never_serve_each_other(self, page_cache):
        reader = Client()
        for _ in range(2):  # the second round comes from the cache
            dutch, english = reader.get(EXAMPLE), reader.get("/en" + EXAMPLE)
            assert '<html lang="nl">' in dutch.content.decode() and dutch["Content-Language"] == "nl"
            assert '<html lang="en">' in english.content.decode() and english["Content-Language"] == "en"
        assert dutch["X-Page-Cache"] == english["X-Page-Cache"] == "hit"
        # A preference for English (browser or cookie) does not turn the cached Dutch URL English, nor the reverse.
        reader.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
        for url, lang in ((EXAMPLE, "nl"), ("/en" + EXAMPLE, "en")):
            for accept in ("nl", "en"):
                response = reader.get(url, headers={"accept-language": accept})
                assert response["X-Page-Cache"] == "hit" and f'<html lang="{lang}">' in response.content.decode(), (url, accept)

    def test_a_write_renews_both_languages_of_a_page(self, client, page_cache):
        for url in (EXAMPLE, "/en" + EXAMPLE):
            client.get(url)
            assert client.get(url)["X-Page-Cache"] == "hit"
        FicheSection.objects.filter(fiche=page_cache, key="essence").update(text="Geheel herschreven essentie.")
        for url in (EXAMPLE, "/en" + EXAMPLE):
            response = client.get(url)
            assert "X-Page-Cache" not in response and "Geheel herschreven essentie." in response.content.decode(), url

    def test_an_embargo_that_lifts_bounds_how_long_pages_are_kept(self, page_cache):
        assert cache_timeout(None) == MAX_AGE
        assert cache_timeout(42.7) == 42
        publish_new("Onder embargo", public_from=timezone.now() + datetime.timedelta(seconds=90))
        _version, seconds = content_state()
        assert 0 < seconds <= 90

    def test_the_admin_and_health_check_are_not_cached(self, client, page_cache):
        client.get("/healthz")
        assert "X-Page-Cache" not in client.get("/healthz")

    def test_an_unreachable_database_still_gives_the_503_page(self, client, page_cache, unreachable_database):
        client.raise_request_exception = False
        response = client.get(LIST)
        assert response.status_code == 503
        assert "Tijdelijk niet beschikbaar" in response.content.decode()


def test_one_statement_raises_the_version_once_even_when_its_rows_fire_the_search_triggers(transactional_db):
    from django.core.management import call_command
    from django.db import connection

    from pagecache.models import ContentVersion
    from positions.models import Footnote

    call_command("load_fixtures", verbosity=0)
    example = Fiche.objects.get(kamerstuk="22112-3908")
    before = ContentVersion.objects.get(pk=1).number
    # One INSERT of three footnotes, committed: each row's search trigger runs an UPDATE of positions_fiche,
    # itself a watched table; those nested statements do not bump the version again (PostgreSQL), only the INSERT.
    Footnote.objects.bulk_create([Footnote(fiche=example, number=900 + n, text=f"Voetnoot {n}") for n in range(3)])
    bumps = ContentVersion.objects.get(pk=1).number - before
    if connection.vendor == "postgresql":
        assert bumps == 1
    else:  # SQLite: row-level triggers, one bump per row
        assert bumps == 3
