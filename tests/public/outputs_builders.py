"""Test data for the feeds, exports, API and the security tests: built in code, saved, no network."""

import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from positions.models import (
    BatchLetter,
    CofinancingBudget,
    CofinancingPriority,
    Commitment,
    CommitmentStatusChange,
    Fiche,
    FicheSection,
    FicheTemplate,
    Footnote,
    TemplateKind,
    Verdict,
)
from proposals.models import CommissionDocument, CouncilConfiguration, Ministry

MARKER = "zqxgeheim-7f3a9c"  # in every unpublished row; must never reach a public response
SEARCH_WORD = "zqxgeheim"  # the marker's first word: what a reader would search for

_numbers = itertools.count(100)


def reference_data():
    ezk = Ministry.objects.get_or_create(code="ezk", defaults={"abbreviation": "EZK", "name": "Ministerie van Economische Zaken en Klimaat"})[0]
    fin = Ministry.objects.get_or_create(code="fin", defaults={"abbreviation": "FIN", "name": "Ministerie van Financiën"})[0]
    tte = CouncilConfiguration.objects.get_or_create(code="TTE", defaults={"name": "Raad Vervoer, Telecommunicatie en Energie"})[0]
    ecofin = CouncilConfiguration.objects.get_or_create(code="ECOFIN", defaults={"name": "Raad Economische en Financiële Zaken"})[0]
    template = FicheTemplate.objects.get_or_create(
        key="communication-2024", defaults={"kind": TemplateKind.COMMUNICATION, "version": "2024", "name": "Mededeling 2024"}
    )[0]
    return {"ezk": ezk, "fin": fin, "tte": tte, "ecofin": ecofin, "template": template}


def document(*, title="Voorstel", kind=CommissionDocument.Kind.COMMUNICATION, year=2025, number=None, celex=True, **fields):
    number = number or next(_numbers)
    doc = CommissionDocument.objects.create(
        doc_type="COM", year=year, number=number, title=title, kind=kind,
        celex=f"5{year}DC{number:04d}" if celex else "", adopted_on=datetime.date(year, 1, 20),
        received_on=datetime.date(year, 1, 24), **fields,
    )
    return doc


def fiche(*, title="Fiche", status=Fiche.Status.PUBLISHED, documents=(), ministry=None, council=None, text="Tekst van het fiche.",
          commitments=2, budget=True, sent_on=None, **fields):
    ref = reference_data()
    n = next(_numbers)
    defaults = {
        "title": title,
        "proposal_title": f"Volledige titel van {title}",
        "template": ref["template"],
        "lead_ministry": ministry or ref["ezk"],
        "council_configuration": council or ref["tte"],
        "received_on": datetime.date(2025, 1, 24),
        "status": status,
        "competence": Verdict.POSITIVE,
        "competence_sentence": "De grondhouding ten aanzien van de bevoegdheid is positief.",
        "subsidiarity": Verdict.NEUTRAL,
        "proportionality": Verdict.POSITIVE_WITH_REMARKS,
        "kamerstuk": f"22112-{5000 + n}",
        "sent_on": sent_on or datetime.date(2025, 3, 1),
    }
    defaults.update(fields)
    obj = Fiche.objects.create(**defaults)
    obj.documents.set(documents or [document(title=f"Document bij {title}")])
    FicheSection.objects.create(fiche=obj, key="essence", number="2", title="Essentie voorstel", position=1, text=f"{text}\n\nTweede alinea[^1].")
    FicheSection.objects.create(fiche=obj, key="position-assessment", number="3b", title="Beoordeling", position=2, text=text)
    Footnote.objects.create(fiche=obj, number=1, text=f"Voetnoot bij {title}", urls=["https://example.org/stuk"])
    for position in range(1, commitments + 1):
        commitment = Commitment.objects.create(
            fiche=obj, position=position, quote=f"Het kabinet zal {title} volgen.", summary=f"Toezegging {position} uit {title}",
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
        b = CofinancingBudget.objects.create(
            fiche=obj, programme=f"Digital Europe ({title})", programme_code="DIGITAL", ministry=ref["ezk"], amount=Decimal("75000000"),
            eu_rate_min=Decimal(50), eu_rate_max=Decimal(75), quote=f"Budget voor {title}",
        )
        CofinancingPriority.objects.create(budget=b, topic=f"Dataruimte {title}", position=1, amount=Decimal("1000000"))
        CofinancingPriority.objects.create(budget=b, topic=f"Taaltechnologie {title}", position=2)
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
    fiche assesses, with commitments and cofinancing, all carrying MARKER. Also one published fiche
    that revises an unpublished fiche and shares a package with an unpublished document."""
    ref = reference_data()
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
            ministry=ref["fin"], council=ref["ecofin"], competence_sentence=f"Oordeel {MARKER}", **fields,
        )
        Commitment.objects.filter(fiche=secrets[name]).update(summary=f"Toezegging {MARKER} {name}", quote=f"Citaat {MARKER}")
        CofinancingBudget.objects.filter(fiche=secrets[name]).update(programme=f"Programma {MARKER}", programme_code="SECRET")
        CommitmentStatusChange.objects.filter(commitment__fiche=secrets[name]).update(note=f"Wijziging {MARKER}")
    return secrets


def revising_fiche(unpublished):
    """A published fiche that revises an unpublished one: the revised fiche must stay invisible."""
    return fiche(title="Openbaar herzien fiche", is_revision=True, revises=unpublished)
