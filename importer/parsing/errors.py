class FicheParseError(ValueError):
    """The input cannot be used as a fiche: empty, not a fiche, unreadable, too big.

    The only exception the parser raises on bad input; the command exits with status 2 on it and
    the admin shows its message.
    """
