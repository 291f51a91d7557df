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
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from outcomes.models import Outcome, Vote
from pagecache.results import ContentCache
from positions.models import Commitment, Fiche, TemplateKind, Verdict
from proposals import references
from proposals.models import CommissionDocument, Ministry

from . import search


def _labelled(rows, label, value="value"):
    return [(str(row[value]), f"{label(row)} ({row['n']})") for row in rows if row[value] not in (None, "")]


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
        self.result_cache = ContentCache(base, cache_facets)
        rows = self.result_cache.rows
        fixed = _once(lambda: rows("fiche-fixed-choices", lambda: _fixed_choice_counts(base)))
        # Every value that occurs in the published fiches, with its label and count: what a value is
        # validated against, and the menu as long as no filter is active.
        self._facets = {name: _once(_base_facet(rows, base, name, fixed)) for name in FACETS}
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

    def facet_choices(self, name):
        """[(value, label, number of published fiches)] of one facet, as its menu shows them unfiltered."""
        return self._facets[name]()

    matched_count = None  # set by narrow_facets when it counted the listed fiches themselves

    def narrow_facets(self):
        """Give every menu the counts within the OTHER active filters (search included), so that choosing
        a value gives exactly the count it shows. Values without fiches there leave the menu, except the
        one chosen. Cached by content version and the active filters; call after validation."""
        if not (self.is_bound and self.form.is_valid()):
            return
        active = {name: value for name, value in self.form.cleaned_data.items() if value not in (None, "")}
        if not active:
            return  # the menus already count all published fiches
        digest = hashlib.sha256(repr(sorted((k, str(v)) for k, v in active.items())).encode()).hexdigest()[:32]
        counts = self.result_cache.rows(f"fiche-facets-within:{digest}", lambda: self._counts_within(active))
        for name in FACETS:
            chosen = str(active.get(name, ""))
            within = counts[name]
            self.form.fields[name].choices = [  # the field adds its empty choice ("alle") itself
                (value, f"{label} ({within.get(value, 0)})") for value, label, _n in self._facets[name]()
                if within.get(value) or value == chosen
            ]

    def _counts_within(self, active):
        """{facet: {value: n}}: each facet counted over the fiches that pass every active filter but its own.
        With a search: one query a scope (the keys of the fiches that pass those filters), counted in Python against the
        facet values of every published fiche (``_facet_table``, cached by content version): an unseen
        search then costs one more query instead of six, each of which matched the search again (issue 17:
        700-900 ms for two common words at 10,000 fiches)."""
        if "q" not in active:
            return self._counts_within_by_group(active)
        scopes, counts = {}, {}
        for name in FACETS:
            others = frozenset(k for k in active if k != name)
            if not others:
                counts[name] = {value: n for value, _label, n in self._facets[name]()}
            else:
                scopes.setdefault(others, []).append(name)
        if scopes:
            table = self.result_cache.rows("fiche-facet-table", lambda: _facet_table(self.queryset))
        for others, names in scopes.items():
            queryset = self.queryset
            for key in sorted(others):
                queryset = self.filters[key].filter(queryset, active[key])
            keys = set(queryset.order_by().values_list("pk", flat=True))
            if others == frozenset(active):
                self.matched_count = len(keys)  # the fiches of the list itself: its count, for the view
            counts.update(_count_in_table(table, names, keys))
        return counts

    def _counts_within_by_group(self, active):
        """As ``_counts_within``, for filters without a search: a GROUP BY query a facet and scope (one
        conditional aggregate for the fixed facets). Each is cheap on indexed columns, and the first request
        after a write then does not wait for the facet table."""
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


VERDICT_FIELDS = ("competence", "subsidiarity", "proportionality")
FIXED_FACETS = ("template", *VERDICT_FIELDS)
FACETS = ("year", "council", "ministry", "document_kind", *FIXED_FACETS, "commitment_status")


def ministry_label(name, valid_from=None, valid_until=None):
    """A ministry's name without "Ministerie van", with its period when it has one, so that ministries
    of the same name tell apart: "Economische Zaken (2012-2017)", "Justitie (tot 2010)"."""
    short = name.removeprefix("Ministerie van ").removeprefix("ministerie van ") if name else ""
    if valid_from and valid_until:
        return f"{short} ({valid_from.year}-{valid_until.year})"
    if valid_until:
        return gettext("%(name)s (tot %(year)s)") % {"name": short, "year": valid_until.year}
    if valid_from:
        return gettext("%(name)s (sinds %(year)s)") % {"name": short, "year": valid_from.year}
    return short


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


def _facet_table(base):
    """{fiche pk: (value of every facet, in FACETS order)} over ``base`` (the published fiches); the document
    kinds and the confirmed commitments' statuses as tuples (a fiche can have several). Three queries."""
    kinds, statuses = {}, {}
    for pk, kind in base.order_by().filter(documents__isnull=False).values_list("pk", "documents__kind").distinct():
        kinds.setdefault(pk, []).append(kind)
    for pk, status in base.order_by().filter(commitments__confirmed=True).values_list("pk", "commitments__status").distinct():
        statuses.setdefault(pk, []).append(status)
    rows = base.order_by().values_list("pk", ExtractYear("sent_on"), "council_configuration__code", "lead_ministry__code",
                                       "template__kind", *VERDICT_FIELDS)
    return {pk: (year, council, ministry, tuple(kinds.get(pk, ())), template, *verdicts, tuple(statuses.get(pk, ())))
            for pk, year, council, ministry, template, *verdicts in rows}


def _count_in_table(table, names, keys):
    """{facet: {value: number of fiches among ``keys``}} of the facets ``names``, from ``_facet_table`` rows,
    in one pass over the keys."""
    columns = [(name, FACETS.index(name), Counter()) for name in names]
    for pk in keys:
        row = table.get(pk)
        if row is None:
            continue
        for _name, index, counter in columns:
            value = row[index]
            if value.__class__ is tuple:
                counter.update(value)
            else:
                counter[value] += 1
    return {name: {str(value): n for value, n in counter.items() if value not in (None, "")} for name, _index, counter in columns}


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


def _base_facet(rows, base, facet, fixed):
    """A callable giving [(value, label, n)] of ``facet`` over all published fiches, in menu order (cached rows)."""
    if facet in FIXED_FACETS:
        choices = sorted(TemplateKind.choices) if facet == "template" else Verdict.choices
        return lambda: [(value, str(label), fixed()[(facet, value)]) for value, label in choices if fixed()[(facet, value)]]

    def labelled():
        found = [row for row in rows(f"fiche-{facet}", lambda: list(_group_rows(base, facet))) if row["value"] not in (None, "")]
        if facet == "year":
            return [(str(row["value"]), str(row["value"]), row["n"]) for row in found]
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
        fiche_ids = base.values("fiche")
        # Shared with the view, which caches its page count and page keys by the same content version.
        self.result_cache = ContentCache(base, cache_facets)
        rows = self.result_cache.rows

        def ministries():
            return [
                (code, f"{name} ({abbreviation})")
                for code, name, abbreviation in rows("commitment-ministry", lambda: list(
                    Ministry.objects.filter(
                        Q(pk__in=base.values("ministry")) | Q(pk__in=base.filter(ministry__isnull=True).values("fiche__lead_ministry"))
                    ).order_by("name").values_list("code", "name", "abbreviation")
                ))
            ]

        def councils():
            return _labelled(
                rows("commitment-council", lambda: list(
                    Fiche.objects.filter(pk__in=fiche_ids).order_by()
                    .values(value=F("council_configuration__code"), name=F("council_configuration__name"))
                    .annotate(n=Count("commitments", distinct=True)).order_by("name")
                )),
                lambda r: r["name"],
            )

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
        self.result_cache = ContentCache(base, cache_facets)
        rows = self.result_cache.rows
        self.filters["year"].extra["choices"] = _once(lambda: _labelled(
            rows("document-year", lambda: list(base.order_by().values("year").annotate(n=Count("pk")).order_by("-year"))),
            lambda r: r["year"], value="year",
        ))
        self.filters["kind"].extra["choices"] = _once(lambda: _labelled(
            rows("document-kind", lambda: list(base.order_by().values(value=F("kind")).annotate(n=Count("pk")).order_by("value"))),
            lambda r: CommissionDocument.Kind(r["value"]).label,
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
