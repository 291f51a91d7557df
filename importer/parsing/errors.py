"""The one exception the parser raises on bad input, and its variants for files over a reading budget."""

from enum import StrEnum


class FicheParseError(ValueError):
    """The input cannot be used as a fiche: empty, not a fiche, unreadable, too big.

    The only exception the parser raises on bad input; the command exits with status 2 on it and
    the admin shows its message.
    """


class Budget(StrEnum):
    """Which reading budget (limits.py) a file broke."""

    SIZE = "size"  # bytes unpacked: zip members, PDF streams
    PARTS = "parts"  # zip members, PDF pages and objects
    TEXT = "text"  # characters of text
    TIME = "time"  # seconds of reading
    MEMORY = "memory"  # memory of the reading process


class BudgetExceeded(FicheParseError):
    """The file is over a reading budget; ``budget`` says which one, ``usage`` what the worker used (or None)."""

    def __init__(self, message, *, budget, usage=None):
        super().__init__(message)
        self.budget = Budget(budget)
        self.usage = usage


class ReaderUnavailable(FicheParseError):
    """The file could not be read now because no reading process could be started: the server's fault, not the file's."""
