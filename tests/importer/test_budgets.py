"""Files over a reading budget (importer/parsing/limits.py) are refused with a clear Dutch message, by that
budget, in little memory: in the parser, in the admin upload (nothing stored) and in ``manage.py import_fiche``
(exit status 2, the message on stderr). Text that is not UTF-8 is read with a warning the editor sees.

The hostile files are built here (bombs.py): a Word file whose document.xml unpacks to a gigabyte, PDFs
whose streams unpack to a gigabyte of zeros. Memory is measured as the reading worker's own peak over
what it had before reading, and as the test process's peak before and after; time is not asserted (it
is reported: the refusals take well under a second).
"""

import logging
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from importer import views
from importer.parsing import MAX_BYTES, Budget, BudgetExceeded, FicheParseError, limits, parse_bytes
from positions.models import Fiche
from proposals.models import CommissionDocument

from .bombs import GB, MB, docx_bomb, pdf_of, pdf_with_pages, write_zip, zeros_stream
from .helpers import example_text, make_docx, make_pdf, make_reference_data

EXTRA_MEMORY = 200 * MB
UPLOAD = "/admin/positions/fiche/import/"
ROOT = Path(__file__).resolve().parents[2]
FICHE_LINES = [line.strip() for line in example_text().split("\n") if line.strip()]


def peak_memory():
    """The test process's own peak resident set, in bytes (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


@pytest.fixture(scope="session")
def word_bomb():
    """The example fiche as a Word file, its document.xml padded to 1 GB of paragraphs: a small file."""
    return docx_bomb(make_docx(FICHE_LINES), GB)


@pytest.fixture(scope="session")
def pdf_bomb():
    """One page whose content stream is 1 GB of zeros."""
    return pdf_with_pages([zeros_stream(GB)])


@pytest.fixture(scope="session")
def pdf_pages_bomb():
    """70 pages of 15 MB of zeros each: every stream under the per-stream limit, 1 GB together."""
    return pdf_with_pages([zeros_stream(15 * MB)] * 70)


@pytest.fixture(scope="session")
def bomb_files(tmp_path_factory, word_bomb, pdf_bomb):
    folder = tmp_path_factory.mktemp("bombs")
    (folder / "bom.docx").write_bytes(word_bomb)
    (folder / "bom.pdf").write_bytes(pdf_bomb)
    return folder


def refused(data, name):
    """The BudgetExceeded that reading ``data`` raises, and how much the test process's peak memory grew meanwhile."""
    before = peak_memory()
    with pytest.raises(BudgetExceeded) as error:
        parse_bytes(data, name)
    return error.value, peak_memory() - before


class WordBudgetTests:
    def test_a_word_file_that_unpacks_to_a_gigabyte_is_refused_by_the_size_budget_in_little_memory(self, word_bomb):
        assert len(word_bomb) < 5 * MB  # like the 2.4 MB file that held an upload for 177 s at 3.8 to 6.1 GB
        error, growth = refused(word_bomb, "bom.docx")
        assert error.budget == Budget.SIZE
        assert "Het Word-bestand is uitgepakt te groot: word/document.xml is 1024 MB; de grens voor een fiche is 32 MB" in str(error)
        assert error.usage.memory_added < EXTRA_MEMORY and growth < EXTRA_MEMORY

    def test_a_word_file_that_understates_its_unpacked_size_is_read_no_further_than_it_says(self):
        liar = docx_bomb(make_docx(FICHE_LINES), GB, declared=MB)
        before = peak_memory()
        with pytest.raises(FicheParseError, match=r"Word-bestand kan niet worden gelezen \(BadZipFile\)"):
            parse_bytes(liar, "leugen.docx")
        assert peak_memory() - before < EXTRA_MEMORY

    def test_a_zip_of_too_many_parts_is_refused_before_anything_is_unpacked(self):
        members = [("[Content_Types].xml", b"\x03\x00", 0, 0)] + [(f"word/media/deel{i}.xml", b"\x03\x00", 0, 0) for i in range(1500)]
        error, _growth = refused(write_zip(members), "delen.docx")
        assert error.budget == Budget.PARTS and error.usage is None  # no worker needed
        assert "bestaat uit 1.501 delen; de grens voor een fiche is 1.000" in str(error)

    def test_a_word_file_with_more_text_than_a_fiche_is_refused_by_the_text_budget(self):
        data = make_docx(["Fiche 1: lang"] + ["Een zin van een fiche die veel te lang is. " * 25] * 1000)
        error, _growth = refused(data, "lang.docx")
        assert error.budget == Budget.TEXT and "meer dan 1.000.000 tekens" in str(error)


class PdfBudgetTests:
    def test_a_pdf_stream_of_a_gigabyte_of_zeros_is_refused_by_the_size_budget_in_little_memory(self, pdf_bomb):
        assert len(pdf_bomb) < 2 * MB
        error, growth = refused(pdf_bomb, "bom.pdf")
        assert error.budget == Budget.SIZE
        assert "datastroom die uitgepakt groter is dan 16 MB" in str(error)
        assert error.usage.memory_added < EXTRA_MEMORY and growth < EXTRA_MEMORY

    def test_pages_that_unpack_to_a_gigabyte_together_are_refused_by_the_size_budget(self, pdf_pages_bomb):
        error, growth = refused(pdf_pages_bomb, "paginas.pdf")
        assert error.budget == Budget.SIZE
        assert "de inhoud tot en met pagina 4 alleen al is meer dan 48 MB" in str(error)
        assert error.usage.memory_added < EXTRA_MEMORY and growth < EXTRA_MEMORY

    def test_a_pdf_of_too_many_objects_is_refused_by_the_parts_budget(self):
        lines = pdf_of([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"] + [b"null"] * 120_000)
        error, _growth = refused(lines, "objecten.pdf")
        assert error.budget == Budget.PARTS and "bestaat uit 120.002 objecten; de grens voor een fiche is 100.000" in str(error)

    def test_a_pdf_of_too_many_pages_is_refused_by_the_parts_budget(self):
        error, _growth = refused(make_pdf([["Bladzijde"]] * 301), "dik.pdf")
        assert error.budget == Budget.PARTS and "301 pagina's; een fiche heeft er hooguit 300" in str(error)

    def test_a_reader_that_does_not_answer_in_time_is_killed_and_the_file_refused_by_the_time_budget(self, monkeypatch, pdf_pages_bomb):
        monkeypatch.setattr(limits, "READ_SECONDS", 0)
        monkeypatch.setattr(limits, "WORKER_GRACE_SECONDS", 0.05)
        error, _growth = refused(pdf_pages_bomb, "traag.pdf")
        assert error.budget == Budget.TIME and "duurde langer dan 0 seconden en is afgebroken" in str(error)


class TextBudgetTests:
    def test_a_text_file_with_more_text_than_a_fiche_is_refused_before_it_is_parsed(self):
        data = example_text().encode() * 40
        assert len(data) < MAX_BYTES
        error, _growth = refused(data, "lang.txt")
        assert error.budget == Budget.TEXT and error.usage is None


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("editor", password="x", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["add_fiche", "change_fiche", "view_fiche", "edit_all_fiches"]))
    return user


@pytest.mark.django_db
class AdminUploadBudgetTests:
    @pytest.mark.parametrize(("bomb", "name", "message"), [
        ("word_bomb", "bom.docx", "Het Word-bestand is uitgepakt te groot: word/document.xml is 1024 MB"),
        ("pdf_bomb", "bom.pdf", "Het PDF-bestand bevat een datastroom die uitgepakt groter is dan 16 MB"),
    ])
    def test_a_bomb_gets_its_budget_error_on_the_form_and_nothing_is_stored(self, client, editor, caplog, request, bomb, name, message):
        data = request.getfixturevalue(bomb)
        client.force_login(editor)
        before = peak_memory()
        with caplog.at_level(logging.INFO, logger="importer.parsing.sandbox"):
            response = client.post(UPLOAD, {"file": SimpleUploadedFile(name, data)})
        assert response.status_code == 400
        assert message in response.content.decode()
        assert views.SESSION_KEY not in client.session
        assert not Fiche.objects.exists() and not CommissionDocument.objects.exists()
        [record] = [r for r in caplog.records if hasattr(r, "usage")]
        assert "refused (size budget)" in record.getMessage()
        assert record.usage.memory_added < EXTRA_MEMORY and peak_memory() - before < EXTRA_MEMORY

    def test_windows_1252_text_reaches_the_preview_with_its_warning(self, client, editor):
        client.force_login(editor)
        response = client.post(UPLOAD, {"file": SimpleUploadedFile("oud.txt", example_text().encode("cp1252"))})
        assert response.status_code == 302
        page = client.get(response["Location"]).content.decode()
        assert "Het tekstbestand is niet in UTF-8 opgeslagen en is gelezen als Windows-1252" in page
        assert "Comité" in page


@pytest.mark.django_db
class CommandBudgetTests:
    @pytest.mark.parametrize(("name", "message"), [
        ("bom.docx", "uitgepakt te groot: word/document.xml is 1024 MB"),
        ("bom.pdf", "datastroom die uitgepakt groter is dan 16 MB"),
    ])
    def test_a_bomb_exits_with_status_2_and_writes_nothing(self, bomb_files, name, message):
        with pytest.raises(CommandError, match=message) as error:
            call_command("import_fiche", str(bomb_files / name))
        assert error.value.returncode == 2
        assert not Fiche.objects.exists() and not CommissionDocument.objects.exists()

    def test_from_the_shell_the_bomb_exits_with_status_2_and_the_message_on_stderr(self, bomb_files):
        result = subprocess.run([sys.executable, "manage.py", "import_fiche", str(bomb_files / "bom.docx"), "--dry-run"],  # noqa: S603
                                cwd=ROOT, capture_output=True, text=True, check=False, env={**os.environ, "FICHETRACKER_TESTING": "1"})
        assert result.returncode == 2 and result.stdout == ""
        assert "Het Word-bestand is uitgepakt te groot: word/document.xml is 1024 MB" in result.stderr

    def test_windows_1252_text_is_imported_with_the_warning_printed(self, tmp_path):
        path = tmp_path / "oud.txt"
        path.write_bytes(example_text().encode("cp1252"))
        make_reference_data()
        err = _run_command(str(path))
        assert "Let op: Het tekstbestand is niet in UTF-8 opgeslagen en is gelezen als Windows-1252" in err
        assert "Comité" in Fiche.objects.get().proposal_title

    def test_a_word_and_a_pdf_fiche_still_import_with_their_fields(self, tmp_path):
        make_reference_data()
        for name, data in (("fiche.docx", make_docx(FICHE_LINES)), ("fiche.pdf", make_pdf([FICHE_LINES[i:i + 60] for i in range(0, 600, 60)]))):
            (tmp_path / name).write_bytes(data)
            _run_command(str(tmp_path / name))
            fiche = Fiche.objects.get()
            assert [str(d) for d in fiche.documents.all()] == ["COM(2024) 28"] and fiche.documents.get().celex == "52024DC0028"
            assert fiche.lead_ministry.abbreviation == "EZK" and fiche.received_on.isoformat() == "2024-01-24"
            assert fiche.sections.count() >= 9 and fiche.footnotes.exists()
            fiche.delete()


def _run_command(*args):
    import io

    out, err = io.StringIO(), io.StringIO()
    call_command("import_fiche", *args, stdout=out, stderr=err)
    return err.getvalue()
