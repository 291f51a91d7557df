"""Read an untrusted PDF, Word, HTML or XML file in a separate process with hard limits, and get its text back.

The readers count what they unpack (limits.py), but pypdf, lxml and zlib allocate in C, and a
budget that was not foreseen would let one upload hold a web process at gigabytes for minutes,
memory it never gives back. So each PDF, Word, HTML or XML file is read by a fresh Python process of its own:

- started as ``python -I`` running worker.py (no user site, no PYTHON* variables) with an empty environment, so it
  sees neither the database password nor the secret key; the file goes in on stdin;
- limiting itself before it reads a byte: address space (RLIMIT_AS, what it has after its imports
  plus WORKER_MEMORY_BYTES), CPU time (RLIMIT_CPU), no core dumps;
- killed when it has not answered within READ_SECONDS plus WORKER_GRACE_SECONDS;
- answering in JSON on stdout, size-capped, never pickle: what it read was hostile;
- reporting its own peak memory (VmHWM) with its answer.

When it exits, all its memory goes back to the system. A start costs about 0.1 s (an interpreter,
pypdf and lxml), nothing next to the seconds an editor spends on an upload. Plain text files are
read in-process.
"""

import contextlib
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from . import limits
from .errors import Budget, BudgetExceeded, FicheParseError, ReaderUnavailable

logger = logging.getLogger(__name__)

KINDS = ("pdf", "docx", "html", "xml")
LABELS = {"pdf": "PDF-bestand", "docx": "Word-bestand", "html": "HTML-bestand", "xml": "XML-bestand"}
MAX_ANSWER_BYTES = 4 * limits.MAX_TEXT_CHARS + 1024 * 1024  # UTF-8 text plus the warnings
PROJECT_ROOT = str(Path(__file__).resolve().parents[2])
WORKER_CODE = f"import sys; sys.path.insert(0, {PROJECT_ROOT!r}); from importer.parsing.worker import main; main()"


@dataclass(frozen=True)
class WorkerUsage:
    """What one worker used: wall-clock seconds as the parent saw them, and its memory in bytes (0 when unknown)."""

    seconds: float
    memory_start: int = 0  # resident after its imports, before reading
    # Its peak resident set as it reported it (VmHWM); for a worker killed before answering, the ru_maxrss of wait4,
    # an upper bound only: Linux counts the parent's resident set at the fork in it.
    memory_peak: int = 0

    @property
    def memory_added(self):
        return max(self.memory_peak - self.memory_start, 0)


def read_isolated(kind, data):
    """``(text, warnings, usage)`` of a PDF, Word, HTML or XML file, read in a limited worker process.

    Raises FicheParseError (BudgetExceeded with its ``usage`` for a broken budget, ReaderUnavailable
    when no worker can be started).
    """
    if kind not in KINDS:
        raise ValueError(kind)
    started = time.monotonic()
    try:
        worker = subprocess.Popen([sys.executable, "-I", "-c", WORKER_CODE, kind], stdin=subprocess.PIPE,  # noqa: S603 (fixed argv)
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env={}, cwd=PROJECT_ROOT)
    except OSError as error:
        logger.error("Could not start a %s reader process: %s", kind, error)
        raise ReaderUnavailable("Het bestand kan nu niet worden gelezen: de server kon geen leesproces starten. "
                                "Probeer het over een paar minuten opnieuw.") from error
    # Signals go to the pid, which stays ours (not reaped) until _reap: a late deadline can never hit another process.
    deadline = threading.Timer(limits.READ_SECONDS + limits.WORKER_GRACE_SECONDS, _kill, args=(worker.pid,))
    deadline.start()
    raw = b""
    try:
        worker.stdin.write(data)  # it reads everything before it answers: no deadlock
        worker.stdin.close()
        raw = worker.stdout.read(MAX_ANSWER_BYTES + 1)  # up to its end of output: its exit
    except OSError:
        pass  # it died (or was killed) while reading: the exit status says how
    finally:
        if not raw:
            _kill(worker.pid)  # no answer: it never will give one
        with contextlib.suppress(ChildProcessError):  # (reaped elsewhere: _reap copes)
            os.waitid(os.P_PID, worker.pid, os.WEXITED | os.WNOWAIT)  # exited, not yet reaped: the deadline can only hit it
        timed_out = deadline.finished.is_set()
        deadline.cancel()
        deadline.join()
        status, peak = _reap(worker)
        for stream in (worker.stdin, worker.stdout):
            with contextlib.suppress(OSError):  # stdin's buffer, when it died before reading it all
                stream.close()
    try:
        answer = json.loads(raw) if raw and len(raw) <= MAX_ANSWER_BYTES else None
    except ValueError:
        answer = None
    answer = answer if isinstance(answer, dict) else None
    memory = (answer or {}).get("memory")
    memory_start, memory_peak = memory if isinstance(memory, list) and len(memory) == 2 and all(isinstance(m, int) for m in memory) else (0, peak)
    usage = WorkerUsage(round(time.monotonic() - started, 3), memory_start, memory_peak)
    return _outcome(kind, len(data), answer, timed_out, status, usage)


def _kill(pid):
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def _reap(worker):
    """Wait for the worker; its exit status and peak resident bytes."""
    try:
        _pid, status, rusage = os.wait4(worker.pid, 0)
    except ChildProcessError:  # reaped elsewhere
        worker.wait()
        return worker.returncode, 0
    worker.returncode = os.waitstatus_to_exitcode(status)
    return worker.returncode, rusage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)


def _outcome(kind, size, answer, timed_out, status, usage):
    if answer is not None and isinstance(answer.get("text"), str):
        if len(answer["text"]) > limits.MAX_TEXT_CHARS:
            error = limits.too_much_text()
            error.usage = usage
            raise error
        _log(logging.INFO, kind, size, usage, "read")
        return answer["text"], [str(w) for w in answer.get("warnings") or []], usage
    if answer is not None and isinstance(answer.get("error"), str):
        if answer.get("budget") in set(Budget):
            _log(logging.WARNING, kind, size, usage, f"refused ({answer['budget']} budget)")
            raise BudgetExceeded(answer["error"], budget=answer["budget"], usage=usage)
        _log(logging.INFO, kind, size, usage, "unreadable")
        raise FicheParseError(answer["error"])
    if timed_out or status == -signal.SIGXCPU:
        _log(logging.WARNING, kind, size, usage, "killed (time)")
        raise limits.too_slow(limits.READ_SECONDS, usage)
    if status == -signal.SIGKILL:  # not ours, so the kernel's out-of-memory killer
        _log(logging.WARNING, kind, size, usage, "killed (memory)")
        raise limits.too_much_memory(usage)
    _log(logging.ERROR, kind, size, usage, f"died (exit status {status})")
    raise FicheParseError(f"Dit {LABELS[kind]} kan niet worden gelezen: het leesproces brak af.")


def _log(level, kind, size, usage, outcome):
    logger.log(level, "%s file of %d bytes %s in %.2f s; reader process memory +%.0f MB (peak %.0f MB)", kind, size, outcome,
               usage.seconds, usage.memory_added / limits.MB, usage.memory_peak / limits.MB, extra={"usage": usage})
