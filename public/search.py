"""Full-text search over published fiches.

PostgreSQL: every fiche row carries a stored, weighted ``tsvector`` (column ``search_vector``, Dutch
configuration; fiche title A, proposal title and Commission documents B, sections C, footnotes D) with
a GIN index. Triggers keep it current whenever a fiche, one of its sections or footnotes, its
documents, or a document's title changes (migration ``0002_fiche_search_vector``). A search matches on
that vector and ranks on ``rank_vector``, its A and B parts only (migration ``0009_fiche_list_columns``):
about 250 bytes stored in the row, where ranking on the full vector decompressed every matched fiche's
whole text (8 KB, TOASTed; 30-140 ms for a common word at 10,000 fiches). Fiches with the words in
their title come first, then those with them in the proposal or a document title, each by how well
they match there, then the others newest first (the SQLite fallback: title hits first, then newest). We chose triggers
over an update in the services because fiches change through several routes (admin, importer,
fixtures, services, bulk updates): a trigger cannot be forgotten by any of them, and a generated column
cannot read the sections, which live in another table. The columns are deliberately unknown to the ORM,
so SQLite (development, the default test run) needs no such column: a search matches in a subquery of
raw SQL and ranks through ``stored_rank_vector()``; ``gin_matching`` keeps the match on the GIN index.

SQLite: every word of the query must occur (case-insensitively) in the title, the proposal title, a
document title or a section; fiches with the words in their title come first, then newest first.

Snippets: ``SearchHeadline`` (or the Python fallback) marks hits with private-use characters; the
snippet is escaped and only then are those characters turned into ``<mark>``, so no HTML from the data
reaches the page.
"""

import re
from contextlib import contextmanager

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVectorField
from django.db import connection, transaction
from django.db.models import Case, Exists, OuterRef, Q, StringAgg, Subquery, TextField, Value, When
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import mark_safe

from positions.models import FICHE_NEWEST_FIRST, FicheSection
from positions.text import FOOTNOTE_MARKER
from proposals.models import CommissionDocument

CONFIG = "dutch"
START, STOP = "\ue000", "\ue001"
MAX_QUERY_LENGTH = 200
WORD = re.compile(r"\w+", re.UNICODE)


def is_postgresql():
    return connection.vendor == "postgresql"


def stored_rank_vector():
    """The trigger-maintained column ``positions_fiche.rank_vector`` (title A, proposal and document titles B)."""
    return RawSQL('"positions_fiche"."rank_vector"', [], output_field=SearchVectorField())


def search_fiches(queryset, text):
    """Filter ``queryset`` (already published) to fiches matching ``text``, best matches first."""
    text = (text or "").strip()[:MAX_QUERY_LENGTH]
    if not text:
        return queryset
    if is_postgresql():
        # The query is parsed twice: here for the rank (``SearchQuery``) and as raw SQL for the match below. The two
        # must stay the same query (websearch syntax, configuration ``CONFIG``, the same text), or fiches would be
        # ranked on another query than the one that found them.
        query = SearchQuery(text, search_type="websearch", config=CONFIG)
        # The match on the full vector as a subquery of its own: with only that condition, the GIN index is
        # its one way in, which ``gin_matching`` makes the planner take (see there).
        table = queryset.model._meta.db_table
        matching = RawSQL(f"SELECT id FROM {table} WHERE search_vector @@ websearch_to_tsquery(%s::regconfig, %s)",  # noqa: S608, S611
                          [CONFIG, text])
        return (
            queryset.filter(pk__in=matching)
            .annotate(rank=SearchRank(stored_rank_vector(), query))
            # The fiche list's menus query sorts a search's keys by ``public.filters.RELEVANCE_ORDER``: the same order.
            .order_by("-rank", *FICHE_NEWEST_FIRST)
        )
    words = query_words(text)
    if not words:
        return queryset.none()
    title_hits = Value(0)
    for word in words:
        title_hits = title_hits + Case(When(title__icontains=word, then=Value(1)), default=Value(0))
        in_sections = FicheSection.objects.filter(fiche=OuterRef("pk"), text__icontains=word)
        in_documents = CommissionDocument.objects.filter(fiches=OuterRef("pk"), title__icontains=word)
        queryset = queryset.filter(
            Q(title__icontains=word) | Q(proposal_title__icontains=word) | Exists(in_sections) | Exists(in_documents)
        )
    return queryset.annotate(rank=title_hits).order_by("-rank", *FICHE_NEWEST_FIRST)


def has_positive_term(text):
    """Whether a websearch query asks for at least one word or phrase (not only ``-word``): then the GIN index
    finds its matches without reading the vectors."""
    return any(not part.startswith("-") and WORD.search(part) for part in (text or "").split())


@contextmanager
def gin_matching(connection, text):
    """Around a query that matches ``text`` on PostgreSQL: no sequential or plain index scans (``SET LOCAL``, put
    back afterwards), so that the match reads the GIN index.

    Why: a word in nearly every fiche makes the planner prefer reading the whole table, and each row then
    decompresses its whole ``search_vector`` (8 KB, TOASTed) to test it: 70-90 ms at 10,000 fiches, where the
    index answers a query without phrases or weights without reading any vector (10-20 ms). The planner has
    no price for that decompression. Only for a query with a word or phrase to find: a query of negations
    alone cannot use the index and keeps the planner's own choice."""
    if connection.vendor != "postgresql" or not has_positive_term(text):
        yield
        return
    with transaction.atomic(using=connection.alias):
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true)")
        yield
        # The query only read: rolling back its transaction (or savepoint) puts the two settings back.
        transaction.set_rollback(True, using=connection.alias)


def query_words(text):
    """Words of a query for the SQLite fallback: websearch operators and quotes are ignored."""
    return [w for w in WORD.findall(text or "") if w.lower() not in {"or", "and", "not"}][:10]


EXCLUDED = re.compile(r'(?:^|(?<=\s))-(?:"[^"]*"?|\S*)')  # websearch syntax: -word, -"a phrase"


def marked_words(text):
    """The words a search's snippets mark: every word it asks for, not those it excludes (``-word``, ``-"a phrase"``),
    nor the operator ``or``. Up to ten, each once."""
    kept = EXCLUDED.sub(" ", text or "")
    return list(dict.fromkeys(w for w in WORD.findall(kept) if w.lower() != "or"))[:10]


def headline_query(text, words):
    """PostgreSQL: the query whose hits a snippet marks: ANY word the search asks for (``'digital' | 'markt'``).

    The search itself finds fiches with ALL its words (or its phrase), but these may be spread over the title and
    several sections; the snippet is cut from one section. Given the search's own query, ``ts_headline`` finds no
    fragment with every word in such a window and then shows its first 15 words, mostly without a single hit: a
    quarter of the snippets of 200 real queries at 10,000 fiches (issue 17). With any word, every fragment is
    centred on a hit. ``words``: ``marked_words(text)``. A search of exclusions only has nothing to mark: its own
    query then."""
    if not words:
        return SearchQuery(text, search_type="websearch", config=CONFIG)
    return SearchQuery(" | ".join(words), search_type="raw", config=CONFIG)  # \w+ words: nothing to_tsquery reads as syntax


SNIPPET_WINDOW = 1500  # characters of section text a headline is built from (two fragments of 25 words fit well within)
SNIPPET_LEAD = 300  # characters kept before the first hit


def with_snippets(queryset, text):
    """Annotate ``snippet_raw`` on PostgreSQL, ``section_text`` elsewhere; call on one page of rows.

    ``ts_headline`` costs time in proportion to the text it reads, so on PostgreSQL it reads a bounded
    window (``SNIPPET_WINDOW`` characters) instead of the whole fiche (about 25 KB): the first section,
    in template order, containing a query word (or its first letters, so that "netwerken" finds
    "netwerk"), from a little before that word; the first section when none does (a hit in the title
    or a document title only). The window is cut between words. The SQLite fallback works on the
    aggregated text in Python.

    A word is looked for as written in lower case, with a capital and in capitals (byte searches):
    lower-casing every section of 25 fiches cost about 10 ms a page, twice the headlines themselves.
    """
    text = (text or "").strip()[:MAX_QUERY_LENGTH]
    if not text:
        return queryset  # no search, no snippet: nothing to read (the whole text of 25 fiches was, issue 17)
    if not is_postgresql():
        return queryset.annotate(section_text=_section_text())
    words = marked_words(text)
    return queryset.annotate(
        snippet_raw=SearchHeadline(
            _snippet_window(words), headline_query(text, words), config=CONFIG, start_sel=START, stop_sel=STOP,
            max_words=25, min_words=12, max_fragments=2, fragment_delimiter=" … ",
        ),
    )


def _snippet_window(words):
    stems = [w.lower()[: max(5, len(w) - 3)] for w in words] or [""]
    probes = list(dict.fromkeys(form for stem in stems for form in (stem, stem.capitalize(), stem.upper())))
    found = " OR ".join(["STRPOS(d.t, %s) > 0"] * len(probes))
    first = ", ".join(["NULLIF(STRPOS(d.t, %s), 0)"] * len(probes))
    section = FicheSection._meta.db_table
    # Only our own table name and placeholders are formatted in; the words travel as parameters. ``d.t`` is the section's
    # text decompressed once (``s.text || ''``): a text over about 2 KB is stored compressed, and every STRPOS on
    # ``s.text`` itself decompressed it again, twelve times a section. ``OFFSET 0`` keeps the planner from folding the
    # lateral subquery into the expressions that read it, which copied ``s.text || ''`` into each STRPOS again (the
    # plan showed it: the same output, 5.3-6.0 -> 3.6-4.5 ms for the windows of 25 rows at 10,000 fiches, issue 17).
    # The window is cut between words at both ends: a word cut off at its start or its end is left out ("… doele").
    sql = (
        "(SELECT CASE WHEN v.cut THEN REGEXP_REPLACE(v.x, '\\s+\\S*$', '') || ' …' ELSE v.x END FROM ("  # noqa: S608
        "SELECT CASE WHEN w.start > 1 THEN REGEXP_REPLACE(SUBSTR(w.t, w.start, %s), '^\\S*\\s+', '') "
        "ELSE SUBSTR(w.t, 1, %s) END AS x, LENGTH(w.t) >= w.start + %s AS cut "
        f"FROM (SELECT d.t AS t, GREATEST(1, COALESCE(LEAST({first}), 1) - %s) AS start FROM {section} s "
        "CROSS JOIN LATERAL (SELECT s.text || '' AS t OFFSET 0) d "
        f'WHERE s.fiche_id = "positions_fiche"."id" ORDER BY ({found}) DESC, s.position LIMIT 1) w) v)'
    )
    params = [SNIPPET_WINDOW, SNIPPET_WINDOW, SNIPPET_WINDOW, *probes, SNIPPET_LEAD, *probes]
    return RawSQL(sql, params, output_field=TextField())  # noqa: S611


def _section_text():
    sections = (
        FicheSection.objects.filter(fiche=OuterRef("pk"))
        .order_by()
        .values("fiche")
        .annotate(all_text=StringAgg("text", delimiter=Value("\n\n"), **({"order_by": "position"} if is_postgresql() else {})))
        .values("all_text")
    )
    return Subquery(sections)


def snippet(fiche, text):
    """A safe HTML snippet for one search result, hits wrapped in ``<mark>``."""
    raw = getattr(fiche, "snippet_raw", None)
    if raw is None:
        raw = _python_snippet(getattr(fiche, "section_text", None) or "", query_words(text))
    raw = FOOTNOTE_MARKER.sub("", raw or "")
    if not raw.strip():
        return ""
    html = escape(" ".join(raw.split()))
    return mark_safe(html.replace(START, "<mark>").replace(STOP, "</mark>"))  # escaped just above


def _python_snippet(text, words, width=220):
    text = FOOTNOTE_MARKER.sub("", text)
    if not text or not words:
        return ""
    lowered = text.lower()
    positions = [p for p in (lowered.find(w.lower()) for w in words) if p >= 0]
    if not positions:
        return ""
    start = max(0, min(positions) - width // 3)
    end = min(len(text), start + width)
    # Cut between words, never inside one ("… gens de Commissie"): a hit itself is never cut off.
    if start:
        space = text.find(" ", start, min(positions))
        start = space + 1 if space >= 0 else start
    if end < len(text):
        space = text.rfind(" ", max(positions), end)
        end = space if space > start else end
    fragment = text[start:end].replace(START, "").replace(STOP, "")
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.IGNORECASE)
    fragment = pattern.sub(lambda m: f"{START}{m.group(0)}{STOP}", fragment)
    return ("… " if start else "") + fragment + (" …" if end < len(text) else "")
