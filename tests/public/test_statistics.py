"""The statistics page's figures (public.statistics): the same numbers as counted one fiche and one
commitment at a time from the models, few queries whatever the number of rows, and the markup that
Python writes for the charts and the grid identical to what the template loops wrote."""

import datetime
from collections import Counter, defaultdict

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import timezone, translation

from pagecache.results import ContentCache
from positions.models import VERDICTS, Commitment, Fiche, Verdict
from proposals.deadlines import fiche_deadline
from proposals.models import CouncilMeeting, ministry_label
from public import selectors
from public import statistics as st
from tests import factories

from . import pages_data as data

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Published fiches of every kind the figures tell apart, and what must not count."""
    ref = data.reference()
    old_ez = factories.ministry("ez-2012", "EZ", "Ministerie van Economische Zaken")
    old_ez.valid_from, old_ez.valid_until = datetime.date(2012, 11, 5), datetime.date(2017, 10, 26)
    old_ez.save()
    on_time = data.fiche(year=2023, sent_on=datetime.date(2023, 2, 1))
    late = data.fiche(year=2024, ministry="fin", council="ecofin", sent_on=datetime.date(2024, 6, 1), verdict=Verdict.NEGATIVE)
    # Received 10 July: six weeks and the 28 paused August days end on 18 September.
    august = data.fiche(received_on=datetime.date(2024, 7, 10), sent_on=datetime.date(2024, 9, 18), verdict=Verdict.NOT_YET)
    after_august = data.fiche(received_on=datetime.date(2024, 7, 10), sent_on=datetime.date(2024, 9, 19))
    month_only = data.fiche(received_on=datetime.date(2016, 3, 1), received_month_only=True, lead_ministry=old_ez, council_configuration=None,
                            verdict=Verdict.POSITIVE_WITH_REMARKS)
    unknown_receipt = data.fiche(year=2024, received_on=None, sent_on=datetime.date(2024, 5, 1), subsidiarity="")
    Fiche.objects.filter(pk=unknown_receipt.pk).update(received_on=None)
    hidden = [data.fiche(published=False, year=2022), data.fiche(year=2022, public_from=timezone.now() + datetime.timedelta(days=3))]
    meeting = CouncilMeeting.objects.create(configuration=ref["tte"], date=datetime.date(2024, 6, 20))
    fulfilled = Commitment.Status.FULFILLED
    for fiche, status, fields in [
        (on_time, fulfilled, {"due_date": datetime.date(2024, 7, 1), "evidence_date": datetime.date(2024, 7, 11)}),  # 10 days late
        (on_time, fulfilled, {"due_date": datetime.date(2024, 7, 11), "evidence_date": datetime.date(2024, 7, 1)}),  # 10 days early
        (on_time, fulfilled, {"due_event": Commitment.DueEvent.COUNCIL_MEETING, "due_meeting": meeting, "evidence_date": datetime.date(2024, 6, 25)}),
        (late, fulfilled, {"due_event": Commitment.DueEvent.ANNOTATED_AGENDA, "due_meeting": meeting, "evidence_date": datetime.date(2024, 6, 20)}),
        (late, fulfilled, {"due_date": datetime.date(2024, 6, 1), "due_event": Commitment.DueEvent.ANNOTATED_AGENDA, "due_meeting": meeting,
                           "evidence_date": datetime.date(2024, 6, 3)}),  # the due date wins over the meeting
        (late, fulfilled, {"evidence_date": datetime.date(2024, 6, 3)}),  # no term: not in the delays
        (august, fulfilled, {"due_date": datetime.date(2024, 6, 1)}),  # no date of evidence: not in the delays
        (august, Commitment.Status.OPEN, {"due_date": datetime.date(2024, 6, 1)}),
        (august, Commitment.Status.PARTLY_FULFILLED, {"evidence_date": datetime.date(2024, 6, 3), "due_date": datetime.date(2024, 6, 1)}),
        (month_only, Commitment.Status.WITHDRAWN, {}),
        (month_only, Commitment.Status.LAPSED, {"due_date": datetime.date(2024, 6, 1)}),
        (hidden[0], fulfilled, {"due_date": datetime.date(2024, 6, 1), "evidence_date": datetime.date(2025, 6, 1)}),
        (hidden[1], Commitment.Status.OPEN, {}),
    ]:
        data.commitment(fiche, status=status, **fields)
    data.commitment(after_august, confirmed=False, status=fulfilled, due_date=datetime.date(2024, 6, 1), evidence_date=datetime.date(2024, 6, 2))
    return [on_time, late, august, after_august, month_only, unknown_receipt]


def chart_values(chart):
    return [(row.group, row.label, [(s.key, s.value) for s in row.segments], row.total) for row in chart.rows]


class FiguresTests:
    """Each figure as counted from model instances, one by one (``Fiche.sent_on_time``,
    ``Commitment.effective_due_date``), against the aggregates the page reads."""

    def test_fiches_per_year_and_timeliness(self, world):
        fiches = list(selectors.fiches().select_related("lead_ministry"))
        assert len(fiches) == 6
        per_year = Counter(f.sent_on.year for f in fiches)
        assert [(row.label, row.total) for row in st.fiches_per_year().rows] == sorted((str(y), n) for y, n in per_year.items())

        def label(f):
            m = f.lead_ministry
            return ministry_label(m.name, m.valid_from, m.valid_until) if m else "onbekend"

        kind = {True: "on_time", False: "late", None: "unknown"}
        per_ministry, grid = defaultdict(Counter), defaultdict(lambda: defaultdict(Counter))
        for f in fiches:
            per_ministry[label(f)][kind[f.sent_on_time]] += 1
            grid[label(f)][f.sent_on.year][kind[f.sent_on_time]] += 1
        figures = st.timeliness()
        assert chart_values(figures.chart) == [
            ("", name, [(k, counts[k]) for k in ("on_time", "late", "unknown")], sum(counts.values())) for name, counts in sorted(per_ministry.items())
        ]
        assert dict(per_ministry) == {"Economische Zaken en Klimaat": {"on_time": 2, "late": 1, "unknown": 1}, "Financiën": {"late": 1},
                                      "Economische Zaken (2012-2017)": {"unknown": 1}}
        years = sorted({f.sent_on.year for f in fiches})
        assert figures.years == years
        for name, cells, total in figures.grid:
            counted = grid[name]
            assert cells == [(counted[y]["on_time"], sum(counted[y].values()), round(100 * counted[y]["on_time"] / sum(counted[y].values()))
                               if counted[y] else None) for y in years]
            assert total[:2] == (sum(c["on_time"] for c in counted.values()), sum(sum(c.values()) for c in counted.values()))
        chosen = st.timeliness(params={"jaar": "2024"})
        assert chosen.year == 2024 and sum(row.total for row in chosen.chart.rows) == sum(f.sent_on.year == 2024 for f in fiches)

    def test_verdicts_per_council(self, world):
        fiches = list(selectors.fiches().select_related("council_configuration"))
        counted = defaultdict(lambda: defaultdict(Counter))
        for f in fiches:
            config = f.council_configuration.name if f.council_configuration else "onbekend"
            for field_name, _label in VERDICTS:
                counted[config][field_name][st.VERDICT_KEYS.get(getattr(f, field_name), "unknown")] += 1
        keys = [key for key, _label in st.verdict_shares().legend]
        expected = [
            ("" if index else config, str(label), [(k, counted[config][field_name][k]) for k in keys], len([f for f in fiches if (
                f.council_configuration.name if f.council_configuration else "onbekend") == config]))
            for config in sorted(counted) for index, (field_name, label) in enumerate(VERDICTS)
        ]
        assert chart_values(st.verdict_shares()) == expected
        assert counted["Raad Vervoer, Telecommunicatie en Energie"]["subsidiarity"]["unknown"] == 1  # a blank verdict
        assert "onbekend" in counted  # a fiche without a Council

    def test_fulfilment_counts_statuses_and_delays_as_the_commitments_do(self, world):
        commitments = list(selectors.commitments().select_related("due_meeting"))
        by_status = Counter(c.status for c in commitments)
        delays = sorted((c.evidence_date - c.effective_due_date).days for c in commitments
                        if c.status == Commitment.Status.FULFILLED and c.evidence_date and c.effective_due_date)
        assert delays == sorted([10, -10, 5, settings.ANNOTATED_AGENDA_LEAD_DAYS, 2])
        figures = st.fulfilment()
        countable = sum(n for s, n in by_status.items() if s != Commitment.Status.WITHDRAWN)
        assert figures["total"] == len(commitments) == 11
        assert figures["by_status"] == [(label, by_status[value]) for value, label in Commitment.Status.choices]
        assert (figures["fulfilled"], figures["countable"], figures["rate"]) == (7, countable, round(700 / countable))
        assert (figures["median_delay"], figures["delays_counted"]) == (5, 5)
        # Exactly these delays: not the hidden fiche's (365 days) nor the unconfirmed commitment's (1 day).
        assert st._fulfilment_counts()[1] == Counter([10, -10, 5, settings.ANNOTATED_AGENDA_LEAD_DAYS, 2])

    def test_the_term_looked_up_in_sql_is_the_six_week_rule_on_every_day(self):
        """``_FicheTerm`` looks the term up by day and month of receipt: that holds only while ``fiche_deadline``
        depends on nothing else, checked here for every day of 41 years (leap years and New Year's Eve among them)."""
        terms, usual = st._fiche_terms()
        day = datetime.date(2000, 1, 1)
        while day.year <= 2040:
            assert (fiche_deadline(day) - day).days == terms[day.month * 32 + day.day], day
            day += datetime.timedelta(days=1)
        assert usual == 42 and max(terms.values()) == 42 + 28

    def test_the_database_tells_on_time_from_late_as_the_fiches_do(self):
        """Fiches received on the days where the term changes (the August pause and around it, 29 February, the
        turn of the year), each sent on its deadline and one sent the day after; and one without a lead ministry."""
        data.reference()
        received = [datetime.date(2023, 6, 19), datetime.date(2023, 6, 20), datetime.date(2024, 2, 29), datetime.date(2024, 7, 31),
                    datetime.date(2024, 8, 1), datetime.date(2025, 8, 14), datetime.date(2025, 8, 27), datetime.date(2025, 8, 28),
                    datetime.date(2024, 12, 31)]
        for day in received:
            for late in (False, True):
                data.fiche(received_on=day, sent_on=fiche_deadline(day) + datetime.timedelta(days=late))
        data.fiche(received_on=datetime.date(2024, 7, 10), sent_on=datetime.date(2024, 9, 18), lead_ministry=None)
        fiches = list(selectors.fiches())
        assert Counter(f.sent_on_time for f in fiches) == {True: len(received) + 1, False: len(received)}
        counted = defaultdict(Counter)
        for (ministry_id, _year), counter in st._fiche_counts()["timeliness"].items():
            counted[ministry_id] += counter
        expected = defaultdict(Counter)
        for f in fiches:
            expected[f.lead_ministry_id]["on_time" if f.sent_on_time else "late"] += 1
        assert counted == expected and counted[None] == {"on_time": 1}
        assert [row.label for row in st.timeliness().chart.rows] == ["Economische Zaken en Klimaat", "onbekend"]


class QueryCountTests:
    @pytest.mark.parametrize("size", [2, 10])
    def test_the_figures_cost_the_same_queries_at_any_size(self, client, django_assert_num_queries, size):
        data.world(size)
        # the content version; the fiches counted, their ministries' and Councils' names joined; the commitments; the outcome ledger
        with django_assert_num_queries(4):
            assert client.get("/statistieken/").status_code == 200
        with django_assert_num_queries(1):
            assert client.get("/en/statistieken/", {"jaar": "2024"}).status_code == 200

    def test_the_fiches_are_counted_once_for_the_three_figures_drawn_from_them(self, django_assert_num_queries):
        data.world(3)
        # Without a cache: the fiches (once, not once per figure, with their ministries and Councils); the commitments; the ledger.
        with django_assert_num_queries(3):
            figures = st.collect(ContentCache(selectors.fiches(), enabled=False), {"jaar": "2024"})
        assert figures["per_year"].rows == st.fiches_per_year().rows
        assert figures["verdicts"].rows == st.verdict_shares().rows
        assert figures["timeliness"].grid == st.timeliness(params={"jaar": "2024"}).grid and figures["timeliness"].year == 2024


# What includes/stacked_chart.html and the grid of public/statistics.html wrote with template loops
# before ``Chart.bar_rows``, ``Chart.table_rows`` and ``Timeliness.grid_body`` wrote it.
TEMPLATE_BARS = """{% for row in chart.rows %}{% if row.group %}<p class="hchart-group">{{ row.group }}</p>{% endif %}
    <div class="hchart-row{% if chart.rows.0.group %} hchart-sub{% endif %}"><span class="hchart-label">{{ row.label }}</span><svg class="hchart-bar" width="100%" height="20" focusable="false">{% for s in row.segments %}{% if s.width %}<rect x="{{ s.x|stringformat:'.2f' }}%" y="0" width="{{ s.width|stringformat:'.2f' }}%" height="20" class="seg seg-{{ s.key }}"><title>{{ s.label }}: {{ s.value }}{% if chart.stacked %} ({{ s.percent }}%){% endif %}</title></rect>{% endif %}{% endfor %}</svg><span class="hchart-total">{{ row.total }}</span></div>
  {% endfor %}"""
TEMPLATE_TABLE = """{% for row in chart.rows %}<tr>{% if chart.rows.0.group %}<th scope="row">{{ row.extra.config }}</th>{% endif %}<th scope="row">{{ row.label }}</th>{% for s in row.segments %}<td>{{ s.value }}{% if chart.stacked %} ({{ s.percent }}%){% endif %}</td>{% endfor %}{% if chart.stacked %}<td>{{ row.total }}</td>{% endif %}</tr>{% endfor %}"""
TEMPLATE_GRID = """{% for name, cells, total in tl.grid %}<tr><th scope="row">{{ name }}</th>{% for on, n, pct in cells %}<td>{% if n %}{{ pct }}% <span class="meta">({{ on }}/{{ n }})</span>{% else %}–{% endif %}</td>{% endfor %}<td>{% if total.1 %}{{ total.2 }}% <span class="meta">({{ total.0 }}/{{ total.1 }})</span>{% else %}–{% endif %}</td></tr>{% endfor %}"""


class MarkupTests:
    HOSTILE = 'Raad <b>"A&B"</b> \'x\''

    def charts(self):
        legend = [("on-time", "op <tijd>"), ("late", "te 'laat'"), ("unknown", "onbekend")]
        grouped = [st.Row(label=self.HOSTILE if i == 1 else f"Oordeel {i}", group=self.HOSTILE if i == 0 else "", extra={"config": self.HOSTILE},
                          segments=[st.Segment(k, text, v) for (k, text), v in zip(legend, (i * 1234, 3, 0), strict=True)], total=i * 1234 + 3)
                   for i in range(3)]
        single = [st.Row(label=str(year), segments=[st.Segment("fiches", "fiches", n)], total=n) for year, n in ((2023, 12345), (2024, 0), (2025, 7))]
        return [st._layout(grouped, legend), st._layout(single, [("fiches", "fiches")], scale_to_max=True), st._layout([], legend)]

    @pytest.mark.parametrize("language", ["nl", "en"])
    def test_charts_are_written_as_the_template_loops_wrote_them(self, language):
        with translation.override(language):
            for chart in self.charts():
                context = Context({"chart": chart})
                assert chart.bar_rows() == Template(TEMPLATE_BARS).render(context)
                assert chart.table_rows() == Template(TEMPLATE_TABLE).render(context)
                assert "&lt;b&gt;" in chart.bar_rows() + chart.table_rows() or not chart.rows or not chart.grouped

    @pytest.mark.parametrize("language", ["nl", "en"])
    def test_the_grid_is_written_as_the_template_loop_wrote_it(self, language, world):
        with translation.override(language):
            figures = st.timeliness()
            figures.grid.append((self.HOSTILE, [(0, 0, None), (1234, 5678, 22)], (1234, 5678, 22)))
            figures.grid.append(("leeg", [(0, 0, None)], (0, 0, None)))
            written = figures.grid_body
            assert written == Template(TEMPLATE_GRID).render(Context({"tl": figures}))
            assert "<td>–</td>" in written and "&lt;b&gt;" in written
