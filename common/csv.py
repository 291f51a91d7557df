"""Every CSV file the site writes: one dialect and one rule against formula injection.

Used by the public exports (``public.exports``), the admin's export actions (``positions.admin``) and the
follow-up reports (``followup.views``), so a reader gets the same kind of file from each of them.

Dialect: RFC 4180 (comma separated; a cell is quoted only when it holds a comma, a quote or a line break;
quotes doubled; lines end in CRLF), UTF-8 with a byte order mark. Without the BOM, Excel reads the file as
Windows-1252 and garbles every "ë" in "Financiële" or "België"; CSV libraries (Python's ``utf-8-sig``,
pandas, R) skip it.

Formula injection: a spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula, and
one that starts with a tab or a carriage return can hide such a start (``=HYPERLINK(...)`` in a title
leaks data when clicked). Such a text cell gets a leading apostrophe, which spreadsheets show as text and
do not run. The JSON exports carry the exact text. Numbers (int, Decimal, float) are written as they are:
a negative amount stays ``-5.00``, and a number cannot hold a formula.

Values: None is an empty cell, booleans are ``true``/``false``, dates ISO 8601, date-times in local time
as ``YYYY-MM-DD HH:MM``, everything else its text.

Dutch Excel (``ExcelNL``, offered beside the RFC 4180 file as ``?dialect=excel-nl``): a Dutch Windows
uses the semicolon as list separator and the comma as decimal sign, so a comma-separated file opens as
one column there. That variant separates with semicolons, writes decimals with a comma (``-5,00``) and
booleans as ``ja``/``nee``; the caller gives it Dutch column headings. Same BOM, quoting and formula rule.
"""

import csv
import datetime
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone

BOM = "\ufeff"
CONTENT_TYPE = "text/csv; charset=utf-8"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class Dialect(csv.Dialect):
    """RFC 4180."""

    delimiter = ","
    quotechar = '"'
    doublequote = True
    skipinitialspace = False
    lineterminator = "\r\n"
    quoting = csv.QUOTE_MINIMAL
    strict = True


class ExcelNL(Dialect):
    """Dutch Excel: semicolon separated, decimal comma."""

    delimiter = ";"
    decimal_comma = True


# The names readers put after ?dialect= (an empty value is the default).
DIALECTS = {"": Dialect, "rfc4180": Dialect, "excel-nl": ExcelNL}


def cell(value, dialect=Dialect):
    """The text of one cell; a text a spreadsheet would run as a formula gets a leading apostrophe."""
    dutch = getattr(dialect, "decimal_comma", False)
    if value is None:
        return ""
    if isinstance(value, bool):
        return ("ja" if value else "nee") if dutch else ("true" if value else "false")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal | float):
        return str(value).replace(".", ",") if dutch else str(value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return _text(str(value))


def _text(text):
    """A text cell: with a leading apostrophe when a spreadsheet would run it as a formula."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class _Echo:
    """A file-like object whose write() returns the line, for csv.writer inside a generator."""

    def write(self, value):
        return value


def _common_cells(dialect):
    """{type: function} giving ``cell(value, dialect)`` for values of exactly that type, without ``cell``'s
    tests one after another: an export of 10,000 rows has a quarter of a million cells. Other types
    (subclasses of these included: a ``datetime`` is a ``date``) go through ``cell`` itself."""
    dutch = getattr(dialect, "decimal_comma", False)
    yes, no = ("ja", "nee") if dutch else ("true", "false")
    return {
        str: _text,
        int: int.__str__,
        bool: lambda value: yes if value else no,
        type(None): lambda value: "",
        datetime.date: datetime.date.isoformat,
    }


def lines(header, rows, dialect=Dialect):
    """The file as text lines (the first with the BOM): for streaming, or for joining into one body.

    ``rows`` is any iterable of sequences of values; each value is written as ``cell`` writes it. The
    header is written as it is (it is ours, not the data's).
    """
    writer = csv.writer(_Echo(), dialect=dialect)
    yield BOM + writer.writerow([str(name) for name in header])
    common = _common_cells(dialect).get

    def other(value):
        return cell(value, dialect)

    for row in rows:
        yield writer.writerow([(common(type(value)) or other)(value) for value in row])


def write(file, header, rows):
    """Write the whole file (BOM, header, rows) to ``file`` (an HttpResponse, say); returns ``file``."""
    for line in lines(header, rows):
        file.write(line)
    return file


def attachment(filename):
    """An empty CSV download of staff data, to ``write`` into: never stored by a cache on the way."""
    result = HttpResponse(content_type=CONTENT_TYPE)
    result["Content-Disposition"] = f'attachment; filename="{filename}"'
    result["Cache-Control"] = "private, no-store"
    return result


def response(filename, header, rows):
    """A CSV download of staff data holding ``header`` and ``rows``."""
    return write(attachment(filename), header, rows)
