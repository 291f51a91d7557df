"""Atom feeds (Django's syndication framework): new fiches, for any filtered list, and per dossier.

``/feeds/fiches/?<query string of the fiche list>`` follows exactly the fiches that list shows, so a
reader can subscribe to "new fiches of the Telecom Council with a negative subsidiarity verdict". The
dossier feed ``/feeds/voorstellen/com-2024-28/`` announces the fiche(s) on the document and every
status change of their commitments. A fiche that revises a public fiche is announced as a revision in
both feeds, linking to the changes on its page. Only published fiches and their commitments appear.
"""

import datetime
import io
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from positions.models import VERDICTS, CommitmentStatusChange, Fiche
from proposals import references
from public.api import views as api
from public.dossiers import canonical_reference

from . import selectors

FEED_SIZE = 50

# What an entry on a fiche shows, read as plain values from ``selectors.fiche_records`` (no model instances),
# with the references of its documents (``with_documents``).
ENTRY_VALUES = (
    "id", "kamerstuk", "title", "proposal_title", "sent_on", "public_from", "created_at", "updated_at",
    "competence", "subsidiarity", "proportionality", "lead_ministry_id", "lead_ministry__abbreviation", "lead_ministry__name",
    "council_configuration_id", "council_configuration__code", "council_configuration__name", "revises_kamerstuk",
)


def with_documents(rows):
    """``rows`` (``ENTRY_VALUES`` of fiches of ``selectors.fiche_records``), each with ``documents``: the
    references of its documents in order (one query)."""
    documents = api.related_values([row["id"] for row in rows], "documents", ("doc_type", "year", "number"), api.DOCUMENT_ORDER)
    for row in rows:
        row["documents"] = [str(references.Reference(*document)) for document in documents.get(row["id"], ())]
    return rows


def published_at(fiche):
    """When the fiche (``ENTRY_VALUES``) became public: the day it was sent, or the end of its embargo if that is later."""
    sent = timezone.make_aware(datetime.datetime.combine(fiche["sent_on"], datetime.time.min)) if fiche["sent_on"] else None
    moments = [m for m in (sent, fiche["public_from"]) if m]
    return max(moments) if moments else fiche["created_at"]


def revision_note(fiche):
    """"Herziet Kamerstuk …." for a fiche revising a public fiche (``revises_kamerstuk`` of the records is
    set only then), else ""."""
    earlier = fiche["revises_kamerstuk"]
    if not earlier:
        return ""
    return _("Herziet het eerdere fiche %(kamerstuk)s; de wijzigingen staan op de fichepagina.") % {
        "kamerstuk": references.display_kamerstuk(earlier)}


class Summaries:
    """The summaries of fiche entries in one request: the verdicts' names and labels translated once."""

    def __init__(self, context):
        self.label = context.label
        self.verdicts = [(field, str(name)) for field, name in VERDICTS]

    def __call__(self, fiche, note):
        """The fiche's title, then its revision ``note``, documents, lead ministry, Council and verdicts."""
        parts = [note] if note else []
        if fiche["documents"]:
            parts.append(", ".join(fiche["documents"]))
        if fiche["lead_ministry_id"]:
            parts.append(fiche["lead_ministry__name"])
        if fiche["council_configuration_id"]:
            parts.append(fiche["council_configuration__name"])
        verdicts = [f"{name}: {self.label(Fiche, field, fiche[field])}" for field, name in self.verdicts if fiche[field]]
        if verdicts:
            parts.append("; ".join(verdicts))
        text = " · ".join(parts)
        return f"{fiche['proposal_title']}\n\n{text}" if fiche["proposal_title"] else text


class AtomFeed(Atom1Feed):
    """Django's Atom feed, handed to the response in one piece. Its XML writer emits some 1,700 small
    strings for 50 entries; written to the response directly, each is encoded and stored on its own."""

    def write(self, outfile, encoding):
        text = io.StringIO()
        super().write(text, encoding)
        outfile.write(text.getvalue())


@dataclass
class FicheEntry:
    title: str
    description: str
    link: str
    guid: str
    pubdate: datetime.datetime
    updateddate: datetime.datetime
    categories: list


class EntryFeed(Feed):
    """A feed of prepared entries (``FicheEntry``, ``DossierEntry``): title, description and link read off the entry."""

    def item_title(self, entry):
        return entry.title

    def item_description(self, entry):
        return entry.description

    def item_link(self, entry):
        return entry.link


class FicheFeed(EntryFeed):
    feed_type = AtomFeed
    author_name = "fichetracker"

    def get_object(self, request):
        self.request = request  # one instance per request (see fiche_feed), so this is safe
        # The view validated the filters already; reuse that FilterSet.
        return request.fiche_filterset

    def title(self, filterset):
        if active := filterset.active_filters:
            shown = ", ".join(f"{label}: {value}" for label, value in active)
            return _("Nieuwe BNC-fiches (%(filters)s)") % {"filters": shown}
        return _("Nieuwe BNC-fiches")

    def subtitle(self, filterset):
        return _("BNC-fiches van het kabinet over nieuwe Europese Commissievoorstellen, nieuwste eerst.")

    def link(self, filterset):
        query = filterset.data.urlencode() if filterset.data else ""
        url = reverse("public:fiche_list")
        return f"{url}?{query}" if query else url

    def feed_url(self, filterset):
        query = filterset.data.urlencode() if filterset.data else ""
        url = reverse("public:fiche_feed")
        return f"{url}?{query}" if query else url

    def items(self, filterset):
        """Each entry written out once, from plain values: the titles, links and labels the framework asks
        for per item are then attribute reads."""
        context = api.record_context(self.request)
        summary = Summaries(context)
        entries = []
        keys = api.FicheSelection(filterset, self.request).keys(0, FEED_SIZE)
        for fiche in with_documents(api.fiche_record_values(keys, ENTRY_VALUES, counts=False)):
            note, kamerstuk = revision_note(fiche), fiche["kamerstuk"]
            display = references.display_kamerstuk(kamerstuk)  # Fiche.kamerstuk_display: a published fiche has its number
            page, published = context.fiche_page.path(kamerstuk), published_at(fiche)
            entries.append(FicheEntry(
                title=(_("Herzien fiche: %(title)s (%(kamerstuk)s)") % {"title": fiche["title"], "kamerstuk": display}
                       if note else f"{fiche['title']} ({display})"),
                description=summary(fiche, note),
                link=f"{page}#wijzigingen" if note else page,
                guid=context.fiche_page(kamerstuk),
                pubdate=published,
                updateddate=max(published, fiche["updated_at"]),
                categories=([fiche["lead_ministry__abbreviation"]] if fiche["lead_ministry_id"] else [])
                + ([fiche["council_configuration__code"]] if fiche["council_configuration_id"] else []),
            ))
        return entries

    def item_guid(self, entry):
        return entry.guid

    item_guid_is_permalink = False

    def item_pubdate(self, entry):
        return entry.pubdate

    def item_updateddate(self, entry):
        return entry.updateddate

    def item_categories(self, entry):
        return entry.categories


@require_safe
def fiche_feed(request):
    filterset = api.public_fiche_filter(request)
    if not filterset.is_valid():
        # The list page shows what is wrong with the filters; a feed cannot.
        return redirect(f"{reverse('public:fiche_list')}?{request.GET.urlencode()}")
    request.fiche_filterset = filterset
    return FicheFeed()(request)


@dataclass
class DossierEntry:
    kind: str  # "fiche", "revision" or "status"
    title: str
    description: str
    link: str
    guid: str
    date: datetime.datetime


class DossierFeed(EntryFeed):
    feed_type = AtomFeed
    author_name = "fichetracker"

    def get_object(self, request, reference):
        self.request = request  # one instance per request (see dossier_feed), so this is safe
        ref = references.parse_reference(reference)
        return get_object_or_404(selectors.documents(), doc_type=ref.doc_type, year=ref.year, number=ref.number)

    def title(self, document):
        return _("Dossier %(reference)s: fiches en toezeggingen") % {"reference": document.reference}

    def subtitle(self, document):
        return document.title

    def link(self, document):
        return document.get_absolute_url()

    def feed_url(self, document):
        return reverse("public:dossier_feed", kwargs={"reference": document.slug})

    def items(self, document):
        context = api.record_context(self.request)
        summary, label, page = Summaries(context), context.label, context.fiche_page.path
        records = selectors.fiche_records(selectors.fiches().filter(documents=document).newest_first(), counts=False)
        fiches = with_documents(list(records.prefetch_related(None).values(*ENTRY_VALUES)))
        changes = (
            selectors.status_changes().filter(commitment__fiche__documents=document)
            .select_related("commitment__fiche")
            .order_by("-changed_at", "-pk")[:FEED_SIZE]
        )
        entries = []
        for f in fiches:
            note, display = revision_note(f), references.display_kamerstuk(f["kamerstuk"])
            entries.append(
                DossierEntry(
                    kind="revision",
                    title=_("Fiche herzien: %(title)s (%(kamerstuk)s)") % {"title": f["title"], "kamerstuk": display},
                    description=summary(f, note),
                    link=f"{page(f['kamerstuk'])}#wijzigingen",
                    guid=f"{page(f['kamerstuk'])}#herziening",
                    date=published_at(f),
                )
                if note
                else DossierEntry(
                    kind="fiche",
                    title=_("Nieuw fiche: %(title)s (%(kamerstuk)s)") % {"title": f["title"], "kamerstuk": display},
                    description=summary(f, note),
                    link=page(f["kamerstuk"]),
                    guid=f"{page(f['kamerstuk'])}#fiche",
                    date=published_at(f),
                )
            )
        for change in changes:
            commitment = change.commitment
            fiche_page = page(commitment.fiche.kamerstuk)
            to_status = label(CommitmentStatusChange, "to_status", change.to_status)
            description = [
                _("Status van %(from)s naar %(to)s.") % {"from": label(CommitmentStatusChange, "from_status", change.from_status), "to": to_status},
                change.note,
            ]
            if change.evidence_reference:
                description.append(_("Bewijs: %(reference)s") % {"reference": change.evidence_reference})
            entries.append(
                DossierEntry(
                    kind="status",
                    title=_("Toezegging %(status)s: %(summary)s") % {"status": to_status, "summary": commitment.summary},
                    description="\n\n".join(p for p in description if p),
                    link=f"{fiche_page}#toezegging-{commitment.position}",
                    guid=f"{fiche_page}#statuswijziging-{change.pk}",
                    date=change.changed_at,
                )
            )
        entries.sort(key=lambda e: e.date, reverse=True)
        return entries[:FEED_SIZE]

    def item_guid(self, entry):
        return self.request.build_absolute_uri(entry.guid)

    item_guid_is_permalink = False

    def item_pubdate(self, entry):
        return entry.date


@require_safe
@canonical_reference("public:dossier_feed")
def dossier_feed(request, ref):
    return DossierFeed()(request, reference=ref.slug)
