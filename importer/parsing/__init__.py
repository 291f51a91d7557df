"""Reading BNC-fiches: pure Python, no database.

``parse_file(path)`` / ``parse_bytes(data)`` / ``parse_text(text)`` return a ParseResult; on input
that is not a usable fiche they raise FicheParseError and nothing else.
"""

from .errors import FicheParseError
from .fiche import JSON_KEYS, ParseResult, parse_text
from .readers import MAX_BYTES, read_bytes, read_path


def parse_bytes(data, filename=""):
    return _guarded(lambda: parse_text(read_bytes(data, filename)))


def parse_file(path):
    return _guarded(lambda: parse_text(read_path(path)))


def parse(text):
    return _guarded(lambda: parse_text(text))


def _guarded(run):
    try:
        return run()
    except FicheParseError:
        raise
    except RecursionError as error:
        raise FicheParseError("Deze tekst is te ingewikkeld om te lezen.") from error


__all__ = ["JSON_KEYS", "MAX_BYTES", "FicheParseError", "ParseResult", "parse", "parse_bytes", "parse_file", "parse_text"]
