"""Turn the text of a fiche into a parse result: the JSON of ``import_fiche --dry-run --format json``
plus what the importer needs besides (section text with footnote markers, verdict sentences)."""

import re
from dataclasses import dataclass, field

from . import commitments, footnotes, general, sections
from .errors import FicheParseError
from .text import page_kamerstuk, to_lines

JSON_KEYS = (
    "kamerstuk", "batch_letter", "batch_position", "heading", "template", "revision", "documents", "received_on",
    "impact_assessment", "council_configuration", "lead_ministry", "co_ministries", "legal_basis", "council_procedure",
    "parliament_role", "sections", "verdicts", "footnotes", "commitments", "amounts", "warnings",
)
EXPECTED_SECTIONS = {
    "communication": ["essence", "position-policy", "position-assessment", "position-field", "competence", "subsidiarity",
                      "proportionality", "financial", "regulatory-burden"],
    "legislative": ["essence", "position-policy", "position-assessment", "position-field", "competence", "subsidiarity",
                    "proportionality", "financial", "legal", "implementation"],
}
LEGISLATIVE_KEYS = {"essence-content", "essence-impact-assessment", "legal", "legal-national", "legal-delegated", "legal-implementation-term",
                    "legal-evaluation", "financial-eu-budget", "financial-national", "financial-business-citizens", "competitiveness",
                    "administrative-burden", "implementation", "developing-countries"}
KEY_FAMILIES = {"essence": ("essence", "essence-content"), "financial": ("financial", "financial-eu-budget", "financial-national"),
                "legal": ("legal", "legal-national", "legal-delegated")}
# Parts of the template a fiche split into lettered sub-sections has each of (legislative template since 2012).
SUB_SECTIONS = {"essence": ("essence-content", "essence-impact-assessment"),
                "financial": ("financial-eu-budget", "financial-national", "financial-business-citizens")}
SECTION_NAMES = {
    "essence": "Essentie voorstel", "essence-content": "Inhoud voorstel", "essence-impact-assessment": "Impact assessment Commissie",
    "position-policy": "Essentie Nederlands beleid op dit terrein", "position-assessment": "Beoordeling + inzet ten aanzien van dit voorstel",
    "position-field": "Eerste inschatting van krachtenveld", "competence": "Bevoegdheid", "subsidiarity": "Subsidiariteit",
    "proportionality": "Proportionaliteit", "financial": "Financiële gevolgen", "financial-eu-budget": "Financiële gevolgen voor de EU-begroting",
    "financial-national": "Financiële gevolgen voor de rijksoverheid en/of medeoverheden",
    "financial-business-citizens": "Financiële gevolgen voor bedrijfsleven en burger",
    "regulatory-burden": "Gevolgen voor regeldruk, concurrentiekracht en geopolitieke aspecten", "legal": "Juridische consequenties",
    "implementation": "Implicaties voor uitvoering en/of handhaving",
}
MIN_TEXT_CHARS = 200


@dataclass
class ParseResult:
    data: dict
    marked_sections: list = field(default_factory=list)  # sections with [^N] markers, for the database
    verdict_sentences: dict = field(default_factory=dict)
    batch_letter_date: str | None = None
    field_warnings: list = field(default_factory=list)  # [field, message]

    def warn(self, field_name, message):
        self.field_warnings.append([field_name, message])
        self.data["warnings"].append(message)

    def to_json(self):
        return {key: self.data[key] for key in JSON_KEYS}

    def to_state(self):
        return {"data": self.to_json(), "marked_sections": self.marked_sections, "verdict_sentences": self.verdict_sentences,
                "batch_letter_date": self.batch_letter_date, "field_warnings": self.field_warnings}

    @classmethod
    def from_state(cls, state):
        return cls(state["data"], state["marked_sections"], state["verdict_sentences"], state["batch_letter_date"], state["field_warnings"])

    def warnings_for(self, field_name):
        return [message for name, message in self.field_warnings if name == field_name]


def parse_text(text):
    """Parse the text of a fiche. Raises FicheParseError when the text is not a usable fiche."""
    text = text or ""
    letters = sum(1 for c in text if c.isalpha())
    if not text.strip():
        raise FicheParseError("Het bestand bevat geen tekst.")
    if letters < MIN_TEXT_CHARS or letters / max(len(text.strip()), 1) < 0.5:
        raise FicheParseError("Dit lijkt geen tekst van een fiche: er staan te weinig woorden in.")
    lines = to_lines(text)
    body, notes, page_urls, footnote_warnings = footnotes.extract(lines)
    footnotes.insert_markers(body, notes, footnote_warnings)
    structure = sections.split(body)
    for section in structure.sections:
        section.paragraphs = [footnotes.strip_unmatched(p, notes, footnote_warnings) for p in section.paragraphs]
    labels = {}
    for key, paragraphs in structure.labels:
        labels.setdefault(key, []).extend(p for p in paragraphs if p)
    recognised = [s for s in structure.sections if s.key != "other" and not s.key.startswith("group:")]
    if len(labels) < 2 and len({s.key for s in recognised}) < 2:
        raise FicheParseError(
            "Geen BNC-fiche herkend: de tekst heeft geen 'Algemene gegevens' (Titel voorstel, Nr. Commissiedocument, ...) "
            "en geen onderdelen zoals 'Essentie voorstel' of 'Subsidiariteit'."
        )

    result = ParseResult(dict.fromkeys(JSON_KEYS))
    result.data.update(documents=[], co_ministries=[], sections=[], footnotes=[], commitments=[], amounts=[], warnings=[],
                       revision=False, verdicts={"competence": None, "subsidiarity": None, "proportionality": None})
    for message in footnote_warnings:
        result.warn("footnotes", message)
    _read_header(result, structure.header, page_kamerstuk(text))
    _read_general(result, labels, page_urls)
    _read_sections(result, structure.sections)
    _read_template(result, labels, structure.sections)
    _derive_celex(result)
    result.data["footnotes"] = [{"number": f.number, "text": f.text, "urls": f.urls} for f in notes]
    derive_from_sections(result)
    return result


def derive_from_sections(result):
    """Read what follows from the text of the sections (``result.marked_sections``) into ``result``: the plain
    sections (``data["sections"]``, without footnote markers), the verdicts with their sentences (and a warning for
    a topic without one), the suggested commitments and the amounts. The parser calls it once the sections are
    read; the import preview calls it again when the editor changed section text (``corrections``), so a corrected
    text is read as an uploaded one. Earlier verdict warnings are replaced."""
    data = result.data
    stale = [message for name, message in result.field_warnings if name == "verdicts"]
    result.field_warnings = [entry for entry in result.field_warnings if entry[0] != "verdicts"]
    for message in stale:
        data["warnings"].remove(message)
    plain_sections = [{"key": entry["key"], "number": entry["number"], "title": entry["title"], "text": footnotes.strip_markers(entry["text"])}
                      for entry in result.marked_sections]
    data["sections"] = plain_sections
    all_text = "\n\n".join(s["text"] for s in plain_sections)
    for topic in ("competence", "subsidiarity", "proportionality"):
        section_text = next((s["text"] for s in plain_sections if s["key"] == topic), "")
        value, sentence = commitments.find_verdict(topic, section_text, all_text)
        data["verdicts"][topic] = value
        result.verdict_sentences[topic] = sentence
        if value is None:
            result.warn("verdicts", f"Geen oordeel over {_TOPIC_NAMES[topic]} gevonden.")
    data["commitments"] = commitments.find_commitments(plain_sections)
    data["amounts"] = [{"eur": a["eur"], "text": a["text"]} for a in commitments.find_amounts(plain_sections)]
    return result


_TOPIC_NAMES = {"competence": "bevoegdheid", "subsidiarity": "subsidiariteit", "proportionality": "proportionaliteit"}
_LIST_ENTRY = re.compile(r"(?:^|\s)Fiche\s*(?P<num>\d{1,2})\s*:\s*", re.IGNORECASE)
_ENTRY_KAMERSTUK = re.compile(r"\(\s*Kamerstuk(?:ken)?\s+(?P<dossier>\d{2}\s?\d{3})\s*,?\s*nr\.?\s*(?P<number>\d{1,5})\s*\)", re.IGNORECASE)
_LETTER_MARKERS = re.compile(r"Overeenkomstig\s+de\s+bestaande\s+afspraken|ontvangt\s+u\s+hierbij|BRIEF\s+VAN\s+DE\s+MINISTER", re.IGNORECASE)
_REVISION = re.compile(r"\b(?:Herzien(?:e)?|Geactualiseerd(?:e)?)\s+(?:BNC[\s-]*)?fiche\b", re.IGNORECASE)


def _fold_title(text):
    return re.sub(r"[^a-z0-9]+", " ", (text or "").lower()).strip()


def _read_header(result, header, footer_kamerstuk=None):
    data = result.data
    text = "\n".join(header)
    headings = [(i, m) for i, p in enumerate(header) if (m := sections.FICHE_HEADING.match(p))]
    own = headings[-1][1] if headings else None
    if own:
        # A long heading runs over the lines up to the general data.
        heading = " ".join([own["title"].strip(), *header[headings[-1][0] + 1 :]]).strip()
        heading = _ENTRY_KAMERSTUK.sub("", heading).strip()
        data["heading"] = heading
        data["batch_position"] = int(own["num"]) if own["num"] else None
    elif header:
        data["heading"] = header[-1][:400]
        result.warn("heading", "Geen kop 'Fiche N: ...' gevonden; de laatste regel voor de algemene gegevens is als kop genomen.")
    else:
        result.warn("heading", "Geen kop van het fiche gevonden.")
    data["revision"] = bool(_REVISION.search(text))

    own_number = _document_number(text) or footer_kamerstuk
    letter_match = _LETTER_MARKERS.search(text)
    if letter_match:
        _read_batch_letter(result, header, headings, text, letter_match, own_number)
    elif own_number:
        data["kamerstuk"] = own_number
    else:
        match = re.search(r"Kamerstuk(?:ken)?\s+(\d{2})\s?(\d{3}),?\s*nr\.?\s*(\d{1,5})", text, re.IGNORECASE)
        if match:
            data["kamerstuk"] = f"{match[1]}{match[2]}-{int(match[3])}"
    if data["kamerstuk"] is None and not result.warnings_for("kamerstuk"):
        result.warn("kamerstuk", "Geen Kamerstuknummer gevonden (bijv. 'Kamerstuk 22 112, nr. 3908'); vul het in bij het publiceren.")


# "22 112 Nieuwe Commissievoorstellen ..." with "Nr. 3620" on a line below: the document's own number.
_DOSSIER_HEADING = re.compile(r"^\s*(\d{2})\s?(\d{3})(?:-[A-Z0-9]{1,3})?\b[^\n]*\n+\s*Nr\.?\s*(\d{1,5})\b", re.IGNORECASE | re.MULTILINE)


def _document_number(text):
    """The Kamerstuk number the document carries under its dossier heading, or None."""
    match = _DOSSIER_HEADING.search(text)
    return f"{match[1]}{match[2]}-{int(match[3])}" if match else None


def _read_batch_letter(result, header, headings, text, letter_match, own_number):
    """A batch letter with a fiche printed in it: the letter lists the batch's fiches, the ones printed
    elsewhere with their Kamerstuk number; the fiche printed here is listed without one and carries the
    document's own number ("Nr. 3620" under the dossier heading, "22 112, nr. 3620" in the running header)."""
    data = result.data
    before = text[: letter_match.start()]
    number = re.search(r"\bNr\.?\s*(\d{1,5})\b", before, re.IGNORECASE)
    dossier = re.search(r"\b(\d{2})\s?(\d{3})\b", before)
    if number:
        data["batch_letter"] = f"{dossier[1]}{dossier[2]}-{int(number[1])}" if dossier else f"22112-{int(number[1])}"
    elif own_number:
        data["batch_letter"] = own_number
    else:
        result.warn("batch_letter", "De verzamelbrief staat in de tekst, maar zijn Kamerstuknummer (Nr. ...) niet.")
    own_number = own_number or data["batch_letter"]
    date_match = re.search(r"Den\s+Haag,?\s+([^\n]{6,30})", text, re.IGNORECASE)
    full_date = general.parse_date(date_match[1]) if date_match else None
    result.batch_letter_date = full_date if full_date and len(full_date) == 10 else None

    # The list runs from the letter's opening to the heading of the fiche printed below it.
    list_end = len(text)
    if headings:
        heading_text = header[headings[-1][0]]
        position = text.rfind(heading_text)
        if position > letter_match.end():
            list_end = position
    entries = _letter_entries(text[letter_match.end() : list_end])
    if not entries:
        data["kamerstuk"] = own_number
        return
    folded = _fold_title(data["heading"])
    by_title = [e for e in entries if folded and _titles_agree(_fold_title(e["title"]), folded)]
    by_position = [e for e in entries if data["batch_position"] is not None and e["position"] == data["batch_position"]]
    unnumbered = [e for e in entries if not e["kamerstuk"]]
    if len(by_title) == 1:
        own = by_title[0]
    elif len(unnumbered) == 1:
        own = unnumbered[0]
    elif len(by_position) == 1 and not by_position[0]["kamerstuk"]:
        own = by_position[0]
    else:
        own = None
    if own is not None and own["kamerstuk"] and own not in by_title:
        own = None  # a neighbour's number is never ours: only a listed title that is this fiche's own can give its number
    if own is None:
        data["kamerstuk"] = own_number
        result.warn("kamerstuk", "Het fiche is in de lijst van de verzamelbrief niet eenduidig te vinden; het Kamerstuknummer van "
                                 "het document is genomen. Controleer het.")
        return
    if data["batch_position"] is None:
        data["batch_position"] = own["position"]
    elif data["batch_position"] != own["position"]:
        result.warn("batch_position", f"De kop noemt fiche {data['batch_position']}, de lijst van de verzamelbrief fiche {own['position']}; "
                                      "het nummer uit de lijst is genomen.")
        data["batch_position"] = own["position"]
    data["kamerstuk"] = own["kamerstuk"] or own_number
    if data["kamerstuk"] is None:
        result.warn("kamerstuk", "Het fiche staat in de verzamelbrief, maar het Kamerstuknummer van het document is niet gevonden.")


def _titles_agree(listed, heading):
    """A title in the letter's list and the heading of the fiche: the same when one starts with (most of) the other."""
    if not listed or not heading:
        return False
    short, long_ = sorted((listed, heading), key=len)
    return long_.startswith(short[:60]) and len(short) >= min(20, len(long_))


def _letter_entries(text):
    entries = []
    matches = list(_LIST_ENTRY.finditer(text))
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        segment = text[match.end() : end]
        first_line = segment.split("\n")[0]
        kamerstuk = _ENTRY_KAMERSTUK.search(first_line) or _ENTRY_KAMERSTUK.search(" ".join(segment.split("\n")[:3]))
        title = first_line[: kamerstuk.start()] if kamerstuk and kamerstuk.start() <= len(first_line) else first_line
        entries.append({
            "position": int(match["num"]),
            "title": " ".join(title.split()),
            "kamerstuk": f"{kamerstuk['dossier'].replace(' ', '')}-{int(kamerstuk['number'])}" if kamerstuk else None,
        })
    return entries


def _value(labels, key):
    values = labels.get(key) or []
    text = " ".join(v for v in values if v).strip()
    return text or None


def _read_general(result, labels, page_urls):
    data = result.data
    if not labels:
        result.warn("general", "De algemene gegevens (Titel voorstel, Datum ontvangst, ...) zijn niet gevonden.")
    titles = labels.get("title") or []
    title = _value(labels, "title")
    if not title:
        result.warn("documents", "Geen titel van het voorstel gevonden.")
    refs_text = _value(labels, "documents") or ""
    refs = general.find_references(refs_text)
    if not refs:
        refs = general.find_references(title or "")
        if refs:
            result.warn("documents", "Geen 'Nr. Commissiedocument' gevonden; de referenties komen uit de titel.")
        else:
            result.warn("documents", "Geen Commissiedocument (zoals COM(2024) 28) gevonden.")
    eurlex_text = general.decode_links(" ".join([_value(labels, "eurlex") or "", *page_urls]))
    celex_numbers = general.CELEX_IN_TEXT.findall(eurlex_text) + general.CELEX_IN_TEXT.findall(general.decode_links(refs_text))
    documents = []
    per_title = {}
    for paragraph in titles:
        for ref in general.find_references(paragraph):
            per_title.setdefault(ref, paragraph)
    segments = _split_titles(title or "")
    for index, ref in enumerate(refs):
        if len(refs) == 1:
            doc_title = title
        elif ref in per_title and len(general.find_references(per_title[ref])) == 1:
            doc_title = per_title[ref]
        elif ref in segments:
            doc_title = segments[ref]
        elif len(titles) == len(refs):
            doc_title = titles[index]
        elif len(by_semicolon := [t.strip() for t in re.split(r";\s+(?=[A-Z])", title or "") if t.strip()]) == len(refs):
            doc_title = by_semicolon[index]
        else:
            doc_title = title
            result.warn("documents", f"De titel van {ref} is niet van die van de andere documenten te scheiden; controleer de titels.")
        documents.append({"reference": ref, "celex": general.match_celex(celex_numbers, ref), "title": doc_title})
    data["documents"] = documents

    received = _value(labels, "received_on")
    data["received_on"] = general.parse_date(received) if received else None
    if not data["received_on"]:
        result.warn("received_on", "Geen datum van ontvangst van het Commissiedocument gevonden." if not received
                    else f"De datum '{received}' is niet te lezen.")
    elif len(data["received_on"]) == 7:
        result.warn("received_on", "Alleen de maand van ontvangst is bekend; de termijn van zes weken kan niet worden berekend.")
    data["impact_assessment"] = _value(labels, "impact_assessment")

    council_raw = _value(labels, "council_configuration")
    if council_raw:
        code = general.find_council_configuration(council_raw)
        data["council_configuration"] = {"code": code, "raw": council_raw}
        if code is None:
            result.warn("council_configuration", f"Raadsformatie '{council_raw}' niet herkend.")
    else:
        result.warn("council_configuration", "Geen behandelingstraject Raad gevonden.")

    ministry_raw = _value(labels, "lead_ministry")
    if ministry_raw:
        found = general.find_ministries(ministry_raw)
        phrases = general.split_ministry_phrases(ministry_raw)
        raws = phrases if len(phrases) == len(found) else [ministry_raw] + [name for _code, name in found[1:]]
        if found:
            data["lead_ministry"] = {"abbreviation": found[0][0], "raw": raws[0]}
            data["co_ministries"] = [{"abbreviation": code, "raw": raw} for (code, _name), raw in zip(found[1:], raws[1:], strict=False)]
        else:
            data["lead_ministry"] = {"abbreviation": None, "raw": ministry_raw}
            result.warn("lead_ministry", f"Ministerie '{ministry_raw}' niet herkend.")
    else:
        result.warn("lead_ministry", "Geen eerstverantwoordelijk ministerie gevonden.")
    data["legal_basis"] = _value(labels, "legal_basis")
    data["council_procedure"] = _value(labels, "council_procedure")
    data["parliament_role"] = _value(labels, "parliament_role")


def _split_titles(title):
    """"Voorstel voor een verordening ... COM (2025) 80 Voorstel voor een richtlijn ... COM (2025) 81":
    one title per reference, each ending with its reference."""
    segments, start = {}, 0
    for match in general.REFERENCE_IN_TEXT.finditer(title):
        refs = general.find_references(match[0])
        segment = title[start : match.start()].strip(" ,;")
        if refs and segment:
            segments[refs[0]] = re.sub(r"^(?:en|and)\s+|\s+(?:en|and)$", "", segment)
        start = match.end()
    return segments if len(segments) > 1 else {}


def _read_sections(result, found):
    seen = {}
    for index, section in enumerate(found):
        text = section.text
        is_group = section.key.startswith("group:")
        following = found[index + 1] if index + 1 < len(found) else None
        has_children = following is not None and (
            (section.number != "" and following.number.startswith(section.number) and len(following.number) > len(section.number))
            or following.key.startswith(f"{section.key}-")
        )
        if not text and (is_group or has_children):
            continue
        key = "other" if is_group else section.key
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            key = f"{key}-{seen[key]}"
        if not text:
            result.warn("sections", f"Onderdeel '{section.title}' is leeg (is het fiche afgebroken?).")
        result.marked_sections.append({"key": key, "number": section.number, "title": section.title, "text": text})


def _read_template(result, labels, found):
    data = result.data
    keys = {s["key"] for s in result.marked_sections}
    title = (data["documents"][0]["title"] if data["documents"] and data["documents"][0]["title"] else "") or (data["heading"] or "")
    legislative = 2 * sum(1 for key in ("legal_basis", "council_procedure", "parliament_role") if labels.get(key))
    legislative += len(keys & LEGISLATIVE_KEYS)
    if re.match(r"^\s*(?:Voorstel|Proposal)\b", title, re.IGNORECASE):
        legislative += 2
    communication = len(keys & {"financial", "regulatory-burden"}) + any(s.key == "group:assessment" and "financi" in s.title.lower() for s in found)
    if re.match(r"^\s*(?:Mededeling|Gezamenlijke\s+mededeling|Communication|Aanbeveling|Verslag|Witboek|Groenboek)\b", title, re.IGNORECASE) \
            or re.match(r"^\s*Mededeling", data["heading"] or "", re.IGNORECASE):
        communication += 2
    data["template"] = "legislative" if legislative > communication else "communication"
    if legislative == communication == 0:
        result.warn("template", "Sjabloon niet te bepalen; 'mededeling' aangenomen.")
    expected = EXPECTED_SECTIONS[data["template"]]
    for key in expected:
        family = KEY_FAMILIES.get(key, (key,))
        found = [k for k in keys if k.startswith(family)]
        if not found:
            _warn_missing(result, key)
        elif key in SUB_SECTIONS and any(k in SUB_SECTIONS[key] for k in found):
            # The fiche splits this part into its lettered sub-sections: each one the template has is expected.
            for sub in SUB_SECTIONS[key]:
                if not any(k.startswith(sub) for k in found):
                    _warn_missing(result, sub)


def _derive_celex(result):
    """A CELEX number for each document the text gives none for, derived from its reference: sector 5, the year,
    the descriptor, the number in four digits. COM: PC for a proposal for a legal act, DC for anything else
    (communications, reports, recommendations, also proposals for a Council recommendation); JOIN: JC; SWD and
    SEC: SC. Decided per document, by its own title; said in a warning, since it was not read."""
    data = result.data
    for document in data["documents"]:
        if document["celex"]:
            continue
        derived = general.derive_celex(document["reference"], document["title"], data["template"])
        if derived is None:
            result.warn("documents", f"Geen CELEX-nummer gevonden dat bij {document['reference']} past (voor dit soort document is het "
                                     "niet af te leiden).")
            continue
        document["celex"], reason = derived
        result.warn("documents", f"Het CELEX-nummer {document['celex']} van {document['reference']} staat niet in de tekst maar is "
                                 f"afgeleid uit de referentie ({reason}); controleer het op EUR-Lex.")


def _warn_missing(result, key):
    result.warn("sections", f"Onderdeel '{key}' ({SECTION_NAMES[key]}) niet gevonden: ontbreekt het, of is de kop niet herkend en "
                            "staat de tekst bij het vorige onderdeel?")
