"""Test data for the feeds, exports, API and the security tests: built in code, saved, no network."""

import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from outcomes.models import Achievement, Outcome, OutcomePoint, Vote
from positions.models import (
    BatchLetter,
    CofinancingBudget,
    Commitment,
    CommitmentStatusChange,
    Fiche,
    Verdict,
)
from proposals.models import CommissionDocument, CouncilConfiguration, Ministry
from tests import factories

MARKER = "zqxgeheim-7f3a9c"  # in every unpublished row; must never reach a public response
SEARCH_WORD = "zqxgeheim"  # the marker's first word: what a reader would search for

_numbers = itertools.count(100)


def reference_data():
    rows = factories.reference_rows()
    return {"ezk": rows["ezk"], "fin": rows["fin"], "tte": rows["tte"], "ecofin": rows["ecofin"], "template": rows["communication"]}


def document(*, title="Voorstel", kind=CommissionDocument.Kind.COMMUNICATION, year=2025, number=None, celex=True, **fields):
    number = number or next(_numbers)
    return factories.document(f"COM({year}) {number}", title=title, kind=kind, celex=f"5{year}DC{number:04d}" if celex else "",
                              adopted_on=datetime.date(year, 1, 20), received_on=datetime.date(year, 1, 24), **fields)


def fiche(*, title="Fiche", status=Fiche.Status.PUBLISHED, documents=(), ministry=None, council=None, text="Tekst van het fiche.",
          commitments=2, budget=True, sent_on=None, **fields):
    """A fiche with two sections, a footnote, ``commitments`` commitments (the first fulfilled, with its
    status change) and a budget with two priorities, every text naming ``title``."""
    ref = reference_data()
    n = next(_numbers)
    defaults = {
        "proposal_title": f"Volledige titel van {title}",
        "template": ref["template"],
        "lead_ministry": ministry or ref["ezk"],
        "council_configuration": council or ref["tte"],
        "received_on": datetime.date(2025, 1, 24),
        "competence": Verdict.POSITIVE,
        "competence_sentence": "De grondhouding ten aanzien van de bevoegdheid is positief.",
        "subsidiarity": Verdict.NEUTRAL,
        "proportionality": Verdict.POSITIVE_WITH_REMARKS,
        "kamerstuk": f"22112-{5000 + n}",
        "sent_on": sent_on or datetime.date(2025, 3, 1),
    }
    defaults.update(fields)
    obj = factories.fiche(
        title=title, status=status, documents=list(documents) or [document(title=f"Document bij {title}")],
        sections=[("essence", "2", "Essentie voorstel", f"{text}\n\nTweede alinea[^1]."), ("position-assessment", "3b", "Beoordeling", text)],
        footnotes=[(1, f"Voetnoot bij {title}", ["https://example.org/stuk"])],
        **defaults,
    )
    for position in range(1, commitments + 1):
        commitment = factories.commitment(
            obj, position=position, quote=f"Het kabinet zal {title} volgen.", summary=f"Toezegging {position} uit {title}",
            kind=Commitment.Kind.MONITOR, section_key="position-assessment", due_date=datetime.date(2025, 6, 1),
        )
        if position == 1:
            commitment.status = Commitment.Status.FULFILLED
            commitment.evidence_reference = "Kamerstuk 22 112, nr. 3942"
            commitment.save()
            CommitmentStatusChange.objects.create(
                commitment=commitment, from_status=Commitment.Status.OPEN, to_status=Commitment.Status.FULFILLED,
                note=f"Nagekomen: {title}", evidence_reference="Kamerstuk 22 112, nr. 3942",
            )
    if budget:
        factories.budget(
            obj, programme=f"Digital Europe ({title})", code="DIGITAL", ministry=ref["ezk"], amount=Decimal("75000000"),
            eu_rate_min=Decimal(50), eu_rate_max=Decimal(75), quote=f"Budget voor {title}",
            priorities=[(f"Dataruimte {title}", Decimal("1000000")), (f"Taaltechnologie {title}", None)],
        )
    return obj


def published_world(size):
    """``size`` published fiches with documents, commitments, a status change and a budget each."""
    ref = reference_data()
    batch = BatchLetter.objects.get_or_create(kamerstuk="22112-3906", defaults={"date": datetime.date(2025, 3, 1)})[0]
    fiches = []
    for i in range(size):
        fiches.append(
            fiche(
                title=f"Openbaar fiche {i}", batch_letter=batch, batch_position=i + 1,
                ministry=ref["ezk"] if i % 2 == 0 else ref["fin"], council=ref["tte"] if i % 2 == 0 else ref["ecofin"],
                sent_on=datetime.date(2025, 3, 1) + datetime.timedelta(days=i),
            )
        )
    return fiches


def unpublished_world():
    """Unpublished fiches in every state (and one under a future embargo), each on a document no public
    fiche assesses, with commitments and cofinancing, all carrying MARKER."""
    secret_ministry = Ministry.objects.create(code="geheim", abbreviation="GEH", name=f"Ministerie van {MARKER}")
    secret_council = CouncilConfiguration.objects.create(code="SECRET", name=f"Raad {MARKER}")
    secrets = {}
    states = [
        ("draft", {"status": Fiche.Status.DRAFT}),
        ("review", {"status": Fiche.Status.REVIEW}),
        ("adopted", {"status": Fiche.Status.ADOPTED}),
        ("embargo", {"status": Fiche.Status.PUBLISHED, "public_from": timezone.now() + datetime.timedelta(days=30)}),
    ]
    for name, fields in states:
        doc = document(title=f"Document {MARKER} {name}", procedure="")
        secrets[name] = fiche(
            title=f"Fiche {MARKER} {name}", documents=[doc], text=f"Geheime tekst {MARKER} over {name}.",
            ministry=secret_ministry, council=secret_council, competence_sentence=f"Oordeel {MARKER}",
            competence=Verdict.NEGATIVE, **fields,
        )
        Commitment.objects.filter(fiche=secrets[name]).update(summary=f"Toezegging {MARKER} {name}", quote=f"Citaat {MARKER}")
        CofinancingBudget.objects.filter(fiche=secrets[name]).update(programme=f"Programma {MARKER}", programme_code="SECRET")
        CommitmentStatusChange.objects.filter(commitment__fiche=secrets[name]).update(note=f"Wijziging {MARKER}")
        # An outcome marked published on a fiche that is not: the fiche's gate holds it back too.
        secret_outcome(secrets[name], status=Fiche.Status.PUBLISHED)
    return secrets


def secret_outcome(fiche, *, status):
    """An outcome of the ledger on ``fiche`` with MARKER in its summary and point (CELEX and vote are structured)."""
    outcome = Outcome.objects.create(fiche=fiche, celex="32025R0999", adopted_on=datetime.date(2025, 11, 1), dutch_vote=Vote.AGAINST,
                                     summary=f"Uitkomst {MARKER}", status=status)
    OutcomePoint.objects.create(outcome=outcome, position=1, point=f"Inzet {MARKER}", achievement=Achievement.NOT_ACHIEVED,
                                explanation=f"Toelichting {MARKER}")
    return outcome


def revising_fiche(unpublished):
    """A published fiche that revises an unpublished one: the revised fiche must stay invisible."""
    return fiche(title="Openbaar herzien fiche", is_revision=True, revises=unpublished)


def citing_fiche(cited):
    """A published fiche whose text and footnote cite the Kamerstuk numbers and document references of ``cited``."""
    refs = [(f.kamerstuk_display, f.documents.first().reference) for f in cited]
    obj = fiche(title="Openbaar citerend fiche", text=" ".join(f"Zie {k} en {r}." for k, r in refs), commitments=0, budget=False)
    obj.footnotes.update(text="; ".join(f"{k}, {r}" for k, r in refs))
    return obj


# ---------------------------------------------------------------------------------------------------------
# Every public route, with the URLs that exercise it. The security tests walk the URLconf and fail on a
# route that is neither here nor in STAFF_ROUTES / NOT_REQUESTED, so a new public page cannot be forgotten.
# ---------------------------------------------------------------------------------------------------------

# Staff-only routes: requested anonymously, they must not answer with content.
STAFF_ROUTES = {
    "followup:dashboard", "followup:commitment_detail", "followup:report", "followup:report_csv",
    "followup:report_cofinancing_csv", "followup:cofinancing_csv", "followup:calendar_tokens",
    "followup:calendar_token_revoke", "followup:staff_calendar", "followup:commitment_assign", "followup:bulk_status",
}
# Routes not requested, with the reason.
NOT_REQUESTED = {
    "set_language": "POST only; it sets the language cookie and redirects",
    "alerts:confirm": "signed links only: tests/alerts requests them valid, tampered, expired and reused",
    "alerts:manage": "signed links only: tests/alerts requests them valid, tampered, expired and reused",
    "alerts:unsubscribe": "signed links only: tests/alerts requests them valid, tampered, expired and reused",
}
ADMIN_PREFIX = "admin/"

FICHE_FILTERS = [{}, {"ministry": "fin"}, {"council": "ECOFIN", "competence": "positief"}, {"year": "2025"}, {"q": SEARCH_WORD},
                 {"q": SEARCH_WORD, "ministry": "fin", "sort": "oldest"}, {"year": "2025", "competence": "positief", "sort": "kamerstuk"},
                 {"ministry": "geheim"}, {"council": "SECRET"}, {"competence": "negatief"}, {"commitment_status": "fulfilled"}]
COMMITMENT_FILTERS = [{}, {"ministry": "fin"}, {"ministry": "geheim"}, {"status": "fulfilled"}, {"council": "SECRET"}, {"due": "overdue"}]


def public_urls(published, secrets):
    """{route name: [(path, query dict), ...]} for every public route, for published and secret rows."""
    shown = published[0]
    doc = shown.documents.first()
    secret_docs = [f.documents.first() for f in secrets.values()]
    secret_fiches = list(secrets.values())
    return {
        "healthz": [("/healthz", {})],
        "public:home": [("/", {})],
        "public:fiche_list": [("/fiches/", q) for q in [*FICHE_FILTERS, {"page": "2"}]],
        "public:fiche_detail": [(f"/fiches/{f.kamerstuk}/", {}) for f in [shown, *secret_fiches]] + [("/fiches/22112-99999/", {})],
        "public:commitment_list": [("/toezeggingen/", q) for q in COMMITMENT_FILTERS],
        "public:statistics": [("/statistieken/", {}), ("/statistieken/", {"jaar": "2031"})],
        "public:catalogue": [("/catalogus.jsonld", {})],
        "public:about": [("/over/", {})],
        "public:accessibility": [("/toegankelijkheid/", {})],
        "public:document_list": [("/voorstellen/", q) for q in [{}, {"year": "2031"}, {"q": SEARCH_WORD}, {"q": doc.reference},
                                                                 *[{"q": d.reference} for d in secret_docs], {"page": "2"}]],
        "public:feeds": [("/feeds/", {})],
        "public:document_detail": [(f"/voorstellen/{d.slug}/", {}) for d in [doc, *secret_docs]] + [("/voorstellen/com-2031-9999/", {})],
        "public:fiche_feed": [("/feeds/fiches/", q) for q in FICHE_FILTERS],
        "public:dossier_feed": [(f"/feeds/voorstellen/{d.slug}/", {}) for d in [doc, *secret_docs]],
        "public:fiche_export": [(f"/fiches/export.{fmt}", q) for fmt in ("csv", "json") for q in FICHE_FILTERS]
        + [("/fiches/export.csv", {**q, "dialect": "excel-nl"}) for q in FICHE_FILTERS],
        "public:commitment_export": [(f"/toezeggingen/export.{fmt}", q) for fmt in ("csv", "json") for q in COMMITMENT_FILTERS]
        + [("/toezeggingen/export.csv", {**q, "dialect": "excel-nl"}) for q in COMMITMENT_FILTERS],
        "api:index": [("/api/v1/", {})],
        "api:openapi": [("/api/v1/openapi.json", {})],
        "api:document_list": [("/api/v1/documents/", {}), ("/api/v1/documents/", {"year": "2025", "limit": "200"})],
        "api:document_detail": [(f"/api/v1/documents/{d.slug}/", {}) for d in [doc, *secret_docs]],
        "api:document_by_celex": [(f"/api/v1/documents/celex/{d.celex}/", {}) for d in [doc, *secret_docs]],
        "api:fiche_list": [("/api/v1/fiches/", {**q, "limit": "200"}) for q in FICHE_FILTERS],
        "api:fiche_detail": [(f"/api/v1/fiches/{f.kamerstuk}/", {}) for f in [shown, *secret_fiches]],
        "api:commitment_list": [("/api/v1/commitments/", {**q, "limit": "200"}) for q in COMMITMENT_FILTERS],
        "api:commitment_detail": [(f"/api/v1/commitments/{f.kamerstuk}/1/", {}) for f in [shown, *secret_fiches]],
        "api:cofinancing_list": [("/api/v1/cofinancing/", {"limit": "200"}), ("/api/v1/cofinancing/", {"programme_code": "SECRET"})],
        "api:cofinancing_detail": [(f"/api/v1/cofinancing/{f.kamerstuk}/{code}/", {}) for f in [shown, *secret_fiches] for code in ("DIGITAL", "SECRET")],
        "api:outcome_list": [("/api/v1/outcomes/", {"limit": "200"}), ("/api/v1/outcomes/", {"council": "SECRET"}),
                             ("/api/v1/outcomes/", {"ministry": "geheim"})],
        "public:outcome_export": [(f"/uitkomsten/export.{fmt}", q) for fmt in ("csv", "json") for q in ({}, {"council": "SECRET"})],
        "api:not_found": [("/api/v1/onbekend/", {})],
        "sitemap": [("/sitemap.xml", {})],
        "robots": [("/robots.txt", {})],
        "followup:public_calendar": [("/agenda.ics", {})],
        "followup:public_ministry_calendar": [(f"/agenda/{code}.ics", {}) for code in ("ezk", "fin", "geheim")],
        # Secret dossiers and commitments as targets: tests/alerts/test_unpublished.py (this page echoes its query in the language form).
        "alerts:subscribe": [("/volgen/", q) for q in ({"kind": "fiche_search", "query": f"q={SEARCH_WORD}"}, {"kind": "ministry", "ministry": "geheim"},
                                                      {"kind": "dossier", "document": doc.slug}, {"kind": "commitment", "fiche": shown.kamerstuk, "position": "1"})],
        "alerts:subscribed": [("/volgen/aangevraagd/", {})],
        "alerts:manage_request": [("/volgen/beheren/", {})],
        "alerts:privacy": [("/privacy/", {})],
    }


def route_names():
    """(name, route) of every non-admin route in the URLconf."""
    from django.urls import URLResolver, get_resolver

    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                ns = ":".join(n for n in (namespace, pattern.namespace) if n)
                if not route.startswith(ADMIN_PREFIX):
                    yield from walk(pattern.url_patterns, route, ns)
            elif not route.startswith(ADMIN_PREFIX):
                yield ":".join(n for n in (namespace, pattern.name or route) if n), route

    return list(walk(get_resolver().url_patterns))
