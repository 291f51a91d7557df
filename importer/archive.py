"""Loading a ministry's archive: many fiches at once, through the same path as ``import_fiche``.

``import_archive`` (files and folders) and ``harvest_fiches`` (documents fetched from the official
publications repository) hand their files to ``ArchiveImport.run``, which yields one ``Row`` a file:

- **Idempotent.** Each file goes through ``services.plan_import`` and ``services.import_fiche``: the fiche it
  is about is found by its Kamerstuk number with its documents agreeing, else by its documents; a file
  about a *different* fiche is refused, naming that fiche. A file whose fiche already says what it says is
  ``unchanged`` and writes nothing.
- **Resumable.** Every file done is remembered by the SHA-256 of its content (``ImportedFile``); a rerun, or
  a run resumed after an interruption, skips it (``unchanged``) without reading it. A failed file is tried
  again on the next run.
- **One file, one transaction.** A bad file fails alone (its row says why) and leaves nothing behind; the
  run goes on with the next.
- **Parallel reading.** With ``jobs`` > 1, files are parsed in that many spawned worker processes
  (``parsing.batch``); every write stays in this process, in file order.
- **Archive fiches as published** (``published=True``): a fiche with a Kamerstuk number and a send date (the
  letter's date) is stored as published, as it is a public document already; its history names the archive
  import ("archiefimport") as the reason. Without a number or date it stays a draft, with a warning.
  Commitments read from archive fiches wait for a follow-up officer's confirmation (``confirmed=False``).
"""

import csv
import datetime
import hashlib
import multiprocessing
import os
import sys
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from common import csv as csv_files
from positions.models import Fiche, FicheStatusChange

from . import services
from .models import ImportedFile, ImportResult
from .parsing import MAX_BYTES, ParseResult
from .parsing.batch import parse_for_import

SUFFIXES = (".txt", ".pdf", ".docx", ".html", ".htm", ".xml")
CHANGE_REASON = "archiefimport"
REPORT_HEADER = ("file", "result", "kamerstuk", "documents", "warnings", "seconds", "message")

# The field a warning of the importer is about, for the "te controleren" list (the parser's own warnings carry theirs).
MESSAGE_FIELDS = (("Raadsformatie", "council_configuration"), ("Eerstverantwoordelijk ministerie", "lead_ministry"),
                  ("Ministerie", "co_ministries"), ("CELEX", "documents"), ("Verzamelbrief", "batch_letter"),
                  ("Cofinancieringsbudget", "general"))


class ArchiveError(Exception):
    """A path to import does not exist (the run does not start)."""


@dataclass
class Item:
    """One file to import: its path (shown in the report), and optionally its content already read and what the
    harvest knows of it (the document's identifier and publication date, or why it could not be fetched)."""

    path: str
    data: bytes | None = None
    identifier: str = ""
    sent_on: datetime.date | None = None
    failure: str = ""  # set by the harvest for a page or document it could not fetch: the row fails with this message


@dataclass
class Row:
    """The outcome of one file, as the report gives it."""

    path: str
    result: str
    kamerstuk: str = ""
    references: str = ""
    warnings: list = field(default_factory=list)  # [field, message]
    seconds: float = 0.0
    message: str = ""
    fiche_id: int | None = None
    skipped: bool = False  # done in an earlier run (same content): not read again

    def cells(self):
        return (self.path, self.result, self.kamerstuk, self.references, len(self.warnings), round(self.seconds, 3), self.message)


def collect(paths):
    """The files to import under ``paths`` (files as given, folders walked for fiche files), sorted, each once."""
    found = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for folder, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found.extend(Path(folder) / name for name in sorted(files)
                             if not name.startswith(".") and name.lower().endswith(SUFFIXES))
        elif path.is_file():
            found.append(path)
        else:
            raise ArchiveError(_("%(path)s bestaat niet (geen bestand of map).") % {"path": raw})
    return [Item(str(path)) for path in dict.fromkeys(found)]


class _Done:
    """The answer of a parse run in this process, shaped as a future's."""

    def __init__(self, value):
        self.value = value

    def result(self):
        return self.value


def _pool(jobs):
    # Spawned, not forked: a fork copies the database connection and the locks of other threads with it.
    return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"))


class ArchiveImport:
    """Import many files, one ``Row`` each (see the module docstring)."""

    def __init__(self, *, published=False, dry_run=False, jobs=1):
        self.published, self.dry_run, self.jobs = published, dry_run, max(1, jobs)

    def run(self, items):
        """Yield one Row a file, in the order of ``items`` (an iterable of Item)."""
        pool = _pool(self.jobs) if self.jobs > 1 else None
        pending, seen = deque(), {}
        try:
            for item in items:
                started = time.perf_counter()
                data, failure = self._read(item)
                if failure:
                    yield Row(item.path, ImportResult.FAILED, message=failure, seconds=time.perf_counter() - started)
                    continue
                sha = hashlib.sha256(data).hexdigest()
                skipped = self._skipped(item, sha, seen, started)
                if skipped is not None:
                    yield skipped
                    continue
                seen[sha] = item.path
                name = Path(item.path).name
                future = pool.submit(parse_for_import, data, name) if pool else _Done(parse_for_import(data, name))
                pending.append((item, sha, future, started))
                while len(pending) > self.jobs * 2:
                    yield self._finish(*pending.popleft())
            while pending:
                yield self._finish(*pending.popleft())
        finally:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)

    def _read(self, item):
        if item.failure:
            return None, item.failure
        if item.data is not None:
            return item.data, ""
        try:
            size = os.path.getsize(item.path)
            if size > MAX_BYTES:
                return None, _("Het bestand is te groot (%(size).1f MB); de grens is %(limit)s MB.") % {
                    "size": size / 1024 / 1024, "limit": MAX_BYTES // 1024 // 1024}
            return Path(item.path).read_bytes(), ""
        except OSError as error:
            return None, _("Het bestand %(path)s kan niet worden geopend: %(reason)s.") % {"path": item.path, "reason": error.strerror}

    def _skipped(self, item, sha, seen, started):
        """The row of a file that needs no reading: its content was done in an earlier run, or earlier in this one."""
        if sha in seen:
            return Row(item.path, ImportResult.UNCHANGED, skipped=True, seconds=time.perf_counter() - started,
                       message=_("Zelfde inhoud als %(path)s.") % {"path": seen[sha]})
        done = ImportedFile.objects.done().filter(sha256=sha, published=self.published).select_related("fiche").first()
        if done is None or done.fiche is None:
            return None
        if item.identifier and done.identifier != item.identifier and not self.dry_run:
            # Read before from a folder: the harvest's next run then knows this document by its identifier, unfetched.
            ImportedFile.objects.filter(pk=done.pk).update(identifier=item.identifier)
        seen[sha] = item.path
        return Row(item.path, ImportResult.UNCHANGED, kamerstuk=done.kamerstuk, references=done.references, warnings=done.warnings,
                   seconds=time.perf_counter() - started, fiche_id=done.fiche_id, skipped=True,
                   message=_("Al ingelezen (zelfde inhoud) in fiche '%(fiche)s'.") % {"fiche": done.fiche})

    def _finish(self, item, sha, future, started):
        answer = future.result()
        if "error" in answer:
            row = Row(item.path, ImportResult.FAILED, message=answer["error"])
        else:
            result = ParseResult.from_state(answer["state"])
            row = self._import(item, result)
        row.seconds = time.perf_counter() - started if self.jobs == 1 else answer["seconds"] + (time.perf_counter() - started) / self.jobs
        self._remember(item, sha, row)
        return row

    def _import(self, item, result):
        data = result.data
        row = Row(item.path, ImportResult.FAILED, kamerstuk=data["kamerstuk"] or "",
                  references=", ".join(d["reference"] for d in data["documents"]), warnings=[list(w) for w in result.field_warnings])
        plan = services.plan_import(result=result)
        if plan.refusal:
            if plan.locked is not None and not services.changes(fiche=plan.locked, result=result, plan=plan):
                row.result, row.fiche_id = ImportResult.UNCHANGED, plan.locked.pk
                row.message = _("Fiche '%(fiche)s' zegt dit al.") % {"fiche": plan.locked}
                return row
            row.message = plan.refusal
            return row
        to_publish = self.published and (plan.fiche is None or plan.fiche.status == Fiche.Status.DRAFT)
        if plan.fiche is not None and not plan.changes:
            checks = []  # a draft that says this already is only touched to publish it
            if not (to_publish and self._publication(plan.fiche, result, item, checks)[0]):
                row.warnings.extend(checks)
                row.result, row.fiche_id = ImportResult.UNCHANGED, plan.fiche.pk
                row.message = _("Fiche '%(fiche)s' zegt dit al.") % {"fiche": plan.fiche}
                return row
        if self.dry_run:
            row.result = ImportResult.CREATED if plan.fiche is None else ImportResult.UPDATED
            row.message = plan.summary
            return row
        try:
            with transaction.atomic():
                outcome = services.import_fiche(result=result, commitments_confirmed=False, change_reason=CHANGE_REASON)
                row.warnings.extend(_message_warnings(outcome.messages))
                if to_publish:
                    self._publish(outcome.fiche, result, item, row.warnings)
        except services.ImportRefused as error:
            row.message = str(error)
            return row
        except ValidationError as error:
            row.message = _("Het fiche is niet opgeslagen: %(errors)s") % {"errors": "; ".join(error.messages)}
            return row
        except DatabaseError as error:
            row.message = _("Het fiche is niet opgeslagen: de database weigerde het (%(error)s).") % {"error": str(error).splitlines()[0]}
            return row
        row.result = ImportResult.CREATED if outcome.created else ImportResult.UPDATED
        row.fiche_id = outcome.fiche.pk
        row.kamerstuk = outcome.fiche.kamerstuk
        row.message = outcome.messages[0] if outcome.messages else ""
        return row

    def _publication(self, fiche, result, item, warnings):
        """``(may_publish, sent_on)``: whether ``fiche`` can be stored as published, with which send date; adds a
        warning to ``warnings`` for what is missing."""
        kamerstuk = fiche.kamerstuk or result.data["kamerstuk"]
        sent_on = item.sent_on or _date(result.batch_letter_date) or (fiche.batch_letter.date if fiche.batch_letter_id else None)
        if not kamerstuk:
            warnings.append(["kamerstuk", _("Geen Kamerstuknummer in de tekst: het fiche blijft concept en wordt niet als gepubliceerd "
                                            "geladen. Vul het nummer in en publiceer het daarna.")])
            return False, None
        if not sent_on:
            warnings.append(["sent_on", _("Geen datum van de brief (verzenddatum) gevonden: het fiche blijft concept en wordt niet als "
                                          "gepubliceerd geladen. Vul de verzenddatum in en publiceer het daarna.")])
            return False, None
        received = fiche.received_on or services.received_on(result)
        if received and sent_on < received:
            warnings.append(["sent_on", _("De datum van de brief (%(sent)s) ligt voor de ontvangst van het Commissiedocument "
                                          "(%(received)s): het fiche blijft concept.") % {"sent": sent_on, "received": received}])
            return False, None
        return True, sent_on

    def _publish(self, fiche, result, item, warnings):
        may, sent_on = self._publication(fiche, result, item, warnings)
        if not may:
            return
        FicheStatusChange.objects.create(fiche=fiche, from_status=fiche.status, to_status=Fiche.Status.PUBLISHED, changed_by=None,
                                         note=_("Archiefimport: al verzonden aan de Kamer op %(date)s.") % {"date": sent_on})
        fiche.status, fiche.sent_on, fiche.public_from = Fiche.Status.PUBLISHED, sent_on, None
        fiche._change_reason = CHANGE_REASON
        fiche.save(update_fields=["status", "sent_on", "public_from", "updated_at"])

    def _remember(self, item, sha, row):
        if self.dry_run:
            return
        ImportedFile.objects.update_or_create(sha256=sha, defaults={
            "path": item.path[-1000:], "identifier": item.identifier, "result": row.result, "published": self.published,
            "fiche_id": row.fiche_id, "kamerstuk": row.kamerstuk[:20], "references": row.references[:500],
            "warning_count": len(row.warnings), "warnings": row.warnings, "checked": False, "seconds": round(row.seconds, 3), "message": row.message})


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def _message_warnings(messages):
    """The importer's messages that ask for a check, each with the field it is about."""
    found = []
    for message in messages:
        if " niet " not in message and "koppel hem later" not in message:
            continue
        key = next((name for start, name in MESSAGE_FIELDS if start.lower() in message.lower()), "general")
        found.append([key, message])
    return found


class Progress:
    """A progress bar on a stream (stderr): done/total, percentage, files a second and the time left.

    On a terminal it redraws one line; elsewhere (a log, CI) it writes a line every ``every`` seconds and at the end.
    """

    WIDTH = 30

    def __init__(self, total, stream=None, *, every=5.0, label="bestanden"):
        self.total, self.stream, self.every, self.label = total, stream or sys.stderr, every, label
        self.done, self.started, self.last = 0, time.monotonic(), 0.0
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())

    def line(self):
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate and self.total else 0
        filled = int(self.WIDTH * self.done / self.total) if self.total else self.WIDTH
        percent = 100 * self.done / self.total if self.total else 100
        return (f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {self.done}/{self.total} {self.label} {percent:3.0f}% "
                f"{rate:.1f}/s, nog {_duration(left)}")

    def step(self, count=1):
        self.done += count
        now = time.monotonic()
        end = self.done >= self.total
        if self.tty:
            self.stream.write("\r" + self.line() + ("\n" if end else ""))
        elif end or now - self.last >= self.every:
            self.stream.write(self.line() + "\n")
            self.last = now
        else:
            return
        self.stream.flush()


def _duration(seconds):
    seconds = round(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class Report:
    """The CSV report in the site's one dialect (common/csv.py), a row written as each file is done: an interrupted
    run keeps the rows of what it did."""

    def __init__(self, path):
        self.handle = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115 (closed by close())
        self.writer = csv.writer(self.handle, dialect=csv_files.Dialect)
        self.handle.write(csv_files.BOM)
        self.writer.writerow(REPORT_HEADER)

    def write(self, row):
        self.writer.writerow([csv_files.cell(value) for value in row.cells()])
        self.handle.flush()

    def close(self):
        self.handle.close()
