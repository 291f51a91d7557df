"""Read-only JSON API under ``/api/v1/``: documents, fiches, commitments and cofinancing.

Plain Django views returning ``JsonResponse``: the API is read-only, has four resources and no
authentication, so Django REST framework would add a dependency and a second way of writing views for
what a few functions do. The representation lives in the ``*_data`` functions and ``fiche_record`` below;
the JSON exports use the same functions, and ``api_schema`` documents every field they return.

Every response carries an ``API-Version`` header (the semantic version of ``info.version`` in the OpenAPI
document); errors are ``application/problem+json`` (RFC 9457) with the fixed ``code`` and, for invalid
parameters, the messages per parameter in ``fields``.

Every read starts from ``published()``: an unpublished fiche, its commitments and budgets, and a
document assessed only by unpublished fiches answer exactly like rows that do not exist.
"""

import json
import re
from collections import defaultdict
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections
from django.db.models import Prefetch, QuerySet
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from outcomes.models import Outcome, OutcomePoint
from positions.models import VERDICTS, Commitment, CommitmentStatusChange, Fiche
from proposals import references
from proposals.deadlines import exact_fiche_deadline
from proposals.models import CommissionDocument, DocumentRelation
from public import search, selectors
from public.filters import CommitmentFilter, FicheFilter, OutcomeFilter

from . import schema as api_schema

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_OFFSET = 1_000_000


# ---------------------------------------------------------------------------------------------------------
# Querysets: published rows with everything their representation needs, in a fixed number of queries.
# ---------------------------------------------------------------------------------------------------------

def filtered_fiches(filterset):
    """The fiches a valid FicheFilter selects, ready for output, in the list page's order."""
    return selectors.fiche_records(filterset.qs)


def public_fiche_filter(request):
    """The list page's FilterSet over published fiches, newest first (as the list page: Fiche.Meta.ordering).
    Over exactly ``published()``, so its menus (what a value is validated against) are cached by content
    version as the list page's are (``cache_facets``)."""
    return FicheFilter(request.GET, queryset=selectors.fiches().newest_first(), request=request, cache_facets=True)


class FicheSelection:
    """What a valid ``public_fiche_filter`` selects: the primary keys of all its fiches in the filter's order,
    read in one query and cached as one entry by the content version and the query string (less ``limit``
    and ``offset``), as the list page keeps a search's keys (``FicheFilter.ranked_keys``) and cuts its pages
    from them. The count is their number and a page a slice, so between two writes a filtered list, a
    search or a deep offset costs only the rows written out, and a query string is one cache entry however
    many pages of it are read (an entry per page filled the cache). Any write raises the version; no entry
    outlives the next embargo lifting (``ContentCache``). The API list and the feed share the entry (the
    same filters, the same order; the JSON export of the fiches counts by it).

    Every query of the selection (its keys here, the rows of the fiche exports) runs inside ``matching()``."""

    NAME = "fiche-selection"

    def __init__(self, filterset, request):
        self.filterset, self.results = filterset, filterset.result_cache
        self.digest = self.results.query_digest(request, without=("limit", "offset"))

    @contextmanager
    def matching(self):
        """Around the queries of a search, as around the list page's (``FicheFilter._counts_within``): on
        PostgreSQL the match reads the GIN index instead of every fiche's text (``search.gin_matching``).
        Nothing for a selection without a search, or on SQLite."""
        queryset = self.filterset.qs
        with search.gin_matching(connections[queryset.db], self.filterset.form.cleaned_data.get("q") or ""):
            yield

    def all_keys(self):
        """The primary keys of all the selected fiches, in the filter's order."""

        def read():
            with self.matching():
                return list(self.filterset.qs.values_list("pk", flat=True))

        return self.results.rows(f"{self.NAME}-keys:{self.digest}", read)

    def count(self):
        return len(self.all_keys())

    def keys(self, offset, limit):
        """The primary keys of the fiches from ``offset`` on, at most ``limit``, in the filter's order."""
        return self.all_keys()[offset : offset + limit]


def fiche_record_values(keys, fields, *, counts=True):
    """[``fields`` as values()] of the fiches ``keys`` (primary keys of published fiches), in that order,
    from ``selectors.fiche_records`` (its figures included; ``counts`` as there), in one query."""
    records = selectors.fiche_records(selectors.fiches().filter(pk__in=keys), counts=counts)
    found = records.order_by().prefetch_related(None).values("pk", *fields)
    rows = {row.pop("pk"): row for row in found}
    return [rows[key] for key in keys if key in rows]


# ---------------------------------------------------------------------------------------------------------
# Addresses and labels: what every record repeats, worked out once per request and language
# ---------------------------------------------------------------------------------------------------------

# An identifier that reverse() and build_absolute_uri() leave exactly as it is (no quoting, no "." or ".."
# segment): every Kamerstuk number (22112-3908) and document slug (com-2024-28). Others go through reverse().
_PLAIN_IDENTIFIER = re.compile(r"[0-9A-Za-z][0-9A-Za-z_.~-]*")
_PLACEHOLDER = "placeholder"


class _Addresses:
    """``request.build_absolute_uri(reverse(viewname, kwargs={kwarg: value}))`` for many values.

    reverse() resolves the pattern (with the language prefix of ``/en/``) on every call; here it runs once,
    for a placeholder, and a plain identifier takes the placeholder's place: the same string, as a test
    holds against reverse() itself.
    """

    def __init__(self, request, viewname, kwarg):
        self.request, self.viewname, self.kwarg = request, viewname, kwarg
        head, found, tail = reverse(viewname, kwargs={kwarg: _PLACEHOLDER}).partition(_PLACEHOLDER)
        self.path_head = head if found and _PLACEHOLDER not in tail else None
        self.head, self.tail = (request.build_absolute_uri(head) if self.path_head else None), tail

    def path(self, value):
        if self.path_head is not None and _PLAIN_IDENTIFIER.fullmatch(value):
            return f"{self.path_head}{value}{self.tail}"
        return reverse(self.viewname, kwargs={self.kwarg: value})

    def __call__(self, value):
        if self.head is not None and _PLAIN_IDENTIFIER.fullmatch(value):
            return f"{self.head}{value}{self.tail}"
        return self.request.build_absolute_uri(reverse(self.viewname, kwargs={self.kwarg: value}))


class RecordContext:
    """The absolute URLs and the choice labels of one request in one language, for records written out
    by the hundred: a URL is a prefix and the identifier (``_Addresses``) and a label a dictionary lookup,
    where ``reverse()`` and ``get_FOO_display()`` (which hashes every lazy label of the field's choices,
    translating each) cost tens of microseconds per call. Get it with ``record_context(request)``."""

    def __init__(self, request):
        self.fiche = _Addresses(request, "api:fiche_detail", "kamerstuk")
        self.fiche_page = _Addresses(request, "public:fiche_detail", "kamerstuk")
        self.document = _Addresses(request, "api:document_detail", "reference")
        self._labels = {}

    def label(self, model, field_name, value):
        """``get_FOO_display()``: the label of ``value`` among the field's choices, or the value itself."""
        key = (model, field_name)
        labels = self._labels.get(key)
        if labels is None:
            labels = self._labels[key] = {choice: str(label) for choice, label in model._meta.get_field(field_name).flatchoices}
        return labels.get(value, value)


def record_context(request):
    """The request's RecordContext for the active language, made on first use. Per language because the
    labels and the public pages' URLs (``/en/``) depend on it (an export streams after its view returned)."""
    contexts = request.__dict__.setdefault("_record_contexts", {})
    language = get_language()
    context = contexts.get(language)
    if context is None:
        context = contexts[language] = RecordContext(request)
    return context


# ---------------------------------------------------------------------------------------------------------
# Representations
# ---------------------------------------------------------------------------------------------------------

def _abs(request, path):
    return request.build_absolute_uri(path)


def _or_none(value):
    return value if value not in ("", None) else None


def _ministry(code, abbreviation, name):
    """A ministry as every record shows it (``MINISTRY_VALUES``)."""
    return {"code": code, "abbreviation": abbreviation, "name": name}


def ministry_data(ministry):
    return None if ministry is None else _ministry(ministry.code, ministry.abbreviation, ministry.name)


def _document_ref(doc_type, year, number, celex, context):
    reference = references.Reference(doc_type, year, number)
    slug = reference.slug
    return {"id": slug, "reference": str(reference), "celex": _or_none(celex), "url": context.document(slug)}


def document_ref_data(document, request):
    return _document_ref(document.doc_type, document.year, document.number, document.celex, record_context(request))


def fiche_ref_data(fiche, request):
    context = record_context(request)
    return {
        "id": fiche.kamerstuk,
        "title": fiche.title,
        "url": context.fiche(fiche.kamerstuk),
        "html_url": context.fiche_page(fiche.kamerstuk),
    }


def document_data(document, request, *, detail=False):
    data = {
        "id": document.slug,
        "reference": document.reference,
        "type": document.doc_type,
        "year": document.year,
        "number": document.number,
        "celex": _or_none(document.celex),
        "eurlex_url": _or_none(document.eurlex_url),
        "procedure": _or_none(document.procedure),
        "procedure_url": _or_none(document.procedure_url),
        "title": document.title,
        "kind": document.kind,
        "kind_label": record_context(request).label(CommissionDocument, "kind", document.kind),
        "adopted_on": document.adopted_on,
        "received_on": document.received_on,
        "is_parliamentary_priority": document.is_parliamentary_priority,
        "fiche_deadline": document.fiche_deadline,
        "fiches": [fiche_ref_data(f, request) for f in document.public_fiches],
        "url": record_context(request).document(document.slug),
        "html_url": _abs(request, document.get_absolute_url()),
    }
    if detail:
        public = selectors.documents()
        outgoing = DocumentRelation.objects.filter(source=document, target__in=public).select_related("target")
        incoming = DocumentRelation.objects.filter(target=document, source__in=public).select_related("source")
        data["related"] = [
            {"relation": r.kind, "direction": "outgoing", "document": document_ref_data(r.target, request)} for r in outgoing
        ] + [{"relation": r.kind, "direction": "incoming", "document": document_ref_data(r.source, request)} for r in incoming]
    return data


# What a fiche's record is made of: the values() of ``selectors.fiche_records`` (fields of the fiche, of the
# rows it points to, and the record's figures), read as plain values for the API list and the JSON export, or
# off the one fiche of the API detail (``_record_values``), so that all go through ``fiche_record``.
FICHE_RECORD_VALUES = (
    "id", "kamerstuk", "title", "proposal_title", "received_on", "received_month_only", "sent_on",
    "batch_letter_id", "batch_letter__kamerstuk", "batch_letter__date", "batch_position",
    "template__key", "template__kind", "template__version",
    "council_configuration_id", "council_configuration__code", "council_configuration__name",
    "lead_ministry_id", "lead_ministry__code", "lead_ministry__abbreviation", "lead_ministry__name",
    "competence", "competence_sentence", "subsidiarity", "subsidiarity_sentence", "proportionality", "proportionality_sentence",
    "is_revision", "revises_kamerstuk", "commitment_count", "open_commitment_count",
)
DOCUMENT_REF_VALUES = ("doc_type", "year", "number", "celex")
MINISTRY_VALUES = ("code", "abbreviation", "name")


def _record_values(fiche):
    """``FICHE_RECORD_VALUES`` of a fiche of ``selectors.fiche_record_detail``: as values() reads them."""
    values = {}
    for path in FICHE_RECORD_VALUES:
        value = fiche
        for name in path.split("__"):
            value = None if value is None else getattr(value, name)
        values[path] = value
    return values


def fiche_record(values, documents, co_ministries, context):
    """The record of a fiche from its ``FICHE_RECORD_VALUES``, its documents (``DOCUMENT_REF_VALUES`` tuples, by
    reference) and co-ministries (``MINISTRY_VALUES`` tuples, by name)."""
    kamerstuk, received_on, sent_on = values["kamerstuk"], values["received_on"], values["sent_on"]
    # Fiche.deadline and Fiche.sent_on_time, from the same rule (a test holds the record to the model).
    deadline = exact_fiche_deadline(received_on, values["received_month_only"])
    label = context.label
    return {
        "id": kamerstuk,
        "kamerstuk": references.display_kamerstuk(kamerstuk) if kamerstuk else "",
        "title": values["title"],
        "proposal_title": values["proposal_title"],
        "documents": [_document_ref(*document, context) for document in documents],
        "received_on": received_on,
        "received_month_only": values["received_month_only"],
        "deadline": deadline,
        "sent_on": sent_on,
        "sent_on_time": sent_on <= deadline if sent_on and deadline else None,
        "batch_letter": (
            {"kamerstuk": values["batch_letter__kamerstuk"], "date": values["batch_letter__date"], "position": values["batch_position"]}
            if values["batch_letter_id"] else None
        ),
        "template": {"key": values["template__key"], "kind": values["template__kind"], "version": values["template__version"]},
        "council_configuration": (
            {"code": values["council_configuration__code"], "name": values["council_configuration__name"]}
            if values["council_configuration_id"] else None
        ),
        "lead_ministry": (
            _ministry(values["lead_ministry__code"], values["lead_ministry__abbreviation"], values["lead_ministry__name"])
            if values["lead_ministry_id"] else None
        ),
        "co_ministries": [_ministry(*ministry) for ministry in co_ministries],
        "verdicts": {
            verdict: {
                "value": values[verdict],
                "label": label(Fiche, verdict, values[verdict]) if values[verdict] else "",
                "sentence": values[f"{verdict}_sentence"],
            }
            for verdict, _name in VERDICTS
        },
        "is_revision": values["is_revision"],
        "revises": values["revises_kamerstuk"],
        "commitment_count": values["commitment_count"],
        "open_commitment_count": values["open_commitment_count"],
        "url": context.fiche(kamerstuk),
        "html_url": context.fiche_page(kamerstuk),
    }


# The relations in the order of ``selectors.fiche_records``' prefetches: documents by reference, co-ministries
# by Ministry.Meta.ordering, the name (the primary key only settles equal names).
DOCUMENT_ORDER = ("doc_type", "year", "number")
CO_MINISTRY_ORDER = ("name", "pk")
# Rows of a relation read for a whole export at a time.
RELATED_CHUNK_SIZE = 2000


def related_values(fiches, relation, fields, order):
    """{fiche id: [tuple of ``fields``]} of the many-to-many ``relation`` of ``fiches``, ordered by ``order``:
    one query of values (no model instances), for a page, a feed or a whole export.

    ``fiches``: the ids of a page of fiches, looked up in the relation's through table; or a queryset of
    fiches (an export's filtered selection), that query itself joined to the through table and the related
    table, so any filter (the full-text search included, whose SQL names the fiche table) applies
    unchanged. The filters test the relations through ``Exists``, never through a join this query could
    reuse, so every related row of a selected fiche is read.
    """
    columns = [f"{relation}__{name}" for name in fields]
    ordering = [f"{relation}__{name}" for name in order]
    if isinstance(fiches, QuerySet):
        # Outer joins: a fiche without any related row comes once, with None for the related key.
        joined = fiches.order_by(*ordering).values_list("pk", f"{relation}__pk", *columns).iterator(chunk_size=RELATED_CHUNK_SIZE)
        rows = ((fiche_id, values) for fiche_id, related, *values in joined if related is not None)
    else:
        field = Fiche._meta.get_field(relation)
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        through = field.remote_field.through.objects.filter(**{f"{source}__in": fiches})
        rows = ((fiche_id, values) for fiche_id, *values in through.order_by(
            *(f"{target}__{name}" for name in order)).values_list(source, *(f"{target}__{name}" for name in fields)))
    by_fiche = defaultdict(list)
    for fiche_id, values in rows:
        by_fiche[fiche_id].append(tuple(values))
    return by_fiche


def fiche_records_data(keys, request):
    """The records (``fiche_record``) of the fiches ``keys`` (primary keys of published fiches), in that order, in three
    queries of plain values: the fiches, their documents, their co-ministries. No model instances: at 50
    fiches with four joined rows, two relations and their prefetch managers each, those cost most of the time."""
    rows = fiche_record_values(keys, FICHE_RECORD_VALUES)
    if not rows:
        return []
    ids = [row["id"] for row in rows]
    documents = related_values(ids, "documents", DOCUMENT_REF_VALUES, DOCUMENT_ORDER)
    co_ministries = related_values(ids, "co_ministries", MINISTRY_VALUES, CO_MINISTRY_ORDER)
    context = record_context(request)
    return [fiche_record(row, documents.get(row["id"], ()), co_ministries.get(row["id"], ()), context) for row in rows]


def fiche_detail_data(fiche, request):
    """A fiche of ``selectors.fiche_record_detail``: its record (as the list and the JSON export write it from
    plain values), read off the instance, which the detail needs for its sections, commitments and budgets."""
    data = fiche_record(
        _record_values(fiche),
        [tuple(getattr(d, name) for name in DOCUMENT_REF_VALUES) for d in fiche.documents.all()],
        [tuple(getattr(m, name) for name in MINISTRY_VALUES) for m in fiche.co_ministries.all()],
        record_context(request),
    )
    data.update(
        impact_assessment=fiche.impact_assessment,
        legal_basis=fiche.legal_basis,
        council_voting_rule=fiche.council_voting_rule,
        parliament_role=fiche.parliament_role,
        revised_by=[f.kamerstuk for f in fiche.public_revisions],
        sections=[
            {"key": s.key, "number": s.number, "title": s.title, "position": s.position, "text": s.text} for s in fiche.sections.all()
        ],
        footnotes=[{"number": f.number, "text": f.text, "urls": list(f.urls or [])} for f in fiche.footnotes.all()],
        commitments=[commitment_data(c, request, fiche=fiche) for c in fiche.commitments.all()],
        cofinancing=[budget_data(b, request, fiche=fiche) for b in fiche.cofinancing_budgets.all()],
    )
    return data


def commitment_data(commitment, request, *, fiche=None):
    fiche = fiche or commitment.fiche
    meeting = commitment.due_meeting
    context = record_context(request)
    return {
        "id": f"{fiche.kamerstuk}/{commitment.position}",
        "fiche": fiche_ref_data(fiche, request),
        "position": commitment.position,
        "section_key": commitment.section_key,
        "summary": commitment.summary,
        "quote": commitment.quote,
        "kind": commitment.kind,
        "kind_label": context.label(Commitment, "kind", commitment.kind),
        "status": commitment.status,
        "status_label": context.label(Commitment, "status", commitment.status),
        "ministry": ministry_data(commitment.ministry or fiche.lead_ministry),
        "due": {
            "date": commitment.due_date,
            "event": commitment.due_event,
            "description": commitment.due_description,
            "meeting": {"configuration": meeting.configuration.code, "date": meeting.date} if meeting else None,
            "effective_date": commitment.effective_due_date,
        },
        "evidence": {
            "reference": commitment.evidence_reference,
            "url": _or_none(commitment.evidence_url),
            "date": commitment.evidence_date,
            "note": commitment.evidence_note,
        },
        "url": _abs(request, reverse("api:commitment_detail", kwargs={"kamerstuk": fiche.kamerstuk, "position": commitment.position})),
        "html_url": f"{context.fiche_page(fiche.kamerstuk)}#toezegging-{commitment.position}",
    }


def status_change_data(change):
    return {
        "from_status": change.from_status,
        "to_status": change.to_status,
        "changed_at": change.changed_at,
        "new_due_date": change.new_due_date,
        "note": change.note,
        "evidence_reference": change.evidence_reference,
        "evidence_url": _or_none(change.evidence_url),
    }


def _decimal(value):
    return None if value is None else f"{value:.2f}"


def budget_data(budget, request, *, fiche=None):
    fiche = fiche or budget.fiche
    return {
        "id": f"{fiche.kamerstuk}/{budget.programme_code}",
        "fiche": fiche_ref_data(fiche, request),
        "programme": budget.programme,
        "programme_code": budget.programme_code,
        "ministry": ministry_data(budget.ministry),
        "amount": _decimal(budget.amount),
        "committed_amount": _decimal(budget.committed_amount),
        "remaining_amount": _decimal(budget.remaining_amount),
        "period_start": budget.period_start,
        "period_end": budget.period_end,
        "eu_rate_min": _decimal(budget.eu_rate_min),
        "eu_rate_max": _decimal(budget.eu_rate_max),
        "quote": budget.quote,
        "description": budget.description,
        "priorities": [{"position": p.position, "topic": p.topic, "amount": _decimal(p.amount)} for p in budget.priorities.all()],
        "url": _abs(request, reverse("api:cofinancing_detail", kwargs={"kamerstuk": fiche.kamerstuk, "programme_code": budget.programme_code})),
    }


# ---------------------------------------------------------------------------------------------------------
# Responses
# ---------------------------------------------------------------------------------------------------------

class ApiError(Exception):
    def __init__(self, status, code, message, fields=None):
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields


def json_response(data, status=200, content_type="application/json"):
    response = JsonResponse(data, status=status, encoder=DjangoJSONEncoder, safe=False, json_dumps_params={"ensure_ascii": False},
                            content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"  # public, read-only data: any site may read it
    response["Access-Control-Expose-Headers"] = "API-Version"
    response["API-Version"] = api_schema.API_VERSION
    return response


def problem(request, status, code, message, fields=None):
    """An RFC 9457 problem document: ``type`` points at the explanation of ``code`` on the API's page."""
    data = {
        "type": _abs(request, f"{reverse('api:index')}#fout-{code}"),
        "title": str(api_schema.ERROR_TITLES[code]),
        "status": status,
        "detail": message,
        "code": code,
        "fields": fields,
    }
    return json_response(data, status=status, content_type=api_schema.PROBLEM_CONTENT_TYPE)


def not_found():
    # One message for "does not exist" and "not published": the answer must not tell them apart.
    return ApiError(404, "not_found", _("Niet gevonden."))


def api_view(view):
    """GET (and HEAD) only; ApiError becomes the error JSON of the schema."""

    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = problem(request, 405, "method_not_allowed", _("Deze API is alleen-lezen: gebruik GET."))
            response["Allow"] = "GET, HEAD"
            return response
        try:
            bad = sorted({key for key, values in request.GET.lists() for value in [key, *values] if "\x00" in value})
            if bad:
                # PostgreSQL refuses NUL characters in text: say so instead of failing.
                raise ApiError(400, "invalid_parameters", _("Een of meer parameters zijn ongeldig."),
                               {key: [_("Een nul-teken is niet toegestaan.")] for key in bad})
            return view(request, *args, **kwargs)
        except ApiError as error:
            return problem(request, error.status, error.code, error.message, error.fields)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _non_negative_int(params, name, default, maximum, errors):
    raw = params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        errors[name] = [_("Geef een geheel getal.")]
        return default
    low = 1 if name == "limit" else 0
    if not low <= value <= maximum:
        errors[name] = [_("Geef een getal van %(low)s tot en met %(high)s.") % {"low": low, "high": maximum}]
        return default
    return value


def page_bounds(request, errors=None):
    """(limit, offset) of the query string; ApiError 400 with ``errors`` and theirs when any is wrong."""
    errors = dict(errors or {})
    limit = _non_negative_int(request.GET, "limit", DEFAULT_LIMIT, MAX_LIMIT, errors)
    offset = _non_negative_int(request.GET, "offset", 0, MAX_OFFSET, errors)
    if errors:
        raise ApiError(400, "invalid_parameters", _("Een of meer parameters zijn ongeldig."), errors)
    return limit, offset


def page_response(request, *, count, limit, offset, results):
    """A list's answer: the page ``results`` with the count and the links to the next and previous pages."""

    def page_url(new_offset):
        params = request.GET.copy()
        params["limit"] = str(limit)
        params["offset"] = str(new_offset)
        return _abs(request, f"{request.path}?{params.urlencode()}")

    return json_response(
        {
            "count": count,
            "limit": limit,
            "offset": offset,
            "next": page_url(offset + limit) if offset + limit < count else None,
            "previous": page_url(max(0, offset - limit)) if offset > 0 else None,
            "results": results,
        }
    )


def paginate(request, queryset, serialise, *, errors=None):
    limit, offset = page_bounds(request, errors)
    count = queryset.count()
    rows = list(queryset[offset : offset + limit]) if offset < count else []
    return page_response(request, count=count, limit=limit, offset=offset, results=[serialise(row, request) for row in rows])


def _form_errors(form):
    return {name: [str(m) for m in messages] for name, messages in form.errors.items()}


# ---------------------------------------------------------------------------------------------------------
# Views
# ---------------------------------------------------------------------------------------------------------

@require_safe
def index(request):
    """The human description of the API, generated from the same schema as the OpenAPI document."""
    components = [(name, api_schema.COMPONENTS[name], api_schema.EXTENDS.get(name)) for name in api_schema.COMPONENTS]
    endpoints = [
        {"path": path, "summary": summary, "component": component, "is_list": is_list, "parameters": parameters,
         "example_url": _abs(request, api_schema.example_path(path) + ("?limit=1" if is_list else "")),
         "example": json.dumps(api_schema.example_response(component, is_list), indent=2, ensure_ascii=False)}
        for path, summary, component, is_list, parameters in api_schema.ENDPOINTS
    ]
    response = TemplateResponse(
        request,
        "public/api_index.html",
        {"endpoints": endpoints, "components": components, "default_limit": DEFAULT_LIMIT, "max_limit": MAX_LIMIT,
         "api_version": api_schema.API_VERSION, "licence": api_schema.LICENCE, "error_titles": api_schema.ERROR_TITLES,
         "problem_example": json.dumps({"type": _abs(request, reverse("api:index") + "#fout-invalid_parameters"),
                                        "title": str(api_schema.ERROR_TITLES["invalid_parameters"]), "status": 400,
                                        "detail": _("Een of meer parameters zijn ongeldig."), "code": "invalid_parameters",
                                        "fields": {"limit": [_("Geef een geheel getal.")]}}, indent=2, ensure_ascii=False)},
    )
    response["API-Version"] = api_schema.API_VERSION
    return response


@api_view
def openapi(request):
    document = api_schema.openapi_document(_abs(request, "/"))
    response = json_response(document)
    return response


@api_view
def document_list(request):
    queryset = selectors.document_records().order_by("-year", "doc_type", "-number", "pk")
    errors = {}
    if celex := request.GET.get("celex", "").strip():
        queryset = queryset.filter(celex=celex.upper())
    if doc_type := request.GET.get("type", "").strip():
        if doc_type.upper() not in references.DOCUMENT_TYPES:
            errors["type"] = [_("Kies uit %(types)s.") % {"types": ", ".join(references.DOCUMENT_TYPES)}]
        else:
            queryset = queryset.filter(doc_type=doc_type.upper())
    if year := request.GET.get("year", "").strip():
        if not (year.isascii() and year.isdigit() and len(year) == 4):
            errors["year"] = [_("Geef een jaartal van vier cijfers.")]
        else:
            queryset = queryset.filter(year=int(year))
    return paginate(request, queryset, document_data, errors=errors)


@api_view
def document_detail(request, reference):
    try:
        ref = references.parse_reference(reference)
    except ValidationError:
        raise not_found() from None
    if reference != ref.slug:
        return redirect(reverse("api:document_detail", kwargs={"reference": ref.slug}), permanent=True)
    document = selectors.document_records().filter(doc_type=ref.doc_type, year=ref.year, number=ref.number).first()
    if document is None:
        raise not_found()
    return json_response(document_data(document, request, detail=True))


@api_view
def document_by_celex(request, celex):
    celex = celex.strip().upper()
    if not references.CELEX_RE.match(celex):
        raise not_found()
    document = selectors.document_records().filter(celex=celex).first()
    if document is None:
        raise not_found()
    return json_response(document_data(document, request, detail=True))


def public_commitment_filter(request):
    return CommitmentFilter(request.GET, queryset=selectors.commitments(), request=request)


def filtered_commitments(filterset):
    """The commitments a valid CommitmentFilter selects, ready for output, in the list page's order (first due first)."""
    return filterset.qs.select_related("fiche", "ministry", "fiche__lead_ministry", "due_meeting__configuration").order_by(
        "due_date", "-fiche__sent_on", "fiche__kamerstuk", "position", "pk"
    )


@api_view
def fiche_list(request):
    filterset = public_fiche_filter(request)
    if not filterset.is_valid():
        raise ApiError(400, "invalid_parameters", _("Een of meer parameters zijn ongeldig."), _form_errors(filterset.form))
    limit, offset = page_bounds(request)
    selection = FicheSelection(filterset, request)
    count = selection.count()
    results = fiche_records_data(selection.keys(offset, limit), request) if offset < count else []
    return page_response(request, count=count, limit=limit, offset=offset, results=results)


def _canonical_kamerstuk(value):
    try:
        return references.normalise_kamerstuk(value)
    except ValidationError:
        raise not_found() from None


@api_view
def fiche_detail(request, kamerstuk):
    canonical = _canonical_kamerstuk(kamerstuk)
    if canonical != kamerstuk:
        return redirect(reverse("api:fiche_detail", kwargs={"kamerstuk": canonical}), permanent=True)
    fiche = selectors.fiche_record_detail().filter(kamerstuk=kamerstuk).first()
    if fiche is None:
        raise not_found()
    return json_response(fiche_detail_data(fiche, request))


@api_view
def commitment_list(request):
    filterset = public_commitment_filter(request)
    if not filterset.is_valid():
        raise ApiError(400, "invalid_parameters", _("Een of meer parameters zijn ongeldig."), _form_errors(filterset.form))
    return paginate(request, filtered_commitments(filterset), commitment_data)


@api_view
def commitment_detail(request, kamerstuk, position):
    commitment = (
        selectors.commitment_records()
        .prefetch_related(Prefetch("status_changes", queryset=CommitmentStatusChange.objects.order_by("changed_at", "pk")))
        .filter(fiche__kamerstuk=_canonical_kamerstuk(kamerstuk), position=position)
        .first()
    )
    if commitment is None:
        raise not_found()
    data = commitment_data(commitment, request)
    data["status_changes"] = [status_change_data(c) for c in commitment.status_changes.all()]
    return json_response(data)


@api_view
def cofinancing_list(request):
    queryset = selectors.budget_records().order_by("-fiche__sent_on", "fiche__kamerstuk", "programme_code")
    if code := request.GET.get("programme_code", "").strip():
        queryset = queryset.filter(programme_code__iexact=code)
    if ministry := request.GET.get("ministry", "").strip():
        queryset = queryset.filter(ministry__code__iexact=ministry)
    return paginate(request, queryset, budget_data)


@api_view
def cofinancing_detail(request, kamerstuk, programme_code):
    if "\x00" in programme_code:
        raise not_found()
    budget = selectors.budget_records().filter(fiche__kamerstuk=_canonical_kamerstuk(kamerstuk), programme_code=programme_code).first()
    if budget is None:
        raise not_found()
    return json_response(budget_data(budget, request))


def outcome_data(outcome, request):
    """An outcome of the ledger: the adopted act, the Dutch vote and each point of the position with its achievement."""
    fiche = outcome.fiche
    label = record_context(request).label
    return {
        "fiche": fiche_ref_data(fiche, request),
        "celex": outcome.celex,
        "eurlex_url": outcome.eurlex_url,
        "adopted_on": outcome.adopted_on,
        "dutch_vote": {"value": outcome.dutch_vote, "label": label(Outcome, "dutch_vote", outcome.dutch_vote)},
        "council_configuration": fiche.council_configuration.code if fiche.council_configuration_id else None,
        "lead_ministry": ministry_data(fiche.lead_ministry),
        "summary": outcome.summary,
        "points": [{"position": p.position, "point": p.point, "achievement": p.achievement,
                    "achievement_label": label(OutcomePoint, "achievement", p.achievement), "explanation": p.explanation} for p in outcome.points.all()],
    }


def public_outcome_filter(request):
    return OutcomeFilter(request.GET, queryset=selectors.outcomes(), request=request)


def filtered_outcomes(filterset):
    """The outcomes a valid OutcomeFilter selects, newest adoption first."""
    return filterset.qs.order_by("-adopted_on", "fiche__kamerstuk", "pk")


@api_view
def outcome_list(request):
    filterset = public_outcome_filter(request)
    if not filterset.is_valid():
        raise ApiError(400, "invalid_parameters", _("Een of meer parameters zijn ongeldig."), _form_errors(filterset.form))
    return paginate(request, filtered_outcomes(filterset), outcome_data)


@api_view
def unknown(request, rest=""):
    raise not_found()


def dumps(data):
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
