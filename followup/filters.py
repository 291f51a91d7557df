"""The dashboard's filters. The view passes ``tracked_commitments(request.user)`` and the request; choices are
reference data (ministries, Council configurations) and the tracked fiches the reader may see, so staff see
no drafts and no other ministry's fiche under embargo."""

import django_filters
from django import forms
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from positions.models import Commitment, Fiche
from positions.permissions import visible_fiches
from proposals.models import CouncilConfiguration, Ministry

from .tracking import for_ministry_lineage

OPEN = "open"
ALL = "all"


def status_choices():
    return [(ALL, _("alle statussen")), (OPEN, _("openstaand of deels voldaan")), *Commitment.Status.choices]


class FicheChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.kamerstuk_display} · {obj.title}" if obj.kamerstuk else obj.title


class FicheFilter(django_filters.ModelChoiceFilter):
    field_class = FicheChoiceField


class MinistryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return ministry_label(obj)


class MinistryFilter(django_filters.ModelChoiceFilter):
    field_class = MinistryChoiceField


def ministry_label(ministry):
    """Historic ministries share abbreviations (EZ 2012-2017, EZ since 2024): the period tells them apart."""
    if ministry.valid_until:
        start = f"{ministry.valid_from:%Y}–" if ministry.valid_from else _("tot ")
        return f"{ministry.name} ({ministry.abbreviation}, {start}{ministry.valid_until:%Y})"
    return f"{ministry.name} ({ministry.abbreviation})"


def ministries_current_first():
    return Ministry.objects.order_by(F("valid_until").desc(nulls_first=True), "name")


def tracked_fiches(request):
    """The fiche choices: sent to parliament, as the reader may see them (nothing without a request)."""
    tracked = Fiche.objects.filter(status=Fiche.Status.PUBLISHED).order_by("-kamerstuk")
    return visible_fiches(getattr(request, "user", None), tracked)


class CommitmentFilter(django_filters.FilterSet):
    ministry = MinistryFilter(
        label=_("Ministerie"), queryset=ministries_current_first(), to_field_name="code", method="filter_ministry", empty_label=_("alle")
    )
    kind = django_filters.ChoiceFilter(label=_("Soort"), choices=Commitment.Kind.choices, empty_label=_("alle"))
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=status_choices, method="filter_status", empty_label=None,
        help_text=_("Standaard alles: wat openstaat en wat is afgehandeld, met bewijs."),
    )
    configuration = django_filters.ModelChoiceFilter(
        label=_("Raadsformatie"), queryset=CouncilConfiguration.objects.order_by("name"), to_field_name="code",
        method="filter_configuration", empty_label=_("alle"),
    )
    fiche = FicheFilter(
        label=_("Fiche"), queryset=tracked_fiches, to_field_name="natural_id",
        empty_label=_("alle"),
    )

    class Meta:
        model = Commitment
        fields = ["ministry", "kind", "status", "configuration", "fiche"]

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else None
        if data is not None and not data.get("status"):
            data["status"] = ALL
        super().__init__(data, *args, **kwargs)

    def filter_ministry(self, queryset, name, value):
        """The responsible ministry (the commitment's own, else the fiche's lead ministry) or a predecessor."""
        return for_ministry_lineage(queryset, [value]) if value else queryset

    def filter_status(self, queryset, name, value):
        if value in ("", ALL):
            return queryset
        if value == OPEN:
            return queryset.open()
        return queryset.filter(status=value)

    def filter_configuration(self, queryset, name, value):
        """The Council of the commitment's event, or the Council that handles the fiche."""
        if not value:
            return queryset
        return queryset.filter(Q(due_configuration=value) | Q(fiche__council_configuration=value))
