"""The test data builders: each returns saved rows with sensible defaults; keyword arguments override them.

One builder per model. Scenario modules (``tests/public/outputs_builders.py``, ``tests/public/pages_data.py``,
``tests/followup/builders.py``) compose these into the worlds their tests need.
"""

import datetime
import itertools

from positions.models import (
    CofinancingBudget,
    CofinancingPriority,
    Commitment,
    Fiche,
    FicheSection,
    FicheTemplate,
    Footnote,
    TemplateKind,
)
from proposals.models import CommissionDocument, CouncilConfiguration, Ministry

_counter = itertools.count(1)


def ministry(code="ezk", abbreviation="EZK", name="Ministerie van Economische Zaken en Klimaat"):
    return Ministry.objects.get_or_create(code=code, defaults={"abbreviation": abbreviation, "name": name})[0]


def council(code="TTE", name="Raad Vervoer, Telecommunicatie en Energie"):
    return CouncilConfiguration.objects.get_or_create(code=code, defaults={"name": name})[0]


def template(key="communication-test", kind=TemplateKind.COMMUNICATION, name=None):
    return FicheTemplate.objects.get_or_create(key=key, defaults={"kind": kind, "version": "2024", "name": name or key})[0]


def reference_rows():
    """The reference rows most tests need (two ministries, two Council configurations, both templates)."""
    return {
        "ezk": ministry(),
        "fin": ministry("fin", "FIN", "Ministerie van Financiën"),
        "tte": council(),
        "ecofin": council("ECOFIN", "Raad Economische en Financiële Zaken"),
        "communication": template("communication-2024", TemplateKind.COMMUNICATION, name="Mededeling 2024"),
        "legislative": template("legislative-2024", TemplateKind.LEGISLATIVE, name="Wetgeving 2024"),
    }


def document(reference=None, **fields):
    """A Commission document; ``reference`` such as "COM(2024) 28" (default: a fresh COM(2030) number)."""
    n = next(_counter)
    doc = CommissionDocument(title=fields.pop("title", f"Voorstel {n}"), **fields)
    doc.set_reference(reference or f"COM(2030) {n}")
    doc.save()
    return doc


def fiche(*, status=Fiche.Status.PUBLISHED, title=None, documents=None, sections=(), footnotes=(), **fields):
    """A fiche (published by default, with a Kamerstuk number and send date) on one new document.

    ``sections``: (key, number, title, text) per section, in order; ``footnotes``: (number, text) or
    (number, text, urls). Any other keyword is a Fiche field.
    """
    n = next(_counter)
    defaults = {
        "title": title or f"Fiche over voorstel {n}",
        "template": template(),
        "lead_ministry": ministry(),
        "council_configuration": council(),
        "received_on": datetime.date(2024, 1, 24),
        "status": status,
    }
    if status == Fiche.Status.PUBLISHED:
        defaults.update(kamerstuk=f"22112-{5000 + n}", sent_on=datetime.date(2024, 3, 1))
    defaults.update(fields)
    obj = Fiche.objects.create(**defaults)
    obj.documents.set(documents if documents is not None else [document()])
    for position, (key, number, section_title, text) in enumerate(sections, start=1):
        FicheSection.objects.create(fiche=obj, key=key, number=number, title=section_title, position=position, text=text)
    for number, text, *urls in footnotes:
        Footnote.objects.create(fiche=obj, number=number, text=text, **({"urls": urls[0]} if urls else {}))
    return obj


def commitment(fiche, *, position=None, **fields):
    """A commitment of ``fiche`` (the next free position unless given)."""
    if position is None:
        position = (fiche.commitments.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    defaults = {"quote": "Het kabinet zal hier aandacht voor vragen.", "summary": f"Toezegging {position}", "kind": Commitment.Kind.RAISE}
    defaults.update(fields)
    return Commitment.objects.create(fiche=fiche, position=position, **defaults)


def budget(fiche, *, ministry=None, amount="75000000.00", code="DIGITAL", programme="Digital Europe (DIGITAL)", priorities=(), **fields):
    """A cofinancing budget of ``fiche`` with ``priorities`` as (topic, amount or None) in order."""
    defaults = {"eu_rate_min": "50.00", "eu_rate_max": "75.00"}
    defaults.update(fields)
    row = CofinancingBudget.objects.create(
        fiche=fiche, programme=programme, programme_code=code, ministry=ministry or fiche.lead_ministry, amount=amount, **defaults
    )
    for position, (topic, value) in enumerate(priorities, start=1):
        CofinancingPriority.objects.create(budget=row, topic=topic, amount=value, position=position)
    return row
