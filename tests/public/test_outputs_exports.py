import csv
import io
import json

import pytest
from django.urls import reverse

from positions.exports import COMMITMENT_COLUMNS, FICHE_COLUMNS
from positions.models import Commitment

from . import outputs_builders as build

pytestmark = pytest.mark.django_db


def body(response):
    assert response.status_code == 200, response
    return b"".join(response.streaming_content)


def read_csv(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    raw = body(response)
    assert raw.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def fiches_url(fmt):
    return reverse("exports:fiches", kwargs={"fmt": fmt})


def commitments_url(fmt):
    return reverse("exports:commitments", kwargs={"fmt": fmt})


class FicheExportTests:
    def test_the_urls_are_clean_and_named(self):
        assert fiches_url("csv") == "/fiches/export.csv"
        assert fiches_url("json") == "/fiches/export.json"
        assert commitments_url("csv") == "/toezeggingen/export.csv"

    def test_the_csv_has_a_stable_header_and_one_row_per_published_fiche(self, client):
        fiches = build.published_world(3)
        build.unpublished_world()
        response = client.get(fiches_url("csv"))
        assert response["Content-Disposition"].startswith('attachment; filename="fiches-')
        rows = read_csv(response)
        assert list(rows[0]) == FICHE_COLUMNS
        assert [r["kamerstuk"] for r in rows] == [f.kamerstuk for f in reversed(fiches)]
        first = rows[-1]
        assert first["documents"] == fiches[0].documents.get().reference
        assert first["lead_ministry_name"] == "Ministerie van Economische Zaken en Klimaat"
        assert first["competence"] == "positief"
        assert first["commitment_count"] == "2" and first["open_commitment_count"] == "1"
        assert first["sent_on"] == "2025-03-01"
        assert first["url"] == f"http://testserver{fiches[0].get_absolute_url()}"

    def test_the_export_keeps_the_filters_and_the_search_of_the_list(self, client):
        build.published_world(4)
        build.fiche(title="Fiche over kwantumcomputers", ministry=build.reference_data()["fin"])
        rows = read_csv(client.get(fiches_url("csv"), {"ministry": "fin", "q": "kwantumcomputers"}))
        assert [r["title"] for r in rows] == ["Fiche over kwantumcomputers"]
        rows = read_csv(client.get(fiches_url("csv"), {"ministry": "fin", "page": "2"}))
        assert len(rows) == 3  # every page of the filtered list, not one page of it

    def test_invalid_filters_send_the_reader_to_the_list_with_the_same_query(self, client):
        build.published_world(1)
        response = client.get(fiches_url("csv"), {"competence": "geweldig"})
        assert response.status_code == 302
        assert response["Location"] == "/fiches/?competence=geweldig"

    def test_cells_that_a_spreadsheet_would_run_as_formula_are_quoted(self, client):
        build.fiche(title="=HYPERLINK(\"http://evil\")")
        rows = read_csv(client.get(fiches_url("csv")))
        assert rows[0]["title"] == "'=HYPERLINK(\"http://evil\")"
        data = json.loads(body(client.get(fiches_url("json"))))
        assert data["results"][0]["title"] == "=HYPERLINK(\"http://evil\")"

    def test_the_json_export_holds_the_api_representation_the_filters_and_a_count(self, client):
        fiches = build.published_world(3)
        build.unpublished_world()
        response = client.get(fiches_url("json"), {"ministry": "ezk"})
        assert response["Content-Type"] == "application/json; charset=utf-8"
        data = json.loads(body(response))
        assert data["count"] == 2
        assert data["filters"] == {"ministry": "ezk"}
        assert data["source"] == "http://testserver/fiches/?ministry=ezk"
        assert [r["id"] for r in data["results"]] == [fiches[2].kamerstuk, fiches[0].kamerstuk]
        assert data["results"][0]["lead_ministry"]["code"] == "ezk"

    def test_an_empty_result_is_still_a_valid_file(self, client):
        assert read_csv(client.get(fiches_url("csv"))) == []
        assert json.loads(body(client.get(fiches_url("json"))))["results"] == []


class CommitmentExportTests:
    def test_commitments_of_published_fiches_are_exported_with_their_filters(self, client):
        fiches = build.published_world(2)
        build.unpublished_world()
        rows = read_csv(client.get(commitments_url("csv")))
        assert list(rows[0]) == COMMITMENT_COLUMNS
        assert len(rows) == 4
        assert build.MARKER not in json.dumps(rows)
        rows = read_csv(client.get(commitments_url("csv"), {"status": "fulfilled"}))
        assert {r["id"] for r in rows} == {f"{f.kamerstuk}/1" for f in fiches}
        assert rows[0]["evidence_reference"] == "Kamerstuk 22 112, nr. 3942"
        data = json.loads(body(client.get(commitments_url("json"), {"ministry": "fin"})))
        assert [r["id"] for r in data["results"]] == [f"{fiches[1].kamerstuk}/1", f"{fiches[1].kamerstuk}/2"]

    def test_invalid_commitment_filters_redirect_to_the_commitments_list(self, client):
        response = client.get(commitments_url("json"), {"status": "nonsense"})
        assert response.status_code == 302
        assert response["Location"] == "/toezeggingen/?status=nonsense"


class ExportQueryCountTests:
    @pytest.mark.parametrize("size", [2, 9])
    def test_exports_use_a_fixed_number_of_queries(self, client, django_assert_num_queries, size):
        build.published_world(size)
        # fiches + documents + co-ministries
        with django_assert_num_queries(3):
            assert len(read_csv(client.get(fiches_url("csv")))) == size
        # count + the same three
        with django_assert_num_queries(4):
            assert len(json.loads(body(client.get(fiches_url("json"))))["results"]) == size
        commitments = Commitment.objects.count()
        with django_assert_num_queries(1):
            assert len(read_csv(client.get(commitments_url("csv")))) == commitments
        with django_assert_num_queries(2):
            body(client.get(commitments_url("json")))
