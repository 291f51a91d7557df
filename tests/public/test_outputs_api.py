import csv
import datetime
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from positions.models import FICHE_NEWEST_FIRST, Commitment, Fiche, TemplateKind, Verdict
from proposals.models import CommissionDocument, DocumentRelation
from public.api import schema as api_schema
from public.filters import CommitmentFilter, FicheFilter

from . import outputs_builders as build
from .search_plans import matching_queries

pytestmark = pytest.mark.django_db


def get_json(client, url, expect=200, **params):
    response = client.get(url, params)
    assert response.status_code == expect, response.content[:500]
    # errors are RFC 9457 problem documents, every answer names the API's version
    assert response["Content-Type"].startswith("application/problem+json" if expect >= 400 else "application/json")
    assert response["API-Version"] == api_schema.API_VERSION
    return response.json()


def assert_matches_schema(data, component):
    """Every documented field is present, nothing undocumented appears, nested objects too."""
    fields = {f.name: f for f in api_schema.fields_of(component)}
    assert set(data) == set(fields), f"{component}: {set(data) ^ set(fields)}"
    for name, field in fields.items():
        value = data[name]
        if value is None:
            assert field.nullable, f"{component}.{name} is null but not nullable"
            continue
        if field.enum:
            assert value in field.enum, f"{component}.{name}={value!r}"
        if field.type == "object" and field.ref:
            assert_matches_schema(value, field.ref)
        elif field.type == "array":
            assert isinstance(value, list)
            for item in value:
                if field.ref:
                    assert_matches_schema(item, field.ref)
        elif field.type == "integer":
            assert isinstance(value, int) and not isinstance(value, bool)
        elif field.type == "boolean":
            assert isinstance(value, bool)
        elif field.type == "date":
            datetime.date.fromisoformat(value)
        elif field.type == "decimal":
            assert isinstance(value, str) and float(value) >= 0
        elif field.type in ("string", "uri"):
            assert isinstance(value, str)


class ApiFicheTests:
    def test_the_fiche_list_returns_published_fiches_with_a_count_and_links(self, client):
        build.published_world(3)
        build.unpublished_world()
        data = get_json(client, "/api/v1/fiches/", limit=2)
        assert data["count"] == 3
        assert len(data["results"]) == 2
        assert data["previous"] is None
        assert data["next"].startswith("http://testserver/api/v1/fiches/?") and "offset=2" in data["next"]
        second = get_json(client, data["next"])
        assert [f["id"] for f in second["results"]] == [Fiche.objects.published().order_by("sent_on").first().kamerstuk]
        assert second["next"] is None and "offset=0" in second["previous"]
        for row in data["results"]:
            assert_matches_schema(row, "Fiche")

    def test_the_fiche_detail_holds_sections_verdicts_footnotes_documents_commitments_and_cofinancing(self, client):
        (fiche,) = build.published_world(1)
        data = get_json(client, f"/api/v1/fiches/{fiche.kamerstuk}/")
        assert_matches_schema(data, "FicheDetail")
        assert data["id"] == fiche.kamerstuk
        assert data["kamerstuk"] == fiche.kamerstuk_display
        assert [s["key"] for s in data["sections"]] == ["essence", "position-assessment"]
        assert "[^1]" in data["sections"][0]["text"]
        assert data["footnotes"] == [{"number": 1, "text": "Voetnoot bij Openbaar fiche 0", "urls": ["https://example.org/stuk"]}]
        assert data["verdicts"]["competence"] == {
            "value": "positief", "label": "positief", "sentence": "De grondhouding ten aanzien van de bevoegdheid is positief.",
        }
        assert data["documents"][0]["celex"] == fiche.documents.get().celex
        assert [c["id"] for c in data["commitments"]] == [f"{fiche.kamerstuk}/1", f"{fiche.kamerstuk}/2"]
        assert data["commitments"][0]["status"] == "fulfilled"
        assert data["cofinancing"][0]["amount"] == "75000000.00"
        assert data["cofinancing"][0]["committed_amount"] == "1000000.00"
        assert data["batch_letter"] == {"kamerstuk": "22112-3906", "date": "2025-03-01", "position": 1}

    def test_a_fiche_that_revises_an_unpublished_fiche_does_not_name_it(self, client):
        secrets = build.unpublished_world()
        revision = build.revising_fiche(secrets["draft"])
        data = get_json(client, f"/api/v1/fiches/{revision.kamerstuk}/")
        assert data["revises"] is None
        assert secrets["draft"].kamerstuk not in json.dumps(data)

    def test_any_spelling_of_a_kamerstuk_redirects_to_the_canonical_address(self, client):
        (fiche,) = build.published_world(1)
        dossier, number = fiche.kamerstuk.split("-")
        response = client.get(f"/api/v1/fiches/{dossier[:2]} {dossier[2:]}, nr. {number}/")
        assert response.status_code == 301
        assert response["Location"] == f"/api/v1/fiches/{fiche.kamerstuk}/"

    def test_the_fiche_list_applies_the_filters_of_the_list_page(self, client):
        build.published_world(4)
        data = get_json(client, "/api/v1/fiches/", ministry="fin")
        assert data["count"] == 2
        assert {f["lead_ministry"]["code"] for f in data["results"]} == {"fin"}

    def test_an_invalid_filter_gives_a_400_with_the_error_per_parameter(self, client):
        build.published_world(1)
        data = get_json(client, "/api/v1/fiches/", expect=400, council="NOPE", limit="ten")
        assert data["code"] == "invalid_parameters"
        assert set(data["fields"]) == {"council"}
        data = get_json(client, "/api/v1/fiches/", expect=400, limit="ten", offset="-1")
        assert data["status"] == 400
        assert set(data["fields"]) == {"limit", "offset"}
        assert_matches_schema(data, "Error")

    def test_a_limit_above_the_maximum_is_refused(self, client):
        data = get_json(client, "/api/v1/fiches/", expect=400, limit="201")
        assert "200" in data["fields"]["limit"][0]

    def test_an_offset_past_the_end_gives_an_empty_page(self, client):
        build.published_world(2)
        data = get_json(client, "/api/v1/fiches/", offset="10")
        assert data["count"] == 2 and data["results"] == [] and data["next"] is None


class ApiCachedSelectionTests:
    """The list's count and page keys are cached by content version (FicheSelection): a write shows at once."""

    def test_a_publication_and_a_withdrawal_show_at_once_in_the_list_and_the_feed(self, client):
        first, second = build.published_world(2)
        assert get_json(client, "/api/v1/fiches/")["count"] == 2
        assert len(feed_links(client.get(reverse("public:fiche_feed")))) == 2
        new = build.fiche(title="Net gepubliceerd", sent_on=datetime.date(2025, 5, 1))
        data = get_json(client, "/api/v1/fiches/")
        assert data["count"] == 3 and data["results"][0]["id"] == new.kamerstuk
        assert feed_links(client.get(reverse("public:fiche_feed")))[0].endswith(new.get_absolute_url())
        Fiche.objects.filter(pk=second.pk).update(status=Fiche.Status.DRAFT)
        data = get_json(client, "/api/v1/fiches/", limit=1, offset=1)
        assert data["count"] == 2 and [r["id"] for r in data["results"]] == [first.kamerstuk]
        assert second.get_absolute_url() not in " ".join(feed_links(client.get(reverse("public:fiche_feed"))))

    def test_every_page_of_a_query_is_cut_from_one_cached_list_of_keys(self, client, django_assert_num_queries):
        """One cache entry per query string, whatever the limit and offset: an entry per page let one query string
        push everything else out of the cache."""
        build.published_world(5)
        cache.clear()
        everything = [r["id"] for r in get_json(client, "/api/v1/fiches/", limit=200)["results"]]
        assert len(everything) == 5
        for limit, offset in ((1, 0), (2, 3), (3, 2), (50, 4), (7, 5)):
            # the content version, the page's fiches, their documents and co-ministries: neither a count nor keys
            with django_assert_num_queries(4 if offset < 5 else 1):
                data = get_json(client, "/api/v1/fiches/", limit=limit, offset=offset)
            assert data["count"] == 5 and [r["id"] for r in data["results"]] == everything[offset:offset + limit]
        assert len(feed_links(client.get(reverse("public:fiche_feed")))) == 5  # the feed reads the same entry
        assert len([key for key in cache._cache if "fiche-selection" in key]) == 1

    def test_the_same_selection_in_english_writes_english_records(self, client):
        build.published_world(2)
        dutch = get_json(client, "/api/v1/fiches/", limit=1)
        english = client.get("/api/v1/fiches/", {"limit": 1}, HTTP_ACCEPT_LANGUAGE="en").json()
        assert english["count"] == dutch["count"] and english["results"][0]["id"] == dutch["results"][0]["id"]
        assert english["results"][0]["html_url"].startswith("http://testserver/en/fiches/")
        assert english["results"][0]["verdicts"]["subsidiarity"]["label"] == "neutral"


class ApiNotFoundTests:
    def test_unpublished_fiches_answer_exactly_like_fiches_that_do_not_exist(self, client):
        secrets = build.unpublished_world()
        missing = client.get("/api/v1/fiches/22112-99999/")
        for fiche in secrets.values():
            response = client.get(f"/api/v1/fiches/{fiche.kamerstuk}/")
            assert response.status_code == 404
            assert response.content == missing.content
            assert missing["Content-Type"] == "application/problem+json"
        assert missing.json() == {"type": "http://testserver/api/v1/#fout-not_found", "title": "Niet gevonden", "status": 404,
                                  "detail": "Niet gevonden.", "code": "not_found", "fields": None}

    def test_unknown_api_paths_answer_with_the_json_404(self, client):
        data = get_json(client, "/api/v1/nothing/here/", expect=404)
        assert data["code"] == "not_found"

    def test_writes_are_refused_with_a_json_405(self, client):
        response = client.post("/api/v1/fiches/")
        assert response.status_code == 405
        assert response.json()["code"] == "method_not_allowed"
        assert response["Allow"] == "GET, HEAD"


class ApiDocumentTests:
    def test_documents_are_found_by_reference_slug_and_by_celex(self, client):
        (fiche,) = build.published_world(1)
        doc = fiche.documents.get()
        by_slug = get_json(client, f"/api/v1/documents/{doc.slug}/")
        by_celex = get_json(client, f"/api/v1/documents/celex/{doc.celex.lower()}/")
        assert by_slug == by_celex
        assert_matches_schema(by_slug, "DocumentDetail")
        assert by_slug["reference"] == doc.reference
        assert [f["id"] for f in by_slug["fiches"]] == [fiche.kamerstuk]
        assert by_slug["eurlex_url"].endswith(f"CELEX:{doc.celex}")

    def test_another_spelling_of_the_reference_redirects(self, client):
        (fiche,) = build.published_world(1)
        doc = fiche.documents.get()
        response = client.get(f"/api/v1/documents/COM({doc.year}) {doc.number}/")
        assert response.status_code == 301
        assert response["Location"] == f"/api/v1/documents/{doc.slug}/"

    def test_related_documents_are_listed_only_when_public(self, client):
        (fiche,) = build.published_world(1)
        doc = fiche.documents.get()
        package = build.document(title="Besluit AI-bureau")
        DocumentRelation.objects.create(source=doc, target=package, kind=DocumentRelation.Kind.SAME_PACKAGE)
        data = get_json(client, f"/api/v1/documents/{doc.slug}/")
        assert data["related"] == [{"relation": "same_package", "direction": "outgoing", "document": {
            "id": package.slug, "reference": package.reference, "celex": package.celex,
            "url": f"http://testserver/api/v1/documents/{package.slug}/"}}]
        # The related document is public through the relation, and names no unpublished fiche.
        related = get_json(client, f"/api/v1/documents/{package.slug}/")
        assert related["fiches"] == []
        assert related["related"][0]["direction"] == "incoming"

    def test_the_document_list_filters_by_celex_type_and_year_and_rejects_nonsense(self, client):
        fiches = build.published_world(2)
        build.unpublished_world()
        doc = fiches[0].documents.get()
        assert get_json(client, "/api/v1/documents/")["count"] == 2
        assert [d["id"] for d in get_json(client, "/api/v1/documents/", celex=doc.celex)["results"]] == [doc.slug]
        assert get_json(client, "/api/v1/documents/", type="join")["count"] == 0
        assert get_json(client, "/api/v1/documents/", year="2025")["count"] == 2
        errors = get_json(client, "/api/v1/documents/", expect=400, type="XYZ", year="20x0")["fields"]
        assert set(errors) == {"type", "year"}

    def test_a_document_only_assessed_by_unpublished_fiches_is_not_found(self, client):
        secrets = build.unpublished_world()
        for fiche in secrets.values():
            doc = fiche.documents.get()
            assert client.get(f"/api/v1/documents/{doc.slug}/").status_code == 404
            assert client.get(f"/api/v1/documents/celex/{doc.celex}/").status_code == 404


class ApiCommitmentAndCofinancingTests:
    def test_commitments_are_listed_filtered_and_shown_with_their_history(self, client):
        fiches = build.published_world(2)
        build.unpublished_world()
        data = get_json(client, "/api/v1/commitments/")
        assert data["count"] == 4
        for row in data["results"]:
            assert_matches_schema(row, "Commitment")
        assert get_json(client, "/api/v1/commitments/", status="fulfilled")["count"] == 2
        detail = get_json(client, f"/api/v1/commitments/{fiches[0].kamerstuk}/1/")
        assert_matches_schema(detail, "CommitmentDetail")
        assert detail["status_changes"][0]["to_status"] == "fulfilled"
        assert detail["evidence"]["reference"] == "Kamerstuk 22 112, nr. 3942"
        assert get_json(client, "/api/v1/commitments/", expect=400, status="nonsense")["fields"]

    def test_cofinancing_budgets_are_listed_with_their_priorities(self, client):
        fiches = build.published_world(2)
        build.unpublished_world()
        data = get_json(client, "/api/v1/cofinancing/")
        assert data["count"] == 2
        for row in data["results"]:
            assert_matches_schema(row, "CofinancingBudget")
        assert get_json(client, "/api/v1/cofinancing/", programme_code="secret")["count"] == 0
        detail = get_json(client, f"/api/v1/cofinancing/{fiches[0].kamerstuk}/DIGITAL/")
        assert [p["topic"] for p in detail["priorities"]] == ["Dataruimte Openbaar fiche 0", "Taaltechnologie Openbaar fiche 0"]
        assert detail["priorities"][1]["amount"] is None
        assert detail["remaining_amount"] == "74000000.00"

    def test_commitments_and_budgets_of_unpublished_fiches_are_not_found(self, client):
        secrets = build.unpublished_world()
        for fiche in secrets.values():
            assert client.get(f"/api/v1/commitments/{fiche.kamerstuk}/1/").status_code == 404
            assert client.get(f"/api/v1/cofinancing/{fiche.kamerstuk}/SECRET/").status_code == 404


class ApiSchemaTests:
    def test_the_openapi_document_describes_every_endpoint_and_component(self, client):
        data = get_json(client, "/api/v1/openapi.json")
        assert data["openapi"].startswith("3.")
        assert set(data["paths"]) == {path for path, *_ in api_schema.ENDPOINTS}
        assert set(data["components"]["schemas"]) == set(api_schema.COMPONENTS)
        refs = {v for v in _walk(data) if isinstance(v, str) and v.startswith("#/components/schemas/")}
        assert {r.rsplit("/", 1)[1] for r in refs} <= set(data["components"]["schemas"])
        fiche = data["components"]["schemas"]["FicheDetail"]
        assert {"sections", "footnotes", "verdicts", "commitments", "documents"} <= set(fiche["properties"])

    def test_the_openapi_paths_resolve_to_the_api_urls(self, client):
        build.published_world(1)
        for path, _summary, _component, is_list, _params in api_schema.ENDPOINTS:
            if is_list:
                assert client.get(path).status_code == 200, path

    def test_the_human_page_describes_every_field(self, client):
        response = client.get(reverse("api:index"))
        assert response.status_code == 200
        html = response.content.decode()
        for name, fields in api_schema.COMPONENTS.items():
            assert f'id="schema-{name}"' in html
            for field in fields:
                assert f"<code>{field.name}</code>" in html, (name, field.name)
        assert 'href="/api/v1/openapi.json"' in html

    def test_the_list_parameters_are_the_filters_of_the_list_pages(self, client):
        paths = get_json(client, "/api/v1/openapi.json")["paths"]
        for path, filterset in (("/api/v1/fiches/", FicheFilter), ("/api/v1/commitments/", CommitmentFilter)):
            parameters = {p["name"]: p for p in paths[path]["get"]["parameters"]}
            assert list(parameters) == [*filterset.base_filters, "limit", "offset"]
            assert all(p["in"] == "query" and p["description"] for p in parameters.values())
        fiches = {p["name"]: p for p in paths["/api/v1/fiches/"]["get"]["parameters"]}
        commitments = {p["name"]: p for p in paths["/api/v1/commitments/"]["get"]["parameters"]}
        assert "kunstmatige intelligentie" in fiches["q"]["description"]
        assert fiches["year"]["schema"] == {"type": "integer"}
        assert fiches["competence"]["schema"]["enum"] == Verdict.values
        assert fiches["template"]["schema"]["enum"] == TemplateKind.values
        assert fiches["document_kind"]["schema"]["enum"] == CommissionDocument.Kind.values
        assert fiches["commitment_status"]["schema"]["enum"] == commitments["status"]["schema"]["enum"] == Commitment.Status.values
        assert "invalid_parameters" in fiches["council"]["description"]  # facet: only values that occur
        assert commitments["kind"]["schema"]["enum"] == Commitment.Kind.values
        assert commitments["due_after"]["schema"] == {"type": "string", "format": "date"}
        assert paths["/api/v1/documents/"]["get"]["parameters"][1]["schema"]["enum"] == CommissionDocument.DocType.values

    def test_every_documented_value_of_a_parameter_is_accepted_or_refused_as_absent(self, client):
        build.published_world(2)
        paths = get_json(client, "/api/v1/openapi.json")["paths"]
        for path in ("/api/v1/fiches/", "/api/v1/commitments/"):
            for parameter in paths[path]["get"]["parameters"]:
                is_facet = "invalid_parameters" in parameter["description"]
                for value in parameter["schema"].get("enum", []):
                    response = client.get(path, {parameter["name"]: value})
                    if response.status_code == 400 and is_facet:  # a value no published row has
                        assert set(response.json()["fields"]) == {parameter["name"]}
                    else:
                        assert response.status_code == 200, (path, parameter["name"], value)
        assert get_json(client, "/api/v1/fiches/", competence=Verdict.POSITIVE)["count"] == 2
        assert get_json(client, "/api/v1/commitments/", status=Commitment.Status.OPEN)["count"] == 2

    def test_the_human_page_lists_every_parameter_with_its_values(self, client):
        html = client.get(reverse("api:index")).content.decode()
        for name in [*FicheFilter.base_filters, *CommitmentFilter.base_filters]:
            assert f"<code>{name}</code>" in html, name
        assert "<code>partly_fulfilled</code>" in html and "<code>next-90-days</code>" in html
        assert "…" not in html.split('id="adressen"')[1].split('id="paginas"')[0]


def _walk(node):
    if isinstance(node, dict):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)
    else:
        yield node


class ApiQueryCountTests:
    @pytest.mark.parametrize("size", [2, 8])
    def test_list_and_detail_queries_do_not_grow_with_the_number_of_rows(self, client, django_assert_num_queries, size):
        fiches = build.published_world(size)
        kamerstuk = fiches[0].kamerstuk
        doc = fiches[0].documents.get()
        # content version + the keys of all selected fiches (the count is their number) + the page's fiches + documents + co-ministries
        with django_assert_num_queries(5):
            assert client.get("/api/v1/fiches/").status_code == 200
        # again: the keys come from the cache (by content version and query string, like the list page's)
        with django_assert_num_queries(4):
            assert client.get("/api/v1/fiches/").status_code == 200
        # a filter: + its menu (validation); a deep offset costs the same
        with django_assert_num_queries(6):
            assert client.get("/api/v1/fiches/", {"ministry": "ezk", "limit": 1, "offset": size // 2 - 1}).status_code == 200
        with django_assert_num_queries(4):
            assert client.get("/api/v1/fiches/", {"ministry": "ezk", "limit": 1, "offset": size // 2 - 1}).status_code == 200
        # fiche + documents + co-ministries + sections + footnotes + revisions + commitments + budgets + priorities
        with django_assert_num_queries(9):
            assert client.get(f"/api/v1/fiches/{kamerstuk}/").status_code == 200
        # count + page + fiches per document
        with django_assert_num_queries(3):
            assert client.get("/api/v1/documents/").status_code == 200
        # document + its fiches + outgoing + incoming relations
        with django_assert_num_queries(4):
            assert client.get(f"/api/v1/documents/{doc.slug}/").status_code == 200
        with django_assert_num_queries(2):
            assert client.get("/api/v1/commitments/").status_code == 200
        with django_assert_num_queries(2):
            assert client.get(f"/api/v1/commitments/{kamerstuk}/1/").status_code == 200
        with django_assert_num_queries(3):
            assert client.get("/api/v1/cofinancing/").status_code == 200
        assert Commitment.objects.count() == 2 * size


class SearchOnTheIndexTests:
    """A search in the API list, the feed and the fiche exports matches as the list page's does (``search.gin_matching``,
    through ``FicheSelection.matching``): on PostgreSQL every query that matches runs with the planner settings that
    keep it on the GIN index, and they are put back after; SQLite has no such settings and matches as before."""

    URLS = ("/api/v1/fiches/", "/feeds/fiches/", "/fiches/export.csv", "/fiches/export.json")

    def test_every_query_that_matches_a_search_runs_on_the_gin_index(self, client):
        build.published_world(3)
        postgresql = connection.vendor == "postgresql"
        assert self.URLS[1] == reverse("public:fiche_feed") and self.URLS[2] == reverse("public:fiche_export", kwargs={"fmt": "csv"})
        for url in self.URLS:
            cache.clear()  # the API list, the feed and the JSON export share the search's cached keys
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url, {"q": "Openbaar"})
                content = b"".join(response.streaming_content) if response.streaming else response.content
            assert response.status_code == 200 and content.count(b"Openbaar fiche") >= 3, url
            planned, matched = matching_queries(captured)
            # the API list and the feed: the keys; the CSV: documents, co-ministries, fiches; the JSON: those and the keys (its count)
            assert (planned, matched) == (({"/api/v1/fiches/": (1, 1), "/feeds/fiches/": (1, 1), "/fiches/export.csv": (1, 3),
                                             "/fiches/export.json": (2, 4)}[url]) if postgresql else (0, 0)), url
            if postgresql:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT current_setting('enable_seqscan'), current_setting('enable_indexscan')")
                    assert cursor.fetchone() == ("on", "on")


class ApiExampleFicheTests:
    def test_the_real_example_fiche_is_served_whole_and_matches_the_schema(self, client, example):
        data = get_json(client, "/api/v1/fiches/22112-3908/")
        assert_matches_schema(data, "FicheDetail")
        assert data["kamerstuk"] == "Kamerstuk 22 112, nr. 3908"
        assert len(data["footnotes"]) == example.footnotes.count() == 17
        assert len(data["commitments"]) == example.commitments.count()
        assert [d["reference"] for d in data["documents"]] == ["COM(2024) 28"]
        assert data["documents"][0]["celex"] == "52024DC0028"
        assert {v["value"] for v in data["verdicts"].values()} == {"positief"}
        assert data["cofinancing"][0]["programme_code"] == "DIGITAL"
        assert data["cofinancing"][0]["amount"] == "75000000.00"
        document = get_json(client, "/api/v1/documents/celex/52024DC0028/")
        assert document["id"] == "com-2024-28"
        assert [f["id"] for f in document["fiches"]] == ["22112-3908"]


ATOM = "{http://www.w3.org/2005/Atom}"


def feed_links(response, kind=""):
    root = ET.fromstring(response.content)  # noqa: S314 - our own response, in a test
    entries = root.findall(f"{ATOM}entry")
    return [e.find(f"{ATOM}link").get("href") for e in entries if e.findtext(f"{ATOM}id").endswith(kind)]


class NewestFirstTests:
    """One order, newest first (FICHE_NEWEST_FIRST: sent, then Kamerstuk number), for the list page, the
    search, the API, the feeds and the exports; fiches sent on one day are told apart by their number."""

    def test_every_list_of_fiches_has_the_same_newest_first_order(self, client):
        document = build.document(title="Gedeeld voorstel")
        same_day = datetime.date(2025, 3, 1)
        for kamerstuk, sent_on in (("22112-5903", same_day), ("22112-5901", same_day), ("22112-5902", same_day),
                                   ("22112-5800", datetime.date(2025, 4, 1))):
            build.fiche(title="Zelfde fiche", kamerstuk=kamerstuk, sent_on=sent_on, documents=[document])
        expected = ["22112-5800", "22112-5903", "22112-5902", "22112-5901"]
        assert list(Fiche.objects.published().order_by(*FICHE_NEWEST_FIRST).values_list("kamerstuk", flat=True)) == expected
        assert list(Fiche.objects.published().values_list("kamerstuk", flat=True)) == expected  # Meta.ordering
        urls = [f"http://testserver/fiches/{k}/" for k in expected]

        assert [f.kamerstuk for f in client.get("/fiches/").context["fiches"]] == expected
        assert [f.kamerstuk for f in client.get("/fiches/", {"q": "Zelfde"}).context["fiches"]] == expected
        assert [f["id"] for f in get_json(client, "/api/v1/fiches/")["results"]] == expected
        assert [f["id"] for f in get_json(client, "/api/v1/fiches/", q="Zelfde")["results"]] == expected
        assert [f["id"] for f in get_json(client, f"/api/v1/documents/{document.slug}/")["fiches"]] == expected
        exported = b"".join(client.get("/fiches/export.csv").streaming_content).decode("utf-8-sig")
        assert [row["kamerstuk"] for row in csv.DictReader(io.StringIO(exported))] == expected
        assert [r["id"] for r in json.loads(b"".join(client.get("/fiches/export.json").streaming_content))["results"]] == expected
        assert feed_links(client.get(reverse("public:fiche_feed"))) == urls
        assert feed_links(client.get(reverse("public:dossier_feed", kwargs={"reference": document.slug})), "#fiche") == urls


def revised_fiche_world():
    """A fiche with everything a record holds (two documents, one without CELEX; two co-ministries; a batch
    letter; a public fiche it revises; an open and a fulfilled commitment), the fiche it revises, and a
    fiche with nothing optional (no ministry, Council, reception date or verdicts)."""
    ref = build.reference_data()
    batch = build.BatchLetter.objects.create(kamerstuk="22112-4000", date=datetime.date(2025, 3, 1))
    earlier = build.fiche(title="Eerste fiche", kamerstuk="22112-4001", sent_on=datetime.date(2025, 2, 1), commitments=0, budget=False)
    staff = build.document(title="Werkdocument", year=2025, number=612, celex=False)
    staff.doc_type = "SWD"
    staff.save()
    proposal = build.document(title="Voorstel", year=2025, number=611)
    revision = build.fiche(
        title="Herzien fiche", kamerstuk="22112-4002", documents=[staff, proposal], batch_letter=batch, batch_position=3,
        revises=earlier, is_revision=True, ministry=ref["fin"], council=ref["ecofin"], subsidiarity="",
        received_on=datetime.date(2025, 1, 24), sent_on=datetime.date(2025, 3, 1), budget=False,
    )
    revision.co_ministries.set([ref["fin"], ref["ezk"]])
    bare = build.fiche(title="Kaal fiche", kamerstuk="22112-4003", lead_ministry=None, council_configuration=None, received_on=None,
                       competence="", competence_sentence="", subsidiarity="", proportionality="", proposal_title="", sent_on=datetime.date(2025, 1, 5),
                       commitments=0, budget=False)
    return earlier, revision, bare


class ApiRecordTests:
    """The record of a fiche, field by field: the list, the detail and the JSON export write the same one."""

    def test_a_fiche_record_is_written_out_in_full(self, client):
        _earlier, revision, _bare = revised_fiche_world()
        (row,) = [r for r in get_json(client, "/api/v1/fiches/")["results"] if r["id"] == revision.kamerstuk]
        proposal_url, staff_url = "http://testserver/api/v1/documents/com-2025-611/", "http://testserver/api/v1/documents/swd-2025-612/"
        assert json.dumps(row, ensure_ascii=False) == json.dumps({
            "id": "22112-4002",
            "kamerstuk": "Kamerstuk 22 112, nr. 4002",
            "title": "Herzien fiche",
            "proposal_title": "Volledige titel van Herzien fiche",
            "documents": [
                {"id": "com-2025-611", "reference": "COM(2025) 611", "celex": "52025DC0611", "url": proposal_url},
                {"id": "swd-2025-612", "reference": "SWD(2025) 612", "celex": None, "url": staff_url},
            ],
            "received_on": "2025-01-24",
            "received_month_only": False,
            "deadline": revision.deadline.isoformat(),
            "sent_on": "2025-03-01",
            "sent_on_time": revision.sent_on_time,
            "batch_letter": {"kamerstuk": "22112-4000", "date": "2025-03-01", "position": 3},
            "template": {"key": "communication-2024", "kind": "communication", "version": revision.template.version},
            "council_configuration": {"code": "ECOFIN", "name": "Raad Economische en Financiële Zaken"},
            "lead_ministry": {"code": "fin", "abbreviation": "FIN", "name": "Ministerie van Financiën"},
            "co_ministries": [
                {"code": "ezk", "abbreviation": "EZK", "name": "Ministerie van Economische Zaken en Klimaat"},
                {"code": "fin", "abbreviation": "FIN", "name": "Ministerie van Financiën"},
            ],
            "verdicts": {
                "competence": {"value": "positief", "label": "positief",
                               "sentence": "De grondhouding ten aanzien van de bevoegdheid is positief."},
                "subsidiarity": {"value": "", "label": "", "sentence": ""},
                "proportionality": {"value": "positief met kanttekeningen", "label": "positief met kanttekeningen", "sentence": ""},
            },
            "is_revision": True,
            "revises": "22112-4001",
            "commitment_count": 2,
            "open_commitment_count": 1,
            "url": "http://testserver/api/v1/fiches/22112-4002/",
            "html_url": "http://testserver/fiches/22112-4002/",
        }, ensure_ascii=False)

    def test_in_english_the_labels_are_english_and_the_pages_are_the_english_ones(self, client):
        _earlier, revision, _bare = revised_fiche_world()
        response = client.get("/api/v1/fiches/", HTTP_ACCEPT_LANGUAGE="en")
        (row,) = [r for r in response.json()["results"] if r["id"] == revision.kamerstuk]
        assert row["verdicts"]["competence"]["label"] == "positive"
        assert row["verdicts"]["proportionality"]["label"] == "positive with reservations"
        assert row["html_url"] == "http://testserver/en/fiches/22112-4002/"
        assert row["url"] == "http://testserver/api/v1/fiches/22112-4002/"
        detail = client.get(f"/api/v1/fiches/{revision.kamerstuk}/", HTTP_ACCEPT_LANGUAGE="en").json()
        assert detail["html_url"] == row["html_url"]
        assert detail["commitments"][0]["status_label"] == "fulfilled"
        assert detail["commitments"][0]["fiche"]["html_url"] == row["html_url"]

    def test_the_list_the_detail_and_the_export_write_the_same_record(self, client):
        fiches = [*build.published_world(3), *revised_fiche_world()]
        month_only = build.fiche(title="Alleen een maand", received_on=datetime.date(2025, 1, 1), received_month_only=True)
        late = build.fiche(title="Te laat", received_on=datetime.date(2024, 6, 3), sent_on=datetime.date(2025, 3, 1))
        fiches += [month_only, late]
        listed = {r["id"]: r for r in get_json(client, "/api/v1/fiches/", limit=200)["results"]}
        exported = {r["id"]: r for r in json.loads(b"".join(client.get("/fiches/export.json").streaming_content))["results"]}
        assert set(listed) == set(exported) == {f.kamerstuk for f in fiches}
        for fiche in fiches:
            record = listed[fiche.kamerstuk]
            detail = get_json(client, f"/api/v1/fiches/{fiche.kamerstuk}/")
            assert json.dumps(record) == json.dumps({name: detail[name] for name in record})  # same fields, same order
            assert json.dumps(record) == json.dumps(exported[fiche.kamerstuk])
            # What the model says of the fiche's terms.
            assert record["deadline"] == (fiche.deadline.isoformat() if fiche.deadline else None)
            assert record["sent_on_time"] == fiche.sent_on_time
            assert record["kamerstuk"] == fiche.kamerstuk_display
            assert record["html_url"] == f"http://testserver{reverse('public:fiche_detail', kwargs={'kamerstuk': fiche.kamerstuk})}"
            assert record["url"] == f"http://testserver{reverse('api:fiche_detail', kwargs={'kamerstuk': fiche.kamerstuk})}"
        assert listed[month_only.kamerstuk]["deadline"] is None and listed[month_only.kamerstuk]["sent_on_time"] is None
        assert listed[late.kamerstuk]["sent_on_time"] is False
        bare = listed["22112-4003"]
        assert (bare["lead_ministry"], bare["council_configuration"], bare["deadline"], bare["sent_on_time"]) == (None, None, None, None)
        assert bare["verdicts"]["competence"] == {"value": "", "label": "", "sentence": ""}


class RecordContextTests:
    """The records' URLs are put together from a prefix once per request (RecordContext): exactly what reverse() gives."""

    VALUES = ["22112-3908", "22112-10505", "com-2024-28", "swd-2022-385", "A.b~c_d", "a b", "é", ".", "..", "-x", "%41", "x?y#z"]

    @pytest.mark.parametrize("language", ["nl", "en"])
    def test_the_urls_are_those_of_reverse(self, rf, language):
        from django.utils import translation

        from public.api import views as api

        request = rf.get("/api/v1/fiches/")
        with translation.override(language):
            context = api.RecordContext(request)
            for value in self.VALUES:
                for address, name, kwarg in ((context.fiche, "api:fiche_detail", "kamerstuk"),
                                             (context.fiche_page, "public:fiche_detail", "kamerstuk"),
                                             (context.document, "api:document_detail", "reference")):
                    path = reverse(name, kwargs={kwarg: value})
                    assert address.path(value) == path
                    assert address(value) == request.build_absolute_uri(path)
            assert context.fiche_page("22112-3908") == ("http://testserver/en/fiches/22112-3908/" if language == "en"
                                                        else "http://testserver/fiches/22112-3908/")

    def test_labels_are_those_of_get_display(self, rf):
        from django.utils import translation

        from public.api import views as api

        for language in ("nl", "en"):
            with translation.override(language):
                context = api.RecordContext(rf.get("/"))
                for value in [*Verdict.values, "", "onbekend"]:
                    assert context.label(Fiche, "competence", value) == Fiche(competence=value).get_competence_display()
                for status in [*Commitment.Status.values, "onbekend"]:
                    assert context.label(Commitment, "status", status) == Commitment(status=status).get_status_display()
