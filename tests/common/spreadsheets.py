"""Shared checks for every CSV the site writes: what a spreadsheet would run as a formula, and reading
a downloaded file back the way a program would (Python's csv module, the RFC 4180 dialect)."""

import csv
import io
import re

# Cells a spreadsheet runs as a formula, or that hide a formula behind a tab or a carriage return.
HOSTILE = ['=HYPERLINK("http://x")', "+1", "-1+1", "@SUM(A1:A2)", "\tcmd", "\rcmd"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"-?\d+(\.\d+)?")
BOM = "\ufeff".encode()


def shown_as_text(value):
    """How a hostile value must come out of a CSV: behind an apostrophe, so a spreadsheet shows it as text."""
    return f"'{value}"


def parse(content):
    """The rows of a CSV download (header first), after checking the dialect: UTF-8 with a BOM, comma
    separated, CRLF line ends, every row as wide as the header, no cell a spreadsheet would run."""
    assert content.startswith(BOM), content[:20]
    text = content.decode("utf-8-sig")
    assert text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    assert rows, "no header"
    assert len(rows[0]) > 1, f"one column: not comma separated? {rows[0]}"
    assert all(len(row) == len(rows[0]) for row in rows), [len(row) for row in rows]
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS) or NUMBER.fullmatch(cell), f"formula cell {cell!r}"
    return rows


def parse_dicts(content):
    """The rows of a CSV download as dicts keyed by the header."""
    header, *rows = parse(content)
    return [dict(zip(header, row, strict=True)) for row in rows]
