"""FilterSets of the public lists. Drafts never reach them: views pass a ``published()`` queryset, and
every choice list (with its counts) is computed from that same queryset, so no dropdown reveals
unpublished data. Choices are callables: they are only queried when a form is rendered or a value
has to be validated, so the feeds and exports that reuse ``FicheFilter`` pay nothing for them.

Usage: ``FicheFilter(request.GET, queryset=Fiche.objects.published())``.
"""

import datetime
import hashlib
from collections import Counter

import django_filters
from django import forms
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import CharField, Count, Exists, F, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from outcomes.models import Outcome, Vote
from pagecache.results import ContentCache
from positions.models import FICHE_NEWEST_FIRST, VERDICTS, Commitment, Fiche, FicheTemplate, TemplateKind, Verdict
from proposals import references
from proposals.models import CommissionDocument, CouncilConfiguration, Ministry, ministry_label

from . import search


def _labelled(rows, label, value="value"):
    return [(str(row[value]), f"{label(row)} ({row['n']})") for row in rows if row[value] not in (None, "")]


def shared_cache(base, cache_facets):
    """The filterset's ``ContentCache``: ``cache_facets`` is True (``base`` is exactly ``published()``), False, or the
    view's own ``ContentCache`` of this request, so that the content state is read once for the page."""
    return cache_facets if isinstance(cache_facets, ContentCache) else ContentCache(base, cache_facets)


def grouping_of(columns, group):
    """The value PostgreSQL's ``GROUPING(columns)`` gives the rows of the grouping set ``group``: a bit for every column
    NOT grouped in that set, the first column the highest (``()``, the set of all rows, has every bit)."""
    return sum(1 << (len(columns) - 1 - index) for index, column in enumerate(columns) if column not in group)


def _once(compute):
    """A choices callable that queries at most once per FilterSet (validation, rendering, summary)."""
    cache = []

    def choices():
        if not cache:
            cache.append(compute())
        return cache[0]

    return choices


def _choice_error(what):
    # Lazy as a whole: `gettext_lazy(...) % {...}` formats at import time, and the message would stay Dutch in English.
    message = lazy(lambda: gettext("Kies een %(what)s uit de lijst; '%%(value)s' komt in de gepubliceerde fiches niet voor.") % {"what": what}, str)
    return {"invalid_choice": message()}


class PublicFilterSet(django_filters.FilterSet):
    """Accessible forms: "alle" as the empty choice, help and errors tied to their field."""

    # A list whose menus come from one GROUP BY over all its published rows sets this to a callable giving those
    # rows, each with its count ``n`` (commitments, documents): they also count the unfiltered list.
    _pairs = None

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset=queryset, request=request, prefix=prefix)
        for filter_ in self.filters.values():
            if isinstance(filter_, django_filters.ChoiceFilter):
                filter_.extra["empty_label"] = _("alle")

    @property
    def form(self):
        form = super().form
        if not getattr(form, "_described", False):
            form._described = True
            for name, field in form.fields.items():
                bound = form[name]
                described = []
                if field.help_text:
                    described.append(f"{bound.id_for_label}-hulp")
                if self.is_bound and form.errors.get(name):
                    described.append(f"{bound.id_for_label}-fout")
                    field.widget.attrs["aria-invalid"] = "true"
                if described:
                    field.widget.attrs["aria-describedby"] = " ".join(described)
        return form

    def published_count(self):
        """The number of rows a reader may see (the unfiltered list's count), from the menus' query; None without one."""
        return sum(row["n"] for row in self._pairs()) if self._pairs else None

    def listed_count(self):
        """The number of rows the list shows, when a query for the menus has counted them already; else None (the
        view counts them): without an active filter, the published rows (``published_count``)."""
        return None if self.active_fields else self.published_count()

    @property
    def active_fields(self):
        """(name, label, shown value) of every filter in use: the list shows each as a link that removes it."""
        if not (self.is_bound and self.form.is_valid()):
            return []
        active = []
        for name, value in self.form.cleaned_data.items():
            if value in (None, ""):
                continue
            field = self.form[name]
            shown = value
            if hasattr(field.field, "choices"):
                shown = dict(field.field.choices).get(value, value)
            active.append((name, field.label, shown))
        return active


class FicheSortForm(forms.Form):
    """The order of the fiche list; not a filter, so feeds, exports and the API (newest first) ignore it."""

    sort = forms.ChoiceField(
        label=_("Sorteer op"), required=False,
        choices=[("relevance", _("relevantie")), ("newest", _("nieuwste eerst")),
                 ("oldest", _("oudste eerst")), ("kamerstuk", _("Kamerstuknummer"))],
        error_messages={"invalid_choice": _("Sorteer op nieuwste, oudste, Kamerstuknummer of relevantie; '%(value)s' kennen we niet.")},
    )

    def __init__(self, data, *, searching):
        super().__init__(data)
        self.searching = searching
        choices = self.fields["sort"].choices
        # Relevance exists only for a search: it is then the default, otherwise newest first is.
        self.fields["sort"].choices = choices if searching else [c for c in choices if c[0] != "relevance"]

    def full_clean(self):
        if self.data.get("sort") == "relevance" and not self.searching:
            self.data = self.data.copy()
            self.data["sort"] = "newest"  # a search link without its search: relevance means nothing, newest first does
        super().full_clean()

    @property
    def order(self):
        """The chosen order's key; the default when invalid or not given."""
        chosen = self.cleaned_data.get("sort") if self.is_valid() else ""
        return chosen or ("relevance" if self.searching else "newest")


class FicheFilter(PublicFilterSet):
    q = django_filters.CharFilter(
        label=_("Zoeken in de tekst"), method="filter_search", max_length=search.MAX_QUERY_LENGTH,
        help_text=_("Bijvoorbeeld: kunstmatige intelligentie, \"digitale soevereiniteit\" of AI -chips."),
        widget=forms.TextInput(attrs={"type": "search"}),
        error_messages={"max_length": _("Een zoekopdracht is hoogstens %(limit_value)d tekens lang; deze telt er %(show_value)d.")},
    )
    year = django_filters.ChoiceFilter(label=_("Jaar"), field_name="sent_on", lookup_expr="year", error_messages=_choice_error(_("jaar")))
    council = django_filters.ChoiceFilter(label=_("Raadsformatie"), field_name="council_configuration__code",
                                          error_messages=_choice_error(_("Raadsformatie")))
    ministry = django_filters.ChoiceFilter(label=_("Eerstverantwoordelijk ministerie"), field_name="lead_ministry__code",
                                           error_messages=_choice_error(_("ministerie")))
    # field_name of a method filter: the model field its values come from (the API schema lists them).
    document_kind = django_filters.ChoiceFilter(label=_("Soort document"), method="filter_document_kind", field_name="documents__kind",
                                                error_messages=_choice_error(_("soort document")))
    template = django_filters.ChoiceFilter(label=_("Sjabloon"), field_name="template__kind", error_messages=_choice_error(_("sjabloon")))
    competence = django_filters.ChoiceFilter(label=_("Oordeel bevoegdheid"), error_messages=_choice_error(_("oordeel")))
    subsidiarity = django_filters.ChoiceFilter(label=_("Oordeel subsidiariteit"), error_messages=_choice_error(_("oordeel")))
    proportionality = django_filters.ChoiceFilter(label=_("Oordeel proportionaliteit"), error_messages=_choice_error(_("oordeel")))
    commitment_status = django_filters.ChoiceFilter(label=_("Status van een toezegging"), method="filter_commitment_status",
                                                    field_name="commitments__status",
                                                    error_messages=_choice_error(_("status")))

    class Meta:
        model = Fiche
        fields = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, cache_facets=False):
        super().__init__(data, queryset=queryset, request=request, prefix=prefix)
        base = self.queryset
        # Shared with the view, which caches its page count and page keys by the same content version.
        self.result_cache = shared_cache(base, cache_facets)
        rows = self.result_cache.rows
        if search.is_postgresql():
            # Every menu in one scan of the published fiches (``_facet_rows``): what the first list after a write waits for.
            menus = _once(lambda: rows("fiche-menus", lambda: _facet_rows(base, {})[0]))
            fixed = _once(lambda: Counter({(facet, value): n for facet, value, n, *_label in menus() if facet in FIXED_FACETS}))
        else:
            menus = None
            fixed = _once(lambda: rows("fiche-fixed-choices", lambda: _fixed_choice_counts(base)))
        self._menus = menus
        # Every value that occurs in the published fiches, with its label and count: what a value is
        # validated against, and the menu as long as no filter is active.
        self._facets = {name: _once(_base_facet(rows, base, name, fixed, menus)) for name in FACETS}
        for name in FACETS:
            self.filters[name].extra["choices"] = _once(
                lambda name=name: [(value, f"{label} ({n})") for value, label, n in self._facets[name]()]
            )

    @property
    def active_fields(self):
        """As for every public list, but a menu's value is named without its count: "Jaar: 2024"."""
        def named(name, shown):
            # Only the menus in use are read (validation has read them already): feeds pay nothing more.
            value = str(self.form.cleaned_data[name])
            return next((label for choice, label, _n in self._facets[name]() if choice == value), shown) if name in FACETS else shown

        return [(name, label, named(name, shown)) for name, label, shown in super().active_fields]

    def published_count(self):
        """PostgreSQL: the number of published fiches (the unfiltered list's count), from the menus' query; else None."""
        return next((n for facet, _value, n, *_label in self._menus() if facet == ""), 0) if self._menus else None

    def listed_count(self):
        """As for every public list; with active filters, the count of the menus within them (``matched_count``)."""
        return self.matched_count if self.active_fields else self.published_count()

    def facet_choices(self, name):
        """[(value, label, number of published fiches)] of one facet, as its menu shows them unfiltered."""
        return self._facets[name]()

    matched_count = None  # set by narrow_facets (PostgreSQL): the number of fiches that pass the active filters
    ranked_keys = None  # set by narrow_facets for a search (PostgreSQL): the keys of all its results, best first

    def narrow_facets(self, *, ranked=False):
        """Give every menu the counts within the OTHER active filters (search included), so that choosing
        a value gives exactly the count it shows. Values without fiches there leave the menu, except the
        one chosen. Cached by content version and the active filters (not the order); call after validation.

        With the menus come the list's own count (``matched_count``) and, for a search when ``ranked`` (the list
        is in order of relevance), the keys of all its results in that order (``ranked_keys``): the same cached
        value, so another order of the same search finds its count there too. The keys are read only when the
        menus' query runs for the order of relevance: menus cached for another order have none (the view then
        pages through the search itself)."""
        if not (self.is_bound and self.form.is_valid()):
            return
        active = {name: value for name, value in self.form.cleaned_data.items() if value not in (None, "")}
        if not active:
            return  # the menus already count all published fiches
        digest = hashlib.sha256(repr(sorted((k, str(v)) for k, v in active.items())).encode()).hexdigest()[:32]
        counts, self.ranked_keys, self.matched_count = self.result_cache.rows(
            f"fiche-facets-within:{digest}", lambda: self._counts_within(active, ranked=ranked and "q" in active),
        )
        for name in FACETS:
            chosen = str(active.get(name, ""))
            within = counts[name]
            self.form.fields[name].choices = [  # the field adds its empty choice ("alle") itself
                (value, f"{label} ({within.get(value, 0)})") for value, label, _n in self._facets[name]()
                if within.get(value) or value == chosen
            ]

    def _counts_within(self, active, *, ranked=False):
        """({facet: {value: n}}, ranked keys or None, the list's count or None): each facet counted over the fiches
        that pass every active filter but its own.

        PostgreSQL: one query (``_facet_rows``) over the published fiches, matched by the search first when
        there is one, each facet's count restricted to the other active filters; its total is the list's
        own count and, with ``ranked`` (a search), it also gives the keys of all results in the order of
        relevance (``search.search_fiches``): an unseen search matches once for its menus, its count and
        its pages (issue 17: the facet values of every fiche were unpickled from the cache and counted in
        Python, the search matched again for the page's keys; 110 ms median at 10,000 fiches).
        SQLite (development): a GROUP BY query a facet and scope; the view counts the list itself."""
        if not search.is_postgresql():
            return self._counts_within_by_group(active), None, None
        searched = self.filters["q"].filter(self.queryset, active["q"]) if "q" in active else self.queryset
        counts, matched = {name: {} for name in FACETS}, None
        with search.gin_matching(connections[searched.db], active.get("q", "")):
            rows, keys = _facet_rows(searched, {k: v for k, v in active.items() if k != "q"}, ranked=ranked)
        for facet, value, n, *_label in rows:
            if facet == "":
                matched = n  # the fiches of the list itself: its count, for the view
            else:
                counts[facet][value] = n
        return counts, keys, matched

    def _counts_within_by_group(self, active):
        """As ``_counts_within``, on SQLite: a GROUP BY query a facet and scope (one conditional aggregate
        for the fixed facets), the search repeated in each."""
        scopes, fixed, counts = {}, {}, {}
        for name in FACETS:
            others = frozenset(k for k in active if k != name)
            if not others:
                counts[name] = {value: n for value, _label, n in self._facets[name]()}
                continue
            if others not in scopes:
                queryset = self.queryset
                for key in sorted(others):
                    queryset = self.filters[key].filter(queryset, active[key])
                scopes[others] = queryset.order_by()
            if name in FIXED_FACETS:
                if others not in fixed:
                    fixed[others] = _fixed_choice_counts(scopes[others])
                counts[name] = {value: n for (field, value), n in fixed[others].items() if field == name}
            else:
                counts[name] = _group_counts(scopes[others], name)
        return counts

    def filter_search(self, queryset, name, value):
        return search.search_fiches(queryset, value)

    def filter_document_kind(self, queryset, name, value):
        return queryset.filter(Exists(CommissionDocument.objects.filter(fiches=OuterRef("pk"), kind=value)))

    def filter_commitment_status(self, queryset, name, value):
        return queryset.filter(Exists(Commitment.objects.filter(fiche=OuterRef("pk"), status=value, confirmed=True)))

    @property
    def is_search(self):
        return bool(self.is_bound and self.form.is_valid() and self.form.cleaned_data.get("q"))

    @property
    def active_filters(self):
        """(label, shown value) of every filter in use, for the summary above the results and feed titles."""
        return [(label, shown) for _name, label, shown in self.active_fields]


VERDICT_FIELDS = tuple(name for name, _label in VERDICTS)
FIXED_FACETS = ("template", *VERDICT_FIELDS)
FACETS = ("year", "council", "ministry", "document_kind", *FIXED_FACETS, "commitment_status")


def _fixed_choice_counts(base):
    """Counts of the facets with a fixed set of values (three verdicts, template kind) in ONE scan of
    the published fiches (conditional aggregation) instead of one GROUP BY query each.
    Returns a Counter keyed by (field, value)."""
    wanted = {("template", value): Q(template__kind=value) for value in TemplateKind.values}
    for field in VERDICT_FIELDS:
        wanted |= {(field, value): Q(**{field: value}) for value in Verdict.values}
    names = {f"n{index}": key for index, key in enumerate(wanted)}
    totals = base.order_by().aggregate(**{name: Count("pk", filter=wanted[key]) for name, key in names.items()})
    return Counter({names[name]: n for name, n in totals.items() if n})


# PostgreSQL: the columns of one row per fiche that ``_facet_rows`` counts: the fiche's own columns (ids of the
# Council configuration, ministry and template, labelled after counting), and the document kinds and the confirmed
# commitments' statuses as arrays kept by triggers (migration positions 0009).
FACET_VALUES = {
    "year": ExtractYear("sent_on"),
    "council_id": F("council_configuration_id"),
    "ministry_id": F("lead_ministry_id"),
    "template_kind_id": F("template_id"),
    "fiche_competence": F("competence"),
    "fiche_subsidiarity": F("subsidiarity"),
    "fiche_proportionality": F("proportionality"),
    "document_kinds": RawSQL('"positions_fiche"."document_kinds"', [], output_field=ArrayField(CharField())),
    "commitment_statuses": RawSQL('"positions_fiche"."commitment_statuses"', [], output_field=ArrayField(CharField())),
}
GROUPING_KEYS = tuple(FACET_VALUES)
# facet: (its column, the test of an active filter on a row ``m``); the Council, ministry and template are chosen by code.
FACET_TESTS = {
    "year": ("year", "m.year = %s"),
    "council": ("council_id", f"m.council_id IN (SELECT id FROM {CouncilConfiguration._meta.db_table} WHERE code = %s)"),  # noqa: S608
    "ministry": ("ministry_id", f"m.ministry_id IN (SELECT id FROM {Ministry._meta.db_table} WHERE code = %s)"),  # noqa: S608
    "document_kind": ("document_kinds", "%s = ANY(m.document_kinds)"),
    "template": ("template_kind_id", f"m.template_kind_id IN (SELECT id FROM {FicheTemplate._meta.db_table} WHERE kind = %s)"),  # noqa: S608
    "competence": ("fiche_competence", "m.fiche_competence = %s"),
    "subsidiarity": ("fiche_subsidiarity", "m.fiche_subsidiarity = %s"),
    "proportionality": ("fiche_proportionality", "m.fiche_proportionality = %s"),
    "commitment_status": ("commitment_statuses", "%s = ANY(m.commitment_statuses)"),
}


# The order of a search's results, as ``search.search_fiches`` sorts them (best matches first, then newest): the keys
# that ``_facet_rows`` reads for a search are sorted by the same fields (``_sql_order``), so that its pages are those
# of the search's own queryset (tests/public/test_pages_fiche_list.py checks that the two agree).
RELEVANCE_ORDER = ("-rank", *FICHE_NEWEST_FIRST)


def _sql_order(order):
    """(ORDER BY clause, names of the columns it reads) of an ORM ``order`` of fiche fields and annotations, over
    a ``values()`` query of those names: ("-rank", "-sent_on", "pk") -> ("rank DESC, sent_on DESC, id", ("rank", "sent_on", "id"))."""
    names = tuple(Fiche._meta.pk.name if field.removeprefix("-") == "pk" else field.removeprefix("-") for field in order)
    clause = ", ".join(f"{name} DESC" if field.startswith("-") else name for field, name in zip(order, names, strict=True))
    return clause, names


def _facet_rows(searched, active, *, ranked=False):
    """PostgreSQL, ONE query: [(facet, value, n, name, valid_from, valid_until)] of every facet over ``searched``
    (published fiches, already matched by a search if any), each facet counted within the ``active`` filters
    (facet: value, the search excluded) other than its own; name and period label the Council and ministry
    values. A row ('', '', n, None, None, None) counts the fiches that pass all of ``active``: the list's count.

    One pass over one row per fiche (``GROUPING SETS``, a set per facet), with a count column per scope:
    that of a facet that is not active is all active filters, shared by all of them. The two arrays
    (document kinds, commitment statuses) are grouped together as whole values, a few hundred distinct
    pairs, and each pair's count is added here to each of its values: every fiche counts once per value.
    The ids of the Council configuration, ministry and template are labelled after counting.

    Returns (rows, keys): with ``ranked`` (``searched`` is a search, annotated with its ``rank``), ``keys`` are
    the pks of the fiches that pass all of ``active`` in the search's order (``RELEVANCE_ORDER``), read
    from the same rows, so the search matches once; otherwise None."""
    order = _sql_order(RELEVANCE_ORDER) if ranked else ("", ())
    inner_sql, params = searched.order_by().values(*order[1], **FACET_VALUES).query.sql_with_params()

    def passing(names):
        """The condition (and its parameters) that a row passes the active filters among ``names``."""
        wanted = [name for name in names if name in active]
        return " AND ".join(FACET_TESTS[name][1] for name in wanted), [int(active[n]) if n == "year" else str(active[n]) for n in wanted]

    scopes = ["", *active]  # "": all active filters, the scope of the list itself and of every facet not active
    counts, count_params = [], []
    for scope in scopes:
        condition, values = passing([name for name in active if name != scope])
        counts.append(f"COUNT(*) FILTER (WHERE {condition})" if condition else "COUNT(*)")
        count_params += values
    sets = "(year), (council_id), (ministry_id), (template_kind_id), (fiche_competence), (fiche_subsidiarity), (fiche_proportionality)"
    everything = grouping_of(GROUPING_KEYS, ())
    keys_sql, keys_params = "NULL::bigint[]", []
    if ranked:  # in the one row of the set () only
        condition, keys_params = passing(active)
        keys_sql = (f"CASE WHEN g.grouped = {everything} THEN (SELECT array_agg(m.id ORDER BY {order[0]}) FROM m"  # noqa: S608
                    f"{' WHERE ' + condition if condition else ''}) END")
    # Only our own table and column names and the ORM's SQL are formatted in; values are parameters.
    sql = (
        f"WITH m AS ({inner_sql}) "  # noqa: S608
        f"SELECT g.*, c.code, c.name, mi.code, mi.name, mi.valid_from, mi.valid_until, t.kind, {keys_sql} FROM ("
        f"SELECT GROUPING({', '.join(GROUPING_KEYS)}) AS grouped, {', '.join(GROUPING_KEYS)}, {', '.join(counts)} "
        f"FROM m GROUP BY GROUPING SETS ({sets}, (document_kinds, commitment_statuses), ())) g "
        f"LEFT JOIN {CouncilConfiguration._meta.db_table} c ON c.id = g.council_id "
        f"LEFT JOIN {Ministry._meta.db_table} mi ON mi.id = g.ministry_id "
        f"LEFT JOIN {FicheTemplate._meta.db_table} t ON t.id = g.template_kind_id"
    )
    with connections[searched.db].cursor() as cursor:
        cursor.execute(sql, [*params, *keys_params, *count_params])
        found = cursor.fetchall()
    keys = next((row[-1] or [] for row in found if row[0] == everything), []) if ranked else None
    set_of_key = {grouping_of(GROUPING_KEYS, (key,)): key for key in GROUPING_KEYS}
    set_of_key[grouping_of(GROUPING_KEYS, ("document_kinds", "commitment_statuses"))] = "arrays"
    facet_of_key = {column: facet for facet, (column, _test) in FACET_TESTS.items()}
    totals, labels = Counter(), {}
    for grouped, *values in found:
        row = dict(zip(GROUPING_KEYS, values, strict=False))
        ns = dict(zip(scopes, values[len(GROUPING_KEYS):len(GROUPING_KEYS) + len(scopes)], strict=True))
        council_code, council_name, ministry_code, ministry_name, valid_from, valid_until, template_kind = values[-8:-1]
        key = set_of_key.get(grouped, "")
        if key == "arrays":
            for facet, column in (("document_kind", "document_kinds"), ("commitment_status", "commitment_statuses")):
                for value in row[column] or ():
                    totals[facet, value] += ns.get(facet, ns[""])
            continue
        facet = facet_of_key.get(key, "")
        value = {"year": row["year"], "council": council_code, "ministry": ministry_code, "template": template_kind}.get(facet, row.get(key))
        if facet and value in (None, ""):
            continue
        value = str(int(value)) if facet == "year" else ("" if not facet else str(value))
        totals[facet, value] += ns.get(facet, ns[""])
        if facet == "council":
            labels[facet, value] = (council_name, None, None)
        elif facet == "ministry":
            labels[facet, value] = (ministry_name, valid_from, valid_until)
    return [(facet, value, n, *labels.get((facet, value), (None, None, None))) for (facet, value), n in totals.items()], keys


def _group_rows(queryset, facet):
    """One GROUP BY query: rows of (value, the fields its label needs, n) of a facet over ``queryset``."""
    queryset = queryset.order_by()
    if facet == "year":
        return queryset.annotate(value=ExtractYear("sent_on")).values("value").annotate(n=Count("pk")).order_by("-value")
    if facet == "council":
        return queryset.values(value=F("council_configuration__code"), name=F("council_configuration__name")).annotate(n=Count("pk"))
    if facet == "ministry":
        return queryset.values(value=F("lead_ministry__code"), name=F("lead_ministry__name"), valid_from=F("lead_ministry__valid_from"),
                               valid_until=F("lead_ministry__valid_until")).annotate(n=Count("pk"))
    # Joined from the fiches, not as a subquery of them: the search's stored vector names the fiche table itself.
    if facet == "document_kind":
        return queryset.values(value=F("documents__kind")).annotate(n=Count("pk", distinct=True))
    if facet == "commitment_status":
        return queryset.filter(commitments__confirmed=True).values(value=F("commitments__status")).annotate(n=Count("pk", distinct=True))
    raise ValueError(facet)


def _group_counts(queryset, facet):
    return {str(row["value"]): row["n"] for row in _group_rows(queryset, facet) if row["value"] not in (None, "")}


def _base_facet(rows, base, facet, fixed, menus=None):
    """A callable giving [(value, label, n)] of ``facet`` over all published fiches, in menu order (cached rows):
    from ``menus`` (PostgreSQL: ``_facet_rows`` of every facet) or a GROUP BY query of this facet (SQLite)."""
    if facet in FIXED_FACETS:
        choices = sorted(TemplateKind.choices) if facet == "template" else Verdict.choices
        return lambda: [(value, str(label), fixed()[(facet, value)]) for value, label in choices if fixed()[(facet, value)]]

    def found_rows():
        if menus is not None:
            return [{"value": int(value) if facet == "year" else value, "n": n, "name": name, "valid_from": valid_from,
                     "valid_until": valid_until} for of, value, n, name, valid_from, valid_until in menus() if of == facet]
        return rows(f"fiche-{facet}", lambda: list(_group_rows(base, facet)))

    def labelled():
        found = [row for row in found_rows() if row["value"] not in (None, "")]
        if facet == "year":
            return [(str(row["value"]), str(row["value"]), row["n"]) for row in sorted(found, key=lambda row: -row["value"])]
        if facet == "council":
            return sorted(((row["value"], row["name"], row["n"]) for row in found), key=lambda choice: (choice[1], choice[0]))
        if facet == "ministry":
            found.sort(key=lambda row: (row["name"], row["valid_from"] or datetime.date.min, row["value"]))
            return [(row["value"], ministry_label(row["name"], row["valid_from"], row["valid_until"]), row["n"]) for row in found]
        label = CommissionDocument.Kind if facet == "document_kind" else Commitment.Status
        return sorted(((row["value"], str(label(row["value"]).label), row["n"]) for row in found), key=lambda choice: choice[0])

    return labelled


DUE_PERIODS = [
    ("overdue", _("over de uiterste datum")),
    ("next-90-days", _("binnen 90 dagen")),
    ("later", _("later dan 90 dagen")),
    ("event", _("bij een gebeurtenis (bijv. een Raad)")),
    ("none", _("zonder termijn")),
]


def _commitment_pairs(base):
    """[{council, council_name, ministry_code, ministry_name, ministry_abbreviation, n}] of the published commitments
    ``base``: grouped by their fiche's Council configuration and the id of their responsible ministry (the
    commitment's own, or else the fiche's lead ministry); the ministries label the pairs afterwards (one query of
    a few rows: a join with the ministry table twice cost more than the grouping itself)."""
    pairs = list(base.order_by().values(council=F("fiche__council_configuration__code"), council_name=F("fiche__council_configuration__name"),
                                        responsible=Coalesce(F("ministry_id"), F("fiche__lead_ministry_id"))).annotate(n=Count("pk")))
    ministries = Ministry.objects.in_bulk({row["responsible"] for row in pairs if row["responsible"]})
    found = []
    for row in pairs:
        ministry = ministries.get(row.pop("responsible"))
        found.append({**row, "ministry_code": ministry.code if ministry else None, "ministry_name": ministry.name if ministry else None,
                      "ministry_abbreviation": ministry.abbreviation if ministry else None})
    return found


class CommitmentFilter(PublicFilterSet):
    """Commitments of published fiches. The view passes ``Commitment.objects.published()``."""

    q = django_filters.CharFilter(
        label=_("Zoeken"), method="filter_search", max_length=search.MAX_QUERY_LENGTH,
        help_text=_("In de tekst van de toezegging, de titel van het fiche of het Kamerstuk (bijv. 22 112, nr. 3908)."),
        widget=forms.TextInput(attrs={"type": "search"}),
        error_messages={"max_length": _("Een zoekopdracht is hoogstens %(limit_value)d tekens lang; deze telt er %(show_value)d.")},
    )
    ministry = django_filters.ChoiceFilter(label=_("Verantwoordelijk ministerie"), method="filter_ministry",
                                           error_messages=_choice_error(_("ministerie")))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Commitment.Status.choices, error_messages=_choice_error(_("status")))
    kind = django_filters.ChoiceFilter(label=_("Soort toezegging"), choices=Commitment.Kind.choices, error_messages=_choice_error(_("soort")))
    council = django_filters.ChoiceFilter(label=_("Raadsformatie"), field_name="fiche__council_configuration__code",
                                          error_messages=_choice_error(_("Raadsformatie")))
    due = django_filters.ChoiceFilter(label=_("Termijn"), choices=DUE_PERIODS, method="filter_due", error_messages=_choice_error(_("termijn")))
    due_after = django_filters.DateFilter(label=_("Uiterste datum vanaf"), field_name="due_date", lookup_expr="gte",
                                          widget=forms.DateInput(attrs={"type": "date"}))
    due_before = django_filters.DateFilter(label=_("Uiterste datum tot en met"), field_name="due_date", lookup_expr="lte",
                                           widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = Commitment
        fields = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, cache_facets=False):
        super().__init__(data, queryset=queryset, request=request, prefix=prefix)
        base = self.queryset
        # Shared with the view, which caches its page count and page keys by the same content version.
        self.result_cache = shared_cache(base, cache_facets)
        rows = self.result_cache.rows
        # Both menus and the number of published commitments from ONE GROUP BY over them: a row per pair of
        # Council configuration and responsible ministry (the commitment's own, or else its fiche's lead
        # ministry), a few hundred at most, summed here per menu.
        self._pairs = _once(lambda: rows("commitment-menus", lambda: _commitment_pairs(base)))

        def ministries():
            found = {(row["ministry_code"], row["ministry_name"], row["ministry_abbreviation"]) for row in self._pairs() if row["ministry_code"]}
            return [(code, f"{name} ({abbreviation})") for code, name, abbreviation in sorted(found, key=lambda m: (m[1], m[0]))]

        def councils():
            counted, names = Counter(), {}
            for row in self._pairs():
                if row["council"]:
                    counted[row["council"]] += row["n"]
                    names[row["council"]] = row["council_name"]
            return [(code, f"{names[code]} ({n})") for code, n in sorted(counted.items(), key=lambda item: (names[item[0]], item[0]))]

        self.filters["ministry"].extra["choices"] = _once(ministries)
        self.filters["council"].extra["choices"] = _once(councils)

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_ministry(self, queryset, name, value):
        return queryset.filter(Q(ministry__code=value) | Q(ministry__isnull=True, fiche__lead_ministry__code=value))

    def filter_due(self, queryset, name, value):
        today = timezone.localdate()
        soon = today + datetime.timedelta(days=90)
        if value == "overdue":
            return queryset.overdue(today)
        if value == "next-90-days":
            return queryset.filter(due_date__gte=today, due_date__lte=soon)
        if value == "later":
            return queryset.filter(due_date__gt=soon)
        if value == "event":
            return queryset.filter(due_date__isnull=True).exclude(due_event=Commitment.DueEvent.NONE)
        return queryset.filter(due_date__isnull=True, due_event=Commitment.DueEvent.NONE)

    @property
    def active_filters(self):
        return FicheFilter.active_filters.fget(self)


class DocumentFilter(PublicFilterSet):
    """Commission documents we hold (``selectors.documents()``): by words of the title or reference, year and kind."""

    q = django_filters.CharFilter(
        label=_("Titel of referentie bevat"), method="filter_text", max_length=100,
        help_text=_("Bijvoorbeeld: batterijen, of COM(2024) 28."), widget=forms.TextInput(attrs={"type": "search"}),
        error_messages={"max_length": _("Zoek met hoogstens %(limit_value)d tekens; deze zoekopdracht telt er %(show_value)d.")},
    )
    year = django_filters.ChoiceFilter(label=_("Jaar"), field_name="year", error_messages=_choice_error(_("jaar")))
    kind = django_filters.ChoiceFilter(label=_("Soort document"), field_name="kind", error_messages=_choice_error(_("soort document")))

    class Meta:
        model = CommissionDocument
        fields = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, cache_facets=False):
        super().__init__(data, queryset=queryset, request=request, prefix=prefix)
        base = self.queryset
        self.result_cache = shared_cache(base, cache_facets)
        rows = self.result_cache.rows
        # Both menus and the number of documents from ONE GROUP BY over the pairs (year, kind): the gate of
        # ``documents()`` (documents of published fiches and those related to them) is read once, not three times.
        self._pairs = _once(lambda: rows("document-menus", lambda: list(base.order_by().values("year", "kind").annotate(n=Count("pk")))))

        def summed(field):
            counted = Counter()
            for row in self._pairs():
                counted[row[field]] += row["n"]
            return counted

        self.filters["year"].extra["choices"] = _once(lambda: _labelled(
            [{"year": year, "n": n} for year, n in sorted(summed("year").items(), reverse=True)], lambda r: r["year"], value="year",
        ))
        self.filters["kind"].extra["choices"] = _once(lambda: _labelled(
            [{"value": kind, "n": n} for kind, n in sorted(summed("kind").items())], lambda r: CommissionDocument.Kind(r["value"]).label,
        ))

    def filter_text(self, queryset, name, value):
        try:
            ref = references.parse_reference(value)
        except ValidationError:
            ref = None
        if ref is not None:
            return queryset.filter(doc_type=ref.doc_type, year=ref.year, number=ref.number)
        for word in search.query_words(value):
            queryset = queryset.filter(title__icontains=word)
        return queryset


class OutcomeFilter(PublicFilterSet):
    """Published outcomes (``selectors.outcomes()``): by lead ministry, Council configuration (codes), year of
    adoption and the Dutch vote. The API's outcome list and the outcome exports share it."""

    ministry = django_filters.CharFilter(label=_("Ministerie (code)"), field_name="fiche__lead_ministry__code", lookup_expr="iexact", max_length=20)
    council = django_filters.CharFilter(label=_("Raadsformatie (code)"), field_name="fiche__council_configuration__code", lookup_expr="iexact",
                                        max_length=20)
    year = django_filters.NumberFilter(label=_("Jaar van aanneming"), field_name="adopted_on", lookup_expr="year", min_value=1950, max_value=2100)
    vote = django_filters.ChoiceFilter(label=_("Stem van Nederland"), field_name="dutch_vote", choices=Vote.choices,
                                       error_messages=_choice_error(_("stem")))

    class Meta:
        model = Outcome
        fields = []
