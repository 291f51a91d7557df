"""The dashboard's filters and list options. The view passes ``tracked_commitments(request.user)`` and the
request; choices are reference data (ministries, Council configurations), and a fiche is validated against the
tracked fiches the reader may see, so staff see no drafts and no other ministry's fiche under embargo.

The fiche filter is not a menu: thousands of fiches make a page of options nobody scrolls. Staff find a fiche
by searching (``q``: commitment text, fiche title or Kamerstuk) or follow the link on a row; the chosen fiche
travels as a hidden field and shows as an active filter.
"""

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from positions.models import Commitment, Fiche
from positions.permissions import visible_fiches
from proposals.models import CouncilConfiguration, Ministry

from .models import CommitmentAssignment
from .tracking import GROUP_KEYS, for_ministry_lineage

OPEN = "open"
ALL = "all"
MINE = "mine"
NOBODY = "none"
SEARCH_MAX_LENGTH = 200


def status_choices():
    return [(ALL, _("alle statussen")), (OPEN, _("openstaand of deels voldaan")), *Commitment.Status.choices]


class FicheChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.kamerstuk_display} · {obj.title}" if obj.kamerstuk else obj.title


class FicheFilter(django_filters.ModelChoiceFilter):
    field_class = FicheChoiceField


def short_ministry_label(ministry):
    """The ministry's name (``Ministry.__str__``) without "Ministerie van": "Economische Zaken (EZ, 2012–2017)", for tables."""
    return str(ministry).removeprefix("Ministerie van ")


def ministries_current_first():
    return Ministry.objects.order_by(F("valid_until").desc(nulls_first=True), "name")


def tracked_fiches(request):
    """The fiche choices: sent to parliament, as the reader may see them (nothing without a request)."""
    tracked = Fiche.objects.filter(status=Fiche.Status.PUBLISHED).order_by("-kamerstuk")
    return visible_fiches(getattr(request, "user", None), tracked)


class CommitmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Zoeken"), method="filter_search", max_length=SEARCH_MAX_LENGTH,
        help_text=_("In de tekst van de toezegging, de titel van het fiche of het Kamerstuk (bijv. 22 112, nr. 3908)."),
        widget=forms.TextInput(attrs={"type": "search"}),
        error_messages={"max_length": _("Zoek met hoogstens %(limit_value)d tekens; deze zoekopdracht telt er %(show_value)d.")},
    )
    ministry = django_filters.ModelChoiceFilter(
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
    owner = django_filters.ChoiceFilter(
        label=_("Houder"), choices=[(MINE, _("mijn toezeggingen")), (NOBODY, _("zonder houder"))], method="filter_owner",
        empty_label=_("iedereen"),
    )
    fiche = FicheFilter(
        label=_("Fiche"), queryset=tracked_fiches, to_field_name="natural_id", widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Dit fiche bestaat niet of u mag het niet zien.")},
    )

    class Meta:
        model = Commitment
        fields = ["q", "ministry", "kind", "status", "configuration", "owner", "fiche"]

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else None
        if data is not None and not data.get("status"):
            data["status"] = ALL
        super().__init__(data, *args, **kwargs)

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_owner(self, queryset, name, value):
        """Mine: the reader holds it now; none: nobody does."""
        current = CommitmentAssignment.objects.current().filter(commitment=OuterRef("pk"))
        if value == MINE:
            return queryset.filter(Exists(current.filter(officer=getattr(self.request, "user", None))))
        if value == NOBODY:
            return queryset.exclude(Exists(current))
        return queryset

    @property
    def shows_mine(self):
        return self.is_valid() and self.form.cleaned_data.get("owner") == MINE

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


SORTS = [
    ("due", _("uiterste datum, eerst wat het eerst moet")),
    ("-due", _("uiterste datum, laatste eerst")),
    ("overdue", _("dagen verlopen, meeste eerst")),
    ("-overdue", _("dagen verlopen, minste eerst")),
    ("fiche", _("datum fiche, nieuwste eerst")),
    ("-fiche", _("datum fiche, oudste eerst")),
]


# Without a choice: what just went overdue first (not what is twenty years late), what was settled last
# first, the newest fiches' vague promises first, and elsewhere what is due first.
DEFAULT_SORTS = {"overdue": "-overdue", "closed": "-due", "vague": "fiche"}


class ListForm(forms.Form):
    """Which list of the dashboard (``group``, chosen by its tab) and its order; not filters, so they never
    change the counts. A value we do not know falls back to the default (a wrong sort is also reported)."""

    sort = forms.ChoiceField(label=_("Sorteer op"), choices=SORTS, required=False)
    group = forms.ChoiceField(choices=[(key, key) for key in GROUP_KEYS], required=False)

    @property
    def sort_key(self):
        """The chosen order, or "" for the list's own default (``DEFAULT_SORTS``)."""
        self.is_valid()  # cleaned_data keeps the fields that are valid
        return self.cleaned_data.get("sort") or ""

    @property
    def group_key(self):
        self.is_valid()
        return self.cleaned_data.get("group") or ""
