"""Figures for the statistics page, computed from published data only, with SVG chart geometry.

Every chart is drawn on the server (no scripts) and the page shows the same numbers in a table.
"""

import datetime
import statistics as pystats
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.db.models import Case, Count, F, Q, Value, When
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pagecache.results import ContentCache
from positions.models import Commitment, Verdict
from proposals.deadlines import is_on_time

from . import selectors

CHART_WIDTH = 640
LABEL_WIDTH = 200
ROW_HEIGHT = 28
BAR_HEIGHT = 20


@dataclass
class Segment:
    key: str
    label: str
    value: int
    x: int = 0
    width: int = 0
    percent: int = 0


@dataclass
class Row:
    label: str
    segments: list
    total: int = 0
    y: int = 0
    text_y: int = 0
    extra: dict = field(default_factory=dict)
    short_label: str = ""  # what fits left of the bar; the table shows the full label

    @property
    def chart_label(self):
        return self.short_label or self.label


@dataclass
class Chart:
    rows: list
    legend: list  # (key, label)
    height: int = 0
    width: int = CHART_WIDTH
    label_width: int = LABEL_WIDTH


def _layout(rows, legend, *, scale_to_max=False):
    """Horizontal (stacked) bars: each row's total spans the plot width, or scales to the largest row."""
    plot = CHART_WIDTH - LABEL_WIDTH - 50
    largest = max((r.total for r in rows), default=0) or 1
    for index, row in enumerate(rows):
        row.y = index * ROW_HEIGHT + 4
        row.text_y = row.y + BAR_HEIGHT - 5
        full = plot * (row.total / largest) if scale_to_max else plot
        x = LABEL_WIDTH
        for segment in row.segments:
            segment.percent = round(100 * segment.value / row.total) if row.total else 0
            segment.width = round(full * segment.value / row.total) if row.total else 0
            segment.x = x
            x += segment.width
        row.extra["end_x"] = x + 6
    return Chart(rows=rows, legend=legend, height=len(rows) * ROW_HEIGHT + 8)


def fiches_per_year(cache=None):
    counts = _rows(cache, "per-year", (
        selectors.fiches().annotate(year=ExtractYear("sent_on")).order_by().values("year")
        .annotate(n=Count("pk")).order_by("year")
    ))
    rows = [Row(label=str(c["year"]), segments=[Segment("fiches", _("fiches"), c["n"])], total=c["n"]) for c in counts]
    return _layout(rows, [("fiches", _("fiches"))], scale_to_max=True)


def _timeliness_counts():
    """{(ministry abbreviation or None, year): Counter(on_time, late, unknown)} of the published fiches."""
    rows_in = (
        selectors.fiches().order_by()
        .values_list("lead_ministry", "lead_ministry__abbreviation", "sent_on", "received_on", "received_month_only")
        .annotate(n=Count("pk"))
    )
    table = defaultdict(Counter)
    on_time = lru_cache(maxsize=None)(is_on_time)
    for ministry_id, abbreviation, sent_on, received_on, month_only, n in rows_in:
        year = sent_on.year if sent_on else None
        outcome = on_time(received_on, sent_on) if sent_on and received_on and not month_only else None
        table[(abbreviation if ministry_id else None, year)]["on_time" if outcome else "late" if outcome is False else "unknown"] += n
    return dict(table)


def timeliness(cache=None):
    """Per ministry and year: sent within the term, late, and unknown (no exact date of receipt).

    Reads plain value tuples (no model instances) and asks the six-week rule (``fiche_deadline``, the
    one place of that rule, with its August pause) once per distinct pair of dates.
    """
    counted = _computed(cache, "timeliness", _timeliness_counts)
    table = defaultdict(Counter)
    for (abbreviation, year), counter in counted.items():
        table[(abbreviation if abbreviation is not None else _("onbekend"), year)].update(counter)
    legend = [("on_time", _("op tijd")), ("late", _("te laat")), ("unknown", _("onbekend"))]
    rows = []
    for (ministry, year), counter in sorted(table.items(), key=lambda item: (item[0][0], item[0][1] or 0)):
        total = sum(counter.values())
        rows.append(Row(label=f"{ministry} {year or ''}".strip(), segments=[Segment(k, label, counter[k]) for k, label in legend], total=total))
    return _layout(rows, legend)


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
    """Per Council configuration and per verdict (competence, subsidiarity, proportionality)."""
    legend = [(VERDICT_KEYS[v], label) for v, label in Verdict.choices] + [("unknown", _("niet vastgesteld"))]
    rows = []
    base = selectors.fiches().order_by()
    for field_name, field_label in VERDICT_FIELDS:
        counts = _rows(cache, f"verdicts-{field_name}", base.values("council_configuration__name", "council_configuration__code", field_name).annotate(n=Count("pk")))
        per_config = defaultdict(Counter)
        codes = {}
        for c in counts:
            config = c["council_configuration__name"] or _("onbekend")
            codes[config] = c["council_configuration__code"] or config
            per_config[config][VERDICT_KEYS.get(c[field_name], "unknown")] += c["n"]
        for config in sorted(per_config):
            counter = per_config[config]
            rows.append(Row(
                label=f"{config}: {field_label}",
                short_label=f"{codes[config]}: {field_label}",
                segments=[Segment(key, label, counter[key]) for key, label in legend],
                total=sum(counter.values()),
                extra={"config": config, "verdict": field_label},
            ))
    rows.sort(key=lambda r: (r.extra["config"], [label for _f, label in VERDICT_FIELDS].index(r.extra["verdict"])))
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


def _rows(cache, name, queryset):
    """The rows of ``queryset`` as a list, from the content-version cache when one is given."""
    if cache is None:
        return list(queryset)
    return cache.rows(f"statistics-{name}", lambda: list(queryset))


def _computed(cache, name, compute):
    """``compute()``, from the content-version cache when one is given (plain counts, no labels)."""
    return compute() if cache is None else cache.rows(f"statistics-{name}", compute)


def collect(cache=None):
    """All figures of the statistics page. The query rows (not the labelled charts: those follow the
    reader's language) are cached by content version like the list facets (``ContentCache``), so the
    page costs one query between writes and the figures change with the first write."""
    cache = cache or ContentCache(selectors.fiches(), True)
    return {
        "per_year": fiches_per_year(cache),
        "timeliness": timeliness(cache),
        "verdicts": verdict_shares(cache),
        "fulfilment": fulfilment(cache),
    }
