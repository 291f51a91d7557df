"""Figures for the statistics page, computed from published data only, drawn as HTML bar charts.

Every chart is a list of labelled bars (HTML text, so it wraps and keeps its size on a phone; an SVG per
bar holds only the coloured segments, sized in percent) and the same numbers are in a table beside it.
Segments differ by colour (a colour-blind-safe palette) and by a pattern, so colour is never the only cue.
Timeliness is one bar per ministry for a chosen year (all years by default) and a ministry x year table;
ministries are named by their name and period, so the three ministries of Economische Zaken differ.
"""

import statistics as pystats
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.db.models import Case, Count, Func, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce, ExtractYear
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from outcomes.models import Achievement, OutcomePoint
from pagecache.results import ContentCache
from positions.models import VERDICTS, Commitment, Verdict
from proposals.deadlines import exact_fiche_deadline
from proposals.models import CouncilConfiguration, Ministry, ministry_label

from . import selectors


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


class _Localized(dict):
    """Numbers as ``{{ number }}`` writes them (``localize``), each distinct one localized once."""

    def __missing__(self, value):
        self[value] = text = localize(value)
        return text


@dataclass
class Chart:
    """A chart's rows, drawn by ``includes/stacked_chart.html``.

    The repeated markup (a bar per row with a rectangle per segment, a table row per row with a cell per
    segment) is written here by ``bar_rows`` and ``table_rows`` rather than by template tags: the verdict
    chart alone has 30 rows of 6 segments, and at a dozen template nodes per segment the charts were most
    of the rendering of the page. The markup is exactly what the template's loops wrote: texts escaped
    and numbers localized as ``{{ }}`` does, positions as ``stringformat:'.2f'``.
    """

    rows: list
    legend: list  # (key, label)

    @property
    def stacked(self):
        return len(self.legend) > 1

    @property
    def grouped(self):
        return bool(self.rows and self.rows[0].group)

    def bar_rows(self):
        number, sub = _Localized(), " hchart-sub" if self.grouped else ""

        def rect(s):
            share = format_html(" ({}%)", number[s.percent]) if self.stacked else ""
            return format_html('<rect x="{}%" y="0" width="{}%" height="20" class="seg seg-{}"><title>{}: {}{}</title></rect>',
                               f"{s.x:.2f}", f"{s.width:.2f}", s.key, s.label, number[s.value], share)

        return format_html_join("", '{}\n    <div class="hchart-row{}"><span class="hchart-label">{}</span><svg class="hchart-bar" width="100%" '
                                'height="20" focusable="false">{}</svg><span class="hchart-total">{}</span></div>\n  ', (
            (format_html('<p class="hchart-group">{}</p>', row.group) if row.group else "", sub, row.label,
             mark_safe("".join(rect(s) for s in row.segments if s.width)), number[row.total])
            for row in self.rows
        ))

    def table_rows(self):
        number, grouped = _Localized(), self.grouped

        def cell(s):
            return format_html("<td>{} ({}%)</td>", number[s.value], number[s.percent]) if self.stacked else format_html("<td>{}</td>", number[s.value])

        return format_html_join("", "<tr>{}{}{}{}</tr>", (
            (format_html('<th scope="row">{}</th>', row.extra.get("config", "")) if grouped else "",
             format_html('<th scope="row">{}</th>', row.label), mark_safe("".join(cell(s) for s in row.segments)),
             format_html("<td>{}</td>", number[row.total]) if self.stacked else "")
            for row in self.rows
        ))


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


def _fiche_counts():
    """The counts of published fiches behind three figures, from one scan of the fiches:

    - ``per_year``: {year of sending or None: n};
    - ``timeliness``: {(lead ministry id or None, year): Counter(on_time, late, unknown)};
    - ``ministries``: {ministry id: (name, from, until)}, for the labels;
    - ``verdicts``: {Council configuration name or None: {verdict field: Counter(verdict: n)}}.

    The fiches are read as narrow value tuples (ids, dates, verdicts: their dates make them almost all
    distinct, so a GROUP BY would not make fewer) and counted in two tallies; the names of the few
    ministries and Councils among them are read after, one query each. The six-week rule
    (``exact_fiche_deadline``, the one place of that rule, with its August pause) is computed once per date of
    receipt in a process.
    """
    verdict_fields = [name for name, _label in VERDICTS]
    rows = selectors.fiches().order_by().values_list("lead_ministry", "council_configuration", "sent_on", "received_on",
                                                      "received_month_only", *verdict_fields)
    sent, judged = Counter(), Counter()
    for ministry_id, council_id, sent_on, received_on, month_only, competence, subsidiarity, proportionality in rows:
        # As Fiche.sent_on_time: unknown without an exact date of receipt.
        deadline = exact_fiche_deadline(received_on, month_only)
        on_time = "unknown" if not (sent_on and deadline) else "on_time" if sent_on <= deadline else "late"
        sent[(ministry_id, sent_on.year if sent_on else None, on_time)] += 1
        judged[(council_id, competence, subsidiarity, proportionality)] += 1
    ministries = {pk: (name, valid_from, valid_until) for pk, name, valid_from, valid_until in Ministry.objects.filter(
        pk__in={ministry_id for ministry_id, _year, _on_time in sent if ministry_id}).values_list("pk", "name", "valid_from", "valid_until")}
    councils = dict(CouncilConfiguration.objects.filter(pk__in={council_id for council_id, *_given in judged if council_id})
                    .values_list("pk", "name"))
    per_year, timeliness = Counter(), defaultdict(Counter)
    for (ministry_id, year, on_time), n in sent.items():
        per_year[year] += n
        timeliness[(ministry_id, year)][on_time] += n
    verdicts = {}
    for (council_id, *given), n in judged.items():
        fields = verdicts.setdefault(councils.get(council_id), {name: Counter() for name in verdict_fields})
        for field_name, verdict in zip(verdict_fields, given, strict=True):
            fields[field_name][verdict] += n
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
        number = _Localized()

        def cell(on_time, total, percent):
            if not total:
                return mark_safe("<td>–</td>")
            return format_html('<td>{}% <span class="meta">({}/{})</span></td>', number[percent], number[on_time], number[total])

        return format_html_join("", '<tr><th scope="row">{}</th>{}{}</tr>', (
            (label, mark_safe("".join(cell(*c) for c in cells)), cell(*total)) for label, cells, total in self.grid
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
        grid.append((label(m), [cell(cells.get(y, Counter())) for y in years], cell(everything)))
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
    row per status), and whether the term is an annotated agenda's (counted from its meeting).

    The effective due date (the due date, else the meeting's date, an annotated agenda's
    ANNOTATED_AGENDA_LEAD_DAYS earlier) is written here a third time, in SQL: the other copies are
    ``Commitment.effective_due_date`` (Python, per commitment) and ``followup.tracking.due_expression``
    (SQL, which also resolves events not yet linked to a meeting). A change to the rule changes all three;
    ``FiguresTests`` holds this one to the model's. It stays SQL here so that the delays are grouped by the
    database instead of reading every commitment.
    """
    fulfilled = Q(status=Commitment.Status.FULFILLED)
    groups = (
        selectors.commitments().order_by()
        .annotate(
            delay=Case(When(fulfilled, then=_DaysSince("evidence_date", Coalesce("due_date", "due_meeting__date")))),
            before_meeting=Case(When(fulfilled & Q(due_date__isnull=True, due_event=Commitment.DueEvent.ANNOTATED_AGENDA), then=Value(True)),
                                default=Value(False)),
        )
        .values_list("status", "delay", "before_meeting")
        .annotate(n=Count("pk"))
    )
    by_status = Counter()
    delays = Counter()
    lead = settings.ANNOTATED_AGENDA_LEAD_DAYS
    for status, delay, before_meeting, n in groups:
        by_status[status] += n
        # As Commitment.effective_due_date: the due date, else the date its meeting resolves to (an
        # annotated agenda is due ``lead`` days before the meeting).
        if delay is not None:
            delays[delay + (lead if before_meeting else 0)] += n
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
    """[(Council configuration, ministry id, name, from, until, year, achievement, n)] of the points of published outcomes."""
    return list(
        OutcomePoint.objects.filter(outcome__in=selectors.outcomes().values("pk")).order_by()
        .values_list("outcome__fiche__council_configuration__name", "outcome__fiche__lead_ministry_id", "outcome__fiche__lead_ministry__name",
                     "outcome__fiche__lead_ministry__valid_from", "outcome__fiche__lead_ministry__valid_until",
                     ExtractYear("outcome__adopted_on"), "achievement")
        .annotate(n=Count("pk"))
    )


def achievement(cache=None):
    """"Heeft Nederland zijn zin gekregen?": points of the Dutch position achieved, partly or not, per Council
    configuration, per lead ministry and per year of adoption (one GROUP BY query, cached by content version)."""
    counts = _computed(cache, "achievement", _achievement_counts)
    legend = [(ACHIEVEMENT_KEYS[value], label) for value, label in Achievement.choices]
    by = {"council": defaultdict(Counter), "ministry": defaultdict(Counter), "year": defaultdict(Counter)}
    for council, ministry_id, name, valid_from, valid_until, year, achieved, n in counts:
        by["council"][council or _("geen Raadsformatie")][achieved] += n
        by["ministry"][ministry_label(name, valid_from, valid_until) if ministry_id else _("onbekend ministerie")][achieved] += n
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
