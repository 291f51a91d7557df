"""Read-only JSON API under ``/api/v1/``: documents, fiches, commitments and cofinancing.

Plain Django views returning ``JsonResponse``: the API is read-only, has four resources and no
authentication, so Django REST framework would add a dependency and a second way of writing views for
what a few functions do. The representation lives in the ``*_data`` functions below; the JSON exports
use the same functions, and ``api_schema`` documents every field they return.

Every response carries an ``API-Version`` header (the semantic version of ``info.version`` in the OpenAPI
document); errors are ``application/problem+json`` (RFC 9457) with the fixed ``code`` and, for invalid
parameters, the messages per parameter in ``fields``.

Every read starts from ``published()``: an unpublished fiche, its commitments and budgets, and a
document assessed only by unpublished fiches answer exactly like rows that do not exist.
"""

import json

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from positions.models import CommitmentStatusChange
from proposals import references
from proposals.models import DocumentRelation
from public import selectors
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
    """The list page's FilterSet over published fiches, newest first (as the list page: Fiche.Meta.ordering)."""
    return FicheFilter(request.GET, queryset=selectors.fiches().newest_first(), request=request)


# ---------------------------------------------------------------------------------------------------------
# Representations
# ---------------------------------------------------------------------------------------------------------

def _abs(request, path):
    return request.build_absolute_uri(path)


def _or_none(value):
    return value if value not in ("", None) else None


def ministry_data(ministry):
    if ministry is None:
        return None
    return {"code": ministry.code, "abbreviation": ministry.abbreviation, "name": ministry.name}


def document_ref_data(document, request):
    return {
        "id": document.slug,
        "reference": document.reference,
        "celex": _or_none(document.celex),
        "url": _abs(request, reverse("api:document_detail", kwargs={"reference": document.slug})),
    }


def fiche_ref_data(fiche, request):
    return {
        "id": fiche.kamerstuk,
        "title": fiche.title,
        "url": _abs(request, reverse("api:fiche_detail", kwargs={"kamerstuk": fiche.kamerstuk})),
        "html_url": _abs(request, fiche.get_absolute_url()),
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
        "kind_label": str(document.get_kind_display()),
        "adopted_on": document.adopted_on,
        "received_on": document.received_on,
        "is_parliamentary_priority": document.is_parliamentary_priority,
        "fiche_deadline": document.fiche_deadline,
        "fiches": [fiche_ref_data(f, request) for f in document.public_fiches],
        "url": _abs(request, reverse("api:document_detail", kwargs={"reference": document.slug})),
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


def _verdict(value, label, sentence):
    return {"value": value, "label": str(label) if value else "", "sentence": sentence}


def fiche_data(fiche, request):
    """A fiche as a list row: the API list, the JSON export and the fiche detail share it."""
    return {
        "id": fiche.kamerstuk,
        "kamerstuk": fiche.kamerstuk_display,
        "title": fiche.title,
        "proposal_title": fiche.proposal_title,
        "documents": [document_ref_data(d, request) for d in fiche.documents.all()],
        "received_on": fiche.received_on,
        "received_month_only": fiche.received_month_only,
        "deadline": fiche.deadline,
        "sent_on": fiche.sent_on,
        "sent_on_time": fiche.sent_on_time,
        "batch_letter": (
            {"kamerstuk": fiche.batch_letter.kamerstuk, "date": fiche.batch_letter.date, "position": fiche.batch_position}
            if fiche.batch_letter_id else None
        ),
        "template": {"key": fiche.template.key, "kind": fiche.template.kind, "version": fiche.template.version},
        "council_configuration": (
            {"code": fiche.council_configuration.code, "name": fiche.council_configuration.name} if fiche.council_configuration_id else None
        ),
        "lead_ministry": ministry_data(fiche.lead_ministry),
        "co_ministries": [ministry_data(m) for m in fiche.co_ministries.all()],
        "verdicts": {
            "competence": _verdict(fiche.competence, fiche.get_competence_display(), fiche.competence_sentence),
            "subsidiarity": _verdict(fiche.subsidiarity, fiche.get_subsidiarity_display(), fiche.subsidiarity_sentence),
            "proportionality": _verdict(fiche.proportionality, fiche.get_proportionality_display(), fiche.proportionality_sentence),
        },
        "is_revision": fiche.is_revision,
        "revises": fiche.revises_kamerstuk,
        "commitment_count": fiche.commitment_count,
        "open_commitment_count": fiche.open_commitment_count,
        "url": _abs(request, reverse("api:fiche_detail", kwargs={"kamerstuk": fiche.kamerstuk})),
        "html_url": _abs(request, fiche.get_absolute_url()),
    }


def fiche_detail_data(fiche, request):
    data = fiche_data(fiche, request)
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
    return {
        "id": f"{fiche.kamerstuk}/{commitment.position}",
        "fiche": fiche_ref_data(fiche, request),
        "position": commitment.position,
        "section_key": commitment.section_key,
        "summary": commitment.summary,
        "quote": commitment.quote,
        "kind": commitment.kind,
        "kind_label": str(commitment.get_kind_display()),
        "status": commitment.status,
        "status_label": str(commitment.get_status_display()),
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
        "html_url": _abs(request, f"{fiche.get_absolute_url()}#toezegging-{commitment.position}"),
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


def paginate(request, queryset, serialise, *, errors=None):
    errors = dict(errors or {})
    limit = _non_negative_int(request.GET, "limit", DEFAULT_LIMIT, MAX_LIMIT, errors)
    offset = _non_negative_int(request.GET, "offset", 0, MAX_OFFSET, errors)
    if errors:
        raise ApiError(400, "invalid_parameters", _("Een of meer parameters zijn ongeldig."), errors)
    count = queryset.count()
    rows = list(queryset[offset : offset + limit]) if offset < count else []

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
            "results": [serialise(row, request) for row in rows],
        }
    )


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
    return paginate(request, filtered_fiches(filterset), fiche_data)


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
    return {
        "fiche": fiche_ref_data(fiche, request),
        "celex": outcome.celex,
        "eurlex_url": outcome.eurlex_url,
        "adopted_on": outcome.adopted_on,
        "dutch_vote": {"value": outcome.dutch_vote, "label": str(outcome.get_dutch_vote_display())},
        "council_configuration": fiche.council_configuration.code if fiche.council_configuration_id else None,
        "lead_ministry": ministry_data(fiche.lead_ministry),
        "summary": outcome.summary,
        "points": [{"position": p.position, "point": p.point, "achievement": p.achievement,
                    "achievement_label": str(p.get_achievement_display()), "explanation": p.explanation} for p in outcome.points.all()],
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
