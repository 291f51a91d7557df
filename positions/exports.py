"""Downloads of the fiche list and the commitments list as CSV and JSON, keeping the reader's filters.

The query string is the list page's own: ``/fiches/export.csv?council=TTE&q=AI`` exports exactly the
fiches that ``/fiches/?council=TTE&q=AI`` shows (all pages of them, in the same order). Invalid
filter input sends the reader back to the list page with the same query string, where the form
explains what is wrong, rather than silently exporting more than was asked for.

Responses are streamed: rows are read from the database in chunks, so memory stays flat however
large the export, and the number of queries depends on the number of chunks, not of rows. By design
the count is not constant: ``QuerySet.iterator(chunk_size=CHUNK_SIZE)`` runs the main query once
(a server-side cursor on PostgreSQL) and each ``prefetch_related`` lookup once per chunk of
``CHUNK_SIZE`` rows. The fiche export (two prefetches) therefore costs 1 + 2 x ceil(rows / 500)
queries: 3 for up to 500 fiches, 35 for the 8,433 published fiches of the 10,000-fiche benchmark.
Fetching everything in a fixed number of queries would hold every row in memory at once; the
first bytes arrive after about 3 ms at either size (BENCHMARKS.md).

CSV: RFC 4180, comma separated, UTF-8 with a byte order mark. Without the BOM, Excel (the tool most
readers of a ministry's data open a CSV with) reads the file as Windows-1252 and garbles every
"ë" in "Financiële" or "België"; CSV libraries (Python's ``utf-8-sig``, pandas, R) skip the BOM. Cells
that start with = + - @ are prefixed with an apostrophe so that a spreadsheet shows them as text
instead of running them as formulas (CSV injection); the JSON export carries the exact text.
"""

import csv
import datetime

from django.http import StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import re_path, reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from . import api

CHUNK_SIZE = 500
BOM = "\ufeff"

FICHE_COLUMNS = [
    "kamerstuk", "title", "proposal_title", "documents", "celex", "received_on", "deadline", "sent_on", "sent_on_time",
    "batch_letter", "batch_position", "template", "council_configuration", "council_configuration_name", "lead_ministry",
    "lead_ministry_name", "co_ministries", "competence", "subsidiarity", "proportionality", "is_revision", "revises",
    "commitment_count", "open_commitment_count", "url",
]

COMMITMENT_COLUMNS = [
    "id", "fiche", "fiche_title", "position", "section_key", "summary", "quote", "kind", "status", "ministry", "ministry_name",
    "due_date", "due_event", "due_description", "due_meeting", "effective_due_date", "evidence_reference", "evidence_url",
    "evidence_date", "evidence_note", "url",
]


def fiche_row(fiche, request):
    documents = list(fiche.documents.all())
    return {
        "kamerstuk": fiche.kamerstuk,
        "title": fiche.title,
        "proposal_title": fiche.proposal_title,
        "documents": "; ".join(d.reference for d in documents),
        "celex": "; ".join(d.celex for d in documents if d.celex),
        "received_on": fiche.received_on,
        "deadline": fiche.deadline,
        "sent_on": fiche.sent_on,
        "sent_on_time": fiche.sent_on_time,
        "batch_letter": fiche.batch_letter.kamerstuk if fiche.batch_letter_id else "",
        "batch_position": fiche.batch_position,
        "template": fiche.template.kind,
        "council_configuration": fiche.council_configuration.code if fiche.council_configuration_id else "",
        "council_configuration_name": fiche.council_configuration.name if fiche.council_configuration_id else "",
        "lead_ministry": fiche.lead_ministry.code if fiche.lead_ministry_id else "",
        "lead_ministry_name": fiche.lead_ministry.name if fiche.lead_ministry_id else "",
        "co_ministries": "; ".join(m.code for m in fiche.co_ministries.all()),
        "competence": fiche.competence,
        "subsidiarity": fiche.subsidiarity,
        "proportionality": fiche.proportionality,
        "is_revision": fiche.is_revision,
        "revises": fiche.revises_kamerstuk or "",
        "commitment_count": fiche.commitment_count,
        "open_commitment_count": fiche.open_commitment_count,
        "url": request.build_absolute_uri(fiche.get_absolute_url()),
    }


def commitment_row(commitment, request):
    fiche = commitment.fiche
    ministry = commitment.ministry or fiche.lead_ministry
    meeting = commitment.due_meeting
    return {
        "id": f"{fiche.kamerstuk}/{commitment.position}",
        "fiche": fiche.kamerstuk,
        "fiche_title": fiche.title,
        "position": commitment.position,
        "section_key": commitment.section_key,
        "summary": commitment.summary,
        "quote": commitment.quote,
        "kind": commitment.kind,
        "status": commitment.status,
        "ministry": ministry.code if ministry else "",
        "ministry_name": ministry.name if ministry else "",
        "due_date": commitment.due_date,
        "due_event": commitment.due_event,
        "due_description": commitment.due_description,
        "due_meeting": f"{meeting.configuration.code} {meeting.date.isoformat()}" if meeting else "",
        "effective_due_date": commitment.effective_due_date,
        "evidence_reference": commitment.evidence_reference,
        "evidence_url": commitment.evidence_url,
        "evidence_date": commitment.evidence_date,
        "evidence_note": commitment.evidence_note,
        "url": request.build_absolute_uri(f"{fiche.get_absolute_url()}#toezegging-{commitment.position}"),
    }


def csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


class _Echo:
    """A file-like object whose write() returns the line, for csv.writer inside a generator."""

    def write(self, value):
        return value


def _csv_lines(rows, columns):
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield BOM + writer.writerow(columns)
    for row in rows:
        yield writer.writerow([csv_cell(row[c]) for c in columns])


def _json_chunks(rows, *, count, source, filters):
    head = {"generated_at": api.dumps(timezone.now()), "source": api.dumps(source), "filters": api.dumps(filters), "count": count}
    yield "{" + ", ".join(f'"{key}": {value}' for key, value in head.items()) + ', "results": ['

    for index, row in enumerate(rows):
        yield ("," if index else "") + "\n" + api.dumps(row)
    yield "\n]}\n"


def _filename(stem, fmt):
    return f"{stem}-{timezone.localdate().isoformat()}.{fmt}"


def _active_filters(filterset):
    return {name: value for name, value in filterset.data.items() if name in filterset.filters and value not in ("", None)}


def _export(request, *, fmt, filterset, select, list_url, stem, serialise, csv_row, columns):
    if not filterset.is_valid():
        query = request.GET.urlencode()
        return redirect(f"{list_url}?{query}" if query else list_url)
    queryset = select(filterset)
    rows = (item for item in queryset.iterator(chunk_size=CHUNK_SIZE))
    if fmt == "csv":
        response = StreamingHttpResponse(
            _csv_lines((csv_row(item, request) for item in rows), columns), content_type="text/csv; charset=utf-8"
        )
    else:
        query = request.GET.urlencode()
        source = request.build_absolute_uri(f"{list_url}?{query}" if query else list_url)
        response = StreamingHttpResponse(
            _json_chunks((serialise(item, request) for item in rows), count=queryset.count(), source=source,
                         filters=_active_filters(filterset)),
            content_type="application/json; charset=utf-8",
        )
    response["Content-Disposition"] = f'attachment; filename="{_filename(stem, fmt)}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def fiche_export(request, fmt):
    return _export(request, fmt=fmt, filterset=api.public_fiche_filter(request), select=api.filtered_fiches, list_url=reverse("positions:fiche_list"), stem="fiches",
                   serialise=api.fiche_data, csv_row=fiche_row, columns=FICHE_COLUMNS)


@require_safe
def commitment_export(request, fmt):
    return _export(request, fmt=fmt, filterset=api.public_commitment_filter(request), select=api.filtered_commitments, list_url=reverse("positions:commitment_list"), stem="toezeggingen",
                   serialise=api.commitment_data, csv_row=commitment_row, columns=COMMITMENT_COLUMNS)


app_name = "exports"

urlpatterns = [
    re_path(r"^fiches/export\.(?P<fmt>csv|json)$", fiche_export, name="fiches"),
    re_path(r"^toezeggingen/export\.(?P<fmt>csv|json)$", commitment_export, name="commitments"),
]
