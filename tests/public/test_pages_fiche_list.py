import datetime
import re

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from positions.models import Commitment, Fiche, Verdict
from proposals.models import CommissionDocument

from . import pages_data as data

pytestmark = pytest.mark.django_db
URL = "/fiches/"


class FicheListTests:
    def test_it_lists_published_fiches_and_hides_drafts(self, client):
        data.fiche(title="Openbaar fiche over spoorwegen")
        data.fiche(published=False, title="Concept over spoorwegen")
        body = client.get(URL).content.decode()
        assert "Openbaar fiche over spoorwegen" in body
        assert "Concept over spoorwegen" not in body

    def test_filter_choices_count_published_fiches_only(self, client):
        data.fiche(ministry="ezk")
        data.fiche(ministry="ezk")
        data.fiche(published=False, ministry="fin")
        body = client.get(URL).content.decode()
        assert "Ministerie van Economische Zaken en Klimaat (EZK) (2)" in body
        assert "Financiën" not in body

    def test_verdict_and_template_choices_count_published_fiches_only(self, client):
        data.fiche(verdict=Verdict.NEGATIVE, template="legislative")
        data.fiche(verdict=Verdict.NEGATIVE, template="communication", subsidiarity=Verdict.NEUTRAL)
        data.fiche(verdict=Verdict.POSITIVE, template="communication")
        data.fiche(published=False, verdict=Verdict.NOT_YET, template="legislative")
        body = client.get(URL).content.decode()
        assert '<option value="negatief">negatief (2)</option>' in body  # competence and proportionality
        assert '<option value="neutraal">neutraal (1)</option>' in body  # subsidiarity of the second
        assert '<option value="positief">positief (1)</option>' in body
        assert "nog niet te beoordelen (" not in body
        assert '<option value="communication">mededeling (2)</option>' in body
        assert '<option value="legislative">wetgevend voorstel (1)</option>' in body

    @pytest.mark.parametrize(
        ("params", "expected", "excluded"),
        [
            ({"year": "2023"}, "Fiche 2023", "Fiche 2024"),
            ({"council": "ECOFIN"}, "Fiche 2024", "Fiche 2023"),
            ({"ministry": "fin"}, "Fiche 2024", "Fiche 2023"),
            ({"template": "legislative"}, "Fiche 2024", "Fiche 2023"),
            ({"document_kind": "regulation"}, "Fiche 2024", "Fiche 2023"),
            ({"competence": Verdict.NEGATIVE}, "Fiche 2024", "Fiche 2023"),
            ({"subsidiarity": Verdict.POSITIVE}, "Fiche 2023", "Fiche 2024"),
            ({"proportionality": Verdict.NEGATIVE}, "Fiche 2024", "Fiche 2023"),
            ({"commitment_status": "fulfilled"}, "Fiche 2024", "Fiche 2023"),
        ],
    )
    def test_each_filter_narrows_the_list(self, client, params, expected, excluded):
        data.fiche(title="Fiche 2023", year=2023)
        later = data.fiche(title="Fiche 2024", year=2024, ministry="fin", council="ecofin", template="legislative", verdict=Verdict.NEGATIVE,
                           documents=[data.document(kind=CommissionDocument.Kind.REGULATION)])
        data.commitment(later, status=Commitment.Status.FULFILLED)
        response = client.get(URL, params)
        body = response.content.decode()
        assert response.status_code == 200
        assert expected in body
        assert excluded not in body

    @pytest.mark.parametrize(
        ("params", "message"),
        [
            ({"year": "abc"}, "Kies een jaar uit de lijst; &#x27;abc&#x27; komt in de gepubliceerde fiches niet voor."),
            ({"council": "<script>"}, "&#x27;&lt;script&gt;&#x27; komt in de gepubliceerde fiches niet voor"),
            ({"competence": "heel goed"}, "Kies een oordeel uit de lijst"),
            ({"q": "x" * 300}, "Een zoekopdracht is hoogstens 200 tekens lang; deze telt er 300."),
        ],
    )
    def test_invalid_input_shows_a_clear_error_with_status_200(self, client, params, message):
        data.fiche(title="Een fiche")
        response = client.get(URL, params)
        body = response.content.decode()
        assert response.status_code == 200
        assert "Controleer de filters" in body
        assert message in body
        assert 'aria-invalid="true"' in body
        assert "Een fiche" not in body

    def test_an_unpublished_value_is_not_a_valid_choice(self, client):
        data.fiche(ministry="ezk")
        data.fiche(published=False, ministry="fin", title="Geheim")
        body = client.get(URL, {"ministry": "fin"}).content.decode()
        assert "Kies een ministerie uit de lijst" in body
        assert "Geheim" not in body

    def test_out_of_range_page_shows_the_last_page(self, client):
        data.fiche(title="Enige fiche")
        for page in ("999", "-1", "abc"):
            response = client.get(URL, {"page": page})
            assert response.status_code == 200
            assert "Enige fiche" in response.content.decode()

    def test_pagination_keeps_filters_and_reaches_deep_pages(self, client):
        for i in range(30):
            data.fiche(title=f"Fiche volgnummer {i:02d}", sent_on=datetime.date(2024, 3, 1) + datetime.timedelta(days=i))
        first = client.get(URL, {"year": "2024"}).content.decode()
        assert "year=2024&amp;page=2" in first
        second = client.get(URL, {"year": "2024", "page": "2"}).content.decode()
        assert "Fiche volgnummer 00" in second and "Fiche volgnummer 29" not in second
        assert "Pagina 2 van 2" in second


class FicheSearchTests:
    def test_it_finds_words_in_sections(self, client):
        data.fiche(title="Fiche A", sections=[("essence", "Essentie", "Het gaat over waterstofnetwerken in Europa.")])
        data.fiche(title="Fiche B", sections=[("essence", "Essentie", "Het gaat over landbouw.")])
        body = client.get(URL, {"q": "waterstofnetwerken"}).content.decode()
        assert "Fiche A" in body and "Fiche B" not in body
        assert "<mark>waterstofnetwerken</mark>" in body

    def test_it_finds_words_in_the_title_and_document_title(self, client):
        data.fiche(title="Mededeling over kunstmatige intelligentie")
        data.fiche(title="Ander fiche", documents=[data.document(title="Verordening betreffende batterijen")])
        assert "kunstmatige intelligentie" in client.get(URL, {"q": "intelligentie"}).content.decode()
        assert "Ander fiche" in client.get(URL, {"q": "batterijen"}).content.decode()

    def test_snippets_escape_html_from_the_data(self, client):
        data.fiche(title="Fiche met opmaak", sections=[("essence", "Essentie", "Tekst <b>vet</b> & <script>alert(1)</script> over zonnepanelen.")])
        body = client.get(URL, {"q": "zonnepanelen"}).content.decode()
        assert "<script>alert(1)</script>" not in body
        assert "<b>vet</b>" not in body
        if connection.vendor != "postgresql":  # ts_headline drops tags itself; the fallback escapes them
            assert "&lt;b&gt;vet&lt;/b&gt;" in body
        assert "<mark>zonnepanelen</mark>" in body

    def test_snippets_start_and_end_between_words(self, client, example):
        body = client.get(URL, {"q": "rekenkracht"}).content.decode()
        snippet = body[body.index('<mark>rekenkracht</mark>') - 200:body.index('<mark>rekenkracht</mark>') + 260]
        assert "… gens de Commissie" not in snippet
        if connection.vendor != "postgresql":
            assert "… de Commissie beschikt de EU" in snippet and "een strategisch …</p>" in snippet

    def test_drafts_never_reach_search(self, client):
        data.fiche(published=False, title="Concept over kernfusie", sections=[("essence", "Essentie", "kernfusie")])
        body = client.get(URL, {"q": "kernfusie"}).content.decode()
        assert "0 fiches gevonden" in body and "Concept over kernfusie" not in body

    def test_search_combines_with_filters(self, client):
        data.fiche(title="Fiche EZK", ministry="ezk", sections=[("essence", "Essentie", "over quantumcomputers")])
        data.fiche(title="Fiche FIN", ministry="fin", sections=[("essence", "Essentie", "over quantumcomputers")])
        body = client.get(URL, {"q": "quantumcomputers", "ministry": "fin"}).content.decode()
        assert "Fiche FIN" in body and "Fiche EZK" not in body

    def test_postgresql_ranks_stems_and_keeps_the_vector_current(self, client):
        """PostgreSQL: Dutch stemming, title (A) above section (C), trigger updates; SQLite: plain words."""
        in_title = data.fiche(title="Netwerken voor waterstof", sections=[("essence", "Essentie", "niets")])
        in_text = data.fiche(title="Ander fiche", sections=[("essence", "Essentie", "Over netwerken voor waterstof.")])
        in_text.sections.update(text="Over netwerken voor waterstof en accu's.")
        body = client.get(URL, {"q": "waterstof"}).content.decode()
        assert body.index("Netwerken voor waterstof") < body.index("Ander fiche")
        section = in_title.sections.get()
        section.text = "Nu ook over windparken."
        section.save()
        assert "Netwerken voor waterstof" in client.get(URL, {"q": "windparken"}).content.decode()
        if connection.vendor == "postgresql":
            # Stemming: "netwerk" finds "netwerken"; websearch syntax excludes with a minus sign.
            assert "Netwerken voor waterstof" in client.get(URL, {"q": "netwerk"}).content.decode()
            body = client.get(URL, {"q": "waterstof -accu"}).content.decode()
            assert "Netwerken voor waterstof" in body and "Ander fiche" not in body


def page(client, *args):
    """The page's HTML without its CSRF token (a new one on every request)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", client.get(*args).content.decode())


class ResultCacheTests:
    """The count and each page's keys are cached by content version and query string (views.paginate)."""

    def test_a_publication_and_a_withdrawal_change_the_count_and_the_page_at_once(self, client):
        data.world(3)
        before = page(client, URL)
        assert page(client, URL) == before  # now from the cached count and keys
        new = data.fiche(title="Zojuist gepubliceerd fiche")
        body = page(client, URL)
        assert "Zojuist gepubliceerd fiche" in body and body != before
        Fiche.objects.filter(pk=new.pk).update(status=Fiche.Status.DRAFT)
        assert "Zojuist gepubliceerd fiche" not in page(client, URL)

    def test_pages_and_queries_are_cached_apart(self, client):
        for index in range(30):
            data.fiche(title=f"Fiche nummer {index:02d}", year=2000 + index % 3)
        first, second = page(client, URL), page(client, URL, {"page": "2"})
        titles_first = set(re.findall(r"Fiche nummer \d\d", first))
        titles_second = set(re.findall(r"Fiche nummer \d\d", second))
        assert len(titles_first) == 25 and len(titles_second) == 5 and not titles_first & titles_second
        assert page(client, URL, {"page": "2"}) == second
        only_2001 = page(client, URL, {"year": "2001"})
        assert set(re.findall(r"Fiche nummer \d\d", only_2001)) == {f"Fiche nummer {i:02d}" for i in range(30) if i % 3 == 1}

    def test_a_search_follows_an_edited_section_at_once(self, client):
        fiche = data.fiche(title="Fiche over energie", sections=[("essence", "Essentie", "over windparken")])
        assert "Fiche over energie" in page(client, URL, {"q": "windparken"})
        assert "Fiche over energie" in page(client, URL, {"q": "windparken"})
        fiche.sections.update(text="over zonnepanelen")
        assert "Fiche over energie" not in page(client, URL, {"q": "windparken"})
        assert "Fiche over energie" in page(client, URL, {"q": "zonnepanelen"})


class FacetCacheTests:
    def test_facet_counts_follow_a_publication_and_a_withdrawal_at_once(self, client):
        first = data.fiche(ministry="ezk")
        assert "(EZK) (1)" in client.get(URL).content.decode()
        second = data.fiche(ministry="ezk")
        assert "(EZK) (2)" in client.get(URL).content.decode()
        Fiche.objects.filter(pk=second.pk).update(status=Fiche.Status.DRAFT)  # a bulk update, as a script would
        assert "(EZK) (1)" in client.get(URL).content.decode()
        first.competence = Verdict.NEGATIVE
        first.save()
        body = client.get(URL).content.decode()
        assert '<option value="negatief">negatief (1)</option>' in body

    def test_cached_facets_never_show_drafts(self, client):
        data.fiche(ministry="ezk")
        client.get(URL)
        data.fiche(published=False, ministry="fin")
        body = client.get(URL).content.decode()
        assert "Financiën" not in body and "(EZK) (1)" in body

    def test_cached_facets_expire_when_the_next_embargo_lifts(self, client):
        from pagecache.results import ContentCache

        data.fiche(ministry="ezk")
        data.fiche(ministry="fin", public_from=timezone.now() + datetime.timedelta(seconds=90))
        assert "Financiën" not in client.get(URL).content.decode()
        _key, timeout = ContentCache(Fiche.objects.published(), True).state()
        assert 0 < timeout <= 90

    def test_the_cache_key_changes_with_every_write(self):
        from pagecache.results import ContentCache

        data.fiche()
        before = ContentCache(Fiche.objects.published(), True).state()[0]
        data.fiche()
        assert ContentCache(Fiche.objects.published(), True).state()[0] != before


class FicheListQueryCountTests:
    @pytest.mark.parametrize("size", [3, 12])
    def test_list_queries_do_not_grow_with_rows(self, client, django_assert_num_queries, size):
        data.world(size)
        # count, keys, rows, documents, the facet cache's content version + on a miss 6 facet queries (year,
        # council, ministry, document kind, commitment status, and one conditional aggregate for the three
        # verdicts and the template kind): 13 before, now 11 on a miss; with the facets cached, 5 for a
        # new filter (count, keys, rows, documents, version) and 3 for a page already asked for (the count
        # and the page's keys cached too: version, rows, documents).
        with django_assert_num_queries(11):
            assert client.get(URL).status_code == 200
        with django_assert_num_queries(3):
            assert client.get(URL, {"page": "1"}).status_code == 200
        with django_assert_num_queries(5):
            assert client.get(URL, {"year": "2024"}).status_code == 200

    @pytest.mark.parametrize("size", [3, 12])
    def test_search_queries_do_not_grow_with_rows(self, client, django_assert_num_queries, size):
        data.world(size)
        with django_assert_num_queries(11):
            body = client.get(URL, {"q": "digitale markten", "ministry": "ezk"}).content.decode()
        assert "<mark>" in body
        with django_assert_num_queries(5):  # another search: the facets come from the cache
            assert "<mark>" in client.get(URL, {"q": "digitale"}).content.decode()

    def test_feeds_and_exports_can_reuse_the_filterset(self):
        from public.filters import FicheFilter

        data.fiche(title="Fiche X", year=2023)
        filterset = FicheFilter({"year": "2023"}, queryset=Fiche.objects.published())
        assert [f.title for f in filterset.qs] == ["Fiche X"]
        assert reverse("public:fiche_list") == URL
