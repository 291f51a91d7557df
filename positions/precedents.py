"""Precedents of a fiche: earlier published fiches on the same legal basis, in the same Council configuration or
on a similar subject, with their verdicts; and a notice when the fiche's verdict differs from most of the last
ten on its legal basis. Shown read-only in the fiche change form (``PrecedentPanel``).

Only ``Fiche.objects.published()`` is read, so the panel can show an editor nothing their role hides (no draft,
review or embargoed fiche of any ministry, their own included). The fiche itself is never its own precedent, nor
is the published fiche it revises, nor a published fiche that a published revision replaced (the revision is).

Legal basis: the articles a fiche cites are read from its free text (``legal_basis_articles``); two fiches share a
legal basis when the other one cites this fiche's first article. The database narrows the rows with a regular
expression on the article number (the same on both databases); Python confirms article and treaty.

Subject: words of this fiche's title (without stop words and the words every title shares, such as
'verordening') found in the other fiche's title. PostgreSQL matches them stemmed in the title part (weight A)
of the trigger-maintained full-text column (see migration ``0002_fiche_search_vector``) and adds trigram
similarity of the whole titles (pg_trgm, migration ``0007_pg_trgm``); SQLite matches the words' first letters
case-insensitively. The interface and the number of queries are the same on both.

Cost: two queries (the precedents, and the last fiches on the legal basis for the notice) whatever the number of
precedents; none when the fiche has nothing to match on.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from django.db import connection
from django.db.models import BooleanField, Case, Exists, F, FloatField, IntegerField, OuterRef, Q, Value, When
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .models import FICHE_NEWEST_FIRST, Fiche

PRECEDENT_LIMIT = 10
MAJORITY_WINDOW = 10  # "the last ten fiches on the same legal basis"
MAJORITY_MINIMUM = 3  # fewer earlier fiches than this say nothing about a majority
TRIGRAM_THRESHOLD = 0.5  # similarity of two whole titles that counts as "similar" on its own
MAX_TITLE_WORDS = 8
VERDICT_FIELDS = ("competence", "subsidiarity", "proportionality")
VERDICT_TOPICS = {  # "oordeelden positief over subsidiariteit"
    "competence": gettext_lazy("bevoegdheid"),
    "subsidiarity": gettext_lazy("subsidiariteit"),
    "proportionality": gettext_lazy("proportionaliteit"),
}

# ---------------------------------------------------------------------------------------------------
# Legal basis: the articles a fiche's free text cites
# ---------------------------------------------------------------------------------------------------

TREATIES = (  # (code, how fiches write it); the code is what a label shows
    ("VWEU", re.compile(r"\bvweu\b|\btfeu\b|werking van de europese unie|functioning of the european union")),
    ("VEU", re.compile(r"\bveu\b|\bteu\b|verdrag betreffende de europese unie|treaty on european union")),
    ("Euratom", re.compile(r"euratom")),
)
TREATY_NAMES = {"VWEU": gettext_lazy("VWEU"), "VEU": gettext_lazy("VEU"), "Euratom": gettext_lazy("Euratom-Verdrag")}
ARTICLE_WORD = re.compile(r"\b(?:artikel(?:en)?|art\.)\s+(?=\d)")
LIST_TOKEN = re.compile(r"\d+[a-z]?\b|[a-z]+|,")
ORDINALS = {"eerste", "tweede", "derde", "vierde", "vijfde", "zesde", "zevende", "achtste", "negende", "tiende"}
LIST_WORDS = {"en", "of", "juncto", "jo", *ORDINALS}  # words inside a list of articles and paragraphs
ONE_PARAGRAPH = {"lid", "onder", "sub", "punt", "alinea"}  # the next number is a paragraph, not an article


@dataclass(frozen=True)
class Article:
    number: str  # "114", "352", "16b"
    treaty: str | None  # a TREATIES code, None when the text names no treaty

    def same_as(self, other):
        # A text that names no treaty is taken to mean the one the other names.
        return self.number == other.number and (self.treaty is None or other.treaty is None or self.treaty == other.treaty)

    @property
    def label(self):
        if self.treaty:
            return _("artikel %(number)s %(treaty)s") % {"number": self.number, "treaty": TREATY_NAMES[self.treaty]}
        return _("artikel %(number)s") % {"number": self.number}


def legal_basis_articles(text):
    """The articles ``text`` cites, in order, each with the treaty named after it (else before it):
    "Artikel 82, tweede lid, en artikel 83, eerste lid, VWEU" gives 82 and 83 VWEU. A number after 'lid' is a
    paragraph, as are those after 'leden' up to the next comma."""
    text = (text or "").lower()
    treaties = sorted((m.start(), code) for code, pattern in TREATIES for m in pattern.finditer(text))
    found = []
    for keyword in ARTICLE_WORD.finditer(text):
        paragraph = None  # None: a number is an article; "one": the next number is a paragraph; "many": up to a comma
        for token in LIST_TOKEN.finditer(text, keyword.end()):
            word = token.group()
            if word[0].isdigit():
                if paragraph is None:
                    found.append((token.start(), word))
                elif paragraph == "one":
                    paragraph = None
            elif word == ",":
                paragraph = None
            elif word in ONE_PARAGRAPH:
                paragraph = "one"
            elif word == "leden":
                paragraph = "many"
            elif word not in LIST_WORDS and len(word) > 1:
                break  # 'van', 'vweu', 'artikel': this list of numbers has ended
    articles = []
    for position, number in found:
        after = [code for start, code in treaties if start > position]
        before = [code for start, code in treaties if start < position]
        article = Article(number, after[0] if after else (before[-1] if before else None))
        if article not in articles:
            articles.append(article)
    return articles


def principal_article(text):
    articles = legal_basis_articles(text)
    return articles[0] if articles else None


def _cites(text, article):
    return any(article.same_as(other) for other in legal_basis_articles(text))


def _article_regex(article):
    """A pattern for the database (PostgreSQL ~* and SQLite's REGEXP read it alike): the number after 'artikel'."""
    return rf"art[^.;]*[^0-9]{re.escape(article.number)}([^0-9a-z]|$)"


# ---------------------------------------------------------------------------------------------------
# Subject: the words of a title that say what it is about
# ---------------------------------------------------------------------------------------------------

# Dutch function words and the words nearly every fiche title shares; matching on them would find everything.
_STOP_WORDS = (
    "aan als bij dat de den der des die dit door een en het hun in inzake met na naar nieuw nieuwe of om onder op over per te "
    "ten ter tot uit van vanaf voor zijn zich wat welke wordt worden zoals "
    "betreffende aanpak actieplan besluit beschikking bnc commissie communicatie eu eu's europa europees europese fiche gedelegeerde "
    "herziening kader mededeling raad richtlijn strategie uitvoering uitvoeringsverordening unie verordening voorstel voorstellen "
    "wetgevingspakket wijziging parlement pakket lidstaten"
)
STOP_WORDS = frozenset(_STOP_WORDS.split())
TITLE_WORD = re.compile(r"[^\W_]+")


def title_words(title):
    """Up to ``MAX_TITLE_WORDS`` distinct words of ``title`` that carry its subject, in order."""
    words = []
    for word in TITLE_WORD.findall((title or "").lower()):
        if len(word) >= 3 and word not in STOP_WORDS and not word.isdigit() and word not in words:
            words.append(word)
    return words[:MAX_TITLE_WORDS]


def _words_needed(words):
    return 1 if len(words) <= 1 else 2 if len(words) <= 6 else 3


def _word_match(word):
    """Whether a fiche's title contains ``word``: stemmed, in the title part (weight A) of the full-text column on
    PostgreSQL (the column is unknown to the ORM, as in public.search); its first letters elsewhere."""
    if connection.vendor == "postgresql":
        # Only letters and digits reach to_tsquery (TITLE_WORD), so the word carries no query syntax.
        return RawSQL("(\"positions_fiche\".\"search_vector\" @@ to_tsquery('dutch', %s))", [f"{word}:A"], output_field=BooleanField())
    return Q(title__icontains=word[: max(5, len(word) - 2)])


# ---------------------------------------------------------------------------------------------------
# The precedents and the notice
# ---------------------------------------------------------------------------------------------------


@dataclass
class Precedent:
    fiche: Fiche
    reasons: list = field(default_factory=list)  # why it matched, as sentences for the panel


def _earlier_published(fiche):
    """Published fiches before ``fiche`` (all of them for a fiche not yet sent), without the fiche itself, the
    fiche it revises, and fiches a published revision replaced."""
    queryset = Fiche.objects.published().exclude(pk=fiche.pk)
    if fiche.revises_id:
        queryset = queryset.exclude(pk=fiche.revises_id)
    if fiche.sent_on:
        queryset = queryset.filter(sent_on__lt=fiche.sent_on)
    replaced = Fiche.objects.published().filter(revises=OuterRef("pk"))
    return queryset.filter(~Exists(replaced))


def find_precedents(fiche, *, limit=PRECEDENT_LIMIT):
    """Up to ``limit`` earlier published fiches like ``fiche``, most alike first (legal basis and subject before
    Council configuration), then newest first. One query; none when there is nothing to match on."""
    article = principal_article(fiche.legal_basis)
    words = title_words(fiche.title)
    council_id = fiche.council_configuration_id
    if not (article or words or council_id):
        return []
    queryset = _earlier_published(fiche).select_related("lead_ministry", "council_configuration")
    same_basis = Value(0)
    if article:
        same_basis = Case(When(legal_basis__iregex=_article_regex(article), then=Value(1)), default=Value(0))
    same_council = Case(When(council_configuration_id=council_id, then=Value(1)), default=Value(0)) if council_id else Value(0)
    queryset = queryset.annotate(same_basis=same_basis, same_council=same_council)
    word_names = [f"word_{i}" for i in range(len(words))]
    shared = Value(0)
    for name, word in zip(word_names, words, strict=True):
        queryset = queryset.annotate(**{name: Case(When(_word_match(word), then=Value(1)), default=Value(0), output_field=IntegerField())})
        shared = shared + F(name)
    similarity = Value(0.0, output_field=FloatField())
    if connection.vendor == "postgresql" and fiche.title:
        from django.contrib.postgres.search import TrigramSimilarity

        similarity = TrigramSimilarity("title", fiche.title)
    queryset = queryset.annotate(shared_words=shared, title_similarity=similarity)
    similar_title = Q(shared_words__gte=_words_needed(words)) if words else Q(pk__in=[])
    similar_title |= Q(title_similarity__gte=TRIGRAM_THRESHOLD)
    queryset = queryset.annotate(
        same_subject=Case(When(similar_title, then=Value(1)), default=Value(0), output_field=IntegerField()),
    )
    matches = Q(same_basis=1) | Q(same_council=1) | Q(same_subject=1)
    queryset = queryset.filter(matches).annotate(
        score=F("same_basis") * 2 + F("same_subject") * 2 + F("same_council"),
        # Among fiches on the same subject the closer title first; a weak similarity sorts nothing.
        subject_rank=Case(When(same_subject=1, then=F("title_similarity")), default=Value(0.0), output_field=FloatField()),
    ).order_by("-score", "-shared_words", "-subject_rank", *FICHE_NEWEST_FIRST)[:limit]

    precedents = []
    for other in queryset:
        reasons = []
        if other.same_basis and _cites(other.legal_basis, article):
            reasons.append(_("zelfde rechtsbasis (%(article)s)") % {"article": article.label})
        if other.same_council:
            reasons.append(_("zelfde Raadsformatie (%(council)s)") % {"council": other.council_configuration.name})
        if other.same_subject:
            shared_words = [word for name, word in zip(word_names, words, strict=True) if getattr(other, name)]
            if shared_words:
                reasons.append(_("vergelijkbare titel (%(words)s)") % {"words": ", ".join(shared_words)})
            else:
                reasons.append(_("vergelijkbare titel"))
        if reasons:  # a number the regular expression took for the article, but that is not: no reason left
            precedents.append(Precedent(other, reasons))
    return precedents


@dataclass
class VerdictNotice:
    field: str
    text: str


def verdict_notices(fiche):
    """For each verdict of ``fiche`` that differs from the verdict most of the last ten earlier published fiches on
    its legal basis (its first article) gave, when more than half of them gave it: a sentence saying so. One query."""
    article = principal_article(fiche.legal_basis)
    own = {name: getattr(fiche, name) for name in VERDICT_FIELDS if getattr(fiche, name)}
    if article is None or not own:
        return []
    rows = (
        _earlier_published(fiche).filter(legal_basis__iregex=_article_regex(article)).order_by(*FICHE_NEWEST_FIRST)
        .values_list("legal_basis", *VERDICT_FIELDS)[: MAJORITY_WINDOW * 3]
    )
    last = [row[1:] for row in rows if _cites(row[0], article)][:MAJORITY_WINDOW]
    if len(last) < MAJORITY_MINIMUM:
        return []
    labels = dict(Fiche._meta.get_field("competence").choices)
    this = _("dit fiche") if fiche.status == Fiche.Status.PUBLISHED else _("dit concept")
    notices = []
    for index, name in enumerate(VERDICT_FIELDS):
        if name not in own:
            continue
        verdict, count = Counter(row[index] for row in last if row[index]).most_common(1)[0] if any(r[index] for r in last) else ("", 0)
        if count * 2 <= len(last) or verdict == own[name]:
            continue
        text = ngettext(
            "%(count)s van de laatste %(total)s fiche op %(article)s oordeelde %(verdict)s over %(topic)s; %(this)s: %(own)s.",
            "%(count)s van de laatste %(total)s fiches op %(article)s oordeelden %(verdict)s over %(topic)s; %(this)s: %(own)s.",
            len(last),
        ) % {"count": count, "total": len(last), "article": article.label, "verdict": labels[verdict], "topic": VERDICT_TOPICS[name],
             "this": this, "own": labels[own[name]]}
        notices.append(VerdictNotice(name, text))
    return notices


class PrecedentPanel:
    """What the change form's precedent panel shows for ``fiche``. Nothing is read until the template asks, so a
    save that redirects costs no query."""

    def __init__(self, fiche):
        self.fiche = fiche

    @cached_property
    def article(self):
        return principal_article(self.fiche.legal_basis)

    @cached_property
    def precedents(self):
        return find_precedents(self.fiche)

    @cached_property
    def notices(self):
        return verdict_notices(self.fiche)
