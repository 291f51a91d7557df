"""Small builders for test data: each returns saved rows with sensible defaults."""

import datetime
import itertools

from positions.models import Fiche, FicheTemplate, TemplateKind
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
    n = next(_counter)
    doc = CommissionDocument(title=fields.pop("title", f"Voorstel {n}"), **fields)
    doc.set_reference(reference or f"COM(2030) {n}")
    doc.save()
    return doc


def fiche(*, status=Fiche.Status.PUBLISHED, title=None, documents=None, **fields):
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
    return obj
