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
