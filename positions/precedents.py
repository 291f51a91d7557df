"""Precedents of a fiche: earlier published fiches on the same legal basis, in the same Council configuration or
on a similar subject, with their verdicts; and a notice when the fiche's verdict differs from most of the last
ten on its legal basis. Shown read-only beside the fiche change form (``PrecedentPanel``), on a page of its own
(``<id>/precedenten/``) that the form's script loads after the form, or that a link opens without JavaScript.

Only ``Fiche.objects.published()`` is read, so the panel can show an editor nothing their role hides (no draft,
review or embargoed fiche of any ministry, their own included). The fiche itself is never its own precedent, nor
is the published fiche it revises, nor a published fiche that a published revision replaced (the revision is).

Legal basis: the articles a fiche cites are read from its free text (``legal_basis_articles``); two fiches share a
legal basis when the other one cites this fiche's first article. The database narrows the rows with a regular
expression on the article number (the same on both databases); Python confirms article and treaty.

Subject: the words of this fiche's title that carry its subject (``title_words``: no stop words, nor the words every
title shares, such as 'verordening'), found by their first letters in the other fiche's title; enough of them in
common make a similar title. PostgreSQL finds the candidate titles by trigram distance to those words (pg_trgm,
migrations 0007 and 0008, nearest first from a GiST index); SQLite takes the titles with the most of the words.
Full-text search was tried and measured first: the stored vector holds the whole fiche (TOAST-read for every row)
and a vector of every title made on the fly cost 40 ms at 10,000 fiches; the trigram index costs a few.

Cost: at most three queries (``Candidates``) whatever the number of precedents, shared by the notice; none when
the fiche has nothing to match on.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from django.db import connection
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .models import FICHE_NEWEST_FIRST, VERDICTS, Fiche, Verdict

PRECEDENT_LIMIT = 10
MAJORITY_WINDOW = 10  # "the last ten fiches on the same legal basis"
MAJORITY_MINIMUM = 3  # fewer earlier fiches than this say nothing about a majority
MAX_TITLE_WORDS = 8
VERDICT_FIELDS = tuple(name for name, _label in VERDICTS)
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
    return rf"art[^;]*[^0-9]{re.escape(article.number)}([^0-9a-z]|$)"


# ---------------------------------------------------------------------------------------------------
# Subject: the words of a title that say what it is about
# ---------------------------------------------------------------------------------------------------

# Dutch function words and the words nearly every fiche title shares; matching on them would find everything.
_STOP_WORDS = (
    "aan als bij dat de den der des die dit door een en het hun in inzake met na naar nieuw nieuwe of om onder op over per te "
    "ten ter tot uit van vanaf voor zijn zich wat welke wordt worden zoals "
    "betreffende aanpak actieplan besluit beschikking bnc commissie communicatie eu eu's europa europees europese fiche gedelegeerde "
    "herziening kader mededeling raad richtlijn strategie uitvoering uitvoeringsverordening unie verordening voorstel voorstellen "
    "wetgevingspakket wijziging parlement pakket lidstaten regels vaststelling bepaalde wetgevingshandelingen geharmoniseerde"
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


def _stem(word):
    """The first letters of a word that its inflections share ('digitale', 'digitaal': 'digita')."""
    return word[: max(5, len(word) - 2)]


def shared_title_words(words, title):
    """Which of ``words`` occur in ``title`` (by their first letters, case-insensitively)."""
    title = (title or "").lower()
    return [word for word in words if _stem(word) in title]


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
    return queryset.filter(~Exists(replaced)).select_related("lead_ministry", "council_configuration").only(*PANEL_FIELDS)


# What the panel and the ranking read of a precedent (the long texts it does not show stay in the database).
PANEL_FIELDS = ("title", "kamerstuk", "sent_on", "legal_basis", "council_configuration__name", "lead_ministry__abbreviation",
                "lead_ministry__name", "lead_ministry_raw", *(f"{name}{part}" for name in VERDICT_FIELDS for part in ("", "_sentence")))


class Candidates:
    """The rows the panel chooses from, one query a kind, each bounded (``CANDIDATES`` rows): the newest fiches on
    the legal basis (also the rows of the notice), the newest in the Council configuration, and the titles nearest
    to the subject words. Ranking all published fiches in the database computed every test for every row (140-340
    ms at 10,000 fiches); these three read a few dozen rows through indexes (sent_on, and the trigram indexes of
    migration 0008 on PostgreSQL). A fiche found by more than one query counts every reason, so the result equals
    ranking everything unless one kind alone has more than ``CANDIDATES`` better rows than the others."""

    def __init__(self, fiche):
        self.fiche = fiche
        self.article = principal_article(fiche.legal_basis)
        self.words = title_words(fiche.title)
        self.council_id = fiche.council_configuration_id

    @cached_property
    def earlier(self):
        return _earlier_published(self.fiche)  # built once: each kind filters a copy

    @cached_property
    def on_legal_basis(self):
        if self.article is None:
            return []
        rows = self.earlier.filter(legal_basis__iregex=_article_regex(self.article))
        return [row for row in rows.order_by(*FICHE_NEWEST_FIRST)[:CANDIDATES] if _cites(row.legal_basis, self.article)]

    @cached_property
    def in_council(self):
        if not self.council_id:
            return []
        return list(self.earlier.filter(council_configuration_id=self.council_id).order_by(*FICHE_NEWEST_FIRST)[:CANDIDATES])

    @cached_property
    def on_subject(self):
        if not self.words:
            return []
        queryset = self.earlier
        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import TrigramDistance

            # Nearest titles first, read in distance order from the GiST trigram index (migration 0008); a second
            # sort key would make PostgreSQL compute the distance of every row (a second at 10,000 fiches).
            return list(queryset.order_by(TrigramDistance("title", " ".join(self.words)))[:CANDIDATES])
        # Elsewhere the titles with the most of the words first (every row is tested: fine for a development database).
        any_word, shared = Q(), Value(0)
        for word in self.words:
            any_word |= Q(title__icontains=_stem(word))
            shared = shared + Case(When(title__icontains=_stem(word), then=Value(1)), default=Value(0))
        return list(queryset.filter(any_word).annotate(shared_words=shared).order_by("-shared_words", *FICHE_NEWEST_FIRST)[:CANDIDATES])


CANDIDATES = 30


def rank_precedents(candidates, *, limit=PRECEDENT_LIMIT):
    """Up to ``limit`` precedents from ``candidates``, most alike first (legal basis and subject count twice, the
    Council configuration once; then more shared title words), then newest first."""
    article, words, council_id = candidates.article, candidates.words, candidates.council_id
    needed = _words_needed(words)
    seen, ranked = set(), []
    for other in [*candidates.on_legal_basis, *candidates.in_council, *candidates.on_subject]:
        if other.pk in seen:
            continue
        seen.add(other.pk)
        reasons, score = [], 0
        if article is not None and _cites(other.legal_basis, article):
            reasons.append(_("zelfde rechtsbasis (%(article)s)") % {"article": article.label})
            score += 2
        if council_id and other.council_configuration_id == council_id:
            reasons.append(_("zelfde Raadsformatie (%(council)s)") % {"council": other.council_configuration.name})
            score += 1
        shared = shared_title_words(words, other.title)
        if words and len(shared) >= needed:
            reasons.append(_("vergelijkbare titel (%(words)s)") % {"words": ", ".join(shared)})
            score += 2
        if reasons:
            ranked.append((score, len(shared), other, reasons))
    # FICHE_NEWEST_FIRST (published fiches have a send date and a Kamerstuk number), then the stable sort by likeness.
    ranked.sort(key=lambda item: (item[2].sent_on, item[2].kamerstuk, item[2].pk), reverse=True)
    ranked.sort(key=lambda item: (-item[0], -item[1]))
    return [Precedent(other, reasons) for _score, _shared, other, reasons in ranked[:limit]]


def find_precedents(fiche, *, limit=PRECEDENT_LIMIT):
    """Up to ``limit`` earlier published fiches like ``fiche``, most alike first. At most three queries (one for each
    of legal basis, Council configuration and title the fiche has), whatever the number of precedents."""
    return rank_precedents(Candidates(fiche), limit=limit)


@dataclass
class VerdictNotice:
    field: str
    text: str


def verdict_notices(fiche, candidates=None):
    """For each verdict of ``fiche`` that differs from the verdict most of the last ten earlier published fiches on
    its legal basis (its first article) gave, when more than half of them gave it: a sentence saying so. Reads the
    same rows as the precedents on the legal basis (one query, none when ``candidates`` has read them)."""
    candidates = candidates or Candidates(fiche)
    article = candidates.article
    own = {name: getattr(fiche, name) for name in VERDICT_FIELDS if getattr(fiche, name)}
    if article is None or not own:
        return []
    last = candidates.on_legal_basis[:MAJORITY_WINDOW]
    if len(last) < MAJORITY_MINIMUM:
        return []
    labels = dict(Verdict.choices)
    this = _("dit fiche") if fiche.status == Fiche.Status.PUBLISHED else _("dit concept")
    notices = []
    for name, value in own.items():
        given = Counter(getattr(row, name) for row in last if getattr(row, name))
        if not given:
            continue
        verdict, count = given.most_common(1)[0]
        if count * 2 <= len(last) or verdict == value:
            continue
        text = ngettext(
            "%(count)s van de laatste %(total)s fiche op %(article)s oordeelde %(verdict)s over %(topic)s; %(this)s: %(own)s.",
            "%(count)s van de laatste %(total)s fiches op %(article)s oordeelden %(verdict)s over %(topic)s; %(this)s: %(own)s.",
            len(last),
        ) % {"count": count, "total": len(last), "article": article.label, "verdict": labels[verdict], "topic": VERDICT_TOPICS[name],
             "this": this, "own": labels[value]}
        notices.append(VerdictNotice(name, text))
    return notices


class PrecedentPanel:
    """What the precedent panel shows for ``fiche``, read as the template asks for it; the precedents and the
    notice share their rows."""

    def __init__(self, fiche):
        self.fiche = fiche
        self.candidates = Candidates(fiche)

    @cached_property
    def precedents(self):
        return rank_precedents(self.candidates)

    @cached_property
    def notices(self):
        return verdict_notices(self.fiche, self.candidates)
