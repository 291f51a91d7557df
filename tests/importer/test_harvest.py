"""``manage.py harvest_fiches`` from recorded answers (tests/importer/harvest: two SRU pages, four fiches and an
annotated agenda); the documents' XML is written by the Kamerstuk XML builder (formats.to_xml). Never the network."""

import csv
import io
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from importer.harvest import FetchError, OfflineFetcher, parse_page, query
from importer.models import ImportedFile
from positions.models import Fiche

from . import formats
from .helpers import make_reference_data

pytestmark = pytest.mark.django_db

RECORDED = Path(__file__).parent / "harvest"
FICHES = {650: "2008_label_colon_legislative", 1650: "2013_legislative_two_documents", 2250: "2016_batch_letter_unnumbered",
          3950: "2024_communication_footnotes"}
ALL = ["22112-1650", "22112-2250", "22112-3950", "22112-650"]


@pytest.fixture
def saved(tmp_path):
    """The recorded SRU pages and the fiches' XML documents in a folder, as ``--offline`` reads them."""
    make_reference_data()
    folder = tmp_path / "opgeslagen"
    shutil.copytree(RECORDED, folder)
    for number, name in FICHES.items():
        (folder / f"kst-22112-{number}.xml").write_bytes(formats.to_xml(formats.load(name)))
    return folder


class CountingFetcher(OfflineFetcher):
    """The offline fetcher, counting what it was asked, failing the first ``fail`` times for the names in ``failing``."""

    def __init__(self, folder, failing=(), fail=1):
        super().__init__(folder)
        self.asked, self.failing, self.fail = [], set(failing), fail

    def _read(self, path):
        self.asked.append(path.name)
        if path.name in self.failing and self.asked.count(path.name) <= self.fail:
            raise FetchError("time-out (test)")
        return super()._read(path)


def run(*args, fetcher=None, expect_failure=False):
    out, err = io.StringIO(), io.StringIO()
    options = {"fetcher": fetcher} if fetcher else {}
    args = ["--delay", "0", *map(str, args)]
    if expect_failure:
        with pytest.raises(CommandError) as raised:
            call_command("harvest_fiches", *args, stdout=out, stderr=err, **options)
        return out.getvalue(), err.getvalue(), raised.value
    call_command("harvest_fiches", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue(), None


def report(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def kamerstukken():
    return sorted(Fiche.objects.values_list("kamerstuk", flat=True))


class HarvestTests:
    def test_the_fiches_of_both_pages_are_imported_and_the_agenda_is_not(self, saved, tmp_path):
        fetcher = CountingFetcher(saved)
        out, err, _error = run("--since", "2007-01-01", "--report", tmp_path / "r.csv", fetcher=fetcher)
        assert kamerstukken() == ALL
        assert "Gevonden: 5 stukken; 4 fiches op te halen, 0 al eerder ingelezen (overgeslagen), 1 geen fiche, 0 buiten" in out
        assert "Klaar: 4 documenten" in out and "4 nieuw, 0 bijgewerkt, 0 ongewijzigd, 0 mislukt" in out
        assert "Pagina 1 (records 1-3 van 5): 2 fiches op te halen." in err and "Pagina 2 (records 4-5 van 5): 2 fiches" in err
        assert "4/4 documenten 100%" in err
        assert fetcher.asked == ["sru-1.xml", "sru-4.xml", "kst-22112-650.xml", "kst-22112-1650.xml", "kst-22112-2250.xml",
                                 "kst-22112-3950.xml"]  # the agenda (kst-22112-1690) is never downloaded
        assert sorted(ImportedFile.objects.values_list("identifier", flat=True)) == [
            "kst-22112-1650", "kst-22112-2250", "kst-22112-3950", "kst-22112-650"]
        rows = report(tmp_path / "r.csv")
        assert [row["result"] for row in rows] == ["created"] * 4 and rows[0]["file"].endswith("kst-22112-650.xml")

    def test_a_rerun_creates_nothing_and_downloads_nothing(self, saved):
        run("--since", "2007-01-01", "--offline", saved)
        fetcher = CountingFetcher(saved)
        out, _err, _error = run("--since", "2007-01-01", fetcher=fetcher)
        assert "0 fiches op te halen, 4 al eerder ingelezen (overgeslagen)" in out and "Klaar: 0 documenten" in out
        assert fetcher.asked == ["sru-1.xml", "sru-4.xml"] and kamerstukken() == ALL
        assert ImportedFile.objects.count() == 4

    def test_a_document_imported_before_from_a_folder_is_downloaded_once_then_known_by_its_identifier(self, saved):
        call_command("import_archive", str(saved / "kst-22112-3950.xml"), stdout=io.StringIO(), stderr=io.StringIO())
        out, _err, _error = run("--since", "2024-01-01", "--offline", saved)
        assert "1 fiches op te halen" in out and "0 nieuw, 0 bijgewerkt, 1 ongewijzigd" in out
        assert ImportedFile.objects.get().identifier == "kst-22112-3950"
        fetcher = CountingFetcher(saved)
        out, _err, _error = run("--since", "2024-01-01", fetcher=fetcher)
        assert "1 al eerder ingelezen" in out and fetcher.asked == ["sru-1.xml", "sru-4.xml"]

    def test_since_and_until_limit_the_period(self, saved):
        out, _err, _error = run("--since", "2016-01-01", "--offline", saved)
        assert kamerstukken() == ["22112-2250", "22112-3950"] and "3 buiten de periode" in out
        out, _err, _error = run("--since", "2007-01-01", "--until", "2013-12-31", "--offline", saved)
        assert kamerstukken() == ALL and "2 nieuw" in out and "2 buiten de periode" in out

    def test_a_failed_page_is_reported_and_the_run_goes_on(self, saved, tmp_path):
        (saved / "sru-4.xml").write_text("<sru:searchRetrieveResponse", encoding="utf-8")  # cut off: not XML
        _out, err, error = run("--since", "2007-01-01", "--offline", saved, "--report", tmp_path / "r.csv", expect_failure=True)
        assert error.returncode == 1 and "1 van de 3 documenten mislukt" in str(error)
        assert kamerstukken() == ["22112-1650", "22112-650"]  # the first page's fiches
        assert "Pagina 2 (vanaf record 4): mislukt." in err and "Mislukt: sru-4: SRU-pagina vanaf record 4 mislukt" in err
        rows = report(tmp_path / "r.csv")
        assert (rows[0]["file"], rows[0]["result"]) == ("sru-4", "failed")
        assert "geen geldige XML" in rows[0]["message"]

    def test_a_missing_document_fails_alone_and_is_fetched_again_next_time(self, saved, tmp_path):
        document = saved / "kst-22112-2250.xml"
        kept = document.read_bytes()
        document.unlink()
        out, err, error = run("--since", "2007-01-01", "--offline", saved, "--report", tmp_path / "r.csv", expect_failure=True)
        assert "3 nieuw, 0 bijgewerkt, 0 ongewijzigd, 1 mislukt" in out and error.returncode == 1
        assert "Document kst-22112-2250 niet opgehaald" in err
        rows = {row["file"].rsplit("/", 1)[-1]: row["result"] for row in report(tmp_path / "r.csv")}
        assert rows == {"kst-22112-650.xml": "created", "kst-22112-1650.xml": "created", "kst-22112-2250.xml": "failed",
                        "kst-22112-3950.xml": "created"}
        document.write_bytes(kept)
        out, _err, _error = run("--since", "2007-01-01", "--offline", saved)
        assert "1 fiches op te halen, 3 al eerder ingelezen" in out and "1 nieuw" in out and kamerstukken() == ALL

    def test_a_request_that_fails_once_is_retried_and_succeeds(self, saved):
        fetcher = CountingFetcher(saved, failing={"sru-1.xml", "kst-22112-3950.xml"}, fail=2)
        out, _err, _error = run("--since", "2007-01-01", fetcher=fetcher)
        assert "4 nieuw" in out and "0 mislukt" in out and kamerstukken() == ALL
        assert fetcher.asked.count("sru-1.xml") == 3 and fetcher.asked.count("kst-22112-3950.xml") == 3

    def test_after_three_retries_it_gives_up(self, saved):
        fetcher = CountingFetcher(saved, failing={"kst-22112-650.xml"}, fail=10)
        out, err, _error = run("--since", "2007-01-01", fetcher=fetcher, expect_failure=True)
        assert fetcher.asked.count("kst-22112-650.xml") == 4 and "time-out (test)" in err
        assert "3 nieuw" in out and "1 mislukt" in out

    def test_published_follows_the_rules_of_import_archive(self, saved):
        run("--since", "2007-01-01", "--offline", saved, "--published")
        published = dict(Fiche.objects.values_list("kamerstuk", "status"))
        assert published["22112-3950"] == Fiche.Status.PUBLISHED
        assert str(Fiche.objects.get(kamerstuk="22112-3950").sent_on) == "2024-04-26"  # the letter's date, not the publication's
        assert published["22112-650"] == Fiche.Status.DRAFT  # a fiche on its own: no letter, no send date
        assert ImportedFile.objects.get(identifier="kst-22112-650").warnings[-1][0] == "sent_on"

    def test_bad_arguments_give_a_clear_message(self, saved, tmp_path):
        with pytest.raises(CommandError, match="is geen datum; schrijf die als JJJJ-MM-DD") as raised:
            run("--since", "1 januari 2007", "--offline", saved)
        assert raised.value.returncode == 2
        with pytest.raises(CommandError, match="ligt voor --since"):
            run("--since", "2020-01-01", "--until", "2019-01-01", "--offline", saved)
        with pytest.raises(CommandError, match="is geen map"):
            run("--since", "2020-01-01", "--offline", tmp_path / "weg")


class SruAnswerTests:
    def test_a_recorded_page_gives_its_records(self):
        page = parse_page((RECORDED / "sru-1.xml").read_bytes())
        assert (page.total, page.next_start, len(page.records)) == (5, 4, 3)
        first = page.records[0]
        assert first.identifier == "kst-22112-650" and str(first.available) == "2007-11-16" and first.is_fiche
        assert first.url == "https://repository.overheid.nl/frbr/officielepublicaties/kst/22112/kst-22112-650/1/xml/kst-22112-650.xml"
        assert not page.records[2].is_fiche  # the agenda: the dossier's title alone does not make a fiche

    def test_an_error_answer_is_a_failed_fetch(self):
        diagnostic = (b'<sru:searchRetrieveResponse xmlns:sru="http://docs.oasis-open.org/ns/search-ws/sruResponse">'
                      b"<sru:numberOfRecords>0</sru:numberOfRecords></sru:searchRetrieveResponse>")
        assert parse_page(diagnostic).records == []
        with pytest.raises(FetchError, match="geen zoekresultaat: Query syntax error"):
            parse_page(b'<diagnostics xmlns="http://docs.oasis-open.org/ns/search-ws/diagnostic"><diagnostic>'
                       b"<message>Query syntax error</message></diagnostic></diagnostics>")

    def test_the_query(self):
        import datetime

        assert query(datetime.date(2007, 1, 1), datetime.date(2008, 12, 31)) == (
            "c.product-area==officielepublicaties AND w.dossiernummer==22112 AND w.publicatienaam==Kamerstuk "
            "AND dt.available>=2007-01-01 AND dt.available<=2008-12-31")


def answer(total, numbers, next_start=None):
    """A minimal SRU answer: a fiche record per number, and where the next page starts."""
    records = "".join(
        f'<sru:record><sru:recordData><gzd:gzd xmlns:gzd="http://standaarden.overheid.nl/sru" xmlns:dcterms="http://purl.org/dc/terms/">'
        f"<gzd:originalData><meta><owmskern><dcterms:identifier>kst-22112-{n}</dcterms:identifier>"
        f"<dcterms:title>Brief regering; Fiche: voorstel {n}</dcterms:title></owmskern><owmsmantel>"
        f"<dcterms:available>2020-01-0{n % 9 + 1}</dcterms:available></owmsmantel></meta></gzd:originalData><gzd:enrichedData>"
        f'<gzd:itemUrl manifestation="xml">https://repository.overheid.nl/kst-22112-{n}.xml</gzd:itemUrl></gzd:enrichedData>'
        f"</gzd:gzd></sru:recordData></sru:record>" for n in numbers)
    following = f"<sru:nextRecordPosition>{next_start}</sru:nextRecordPosition>" if next_start else ""
    return (f'<sru:searchRetrieveResponse xmlns:sru="http://docs.oasis-open.org/ns/search-ws/sruResponse"><sru:numberOfRecords>{total}'
            f"</sru:numberOfRecords><sru:records>{records}</sru:records>{following}</sru:searchRetrieveResponse>").encode()


class PagesFetcher:
    def __init__(self, pages):
        self.pages, self.asked = pages, []

    def page(self, cql, start, size):
        self.asked.append(start)
        if start not in self.pages:
            raise FetchError("HTTP-fout 503 (test)")
        return self.pages[start]


class HarvestPagingTests:
    def test_after_a_failed_page_the_next_is_found_by_the_stride_and_retries_wait_longer_each_time(self):
        import datetime

        from importer.harvest import Harvest

        fetcher, sleeps = PagesFetcher({1: answer(6, [1, 2], 3), 5: answer(6, [5, 6, 2])}), []
        harvest = Harvest(fetcher, since=datetime.date(2007, 1, 1), delay=0.5, page_size=100, sleep=sleeps.append)
        records = harvest.pages()
        assert fetcher.asked == [1, 3, 3, 3, 3, 5]
        assert sleeps == [0.5, 1.0, 2.0, 4.0, 0.5]  # delay before each request; 2x, 4x, 8x before the retries
        assert [r.identifier for r in records] == ["kst-22112-1", "kst-22112-2", "kst-22112-5", "kst-22112-6"]  # 2 once
        assert [f.what for f in harvest.failures] == ["sru-3"] and "HTTP-fout 503 (test)" in harvest.failures[0].message
