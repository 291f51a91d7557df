"""Parsing for the bulk import, in a form a worker process can send back: pure Python, no Django.

``import_archive --jobs N`` runs ``parse_for_import`` in N spawned processes (a spawned process imports
this module, not Django); every PDF, Word, HTML or XML file is still read in its own limited reader
process (sandbox.py) from there. The answer is plain data (the parse result's state, or the error
message): what a file said is never unpickled as objects of its choosing.
"""

import time

from . import parse_bytes
from .errors import FicheParseError


def parse_for_import(data, filename):
    """``{"state": ..., "seconds": s}`` for a usable fiche, ``{"error": message, "seconds": s}`` for anything else."""
    started = time.perf_counter()
    try:
        result = parse_bytes(data, filename)
    except FicheParseError as error:
        return {"error": str(error), "seconds": time.perf_counter() - started}
    return {"state": result.to_state(), "seconds": time.perf_counter() - started}
