"""Section 1, "Algemene gegevens": labels in every layout, and the values behind them.

Ministries and Council configurations are recognised with a built-in table of names and aliases
(current and historic), so the parser works without a database (``--dry-run``); the importer then
looks the result up in the reference data.
"""

import re
import unicodedata

from proposals import identifiers

# Markers before a label or heading: bullets, "1.", "a)", "4a.", "1.a".
MARKER = r"^[\s•·●▪■◦\-–*>]*(?:(?P<num>\d{1,2})\s*[.)]?\s*)?(?:(?P<letter>[a-z])\s*[.)]\s*)?"

# key -> label pattern (without markers), longest spellings first where one is a prefix of another.
LABELS = [
    # "Voorstel" alone is a label only in the 2007-2011 layout: with its colon, or alone on its line.
    ("title", r"Titel(?:s)?\s+(?:van\s+het\s+)?voorstel(?:len)?|Voorstel(?=\s*:)|Voorstel$"),
    ("received_on", r"Datum\s+(?:van\s+)?ontvangst\s+Commissiedocument(?:en)?|Datum\s+Commissiedocument(?:en)?|Datum\s+ontvangst"),
    ("documents", r"Nr\.?\s*Commissiedocument(?:en)?|Nummer(?:s)?\s+Commissiedocument(?:en)?|Nr\.?\s*Commissievoorstel(?:len)?"),
    ("eurlex", r"EUR[\s-]?Lex|Pre[\s-]?lex"),
    (
        "impact_assessment",
        r"Nr\.?\s*(?:van\s+het\s+)?impact[\s-]*assessment\s+Commissie(?:\s+en\s+Opinie"
        r"(?:\s+(?:Impact[\s-]*assessment\s+Board|Raad\s+voor\s+Regelgevingstoetsing|Regulatory\s+Scrutiny\s+Board|RSB|IAB))?)?",
    ),
    ("council_configuration", r"Behandelingstraject\s+(?:in\s+de\s+)?Raad"),
    ("lead_ministry", r"Eerstverantwoordelijk(?:e|\(e\))?\s+ministerie(?:s)?|Verantwoordelijk(?:e)?\s+ministerie"),
    ("legal_basis", r"Rechtsbasis(?:\s+van\s+het\s+voorstel)?|Juridische\s+grondslag"),
    ("council_procedure", r"Besluitvormingsprocedure\s+(?:in\s+de\s+)?Raad"),
    ("parliament_role", r"Rol\s+(?:van\s+het\s+)?Europees\s+Parlement"),
]
_LABEL_RES = [(key, re.compile(MARKER + rf"(?P<label>{pattern})\s*:?\s*(?P<rest>.*)$", re.IGNORECASE)) for key, pattern in LABELS]
GENERAL_HEADING = re.compile(MARKER + r"Algemene\s+gegevens\s*:?\s*$", re.IGNORECASE)


def match_label(text):
    """(key, inline value) when ``text`` starts with a label of the general data, else None."""
    for key, pattern in _LABEL_RES:
        match = pattern.match(text)
        if not match:
            continue
        rest = match["rest"].strip()
        if rest.startswith(":"):
            rest = rest[1:].strip()
        return key, rest
    return None


# ---------------------------------------------------------------- dates
MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "maart": 3, "mrt": 3, "april": 4, "apr": 4, "mei": 5,
    "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augustus": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "august": 8, "october": 10,
}
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})\s*(?:e\s+)?({_MONTH_NAMES})\.?\s+(\d{{4}})\b", re.IGNORECASE)
_MONTH_YEAR = re.compile(rf"\b({_MONTH_NAMES})\.?\s+(\d{{4}})\b", re.IGNORECASE)
_NUMERIC = re.compile(r"\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\b")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def parse_date(text):
    """``24 januari 2024`` -> ``2024-01-24``; ``november 2022`` -> ``2022-11``; None when no date."""
    import datetime

    text = text or ""
    for pattern, order in ((_ISO, "ymd"), (_DAY_MONTH_YEAR, "dmy"), (_NUMERIC, "dmy")):
        match = pattern.search(text)
        if match:
            parts = dict(zip(order, match.groups(), strict=True))
            month = MONTHS.get(parts["m"].lower().rstrip(".")) if not parts["m"].isdigit() else int(parts["m"])
            try:
                return datetime.date(int(parts["y"]), month, int(parts["d"])).isoformat()
            except (TypeError, ValueError):
                continue
    match = _MONTH_YEAR.search(text)
    if match and 1950 <= int(match[2]) <= 2100:
        return f"{int(match[2]):04d}-{MONTHS[match[1].lower()]:02d}"
    return None


# ---------------------------------------------------------------- references
REFERENCE_IN_TEXT = re.compile(
    r"\b(COM|JOIN|SWD|SEC|C)\s*(?:\(\s*(\d{4})\s*\)|/\s*(\d{4})\s*/)\s*(\d{1,5})(?!\d)(?:\s*(?:final|def\.?|definitief))?",
    re.IGNORECASE,
)
CELEX_IN_TEXT = re.compile(r"\b([35]\d{4}(?:PC|DC|JC|SC|R|L|D|H|XC|IP)\d{4})\b")


def find_references(text):
    """Normalised Commission references in ``text``, in order, without duplicates."""
    found = []
    for match in REFERENCE_IN_TEXT.finditer(text or ""):
        parsed = identifiers.read_reference(f"{match[1].upper()}({match[2] or match[3]}) {match[4]}")
        if parsed is None:
            continue
        reference = str(parsed)
        if reference not in found:
            found.append(reference)
    return found


def decode_links(text):
    """EUR-Lex links as written in fiches, URL-encoded (``uri=CELEX%3A52021DC0205``, even twice) or not, decoded."""
    from urllib.parse import unquote

    for _round in range(2):
        if "%" not in text:
            break
        text = unquote(text)
    return text


_LEGAL_ACT = r"(?:verordening|richtlijn|besluit|kaderbesluit|regulation|directive|decision)"
_PROPOSAL_FOR_ACT = re.compile(
    rf"^\W*(?:(?:gewijzigd|amended)\s+)?(?:voorstel|proposal)\s+(?:(?:voor|for|tot)\s+)?(?:(?:een|a|an)\s+)?"
    rf"(?:(?:gewijzigd|amended|council|raads?|gezamenlijk|joint)\s+)*(?:{_LEGAL_ACT}|wijziging\s+van\s+(?:de\s+)?{_LEGAL_ACT})"
    rf"|^\W*{_LEGAL_ACT}\b",
    re.IGNORECASE,
)
_OTHER_DOCUMENT = re.compile(r"^\W*(?:(?:gezamenlijke|joint)\s+)?(?:mededeling|communication|verslag|report|aanbeveling|recommendation|"
                             r"witboek|white\s+paper|groenboek|green\s+paper|voorstel\s+voor\s+een\s+aanbeveling|"
                             r"proposal\s+for\s+a\s+(?:council\s+)?recommendation|werkdocument|staff\s+working)", re.IGNORECASE)
SECTOR_5_DESCRIPTORS = {"JOIN": ("JC", "een gezamenlijk document"), "SWD": ("SC", "een werkdocument"), "SEC": ("SC", "een werkdocument")}


def derive_celex(reference, title, template):
    """``(celex, reason)`` for a Commission document from its reference and title, or None (a C document)."""
    parsed = identifiers.read_reference(reference)
    if parsed is None:
        return None
    if parsed.doc_type in SECTOR_5_DESCRIPTORS:
        descriptor, reason = SECTOR_5_DESCRIPTORS[parsed.doc_type]
    elif parsed.doc_type != "COM":
        return None
    elif _OTHER_DOCUMENT.match(title or "") and not _PROPOSAL_FOR_ACT.match(title or ""):
        descriptor, reason = "DC", "geen voorstel voor een rechtshandeling"
    elif _PROPOSAL_FOR_ACT.match(title or ""):
        descriptor, reason = "PC", "een voorstel voor een rechtshandeling"
    elif template == "legislative":
        descriptor, reason = "PC", "volgens het sjabloon een voorstel voor een rechtshandeling"
    else:
        descriptor, reason = "DC", "volgens het sjabloon geen voorstel voor een rechtshandeling"
    return f"5{parsed.year}{descriptor}{parsed.number:04d}", reason


def match_celex(celex_numbers, reference):
    parsed = identifiers.read_reference(reference)
    if parsed is None:
        return None
    return next((celex for celex in celex_numbers if identifiers.celex_matches(celex, parsed)), None)


# ---------------------------------------------------------------- ministries and Council configurations
MINISTRIES = [
    # abbreviation, names and aliases (current and historic); the importer prefers the database.
    ("AZ", ["Algemene Zaken"]),
    ("AenM", ["Asiel en Migratie", "A&M"]),
    ("BZK", ["Binnenlandse Zaken en Koninkrijksrelaties", "Binnenlandse Zaken"]),
    ("BZ", ["Buitenlandse Zaken", "Buitenlandse Handel en Ontwikkelingssamenwerking", "BHOS", "Ontwikkelingssamenwerking"]),
    ("DEF", ["Defensie"]),
    ("EZK", ["Economische Zaken en Klimaat"]),
    ("EL&I", ["Economische Zaken, Landbouw en Innovatie", "ELI", "ELenI"]),
    ("EZ", ["Economische Zaken"]),
    ("FIN", ["Financiën", "Financien"]),
    ("IenW", ["Infrastructuur en Waterstaat", "I&W"]),
    ("IenM", ["Infrastructuur en Milieu", "I&M"]),
    ("JenV", ["Justitie en Veiligheid", "J&V"]),
    ("VenJ", ["Veiligheid en Justitie", "V&J"]),
    ("KGG", ["Klimaat en Groene Groei"]),
    ("LVVN", ["Landbouw, Visserij, Voedselzekerheid en Natuur"]),
    ("LNV", ["Landbouw, Natuur en Voedselkwaliteit"]),
    ("OCW", ["Onderwijs, Cultuur en Wetenschap", "OC&W"]),
    ("SZW", ["Sociale Zaken en Werkgelegenheid"]),
    ("VWS", ["Volksgezondheid, Welzijn en Sport"]),
    ("VRO", ["Volkshuisvesting en Ruimtelijke Ordening"]),
    ("VROM", ["Volkshuisvesting, Ruimtelijke Ordening en Milieubeheer"]),
    ("VenW", ["Verkeer en Waterstaat", "V&W"]),
]

COUNCIL_CONFIGURATIONS = [
    ("GAC", ["Raad Algemene Zaken", "RAZ", "Algemene Raad", "Raad Algemene Zaken en Externe Betrekkingen", "RAZEB"]),
    ("FAC", ["Raad Buitenlandse Zaken", "RBZ"]),
    ("ECOFIN", ["Raad Economische en Financiële Zaken", "Ecofin", "Ecofinraad", "Ecofin-raad", "Raad Economische en Financiele Zaken"]),
    ("JHA", ["Raad Justitie en Binnenlandse Zaken", "JBZ", "JBZ-raad", "JBZ-Raad"]),
    ("EPSCO", ["Raad Werkgelegenheid, Sociaal Beleid, Volksgezondheid en Consumentenzaken", "WSBVC", "WSBVC-raad", "EPSCO"]),
    ("COMPET", ["Raad voor Concurrentievermogen", "Raad Concurrentievermogen", "Concurrentievermogenraad", "RvC", "Raad Concurrentiekracht"]),
    ("TTE", ["Raad Vervoer, Telecommunicatie en Energie", "Transportraad", "Telecomraad", "Energieraad", "Vervoersraad", "TTE-raad", "TTE"]),
    ("AGRIFISH", ["Raad Landbouw en Visserij", "Landbouw- en Visserijraad", "Landbouw en Visserijraad", "LVR", "Landbouwraad", "AGRIFISH"]),
    ("ENVI", ["Milieuraad", "Raad Milieu", "Raad voor Milieu", "ENVI"]),
    ("EYCS", ["Raad Onderwijs, Jeugd, Cultuur en Sport", "OJCS", "OJCS-raad", "Onderwijsraad", "EYCS"]),
]


def _fold(text):
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[(),;:'’\"]|\.(?=\s|$)", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _alias_table(entries):
    table = []
    for code, names in entries:
        for name in [code, *names]:
            table.append((_fold(name), code, name))
    return sorted(table, key=lambda row: len(row[0]), reverse=True)


_MINISTRY_TABLE = _alias_table(MINISTRIES)
_COUNCIL_TABLE = _alias_table(COUNCIL_CONFIGURATIONS)


def _find_all(text, table):
    """Every non-overlapping alias in ``text``, in the order they appear; longest aliases win."""
    folded = f" {_fold(text)} "
    taken = [False] * len(folded)
    hits = []
    for alias, code, name in table:
        for match in re.finditer(rf"(?<=[\s/-]){re.escape(alias)}(?=[\s/-])", folded):
            if any(taken[match.start() : match.end()]):
                continue
            for i in range(match.start(), match.end()):
                taken[i] = True
            hits.append((match.start(), code, name))
    return [(code, name) for _start, code, name in sorted(hits)]


def find_ministries(text):
    """Ministries named in ``text`` in order: the first is the lead, the others co-ministries.

    Handles "Ministerie van X in nauwe samenwerking met het Ministerie van Y" and "Gezamenlijke
    verantwoordelijkheid van X en Y". Returns a list of (abbreviation, matched name).
    """
    seen, result = set(), []
    for code, name in _find_all(text, _MINISTRY_TABLE):
        if code not in seen:
            seen.add(code)
            result.append((code, name))
    return result


def find_council_configuration(text):
    hits = _find_all(text, _COUNCIL_TABLE)
    return hits[0][0] if hits else None


def split_ministry_phrases(text):
    """Split a compound phrase into one raw phrase per ministry (for the ``raw`` values)."""
    parts = re.split(
        r"\s*(?:,|;|\bin\s+(?:nauwe\s+)?samenwerking\s+met\b|\bmede\s+namens\b|\bsamen\s+met\b|\ben\s+(?=(?:het\s+)?ministerie\b)|\bgezamenlijke\s+verantwoordelijkheid\s+van\b)\s*",
        text or "",
        flags=re.IGNORECASE,
    )
    return [re.sub(r"^(?:het|de)\s+", "", p.strip(), flags=re.IGNORECASE) for p in parts if p and p.strip() and find_ministries(p)]
