import datetime
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from positions.models import Commitment, Fiche, Verdict
from proposals.models import CommissionDocument

from . import pages_data as data
from .search_plans import matching_queries

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
        assert ">Economische Zaken en Klimaat (2)</option>" in body
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
        assert "26-30 van 30 fiches" in second
        assert '<a href="?year=2024&amp;page=2" aria-current="page"' in second


class FicheSearchTests:
    def test_it_finds_words_in_sections(self, client):
        data.fiche(title="Fiche A", sections=[("essence", "Essentie", "Het gaat over waterstofnetwerken in Europa.")])
        data.fiche(title="Fiche B", sections=[("essence", "Essentie", "Het gaat over landbouw.")])
        body = client.get(URL, {"q": "waterstofnetwerken"}).content.decode()
        assert "Fiche A" in body and "Fiche B" not in body
        assert "<mark>waterstofnetwerken</mark>" in body

    def test_a_snippet_marks_a_word_of_the_search_when_the_others_are_elsewhere(self, client):
        """The fiche has "markt" in its title only: the snippet from its section still shows and marks "digitale"
        (PostgreSQL's headline looked for both words in the section, found no such fragment and showed the
        section's first words, no hit among them)."""
        filler = " ".join(["Het kabinet beoordeelt het voorstel zorgvuldig en weegt de gevolgen."] * 6)
        data.fiche(title="De interne markt", sections=[
            ("essence", "Essentie", f"{filler} Het voorstel versterkt de digitale weerbaarheid van bedrijven. {filler}")])
        body = client.get(URL, {"q": "digitale markt"}).content.decode()
        snippet = re.search(r'<p class="snippet"[^>]*>(.*?)</p>', body, re.S).group(1)
        assert "<mark>digitale</mark> weerbaarheid" in snippet and snippet.count("<mark>") == 1

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

    def test_the_text_a_snippet_is_cut_from_starts_and_ends_between_words(self):
        from public import search, selectors

        words = [f"woord{n:03d}" for n in range(400)]  # 3,600 characters, the hit in the middle
        text = " ".join([*words[:200], "kernfusie", *words[200:]])
        fiche = data.fiche(title="Lange tekst", sections=[("essence", "Essentie", text)])
        if connection.vendor == "postgresql":
            window = selectors.fiches().filter(pk=fiche.pk).values_list(search._snippet_window(["kernfusie"]), flat=True).get()
            assert window.endswith(" …") and re.fullmatch(r"(woord\d{3} )+kernfusie( woord\d{3})+ …", window)
            assert len(window) <= search.SNIPPET_WINDOW + 2
        else:
            snippet = search._python_snippet(text, ["kernfusie"])
            assert re.fullmatch(r"… (woord\d{3} )+\ue000kernfusie\ue001( woord\d{3})+ …", snippet)

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
        assert "Klimaat (1)</option>" in client.get(URL).content.decode()
        second = data.fiche(ministry="ezk")
        assert "Klimaat (2)</option>" in client.get(URL).content.decode()
        Fiche.objects.filter(pk=second.pk).update(status=Fiche.Status.DRAFT)  # a bulk update, as a script would
        assert "Klimaat (1)</option>" in client.get(URL).content.decode()
        first.competence = Verdict.NEGATIVE
        first.save()
        body = client.get(URL).content.decode()
        assert '<option value="negatief">negatief (1)</option>' in body

    def test_cached_facets_never_show_drafts(self, client):
        data.fiche(ministry="ezk")
        client.get(URL)
        data.fiche(published=False, ministry="fin")
        body = client.get(URL).content.decode()
        assert "Financiën" not in body and "Klimaat (1)</option>" in body

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
        postgresql = connection.vendor == "postgresql"
        # PostgreSQL: the content version, the menus over all published fiches (one query, which also counts
        # them: the list's count), keys, rows (a row shows no documents: no prefetch): 4. A page already asked
        # for: version and rows (count, keys and menus cached). A new filter: version, the menus within it (one
        # query, with the list's count), keys, rows: 4.
        # SQLite: version, count, keys, rows + on a miss 6 menu queries over all published fiches (year, council,
        # ministry, document kind, commitment status, and one conditional aggregate for the three verdicts and the
        # template kind): 10; a new filter: version, count, keys, rows and the menus within that filter (5): 9.
        with django_assert_num_queries(4 if postgresql else 10):
            assert client.get(URL).status_code == 200
        with django_assert_num_queries(2):
            assert client.get(URL, {"page": "1"}).status_code == 200
        with django_assert_num_queries(4 if postgresql else 9):
            assert client.get(URL, {"year": "2024"}).status_code == 200

    @pytest.mark.parametrize("size", [3, 12])
    def test_search_queries_do_not_grow_with_rows(self, client, django_assert_num_queries, size):
        data.world(size)
        postgresql = connection.vendor == "postgresql"
        # PostgreSQL: version, the menus over all published fiches (labels and validation), the search's one query
        # (its menus within the ministry and the search, its count and the keys of all its results in order of
        # relevance), rows: 4; and around the search's query the planner settings that keep it on the GIN index
        # (search.gin_matching: one query in production; here, inside the test's transaction, also a savepoint, its
        # rollback and release): 8. SQLite: version, 6 menus over all fiches, count, keys, rows, and a GROUP BY
        # query a menu within the search (and the ministry): 16.
        with django_assert_num_queries(8 if postgresql else 16):
            body = client.get(URL, {"q": "digitale markten", "ministry": "ezk"}).content.decode()
        assert "<mark>" in body
        # Another search: version, its one query (menus, count, keys), rows; SQLite: version, count, keys, rows and the
        # menus within it (5 GROUP BY queries and the verdicts' and template's aggregate).
        with django_assert_num_queries(7 if postgresql else 10):
            assert "<mark>" in client.get(URL, {"q": "digitale"}).content.decode()
        with django_assert_num_queries(2):  # the same search on another address (page 1 named): all cached but the rows
            assert "<mark>" in client.get(URL, {"q": "digitale", "page": "1"}).content.decode()
        with django_assert_num_queries(1):  # the same address again: the whole rendered list is cached; the version only
            assert "<mark>" in client.get(URL, {"q": "digitale"}).content.decode()

    def test_another_order_of_a_search_served_before_takes_its_count_from_the_menus(self, client):
        """The menus within a search are cached by the filters alone, the count by the whole query string: another
        order of a search served before finds the menus cached, and with them the count (PostgreSQL). Its page's keys,
        the only query that matches, run on the GIN index (``search.gin_matching``); no query counts the matches again."""
        data.world(3)
        assert result_count(page(client, URL, {"q": "digitale"})) == 3
        for sort in ("newest", "oldest", "kamerstuk"):
            with CaptureQueriesContext(connection) as captured:
                body = page(client, URL, {"q": "digitale", "sort": sort})
            assert result_count(body) == 3 and body.count("<mark>") >= 3, sort
            if connection.vendor == "postgresql":
                assert matching_queries(captured) == (1, 1), sort  # the page's keys, on the index
                assert not [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"]], sort
                # version; the page's keys and the planner settings before them (and, inside the test's transaction, a
                # savepoint, its rollback and release); the rows: 7
                assert len(captured) == 7, sort

    def test_a_search_in_order_of_relevance_has_the_same_pages_with_or_without_the_keys_of_its_menus(self, client):
        """The keys of a search's results come with its menus when the menus' query runs for the order of relevance;
        when another order of the search was served first, its cached menus have none, and the pages of the
        relevance order are cut from the search itself, on the GIN index: the same pages either way."""
        for index in range(30):
            data.fiche(title=f"Fiche over {'windenergie' if index % 3 else 'iets'} {index:02d}", sent_on=datetime.date(2024, 3, 1 + index % 5),
                       sections=[("essence", "Essentie", "Over windenergie op zee.")])
        wanted = ({"q": "windenergie"}, {"q": "windenergie", "page": "2"})
        by_keys = [page(client, URL, params) for params in wanted]
        Fiche.objects.first().save()  # a write: a new content version, nothing cached for it
        page(client, URL, {"q": "windenergie", "sort": "oldest"})
        with CaptureQueriesContext(connection) as captured:
            by_search = [page(client, URL, params) for params in wanted]
        assert by_search == by_keys and result_count(by_keys[0]) == 30
        assert matching_queries(captured) == ((2, 2) if connection.vendor == "postgresql" else (0, 0))  # a page's keys each

    @pytest.mark.skipif(connection.vendor != "postgresql", reason="planner settings of PostgreSQL")
    def test_a_search_leaves_the_planner_settings_as_they_were(self, client):
        data.world(3)
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = on")
            for query in ("digitale markten", "-digitale", '"digitale markten"'):
                assert client.get(URL, {"q": query}).status_code == 200
                cursor.execute("SELECT current_setting('enable_seqscan'), current_setting('enable_indexscan')")
                assert cursor.fetchone() == ("on", "on")

    def test_feeds_and_exports_can_reuse_the_filterset(self):
        from public.filters import FicheFilter

        data.fiche(title="Fiche X", year=2023)
        filterset = FicheFilter({"year": "2023"}, queryset=Fiche.objects.published())
        assert [f.title for f in filterset.qs] == ["Fiche X"]
        assert reverse("public:fiche_list") == URL


def options(body, name):
    """{value: count} of the menu ``name`` as rendered: each option's label ends in "(count)"."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', body, re.S).group(1)
    return {html.unescape(value): int(n) for value, n in re.findall(r'<option value="([^"]+)"[^>]*>[^<]*\((\d+)\)</option>', select)}


def result_count(body):
    found = re.search(r"(\d+) fiches? gevonden|\d+-\d+ van ([\d.]+) fiches", body)
    return int((found.group(1) or found.group(2)).replace(".", ""))


def varied_world():
    """Fiches that differ in every facet, so that filters cut across each other."""
    kinds = [CommissionDocument.Kind.REGULATION, CommissionDocument.Kind.COMMUNICATION, CommissionDocument.Kind.DIRECTIVE]
    verdicts = [Verdict.POSITIVE, Verdict.NEGATIVE, Verdict.NEUTRAL]
    for i in range(12):
        fiche = data.fiche(
            title=f"Fiche {i}", year=2022 + i % 3, ministry=("ezk", "fin")[i % 2], council=("tte", "ecofin")[i % 4 // 2],
            template=("communication", "legislative")[i % 5 % 2], verdict=verdicts[i % 3], subsidiarity=verdicts[(i + 1) % 3],
            documents=[data.document(kind=kinds[i % 3], year=2022 + i % 3)] + ([data.document(kind=kinds[(i + 1) % 3])] if i % 4 == 0 else []),
            sections=[("essence", "Essentie", "over digitale markten" if i % 2 else "over landbouw")],
        )
        if i % 3:
            data.commitment(fiche, status=(Commitment.Status.OPEN, Commitment.Status.FULFILLED)[i % 2])
    data.fiche(published=False, title="Geheim", year=2023, ministry="fin")


class FacetCountsWithinFiltersTests:
    """Each menu counts the fiches that the OTHER active filters leave: choosing a value gives exactly its count."""

    @pytest.mark.parametrize("active", [
        {},
        {"year": "2023"},
        {"year": "2024", "ministry": "fin"},
        {"council": "ECOFIN", "competence": Verdict.NEGATIVE},
        {"q": "markten", "template": "communication"},
        {"document_kind": "regulation", "commitment_status": "open", "subsidiarity": Verdict.POSITIVE},
    ])
    def test_every_count_in_every_menu_equals_the_results_of_choosing_it(self, client, active):
        varied_world()
        body = page(client, URL, active)
        checked = 0
        for name in ("year", "council", "ministry", "document_kind", "template", "competence", "subsidiarity",
                     "proportionality", "commitment_status"):
            for value, count in options(body, name).items():
                chosen = result_count(page(client, URL, {**active, name: value}))
                assert chosen == count, f"{name}={value} under {active}: menu says {count}, the list shows {chosen}"
                checked += 1
        assert checked >= 8

    def test_a_value_with_no_fiches_within_the_other_filters_leaves_the_menu_but_stays_valid(self, client):
        data.fiche(title="Fiche EZK 2023", year=2023, ministry="ezk")
        data.fiche(title="Fiche FIN 2024", year=2024, ministry="fin")
        body = page(client, URL, {"year": "2024"})
        assert options(body, "ministry") == {"fin": 1}
        both = page(client, URL, {"year": "2024", "ministry": "ezk"})
        assert "0 fiches gevonden" in both and "Controleer de filters" not in both
        assert options(both, "ministry") == {"fin": 1, "ezk": 0}  # the chosen value stays, with its 0

    def test_the_counts_within_filters_are_cached_by_content_version(self, client, django_assert_num_queries):
        varied_world()
        client.get(URL)
        first = page(client, URL, {"year": "2023", "ministry": "fin"})
        with django_assert_num_queries(2):  # version and the 25 rows: menus, count and keys come from the cache
            again = page(client, URL, {"ministry": "fin", "year": "2023"})  # another address: the filters in another order
        assert options(again, "ministry") == options(first, "ministry") and result_count(again) == result_count(first)
        data.fiche(title="Nieuw", year=2023, ministry="fin")
        assert options(page(client, URL, {"year": "2023", "ministry": "fin"}), "ministry")["fin"] == options(first, "ministry")["fin"] + 1


class FicheListRowsTests:
    def test_a_row_shows_title_kamerstuk_date_ministry_and_three_verdicts_in_words(self, client):
        fiche = data.fiche(title="Fiche over havens", sent_on=datetime.date(2024, 3, 5), verdict=Verdict.NEGATIVE)
        body = page(client, URL)
        row = body[body.index('<article class="fiche-row">'):body.index("</article>")]
        assert "Fiche over havens" in row and fiche.kamerstuk_display in row
        assert '<time datetime="2024-03-05">5 mrt 2024</time>' in row
        assert "Bevoegdheid: negatief" in row and "Subsidiariteit: negatief" in row and "Proportionaliteit: negatief" in row
        assert '<abbr title="Economische Zaken en Klimaat">EZK</abbr>' in row

    def test_a_verdict_not_given_reads_not_established(self, client):
        data.fiche(title="Fiche zonder oordeel", verdict="", competence=Verdict.NEUTRAL)
        body = page(client, URL)
        row = body[body.index('<article class="fiche-row">'):body.index("</article>")]
        assert "Bevoegdheid: neutraal" in row
        assert "Subsidiariteit: niet vastgesteld" in row and "Proportionaliteit: niet vastgesteld" in row

    def test_ministries_of_the_same_name_are_told_apart_by_their_period(self, client):
        from proposals.models import Ministry

        old = Ministry.objects.create(code="ez-2012", abbreviation="EZ", name="Ministerie van Economische Zaken",
                                      valid_from=datetime.date(2012, 11, 5), valid_until=datetime.date(2017, 10, 26))
        new = Ministry.objects.create(code="ez", abbreviation="EZ", name="Ministerie van Economische Zaken", valid_from=datetime.date(2024, 7, 2))
        data.fiche(title="Oud", lead_ministry=old)
        data.fiche(title="Nieuw", lead_ministry=new)
        body = page(client, URL)
        assert '<option value="ez-2012">Economische Zaken (2012-2017) (1)</option>' in body
        assert '<option value="ez">Economische Zaken (sinds 2024) (1)</option>' in body
        assert ">EZ (2012-2017)</abbr>" in body and ">EZ (sinds 2024)</abbr>" in body

    def test_filters_fold_behind_a_summary_that_counts_the_active_ones(self, client):
        data.fiche(year=2024, ministry="fin")
        assert "<summary>Filters</summary>" in page(client, URL)
        assert "<summary>Filters (2 actief)</summary>" in page(client, URL, {"year": "2024", "ministry": "fin", "q": "iets"})
        # With an error the panel is open, so the field in error is in sight.
        assert '<details class="filter-panel" open>' in page(client, URL, {"year": "abc"})

    def test_active_filters_are_links_that_remove_just_that_filter(self, client):
        data.fiche(year=2024, ministry="fin", sections=[("essence", "Essentie", "over havens")])
        body = page(client, URL, {"year": "2024", "ministry": "fin", "q": "havens", "sort": "relevance", "page": "1"})
        links = {html.unescape(text): html.unescape(href) for href, text in
                     re.findall(r'<li><a href="([^"]*)"><span class="visually-hidden">Verwijder het filter </span>(.*?) <span', body)}
        assert links["Jaar: <strong>2024</strong>"] == "?ministry=fin&q=havens&sort=relevance"
        assert links["Eerstverantwoordelijk ministerie: <strong>Financiën</strong>"] == "?year=2024&q=havens&sort=relevance"
        assert links["Zoeken in de tekst: <strong>havens</strong>"] == "?year=2024&ministry=fin"  # relevance goes with the search
        assert "Verwijder het filter" not in page(client, URL)


class FicheListSortTests:
    @pytest.fixture
    def three(self):
        return [
            data.fiche(title="Middel", received_on=datetime.date(2022, 1, 1), sent_on=datetime.date(2024, 2, 1), kamerstuk="22112-999"),
            data.fiche(title="Oudst", received_on=datetime.date(2022, 1, 1), sent_on=datetime.date(2023, 1, 1), kamerstuk="22112-3908"),
            data.fiche(title="Nieuwst", received_on=datetime.date(2022, 1, 1), sent_on=datetime.date(2025, 1, 1), kamerstuk="22112-1000"),
        ]

    @staticmethod
    def titles(body):
        return re.findall(r'<h3><a href="[^"]*">(Middel|Oudst|Nieuwst)</a>', body)

    @pytest.mark.parametrize(("sort", "expected"), [
        (None, ["Nieuwst", "Middel", "Oudst"]),
        ("newest", ["Nieuwst", "Middel", "Oudst"]),
        ("oldest", ["Oudst", "Middel", "Nieuwst"]),
        ("kamerstuk", ["Middel", "Nieuwst", "Oudst"]),  # 999 < 1000 < 3908: by number, not as text
        ("relevance", ["Nieuwst", "Middel", "Oudst"]),  # without a search: newest first
    ])
    def test_the_list_sorts_as_asked(self, client, three, sort, expected):
        assert self.titles(page(client, URL, {"sort": sort} if sort else {})) == expected

    def test_relevance_is_offered_and_chosen_only_when_searching(self, client, three):
        assert 'value="relevance"' not in page(client, URL)
        assert '<option value="relevance" selected>relevantie</option>' in page(client, URL, {"q": "verordening"})

    def test_an_unknown_order_says_so_and_keeps_the_default(self, client, three):
        response = client.get(URL, {"sort": "<b>prijs</b>"})
        body = response.content.decode()
        assert response.status_code == 200
        assert "Sorteer op nieuwste, oudste, Kamerstuknummer of relevantie; &#x27;&lt;b&gt;prijs&lt;/b&gt;&#x27; kennen we niet." in body
        assert 'aria-invalid="true" aria-describedby="sort-fout"' in body
        assert self.titles(body) == ["Nieuwst", "Middel", "Oudst"]

    def test_the_filter_form_keeps_the_order_and_the_order_form_keeps_the_filters(self, client, three):
        body = page(client, URL, {"sort": "oldest", "ministry": "ezk", "page": "1"})
        form, sort_form = body.split('<form class="sort-form"')[0], body.split('<form class="sort-form"')[1].split("</form>")[0]
        assert '<input type="hidden" name="sort" value="oldest">' in form
        assert '<input type="hidden" name="ministry" value="ezk">' in sort_form and 'name="page"' not in sort_form

    def test_pages_of_each_order_are_cached_apart(self, client):
        for i in range(30):
            data.fiche(title=f"Fiche nummer {i:02d}", received_on=datetime.date(2023, 12, 1), sent_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=i))
        newest = page(client, URL)
        oldest = page(client, URL, {"sort": "oldest"})
        assert "Fiche nummer 29" in newest and "Fiche nummer 29" not in oldest
        assert "Fiche nummer 00" in oldest and "Fiche nummer 00" not in newest
        assert "1-25 van 30 fiches" in oldest


class NumberedPaginationTests:
    def test_pages_are_numbered_with_gaps_and_the_range_shown(self, client, monkeypatch):
        monkeypatch.setattr("public.views.PAGE_SIZE", 2)
        for i in range(20):
            data.fiche(title=f"F{i}")
        body = page(client, URL, {"page": "5"})
        assert "9-10 van 20 fiches" in body
        numbers = re.findall(r'<span class="visually-hidden">Pagina </span>(\d+)</a>', body)
        assert numbers == ["1", "2", "3", "4", "5", "6", "7", "10"]
        assert 'aria-current="page" class="current"><span class="visually-hidden">Pagina </span>5</a>' in body
        assert '<li class="gap" aria-hidden="true">…</li>' in body
        assert 'rel="prev"' in body and 'href="?page=6" rel="next"' in body


class FicheListQueryCountWithinFiltersTests:
    @pytest.mark.parametrize("size", [3, 12])
    def test_combined_filters_cost_the_same_at_any_size(self, client, django_assert_num_queries, size):
        data.world(size)
        client.get(URL)  # the menus over all published fiches are cached now
        # PostgreSQL: version, the menus within the filters (one query, with the list's count), keys, rows: 4.
        # SQLite: version, count, keys, rows + the menus within the other filters: one set for the inactive facets
        # (year, council, document kind, commitment status, one aggregate for verdicts and template: 5) and one
        # query for each active facet (ministry; competence's aggregate): 4 + 5 + 2 = 11.
        with django_assert_num_queries(4 if connection.vendor == "postgresql" else 11):
            assert client.get(URL, {"ministry": "fin", "competence": Verdict.POSITIVE}).status_code == 200
        with django_assert_num_queries(2):  # version and rows (another address: the page named)
            assert client.get(URL, {"ministry": "fin", "competence": Verdict.POSITIVE, "page": "1"}).status_code == 200
        with django_assert_num_queries(1):  # the same address again: version only
            assert client.get(URL, {"ministry": "fin", "competence": Verdict.POSITIVE}).status_code == 200


@pytest.mark.parametrize(("text", "positive"), [("waterstof", True), ("regeldruk -digitale", True), ('"digitale markt"', True),
                                                ("-digitale", False), ("-digitale -markt", False), ("", False), ("- -", False)])
def test_only_a_query_with_something_to_find_is_kept_on_the_index(text, positive):
    from public.search import has_positive_term

    assert has_positive_term(text) is positive


class MarkedWordsTests:
    @pytest.mark.parametrize(("text", "words"), [
        ("digitale markt", ["digitale", "markt"]),
        ('"stedelijk afvalwater" -klimaatbeleid', ["stedelijk", "afvalwater"]),
        ('water or wind -"fossiele brandstof" water', ["water", "wind"]),
        ("co2-heffing", ["co2", "heffing"]),
        ('-alleen -"uitgesloten woorden"', []),
    ])
    def test_the_words_a_snippet_marks_are_those_the_search_asks_for(self, text, words):
        from public.search import marked_words

        assert marked_words(text) == words
