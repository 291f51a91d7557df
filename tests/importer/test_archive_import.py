"""``manage.py import_archive``: a folder of fiches in, once; reruns and resumed runs change nothing; a bad file
fails alone; ``--published`` rules; the report."""

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from importer import services
from importer.models import ImportedFile
from positions.models import Commitment, Fiche, FicheStatusChange
from proposals.models import CommissionDocument
from tests import factories

from . import formats
from .helpers import EXAMPLE, make_reference_data

pytestmark = pytest.mark.django_db

FOLDER_FICHES = ("2008_label_colon_legislative", "2016_batch_letter_unnumbered", "2024_communication_footnotes")


def write(folder, name, kind="txt", filename=None):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (filename or f"{name}.{ 'pdf' if kind.startswith('pdf') else kind}")
    path.write_bytes(formats.FORMATS[kind](formats.load(name)))
    return path


def run(*args, expect_failure=False):
    out, err = io.StringIO(), io.StringIO()
    if expect_failure:
        with pytest.raises(CommandError) as raised:
            call_command("import_archive", *map(str, args), stdout=out, stderr=err)
        return out.getvalue(), err.getvalue(), raised.value
    call_command("import_archive", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue(), None


def report(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def archive(tmp_path):
    make_reference_data()
    folder = tmp_path / "archief"
    write(folder, FOLDER_FICHES[0], "txt", "a-2008.txt")
    write(folder / "2016", FOLDER_FICHES[1], "pdf", "b-2016.pdf")
    write(folder, FOLDER_FICHES[2], "xml", "c-2024.xml")
    (folder / "notities.odt.bak").write_text("geen fiche")  # not a fiche file: not picked up from a folder
    return folder


class ArchiveImportTests:
    def test_a_folder_is_imported_once_and_a_rerun_changes_nothing(self, archive, tmp_path):
        out, err, _error = run(archive, "--report", tmp_path / "eerste.csv")
        assert "Klaar: 3 bestanden" in out and "3 nieuw, 0 bijgewerkt, 0 ongewijzigd, 0 mislukt" in out
        assert sorted(Fiche.objects.values_list("kamerstuk", flat=True)) == ["22112-2250", "22112-3950", "22112-650"]
        assert set(Fiche.objects.values_list("status", flat=True)) == {Fiche.Status.DRAFT}
        assert "3/3 bestanden 100%" in err and "/s, nog 0:00:00" in err  # the progress bar, without a terminal
        documents = CommissionDocument.objects.count()

        out, _err, _error = run(archive, "--report", tmp_path / "tweede.csv")
        assert "0 nieuw, 0 bijgewerkt, 3 ongewijzigd, 0 mislukt" in out
        assert Fiche.objects.count() == 3 and CommissionDocument.objects.count() == documents
        rows = report(tmp_path / "tweede.csv")
        assert [row["result"] for row in rows] == ["unchanged"] * 3
        assert all(row["message"].startswith("Al ingelezen (zelfde inhoud)") for row in rows)

    def test_the_same_fiche_in_another_format_is_unchanged_not_a_duplicate(self, archive, tmp_path):
        run(archive)
        other = tmp_path / "andere-vorm"
        write(other, FOLDER_FICHES[2], "txt")
        write(other, FOLDER_FICHES[0], "pdf")
        out, _err, _error = run(other, "--report", tmp_path / "r.csv")
        assert "0 nieuw, 0 bijgewerkt, 2 ongewijzigd" in out and Fiche.objects.count() == 3
        assert {row["message"] for row in report(tmp_path / "r.csv")} == {
            f"Fiche '{Fiche.objects.get(kamerstuk=k)}' zegt dit al." for k in ("22112-650", "22112-3950")}

    def test_a_changed_file_updates_its_own_fiche(self, archive, tmp_path):
        run(archive)
        changed = tmp_path / "nieuw" / "c-2024.txt"
        changed.parent.mkdir()
        changed.write_text(formats.to_text(formats.load(FOLDER_FICHES[2])).replace("De meeste lidstaten", "Vrijwel alle lidstaten"),
                           encoding="utf-8")
        out, _err, _error = run(changed)
        assert "0 nieuw, 1 bijgewerkt" in out and Fiche.objects.count() == 3
        assert "Vrijwel alle lidstaten" in Fiche.objects.get(kamerstuk="22112-3950").sections.get(key="position-field").text

    def test_a_corrupt_file_in_the_middle_fails_alone_and_leaves_nothing(self, archive, tmp_path):
        (archive / "b-2010-kapot.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer <<>>\n%%EOF")
        (archive / "b-2011-leeg.txt").write_text("   \n")
        out, err, error = run(archive, "--report", tmp_path / "r.csv", expect_failure=True)
        assert error.returncode == 1 and "2 van de 5 bestanden mislukt" in str(error)
        assert "3 nieuw, 0 bijgewerkt, 0 ongewijzigd, 2 mislukt" in out
        assert "Mislukt: " in err and "b-2011-leeg.txt: Het bestand is leeg." in err
        rows = report(tmp_path / "r.csv")
        assert [(row["file"].rsplit("/", 1)[1], row["result"]) for row in rows] == [
            ("a-2008.txt", "created"), ("b-2010-kapot.pdf", "failed"), ("b-2011-leeg.txt", "failed"), ("c-2024.xml", "created"),
            ("b-2016.pdf", "created")]
        assert rows[1]["message"] and rows[1]["kamerstuk"] == ""
        assert Fiche.objects.count() == 3
        # A failed file is tried again by the next run; the others are skipped.
        out, _err, _error = run(archive, expect_failure=True)
        assert "0 nieuw, 0 bijgewerkt, 3 ongewijzigd, 2 mislukt" in out

    def test_an_interrupted_run_resumes_where_it_stopped_without_half_a_fiche(self, archive, monkeypatch):
        real, calls = services.import_fiche, []

        def interrupted(**kwargs):
            calls.append(kwargs["result"].data["kamerstuk"])
            outcome = real(**kwargs)
            if len(calls) == 2:  # Ctrl-C after the second fiche's rows were written, before its transaction ends
                raise KeyboardInterrupt
            return outcome

        monkeypatch.setattr(services, "import_fiche", interrupted)
        out, err, _error = run(archive)
        assert "Onderbroken na 1 van 3 bestanden" in err and "Klaar: 1 bestanden" in out
        assert list(Fiche.objects.values_list("kamerstuk", flat=True)) == ["22112-650"]  # the second rolled back whole
        assert ImportedFile.objects.count() == 1
        monkeypatch.setattr(services, "import_fiche", real)
        out, _err, _error = run(archive)
        assert "2 nieuw, 0 bijgewerkt, 1 ongewijzigd, 0 mislukt" in out and Fiche.objects.count() == 3

    def test_dry_run_reads_everything_and_writes_nothing(self, archive, tmp_path):
        out, _err, _error = run(archive, "--dry-run", "--published", "--report", tmp_path / "r.csv")
        assert out.startswith("Proefrun (niets opgeslagen): 3 bestanden") and "3 nieuw" in out
        assert not Fiche.objects.exists() and not CommissionDocument.objects.exists() and not ImportedFile.objects.exists()
        rows = report(tmp_path / "r.csv")
        assert [row["result"] for row in rows] == ["created"] * 3 and rows[0]["message"] == "Zou een nieuw concept aanmaken."

    def test_the_report_has_a_row_per_file_with_its_fields(self, archive, tmp_path):
        run(archive, "--report", tmp_path / "r.csv")
        raw = (tmp_path / "r.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbffile,result,kamerstuk,documents,warnings,seconds,message\r\n")
        rows = {row["kamerstuk"]: row for row in report(tmp_path / "r.csv")}
        assert set(rows) == {"22112-650", "22112-2250", "22112-3950"}
        assert rows["22112-650"]["documents"] == "COM(2006) 232" and rows["22112-650"]["result"] == "created"
        assert rows["22112-3950"]["documents"] == "COM(2024) 137" and rows["22112-3950"]["file"].endswith("c-2024.xml")
        assert all(float(row["seconds"]) > 0 for row in rows.values())
        stored = {f.kamerstuk: f for f in ImportedFile.objects.all()}
        assert all(int(rows[k]["warnings"]) == stored[k].warning_count == len(stored[k].warnings) for k in rows)
        assert rows["22112-650"]["message"].startswith("Nieuw concept: ")

    def test_a_collision_is_refused_and_names_the_fiche(self, archive, tmp_path):
        other = factories.fiche(kamerstuk="22112-3950", title="Een ander fiche")
        out, _err, _error = run(archive, "--report", tmp_path / "r.csv", expect_failure=True)
        assert "2 nieuw" in out and "1 mislukt" in out
        row = next(row for row in report(tmp_path / "r.csv") if row["result"] == "failed")
        assert row["kamerstuk"] == "22112-3950" and "hoort bij fiche 'Een ander fiche'" in row["message"]
        other.refresh_from_db()
        assert other.title == "Een ander fiche" and Fiche.objects.filter(kamerstuk="22112-3950").count() == 1
        assert not other.documents.filter(year=2024, number=137).exists()

    def test_two_jobs_give_what_one_job_gives(self, archive, tmp_path):
        run(archive, "--jobs", "2", "--report", tmp_path / "twee.csv")
        rows = report(tmp_path / "twee.csv")
        assert [row["result"] for row in rows] == ["created"] * 3
        assert [row["kamerstuk"] for row in rows] == ["22112-650", "22112-3950", "22112-2250"]  # file order, whatever finished first
        assert Fiche.objects.count() == 3

    def test_a_missing_path_stops_before_anything_is_read(self, archive, tmp_path):
        with pytest.raises(CommandError, match="bestaat niet") as raised:
            call_command("import_archive", str(archive), str(tmp_path / "weg"), stdout=io.StringIO(), stderr=io.StringIO())
        assert raised.value.returncode == 2 and not Fiche.objects.exists()


class PublishedArchiveTests:
    def test_a_fiche_with_number_and_letter_date_is_stored_as_published_by_the_archive_import(self, archive, client):
        run(archive / "c-2024.xml", "--published")
        fiche = Fiche.objects.get(kamerstuk="22112-3950")
        assert fiche.status == Fiche.Status.PUBLISHED and fiche.public_from is None and str(fiche.sent_on) == "2024-04-26"
        assert fiche in Fiche.objects.published()
        change = FicheStatusChange.objects.get(fiche=fiche)
        assert (change.from_status, change.to_status, change.changed_by) == (Fiche.Status.DRAFT, Fiche.Status.PUBLISHED, None)
        reasons = set(fiche.history.values_list("history_change_reason", flat=True))
        assert reasons == {"archiefimport"} and fiche.history.first().status == Fiche.Status.PUBLISHED
        assert client.get(reverse("public:fiche_detail", args=["22112-3950"])).status_code == 200

    def test_commitments_from_the_archive_wait_for_confirmation_and_stay_off_public_pages(self, archive, client):
        run(archive / "c-2024.xml", "--published")
        fiche = Fiche.objects.get(kamerstuk="22112-3950")
        commitments = list(fiche.commitments.all())
        assert commitments and not any(c.confirmed for c in commitments)
        assert not Commitment.objects.published().exists()
        page = client.get(reverse("public:commitment_list")).content.decode()
        assert all(c.summary[:40] not in page for c in commitments)
        Commitment.objects.filter(pk=commitments[0].pk).update(confirmed=True)
        assert client.get(reverse("public:commitment_list")).content.decode().count(commitments[0].summary[:40]) >= 1

    def test_without_a_kamerstuk_number_it_stays_a_draft_with_a_warning(self, tmp_path):
        make_reference_data()
        _out, _err, _error = run(EXAMPLE, "--published", "--report", tmp_path / "r.csv")
        fiche = Fiche.objects.get()
        assert fiche.status == Fiche.Status.DRAFT and fiche.kamerstuk == "" and fiche not in Fiche.objects.published()
        stored = ImportedFile.objects.get()
        assert ["kamerstuk", stored.warnings[-1][1]] == stored.warnings[-1]
        assert stored.warnings[-1][1].startswith("Geen Kamerstuknummer in de tekst: het fiche blijft concept")
        assert int(report(tmp_path / "r.csv")[0]["warnings"]) == stored.warning_count

    def test_without_a_letter_date_it_stays_a_draft_with_a_warning(self, archive):
        run(archive / "a-2008.txt", "--published")  # a fiche on its own, no letter: no send date in the text
        fiche = Fiche.objects.get(kamerstuk="22112-650")
        assert fiche.status == Fiche.Status.DRAFT and fiche.sent_on is None
        assert ImportedFile.objects.get().warnings[-1][0] == "sent_on"

    def test_a_draft_imported_before_is_published_by_a_published_run(self, archive):
        run(archive / "c-2024.xml")
        assert Fiche.objects.get().status == Fiche.Status.DRAFT
        out, _err, _error = run(archive / "c-2024.xml", "--published")
        assert "1 bijgewerkt" in out and Fiche.objects.get().status == Fiche.Status.PUBLISHED
        out, _err, _error = run(archive / "c-2024.xml", "--published")
        assert "1 ongewijzigd" in out
        write(archive / "pdf", FOLDER_FICHES[2], "pdf")  # the same fiche as a PDF: the published fiche says it already
        out, _err, _error = run(archive / "pdf", "--published")
        assert "1 ongewijzigd" in out and Fiche.objects.count() == 1


def staff(username, role, ministries=()):
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(username=username, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    for ministry in ministries:
        ministry.members.add(user)
    return user


@pytest.fixture
def to_check(tmp_path):
    """The example fiche (EZK, no Kamerstuk number: warnings) imported from the archive, a FIN fiche with an import
    warning, and an imported fiche without warnings."""
    make_reference_data()
    run(EXAMPLE, "--published")
    ezk = Fiche.objects.get()
    fin_ministry = factories.ministry("fin", "FIN", "Ministerie van Financiën")
    fin = factories.fiche(title="Fiche van Financiën", lead_ministry=fin_ministry)
    ImportedFile.objects.create(sha256="f" * 64, path="archief/fin.pdf", result="created", fiche=fin, warning_count=1,
                                warnings=[["council_configuration", "Raadsformatie 'Ecofinraad' niet gevonden in de referentiegegevens."]])
    clean = factories.fiche(title="Fiche zonder waarschuwingen", lead_ministry=ezk.lead_ministry)
    ImportedFile.objects.create(sha256="c" * 64, path="archief/schoon.txt", result="created", fiche=clean)
    return {"ezk": ezk, "fin": fin, "clean": clean}


LIST = "/admin/importer/fichetocheck/"


def rows_of(page, key):
    """The table rows of one field's warnings (the field's cells span them)."""
    return "".join(part.split("</tr>", 1)[0] for part in page.split(f'<tr class="ft-warning-{key}">')[1:])


class ToCheckAdminTests:
    def test_a_coordinator_sees_every_fiche_with_warnings_and_no_other(self, client, to_check):
        client.force_login(staff("coordinator", "coordinator"))
        page = client.get(LIST).content.decode()
        assert to_check["ezk"].title[:30] in page and "Fiche van Financiën" in page and "Fiche zonder waarschuwingen" not in page

    def test_an_editor_sees_only_their_own_ministries_fiches(self, client, to_check):
        editor = staff("redacteur", "editor", [to_check["ezk"].lead_ministry])
        client.force_login(editor)
        page = client.get(LIST).content.decode()
        assert to_check["ezk"].title[:30] in page and "Fiche van Financiën" not in page  # published, but not theirs
        assert client.get(f"{LIST}{to_check['fin'].pk}/change/").status_code == 404
        assert client.get(f"{LIST}{to_check['ezk'].pk}/change/").status_code == 200

    def test_each_warning_stands_next_to_its_field_with_a_link_to_it(self, client, to_check):
        client.force_login(staff("coordinator", "coordinator"))
        page = client.get(f"{LIST}{to_check['ezk'].pk}/change/").content.decode()
        row = rows_of(page, "kamerstuk")
        assert f'href="/admin/positions/fiche/{to_check["ezk"].pk}/change/#id_kamerstuk">Kamerstuknummer</a>' in row
        assert "Geen Kamerstuknummer in de tekst: het fiche blijft concept" in row and "2024-COM-2024-28" in row
        page = client.get(f"{LIST}{to_check['fin'].pk}/change/").content.decode()
        row = rows_of(page, "council_configuration")
        assert "Behandelingstraject Raad" in row and "Raadsformatie &#x27;Ecofinraad&#x27; niet gevonden" in row and "Raad Vervoer, Telecommunicatie en Energie" in row

    def test_marking_a_fiche_checked_takes_it_off_the_list_for_whoever_may_change_it(self, client, to_check):
        client.force_login(staff("lezer", "reader-staff", [to_check["ezk"].lead_ministry]))
        assert client.post(f"{LIST}{to_check['ezk'].pk}/change/").status_code == 404
        assert ImportedFile.objects.with_warnings().filter(fiche=to_check["ezk"]).exists()
        client.force_login(staff("redacteur", "editor", [to_check["ezk"].lead_ministry]))
        response = client.post(f"{LIST}{to_check['ezk'].pk}/change/")
        assert response.status_code == 302 and not ImportedFile.objects.with_warnings().filter(fiche=to_check["ezk"]).exists()
        assert to_check["ezk"].title[:30] not in client.get(LIST).content.decode()
