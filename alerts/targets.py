"""What a reader can follow, read from the parameters of a link or form: a search in the fiches or the
commitments, a dossier, a ministry, a commitment.

Everything is resolved through ``public.selectors`` and the public FilterSets: a draft, a document or
ministry known only from unpublished fiches, or a filter value that no published fiche has, cannot be
followed and is refused with the same message as something that does not exist. A search is stored as
its valid, non-empty filters in a fixed order, so the same search is one subscription however its link
was spelled; unknown parameters are dropped.

Parameters: ``kind`` (a ``SubscriptionKind`` value) and ``query`` (the list's query string), ``document``
(a reference such as com-2024-28), ``ministry`` (its code), or ``fiche`` (a Kamerstuk number) with
``position`` (of the commitment in the fiche).
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Q
from django.http import QueryDict
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from proposals import references
from proposals.models import Ministry
from public import selectors
from public.filters import CommitmentFilter, FicheFilter

from .models import SubscriptionKind

MAX_QUERY_LENGTH = 1000
LABEL_LENGTH = 300
_COUNT = re.compile(r" \(\d+\)$")


class TargetError(Exception):
    """Something that cannot be followed; ``message`` says why, in the reader's language."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class Target:
    kind: str
    label: str
    query: str = ""
    document: object = None
    ministry: object = None
    commitment: object = None
    params: dict = field(default_factory=dict)

    def lookup(self):
        """The fields that identify the subscription for an address (its unique constraint)."""
        return {"kind": self.kind, "query": self.query, "document": self.document, "ministry": self.ministry, "commitment": self.commitment}


def clean_label(text):
    """One line of at most LABEL_LENGTH characters: safe in a mail subject and a database column."""
    return Truncator(" ".join(str(text).split())).chars(LABEL_LENGTH)


def _search(kind, raw, filter_class, queryset):
    if len(raw) > MAX_QUERY_LENGTH:
        raise TargetError(_("Deze zoekopdracht is te lang om te volgen."))
    data = QueryDict(raw)
    wanted = QueryDict(mutable=True)
    for name in filter_class.base_filters:
        value = (data.get(name) or "").strip()
        if "\x00" in value:
            raise TargetError(_("Deze zoekopdracht bevat een ongeldig teken."))
        if value:
            wanted[name] = value
    filterset = filter_class(wanted, queryset=queryset, cache_facets=True)
    if not filterset.form.is_valid():
        errors = [f"{filterset.form[name].label}: {' '.join(messages)}" for name, messages in filterset.form.errors.items()]
        raise TargetError(_("Deze zoekopdracht kan niet worden gevolgd: %(errors)s") % {"errors": " ".join(errors)})
    cleaned = filterset.form.cleaned_data
    pairs = [(name, wanted[name]) for name in filter_class.base_filters if name in wanted and cleaned.get(name) not in (None, "")]
    shown = " · ".join(f"{label}: {_COUNT.sub('', str(value))}" for label, value in filterset.active_filters)
    if kind == SubscriptionKind.FICHE_SEARCH:
        label = _("Fiches met %(filters)s") % {"filters": shown} if shown else _("Alle nieuwe fiches")
    else:
        label = _("Toezeggingen met %(filters)s") % {"filters": shown} if shown else _("Alle toezeggingen")
    query = urlencode(pairs)
    return Target(kind=kind, label=clean_label(label), query=query, params={"kind": kind, "query": query})


def _dossier(raw):
    try:
        ref = references.parse_reference(raw)
        document = selectors.documents().get(doc_type=ref.doc_type, year=ref.year, number=ref.number)
    except (ValidationError, ValueError, ObjectDoesNotExist):
        raise TargetError(_("Dit dossier bestaat niet of is (nog) niet openbaar.")) from None
    label = _("Dossier %(reference)s: %(title)s") % {"reference": document.reference, "title": Truncator(document.title).chars(200)}
    return Target(kind=SubscriptionKind.DOSSIER, label=clean_label(label), document=document,
                  params={"kind": SubscriptionKind.DOSSIER, "document": document.slug})


def public_ministries():
    """Ministries named by a published fiche (lead or co-ministry) or responsible for one of its commitments."""
    fiches = selectors.fiches()
    return Ministry.objects.filter(
        Q(pk__in=fiches.values("lead_ministry")) | Q(pk__in=fiches.values("co_ministries")) | Q(pk__in=selectors.commitments().values("ministry"))
    )


def _ministry(raw):
    ministry = public_ministries().filter(code=raw).first() if raw and len(raw) <= 20 else None
    if ministry is None:
        raise TargetError(_("Dit ministerie komt in de gepubliceerde fiches niet voor."))
    label = _("Ministerie: %(name)s (%(abbreviation)s)") % {"name": ministry.name, "abbreviation": ministry.abbreviation}
    return Target(kind=SubscriptionKind.MINISTRY, label=clean_label(label), ministry=ministry,
                  params={"kind": SubscriptionKind.MINISTRY, "ministry": ministry.code})


def _commitment(kamerstuk, position):
    try:
        kamerstuk = references.normalise_kamerstuk(kamerstuk)
        number = int(position)
        commitment = selectors.commitments().select_related("fiche").get(fiche__kamerstuk=kamerstuk, position=number) if 0 < number < 32768 else None
    except (ValidationError, ValueError, TypeError, ObjectDoesNotExist):
        commitment = None
    if commitment is None:
        raise TargetError(_("Deze toezegging bestaat niet of is (nog) niet openbaar."))
    label = _("Toezegging: %(summary)s (%(kamerstuk)s)") % {"summary": commitment.summary, "kamerstuk": commitment.fiche.kamerstuk_display}
    return Target(kind=SubscriptionKind.COMMITMENT, label=clean_label(label), commitment=commitment,
                  params={"kind": SubscriptionKind.COMMITMENT, "fiche": commitment.fiche.kamerstuk, "position": commitment.position})


def resolve(data):
    """The Target that ``data`` (a QueryDict or dict of link or form parameters) describes; TargetError otherwise."""
    kind = data.get("kind") or ""
    if kind == SubscriptionKind.FICHE_SEARCH:
        return _search(kind, data.get("query") or "", FicheFilter, selectors.fiches())
    if kind == SubscriptionKind.COMMITMENT_SEARCH:
        return _search(kind, data.get("query") or "", CommitmentFilter, selectors.commitments())
    if kind == SubscriptionKind.DOSSIER:
        return _dossier(data.get("document") or "")
    if kind == SubscriptionKind.MINISTRY:
        return _ministry(data.get("ministry") or "")
    if kind == SubscriptionKind.COMMITMENT:
        return _commitment(data.get("fiche") or "", data.get("position") or "")
    raise TargetError(_("Kies wat u wilt volgen: een zoekopdracht, een dossier, een ministerie of een toezegging."))


def page_path(subscription):
    """The public page that shows what ``subscription`` follows (its targets loaded)."""
    if subscription.kind == SubscriptionKind.FICHE_SEARCH:
        return reverse("public:fiche_list") + (f"?{subscription.query}" if subscription.query else "")
    if subscription.kind == SubscriptionKind.COMMITMENT_SEARCH:
        return reverse("public:commitment_list") + (f"?{subscription.query}" if subscription.query else "")
    if subscription.kind == SubscriptionKind.DOSSIER:
        return subscription.document.get_absolute_url()
    if subscription.kind == SubscriptionKind.MINISTRY:
        return reverse("public:fiche_list") + "?" + urlencode({"ministry": subscription.ministry.code})
    return f"{subscription.commitment.fiche.get_absolute_url()}#toezegging-{subscription.commitment.position}"
