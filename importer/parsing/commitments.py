"""What the text promises and decides: verdicts, candidate commitments and amounts of money.

These are suggestions for the editor, found by the phrases fiches use ("Het kabinet zal ...",
"wordt meegenomen in de eerstvolgende geannoteerde agenda", "EUR 75 miljoen begroot").
"""

import re
from decimal import Decimal, InvalidOperation

_ABBREVIATIONS = r"(?:o\.a|jl|nr|nrs|bijv|bv|m\.b\.t|t\.a\.v|i\.h\.k|i\.c|e\.d|e\.a|c\.q|d\.w\.z|z\.s\.m|incl|excl|art|lid|mr|dr|prof|ca|vgl|resp|blz|p|pp|e\.g|i\.e|etc|Cion|doc)"
_SENTENCE_END = re.compile(r"(?<=[.!?])(?:\[\^\d+\])?\s+(?=[A-Z0-9À-Ý“‘\"'(])")


def sentences(text):
    """Split a paragraph into sentences, keeping abbreviations such as "o.a." and "jl." inside."""
    result = []
    for paragraph in (text or "").split("\n\n"):
        start = 0
        for match in _SENTENCE_END.finditer(paragraph):
            before = paragraph[: match.start()]
            if re.search(rf"\b{_ABBREVIATIONS}\.$", before, re.IGNORECASE) or re.search(r"\b[A-Z]\.$", before):
                continue
            result.append(paragraph[start : match.start()].strip())
            start = match.end()
        tail = paragraph[start:].strip()
        if tail:
            result.append(tail)
    return [s for s in result if s]


# ---------------------------------------------------------------- verdicts
VERDICTS = [
    ("positief met kanttekeningen", r"positie(?:f|ve)(?:,)?\s+(?:\w+\s+){0,6}?(?:maar\s+)?met\s+(?:enkele\s+|een\s+aantal\s+)?kanttekening(?:en)?"),
    ("nog niet te beoordelen", r"nog\s+niet\s+(?:te\s+)?(?:goed\s+)?(?:te\s+)?beoordel(?:en|d)|kan\s+nog\s+niet\s+worden\s+beoordeeld"),
    ("negatief", r"\bnegatie(?:f|ve)\b"),
    ("neutraal", r"\bneutra(?:al|le)\b"),
    ("positief", r"\bpositie(?:f|ve)\b"),
]
_TOPICS = {
    "competence": r"bevoegdheid",
    "subsidiarity": r"subsidiariteit",
    "proportionality": r"proportionaliteit",
}


def verdict_of(sentence):
    for value, pattern in VERDICTS:
        if re.search(pattern, sentence, re.IGNORECASE):
            return value
    return None


def find_verdict(topic, section_text, all_text):
    """(verdict, sentence) for competence / subsidiarity / proportionality, or (None, "")."""
    topic_re = _TOPICS[topic]
    judged = r"grondhouding|oordeel|beoordeling|beoordeelt|beoordeeld"
    for text in (section_text, all_text):
        for sentence in sentences(text):
            if re.search(topic_re, sentence, re.IGNORECASE) and re.search(judged, sentence, re.IGNORECASE):
                value = verdict_of(sentence)
                if value:
                    return value, sentence
    for sentence in sentences(section_text)[:2]:
        value = verdict_of(sentence)
        if value:
            return value, sentence
    return None, ""


# ---------------------------------------------------------------- amounts
_NUMBER = r"\d{1,3}(?:[.\s]\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_SCALE = r"miljard|mld\.?|miljoen|mln\.?|duizend|billion|million"
AMOUNT = re.compile(
    rf"(?:(?:EUR|€|euro)\s*(?P<n1>{_NUMBER})(?:\s*(?P<s1>{_SCALE}))?(?![\d%])"
    rf"|(?P<n2>{_NUMBER})\s*(?P<s2>{_SCALE})?\s*(?:euro|EUR)\b)",
    re.IGNORECASE,
)
_SCALES = {"miljard": 10**9, "mld": 10**9, "billion": 10**9, "miljoen": 10**6, "mln": 10**6, "million": 10**6, "duizend": 1000}


def to_euros(number, scale):
    number = number.replace(" ", "")
    if scale:
        number = number.replace(".", "").replace(",", ".")
    else:
        number = number.replace(".", "").replace(",", ".") if re.search(r"\.\d{3}(?!\d)", number) else number.replace(",", ".")
    try:
        value = Decimal(number) * _SCALES.get((scale or "").lower().rstrip("."), 1)
    except InvalidOperation:
        return None
    return str(value.quantize(Decimal(1))) if value == value.to_integral() else str(value)


def find_amounts(sections):
    amounts = []
    for section in sections:
        for sentence in sentences(section["text"]):
            for match in AMOUNT.finditer(sentence):
                euros = to_euros(match["n1"] or match["n2"], match["s1"] or match["s2"])
                if euros and Decimal(euros) > 0:
                    amounts.append({"eur": euros, "text": sentence, "section_key": section["key"]})
    return amounts


# ---------------------------------------------------------------- commitments
_SUBJECT = r"(?:het\s+kabinet|nederland|de\s+regering|de\s+minister|de\s+staatssecretaris|wij|ik)"
COMMITMENT_PATTERNS = [
    ("inform", r"(?:geannoteerde\s+agenda|uw\s+kamer|de\s+kamer|kamerbrief|verslag\s+van\s+de\s+raad).*?(?:meegenomen|informeren|geïnformeerd|ingaan|toegelicht|toelichten|rapporteren|sturen|zenden|gezonden)"
               r"|(?:meegenomen|informeren|geïnformeerd|zenden|sturen)\s+.*?(?:geannoteerde\s+agenda|uw\s+kamer|de\s+kamer)"),
    ("cofinancing", r"(?:cofinanciering|begroot|beschikbaar\s+gesteld|gereserveerd).*?(?:EUR|€|euro)|(?:EUR|€|euro)\s*\d.*?(?:begroot|gereserveerd|cofinanciering|beschikbaar)"),
    ("raise", r"aandacht\s+(?:voor\s+)?vragen|aandacht\s+voor\s+\w+\s+vragen|\bagenderen\b|aan\s+de\s+orde\s+stellen|onder\s+de\s+aandacht\s+brengen|\binbrengen\b"),
    ("monitor", r"aandacht\s+blijven\s+houden|blijven\s+volgen|nauwlettend\s+volgen|vinger\s+aan\s+de\s+pols|blijven\s+letten|monitoren|kritisch\s+volgen"),
    ("dialogue", r"\bdialoog\b|\bin\s+gesprek\b|\bgesprek(?:ken)?\s+(?:aan)?gaan\b|\boverleg\b"),
    ("advocate", r"\binzetten\b|\bsterk\s+(?:voor\s+)?maken\b|\bpleiten\b|\bzet\s+zich\b.*\bin\b|\bmaakt\s+zich\b.*\bsterk\b|\bstreven\b|\bbepleiten\b"),
]
_FUTURE = re.compile(rf"\b{_SUBJECT}\s+(?:zal|zullen|gaat|blijft|zet\s+zich|maakt\s+zich)\b|\b(?:zal|zullen)\s+{_SUBJECT}\b", re.IGNORECASE)
_PROMISE = re.compile(
    r"wordt\s+meegenomen\s+in\s+de\s+(?:eerstvolgende\s+)?geannoteerde\s+agenda|zal\s+de\s+kamer|uw\s+kamer\s+(?:zal\s+)?(?:worden\s+)?geïnformeerd|"
    r"(?:informeert|informeer)\s+(?:uw|de)\s+kamer",
    re.IGNORECASE,
)
COMMITMENT_SECTIONS_EXCLUDED = {"essence", "essence-content", "essence-impact-assessment", "position-policy", "position-field"}


def classify(sentence):
    for kind, pattern in COMMITMENT_PATTERNS:
        if re.search(pattern, sentence, re.IGNORECASE):
            return kind
    return "other"


def find_commitments(sections):
    """Candidate commitments: sentences where the cabinet promises something, with their section."""
    found = []
    for section in sections:
        for sentence in sentences(section["text"]):
            promise = bool(_PROMISE.search(sentence))
            if section["key"] in COMMITMENT_SECTIONS_EXCLUDED and not promise:
                continue
            money = bool(re.search(r"(?:begroot|gereserveerd|beschikbaar\s+gesteld)", sentence, re.IGNORECASE) and AMOUNT.search(sentence)
                         and re.search(r"\bkabinet\b|\bnederland\b", sentence, re.IGNORECASE))
            if promise or money or _FUTURE.search(sentence):
                kind = "inform" if promise else ("cofinancing" if money else classify(sentence))
                found.append({"text": sentence, "kind": kind, "section_key": section["key"]})
    return found
