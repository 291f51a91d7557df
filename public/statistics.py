"""Figures for the statistics page, computed from published data only, drawn as HTML bar charts.

Every chart is a list of labelled bars (HTML text, so it wraps and keeps its size on a phone; an SVG per
bar holds only the coloured segments, sized in percent) and the same numbers are in a table beside it.
Segments differ by colour (a colour-blind-safe palette) and by a pattern, so colour is never the only cue.
Timeliness is one bar per ministry for a chosen year (all years by default) and a ministry x year table;
ministries are named by their name and period, so the three ministries of Economische Zaken differ.
"""

import datetime
import statistics as pystats
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache

from django import forms
from django.conf import settings
from django.db import connections
from django.db.models import Case, Count, F, Func, IntegerField, Q, Value, When
from django.db.models.functions import Cast, Coalesce, ExtractYear
from django.db.models.lookups import LessThanOrEqual
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from outcomes.models import Achievement, OutcomePoint
from pagecache.results import ContentCache
from positions.models import VERDICTS, Commitment, Verdict
from proposals.deadlines import fiche_deadline
from proposals.models import CouncilConfiguration, Ministry, ministry_label

from . import selectors
from .filters import grouping_of


@dataclass
class Segment:
    key: str
    label: str
    value: int
    x: float = 0.0  # start, in percent of the bar's width
    width: float = 0.0  # in percent of the bar's width
    percent: int = 0  # share of the row's total


@dataclass
class Row:
    label: str
    segments: list
    total: int = 0
    group: str = ""  # a heading shown above this row (the first row of a group)
    extra: dict = field(default_factory=dict)


class _Escaped(dict):
    """Texts as ``{{ text }}`` writes them (``conditional_escape``), each object escaped once: the same label objects
    recur in every row of a chart (the legend's), and a lazy translation would be looked up at every escape.
    Keyed by the object's id, the object kept with its text so that the id stays its own while the dict lives."""

    def __call__(self, value):
        found = self.get(id(value))
        if found is None:
            self[id(value)] = found = (value, conditional_escape(value))
        return found[1]


class _Localized(dict):
    """Numbers as ``{{ number }}`` writes them (``localize``, then escaped), each distinct one localized once."""

    def __missing__(self, value):
        self[value] = text = conditional_escape(localize(value))
        return text


@dataclass
class Chart:
    """A chart's rows, drawn by ``includes/stacked_chart.html``.

    The repeated markup (a bar per row with a rectangle per segment, a table row per row with a cell per
    segment) is written here by ``bar_rows`` and ``table_rows`` rather than by template tags: the verdict
    chart alone has 30 rows of 6 segments, and at a dozen template nodes per segment the charts were most
    of the rendering of the page. The markup is exactly what the template's loops wrote: texts escaped
    and numbers localized as ``{{ }}`` does, positions as ``stringformat:'.2f'``. It is written with f-strings,
    each text through ``conditional_escape`` once per chart and language (``_texts``): ``format_html`` per
    rectangle and cell, escaping every argument, was most of their time.
    """

    rows: list
    legend: list  # (key, label)

    @property
    def stacked(self):
        return len(self.legend) > 1

    @property
    def grouped(self):
        return bool(self.rows and self.rows[0].group)

    def _texts(self):
        """(numbers, texts) as ``{{ }}`` writes them, shared by the chart's bars and its table: per language, as
        they are localized and translated."""
        by_language = self.__dict__.setdefault("_texts_by_language", {})
        language = get_language()
        if language not in by_language:
            by_language[language] = (_Localized(), _Escaped())
        return by_language[language]

    def bar_rows(self):
        (number, escape), stacked = self._texts(), self.stacked
        sub = " hchart-sub" if self.grouped else ""

        def rect(s):
            share = f" ({number[s.percent]}%)" if stacked else ""
            return (f'<rect x="{s.x:.2f}%" y="0" width="{s.width:.2f}%" height="20" class="seg seg-{escape(s.key)}"><title>'
                    f"{escape(s.label)}: {number[s.value]}{share}</title></rect>")

        def row(row):
            group = f'<p class="hchart-group">{escape(row.group)}</p>' if row.group else ""
            return (f'{group}\n    <div class="hchart-row{sub}"><span class="hchart-label">{escape(row.label)}</span><svg class="hchart-bar" '
                    f'width="100%" height="20" focusable="false">{"".join(rect(s) for s in row.segments if s.width)}</svg>'
                    f'<span class="hchart-total">{number[row.total]}</span></div>\n  ')

        return mark_safe("".join(row(r) for r in self.rows))

    def table_rows(self):
        (number, escape), stacked, grouped = self._texts(), self.stacked, self.grouped

        def cell(s):
            return f"<td>{number[s.value]} ({number[s.percent]}%)</td>" if stacked else f"<td>{number[s.value]}</td>"

        def row(row):
            config = f'<th scope="row">{escape(row.extra.get("config", ""))}</th>' if grouped else ""
            total = f"<td>{number[row.total]}</td>" if stacked else ""
            return f'<tr>{config}<th scope="row">{escape(row.label)}</th>{"".join(cell(s) for s in row.segments)}{total}</tr>'

        return mark_safe("".join(row(r) for r in self.rows))


def _layout(rows, legend, *, scale_to_max=False):
    """Stacked bars: each row spans the full width, or (``scale_to_max``) a share of the largest row."""
    largest = max((r.total for r in rows), default=0) or 1
    for row in rows:
        full = 100 * row.total / largest if scale_to_max else 100
        x = 0.0
        for segment in row.segments:
            segment.percent = round(100 * segment.value / row.total) if row.total else 0
            segment.width = round(full * segment.value / row.total, 2) if row.total else 0
            segment.x = round(x, 2)
            x += segment.width
    return Chart(rows=rows, legend=legend)


class _FicheTerm(Func):
    """The days from a date of receipt to its fiche's deadline (``proposals.deadlines.fiche_deadline``), as an integer.

    The rule stays in Python: it depends on the day and month of receipt only (six weeks, and the paused days of
    August 1 to 28 they cover), so its 366 values (``_fiche_terms``) are looked up by day and month in SQL, and the
    fiches are counted on time or late by the database instead of in Python one by one. PostgreSQL reads the term
    from an array (one subscript a row), SQLite from a CASE over the days whose term is not the usual six weeks.
    ``FiguresTests`` holds the table to ``fiche_deadline`` for every day of many years."""

    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra):
        (date, params), = (compiler.compile(expression) for expression in self.get_source_expressions())
        terms, usual = _fiche_terms()
        unusual = [(key, days) for key, days in terms.items() if days != usual]
        key = f"CAST(strftime('%%m', {date}) AS INTEGER) * 32 + CAST(strftime('%%d', {date}) AS INTEGER)"
        return (f"CASE {key} {' '.join('WHEN %s THEN %s' for _unusual in unusual)} ELSE %s END",
                (*params, *params, *(value for pair in unusual for value in pair), usual))

    def as_postgresql(self, compiler, connection, **extra):
        (date, params), = (compiler.compile(expression) for expression in self.get_source_expressions())
        terms, usual = _fiche_terms()
        table = [terms.get(key, usual) for key in range(1 * 32 + 1, 12 * 32 + 32)]  # subscript 1 is 1 January (key 33)
        return (f"(%s::integer[])[date_part('month', {date})::integer * 32 + date_part('day', {date})::integer - 32]",
                (table, *params, *params))


@cache
def _fiche_terms():
    """({month * 32 + day: days from receipt on that day to the fiche's deadline}, the most common number of days)."""
    day, terms = datetime.date(2024, 1, 1), {}  # a leap year: 29 February too
    while day.year == 2024:
        terms[day.month * 32 + day.day] = (fiche_deadline(day) - day).days
        day += datetime.timedelta(days=1)
    return terms, Counter(terms.values()).most_common(1)[0][0]


def _grouped_counts(values, sets, labels=()):
    """[(set, group, n, label)]: the rows of ``values`` (a ``values()`` queryset) counted per group of each of ``sets``
    (tuples of its column names), in one query: on PostgreSQL in one pass over the rows (``GROUPING SETS``), on SQLite
    as a GROUP BY per set (UNION ALL). ``set`` is the set's index in ``sets``; ``group`` the group's values of all
    the columns of ``sets`` in the order they first appear there (None for a column not in the set); ``label`` the
    values of the fields of each of ``labels``, (column, model, fields): the row of ``model`` whose primary key is in
    ``column``, joined to the counted rows (None in a row whose set has not that column)."""
    inner_sql, params = values.query.sql_with_params()
    columns = list(dict.fromkeys(column for group in sets for column in group))
    connection = connections[values.db]
    # Only our own table and column names and the ORM's SQL are formatted in; values are parameters.
    if connection.vendor == "postgresql":
        set_of = {grouping_of(columns, group): index for index, group in enumerate(sets)}
        grouped = (f"SELECT GROUPING({', '.join(columns)}) AS grouping_set, {', '.join(columns)}, COUNT(*) AS n FROM ({inner_sql}) f "  # noqa: S608
                   f"GROUP BY GROUPING SETS ({', '.join('(' + ', '.join(group) + ')' for group in sets)})")
    else:
        set_of = {index: index for index in range(len(sets))}
        grouped = " UNION ALL ".join(
            f"SELECT {index} AS grouping_set, {', '.join(c if c in group else f'NULL AS {c}' for c in columns)}, COUNT(*) AS n "  # noqa: S608
            f"FROM ({inner_sql}) f GROUP BY {', '.join(group)}" for index, group in enumerate(sets))
        params = tuple(params) * len(sets)
    joined, joins = [], []
    for index, (column, model, fields) in enumerate(labels):
        joins.append(f" LEFT JOIN {model._meta.db_table} l{index} ON l{index}.{model._meta.pk.column} = g.{column}")
        joined += [f", l{index}.{model._meta.get_field(name).column}" for name in fields]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT g.*{''.join(joined)} FROM ({grouped}) g{''.join(joins)}", params)  # noqa: S608
        width = len(columns)
        return [(set_of[row[0]], row[1:width + 1], row[width + 1], row[width + 2:]) for row in cursor.fetchall()]


_MINISTRY_LABEL = ("ministry_id", Ministry, ("name", "valid_from", "valid_until"))
_COUNCIL_NAME = ("council_id", CouncilConfiguration, ("name",))


def _fiche_counts():
    """The counts of published fiches behind three figures, from one query that returns a row per group, not per fiche:

    - ``per_year``: {year of sending or None: n};
    - ``timeliness``: {(lead ministry id or None, year): Counter(on_time, late, unknown)};
    - ``ministries``: {ministry id: (name, from, until)}, for the labels;
    - ``verdicts``: {Council configuration name or None: {verdict field: Counter(verdict: n)}}.

    The database tells on time from late (as ``Fiche.sent_on_time``: unknown without an exact date of receipt), with
    the six-week rule of ``proposals.deadlines.fiche_deadline`` looked up per day of receipt (``_FicheTerm``), and
    counts the fiches per ministry, year and timeliness and per Council and verdicts (``_grouped_counts``), the names
    of the ministries and Councils joined to the counted rows: some 1,200 rows at 8,400 published fiches (reading the
    fiches one by one and classifying them in Python took 25 ms there, this query 11-15 ms).
    """
    verdict_fields = [name for name, _label in VERDICTS]
    unknown = Q(sent_on__isnull=True) | Q(received_on__isnull=True) | Q(received_month_only=True)
    rows = _grouped_counts(
        selectors.fiches().order_by().values(
            *verdict_fields,
            ministry_id=F("lead_ministry"),
            council_id=F("council_configuration"),
            year=Cast(ExtractYear("sent_on"), IntegerField()),
            on_time=Case(When(unknown, then=Value("unknown")),
                         When(LessThanOrEqual(_DaysSince("sent_on", "received_on"), _FicheTerm("received_on")), then=Value("on_time")),
                         default=Value("late")),
        ),
        [("ministry_id", "year", "on_time"), ("council_id", *verdict_fields)],
        [_MINISTRY_LABEL, _COUNCIL_NAME],
    )
    per_year, timeliness, ministries, verdicts = Counter(), defaultdict(Counter), {}, {}
    for grouping_set, (ministry_id, year, on_time, _council_id, *given), n, (name, valid_from, valid_until, council) in rows:
        if grouping_set == 0:
            per_year[year] += n
            timeliness[(ministry_id, year)][on_time] += n
            if ministry_id:
                ministries[ministry_id] = (name, valid_from, valid_until)
        else:
            if council not in verdicts:
                verdicts[council] = {field_name: Counter() for field_name in verdict_fields}
            for counter, verdict in zip(verdicts[council].values(), given, strict=True):
                counter[verdict] += n
    return {"per_year": dict(per_year), "timeliness": dict(timeliness), "ministries": ministries, "verdicts": verdicts}


def _or_counted(figures):
    """``figures`` (``_fiche_counts()``, as ``collect`` reads them once for the three figures), or counted now."""
    return _fiche_counts() if figures is None else figures


def fiches_per_year(figures=None):
    counts = _or_counted(figures)["per_year"]
    # By year, a fiche without a date of sending last (published fiches have one).
    ordered = sorted(counts.items(), key=lambda item: (item[0] is None, item[0] or 0))
    rows = [Row(label=str(year or _("onbekend")), segments=[Segment("fiches", _("fiches"), n)], total=n) for year, n in ordered]
    return _layout(rows, [("fiches", _("fiches"))], scale_to_max=True)


class YearForm(forms.Form):
    """The year of the timeliness chart: one of the years with fiches, or empty for all years."""

    jaar = forms.TypedChoiceField(label=gettext_lazy("Jaar"), required=False, coerce=int, empty_value=None)

    def __init__(self, data, *, years):
        super().__init__(data)
        self.fields["jaar"].choices = [("", _("alle jaren"))] + [(str(y), str(y)) for y in years]
        self.fields["jaar"].error_messages["invalid_choice"] = _("Kies een jaar uit de lijst: %(first)s tot en met %(last)s.") % {
            "first": years[0] if years else "-", "last": years[-1] if years else "-"}

    @property
    def year(self):
        return self.cleaned_data.get("jaar") if self.is_valid() else None


@dataclass
class Timeliness:
    chart: Chart
    form: YearForm
    year: int | None
    years: list  # the columns of the grid
    grid: list  # (ministry label, [(on_time, total, percent or None) per year], (on_time, total, percent))

    @property
    def grid_body(self):
        """The grid's table rows as HTML. Written here rather than by template tags: with 25 ministries and
        20 years its 550 cells, a dozen template nodes each, were half the rendering of the page. The same
        markup as ``{% for %}`` wrote (the label escaped, the numbers localized like ``{{ }}`` does)."""
        number, escape = _Localized(), _Escaped()

        def cell(on_time, total, percent):
            if not total:
                return "<td>–</td>"
            return f'<td>{number[percent]}% <span class="meta">({number[on_time]}/{number[total]})</span></td>'

        return mark_safe("".join(
            f'<tr><th scope="row">{escape(label)}</th>{"".join(cell(*c) for c in cells)}{cell(*total)}</tr>' for label, cells, total in self.grid
        ))


def timeliness(figures=None, params=None):
    """Per lead ministry, for one year or all: sent within the term, late, and unknown (no exact date of
    receipt); and a ministry x year grid of the share sent on time.

    ``figures``: ``_fiche_counts()``, which counted the fiches per ministry, year and timeliness (the six-week
    rule of ``proposals.deadlines``) in its one scan; counted now when not given.
    """
    figures = _or_counted(figures)
    counted, ministries = figures["timeliness"], figures["ministries"]
    years = sorted({year for _m, year in counted if year})
    form = YearForm(params if params and "jaar" in params else None, years=years)
    year = form.year if form.is_bound else None
    legend = [("on_time", _("op tijd")), ("late", _("te laat")), ("unknown", _("onbekend"))]

    def label(ministry_id):
        return ministry_label(*ministries[ministry_id]) if ministry_id in ministries else _("onbekend")

    per_ministry = defaultdict(Counter)
    grid_cells = defaultdict(dict)
    for (ministry_id, row_year), counter in counted.items():
        if year is None or row_year == year:
            per_ministry[ministry_id].update(counter)
        if row_year:
            grid_cells[ministry_id][row_year] = counter
    rows = [
        Row(label=label(m), segments=[Segment(k, text, counter[k]) for k, text in legend], total=sum(counter.values()))
        for m, counter in per_ministry.items()
    ]
    rows.sort(key=lambda r: r.label)

    def cell(counter):
        total = sum(counter.values())
        on = counter["on_time"]
        return (on, total, round(100 * on / total) if total else None)

    grid = []
    for m, cells in grid_cells.items():
        everything = Counter()
        for c in cells.values():
            everything.update(c)
        grid.append((label(m), [cell(cells[y]) if y in cells else (0, 0, None) for y in years], cell(everything)))
    grid.sort(key=lambda g: g[0])
    return Timeliness(chart=_layout(rows, legend), form=form, year=year, years=years, grid=grid)


VERDICT_KEYS = {
    Verdict.POSITIVE: "positive",
    Verdict.POSITIVE_WITH_REMARKS: "positive-remarks",
    Verdict.NEUTRAL: "neutral",
    Verdict.NEGATIVE: "negative",
    Verdict.NOT_YET: "not-yet",
    "": "unknown",
}


def verdict_shares(figures=None):
    """Per Council configuration (its full name as the group heading) the three verdicts, one bar each."""
    legend = [(VERDICT_KEYS[v], label) for v, label in Verdict.choices] + [("unknown", _("niet vastgesteld"))]
    per_config = defaultdict(lambda: defaultdict(Counter))
    for council, fields in _or_counted(figures)["verdicts"].items():
        config = council or _("onbekend")
        for field_name, counts in fields.items():
            for verdict, n in counts.items():
                per_config[config][field_name][VERDICT_KEYS.get(verdict, "unknown")] += n
    rows = []
    for config in sorted(per_config):
        for index, (field_name, field_label) in enumerate(VERDICTS):
            counter = per_config[config][field_name]
            rows.append(Row(
                label=str(field_label),
                group=config if index == 0 else "",
                segments=[Segment(key, label, counter[key]) for key, label in legend],
                total=sum(counter.values()),
                extra={"config": config},
            ))
    return _layout(rows, legend)


class _DaysSince(Func):
    """The whole days from the date ``start`` to the date ``end``, as an integer (negative when ``end`` is
    earlier). Not ``end - start``: Django makes that an interval on PostgreSQL, which costs a
    multiplication per row and groups more slowly than the plain integer that subtracting dates gives.

    The arguments in the order of the subtraction: ``_DaysSince(end, start)``, the later date first."""

    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        (end, end_params), (start, start_params) = (compiler.compile(side) for side in self.get_source_expressions())
        return f"CAST(julianday({end}) - julianday({start}) AS INTEGER)", (*end_params, *start_params)


def _fulfilment_counts():
    """(Counter of commitments per status, Counter of fulfilment delays in days) of published commitments.

    One GROUP BY query that returns a row per status and delay, not per pair of dates: for a fulfilled
    commitment the days from its term to its evidence (NULL for the others, so they collapse into one
    row per status).

    The effective due date (the due date, else the meeting's date, an annotated agenda's
    ANNOTATED_AGENDA_LEAD_DAYS earlier) is written here a third time, in SQL: the other copies are
    ``Commitment.effective_due_date`` (Python, per commitment) and ``followup.tracking.due_expression``
    (SQL, which also resolves events not yet linked to a meeting). A change to the rule changes all three;
    ``FiguresTests`` holds this one to the model's. It stays SQL here so that the delays are grouped by the
    database instead of reading every commitment. The lead days of an annotated agenda are added to the delay
    in SQL too, so that the rows are grouped by two keys (status, delay), not three.
    """
    fulfilled = Q(status=Commitment.Status.FULFILLED)
    # As Commitment.effective_due_date: the due date, else the date its meeting resolves to (an annotated agenda
    # is due ANNOTATED_AGENDA_LEAD_DAYS before the meeting, which makes its delay that many days longer).
    before_meeting = Q(due_date__isnull=True, due_event=Commitment.DueEvent.ANNOTATED_AGENDA)
    groups = (
        selectors.commitments().order_by()
        .annotate(delay=Case(When(fulfilled, then=_DaysSince("evidence_date", Coalesce("due_date", "due_meeting__date"))
                                  + Case(When(before_meeting, then=Value(settings.ANNOTATED_AGENDA_LEAD_DAYS)), default=Value(0)))))
        .values_list("status", "delay")
        .annotate(n=Count("pk"))
    )
    by_status = Counter()
    delays = Counter()
    for status, delay, n in groups:
        by_status[status] += n
        if delay is not None:
            delays[delay] += n
    return by_status, delays


def fulfilment(cache=None):
    """Share of commitments fulfilled, and the median delay of fulfilment against the due date.

    One GROUP BY query (``_fulfilment_counts``): a row per status and delay, never one per commitment.
    """
    by_status, delays = _computed(cache, "fulfilment", _fulfilment_counts)
    total = sum(by_status.values())
    countable = sum(n for status, n in by_status.items() if status != Commitment.Status.WITHDRAWN)
    fulfilled = by_status[Commitment.Status.FULFILLED]
    delays = sorted(delays.elements())
    median = round(pystats.median(delays)) if delays else None
    legend = [(value.replace("_", "-"), label) for value, label in Commitment.Status.choices]
    row = Row(label=_("Alle toezeggingen"), segments=[Segment(value.replace("_", "-"), label, by_status[value]) for value, label in Commitment.Status.choices],
              total=total)
    return {
        "total": total,
        "by_status": [(label, by_status[value]) for value, label in Commitment.Status.choices],
        "rate": round(100 * fulfilled / countable) if countable else None,
        "fulfilled": fulfilled,
        "countable": countable,
        "median_delay": median,
        "median_early": -median if median is not None and median < 0 else None,
        "delays_counted": len(delays),
        "chart": _layout([row], legend) if total else None,
    }


# The outcome ledger's achievements, drawn with the fills of fulfilled, partly fulfilled and negative.
ACHIEVEMENT_KEYS = {"achieved": "fulfilled", "partly": "partly-fulfilled", "not_achieved": "negative"}


def _achievement_counts():
    """[(set, (achievement, Council id, ministry id, year), n, (Council name, ministry name, from, until))] of the points of
    published outcomes, counted per Council configuration (set 0), lead ministry (1) and year of adoption (2) and
    achievement, in one query (``_grouped_counts``): a row per group, some 150, instead of one per combination of
    the three (some 800)."""
    return _grouped_counts(
        OutcomePoint.objects.filter(outcome__in=selectors.outcomes().values("pk")).order_by().values(
            "achievement",
            council_id=F("outcome__fiche__council_configuration"),
            ministry_id=F("outcome__fiche__lead_ministry"),
            year=Cast(ExtractYear("outcome__adopted_on"), IntegerField()),
        ),
        [("achievement", "council_id"), ("achievement", "ministry_id"), ("achievement", "year")],
        [_COUNCIL_NAME, _MINISTRY_LABEL],
    )


def achievement(cache=None):
    """"Heeft Nederland zijn zin gekregen?": points of the Dutch position achieved, partly or not, per Council
    configuration, per lead ministry and per year of adoption (one query, cached by content version)."""
    counts = _computed(cache, "achievement", _achievement_counts)
    legend = [(ACHIEVEMENT_KEYS[value], label) for value, label in Achievement.choices]
    by = {"council": defaultdict(Counter), "ministry": defaultdict(Counter), "year": defaultdict(Counter)}
    no_council, no_ministry = _("geen Raadsformatie"), _("onbekend ministerie")
    for grouping_set, (achieved, _council_id, ministry_id, year), n, (council, name, valid_from, valid_until) in counts:
        if grouping_set == 0:
            by["council"][council or no_council][achieved] += n
        elif grouping_set == 1:
            by["ministry"][ministry_label(name, valid_from, valid_until) if ministry_id else no_ministry][achieved] += n
        else:
            by["year"][str(year)][achieved] += n

    def chart(groups, order):
        rows = [Row(label=label, segments=[Segment(ACHIEVEMENT_KEYS[value], text, counter[value]) for value, text in Achievement.choices],
                    total=sum(counter.values())) for label, counter in sorted(groups.items(), key=order)]
        return _layout(rows, legend) if rows else None

    total = Counter()
    for counter in by["council"].values():
        total.update(counter)
    points = sum(total.values())
    return {
        "points": points,
        "achieved": total["achieved"], "partly": total["partly"],
        "rate": round(100 * total["achieved"] / points) if points else None,
        "council": chart(by["council"], lambda item: item[0]),
        "ministry": chart(by["ministry"], lambda item: item[0]),
        "year": chart(by["year"], lambda item: item[0]),
    }


def _computed(cache, name, compute):
    """``compute()``, from the content-version cache when one is given (plain counts, no labels)."""
    return compute() if cache is None else cache.rows(f"statistics-{name}", compute)


def collect(cache=None, params=None):
    """All figures of the statistics page (``params``: the query string, for the year of timeliness).
    The query rows (not the labelled charts: those follow the reader's language) are cached by content
    version like the list facets (``ContentCache``), so the page costs one query between writes and the
    figures change with the first write."""
    cache = cache or ContentCache(selectors.fiches(), True)
    fiches = _computed(cache, "fiches", _fiche_counts)  # read (or counted) once for the three figures drawn from it
    return {
        "per_year": fiches_per_year(fiches),
        "timeliness": timeliness(fiches, params),
        "verdicts": verdict_shares(fiches),
        "fulfilment": fulfilment(cache),
        "achievement": achievement(cache),
    }
