"""The reading worker: ``python -I -c sandbox.WORKER_CODE pdf|docx|html|xml``, the file on stdin, one JSON answer on stdout.

It imports what its reader needs, then limits itself (address space, CPU time, no core dumps)
before it reads a byte of the file, and answers with the text or the refusal, and with its memory:
resident after the imports, and its peak. See sandbox.py for why it exists.
"""

import contextlib
import json
import sys

from . import limits, markup, readers
from .errors import Budget, BudgetExceeded, FicheParseError

READERS = {"pdf": readers.read_pdf, "docx": readers.read_docx, "html": markup.read_html, "xml": markup.read_xml}


def main():
    kind = sys.argv[1]
    if kind == "pdf":  # imported before the limits are set: what it holds then is its baseline
        import pypdf  # noqa: F401
    else:
        import lxml.etree  # noqa: F401
    memory_start = _status_bytes("VmRSS")
    _limit_resources()
    data = sys.stdin.buffer.read(limits.MAX_BYTES + 1)
    try:
        text, warnings = READERS[kind](data)
        answer = {"text": text, "warnings": warnings}
    except BudgetExceeded as error:
        answer = {"error": str(error), "budget": str(error.budget)}
    except FicheParseError as error:
        answer = {"error": str(error)}
    except MemoryError:
        answer = {"error": str(limits.too_much_memory()), "budget": str(Budget.MEMORY)}
    except RecursionError:
        answer = {"error": "Dit bestand is te ingewikkeld om te lezen."}
    except Exception as error:  # a reader's own bug: still an answer, not a dead worker
        answer = {"error": f"Dit bestand kan niet worden gelezen ({type(error).__name__})."}
    answer["memory"] = [memory_start, _status_bytes("VmHWM")]
    sys.stdout.buffer.write(json.dumps(answer, ensure_ascii=False).encode())
    sys.stdout.buffer.flush()


def _limit_resources():
    try:
        import resource
    except ImportError:  # not on this platform: the budgets and the parent's deadline still hold
        return
    wanted = [(resource.RLIMIT_CPU, limits.READ_SECONDS + 2), (resource.RLIMIT_CORE, 0)]
    virtual = _status_bytes("VmSize")
    if virtual:
        wanted.append((resource.RLIMIT_AS, virtual + limits.WORKER_MEMORY_BYTES))
    for which, value in wanted:
        _soft, hard = resource.getrlimit(which)
        with contextlib.suppress(OSError, ValueError):
            resource.setrlimit(which, (value if hard == resource.RLIM_INFINITY else min(value, hard), hard))


def _status_bytes(field):
    """A VmRSS/VmSize line of /proc/self/status in bytes; 0 where there is no /proc."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0
