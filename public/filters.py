"""FilterSets of the public lists. Drafts never reach them: views pass a ``published()`` queryset, and
every choice list (with its counts) is computed from that same queryset, so no dropdown reveals
unpublished data. Choices are callables: they are only queried when a form is rendered or a value
has to be validated, so the feeds and exports that reuse ``FicheFilter`` pay nothing for them.

Usage: ``FicheFilter(request.GET, queryset=Fiche.objects.published())``.
"""

import datetime
from collections import Counter

import django_filters
from django import forms
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pagecache.results import ContentCache
from positions.models import Commitment, Fiche, TemplateKind, Verdict
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
        facets = {
            "year": lambda: _labelled(
                rows("fiche-year", lambda: list(
                    base.annotate(value=ExtractYear("sent_on")).order_by().values("value").annotate(n=Count("pk")).order_by("-value"))),
                lambda r: r["value"],
            ),
            "council": lambda: _labelled(
                rows("fiche-council", lambda: list(
                    base.order_by().values(value=F("council_configuration__code"), name=F("council_configuration__name"))
                    .annotate(n=Count("pk")).order_by("name", "value"))),
                lambda r: r["name"],
            ),
            "ministry": lambda: _labelled(
                rows("fiche-ministry", lambda: list(
                    base.order_by().values(value=F("lead_ministry__code"), name=F("lead_ministry__name"),
                                           abbr=F("lead_ministry__abbreviation"))
                    .annotate(n=Count("pk")).order_by("name", "value"))),
                lambda r: f"{r['name']} ({r['abbr']})",
            ),
            "document_kind": lambda: _labelled(
                rows("fiche-document-kind", lambda: list(
                    CommissionDocument.objects.filter(fiches__in=base.values("pk")).order_by().values(value=F("kind"))
                    .annotate(n=Count("fiches", distinct=True)).order_by("value"))),
                lambda r: CommissionDocument.Kind(r["value"]).label,
            ),
            "template": lambda: [
                (value, f"{label} ({counts()[('template', value)]})")
                for value, label in sorted(TemplateKind.choices) if counts()[("template", value)]
            ],
            "commitment_status": lambda: _labelled(
                rows("fiche-commitment-status", lambda: list(
                    Commitment.objects.filter(fiche__in=base.values("pk")).order_by().values(value=F("status"))
                    .annotate(n=Count("fiche", distinct=True)).order_by("value"))),
                lambda r: Commitment.Status(r["value"]).label,
            ),
        }
        counts = _once(lambda: rows("fiche-fixed-choices", lambda: _fixed_choice_counts(base)))
        for verdict in VERDICT_FIELDS:
            facets[verdict] = _verdict_facet(counts, verdict)
        for name, choices in facets.items():
            self.filters[name].extra["choices"] = _once(choices)

    def filter_search(self, queryset, name, value):
        return search.search_fiches(queryset, value)

    def filter_document_kind(self, queryset, name, value):
        return queryset.filter(Exists(CommissionDocument.objects.filter(fiches=OuterRef("pk"), kind=value)))

    def filter_commitment_status(self, queryset, name, value):
        return queryset.filter(Exists(Commitment.objects.filter(fiche=OuterRef("pk"), status=value)))

    @property
    def is_search(self):
        return bool(self.is_bound and self.form.is_valid() and self.form.cleaned_data.get("q"))

    @property
    def active_filters(self):
        """(label, shown value) of every filter in use, for the summary above the results."""
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
            active.append((field.label, shown))
        return active


VERDICT_FIELDS = ("competence", "subsidiarity", "proportionality")


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


def _verdict_facet(counts, field):
    def choices():
        return [(value, f"{label} ({counts()[(field, value)]})") for value, label in Verdict.choices if counts()[(field, value)]]

    return choices


DUE_PERIODS = [
    ("overdue", _("over de uiterste datum")),
    ("next-90-days", _("binnen 90 dagen")),
    ("later", _("later dan 90 dagen")),
    ("event", _("bij een gebeurtenis (bijv. een Raad)")),
    ("none", _("zonder termijn")),
]


class CommitmentFilter(PublicFilterSet):
    """Commitments of published fiches. The view passes ``Commitment.objects.published()``."""

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
