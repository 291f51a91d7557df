"""Downloads of the fiche list, the commitments list and the outcome ledger as CSV and JSON, keeping the reader's filters.

The query string is the list page's own: ``/fiches/export.csv?council=TTE&q=AI`` exports exactly the
fiches that ``/fiches/?council=TTE&q=AI`` shows (all pages of them, in the same order). Invalid
filter input sends the reader back to the list page with the same query string, where the form
explains what is wrong, rather than silently exporting more than was asked for.

Responses are streamed, and an export costs the same number of queries at any size: 3 for the fiches
(the fiches, their documents, their co-ministries; CSV and JSON alike) and 1 for the commitment CSV,
plus, at the head of a JSON file, the count (for the fiches, the keys of the selection, which the API
list shares: ``api.FicheSelection``) and whatever the filters need to check their input (a ministry
code, say). What streams: the fiche and commitment rows, which are wide and many, read with
``QuerySet.iterator`` (a server-side cursor on PostgreSQL), so that only one chunk of them is in memory
at a time, and the output, written row by row. What is held in memory: the small values a fiche needs
from its two many-to-many relations (a document's type, year, number and CELEX; a co-ministry's code,
abbreviation and name), read before the first fiche in one query per relation for the whole filtered
set (``api.related_values``), as a list of value tuples per fiche: a few hundred bytes per link. The
fiches are read as plain values, never as model instances: the JSON record is the API list's
(``api.fiche_record``, from the same values), the CSV row its cells (``_fiche_csv_values``). Commitment
rows take their fiche, ministries and meeting from ``select_related`` joins in their own query. The
relations and the fiches are read a moment apart, not in one snapshot: a fiche published in between is
exported without documents or co-ministries, and a link changed in between shows as it was (a per-chunk
prefetch had such gaps too, seconds wide).
A search matches on its GIN index as in the API and the list page (``FicheSelection.matching``, around
the fiche export's queries): on PostgreSQL they then run in one read-only transaction that holds the
planner settings, open while the file streams and rolled back at its end (or when the reader hangs up).

Finished exports are cached (``_cached_body``): the same export asked for again before the next write
is sent from the export cache (one query, for the content version) instead of being made again, which
for all 8,433 fiches of the benchmark is seconds of work. Every write raises the content version, so
the next export after a publication, an edit or a withdrawal is made afresh. The counts above are
those of a first export; each adds that one query for the version.

CSV: the site's one dialect and formula rule (``common.csv``): RFC 4180, comma separated, UTF-8 with a
byte order mark; a text cell that a spreadsheet would run as a formula gets a leading apostrophe. The
JSON export carries the exact text. ``?dialect=excel-nl`` gives the same rows for a Dutch Excel:
semicolon separated, decimal comma, ja/nee, and Dutch column headings (``DUTCH_HEADINGS``). An unknown
dialect is refused with a 400 naming the ones there are.

Licence: the data is CC0 1.0; the JSON export says so in ``license``, the catalogue for every file.
"""

from collections import Counter

from django.core.cache import caches
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from common import csv as common_csv
from pagecache.middleware import exempt as page_cache_exempt
from pagecache.results import ContentCache
from proposals.deadlines import exact_fiche_deadline
from proposals.references import Reference
from public import selectors
from public.api import schema as api_schema
from public.api import views as api

CHUNK_SIZE = 500
CONTENT_TYPES = {"csv": "text/csv", "json": "application/json"}
# Finished exports are kept in their own cache (settings: a few entries per process, or Redis), each
# while nothing is written and only up to this size; a cache hit is sent in slices of this many bytes.
EXPORT_CACHE = "exports"
MAX_CACHED_BYTES = 32 * 1024 * 1024
CACHED_CHUNK_BYTES = 256 * 1024

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


OUTCOME_COLUMNS = [
    "fiche", "fiche_title", "council_configuration", "lead_ministry", "celex", "adopted_on", "dutch_vote", "points", "achieved",
    "partly_achieved", "not_achieved", "points_text", "url",
]

# The column headings of the Dutch Excel variant: Dutch, whatever the interface language, like the dialect.
DUTCH_HEADINGS = {
    "kamerstuk": "Kamerstuk", "title": "Titel", "proposal_title": "Titel voorstel", "documents": "Commissiedocumenten",
    "celex": "CELEX", "received_on": "Ontvangen op", "deadline": "Termijn", "sent_on": "Verzonden op",
    "sent_on_time": "Op tijd", "batch_letter": "Verzamelbrief", "batch_position": "Volgnummer in verzamelbrief",
    "template": "Sjabloon", "council_configuration": "Raadsformatie (code)", "council_configuration_name": "Raadsformatie",
    "lead_ministry": "Eerstverantwoordelijk ministerie (code)", "lead_ministry_name": "Eerstverantwoordelijk ministerie",
    "co_ministries": "Medebetrokken ministeries", "competence": "Bevoegdheid", "subsidiarity": "Subsidiariteit",
    "proportionality": "Proportionaliteit", "is_revision": "Herziening", "revises": "Herziet", "commitment_count": "Toezeggingen",
    "open_commitment_count": "Openstaande toezeggingen", "url": "Adres", "id": "Sleutel", "fiche": "Fiche",
    "fiche_title": "Titel fiche", "position": "Volgnummer", "section_key": "Onderdeel", "summary": "Samenvatting",
    "quote": "Citaat", "kind": "Soort", "status": "Status", "ministry": "Ministerie (code)", "ministry_name": "Ministerie",
    "due_date": "Termijn", "due_event": "Termijn bij", "due_description": "Omschrijving termijn", "due_meeting": "Raadsvergadering",
    "effective_due_date": "Uiterste datum", "evidence_reference": "Bewijs (verwijzing)", "evidence_url": "Bewijs (adres)",
    "evidence_date": "Datum bewijs", "evidence_note": "Toelichting bewijs",
    "adopted_on": "Datum aanneming", "dutch_vote": "Stem van Nederland", "points": "Punten van de inzet", "achieved": "Bereikt",
    "partly_achieved": "Deels bereikt", "not_achieved": "Niet bereikt", "points_text": "Punten (oordeel: punt)",
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


def outcome_row(outcome, request):
    """One row per outcome: the act, the vote, the points counted per achievement and written out as "oordeel: punt"."""
    fiche = outcome.fiche
    points = list(outcome.points.all())
    counted = Counter(p.achievement for p in points)
    return {
        "fiche": fiche.kamerstuk,
        "fiche_title": fiche.title,
        "council_configuration": fiche.council_configuration.code if fiche.council_configuration_id else "",
        "lead_ministry": fiche.lead_ministry.code if fiche.lead_ministry_id else "",
        "celex": outcome.celex,
        "adopted_on": outcome.adopted_on,
        "dutch_vote": outcome.dutch_vote,
        "points": len(points),
        "achieved": counted["achieved"],
        "partly_achieved": counted["partly"],
        "not_achieved": counted["not_achieved"],
        "points_text": " | ".join(f"{p.achievement}: {p.point}" for p in points),
        "url": request.build_absolute_uri(fiche.get_absolute_url()),
    }


def _csv_lines(values, columns, dialect=common_csv.Dialect):
    """The CSV file of ``values`` (lists in the order of ``columns``), headed by ``columns``."""
    header = [DUTCH_HEADINGS[c] for c in columns] if dialect is common_csv.ExcelNL else columns
    return common_csv.lines(header, values, dialect)


def _records_of(stream, data):
    """An export's ``json_records`` from its ``stream`` of rows and ``data``, the API's representation of one."""

    def json_records(filterset, request):
        for item in stream(filterset, request):
            yield data(item, request)

    return json_records


def _values_of(stream, row, columns):
    """An export's ``csv_values`` from its ``stream`` of records and its ``row`` of one record (a dict by column)."""

    def csv_values(filterset, request):
        for record in stream(filterset, request):
            data = row(record, request)
            yield [data[c] for c in columns]

    return csv_values


def _json_chunks(rows, *, count, source, filters):
    head = {"generated_at": api.dumps(timezone.now()), "source": api.dumps(source), "filters": api.dumps(filters), "count": count,
            "license": api.dumps({"name": api_schema.LICENCE["name"], "url": api_schema.LICENCE["url"]})}
    yield "{" + ", ".join(f'"{key}": {value}' for key, value in head.items()) + ', "results": ['

    for index, row in enumerate(rows):
        yield ("," if index else "") + "\n" + api.dumps(row)
    yield "\n]}\n"


def _filename(stem, fmt, variant=""):
    return f"{stem}-{timezone.localdate().isoformat()}{'-' + variant if variant else ''}.{fmt}"


def _active_filters(filterset):
    return {name: value for name, value in filterset.data.items() if name in filterset.filters and value not in ("", None)}


def _export(request, *, fmt, filterset, count, json_records, csv_values, columns, list_url, stem):
    """An export of what ``filterset`` selects: for JSON, the records that ``json_records(filterset, request)``
    gives, headed by ``count(filterset, request)``; for CSV, the lists of cells (in ``columns`` order) that
    ``csv_values(filterset, request)`` gives."""
    variant = request.GET.get("dialect", "")
    dialect = common_csv.DIALECTS.get(variant) if fmt == "csv" else (common_csv.Dialect if variant == "" else None)
    if dialect is None:
        names = ", ".join(name for name in common_csv.DIALECTS if name)
        message = (_("Onbekend CSV-dialect %(value)s: kies %(names)s, of laat dialect weg.") % {"value": variant[:40], "names": names}
                   if fmt == "csv" else _("De parameter dialect hoort alleen bij CSV."))
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
    if not filterset.is_valid():
        query = request.GET.urlencode()
        return redirect(f"{list_url}?{query}" if query else list_url)

    def lines():
        if fmt == "csv":
            return _csv_lines(csv_values(filterset, request), columns, dialect)
        query = request.GET.urlencode()
        source = request.build_absolute_uri(f"{list_url}?{query}" if query else list_url)
        return _json_chunks(json_records(filterset, request), count=count(filterset, request), source=source,
                            filters=_active_filters(filterset))

    response = StreamingHttpResponse(_cached_body(request, lines, getattr(filterset, "result_cache", None)), content_type=f"{CONTENT_TYPES[fmt]}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(stem, fmt, variant if dialect is common_csv.ExcelNL else "")}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _cached_body(request, lines, versioned=None):
    """The export's bytes: from the export cache when this very export was made since the last write,
    else streamed from ``lines()`` and kept for the next reader if it stays under ``MAX_CACHED_BYTES``.

    The key holds the content version (``pagecache.results.ContentCache``, bounded by the next embargo, as
    the list's facets and the page cache), the scheme and host (the rows carry absolute links), today's
    date (the file name), the path and the query string; so a publication, an edit or a withdrawal is in
    the very next export. A body is kept only when it was streamed to the end: a reader who hangs up
    leaves nothing behind. A cached JSON export keeps its ``generated_at``: the data is the same as then.
    ``versioned``: the filters' own ContentCache when it is enabled (the fiche filters'), so that the
    content version is read once for the export and the selection it counts by (``FicheSelection``).
    """
    if versioned is None or not versioned.enabled:
        versioned = ContentCache(selectors.fiches(), enabled=True)
    place = f"{request.scheme}://{request.get_host()}{request.path}:{timezone.localdate().isoformat()}"
    key, timeout = versioned.fragment(f"export:{place}:{versioned.query_digest(request)}")
    cache = caches[EXPORT_CACHE]
    body = cache.get(key) if key else None
    if body is not None:
        return (body[start:start + CACHED_CHUNK_BYTES] for start in range(0, len(body), CACHED_CHUNK_BYTES))
    return _keep(lines, cache, key, timeout) if key else (line.encode() for line in lines())


def _keep(lines, cache, key, timeout):
    kept, size = [], 0
    for line in lines():
        data = line.encode()
        if kept is not None:
            size += len(data)
            if size > MAX_CACHED_BYTES:
                kept = None  # too large to keep: streamed as before, made afresh for the next reader
            else:
                kept.append(data)
        yield data
    if kept is not None:
        cache.set(key, b"".join(kept), timeout)


# ---------------------------------------------------------------------------------------------------------
# Streaming the rows: the main rows through a cursor, the small related rows read up front.
# ---------------------------------------------------------------------------------------------------------

def _fiche_json_records(filterset, request):
    """The records of the fiches the filters select, in the list's order (JSON): those of the API list
    (``api.fiche_record``), from the same plain values, in three queries: the fiches through a cursor
    (``CHUNK_SIZE`` at a time), and before the first one each relation's values for the whole selection
    (``api.related_values``). A search matches as in the API (``FicheSelection.matching``)."""
    with api.FicheSelection(filterset, request).matching():
        selected = filterset.qs
        documents = api.related_values(selected, "documents", api.DOCUMENT_REF_VALUES, api.DOCUMENT_ORDER)
        co_ministries = api.related_values(selected, "co_ministries", api.MINISTRY_VALUES, api.CO_MINISTRY_ORDER)
        context = api.record_context(request)
        fiches = selectors.fiche_records(selected).prefetch_related(None).values(*api.FICHE_RECORD_VALUES)
        for values in fiches.iterator(chunk_size=CHUNK_SIZE):
            yield api.fiche_record(values, documents.get(values["id"], ()), co_ministries.get(values["id"], ()), context)


# What a fiche's CSV row is made of, read as plain values (no model instances): the fiche's own columns,
# those of the rows it points to (outer joins: each may be empty) and the record's figures of
# ``selectors.fiche_records`` (the fiche it revises when that one is public, the commitment counts).
FICHE_CSV_VALUES = [
    "pk", "kamerstuk", "title", "proposal_title", "received_on", "received_month_only", "sent_on", "batch_letter__kamerstuk",
    "batch_position", "template__kind", "council_configuration__code", "council_configuration__name", "lead_ministry__code",
    "lead_ministry__name", "competence", "subsidiarity", "proportionality", "is_revision", "revises_kamerstuk",
    "commitment_count", "open_commitment_count",
]
# A larger chunk than the JSON's records are read in (``CHUNK_SIZE``): these are tuples of short values.
CSV_CHUNK_SIZE = 2000
def _fiche_csv_values(filterset, request):
    """The CSV rows (``FICHE_COLUMNS``) of the fiches the filters select, in the list's order.

    Three queries, as the JSON's: the fiches as value tuples through a cursor (``CSV_CHUNK_SIZE`` at a
    time), and before the first one each relation's few columns (``api.related_values``), joined into the cells of
    the fiches they belong to. The cells are those of the fiche records (``selectors.fiche_records``; a
    test holds the two side by side): a document by its reference, the term (``Fiche.deadline``, the
    six-week rule, computed once per date of receipt in a process) and ``Fiche.sent_on_time`` (sent on or before it). A search
    matches as in the API (``FicheSelection.matching``).
    """
    with api.FicheSelection(filterset, request).matching():
        selected = filterset.qs
        documents = {fiche_id: ("; ".join(str(Reference(doc_type, year, number)) for doc_type, year, number, _celex in linked),
                                "; ".join(celex for *_reference, celex in linked if celex))
                     for fiche_id, linked in api.related_values(selected, "documents", api.DOCUMENT_REF_VALUES, api.DOCUMENT_ORDER).items()}
        co_ministries = {fiche_id: "; ".join(code for (code,) in linked)
                         for fiche_id, linked in api.related_values(selected, "co_ministries", ("code",), api.CO_MINISTRY_ORDER).items()}
        no_documents = ("", "")
        url = api.record_context(request).fiche_page  # the page's absolute URL, as the API record's html_url
        fiches = selectors.fiche_records(selected).prefetch_related(None).values_list(*FICHE_CSV_VALUES)
        for (pk, kamerstuk, title, proposal_title, received_on, month_only, sent_on, batch_letter, batch_position, template, council_code,
             council_name, lead_code, lead_name, competence, subsidiarity, proportionality, is_revision, revises, commitment_count,
             open_commitment_count) in fiches.iterator(chunk_size=CSV_CHUNK_SIZE):
            references, celex = documents.get(pk, no_documents)
            deadline = exact_fiche_deadline(received_on, month_only)
            yield [
                kamerstuk, title, proposal_title, references, celex, received_on, deadline, sent_on,
                sent_on <= deadline if sent_on and deadline else None, batch_letter or "", batch_position, template,
                council_code or "", council_name or "", lead_code or "", lead_name or "", co_ministries.get(pk, ""),
                competence, subsidiarity, proportionality, is_revision, revises or "", commitment_count, open_commitment_count, url(kamerstuk),
            ]


def _stream_commitments(filterset, request):
    """The commitments the filters select, one chunk at a time; everything they show is select_related."""
    return api.filtered_commitments(filterset).iterator(chunk_size=CHUNK_SIZE)


def _fiche_count(filterset, request):
    """The number of fiches the filters select: the API list's (``FicheSelection``), whose cached keys it shares."""
    return api.FicheSelection(filterset, request).count()


def _counter(select):
    """The ``count`` of an export of the rows that ``select(filterset)`` gives."""
    return lambda filterset, _request: select(filterset).count()


@page_cache_exempt
@require_safe
def fiche_export(request, fmt):
    return _export(request, fmt=fmt, filterset=api.public_fiche_filter(request), count=_fiche_count, json_records=_fiche_json_records,
                   csv_values=_fiche_csv_values, columns=FICHE_COLUMNS, list_url=reverse("public:fiche_list"), stem="fiches")


@page_cache_exempt
@require_safe
def commitment_export(request, fmt):
    return _export(request, fmt=fmt, filterset=api.public_commitment_filter(request), count=_counter(api.filtered_commitments),
                   json_records=_records_of(_stream_commitments, api.commitment_data),
                   csv_values=_values_of(_stream_commitments, commitment_row, COMMITMENT_COLUMNS), columns=COMMITMENT_COLUMNS,
                   list_url=reverse("public:commitment_list"), stem="toezeggingen")


def _stream_outcomes(filterset, request):
    """The outcomes the filters select with their fiche and points (prefetched per chunk)."""
    return api.filtered_outcomes(filterset).iterator(chunk_size=CHUNK_SIZE)


@page_cache_exempt
@require_safe
def outcome_export(request, fmt):
    return _export(request, fmt=fmt, filterset=api.public_outcome_filter(request), count=_counter(api.filtered_outcomes),
                   json_records=_records_of(_stream_outcomes, api.outcome_data),
                   csv_values=_values_of(_stream_outcomes, outcome_row, OUTCOME_COLUMNS), columns=OUTCOME_COLUMNS,
                   list_url=reverse("public:statistics"), stem="uitkomsten")
