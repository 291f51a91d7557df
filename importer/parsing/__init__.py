"""Reading BNC-fiches: pure Python, no database.

``parse_file(path)`` / ``parse_bytes(data)`` / ``parse_text(text)`` return a ParseResult; on input
that is not a usable fiche they raise FicheParseError and nothing else (BudgetExceeded, a kind of
it, for a file over a reading budget: limits.py). PDF and Word files are read in a limited worker
process (sandbox.py); what the reader noticed about the file itself (a text file that was not
UTF-8) comes first among the result's warnings.

The fiche parser (fiche.py) is imported on first use, not here: the reading worker imports this
package for its readers alone, and starts 40 ms sooner without it.
"""

from .errors import Budget, BudgetExceeded, FicheParseError, ReaderUnavailable
from .readers import MAX_BYTES, Reading, read_bytes, read_path

_FROM_FICHE = ("JSON_KEYS", "ParseResult")


def __getattr__(name):
    if name in _FROM_FICHE:
        from . import fiche

        return getattr(fiche, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def parse_text(text):
    from .fiche import parse_text

    return parse_text(text)


def parse_bytes(data, filename=""):
    return _guarded(lambda: _parse_reading(read_bytes(data, filename)))


def parse_file(path):
    return _guarded(lambda: _parse_reading(read_path(path)))


def parse(text):
    return _guarded(lambda: parse_text(text))


def _parse_reading(reading):
    result = parse_text(reading.text)
    for message in reversed(reading.warnings):
        result.field_warnings.insert(0, ["general", message])
        result.data["warnings"].insert(0, message)
    return result


def _guarded(run):
    try:
        return run()
    except FicheParseError:
        raise
    except RecursionError as error:
        raise FicheParseError("Deze tekst is te ingewikkeld om te lezen.") from error


__all__ = ["JSON_KEYS", "MAX_BYTES", "Budget", "BudgetExceeded", "FicheParseError", "ParseResult", "ReaderUnavailable", "Reading",
           "parse", "parse_bytes", "parse_file", "parse_text", "read_bytes", "read_path"]
