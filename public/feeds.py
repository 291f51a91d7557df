"""Atom feeds (Django's syndication framework): new fiches, for any filtered list, and per dossier.

``/feeds/fiches/?<query string of the fiche list>`` follows exactly the fiches that list shows, so a
reader can subscribe to "new fiches of the Telecom Council with a negative subsidiarity verdict". The
dossier feed ``/feeds/voorstellen/com-2024-28/`` announces the fiche(s) on the document and every
status change of their commitments. A fiche that revises a public fiche is announced as a revision in
both feeds, linking to the changes on its page. Only published fiches and their commitments appear.
"""

import datetime
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from proposals import references
from public.api import views as api
from public.dossiers import canonical_reference

from . import selectors

FEED_SIZE = 50


def published_at(fiche):
    """When the fiche became public: the day it was sent, or the end of its embargo if that is later."""
    sent = timezone.make_aware(datetime.datetime.combine(fiche.sent_on, datetime.time.min)) if fiche.sent_on else None
    moments = [m for m in (sent, fiche.public_from) if m]
    return max(moments) if moments else fiche.created_at


def revision_note(fiche):
    """"Herziet Kamerstuk …." for a fiche revising a public fiche (``revises_kamerstuk`` of the records is
    set only then), else ""."""
    earlier = getattr(fiche, "revises_kamerstuk", None)
    if not earlier:
        return ""
    return _("Herziet het eerdere fiche %(kamerstuk)s; de wijzigingen staan op de fichepagina.") % {
        "kamerstuk": references.display_kamerstuk(earlier)}


def fiche_summary(fiche):
    parts = [note] if (note := revision_note(fiche)) else []
    documents = ", ".join(d.reference for d in fiche.documents.all())
    if documents:
        parts.append(documents)
    if fiche.lead_ministry_id:
        parts.append(fiche.lead_ministry.name)
    if fiche.council_configuration_id:
        parts.append(fiche.council_configuration.name)
    verdicts = [f"{label}: {display}" for label, value, display, _sentence in fiche.verdicts if value]
    if verdicts:
        parts.append("; ".join(verdicts))
    text = " · ".join(parts)
    return f"{fiche.proposal_title}\n\n{text}" if fiche.proposal_title else text


class FicheFeed(Feed):
    feed_type = Atom1Feed
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
        return list(api.filtered_fiches(filterset)[:FEED_SIZE])

    def item_title(self, fiche):
        if revision_note(fiche):
            return _("Herzien fiche: %(title)s (%(kamerstuk)s)") % {"title": fiche.title, "kamerstuk": fiche.kamerstuk_display}
        return f"{fiche.title} ({fiche.kamerstuk_display})"

    def item_description(self, fiche):
        return fiche_summary(fiche)

    def item_link(self, fiche):
        return f"{fiche.get_absolute_url()}#wijzigingen" if revision_note(fiche) else fiche.get_absolute_url()

    def item_guid(self, fiche):
        return self.request.build_absolute_uri(fiche.get_absolute_url())

    item_guid_is_permalink = False

    def item_pubdate(self, fiche):
        return published_at(fiche)

    def item_updateddate(self, fiche):
        return max(published_at(fiche), fiche.updated_at)

    def item_categories(self, fiche):
        return [m.abbreviation for m in [fiche.lead_ministry] if m] + ([fiche.council_configuration.code] if fiche.council_configuration_id else [])


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


class DossierFeed(Feed):
    feed_type = Atom1Feed
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
        fiches = list(selectors.fiche_records().filter(documents=document).newest_first())
        changes = (
            selectors.status_changes().filter(commitment__fiche__documents=document)
            .select_related("commitment__fiche")
            .order_by("-changed_at", "-pk")[:FEED_SIZE]
        )
        entries = [
            DossierEntry(
                kind="revision",
                title=_("Fiche herzien: %(title)s (%(kamerstuk)s)") % {"title": f.title, "kamerstuk": f.kamerstuk_display},
                description=fiche_summary(f),
                link=f"{f.get_absolute_url()}#wijzigingen",
                guid=f"{f.get_absolute_url()}#herziening",
                date=published_at(f),
            )
            if revision_note(f)
            else DossierEntry(
                kind="fiche",
                title=_("Nieuw fiche: %(title)s (%(kamerstuk)s)") % {"title": f.title, "kamerstuk": f.kamerstuk_display},
                description=fiche_summary(f),
                link=f.get_absolute_url(),
                guid=f"{f.get_absolute_url()}#fiche",
                date=published_at(f),
            )
            for f in fiches
        ]
        for change in changes:
            commitment = change.commitment
            link = f"{commitment.fiche.get_absolute_url()}#toezegging-{commitment.position}"
            description = [
                _("Status van %(from)s naar %(to)s.") % {"from": change.get_from_status_display(), "to": change.get_to_status_display()},
                change.note,
            ]
            if change.evidence_reference:
                description.append(_("Bewijs: %(reference)s") % {"reference": change.evidence_reference})
            entries.append(
                DossierEntry(
                    kind="status",
                    title=_("Toezegging %(status)s: %(summary)s") % {"status": change.get_to_status_display(), "summary": commitment.summary},
                    description="\n\n".join(p for p in description if p),
                    link=link,
                    guid=f"{commitment.fiche.get_absolute_url()}#statuswijziging-{change.pk}",
                    date=change.changed_at,
                )
            )
        entries.sort(key=lambda e: e.date, reverse=True)
        return entries[:FEED_SIZE]

    def item_title(self, entry):
        return entry.title

    def item_description(self, entry):
        return entry.description

    def item_link(self, entry):
        return entry.link

    def item_guid(self, entry):
        return self.request.build_absolute_uri(entry.guid)

    item_guid_is_permalink = False

    def item_pubdate(self, entry):
        return entry.date


@require_safe
@canonical_reference("public:dossier_feed")
def dossier_feed(request, ref):
    return DossierFeed()(request, reference=ref.slug)
