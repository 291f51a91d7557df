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
from functools import lru_cache

from django import forms
from django.conf import settings
from django.db.models import Case, Count, F, Q, Value, When
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from outcomes.models import Achievement, OutcomePoint
from pagecache.results import ContentCache
from positions.models import Commitment, Verdict
from proposals.deadlines import is_on_time

from . import selectors
from .filters import ministry_label


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


@dataclass
class Chart:
    rows: list
    legend: list  # (key, label)

    @property
    def stacked(self):
        return len(self.legend) > 1


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


def fiches_per_year(cache=None):
    counts = _rows(cache, "per-year", (
        selectors.fiches().annotate(year=ExtractYear("sent_on")).order_by().values("year")
        .annotate(n=Count("pk")).order_by("year")
    ))
    rows = [Row(label=str(c["year"] or _("onbekend")), segments=[Segment("fiches", _("fiches"), c["n"])], total=c["n"]) for c in counts]
    return _layout(rows, [("fiches", _("fiches"))], scale_to_max=True)


def _timeliness_counts():
    """({(ministry id or None, year): Counter(on_time, late, unknown)}, {ministry id: (name, from, until)}), in one query."""
    rows_in = (
        selectors.fiches().order_by()
        .values_list("lead_ministry", "lead_ministry__name", "lead_ministry__valid_from", "lead_ministry__valid_until",
                     "sent_on", "received_on", "received_month_only")
        .annotate(n=Count("pk"))
    )
    table = defaultdict(Counter)
    ministries = {}
    on_time = lru_cache(maxsize=None)(is_on_time)
    for ministry_id, name, valid_from, valid_until, sent_on, received_on, month_only, n in rows_in:
        year = sent_on.year if sent_on else None
        outcome = on_time(received_on, sent_on) if sent_on and received_on and not month_only else None
        table[(ministry_id, year)]["on_time" if outcome else "late" if outcome is False else "unknown"] += n
        if ministry_id:
            ministries[ministry_id] = (name, valid_from, valid_until)
    return dict(table), ministries


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


def timeliness(cache=None, params=None):
    """Per lead ministry, for one year or all: sent within the term, late, and unknown (no exact date of
    receipt); and a ministry x year grid of the share sent on time.

    Reads plain value tuples (no model instances) and asks the six-week rule (``fiche_deadline``, the
    one place of that rule, with its August pause) once per distinct pair of dates.
    """
    counted, ministries = _computed(cache, "timeliness", _timeliness_counts)
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


# Lazy: this list is built once at import, its labels must follow each reader's language.
VERDICT_FIELDS = [
    ("competence", gettext_lazy("Bevoegdheid")),
    ("subsidiarity", gettext_lazy("Subsidiariteit")),
    ("proportionality", gettext_lazy("Proportionaliteit")),
]
VERDICT_KEYS = {
    Verdict.POSITIVE: "positive",
    Verdict.POSITIVE_WITH_REMARKS: "positive-remarks",
    Verdict.NEUTRAL: "neutral",
    Verdict.NEGATIVE: "negative",
    Verdict.NOT_YET: "not-yet",
    "": "unknown",
}


def verdict_shares(cache=None):
    """Per Council configuration (its full name as the group heading) the three verdicts, one bar each."""
    legend = [(VERDICT_KEYS[v], label) for v, label in Verdict.choices] + [("unknown", _("niet vastgesteld"))]
    base = selectors.fiches().order_by()
    per_config = defaultdict(dict)
    for field_name, _label in VERDICT_FIELDS:
        counts = _rows(cache, f"verdicts-{field_name}", base.values("council_configuration__name", "council_configuration__code", field_name).annotate(n=Count("pk")))
        for c in counts:
            config = c["council_configuration__name"] or _("onbekend")
            counter = per_config[config].setdefault(field_name, Counter())
            counter[VERDICT_KEYS.get(c[field_name], "unknown")] += c["n"]
    rows = []
    for config in sorted(per_config):
        for index, (field_name, field_label) in enumerate(VERDICT_FIELDS):
            counter = per_config[config].get(field_name, Counter())
            rows.append(Row(
                label=str(field_label),
                group=config if index == 0 else "",
                segments=[Segment(key, label, counter[key]) for key, label in legend],
                total=sum(counter.values()),
                extra={"config": config},
            ))
    return _layout(rows, legend)


def _fulfilment_counts():
    """(Counter of commitments per status, Counter of fulfilment delays in days) of published commitments."""
    fulfilled_only = Q(status=Commitment.Status.FULFILLED)
    groups = (
        selectors.commitments().order_by()
        .annotate(
            f_evidence=Case(When(fulfilled_only, then=F("evidence_date"))),
            f_due=Case(When(fulfilled_only, then=F("due_date"))),
            f_event=Case(When(fulfilled_only, then=F("due_event")), default=Value("")),
            f_meeting=Case(When(fulfilled_only, then=F("due_meeting__date"))),
        )
        .values_list("status", "f_evidence", "f_due", "f_event", "f_meeting")
        .annotate(n=Count("pk"))
    )
    by_status = Counter()
    delays = Counter()
    lead = datetime.timedelta(days=settings.ANNOTATED_AGENDA_LEAD_DAYS)
    for status, evidence_date, due_date, due_event, meeting_date, n in groups:
        by_status[status] += n
        if status != Commitment.Status.FULFILLED or not evidence_date:
            continue
        # As Commitment.effective_due_date: the due date, else the date its meeting resolves to.
        effective = due_date or (
            (meeting_date - lead if due_event == Commitment.DueEvent.ANNOTATED_AGENDA else meeting_date) if meeting_date else None
        )
        if effective:
            delays[(evidence_date - effective).days] += n
    return by_status, delays


def fulfilment(cache=None):
    """Share of commitments fulfilled, and the median delay of fulfilment against the due date.

    One GROUP BY query: the dates are only selected for fulfilled commitments (NULL for the others),
    so all other commitments collapse into one row per status and Python never sees 51,000 rows.
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


def _rows(cache, name, queryset):
    """The rows of ``queryset`` as a list, from the content-version cache when one is given."""
    if cache is None:
        return list(queryset)
    return cache.rows(f"statistics-{name}", lambda: list(queryset))


def _computed(cache, name, compute):
    """``compute()``, from the content-version cache when one is given (plain counts, no labels)."""
    return compute() if cache is None else cache.rows(f"statistics-{name}", compute)


def collect(cache=None, params=None):
    """All figures of the statistics page (``params``: the query string, for the year of timeliness).
    The query rows (not the labelled charts: those follow the reader's language) are cached by content
    version like the list facets (``ContentCache``), so the page costs one query between writes and the
    figures change with the first write."""
    cache = cache or ContentCache(selectors.fiches(), True)
    return {
        "per_year": fiches_per_year(cache),
        "timeliness": timeliness(cache, params),
        "verdicts": verdict_shares(cache),
        "fulfilment": fulfilment(cache),
        "achievement": achievement(cache),
    }
