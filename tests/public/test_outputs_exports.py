import csv
import datetime
import io
import json

import pytest
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse

from common import csv as common_csv
from positions.models import Commitment, Fiche
from public import exports, selectors
from public.exports import COMMITMENT_COLUMNS, FICHE_COLUMNS
from tests import factories
from tests.common.spreadsheets import HOSTILE, parse_dicts, shown_as_text

from . import outputs_builders as build

pytestmark = pytest.mark.django_db


def body(response):
    assert response.status_code == 200, response
    return b"".join(response.streaming_content)


def read_csv(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    raw = body(response)
    rows = parse_dicts(raw)  # BOM, RFC 4180, no cell a spreadsheet would run
    assert rows == list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    return rows


def fiches_url(fmt):
    return reverse("public:fiche_export", kwargs={"fmt": fmt})


def commitments_url(fmt):
    return reverse("public:commitment_export", kwargs={"fmt": fmt})


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

    @pytest.mark.parametrize("hostile", HOSTILE)
    def test_cells_that_a_spreadsheet_would_run_as_formula_are_quoted(self, client, hostile):
        build.fiche(title=hostile, proposal_title=hostile)
        (row,) = read_csv(client.get(fiches_url("csv")))
        assert row["title"] == row["proposal_title"] == shown_as_text(hostile)
        assert row["competence"] == "positief" and row["commitment_count"] == "2"
        data = json.loads(body(client.get(fiches_url("json"))))
        assert data["results"][0]["title"] == hostile

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

    @pytest.mark.parametrize("hostile", HOSTILE)
    def test_hostile_commitment_texts_are_quoted_and_the_file_reads_back_into_the_expected_rows(self, client, hostile):
        (fiche,) = build.published_world(1)
        Commitment.objects.filter(fiche=fiche, position=2).update(summary=hostile, quote=hostile, due_description=hostile, evidence_note=hostile)
        rows = read_csv(client.get(commitments_url("csv")))
        assert [r["id"] for r in rows] == [f"{fiche.kamerstuk}/1", f"{fiche.kamerstuk}/2"]
        second = rows[1]
        text = shown_as_text(hostile)
        assert (second["summary"], second["quote"], second["due_description"], second["evidence_note"]) == (text, text, text, text)
        assert (second["status"], second["kind"], second["due_date"], second["ministry"]) == ("open", "monitor", "2025-06-01", "ezk")
        data = json.loads(body(client.get(commitments_url("json"))))
        assert data["results"][1]["summary"] == hostile

    def test_invalid_commitment_filters_redirect_to_the_commitments_list(self, client):
        response = client.get(commitments_url("json"), {"status": "nonsense"})
        assert response.status_code == 302
        assert response["Location"] == "/toezeggingen/?status=nonsense"


def record_row(fiche, request):
    """A fiche's CSV row as the fiche record (``selectors.fiche_records``, model instances) holds it: what the
    export, which reads plain values, must write cell for cell."""
    documents = list(fiche.documents.all())
    return {
        "kamerstuk": fiche.kamerstuk,
        "title": fiche.title,
        "proposal_title": fiche.proposal_title,
        "documents": "; ".join(d.reference for d in documents),
        "celex": "; ".join(d.celex for d in documents if d.celex),
        "received_on": fiche.received_on,
        "deadline": fiche.deadline,
        "sent_on": fiche.sent_on,
        "sent_on_time": fiche.sent_on_time,
        "batch_letter": fiche.batch_letter.kamerstuk if fiche.batch_letter_id else "",
        "batch_position": fiche.batch_position,
        "template": fiche.template.kind,
        "council_configuration": fiche.council_configuration.code if fiche.council_configuration_id else "",
        "council_configuration_name": fiche.council_configuration.name if fiche.council_configuration_id else "",
        "lead_ministry": fiche.lead_ministry.code if fiche.lead_ministry_id else "",
        "lead_ministry_name": fiche.lead_ministry.name if fiche.lead_ministry_id else "",
        "co_ministries": "; ".join(m.code for m in fiche.co_ministries.all()),
        "competence": fiche.competence,
        "subsidiarity": fiche.subsidiarity,
        "proportionality": fiche.proportionality,
        "is_revision": fiche.is_revision,
        "revises": fiche.revises_kamerstuk or "",
        "commitment_count": fiche.commitment_count,
        "open_commitment_count": fiche.open_commitment_count,
        "url": request.build_absolute_uri(fiche.get_absolute_url()),
    }


def csv_of_records(records, dialect=common_csv.Dialect, path=None):
    """The bytes the fiche CSV must be: ``record_row`` of each record, each value through ``common_csv.cell``."""
    request = RequestFactory().get(path or fiches_url("csv"))
    out = io.StringIO()
    writer = csv.writer(out, dialect=dialect)
    writer.writerow([exports.DUTCH_HEADINGS[c] for c in FICHE_COLUMNS] if dialect is common_csv.ExcelNL else FICHE_COLUMNS)
    for record in records:
        row = record_row(record, request)
        writer.writerow([common_csv.cell(row[c], dialect) for c in FICHE_COLUMNS])
    return (common_csv.BOM + out.getvalue()).encode()


class FicheCsvCellsTests:
    """The fiche CSV is written from plain values, not model instances: byte for byte what the fiche records
    hold, for every kind of cell (empty relations, a term with the August pause, a month-only date of
    receipt, a revision of a public and of an unpublished fiche, texts a spreadsheet would run)."""

    @pytest.fixture
    def world(self, monkeypatch):
        monkeypatch.setattr(exports, "CSV_CHUNK_SIZE", 2)
        fiches = build.published_world(3)
        secrets = build.unpublished_world()
        fiches[1].co_ministries.set([build.reference_data()["fin"], factories.ministry("bz", "BZ", "Ministerie van Buitenlandse Zaken")])
        fiches[1].documents.add(build.document(year=2024, number=7, celex=False))
        late = build.fiche(title="=HYPERLINK(\"http://x\")", proposal_title="@SUM(A1:A2)", received_on=datetime.date(2025, 7, 10),
                           sent_on=datetime.date(2025, 10, 1), commitments=0, subsidiarity="", batch_letter=None)
        month_only = build.fiche(title="Alleen de maand", received_month_only=True, revises=fiches[0], is_revision=True)
        Fiche.objects.filter(pk=month_only.pk).update(lead_ministry=None, council_configuration=None)
        hidden_revision = build.revising_fiche(secrets["draft"])
        no_dates = build.fiche(title="Zonder ontvangst", received_on=None)  # a published fiche always has its date of sending
        return [*fiches, late, month_only, hidden_revision, no_dates]

    @pytest.mark.parametrize("dialect", ["", "excel-nl"])
    @pytest.mark.parametrize("query", [{}, {"q": "Openbaar"}, {"ministry": "ezk"}])
    def test_the_csv_is_byte_for_byte_the_cells_of_the_fiche_records(self, client, world, dialect, query):
        raw = body(client.get(fiches_url("csv"), {**query, **({"dialect": dialect} if dialect else {})}))
        request = RequestFactory().get(fiches_url("csv"), query)
        filterset = exports.api.public_fiche_filter(request)
        assert filterset.is_valid()
        assert raw == csv_of_records(exports.api.filtered_fiches(filterset), common_csv.DIALECTS[dialect])
        assert len(raw.splitlines()) > 2 and build.MARKER.encode() not in raw

    def test_the_cells_that_differ_from_fiche_to_fiche(self, client, world):
        rows = {r["kamerstuk"]: r for r in read_csv(client.get(fiches_url("csv")))}
        first, second, late, month_only, hidden_revision, no_dates = (rows[f.kamerstuk] for f in world[:2] + world[3:])
        assert (late["received_on"], late["deadline"], late["sent_on_time"]) == ("2025-07-10", "2025-09-18", "false")
        assert (late["title"], late["subsidiarity"], late["batch_letter"], late["commitment_count"]) == ("'=HYPERLINK(\"http://x\")", "", "", "0")
        assert (month_only["deadline"], month_only["sent_on_time"], month_only["lead_ministry"], month_only["council_configuration_name"]) == ("", "", "", "")
        assert (month_only["is_revision"], month_only["revises"]) == ("true", first["kamerstuk"])
        assert (hidden_revision["is_revision"], hidden_revision["revises"]) == ("true", "")
        assert (no_dates["received_on"], no_dates["deadline"], no_dates["sent_on"], no_dates["sent_on_time"]) == ("", "", "2025-03-01", "")
        assert second["co_ministries"] == "bz; fin" and second["celex"].count(";") == 0 and second["documents"].count(";") == 1
        assert first["url"] == f"http://testserver/fiches/{first['kamerstuk']}/"

    def test_the_english_export_links_the_english_pages(self, client, world):
        raw = body(client.get(f"/en{fiches_url('csv')}"))
        assert raw == csv_of_records(selectors.fiche_records(), path=f"/en{fiches_url('csv')}")
        assert b"http://testserver/en/fiches/" in raw


class ExportRelatedColumnsTests:
    """Documents and co-ministries are read once for the whole export, not with each chunk of fiches:
    they must fill the same cells, in the same order, as the prefetch of the list page and the API."""

    @pytest.fixture
    def world(self, monkeypatch):
        monkeypatch.setattr(exports, "CHUNK_SIZE", 2)  # rows meet their relations across chunk boundaries
        ref = build.reference_data()
        bz = factories.ministry("bz", "BZ", "Ministerie van Buitenlandse Zaken")
        az = factories.ministry("az", "AZ", "Ministerie van Algemene Zaken")
        newest, *rest = reversed(build.published_world(5))
        shared = build.document(year=2024, number=3)
        newest.documents.set([build.document(year=2025, number=1), build.document(year=2023, number=9, celex=False), shared])
        newest.co_ministries.set([ref["fin"], bz, az])
        rest[0].documents.set([shared])
        rest[0].co_ministries.set([bz])
        rest[1].documents.clear()
        secrets = build.unpublished_world()
        secrets["draft"].co_ministries.set([bz])
        secrets["draft"].documents.add(shared)
        return {"several": newest, "shared": rest[0], "bare": rest[1], "secrets": secrets}

    def test_the_csv_lists_every_document_and_co_ministry_of_a_fiche_in_order(self, client, world):
        raw = body(client.get(fiches_url("csv")))
        rows = {r["kamerstuk"]: r for r in csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))}
        several, shared, bare = rows[world["several"].kamerstuk], rows[world["shared"].kamerstuk], rows[world["bare"].kamerstuk]
        assert several["documents"] == "COM(2023) 9; COM(2024) 3; COM(2025) 1"
        assert several["celex"] == "52024DC0003; 52025DC0001"
        assert several["co_ministries"] == "az; bz; fin"  # by name, as the list page shows them
        assert (shared["documents"], shared["celex"], shared["co_ministries"]) == ("COM(2024) 3", "52024DC0003", "bz")
        assert (bare["documents"], bare["celex"], bare["co_ministries"]) == ("", "", "")
        assert len(rows) == 5
        assert build.MARKER.encode() not in raw
        for secret in world["secrets"].values():
            assert secret.kamerstuk not in rows
            assert secret.documents.get(title__contains=build.MARKER).reference.encode() not in raw

    @pytest.mark.parametrize("query", [{}, {"q": "Openbaar"}, {"document_kind": "communication"}])
    def test_a_selection_and_the_ids_of_its_fiches_give_the_same_related_values(self, world, query):
        api = exports.api
        filterset = api.public_fiche_filter(RequestFactory().get(fiches_url("csv"), query))
        assert filterset.is_valid()
        ids = list(filterset.qs.values_list("pk", flat=True))
        for relation, fields, order in (("documents", api.DOCUMENT_REF_VALUES, api.DOCUMENT_ORDER),
                                        ("co_ministries", api.MINISTRY_VALUES, api.CO_MINISTRY_ORDER)):
            selected = api.related_values(filterset.qs, relation, fields, order)
            assert selected == api.related_values(ids, relation, fields, order) and set(selected) <= set(ids)
        several = api.related_values(filterset.qs, "documents", api.DOCUMENT_REF_VALUES, api.DOCUMENT_ORDER)[world["several"].pk]
        assert [(year, number) for _type, year, number, _celex in several] == [(2023, 9), (2024, 3), (2025, 1)]
        ministries = api.related_values(filterset.qs, "co_ministries", api.MINISTRY_VALUES, api.CO_MINISTRY_ORDER)[world["several"].pk]
        assert [code for code, _abbreviation, _name in ministries] == ["az", "bz", "fin"]

    def test_the_csv_holds_what_the_rows_of_the_prefetched_list_hold(self, client, world):
        assert body(client.get(fiches_url("csv"))) == csv_of_records(selectors.fiche_records())

    @pytest.mark.parametrize("query", [{}, {"q": "Openbaar"}, {"document_kind": "communication"}, {"ministry": "ezk"}])
    def test_the_json_results_are_the_api_list_under_the_same_filters(self, client, world, query):
        exported = json.loads(body(client.get(fiches_url("json"), query)))["results"]
        listed = client.get(reverse("api:fiche_list"), {**query, "limit": "200"}).json()["results"]
        assert exported == listed
        assert exported and all(r["documents"] for r in exported if r["id"] != world["bare"].kamerstuk)
        several = next((r for r in exported if r["id"] == world["several"].kamerstuk), None)
        if several:
            assert [d["reference"] for d in several["documents"]] == ["COM(2023) 9", "COM(2024) 3", "COM(2025) 1"]
            assert [d["celex"] for d in several["documents"]] == [None, "52024DC0003", "52025DC0001"]
            assert [m["code"] for m in several["co_ministries"]] == ["az", "bz", "fin"]


class ExportQueryCountTests:
    @pytest.mark.parametrize("size", [3, 12])
    def test_exports_cost_the_same_queries_at_any_size(self, client, django_assert_num_queries, monkeypatch, size):
        monkeypatch.setattr(exports, "CHUNK_SIZE", 2)  # 2 chunks or 6: a query per chunk would show
        fiches = build.published_world(size)
        fiches[0].co_ministries.set([build.reference_data()["fin"]])
        fiches[-1].documents.clear()
        build.unpublished_world()
        # the content version (export cache) + fiches + documents + co-ministries
        with django_assert_num_queries(4):
            assert len(read_csv(client.get(fiches_url("csv")))) == size
        # a search: the same, and on PostgreSQL around them the planner settings that keep the match on the GIN index
        # (search.gin_matching: one query; here, inside the test's transaction, also a savepoint, its rollback and release)
        with django_assert_num_queries(8 if connection.vendor == "postgresql" else 4):
            assert len(read_csv(client.get(fiches_url("csv"), {"q": "Openbaar"}))) == size
        # the version + count + the same three
        with django_assert_num_queries(5):
            assert len(json.loads(body(client.get(fiches_url("json"))))["results"]) == size
        commitments = Commitment.objects.published().count()
        with django_assert_num_queries(2):
            assert len(read_csv(client.get(commitments_url("csv")))) == commitments
        with django_assert_num_queries(3):
            assert len(json.loads(body(client.get(commitments_url("json"))))["results"]) == commitments
        # The same export again, before any write: from the export cache, only the version is read.
        for url in (fiches_url("csv"), fiches_url("json"), commitments_url("csv"), commitments_url("json")):
            made = body(client.get(url))
            with django_assert_num_queries(1):
                assert body(client.get(url)) == made


class ExportCacheTests:
    def test_a_cached_export_is_the_same_file_and_a_publication_is_in_the_next_one(self, client, django_assert_num_queries):
        build.published_world(3)
        first = body(client.get(fiches_url("csv")))
        with django_assert_num_queries(1):
            again = client.get(fiches_url("csv"))
            assert body(again) == first
        assert again["Content-Disposition"] == client.get(fiches_url("csv"))["Content-Disposition"]
        assert len(read_csv(client.get(fiches_url("csv")))) == 3
        build.published_world(1)  # a write: the next export is made afresh
        assert len(read_csv(client.get(fiches_url("csv")))) == 4

    def test_a_withdrawal_leaves_the_next_export_and_drafts_never_enter_it(self, client):
        fiches = build.published_world(3)
        client.get(fiches_url("csv"))
        Fiche.objects.filter(pk=fiches[0].pk).update(status=Fiche.Status.DRAFT)
        kamerstukken = {row["kamerstuk"] for row in read_csv(client.get(fiches_url("csv")))}
        assert fiches[0].kamerstuk not in kamerstukken and len(kamerstukken) == 2

    def test_filters_are_cached_apart(self, client):
        build.published_world(3)
        everything = read_csv(client.get(fiches_url("csv")))
        found = read_csv(client.get(fiches_url("csv"), {"q": "geen-enkel-fiche-zegt-dit"}))
        assert len(everything) == 3 and found == []
        assert len(read_csv(client.get(fiches_url("csv")))) == 3

    def test_an_export_over_the_size_limit_is_streamed_whole_and_not_kept(self, client, monkeypatch, django_assert_num_queries):
        monkeypatch.setattr(exports, "MAX_CACHED_BYTES", 200)
        build.published_world(3)
        first = read_csv(client.get(fiches_url("csv")))
        assert len(first) == 3  # nothing cut off
        with django_assert_num_queries(4):  # made again: the version, fiches, documents, co-ministries
            assert read_csv(client.get(fiches_url("csv"))) == first
