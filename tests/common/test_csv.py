"""The site's one CSV dialect and formula rule (common.csv), on its own."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone

from common import csv as common_csv

from .spreadsheets import HOSTILE, parse, parse_dicts, shown_as_text


class CsvCellTests:
    @pytest.mark.parametrize("value", HOSTILE)
    def test_a_text_a_spreadsheet_would_run_gets_a_leading_apostrophe(self, value):
        assert common_csv.cell(value) == shown_as_text(value)

    @pytest.mark.parametrize("value", ["Kamerstuk 22 112, nr. 3942", "a=b", "1+1", "e-mail", " =spatie eerst", "'al tekst", ""])
    def test_other_texts_are_kept_exactly(self, value):
        assert common_csv.cell(value) == value

    def test_numbers_stay_numbers_even_when_negative(self):
        assert common_csv.cell(Decimal("-1250.50")) == "-1250.50"
        assert common_csv.cell(-3) == "-3"
        assert common_csv.cell(0) == "0"

    def test_empty_booleans_dates_and_times_have_one_spelling(self):
        assert common_csv.cell(None) == ""
        assert (common_csv.cell(True), common_csv.cell(False)) == ("true", "false")
        assert common_csv.cell(datetime.date(2026, 3, 1)) == "2026-03-01"
        moment = datetime.datetime(2026, 3, 1, 11, 30, tzinfo=datetime.UTC)
        with timezone.override("Europe/Amsterdam"):
            assert common_csv.cell(moment) == "2026-03-01 12:30"

    def test_a_lazy_translation_is_written_as_its_text(self):
        from django.utils.translation import gettext_lazy

        assert common_csv.cell(gettext_lazy("Status")) == "Status"


class CsvFileTests:
    def test_a_file_reads_back_into_the_rows_it_was_made_of(self):
        rows = [
            ["Fiche, met komma", 'Citaat "tussen aanhalingstekens"', "regel 1\nregel 2", Decimal("-5.00")],
            [*HOSTILE[:3], None],
            [*HOSTILE[3:], True],
        ]
        content = "".join(common_csv.lines(["a", "b", "c", "d"], rows)).encode()
        assert parse(content) == [
            ["a", "b", "c", "d"],
            ["Fiche, met komma", 'Citaat "tussen aanhalingstekens"', "regel 1\nregel 2", "-5.00"],
            [*(shown_as_text(v) for v in HOSTILE[:3]), ""],
            [*(shown_as_text(v) for v in HOSTILE[3:]), "true"],
        ]

    def test_the_file_is_rfc_4180_with_a_byte_order_mark(self):
        content = "".join(common_csv.lines(["naam", "land"], [["Financiële zaken", "België"]])).encode()
        assert content == "\ufeffnaam,land\r\nFinanciële zaken,België\r\n".encode()

    @pytest.mark.parametrize("dialect", [common_csv.Dialect, common_csv.ExcelNL])
    def test_every_kind_of_value_is_written_as_cell_writes_it(self, dialect):
        """``lines`` writes the common types without ``cell``'s chain of tests: the same text for each, and for
        their subclasses (a date-time is a date, a boolean an int, a choice a str), which ``cell`` itself writes."""
        from django.utils.safestring import mark_safe
        from django.utils.translation import gettext_lazy

        from positions.models import Verdict

        moment = datetime.datetime(2026, 3, 1, 11, 30, tzinfo=datetime.UTC)
        values = [
            "tekst", "", *HOSTILE, "'al tekst", 0, -3, 12345678901234567890, True, False, None, datetime.date(2026, 3, 1),
            moment, datetime.datetime(2026, 3, 1, 11, 30), Decimal("-1250.50"), 2.5, Verdict.POSITIVE, mark_safe("=veilig"),
            gettext_lazy("Status"),
        ]
        with timezone.override("Europe/Amsterdam"):
            written = "".join(common_csv.lines(["kolom"] * len(values), [values], dialect))
            expected = io.StringIO()
            writer = csv.writer(expected, dialect=dialect)
            writer.writerow(["kolom"] * len(values))
            writer.writerow([common_csv.cell(value, dialect) for value in values])
        assert written == common_csv.BOM + expected.getvalue()

    def test_a_staff_download_is_an_attachment_that_no_cache_keeps(self):
        response = common_csv.response("toezeggingen.csv", ["nr.", "samenvatting"], [[1, "=1+1"]])
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == 'attachment; filename="toezeggingen.csv"'
        assert response["Cache-Control"] == "private, no-store"
        assert parse_dicts(response.content) == [{"nr.": "1", "samenvatting": "'=1+1"}]
