"""Test data for the public pages, built in code: a small world of published and unpublished fiches."""

import datetime
import itertools

from positions.models import (
    Commitment,
    CommitmentStatusChange,
    Fiche,
    Footnote,
    Verdict,
)
from proposals.models import CommissionDocument, CouncilMeeting, DocumentRelation
from tests import factories

_numbers = itertools.count(1)


def reference():
    return factories.reference_rows()


def document(*, year=2024, number=None, kind=CommissionDocument.Kind.COMMUNICATION, title=None, received_on=None, **fields):
    number = number or 500 + next(_numbers)
    received_on = received_on or datetime.date(year, 1, 24)
    return factories.document(f"COM({year}) {number}", kind=kind, title=title or f"Voorstel COM({year}) {number}",
                              celex=f"5{year}DC{number:04d}", adopted_on=received_on, received_on=received_on, **fields)


def fiche(*, published=True, title=None, year=2024, ministry="ezk", council="tte", template="communication", documents=None,
          sections=None, verdict=Verdict.POSITIVE, sent_on=None, received_on=None, **fields):
    ref = reference()
    n = next(_numbers)
    received_on = received_on or datetime.date(year, 1, 24)
    values = {
        "title": title or f"Fiche nummer {n}",
        "proposal_title": f"Voorstel voor een verordening nummer {n}",
        "template": ref[template],
        "lead_ministry": ref[ministry],
        "council_configuration": ref[council],
        "received_on": received_on,
        "competence": verdict, "competence_sentence": f"De grondhouding ten aanzien van de bevoegdheid is {verdict}.",
        "subsidiarity": verdict, "subsidiarity_sentence": "Subsidiariteit: zin.",
        "proportionality": verdict, "proportionality_sentence": "Proportionaliteit: zin.",
        "status": Fiche.Status.DRAFT,
    }
    if published:
        values.update(status=Fiche.Status.PUBLISHED, kamerstuk=f"22112-{6000 + n}", sent_on=sent_on or received_on + datetime.timedelta(days=30))
    values.update(fields)
    sections = sections or [("essence", "Essentie voorstel", "De Commissie stelt iets voor.")]
    return factories.fiche(
        documents=documents if documents is not None else [document(year=year, received_on=received_on)],
        sections=[(key, str(position + 1), title_, text) for position, (key, title_, text) in enumerate(sections, start=1)],
        **values,
    )


def commitment(fiche_, *, position=None, status=Commitment.Status.OPEN, kind=Commitment.Kind.RAISE, summary=None, **fields):
    position = position or (fiche_.commitments.count() + 1)
    if status in (Commitment.Status.FULFILLED, Commitment.Status.PARTLY_FULFILLED):
        fields.setdefault("evidence_reference", "Kamerstuk 22 112, nr. 3942")
    return factories.commitment(fiche_, position=position, status=status, kind=kind,
                                summary=summary or f"Toezegging {position} van {fiche_.title}", **fields)


def world(size):
    """``size`` published fiches with sections, footnotes, commitments and relations, plus drafts."""
    fiches = []
    for i in range(size):
        f = fiche(year=2023 + i % 2, ministry=("ezk", "fin")[i % 2], council=("tte", "ecofin")[i % 2],
                  sections=[("essence", "Essentie voorstel", f"Tekst {i} over digitale markten.[^1]"),
                            ("position-assessment", "Beoordeling", "Het kabinet steunt dit.[^2]")])
        Footnote.objects.create(fiche=f, number=1, text="Kamerstuk 26 643, nr. 941")
        Footnote.objects.create(fiche=f, number=2, text="COM(2023) 1")
        c = commitment(f, due_date=datetime.date(2024, 6, 1))
        CommitmentStatusChange.objects.create(commitment=c, from_status="open", to_status="open", note="Herinnering verstuurd")
        commitment(f, status=Commitment.Status.FULFILLED, evidence_date=datetime.date(2024, 6, 10), due_date=datetime.date(2024, 6, 1))
        if fiches:
            DocumentRelation.objects.create(source=f.documents.first(), target=fiches[-1].documents.first(), kind=DocumentRelation.Kind.SAME_PACKAGE)
        fiches.append(f)
    for year in (2023, 2024):
        CouncilMeeting.objects.get_or_create(configuration=reference()["tte"], date=datetime.date(year, 2, 10))
    fiche(published=False, title="Geheim concept over digitale markten")
    return fiches
