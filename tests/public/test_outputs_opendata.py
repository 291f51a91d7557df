"""Open data: the DCAT catalogue, the licence everywhere the data goes out, the API's version and its
RFC 9457 errors, and the CSV for Dutch Excel."""

import csv
import io
import json
import re

import pytest
from django.urls import reverse

from common import csv as common_csv
from public.api import catalogue
from public.api import schema as api_schema

from . import outputs_builders as build

pytestmark = pytest.mark.django_db

CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"


def _nodes(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _nodes(value)
    elif isinstance(node, list):
        for value in node:
            yield from _nodes(value)


class CatalogueTests:
    def test_the_catalogue_is_json_ld_with_a_context_and_dcat_types(self, client):
        response = client.get("/catalogus.jsonld")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/ld+json")
        document = json.loads(response.content)
        assert document["@type"] == "dcat:Catalog" and document["@id"] == "http://testserver/catalogus.jsonld"
        context = document["@context"]
        assert context["dcat"] == "http://www.w3.org/ns/dcat#" and context["dct"] == "http://purl.org/dc/terms/"
        # every prefix used in a key or a @type is declared in the context (no remote context: parses offline)
        for node in _nodes(document):
            for name in [*node, *([node["@type"]] if "@type" in node else [])]:
                if ":" in name and not name.startswith("@"):
                    assert name.split(":")[0] in context, name
        datasets = document["dcat:dataset"]
        assert [d["@type"] for d in datasets] == ["dcat:Dataset"] * 4
        for dataset in datasets:
            for key in ("dct:identifier", "dct:title", "dct:description", "dct:publisher", "dcat:contactPoint", "dct:language",
                        "dct:license", "dcat:distribution"):
                assert key in dataset, (dataset["@id"], key)

    def test_it_names_every_distribution_with_the_data_licence(self, client):
        document = client.get("/catalogus.jsonld").json()
        urls = {d["dcat:accessURL"]["@id"]: d for dataset in document["dcat:dataset"] for d in dataset["dcat:distribution"]}
        expected = [
            "/api/v1/fiches/", "/api/v1/commitments/", "/api/v1/documents/", "/api/v1/cofinancing/", "/feeds/fiches/",
            "/fiches/export.csv", "/fiches/export.csv?dialect=excel-nl", "/fiches/export.json",
            "/toezeggingen/export.csv", "/toezeggingen/export.csv?dialect=excel-nl", "/toezeggingen/export.json",
        ]
        assert sorted(urls) == sorted(f"http://testserver{path}" for path in expected)
        for url, distribution in urls.items():
            assert distribution["@type"] == "dcat:Distribution"
            assert distribution["dct:license"] == {"@id": CC0}, url
            assert distribution["dcat:mediaType"]["@id"].startswith("http://www.iana.org/assignments/media-types/")
        service = document["dcat:service"][0]
        assert service["dcat:endpointDescription"]["@id"] == "http://testserver/api/v1/openapi.json"
        assert service["adms:version"] == api_schema.API_VERSION

    def test_every_distribution_answers_and_the_catalogue_is_dutch_in_english_too(self, client):
        build.published_world(1)
        english = client.get("/catalogus.jsonld", headers={"accept-language": "en"}).json()
        assert english == client.get("/catalogus.jsonld").json()
        for dataset in english["dcat:dataset"]:
            for distribution in dataset["dcat:distribution"]:
                response = client.get(distribution["dcat:accessURL"]["@id"].removeprefix("http://testserver"))
                assert response.status_code == 200, distribution["@id"]

    def test_the_catalogue_costs_no_query(self, client, django_assert_max_num_queries):
        client.get("/catalogus.jsonld")
        with django_assert_max_num_queries(1):  # at most the page cache's content version
            assert client.get("/catalogus.jsonld").status_code == 200
        assert catalogue.CONTENT_TYPE == "application/ld+json"


class ApiVersionAndErrorTests:
    def test_every_answer_names_a_semantic_version_that_the_openapi_document_repeats(self, client):
        assert re.fullmatch(r"\d+\.\d+\.\d+", api_schema.API_VERSION)
        for url in ("/api/v1/", "/api/v1/fiches/", "/api/v1/openapi.json", "/api/v1/fiches/22112-1/"):
            assert client.get(url)["API-Version"] == api_schema.API_VERSION, url
        info = client.get("/api/v1/openapi.json").json()["info"]
        assert info["version"] == api_schema.API_VERSION
        assert info["license"] == {"name": "CC0 1.0 Universal", "url": CC0}

    @pytest.mark.parametrize("method, url, params, status, code", [
        ("get", "/api/v1/fiches/22112-99999/", {}, 404, "not_found"),
        ("get", "/api/v1/fiches/", {"limit": "ten"}, 400, "invalid_parameters"),
        ("get", "/api/v1/no/such/path/", {}, 404, "not_found"),
        ("post", "/api/v1/fiches/", {}, 405, "method_not_allowed"),
    ])
    def test_errors_are_rfc_9457_problem_documents(self, client, method, url, params, status, code):
        response = getattr(client, method)(url, params)
        assert response.status_code == status
        assert response["Content-Type"] == "application/problem+json"
        problem = response.json()
        assert problem["status"] == status and problem["code"] == code
        assert problem["type"] == f"http://testserver/api/v1/#fout-{code}"
        assert problem["title"] and problem["detail"]
        assert set(problem) == {f.name for f in api_schema.fields_of("Error")}
        # the type's explanation exists on the documentation page
        assert f'id="fout-{code}"' in client.get("/api/v1/").content.decode()

    def test_the_openapi_document_describes_errors_as_problem_json(self, client):
        paths = client.get("/api/v1/openapi.json").json()["paths"]
        assert set(paths["/api/v1/fiches/{id}/"]["get"]["responses"]["404"]["content"]) == {"application/problem+json"}
        assert "API-Version" in paths["/api/v1/fiches/"]["get"]["responses"]["200"]["headers"]


class ApiDocsPageTests:
    def test_every_endpoint_has_a_curl_example_with_a_sample_response(self, client):
        html = client.get("/api/v1/").content.decode()
        for path, *_rest in api_schema.ENDPOINTS:
            example = "http://testserver" + api_schema.example_path(path)
            assert f"curl -i '{example}" in html, path
        assert html.count("API-Version: " + api_schema.API_VERSION) == len(api_schema.ENDPOINTS)

    def test_the_sample_responses_have_every_documented_field(self):
        for _path, _summary, component, is_list, _parameters in api_schema.ENDPOINTS:
            sample = api_schema.example_response(component, is_list)
            item = sample["results"][0] if is_list else sample
            assert set(item) == {f.name for f in api_schema.fields_of(component)}, component

    def test_the_docs_and_the_about_page_state_the_licences(self, client):
        docs = client.get("/api/v1/").content.decode()
        assert f'<a href="{CC0}" rel="license">CC0 1.0 Universal</a>' in docs
        about = client.get("/over/").content.decode()
        assert 'rel="license">CC0 1.0 Universeel</a>' in about and "EUPL 1.2" in about
        assert "/catalogus.jsonld" in about and "/fiches/export.csv?dialect=excel-nl" in about


class ExportLicenceAndExcelTests:
    def test_the_json_export_states_its_licence(self, client):
        build.published_world(1)
        for url in ("/fiches/export.json", "/toezeggingen/export.json"):
            data = json.loads(b"".join(client.get(url).streaming_content))
            assert data["license"] == {"name": "CC0 1.0 Universal", "url": CC0}, url

    def test_the_dutch_excel_variant_has_semicolons_and_dutch_headings_and_the_same_rows(self, client):
        build.published_world(2)
        build.unpublished_world()
        plain = b"".join(client.get("/fiches/export.csv").streaming_content).decode("utf-8-sig")
        response = client.get("/fiches/export.csv", {"dialect": "excel-nl"})
        assert response.status_code == 200
        assert re.search(r'filename="fiches-\d{4}-\d\d-\d\d-excel-nl\.csv"', response["Content-Disposition"])
        body = b"".join(response.streaming_content)
        assert body.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8
        dutch = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
        comma = list(csv.reader(io.StringIO(plain)))
        assert dutch[0][:3] == ["Kamerstuk", "Titel", "Titel voorstel"] and comma[0][0] == "kamerstuk"
        assert [row[0] for row in dutch[1:]] == [row[0] for row in comma[1:]] and len(dutch) == 3
        assert {row[dutch[0].index("Herziening")] for row in dutch[1:]} <= {"ja", "nee"}

    def test_commitments_have_the_dutch_variant_too(self, client):
        build.published_world(1)
        body = b"".join(client.get("/toezeggingen/export.csv", {"dialect": "excel-nl"}).streaming_content).decode("utf-8-sig")
        assert body.splitlines()[0].startswith("Sleutel;Fiche;Titel fiche;Volgnummer;")

    @pytest.mark.parametrize("url, params, message", [
        ("/fiches/export.csv", {"dialect": "excel-fr"}, "Onbekend CSV-dialect excel-fr: kies rfc4180, excel-nl, of laat dialect weg."),
        ("/toezeggingen/export.json", {"dialect": "excel-nl"}, "De parameter dialect hoort alleen bij CSV."),
    ])
    def test_an_unknown_dialect_is_refused_with_a_clear_message(self, client, url, params, message):
        response = client.get(url, params)
        assert response.status_code == 400
        assert response.content.decode() == message


class ExcelDialectTests:
    def test_decimals_get_a_comma_and_formulas_stay_text(self):
        from decimal import Decimal

        lines = list(common_csv.lines(["a", "b", "c", "d"], [[Decimal("-5.00"), "=HYPERLINK(1)", True, "x;y"]], common_csv.ExcelNL))
        assert lines[0] == "\ufeffa;b;c;d\r\n"
        assert lines[1] == "-5,00;'=HYPERLINK(1);ja;\"x;y\"\r\n"
        assert list(common_csv.lines(["a"], [[Decimal("-5.00")]]))[1] == "-5.00\r\n"  # the default stays RFC 4180


def test_the_catalogue_route_is_public_and_named():
    assert reverse("public:catalogue") == "/catalogus.jsonld"
