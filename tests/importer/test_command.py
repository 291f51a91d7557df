"""``manage.py import_fiche``: output, exit statuses, nothing written on failure."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from importer.parsing import JSON_KEYS
from positions.models import Fiche
from proposals.models import CommissionDocument

from .helpers import EXAMPLE, make_reference_data

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_fiche", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


class ImportCommandTests:
    def test_dry_run_prints_one_json_object_and_writes_nothing(self):
        out, _err = run(str(EXAMPLE), "--dry-run", "--format", "json")
        data = json.loads(out)
        assert tuple(data) == JSON_KEYS
        assert data["documents"][0]["celex"] == "52024DC0028" and len(data["footnotes"]) == 17
        assert not Fiche.objects.exists() and not CommissionDocument.objects.exists()

    def test_it_creates_then_updates_the_same_draft(self):
        make_reference_data()
        out, err = run(str(EXAMPLE))
        assert out.startswith("Nieuw concept: Mededeling stimuleren") and "Kamerstuknummer" in err
        out, _err = run(str(EXAMPLE))
        assert out.startswith("Concept bijgewerkt") and Fiche.objects.count() == 1

    @pytest.mark.parametrize(("content", "message"), [
        (b"", "leeg"), (b"\x00\x01\x02junk" * 1000, "binaire"), (b"%PDF-1.7 broken", "PDF"),
        (b"Een gewone brief over het weer, zonder fiche erin. " * 30, "Geen BNC-fiche"),
    ])
    def test_unusable_input_exits_with_status_2_and_a_message(self, tmp_path, content, message):
        path = tmp_path / "invoer.bin"
        path.write_bytes(content)
        with pytest.raises(CommandError, match=message) as error:
            run(str(path))
        assert error.value.returncode == 2
        assert not Fiche.objects.exists()

    def test_a_file_of_50_megabytes_exits_with_status_2(self, tmp_path):
        path = tmp_path / "groot.pdf"
        with path.open("wb") as handle:
            handle.truncate(50 * 1024 * 1024)
        with pytest.raises(CommandError, match="te groot") as error:
            run(str(path))
        assert error.value.returncode == 2

    def test_a_missing_file_exits_with_status_2(self, tmp_path):
        with pytest.raises(CommandError, match="kan niet worden geopend") as error:
            run(str(tmp_path / "bestaat-niet.txt"))
        assert error.value.returncode == 2

    def test_a_refused_import_exits_with_status_1(self):
        with pytest.raises(CommandError, match="fichesjabloon") as error:
            run(str(EXAMPLE))
        assert error.value.returncode == 1
        assert not Fiche.objects.exists()


def write_text(tmp_path, text):
    path = tmp_path / "fiche.txt"
    path.write_text(text, encoding="utf-8")
    return str(path)


class ImportCommandMinistryAndDryRunTests:
    def test_ministry_gives_the_lead_ministry_when_the_text_names_none_that_is_known(self, tmp_path):
        make_reference_data()
        path = write_text(tmp_path, EXAMPLE.read_text(encoding="utf-8").replace("Ministerie van Economische Zaken en Klimaat",
                                                                                "Ministerie van Onbekende Zaken"))
        run(path, "--ministry", "FIN")
        assert Fiche.objects.get().lead_ministry.code == "fin"

    def test_an_unknown_ministry_code_is_refused_clearly_before_reading(self):
        make_reference_data()
        with pytest.raises(CommandError, match=r"Onbekend ministerie 'xyz' bij --ministry\. Bekende codes: ezk, fin\.") as error:
            run(str(EXAMPLE), "--ministry", "xyz")
        assert error.value.returncode == 2 and not Fiche.objects.exists()

    def test_a_ministry_other_than_the_one_the_text_names_is_refused(self):
        make_reference_data()
        with pytest.raises(CommandError, match=r"De tekst noemt EZK als eerstverantwoordelijk ministerie, niet FIN\.") as error:
            run(str(EXAMPLE), "--ministry", "fin")
        assert error.value.returncode == 1 and not Fiche.objects.exists()

    def test_dry_run_says_it_would_create_then_which_fiche_and_fields_it_would_update(self):
        make_reference_data()
        out, _err = run(str(EXAMPLE), "--dry-run")
        assert out.rstrip().endswith("Zou een nieuw concept aanmaken.") and not Fiche.objects.exists()
        run(str(EXAMPLE))
        Fiche.objects.update(title="Eigen titel", legal_basis="Artikel 173 VWEU")
        out, _err = run(str(EXAMPLE), "--dry-run")
        assert "Zou fiche 'Eigen titel' (zonder Kamerstuknummer) bijwerken (velden: titel fiche, rechtsbasis)." in out
        assert Fiche.objects.get().title == "Eigen titel"

    def test_dry_run_says_it_would_refuse_an_import_over_another_fiche(self, tmp_path):
        from tests import factories

        make_reference_data()
        other = factories.fiche(status=Fiche.Status.DRAFT, title="Concept over verpakkingen", kamerstuk="22112-3950",
                                documents=[factories.document("COM(2022) 677")])
        path = write_text(tmp_path, "Kamerstuk 22 112, nr. 3950\n\n" + EXAMPLE.read_text(encoding="utf-8"))
        out, _err = run(path, "--dry-run")
        assert "Zou weigeren: Het Kamerstuknummer 22112-3950 in de tekst hoort bij fiche 'Concept over verpakkingen'" in out
        with pytest.raises(CommandError, match="Concept over verpakkingen") as error:
            run(path)
        assert error.value.returncode == 1
        other.refresh_from_db()
        assert other.title == "Concept over verpakkingen" and Fiche.objects.count() == 1

    def test_json_dry_run_keeps_stdout_one_json_object_and_says_the_plan_on_stderr(self):
        make_reference_data()
        out, err = run(str(EXAMPLE), "--dry-run", "--format", "json")
        assert tuple(json.loads(out)) == JSON_KEYS
        assert "Zou een nieuw concept aanmaken." in err
