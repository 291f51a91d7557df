"""Turn a parse result into a draft fiche: the one multi-model write of the importer.

The importer only ever writes drafts. ``plan_import`` decides, without writing, what an import would
do; ``--dry-run``, the admin preview and ``import_fiche`` itself all go by it:

- The fiche a text is about is looked for among the fiches the user may see: by Kamerstuk number, else
  by its set of Commission documents. It is updated in place only when both agree: the same documents,
  and no other Kamerstuk number. A text whose number belongs to a fiche about other documents, or whose
  documents belong to a fiche with another number, collides with that fiche: the import is refused and
  names it (or, when the user may not see it, names nothing of it).
- A fiche past the draft stage is never overwritten: the import is refused, or, when asked, a revision
  draft is made next to it.
- Ministry at the door: a user who does not edit every fiche imports only fiches led by one of their own
  ministries; when the text names none (or no single one), they choose one of theirs.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils.translation import gettext as _

from positions import permissions
from positions.models import BatchLetter, CofinancingBudget, Commitment, Fiche, FicheSection, FicheTemplate, Footnote
from proposals import references
from proposals.models import CommissionDocument, CouncilConfiguration, Ministry


class ImportRefused(Exception):
    """The import would touch a fiche it may not (past the draft stage, another fiche, another ministry's),
    or lacks reference data."""


@dataclass
class ImportOutcome:
    fiche: Fiche
    created: bool
    messages: list = field(default_factory=list)


@dataclass
class ImportPlan:
    """What an import would do, decided without writing anything.

    ``fiche``: the draft it would update (None: it would make a new one); ``revises``: the fiche a new
    revision draft would be made next to; ``changes``: labels of what would change in ``fiche``;
    ``refusal``: why it would be refused (empty: it may go ahead); ``locked``: a fiche the user may see that
    is past the draft stage (a revision draft can be made next to it); ``lead_ministry``: the lead ministry
    it would get; ``choose_ministry``: the text names no single known lead ministry, so the user picks one.
    """

    fiche: Fiche | None = None
    revises: Fiche | None = None
    template: FicheTemplate | None = None
    changes: list = field(default_factory=list)
    refusal: str = ""
    locked: Fiche | None = None
    lead_ministry: Ministry | None = None
    choose_ministry: bool = False
    notes: list = field(default_factory=list)

    def refuse(self, reason):
        self.refusal = self.refusal or reason
        return self

    @property
    def summary(self):
        """One Dutch sentence: what confirming would do (the same in the preview and ``--dry-run``)."""
        if self.refusal:
            return _("Zou weigeren: %(reason)s") % {"reason": self.refusal}
        if self.fiche is None and self.revises is not None:
            return _("Zou een herzien concept aanmaken naast fiche '%(fiche)s' (%(kamerstuk)s).") % {
                "fiche": self.revises, "kamerstuk": self.revises.kamerstuk_display or _("zonder Kamerstuknummer")}
        if self.fiche is None:
            return _("Zou een nieuw concept aanmaken.")
        values = {"fiche": self.fiche, "kamerstuk": self.fiche.kamerstuk_display or _("zonder Kamerstuknummer"),
                  "fields": ", ".join(self.changes)}
        if not self.changes:
            return _("Zou fiche '%(fiche)s' (%(kamerstuk)s) bijwerken; er verandert niets.") % values
        return _("Zou fiche '%(fiche)s' (%(kamerstuk)s) bijwerken (velden: %(fields)s).") % values


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


def _refs(data):
    """The (doc_type, year, number) of every Commission document the text names."""
    refs = set()
    for document in data["documents"]:
        try:
            ref = references.parse_reference(document["reference"])
        except ValidationError:
            continue
        refs.add((ref.doc_type, ref.year, ref.number))
    return refs


def _with_documents(fiches, refs):
    """The fiches among ``fiches`` whose Commission documents are exactly ``refs``."""
    if not refs:
        return fiches.none()
    matching = Q()
    for doc_type, year, number in refs:
        matching |= Q(documents__doc_type=doc_type, documents__year=year, documents__number=number)
    return fiches.annotate(total=Count("documents", distinct=True), hits=Count("documents", filter=matching, distinct=True)).filter(
        total=len(refs), hits=len(refs)
    )


def _document_refs(fiche):
    return set(fiche.documents.values_list("doc_type", "year", "number"))


def _visible(user):
    return Fiche.objects.all() if user is None else permissions.visible_fiches(user)


def find_existing(result, user=None):
    """The fiche this parse result is about, among the fiches ``user`` may see (every fiche without a user):
    the one with its Kamerstuk number, else one with exactly its Commission documents (a draft first)."""
    data = result.data
    fiches = _visible(user)
    if data["kamerstuk"]:
        fiche = fiches.filter(kamerstuk=data["kamerstuk"]).first()
        if fiche:
            return fiche
    candidates = _with_documents(fiches, _refs(data)).order_by("-pk")
    if data["revision"]:
        # A revised fiche is a new fiche for the same documents: only an earlier import of it is "the same".
        return candidates.filter(status=Fiche.Status.DRAFT, is_revision=True).first()
    return candidates.filter(status=Fiche.Status.DRAFT).first() or candidates.first()


def _received(data):
    received = data["received_on"]
    if not received:
        return None
    return datetime.date.fromisoformat(received if len(received) == 10 else f"{received}-01")


def _references_text(refs):
    return ", ".join(str(references.Reference(*ref)) for ref in sorted(refs)) or _("geen")


def _collision(fiche, user, reason):
    """The refusal for a text that collides with ``fiche``: named when the user may see it, else nothing of it."""
    if user is not None and not permissions.can_view_fiche(user, fiche):
        return _("Dit fiche botst met een fiche dat u niet kunt inzien (hetzelfde Kamerstuknummer of dezelfde Commissiedocumenten). "
                 "Er is niets opgeslagen; neem contact op met de coördinator.")
    return reason


def _disagreement(fiche, refs, kamerstuk):
    """Why the text is not about ``fiche`` though it was matched to it (other documents, another number); empty when it is."""
    theirs = _document_refs(fiche)
    if theirs != refs:
        return _("Het Kamerstuknummer %(kamerstuk)s in de tekst hoort bij fiche '%(fiche)s', dat over andere Commissiedocumenten gaat "
                 "(%(theirs)s) dan deze tekst (%(ours)s). Er is niets opgeslagen: controleer het Kamerstuknummer in de tekst.") % {
            "kamerstuk": kamerstuk, "fiche": fiche, "theirs": _references_text(theirs), "ours": _references_text(refs)}
    if kamerstuk and fiche.kamerstuk and fiche.kamerstuk != kamerstuk:
        return _("De Commissiedocumenten van de tekst horen bij fiche '%(fiche)s' met Kamerstuknummer %(theirs)s, maar de tekst noemt "
                 "%(ours)s. Er is niets opgeslagen: controleer het Kamerstuknummer in de tekst.") % {
            "fiche": fiche, "theirs": fiche.kamerstuk, "ours": kamerstuk}
    return ""


def imports_for_any_ministry(user):
    """Who may import a fiche of any ministry: the command line, and whoever sees and changes every fiche (a
    coordinator). Anyone else would make a draft they (and their ministry) could not see or change."""
    return user is None or (permissions.sees_all_fiches(user) and permissions.edits_all_fiches(user))


def _lead_ministry(plan, data, user, ministry, corrected=False):
    """Settle the lead ministry: the one the text names, else the one chosen; at the door, the user's own.
    ``corrected``: the editor corrected the text's ministry in the preview (on the command line a ``--ministry``
    that differs from the text is refused instead: there it is more likely a slip than a correction)."""
    entry = data["lead_ministry"] or {}
    candidates = _ministry_candidates(entry, _received(data))
    named = candidates[0] if len(candidates) == 1 else None
    if named is not None and ministry is not None and ministry != named:
        if not corrected:
            return plan.refuse(_("De tekst noemt %(named)s als eerstverantwoordelijk ministerie, niet %(chosen)s.")
                               % {"named": named.abbreviation, "chosen": ministry.abbreviation})
        plan.notes.append(_("Eerstverantwoordelijk ministerie gecorrigeerd: de tekst noemt %(named)s, gekozen is %(chosen)s.")
                          % {"named": named.abbreviation, "chosen": ministry.abbreviation})
        named = ministry
    plan.choose_ministry = named is None
    plan.lead_ministry = named or ministry
    if imports_for_any_ministry(user):
        return plan
    own = permissions.user_ministry_ids(user)
    if plan.lead_ministry is None:
        return plan.refuse(_("De tekst noemt geen eerstverantwoordelijk ministerie dat het programma kent; kies hieronder een van uw "
                             "eigen ministeries."))
    if plan.lead_ministry.pk not in own:
        names = ", ".join(Ministry.objects.filter(pk__in=own).values_list("abbreviation", flat=True)) or _("geen")
        return plan.refuse(_("Dit fiche is van %(ministry)s (eerstverantwoordelijk ministerie). U kunt alleen fiches van uw eigen "
                             "ministerie(s) importeren (%(own)s); vraag een collega van %(ministry)s of de coördinator.")
                           % {"ministry": plan.lead_ministry.abbreviation, "own": names})
    return plan


def door_refusal(*, result, user):
    """Why ``user`` may not import this text at all (its lead ministry is not theirs); empty when they may.
    A text without a single known lead ministry passes: the user chooses one in the preview."""
    plan = _lead_ministry(ImportPlan(), result.data, user, None)
    return "" if plan.choose_ministry else plan.refusal


def newest_template(kind):
    """The newest fiche template of ``kind`` (legislative or communication): the one an imported fiche gets."""
    return FicheTemplate.objects.filter(kind=kind).order_by("-version", "-pk").first()


def plan_import(*, result, user=None, ministry=None, make_revision=False, correct_ministry=False):
    """Decide what importing ``result`` would do, on behalf of ``user`` (None: the command line, all fiches),
    with ``ministry`` as lead ministry where the text names none. Writes nothing; returns an ImportPlan."""
    data = result.data
    plan = ImportPlan()
    plan.template = newest_template(data["template"])
    if plan.template is None:
        return plan.refuse(_("Er is geen fichesjabloon van de soort '%(kind)s'; laad eerst de referentiegegevens (manage.py "
                             "load_fixtures).") % {"kind": data["template"]})
    _lead_ministry(plan, data, user, ministry, corrected=correct_ministry)
    if plan.refusal:
        return plan
    refs = _refs(data)
    kamerstuk = data["kamerstuk"] or ""
    existing = find_existing(result, user)
    # The fiche the text was matched to is the one it is about only when the Kamerstuk number and the documents agree.
    if existing is not None:
        disagreement = _disagreement(existing, refs, kamerstuk)
        if disagreement:
            return plan.refuse(_collision(existing, user, disagreement))
    revises = None
    if existing is not None and existing.status != Fiche.Status.DRAFT:
        open_revision = existing.revised_by.filter(status=Fiche.Status.DRAFT).order_by("-pk").first()
        if open_revision is not None:
            if user is not None and not permissions.can_view_fiche(user, open_revision):
                return plan.refuse(_collision(open_revision, user, ""))
            plan.notes.append(_("Het herziene concept '%(fiche)s' is bijgewerkt; het fiche met de status '%(status)s' blijft "
                                "ongewijzigd.") % {"fiche": open_revision, "status": existing.get_status_display()})
            existing = open_revision
        elif make_revision:
            revises, existing = existing, None
        else:
            plan.locked = existing
            return plan.refuse(_("Het fiche '%(fiche)s' (%(kamerstuk)s) heeft de status '%(status)s' en wordt niet overschreven. Kies "
                                 "'herzien concept maken' (--revision) om er een nieuw concept naast te zetten.")
                               % {"fiche": existing, "kamerstuk": existing.kamerstuk or _("zonder Kamerstuknummer"),
                                  "status": existing.get_status_display()})
    if data["revision"] and revises is None and existing is None:
        revises = _fiche_revised_by(data, _visible(user))
    if kamerstuk and not (revises is not None and revises.kamerstuk == kamerstuk):
        owner = Fiche.objects.filter(kamerstuk=kamerstuk).exclude(pk=existing.pk if existing else None).first()
        if owner is not None:
            return plan.refuse(_collision(owner, user, _(
                "Het Kamerstuknummer %(kamerstuk)s in de tekst hoort al bij fiche '%(fiche)s'. Er is niets opgeslagen: controleer het "
                "Kamerstuknummer in de tekst."
            ) % {"kamerstuk": kamerstuk, "fiche": owner}))
    if existing is None and user is not None:
        unseen = _with_documents(Fiche.objects.exclude(pk__in=permissions.visible_fiches(user).values("pk")), refs)
        if not data["revision"] and unseen.exists():
            return plan.refuse(_collision(unseen.first(), user, ""))
        if data["revision"] and unseen.filter(status=Fiche.Status.DRAFT, is_revision=True).exists():
            return plan.refuse(_collision(unseen.filter(status=Fiche.Status.DRAFT, is_revision=True).first(), user, ""))
    if existing is not None and user is not None and not permissions.can_change_fiche_content(user, existing):
        return plan.refuse(_("U mag het concept '%(fiche)s' niet wijzigen.") % {"fiche": existing})

    plan.fiche, plan.revises = existing, revises
    if existing is not None:
        plan.changes = _changes(existing, result, plan)
    return plan


def _field_values(result, fiche, plan, messages):
    """The values the import gives the fiche's own fields (batch letter and relations aside)."""
    data = result.data
    values = {
        "title": (data["heading"] or (data["documents"][0]["title"] if data["documents"] else "") or "Geïmporteerd fiche")[:400],
        "proposal_title": "\n\n".join(dict.fromkeys(d["title"] for d in data["documents"] if d["title"])) or fiche.proposal_title,
        "template": plan.template,
        "is_revision": bool(data["revision"] or plan.revises or fiche.is_revision),
    }
    if plan.revises is not None:
        values["revises"] = plan.revises
    if data["kamerstuk"] and not (plan.revises is not None and plan.revises.kamerstuk == data["kamerstuk"]):
        values["kamerstuk"] = data["kamerstuk"]
    if data["batch_position"]:
        values["batch_position"] = data["batch_position"]
    received = _received(data)
    if received:
        values["received_on"] = received
        values["received_month_only"] = len(data["received_on"]) == 7
    council = data["council_configuration"] or {}
    values.update(
        impact_assessment=data["impact_assessment"] or "",
        council_configuration=_council(council, messages),
        council_configuration_raw=(council.get("raw") or "")[:300],
        lead_ministry=plan.lead_ministry,
        lead_ministry_raw=((data["lead_ministry"] or {}).get("raw") or "")[:500],
        legal_basis=data["legal_basis"] or "",
        council_voting_rule=(data["council_procedure"] or "")[:200],
        parliament_role=(data["parliament_role"] or "")[:200],
    )
    named = (data["lead_ministry"] or {}).get("raw") or (data["lead_ministry"] or {}).get("abbreviation")
    if plan.lead_ministry is None and named:
        messages.append(f"Eerstverantwoordelijk ministerie '{named}' niet (eenduidig) gevonden in de referentiegegevens; kies het in het "
                        "fiche (of met --ministry).")
    for topic in ("competence", "subsidiarity", "proportionality"):
        values[topic] = data["verdicts"][topic] or ""
        values[f"{topic}_sentence"] = result.verdict_sentences.get(topic, "")
    return values


def _co_ministries(data, lead, on, messages):
    return [m for entry in data["co_ministries"] if (m := _ministry(entry, on, messages)) and m != lead]


def changes(*, fiche, result, plan):
    """Labels of what importing ``result`` would change in ``fiche`` (any fiche, also one past the draft stage)."""
    return _changes(fiche, result, plan)


def received_on(result):
    """The date the text says the Commission document was received (the first of the month when it names a month)."""
    return _received(result.data)


def _changes(fiche, result, plan):
    """Labels of what an import would change in ``fiche``, in the order of the form."""
    data, ignored = result.data, []

    def label(name):
        return str(Fiche._meta.get_field(name).verbose_name)

    changes = [label(name) for name, value in _field_values(result, fiche, plan, ignored).items() if getattr(fiche, name) != value]
    if data["batch_letter"] and (fiche.batch_letter is None or fiche.batch_letter.kamerstuk != data["batch_letter"]):
        changes.append(label("batch_letter"))
    if _document_refs(fiche) != _refs(data):
        changes.append(label("documents"))
    on = _received(data) or fiche.received_on
    if {m.pk for m in _co_ministries(data, plan.lead_ministry, on, ignored)} != set(fiche.co_ministries.values_list("pk", flat=True)):
        changes.append(label("co_ministries"))
    stored = list(fiche.sections.order_by("position").values_list("key", "number", "title", "text"))
    if stored != [(e["key"], e["number"][:10], e["title"][:300], e["text"]) for e in result.marked_sections]:
        changes.append(_("onderdelen"))
    if list(fiche.footnotes.order_by("number").values_list("number", "text", "urls")) != [
            (e["number"], e["text"], e["urls"]) for e in sorted(data["footnotes"], key=lambda e: e["number"])]:
        changes.append(_("voetnoten"))
    stored_quotes, new = Counter(fiche.commitments.values_list("quote", flat=True)), 0
    for candidate in data["commitments"]:  # as _commitments: a sentence already stored stays as the editor left it
        if stored_quotes[candidate["text"]]:
            stored_quotes[candidate["text"]] -= 1
        else:
            new += 1
    if new:
        changes.append(_("toezeggingen (%(count)s nieuw)") % {"count": new})
    return changes


@transaction.atomic
def import_fiche(*, result, user=None, ministry=None, make_revision=False, accept_commitments=None, accept_amounts=None,
                 commitments_confirmed=True, change_reason="", sent_on=None, correct_ministry=False):
    """Create or update the draft fiche described by ``result`` (a ParseResult), as ``plan_import`` decides.

    ``user``: on whose behalf (None: the command line, which may import any fiche); ``ministry``: the lead
    ministry when the text names none. ``accept_commitments`` / ``accept_amounts``: indexes into the
    result's suggestions to store (all when None). ``sent_on``: the send date the editor gave in the preview (a date).
    ``commitments_confirmed=False``: the new commitments wait for a
    follow-up officer's confirmation (the archive import); ``change_reason``: recorded in the fiche's history.
    Raises ImportRefused, and writes nothing, when the plan
    refuses: the fiche is no longer a draft (unless ``make_revision``), the text collides with another
    fiche, the lead ministry is not the user's, or no fiche template of the right kind exists.
    """
    data = result.data
    plan = plan_import(result=result, user=user, ministry=ministry, make_revision=make_revision, correct_ministry=correct_ministry)
    if plan.refusal:
        raise ImportRefused(plan.refusal)
    messages = list(plan.notes)
    existing = plan.fiche
    if existing is not None:
        existing = Fiche.objects.select_for_update().get(pk=existing.pk)
    created = existing is None
    fiche = existing or Fiche(status=Fiche.Status.DRAFT)
    for name, value in _field_values(result, fiche, plan, messages).items():
        setattr(fiche, name, value)
    fiche.batch_letter = _batch_letter(result, messages) or fiche.batch_letter
    if sent_on is not None:
        fiche.sent_on = sent_on
    fiche.updated_by = user
    fiche.full_clean(exclude=["template", "revises", "batch_letter", "council_configuration", "lead_ministry"])
    if change_reason:
        fiche._change_reason = change_reason
    fiche.save()

    fiche.documents.set(_documents(data, fiche.received_on if not fiche.received_month_only else None, messages))
    fiche.co_ministries.set(_co_ministries(data, fiche.lead_ministry, fiche.received_on, messages))
    _sections(fiche, result.marked_sections)
    _footnotes(fiche, data["footnotes"])
    _commitments(fiche, data["commitments"], accept_commitments, confirmed=commitments_confirmed)
    _budgets(fiche, data["amounts"], accept_amounts, messages)
    messages.insert(0, f"{'Nieuw concept' if created else 'Concept bijgewerkt'}: {fiche} ({len(result.marked_sections)} onderdelen, "
                       f"{len(data['footnotes'])} voetnoten, {fiche.documents.count()} documenten).")
    return ImportOutcome(fiche, created, messages)


def _fiche_revised_by(data, fiches):
    refs = [d["reference"] for d in data["documents"]]
    for reference in refs:
        try:
            documents = CommissionDocument.objects.by_reference(reference)
        except ValidationError:
            continue
        earlier = fiches.filter(documents__in=documents).exclude(status=Fiche.Status.DRAFT).order_by("-received_on", "-pk").first()
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
    candidates = _ministry_candidates(entry, on)
    if not candidates and entry and (entry.get("abbreviation") or entry.get("raw")):
        messages.append(f"Ministerie '{(entry.get('raw') or '').strip() or entry.get('abbreviation')}' niet gevonden in de referentiegegevens.")
    return candidates[0] if candidates else None


def _ministry_candidates(entry, on):
    """The ministries a text's ministry entry may mean: one, none, or (ambiguous) more."""
    if not entry or not (entry.get("abbreviation") or entry.get("raw")):
        return []
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
    return candidates


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


def _commitments(fiche, candidates, accepted, *, confirmed=True):
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
                                  kind=candidate["kind"], section_key=candidate["section_key"][:60], confirmed=confirmed)
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
