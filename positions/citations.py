"""Kamerstuk and Commission references cited in a fiche's text and footnotes, and where they link to.

A citation links to our own page when we hold that fiche or document publicly, otherwise to the
official publication: officielebekendmakingen.nl for a Kamerstuk, EUR-Lex for a Commission reference.
Which of the cited ones are public is looked up once per page (``resolve``), from ``published()`` only, so
an unpublished fiche or document is never linked to or named: it is cited as any other outside paper. The
public fiche page and the admin preview of a fiche resolve them the same way (``positions.fiche_page``).
"""

import re
from dataclasses import dataclass, field

from django.db.models import Q

from proposals import identifiers
from proposals.models import CommissionDocument

from .models import Fiche

# "Kamerstuk 22 112, nr. 3908", "Kamerstukken II 2021/22, 22 112, nr. 3212", "Kamerstuk 21 501-33, nr. 12".
KAMERSTUK_CITATION = (
    r"Kamerstuk(?:ken)?(?:\s+(?:I{1,2}|1|2))?(?:\s+[0-9]{4}\s*[/–-]\s*[0-9]{2,4})?\s*,?\s*"
    r"(?P<dossier>[0-9]{2}\s?[0-9]{3}(?:-[A-Za-z0-9]{1,3})?)\s*,?\s*nr\.?\s*(?P<number>[0-9]{1,5})"
)
# "COM(2024) 28", "COM (2024) 28 final", "JOIN(2023) 8", "SWD(2022) 385", "COM/2024/28".
REFERENCE_CITATION = r"(?P<type>COM|JOIN|SWD|SEC)\s*(?:\(\s*(?P<year1>[0-9]{4})\s*\)|/(?P<year2>[0-9]{4})/)\s*(?P<refnumber>[0-9]{1,5})(?![0-9])"
CITATION = re.compile(rf"(?P<kamerstuk>{KAMERSTUK_CITATION})|(?P<reference>{REFERENCE_CITATION})")


@dataclass(frozen=True)
class Citation:
    kind: str  # "kamerstuk" or "reference"
    key: object  # the stored Kamerstuk number ("22112-3908") or an identifiers.Reference


def read_citation(match):
    """The Citation of a ``CITATION`` match, or None when the numbers do not make a valid one."""
    if match["kamerstuk"]:
        dossier = match["dossier"].replace(" ", "")
        head, dash, suffix = dossier.partition("-")
        return Citation("kamerstuk", f"{head}{dash}{suffix.upper()}-{int(match['number'])}")
    year = int(match["year1"] or match["year2"])
    number = int(match["refnumber"])
    if year not in identifiers.YEARS or number < 1:
        return None
    return Citation("reference", identifiers.Reference(match["type"].upper(), year, number))


def cited_in(texts):
    """Every Citation in ``texts``."""
    found = set()
    for text in texts:
        for match in CITATION.finditer(text or ""):
            if (citation := read_citation(match)) is not None:
                found.add(citation)
    return found


def kamerstuk_url(kamerstuk):
    """The official publication of a Kamerstuk: ``22112-3908`` -> https://zoek.officielebekendmakingen.nl/kst-22112-3908.html."""
    return f"https://zoek.officielebekendmakingen.nl/kst-{kamerstuk}.html"


def reference_url(reference, language="NL"):
    """EUR-Lex's page for a Commission reference (``uri=COM:2024:0028:FIN``): it needs no CELEX descriptor."""
    return f"https://eur-lex.europa.eu/legal-content/{language}/TXT/?uri={reference.doc_type}:{reference.year}:{reference.number:04d}:FIN"


@dataclass
class Links:
    """Where each citation links: our page for a public fiche or document (``ours``), else the official one."""

    ours: dict = field(default_factory=dict)

    def url(self, citation):
        """(url, is_ours) for ``citation``."""
        if citation in self.ours:
            return self.ours[citation], True
        if citation.kind == "kamerstuk":
            return kamerstuk_url(citation.key), False
        return reference_url(citation.key), False


def fiche_urls(kamerstukken):
    """{Kamerstuk number: page URL} of those of ``kamerstukken`` that are published fiches (one query)."""
    return {kamerstuk: Fiche(kamerstuk=kamerstuk).get_absolute_url()
            for kamerstuk in Fiche.objects.published().filter(kamerstuk__in=kamerstukken).values_list("kamerstuk", flat=True)}


def document_urls(references):
    """{Reference: page URL} of those of ``references`` (identifiers.Reference) that are public documents (one query)."""
    wanted = Q()
    for ref in references:
        wanted |= Q(doc_type=ref.doc_type, year=ref.year, number=ref.number)
    if not wanted:
        return {}
    public = CommissionDocument.objects.published().filter(wanted).only("doc_type", "year", "number")
    return {doc.reference_parts: doc.get_absolute_url() for doc in public}


def resolve(texts):
    """The Links of the citations in ``texts``: at most two queries, none when nothing is cited."""
    cited = cited_in(texts)
    links = Links()
    kamerstukken = {c.key for c in cited if c.kind == "kamerstuk"}
    refs = {c.key for c in cited if c.kind == "reference"}
    if kamerstukken:
        for kamerstuk, url in fiche_urls(kamerstukken).items():
            links.ours[Citation("kamerstuk", kamerstuk)] = url
    if refs:
        for ref, url in document_urls(refs).items():
            links.ours[Citation("reference", ref)] = url
    return links
