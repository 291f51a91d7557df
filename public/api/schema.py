"""The schema of the public JSON API (and of the JSON exports), written once.

Both the OpenAPI 3 document (``/api/v1/openapi.json``) and the human page (``/api/v1/``) are generated
from the field lists below, and a test checks every serialised object against them, so the documentation
cannot drift from what the API returns. The values of fields with fixed choices are the models'
TextChoices, and the query parameters of the fiche and commitment lists are generated from the FilterSets
of the list pages (``filter_parameters``), which the API applies to its query string.
"""

from dataclasses import dataclass
from typing import NamedTuple

import django_filters
from django.core.exceptions import FieldDoesNotExist
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from outcomes.models import Achievement, Vote
from positions.models import Commitment, TemplateKind, Verdict
from proposals.models import CommissionDocument, DocumentRelation
from public.filters import CommitmentFilter, FicheFilter, OutcomeFilter


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # string, integer, boolean, date, datetime, uri, decimal, object, array
    description: str
    nullable: bool = False
    ref: str = ""  # component name for object / array items
    enum: tuple = ()
    items: str = ""  # scalar item type for arrays without a component


def _ministry_fields():
    return [
        Field("code", "string", _("Vaste code van het ministerie, bijv. ezk of ez-2012.")),
        Field("abbreviation", "string", _("Afkorting zoals in fiches, bijv. EZK.")),
        Field("name", "string", _("Volledige naam.")),
    ]


# The values of fields with fixed choices come from the models' TextChoices: written once, there.
# The API's semantic version (info.version and the API-Version header): a field added raises the minor
# number, a field removed or changed the major one (and a new path, /api/v2/).
API_VERSION = "1.1.0"
API_VERSION_HEADER = {"description": "Semantic version of the API.", "schema": {"type": "string", "example": API_VERSION}}
PROBLEM_CONTENT_TYPE = "application/problem+json"
# The data (not the code: EUPL-1.2, see LICENSE) is dedicated to the public domain.
LICENCE = {"name": "CC0 1.0 Universal", "identifier": "CC0-1.0", "url": "https://creativecommons.org/publicdomain/zero/1.0/"}
ERROR_TITLES = {
    "not_found": _("Niet gevonden"),
    "invalid_parameters": _("Ongeldige parameters"),
    "method_not_allowed": _("Methode niet toegestaan"),
}

VERDICT_VALUES = (*Verdict.values, "")
COMMITMENT_STATUSES = tuple(Commitment.Status.values)
COMMITMENT_KINDS = tuple(Commitment.Kind.values)
DOCUMENT_KINDS = tuple(CommissionDocument.Kind.values)

COMPONENTS = {
    "Ministry": _ministry_fields(),
    "CouncilConfiguration": [
        Field("code", "string", _("Stabiele EU-code, bijv. TTE of ECOFIN.")),
        Field("name", "string", _("Nederlandse naam, bijv. Raad Vervoer, Telecommunicatie en Energie.")),
    ],
    "Verdict": [
        Field("value", "string", _("Het oordeel; lege tekst als het fiche geen oordeel geeft."), enum=VERDICT_VALUES),
        Field("label", "string", _("Het oordeel in de taal van de interface.")),
        Field("sentence", "string", _("De zin uit het fiche waaruit het oordeel komt.")),
    ],
    "Verdicts": [
        Field("competence", "object", _("Oordeel over de bevoegdheid van de EU."), ref="Verdict"),
        Field("subsidiarity", "object", _("Oordeel over de subsidiariteit."), ref="Verdict"),
        Field("proportionality", "object", _("Oordeel over de proportionaliteit."), ref="Verdict"),
    ],
    "DocumentRef": [
        Field("id", "string", _("Stabiele sleutel: de referentie als slug, bijv. com-2024-28.")),
        Field("reference", "string", _("De referentie zoals de Commissie die schrijft, bijv. COM(2024) 28.")),
        Field("celex", "string", _("CELEX-nummer, bijv. 52024DC0028."), nullable=True),
        Field("url", "uri", _("Dit document in de API.")),
    ],
    "FicheRef": [
        Field("id", "string", _("Stabiele sleutel: het Kamerstuknummer, bijv. 22112-3908.")),
        Field("title", "string", _("Titel van het fiche.")),
        Field("url", "uri", _("Dit fiche in de API.")),
        Field("html_url", "uri", _("De pagina van dit fiche.")),
    ],
    "DocumentRelation": [
        Field("relation", "string", _("Soort relatie."), enum=tuple(DocumentRelation.Kind.values)),
        Field("direction", "string", _("outgoing: dit document heeft de relatie met het andere; incoming: omgekeerd."),
              enum=("outgoing", "incoming")),
        Field("document", "object", _("Het andere document."), ref="DocumentRef"),
    ],
    "Document": [
        Field("id", "string", _("Stabiele sleutel: de referentie als slug, bijv. com-2024-28.")),
        Field("reference", "string", _("De referentie zoals de Commissie die schrijft, bijv. COM(2024) 28.")),
        Field("type", "string", _("Documenttype."), enum=tuple(CommissionDocument.DocType.values)),
        Field("year", "integer", _("Jaar uit de referentie.")),
        Field("number", "integer", _("Nummer uit de referentie.")),
        Field("celex", "string", _("CELEX-nummer, bijv. 52024DC0028."), nullable=True),
        Field("eurlex_url", "uri", _("Het document op EUR-Lex (Nederlandse versie)."), nullable=True),
        Field("procedure", "string", _("Interinstitutionele procedure, bijv. 2024/0016(CNS)."), nullable=True),
        Field("procedure_url", "uri", _("De procedure in de Legislative Observatory van het Europees Parlement."), nullable=True),
        Field("title", "string", _("Titel van het document.")),
        Field("kind", "string", _("Soort document."), enum=DOCUMENT_KINDS),
        Field("kind_label", "string", _("Soort document in de taal van de interface.")),
        Field("adopted_on", "date", _("Datum waarop de Commissie het document publiceerde."), nullable=True),
        Field("received_on", "date", _("Datum van ontvangst: start van de termijn voor het fiche."), nullable=True),
        Field("is_parliamentary_priority", "boolean", _("De Kamer heeft dit voorstel geprioriteerd (termijn van drie weken).")),
        Field("fiche_deadline", "date", _("Uiterste datum voor het BNC-fiche (zes weken, of drie bij prioriteit)."), nullable=True),
        Field("fiches", "array", _("Gepubliceerde fiches over dit document."), ref="FicheRef"),
        Field("url", "uri", _("Dit document in de API.")),
        Field("html_url", "uri", _("De dossierpagina van dit document.")),
    ],
    "DocumentDetail": [
        Field("related", "array", _("Gerelateerde documenten (pakket, wijziging, ...)."), ref="DocumentRelation"),
    ],
    "BatchLetter": [
        Field("kamerstuk", "string", _("Kamerstuknummer van de verzamelbrief, bijv. 22112-3906.")),
        Field("date", "date", _("Datum van de verzamelbrief.")),
        Field("position", "integer", _("Nummer van het fiche in de verzamelbrief ('Fiche 4' is 4)."), nullable=True),
    ],
    "Template": [
        Field("key", "string", _("Sleutel van het sjabloon, bijv. communication-2024.")),
        Field("kind", "string", _("Wetgevend voorstel of mededeling."), enum=tuple(TemplateKind.values)),
        Field("version", "string", _("Versie of jaar van het sjabloon.")),
    ],
    "Fiche": [
        Field("id", "string", _("Stabiele sleutel: het Kamerstuknummer, bijv. 22112-3908.")),
        Field("kamerstuk", "string", _("Het Kamerstuknummer voluit, bijv. Kamerstuk 22 112, nr. 3908.")),
        Field("title", "string", _("Titel van het fiche.")),
        Field("proposal_title", "string", _("Volledige titel van het voorstel (1a).")),
        Field("documents", "array", _("De Commissiedocumenten die het fiche beoordeelt."), ref="DocumentRef"),
        Field("received_on", "date", _("Datum ontvangst Commissiedocument (1b)."), nullable=True),
        Field("received_month_only", "boolean", _("Het fiche noemt alleen een maand; de dag van received_on is dan de eerste.")),
        Field("deadline", "date", _("Uiterste datum volgens de zesweekse termijn."), nullable=True),
        Field("sent_on", "date", _("Datum waarop het fiche naar de Kamer ging.")),
        Field("sent_on_time", "boolean", _("Binnen de termijn verzonden; null als dat niet te bepalen is."), nullable=True),
        Field("batch_letter", "object", _("De verzamelbrief waarmee het fiche werd verzonden."), nullable=True, ref="BatchLetter"),
        Field("template", "object", _("Het sjabloon van het fiche."), ref="Template"),
        Field("council_configuration", "object", _("Behandelingstraject Raad (1f)."), nullable=True, ref="CouncilConfiguration"),
        Field("lead_ministry", "object", _("Eerstverantwoordelijk ministerie (1g)."), nullable=True, ref="Ministry"),
        Field("co_ministries", "array", _("Medeverantwoordelijke ministeries."), ref="Ministry"),
        Field("verdicts", "object", _("Grondhouding over bevoegdheid, subsidiariteit en proportionaliteit."), ref="Verdicts"),
        Field("is_revision", "boolean", _("Dit is een herzien of geactualiseerd fiche.")),
        Field("revises", "string", _("Kamerstuknummer van het fiche dat dit fiche herziet."), nullable=True),
        Field("commitment_count", "integer", _("Aantal toezeggingen in het fiche.")),
        Field("open_commitment_count", "integer", _("Aantal toezeggingen dat openstaat of deels voldaan is.")),
        Field("url", "uri", _("Dit fiche in de API.")),
        Field("html_url", "uri", _("De pagina van dit fiche.")),
    ],
    "Section": [
        Field("key", "string", _("Stabiele sleutel van het onderdeel, bijv. position-assessment.")),
        Field("number", "string", _("Nummer zoals in het fiche, bijv. 3b.")),
        Field("title", "string", _("Titel van het onderdeel.")),
        Field("position", "integer", _("Volgorde in het fiche.")),
        Field("text", "string", _("Tekst: alinea's gescheiden door een lege regel; voetnootverwijzingen als [^N].")),
    ],
    "Footnote": [
        Field("number", "integer", _("Nummer van de voetnoot.")),
        Field("text", "string", _("Tekst van de voetnoot.")),
        Field("urls", "array", _("Links uit de voetnoot."), items="uri"),
    ],
    "FicheDetail": [
        Field("impact_assessment", "string", _("Impact assessment en opinie (1e).")),
        Field("legal_basis", "string", _("Rechtsbasis (1h).")),
        Field("council_voting_rule", "string", _("Besluitvormingsprocedure Raad (1i).")),
        Field("parliament_role", "string", _("Rol Europees Parlement (1j).")),
        Field("revised_by", "array", _("Kamerstuknummers van gepubliceerde fiches die dit fiche herzien."), items="string"),
        Field("sections", "array", _("De onderdelen in de volgorde van het fiche."), ref="Section"),
        Field("footnotes", "array", _("De voetnoten."), ref="Footnote"),
        Field("commitments", "array", _("De toezeggingen in het fiche."), ref="Commitment"),
        Field("cofinancing", "array", _("Cofinancieringsbudgetten die het fiche aankondigt."), ref="CofinancingBudget"),
    ],
    "CouncilMeeting": [
        Field("configuration", "string", _("EU-code van de Raadsformatie.")),
        Field("date", "date", _("Datum van de vergadering.")),
    ],
    "Due": [
        Field("date", "date", _("Uiterste datum, als het fiche die noemt."), nullable=True),
        Field("event", "string", _("Moment waarop de toezegging verschuldigd is."), enum=tuple(Commitment.DueEvent.values)),
        Field("description", "string", _("Omschrijving van het moment, bijv. 'voor de zomer'.")),
        Field("meeting", "object", _("De Raadsvergadering van het moment, zodra die bekend is."), nullable=True, ref="CouncilMeeting"),
        Field("effective_date", "date", _("De datum of de datum waarop het moment valt; null als die onbekend is."), nullable=True),
    ],
    "Evidence": [
        Field("reference", "string", _("Kamerstuk- of documentreferentie, bijv. Kamerstuk 22 112, nr. 3942.")),
        Field("url", "uri", _("Link naar het bewijs."), nullable=True),
        Field("date", "date", _("Datum van het bewijs."), nullable=True),
        Field("note", "string", _("Toelichting.")),
    ],
    "Commitment": [
        Field("id", "string", _("Stabiele sleutel: Kamerstuknummer van het fiche en volgnummer, bijv. 22112-3908/3.")),
        Field("fiche", "object", _("Het fiche met de toezegging."), ref="FicheRef"),
        Field("position", "integer", _("Volgnummer binnen het fiche.")),
        Field("section_key", "string", _("Sleutel van het onderdeel waarin de toezegging staat.")),
        Field("summary", "string", _("Samenvatting.")),
        Field("quote", "string", _("De zin uit het fiche, letterlijk.")),
        Field("kind", "string", _("Soort toezegging."), enum=COMMITMENT_KINDS),
        Field("kind_label", "string", _("Soort in de taal van de interface.")),
        Field("status", "string", _("Status."), enum=COMMITMENT_STATUSES),
        Field("status_label", "string", _("Status in de taal van de interface.")),
        Field("ministry", "object", _("Verantwoordelijk ministerie (anders het eerstverantwoordelijke van het fiche)."), nullable=True,
              ref="Ministry"),
        Field("due", "object", _("Wanneer de toezegging verschuldigd is."), ref="Due"),
        Field("evidence", "object", _("Waarmee de toezegging is nagekomen."), ref="Evidence"),
        Field("url", "uri", _("Deze toezegging in de API.")),
        Field("html_url", "uri", _("De toezegging op de pagina van het fiche.")),
    ],
    "StatusChange": [
        Field("from_status", "string", _("Vorige status."), enum=COMMITMENT_STATUSES),
        Field("to_status", "string", _("Nieuwe status."), enum=COMMITMENT_STATUSES),
        Field("changed_at", "datetime", _("Moment van de wijziging.")),
        Field("new_due_date", "date", _("Nieuwe uiterste datum."), nullable=True),
        Field("note", "string", _("Toelichting.")),
        Field("evidence_reference", "string", _("Bewijs (referentie).")),
        Field("evidence_url", "uri", _("Bewijs (link)."), nullable=True),
    ],
    "CommitmentDetail": [
        Field("status_changes", "array", _("De statusgeschiedenis, oudste eerst."), ref="StatusChange"),
    ],
    "CofinancingPriority": [
        Field("position", "integer", _("Volgorde.")),
        Field("topic", "string", _("Geprioriteerd onderwerp.")),
        Field("amount", "decimal", _("Bedrag in euro als tekst, bijv. \"1000000.00\"; null als het fiche geen bedrag noemt."), nullable=True),
    ],
    "CofinancingBudget": [
        Field("id", "string", _("Stabiele sleutel: Kamerstuknummer van het fiche en programmacode, bijv. 22112-3908/DIGITAL.")),
        Field("fiche", "object", _("Het fiche dat het budget aankondigt."), ref="FicheRef"),
        Field("programme", "string", _("EU-programma, bijv. Digital Europe (DIGITAL).")),
        Field("programme_code", "string", _("Programmacode, bijv. DIGITAL.")),
        Field("ministry", "object", _("Ministerie van het budget."), ref="Ministry"),
        Field("amount", "decimal", _("Bedrag in euro als tekst, bijv. \"75000000.00\" (tekst, zodat er niets afrondt).")),
        Field("committed_amount", "decimal", _("Som van de bedragen van de geprioriteerde onderwerpen.")),
        Field("remaining_amount", "decimal", _("Bedrag min toegewezen bedrag.")),
        Field("period_start", "date", _("Begin van de periode."), nullable=True),
        Field("period_end", "date", _("Einde van de periode (inclusief)."), nullable=True),
        Field("eu_rate_min", "decimal", _("Minimaal aandeel EU-financiering in procent."), nullable=True),
        Field("eu_rate_max", "decimal", _("Maximaal aandeel EU-financiering in procent."), nullable=True),
        Field("quote", "string", _("De tekst uit het fiche.")),
        Field("description", "string", _("Toelichting.")),
        Field("priorities", "array", _("Geprioriteerde onderwerpen."), ref="CofinancingPriority"),
        Field("url", "uri", _("Dit budget in de API.")),
    ],
    "Vote": [
        Field("value", "string", _("De stem van Nederland in de Raad."), enum=tuple(Vote.values)),
        Field("label", "string", _("De stem in de taal van de interface.")),
    ],
    "OutcomePoint": [
        Field("position", "integer", _("Volgorde.")),
        Field("point", "string", _("Het punt van de Nederlandse inzet.")),
        Field("achievement", "string", _("Bereikt, deels bereikt of niet bereikt."), enum=tuple(Achievement.values)),
        Field("achievement_label", "string", _("Het oordeel in de taal van de interface.")),
        Field("explanation", "string", _("Toelichting.")),
    ],
    "Outcome": [
        Field("fiche", "object", _("Het fiche met de Nederlandse inzet."), ref="FicheRef"),
        Field("celex", "string", _("CELEX-nummer van de aangenomen handeling, bijv. 32024R1689.")),
        Field("eurlex_url", "uri", _("De handeling op EUR-Lex.")),
        Field("adopted_on", "date", _("Datum van aanneming.")),
        Field("dutch_vote", "object", _("De stem van Nederland in de Raad."), ref="Vote"),
        Field("council_configuration", "string", _("Raadsformatie van het fiche (code)."), nullable=True),
        Field("lead_ministry", "object", _("Eerstverantwoordelijk ministerie van het fiche."), nullable=True, ref="Ministry"),
        Field("summary", "string", _("Toelichting.")),
        Field("points", "array", _("Per punt van de inzet of het is bereikt."), ref="OutcomePoint"),
    ],
    "Error": [
        Field("type", "uri", _("Adres van de uitleg bij deze soort fout (RFC 9457).")),
        Field("title", "string", _("Korte omschrijving van deze soort fout.")),
        Field("status", "integer", _("De HTTP-status, bijv. 404 of 400.")),
        Field("detail", "string", _("Uitleg voor mensen bij dit geval.")),
        Field("code", "string", _("Vaste foutcode."), enum=("not_found", "invalid_parameters", "method_not_allowed")),
        Field("fields", "object", _("Per parameter de fouten (alleen bij invalid_parameters)."), nullable=True),
    ],
}

# Detail objects extend their summary; the human page lists the extra fields under the summary.
EXTENDS = {"DocumentDetail": "Document", "FicheDetail": "Fiche", "CommitmentDetail": "Commitment"}


def fields_of(component):
    """All fields of ``component``, including those it inherits from its summary."""
    base = EXTENDS.get(component)
    return [*(fields_of(base) if base else []), *COMPONENTS[component]]


class Parameter(NamedTuple):
    """A query parameter of an endpoint: ``type`` is a key of ``_SCALARS``; ``enum`` the values it takes, if fixed."""

    name: str
    type: str
    description: str
    enum: tuple = ()


PAGINATION_PARAMETERS = [
    Parameter("limit", "integer", _("Aantal resultaten per pagina (1 tot en met 200, standaard 50).")),
    Parameter("offset", "integer", _("Aantal resultaten om over te slaan (standaard 0).")),
]

FACET_NOTE = _("Een waarde zoals in de adresbalk van de lijst (een code, jaartal of sleutel), en alleen een die in de gepubliceerde "
               "gegevens voorkomt; een andere geeft de fout invalid_parameters.")


def _sentences(*parts):
    """The parts as one (lazily translated) text, each ending in a full stop."""

    def join():
        texts = [str(part).strip() for part in parts if part]
        return " ".join(text if text.endswith((".", "?", "!")) else f"{text}." for text in texts)

    return lazy(join, str)()


def _model_choices(model, path):
    """The values of the model field that ``path`` (``documents__kind``) leads to, if it has fixed choices."""
    field = None
    for part in path.split("__"):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:  # a method filter named after no field (q, due)
            return ()
        model = field.related_model or model
    choices = getattr(field, "flatchoices", None) if field is not None and field.choices else None
    return tuple(str(value) for value, _label in choices or () if value != "")


def filter_parameters(filterset_class):
    """One parameter per filter of a public list's FilterSet, in the order of its form: the API takes
    exactly the list page's query string, so its parameters are generated from the same filters.

    A filter with fixed choices lists them; a filter whose choices are the values present in the
    published data (a facet) lists the values of its model field and says that only present ones count.
    """
    model = filterset_class._meta.model
    parameters = []
    for name, filter_ in filterset_class.base_filters.items():
        choices = filter_.extra.get("choices")
        is_facet = isinstance(filter_, django_filters.ChoiceFilter) and (choices is None or callable(choices))
        if choices is not None and not callable(choices):
            enum = tuple(str(value) for value, _label in choices)
        else:
            enum = _model_choices(model, filter_.field_name)
        if isinstance(filter_, django_filters.DateFilter):
            kind = "date"
        elif filter_.lookup_expr == "year":
            kind = "integer"
        else:
            kind = "string"
        description = _sentences(filter_.label, filter_.extra.get("help_text"), FACET_NOTE if is_facet else None)
        parameters.append(Parameter(name, kind, description, enum))
    return parameters


# (path, summary, component, is_list, parameters); the list endpoints add PAGINATION_PARAMETERS.
ENDPOINTS = [
    ("/api/v1/documents/", _("Commissiedocumenten waarover een gepubliceerd fiche bestaat, of die daaraan verwant zijn."), "Document", True,
     [Parameter("celex", "string", _("Alleen het document met dit CELEX-nummer.")),
      Parameter("type", "string", _("Documenttype."), tuple(CommissionDocument.DocType.values)),
      Parameter("year", "integer", _("Jaar uit de referentie."))]),
    ("/api/v1/documents/{id}/", _("Eén document, op referentie (com-2024-28; andere schrijfwijzen worden doorverwezen)."), "DocumentDetail",
     False, []),
    ("/api/v1/documents/celex/{celex}/", _("Eén document, op CELEX-nummer (52024DC0028)."), "DocumentDetail", False, []),
    ("/api/v1/fiches/", _("Gepubliceerde fiches, nieuwste eerst. Kent dezelfde filters en zoekterm (q) als de lijst met fiches."),
     "Fiche", True, filter_parameters(FicheFilter)),
    ("/api/v1/fiches/{id}/", _("Eén fiche op Kamerstuknummer (22112-3908), met onderdelen, voetnoten, toezeggingen en cofinanciering."),
     "FicheDetail", False, []),
    ("/api/v1/commitments/", _("Toezeggingen uit gepubliceerde fiches. Kent dezelfde filters als de lijst met toezeggingen."), "Commitment",
     True, filter_parameters(CommitmentFilter)),
    ("/api/v1/commitments/{fiche}/{position}/", _("Eén toezegging, met de statusgeschiedenis."), "CommitmentDetail", False, []),
    ("/api/v1/cofinancing/", _("Cofinancieringsbudgetten uit gepubliceerde fiches."), "CofinancingBudget", True,
     [Parameter("programme_code", "string", _("Alleen budgetten voor dit programma, bijv. DIGITAL.")),
      Parameter("ministry", "string", _("Alleen budgetten van dit ministerie (code)."))]),
    ("/api/v1/cofinancing/{fiche}/{programme_code}/", _("Eén cofinancieringsbudget."), "CofinancingBudget", False, []),
    ("/api/v1/outcomes/", _("Heeft Nederland zijn zin gekregen? Gepubliceerde uitkomsten: de aangenomen handeling, de stem van Nederland en per punt van de inzet of het is bereikt."),
     "Outcome", True, filter_parameters(OutcomeFilter)),
]

_SCALARS = {
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
    "datetime": {"type": "string", "format": "date-time"},
    "uri": {"type": "string", "format": "uri"},
    "decimal": {"type": "string", "pattern": r"^-?\d+(\.\d+)?$"},
}


def _field_schema(field):
    if field.type == "object":
        schema = {"$ref": f"#/components/schemas/{field.ref}"} if field.ref else {"type": "object", "additionalProperties": True}
    elif field.type == "array":
        item = {"$ref": f"#/components/schemas/{field.ref}"} if field.ref else dict(_SCALARS[field.items or "string"])
        schema = {"type": "array", "items": item}
    else:
        schema = dict(_SCALARS[field.type])
        if field.enum:
            schema["enum"] = list(field.enum)
    if field.nullable:
        schema = {"anyOf": [schema, {"type": "null"}]} if "$ref" in schema else {**schema, "type": [schema["type"], "null"]}
        if "enum" in schema:
            schema["enum"] = [*schema["enum"], None]
    schema["description"] = str(field.description)
    return schema


def _component_schema(name):
    fields = fields_of(name)
    return {
        "type": "object",
        "properties": {f.name: _field_schema(f) for f in fields},
        "required": [f.name for f in fields],
        "additionalProperties": False,
    }


def _page_schema(component):
    return {
        "type": "object",
        "required": ["count", "limit", "offset", "next", "previous", "results"],
        "properties": {
            "count": {"type": "integer", "description": str(_("Totaal aantal resultaten."))},
            "limit": {"type": "integer"},
            "offset": {"type": "integer"},
            "next": {"type": ["string", "null"], "format": "uri", "description": str(_("De volgende pagina; null op de laatste."))},
            "previous": {"type": ["string", "null"], "format": "uri", "description": str(_("De vorige pagina; null op de eerste."))},
            "results": {"type": "array", "items": {"$ref": f"#/components/schemas/{component}"}},
        },
    }


def _error_response(description):
    return {"description": description, "content": {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _parameter_schema(parameter):
    schema = dict(_SCALARS[parameter.type])
    if parameter.enum:
        schema["enum"] = list(parameter.enum)
    return {"name": parameter.name, "in": "query", "required": False, "description": str(parameter.description), "schema": schema}


def openapi_document(server_url):
    paths = {}
    for path, summary, component, is_list, parameters in ENDPOINTS:
        params = [_parameter_schema(parameter) for parameter in [*parameters, *(PAGINATION_PARAMETERS if is_list else [])]]
        params += [
            {"name": part, "in": "path", "required": True, "schema": {"type": "string"}}
            for part in ("id", "celex", "fiche", "position", "programme_code")
            if "{" + part + "}" in path
        ]
        schema = _page_schema(component) if is_list else {"$ref": f"#/components/schemas/{component}"}
        responses = {
            "200": {"description": "OK", "headers": {"API-Version": API_VERSION_HEADER},
                    "content": {"application/json": {"schema": schema}}},
            "400": _error_response(str(_("Ongeldige parameters."))),
        }
        if not is_list:
            responses["404"] = _error_response(str(_("Niet gevonden (bestaat niet of is niet gepubliceerd).")))
            del responses["400"]
        paths[path] = {"get": {"summary": str(summary), "parameters": params, "responses": responses}}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "fichetracker API",
            "version": API_VERSION,
            "license": {"name": LICENCE["name"], "url": LICENCE["url"]},
            "description": str(_("Alleen-lezen toegang tot gepubliceerde BNC-fiches, hun Commissiedocumenten, toezeggingen en cofinanciering.")),
        },
        "servers": [{"url": server_url}],
        "paths": paths,
        "components": {"schemas": {name: _component_schema(name) for name in COMPONENTS}},
    }


# ---------------------------------------------------------------------------------------------------------
# Examples for the human page: a curl line and a sample response per endpoint, built from the same fields.
# ---------------------------------------------------------------------------------------------------------

_EXAMPLE_SCALARS = {
    "string": "tekst", "integer": 1, "boolean": False, "date": "2024-03-01", "datetime": "2024-03-01T10:00:00+01:00",
    "uri": "https://example.org/", "decimal": "75000000.00",
}
_EXAMPLE_BY_NAME = {
    "id": "22112-3908", "kamerstuk": "Kamerstuk 22 112, nr. 3908", "reference": "COM(2024) 28", "celex": "52024DC0028",
    "year": 2024, "number": 28, "code": "ezk", "abbreviation": "EZK", "name": "Ministerie van Economische Zaken en Klimaat",
    "programme_code": "DIGITAL", "amount": "75000000.00", "position": 1, "count": 1,
}
_PATH_EXAMPLES = {"{id}": None, "{celex}": "52024DC0028", "{fiche}": "22112-3908", "{position}": "1", "{programme_code}": "DIGITAL"}


def example(component, depth=0):
    """A sample object of ``component``: every field, one item per list, nested objects two levels deep."""
    sample = {}
    for f in fields_of(component):
        if f.type in ("object", "array") and f.ref:
            value = example(f.ref, depth + 1) if depth < 2 else {}
            sample[f.name] = [value] if f.type == "array" else value
        elif f.type == "array":
            sample[f.name] = [_EXAMPLE_SCALARS[f.items or "string"]]
        elif f.type == "object":
            sample[f.name] = None if f.nullable else {}
        elif f.enum:
            sample[f.name] = next((value for value in f.enum if value), f.enum[0])
        else:
            sample[f.name] = _EXAMPLE_BY_NAME.get(f.name, _EXAMPLE_SCALARS[f.type])
    return sample


def example_path(path):
    """``path`` with its placeholders filled in, as a reader would call it."""
    for placeholder, value in _PATH_EXAMPLES.items():
        value = value or ("com-2024-28" if path.startswith("/api/v1/documents/") else "22112-3908")
        path = path.replace(placeholder, value)
    return path


def example_response(component, is_list):
    """The sample body of an endpoint: a page of one result for a list, else the object."""
    item = example(component)
    if not is_list:
        return item
    return {"count": 1, "limit": 1, "offset": 0, "next": None, "previous": None, "results": [item]}
