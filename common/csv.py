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


def cell(value):
    """The text of one cell; a text a spreadsheet would run as a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal | float):
        return str(value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class _Echo:
    """A file-like object whose write() returns the line, for csv.writer inside a generator."""

    def write(self, value):
        return value


def lines(header, rows):
    """The file as text lines (the first with the BOM): for streaming, or for joining into one body.

    ``rows`` is any iterable of sequences of values; each value goes through ``cell``. The header is
    written as it is (it is ours, not the data's).
    """
    writer = csv.writer(_Echo(), dialect=Dialect)
    yield BOM + writer.writerow([str(name) for name in header])
    for row in rows:
        yield writer.writerow([cell(value) for value in row])


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
