"""Turn a parse result into a draft fiche: the one multi-model write of the importer.

The importer only ever writes drafts. A re-import updates the same draft in place (found by its
Kamerstuk number, else by its set of Commission documents); a fiche past the draft stage is never
overwritten: the import is refused, or, when asked, a revision draft is made next to it.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q

from positions.models import BatchLetter, CofinancingBudget, Commitment, Fiche, FicheSection, FicheTemplate, Footnote
from proposals import references
from proposals.models import CommissionDocument, CouncilConfiguration, Ministry


class ImportRefused(Exception):
    """The import would touch a fiche that is no longer a draft, or lacks reference data."""


@dataclass
class ImportOutcome:
    fiche: Fiche
    created: bool
    messages: list = field(default_factory=list)


DOCUMENT_KINDS = [
    ("voorstel voor een verordening", CommissionDocument.Kind.REGULATION), ("proposal for a regulation", CommissionDocument.Kind.REGULATION),
    ("voorstel voor een richtlijn", CommissionDocument.Kind.DIRECTIVE), ("proposal for a directive", CommissionDocument.Kind.DIRECTIVE),
    ("voorstel voor een besluit", CommissionDocument.Kind.DECISION), ("besluit", CommissionDocument.Kind.DECISION),
    ("aanbeveling", CommissionDocument.Kind.RECOMMENDATION), ("mededeling", CommissionDocument.Kind.COMMUNICATION),
    ("communication", CommissionDocument.Kind.COMMUNICATION), ("verslag", CommissionDocument.Kind.REPORT),
    ("verordening", CommissionDocument.Kind.REGULATION), ("richtlijn", CommissionDocument.Kind.DIRECTIVE),
]


def _document_kind(title):
    lowered = (title or "").lower()
    return next((kind for phrase, kind in DOCUMENT_KINDS if lowered.startswith(phrase) or phrase in lowered[:80]), CommissionDocument.Kind.OTHER)


def _full_date(value):
    return datetime.date.fromisoformat(value) if value and len(value) == 10 else None


def find_existing(result):
    """The fiche this parse result is about, if it is already in the database."""
    data = result.data
    if data["kamerstuk"]:
        fiche = Fiche.objects.filter(kamerstuk=data["kamerstuk"]).first()
        if fiche:
            return fiche
    refs = []
    for document in data["documents"]:
        try:
            refs.append(references.parse_reference(document["reference"]))
        except ValidationError:
            continue
    if not refs:
        return None
    matching = Q()
    for ref in refs:
        matching |= Q(documents__doc_type=ref.doc_type, documents__year=ref.year, documents__number=ref.number)
    candidates = (
        Fiche.objects.annotate(total=Count("documents", distinct=True), hits=Count("documents", filter=matching, distinct=True))
        .filter(total=len(refs), hits=len(refs))
        .order_by("-pk")
    )
    if data["revision"]:
        # A revised fiche is a new fiche for the same documents: only an earlier import of it is "the same".
        return candidates.filter(status=Fiche.Status.DRAFT, is_revision=True).first()
    return candidates.filter(status=Fiche.Status.DRAFT).first() or candidates.first()


@transaction.atomic
def import_fiche(*, result, user=None, make_revision=False, accept_commitments=None, accept_amounts=None):
    """Create or update the draft fiche described by ``result`` (a ParseResult).

    ``accept_commitments`` / ``accept_amounts``: indexes into the result's suggestions to store
    (all when None). Raises ImportRefused, and writes nothing, when the fiche exists and is no
    longer a draft (unless ``make_revision``), or when no fiche template of the right kind exists.
    """
    data = result.data
    messages = []
    existing = find_existing(result)
    revises = None
    if existing is not None and existing.status != Fiche.Status.DRAFT:
        open_revision = existing.revised_by.filter(status=Fiche.Status.DRAFT).order_by("-pk").first()
        if open_revision is not None:
            existing = open_revision
            messages.append(f"Het herziene concept '{existing}' is bijgewerkt; het {existing.revises.get_status_display()} fiche blijft ongewijzigd.")
        elif make_revision:
            revises, existing = existing, None
        else:
            raise ImportRefused(
                f"Het fiche '{existing}' ({existing.kamerstuk or 'zonder Kamerstuknummer'}) heeft de status "
                f"'{existing.get_status_display()}' en wordt niet overschreven. Kies 'herzien concept maken' "
                "(--revision) om er een nieuw concept naast te zetten."
            )
    if data["revision"] and revises is None and existing is None:
        revises = _fiche_revised_by(data)

    template = FicheTemplate.objects.filter(kind=data["template"]).order_by("-version", "-pk").first()
    if template is None:
        raise ImportRefused(f"Er is geen fichesjabloon van de soort '{data['template']}'; laad eerst de referentiegegevens (manage.py load_fixtures).")

    created = existing is None
    fiche = existing or Fiche(status=Fiche.Status.DRAFT)
    received = data["received_on"]
    fiche.title = (data["heading"] or (data["documents"][0]["title"] if data["documents"] else "") or "Geïmporteerd fiche")[:400]
    fiche.proposal_title = "\n\n".join(dict.fromkeys(d["title"] for d in data["documents"] if d["title"])) or fiche.proposal_title
    fiche.template = template
    fiche.is_revision = bool(data["revision"] or revises or fiche.is_revision)
    if revises is not None:
        fiche.revises = revises
    if data["kamerstuk"] and not (revises is not None and revises.kamerstuk == data["kamerstuk"]):
        fiche.kamerstuk = data["kamerstuk"]
    if data["batch_position"]:
        fiche.batch_position = data["batch_position"]
    fiche.batch_letter = _batch_letter(result, messages) or fiche.batch_letter
    if received:
        fiche.received_on = datetime.date.fromisoformat(received if len(received) == 10 else f"{received}-01")
        fiche.received_month_only = len(received) == 7
    fiche.impact_assessment = data["impact_assessment"] or ""
    council = data["council_configuration"] or {}
    fiche.council_configuration = _council(council, messages)
    fiche.council_configuration_raw = (council.get("raw") or "")[:300]
    lead = data["lead_ministry"] or {}
    fiche.lead_ministry = _ministry(lead, fiche.received_on, messages)
    fiche.lead_ministry_raw = (lead.get("raw") or "")[:500]
    fiche.legal_basis = data["legal_basis"] or ""
    fiche.council_voting_rule = (data["council_procedure"] or "")[:200]
    fiche.parliament_role = (data["parliament_role"] or "")[:200]
    for topic in ("competence", "subsidiarity", "proportionality"):
        setattr(fiche, topic, data["verdicts"][topic] or "")
        setattr(fiche, f"{topic}_sentence", result.verdict_sentences.get(topic, ""))
    fiche.updated_by = user
    fiche.full_clean(exclude=["template", "revises", "batch_letter", "council_configuration", "lead_ministry"])
    fiche.save()

    fiche.documents.set(_documents(data, fiche.received_on if not fiche.received_month_only else None, messages))
    co = [m for entry in data["co_ministries"] if (m := _ministry(entry, fiche.received_on, messages)) and m != fiche.lead_ministry]
    fiche.co_ministries.set(co)
    _sections(fiche, result.marked_sections)
    _footnotes(fiche, data["footnotes"])
    _commitments(fiche, data["commitments"], accept_commitments)
    _budgets(fiche, data["amounts"], accept_amounts, messages)
    messages.insert(0, f"{'Nieuw concept' if created else 'Concept bijgewerkt'}: {fiche} ({len(result.marked_sections)} onderdelen, "
                       f"{len(data['footnotes'])} voetnoten, {fiche.documents.count()} documenten).")
    return ImportOutcome(fiche, created, messages)


def _fiche_revised_by(data):
    refs = [d["reference"] for d in data["documents"]]
    for reference in refs:
        try:
            documents = CommissionDocument.objects.by_reference(reference)
        except ValidationError:
            continue
        earlier = Fiche.objects.filter(documents__in=documents).exclude(status=Fiche.Status.DRAFT).order_by("-received_on", "-pk").first()
        if earlier:
            return earlier
    return None


def _batch_letter(result, messages):
    kamerstuk = result.data["batch_letter"]
    if not kamerstuk:
        return None
    letter = BatchLetter.objects.filter(kamerstuk=kamerstuk).first()
    if letter is None and result.batch_letter_date:
        letter = BatchLetter.objects.create(kamerstuk=kamerstuk, date=datetime.date.fromisoformat(result.batch_letter_date))
        messages.append(f"Verzamelbrief {letter} aangemaakt.")
    elif letter is None:
        messages.append(f"Verzamelbrief {kamerstuk} bestaat nog niet en de datum staat niet in de tekst; koppel hem later.")
    return letter


def _council(council, messages):
    if not council:
        return None
    configuration = None
    if council.get("code"):
        configuration = CouncilConfiguration.objects.filter(code=council["code"]).first()
    if configuration is None and council.get("raw"):
        configuration = CouncilConfiguration.objects.by_name(council["raw"]).first()
    if configuration is None:
        messages.append(f"Raadsformatie '{council.get('raw')}' niet gevonden in de referentiegegevens.")
    return configuration


def _ministry(entry, on, messages):
    if not entry or not (entry.get("abbreviation") or entry.get("raw")):
        return None
    raw = (entry.get("raw") or "").strip()
    candidates = list(Ministry.objects.by_name(raw)) if raw else []
    if not candidates and raw.lower().startswith("ministerie van "):
        candidates = list(Ministry.objects.by_name(raw[len("ministerie van "):]))
    if not candidates and entry.get("abbreviation"):
        candidates = list(Ministry.objects.by_name(entry["abbreviation"]))
    if len(candidates) > 1:
        # One abbreviation over the years (EZ 2012-2017 and EZ since 2024): the one that existed then.
        when = on or datetime.date.today()
        valid = [m for m in candidates if (m.valid_from is None or m.valid_from <= when) and (m.valid_until is None or m.valid_until > when)]
        candidates = valid or [m for m in candidates if m.valid_until is None] or candidates
    if not candidates:
        messages.append(f"Ministerie '{raw or entry.get('abbreviation')}' niet gevonden in de referentiegegevens.")
        return None
    return candidates[0]


def _documents(data, received_on, messages):
    documents = []
    for entry in data["documents"]:
        ref = references.parse_reference(entry["reference"])
        document = CommissionDocument.objects.filter(doc_type=ref.doc_type, year=ref.year, number=ref.number).first()
        celex = entry["celex"] or ""
        if celex and CommissionDocument.objects.filter(celex=celex).exclude(doc_type=ref.doc_type, year=ref.year, number=ref.number).exists():
            messages.append(f"CELEX-nummer {celex} hoort al bij een ander document; niet overgenomen voor {ref}.")
            celex = ""
        if document is None:
            document = CommissionDocument(doc_type=ref.doc_type, year=ref.year, number=ref.number, title=entry["title"] or str(ref),
                                          kind=_document_kind(entry["title"]), celex=celex, received_on=received_on)
            document.full_clean()
            document.save()
            messages.append(f"Commissiedocument {ref} aangemaakt.")
        else:
            changed = False
            for name, value in (("celex", celex), ("title", entry["title"]), ("received_on", received_on)):
                if value and not getattr(document, name):
                    setattr(document, name, value)
                    changed = True
            if changed:
                document.full_clean()
                document.save()
        documents.append(document)
    return documents


def _sections(fiche, sections):
    existing = {section.key: section for section in fiche.sections.all()}
    for position, entry in enumerate(sections, start=1):
        section = existing.pop(entry["key"], None) or FicheSection(fiche=fiche, key=entry["key"])
        section.number, section.title, section.position, section.text = entry["number"][:10], entry["title"][:300], position, entry["text"]
        section.save()
    for section in existing.values():
        section.delete()


def _footnotes(fiche, notes):
    existing = {note.number: note for note in fiche.footnotes.all()}
    for entry in notes:
        note = existing.pop(entry["number"], None) or Footnote(fiche=fiche, number=entry["number"])
        note.text, note.urls = entry["text"], entry["urls"]
        note.save()
    for note in existing.values():
        note.delete()


def _selected(items, accepted):
    return [item for index, item in enumerate(items) if accepted is None or index in accepted]


def _commitments(fiche, candidates, accepted):
    """Add accepted suggestions; a suggestion already stored (same sentence) is kept as the editor left it."""
    stored = {}
    for commitment in fiche.commitments.all():
        stored.setdefault(commitment.quote, []).append(commitment)
    next_position = (fiche.commitments.aggregate(top=Max("position"))["top"] or 0) + 1
    seen = {}
    for candidate in _selected(candidates, accepted):
        seen[candidate["text"]] = seen.get(candidate["text"], 0) + 1
        if len(stored.get(candidate["text"], [])) >= seen[candidate["text"]]:
            continue
        summary = candidate["text"] if len(candidate["text"]) <= 300 else candidate["text"][:297] + "..."
        Commitment.objects.create(fiche=fiche, position=next_position, quote=candidate["text"], summary=summary,
                                  kind=candidate["kind"], section_key=candidate["section_key"][:60])
        next_position += 1


def _budgets(fiche, amounts, accepted, messages):
    import re

    for amount in _selected(amounts, accepted):
        if not re.search(r"cofinanc", amount["text"], re.IGNORECASE):
            continue
        ministry = fiche.lead_ministry
        if ministry is None:
            messages.append(f"Cofinancieringsbudget EUR {amount['eur']} niet aangemaakt: het fiche heeft geen eerstverantwoordelijk ministerie.")
            continue
        code = _programme_code(fiche, amount["text"])
        budget, _created = CofinancingBudget.objects.get_or_create(
            fiche=fiche, programme_code=code,
            defaults={"programme": code, "ministry": ministry, "amount": Decimal(amount["eur"]), "quote": amount["text"]},
        )
        if not _created:
            budget.amount, budget.quote = Decimal(amount["eur"]), amount["text"]
            budget.save()


def _programme_code(fiche, sentence):
    """The programme a cofinancing sentence is about: the acronym in brackets somewhere in the fiche,
    such as "(DIGITAL)", that the sentence's paragraph names most often."""
    import re

    text = "\n\n".join(fiche.sections.values_list("text", flat=True))
    paragraph = next((p for p in text.split("\n\n") if sentence[:60] in p), sentence)
    acronyms = dict.fromkeys(re.findall(r"\(([A-Z][A-Z0-9-]{2,15})\)", text))
    counts = [(len(re.findall(rf"(?<![\w-]){re.escape(a)}(?![\w-])", paragraph)), -index, a) for index, a in enumerate(acronyms)]
    best = max(counts, default=(0, 0, ""))
    return best[2] if best[0] else "COFINANCIERING"
