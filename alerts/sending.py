"""The run that mails the news: ``send_alerts`` (cron: ``manage.py send_alerts``; task: ``alerts.tasks``).

One mail per subscription that has news and whose rhythm allows a mail now (at once, daily, weekly):
a digest of the new fiches, revised fiches, status changes of commitments and new Commission documents
that match it, each with a link to its page, in the language chosen at sign-up, as text and HTML.

What counts as news, and why an embargo holds: see ``alerts.discovery``. Only events found there (through
``public.selectors``) are mailed, and every item is read again through ``public.selectors`` when the mail
is built, so a fiche that went back under embargo in the meantime is left out (and sent once it is public).

Idempotency: never twice, never skipped
---------------------------------------
``SentItem`` (subscription, event) with a unique constraint is the record of what each subscription got.
A run works through the due subscriptions in primary-key order, in batches (FICHETRACKER_ALERTS_BATCH_SIZE),
each batch in ONE database transaction:

1. lock the batch's subscription rows (``SELECT ... FOR UPDATE SKIP LOCKED``: a second run started by
   an overlapping cron takes other rows, never the same ones);
2. read which of the run's events the batch already got (one query) and build the digests of what is left;
3. hand each digest to the SMTP server over the run's one open connection;
4. record exactly the digests the server accepted, as SentItem rows plus the subscription's
   ``last_digest_at``, and COMMIT.

So the record of a mail is committed together with, and only after, its acceptance by the mail server.
- A crash or a stop between batches: the committed batches are recorded, the next run starts with the
  first unrecorded subscription; nothing is sent twice, nothing is skipped.
- The mail server refuses one message (a bad address): it is not recorded and is tried again next run.
- The connection to the mail server drops halfway through a batch: the messages it accepted before are
  recorded, the rest are not, the run stops with an error and the next run continues.
- A rerun (or a second run on the same day) finds every sent item recorded and sends nothing new.
The one window no database can close is a crash of this process after the server accepted a message and
before its batch committed (milliseconds, at most one batch): the next run then sends that batch again,
with the same Message-ID (it depends on the subscription and the items only), so mail programs can
recognise the copy. Smaller batches make that window smaller, larger ones make the run faster.

News is offered for FICHETRACKER_ALERTS_KEEP_DAYS: an item that could not be delivered for that long is
dropped, and its record is purged with it.

Queries: a fixed number per run to load the news (plus two or three per distinct search among the
subscriptions, whose facets are cached by content version) and a fixed number per batch (lock, sent
items, insert, update), whatever the number of subscriptions in a batch; rendering reads nothing from the
database, and each item is rendered once per language however many digests list it.
"""

import contextlib
import logging
import smtplib
from collections import defaultdict
from dataclasses import dataclass, field

from django.core import mail
from django.core.mail import DEFAULT_MAILER_ALIAS
from django.db import transaction
from django.db.models import Min, Prefetch, Q
from django.http import QueryDict
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from positions.models import Fiche
from proposals.models import CommissionDocument, DocumentRelation
from public import selectors
from public.filters import CommitmentFilter, FicheFilter

from . import conf, discovery, mails, services, targets
from .models import SEARCH_KINDS, Event, EventKind, SentItem, Subscription, SubscriptionKind

logger = logging.getLogger(__name__)

MAX_SHOWN = 50  # items listed per group in one mail; the rest is a count and a link to the page
# The mail server refused this one message; the connection is still good.
MESSAGE_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, smtplib.SMTPNotSupportedError, ValueError)


@dataclass
class RunResult:
    mails: int = 0
    items: int = 0
    failed: int = 0
    batches: int = 0
    stopped: str = ""

    def as_dict(self):
        return {"mails": self.mails, "items": self.items, "failed": self.failed, "batches": self.batches, "stopped": self.stopped}


@dataclass
class Item:
    """One piece of news as a mail shows it: the public object and the absolute link to its page."""

    event_id: int
    kind: str
    seen_at: object
    obj: object
    url: str
    is_revision: bool = False


@dataclass
class Digest:
    subscription: Subscription
    items: list
    groups: list = field(default_factory=list)

    @property
    def event_ids(self):
        return [item.event_id for item in self.items]


class News:
    """The events a run may mail, with their public objects and who they concern, loaded in a fixed number of
    queries. Objects that are not public now (``public.selectors``) are left out."""

    def __init__(self, since, searches):
        self.items = {}
        self.by_document = defaultdict(list)
        self.by_ministry = defaultdict(list)
        self.by_commitment = defaultdict(list)
        self.by_search = {}
        events = list(Event.objects.filter(silent=False, seen_at__gt=since).order_by("seen_at", "pk")
                      .values_list("pk", "kind", "fiche_id", "status_change_id", "document_id", "seen_at"))
        if not events:
            return
        self._fiches([e for e in events if e[1] == EventKind.FICHE])
        self._status_changes([e for e in events if e[1] == EventKind.STATUS])
        self._documents([e for e in events if e[1] == EventKind.DOCUMENT])
        for kind, query in searches:
            self.by_search[(kind, query)] = self._search(kind, query)

    def __bool__(self):
        return bool(self.items)

    def _fiches(self, events):
        if not events:
            return
        fiches = {f.pk: f for f in selectors.fiche_alert_rows().filter(pk__in=[e[2] for e in events]).prefetch_related("co_ministries")}
        for event_id, _kind, fiche_id, _change, _document, seen_at in events:
            fiche = fiches.get(fiche_id)
            if fiche is None:
                continue
            self.items[event_id] = Item(event_id, EventKind.FICHE, seen_at, fiche, mails.absolute(fiche.get_absolute_url()),
                                        is_revision=fiche.is_revision)
            for document in fiche.documents.all():
                self.by_document[document.pk].append(event_id)
            for ministry_id in {fiche.lead_ministry_id, *(m.pk for m in fiche.co_ministries.all())} - {None}:
                self.by_ministry[ministry_id].append(event_id)

    def _status_changes(self, events):
        if not events:
            return
        changes = {
            c.pk: c
            for c in selectors.status_changes().filter(pk__in=[e[3] for e in events])
            .select_related("commitment__fiche", "commitment__ministry")
            .prefetch_related(Prefetch("commitment__fiche__documents", queryset=CommissionDocument.objects.only("pk")))
        }
        for event_id, _kind, _fiche, change_id, _document, seen_at in events:
            change = changes.get(change_id)
            if change is None:
                continue
            commitment = change.commitment
            url = mails.absolute(f"{commitment.fiche.get_absolute_url()}#toezegging-{commitment.position}")
            self.items[event_id] = Item(event_id, EventKind.STATUS, seen_at, change, url)
            self.by_commitment[commitment.pk].append(event_id)
            for document in commitment.fiche.documents.all():
                self.by_document[document.pk].append(event_id)
            responsible = commitment.ministry_id or commitment.fiche.lead_ministry_id
            if responsible:
                self.by_ministry[responsible].append(event_id)

    def _documents(self, events):
        """A new public document belongs to the dossiers of the documents it is related to, and of those
        assessed with it in the same published fiche."""
        if not events:
            return
        documents = {d.pk: d for d in selectors.documents().filter(pk__in=[e[4] for e in events])}
        if not documents:
            return
        dossiers = defaultdict(set)
        relations = list(DocumentRelation.objects.filter(Q(source__in=documents) | Q(target__in=documents)).values_list("source_id", "target_id"))
        through = Fiche.documents.through
        assessed = list(through.objects.filter(commissiondocument__in=documents, fiche__in=selectors.fiches()).values_list("fiche_id", "commissiondocument_id"))
        together = list(through.objects.filter(fiche__in={fiche for fiche, _doc in assessed}).values_list("fiche_id", "commissiondocument_id"))
        others = {pk for pair in relations for pk in pair} - set(documents)
        public_others = set(selectors.documents().filter(pk__in=others).values_list("pk", flat=True)) if others else set()
        for source, target in relations:
            for new, other in ((source, target), (target, source)):
                if new in documents and (other in public_others or other in documents):
                    dossiers[new].add(other)
        per_fiche = defaultdict(set)
        for fiche_id, document_id in together:
            per_fiche[fiche_id].add(document_id)
        for fiche_id, document_id in assessed:
            dossiers[document_id] |= per_fiche[fiche_id] - {document_id}
        for event_id, _kind, _fiche, _change, document_id, seen_at in events:
            document = documents.get(document_id)
            if document is None:
                continue
            self.items[event_id] = Item(event_id, EventKind.DOCUMENT, seen_at, document, mails.absolute(document.get_absolute_url()))
            for dossier in dossiers[document_id]:
                self.by_document[dossier].append(event_id)

    def _search(self, kind, query):
        """Event ids matching a stored search: one query (the facets that validate it are cached by content
        version). A search that is no longer valid matches nothing rather than everything."""
        ids = defaultdict(list)  # fiche or commitment pk -> its event ids
        if kind == SubscriptionKind.FICHE_SEARCH:
            for event_id, item in self.items.items():
                if item.kind == EventKind.FICHE:
                    ids[item.obj.pk].append(event_id)
            filterset = FicheFilter(QueryDict(query), queryset=selectors.fiches(), cache_facets=True)
        else:
            for event_id, item in self.items.items():
                if item.kind == EventKind.STATUS:
                    ids[item.obj.commitment_id].append(event_id)
            filterset = CommitmentFilter(QueryDict(query), queryset=selectors.commitments(), cache_facets=True)
        if not ids or not filterset.form.is_valid():
            return []
        matched = filterset.qs.filter(pk__in=list(ids)).values_list("pk", flat=True)
        return [event_id for pk in matched for event_id in ids[pk]]

    def candidates(self, subscription):
        if subscription.kind in SEARCH_KINDS:
            return self.by_search.get((subscription.kind, subscription.query), [])
        if subscription.kind == SubscriptionKind.DOSSIER:
            return self.by_document.get(subscription.document_id, [])
        if subscription.kind == SubscriptionKind.MINISTRY:
            return self.by_ministry.get(subscription.ministry_id, [])
        return self.by_commitment.get(subscription.commitment_id, [])

    def digests(self, subscriptions, since):
        """The digest of each subscription in ``subscriptions`` with news it did not get yet (one query)."""
        wanted = {s.pk: set(self.candidates(s)) for s in subscriptions}
        event_ids = set().union(*wanted.values())
        if not event_ids:
            return []
        sent = set(SentItem.objects.filter(subscription__in=[pk for pk, ids in wanted.items() if ids], event__in=event_ids)
                   .values_list("subscription_id", "event_id"))
        digests = []
        for subscription in subscriptions:
            start = max(since, subscription.since)
            items = [self.items[e] for e in wanted[subscription.pk] if (subscription.pk, e) not in sent and self.items[e].seen_at > start]
            if items:
                items.sort(key=lambda item: (item.seen_at, item.event_id))
                digests.append(Digest(subscription, items))
        return digests


class Renderer:
    """Builds the mail of a digest; the templates are loaded once per run."""

    def __init__(self):
        self.text = get_template("alerts/email/digest.txt")
        self.html = get_template("alerts/email/digest.html")
        self.item_text = get_template("alerts/email/item.txt")
        self.item_html = get_template("alerts/email/item.html")
        self.privacy_url = mails.privacy_url()
        self.list_id = f"fichetracker <alerts.{mails.mail_domain()}>"
        self.rendered = {}  # (event, language) -> its lines: an item is shared by many digests, rendered once per language

    def lines(self, items, language):
        """The text and HTML line of each item, in ``language`` (which is active)."""
        found = []
        for item in items:
            key = (item.event_id, language)
            if key not in self.rendered:
                self.rendered[key] = {"text": self.item_text.render({"item": item}), "html": self.item_html.render({"item": item})}
            found.append(self.rendered[key])
        return found

    def message(self, digest):
        subscription = digest.subscription
        unsubscribe_url = mails.unsubscribe_url(subscription)
        with translation.override(subscription.language):
            groups = []
            for title, kind, revision in ((_("Nieuwe fiches"), EventKind.FICHE, False), (_("Herziene fiches"), EventKind.FICHE, True),
                                          (_("Gewijzigde status van toezeggingen"), EventKind.STATUS, False),
                                          (_("Nieuwe Commissiedocumenten in het dossier"), EventKind.DOCUMENT, False)):
                rows = [item for item in digest.items if item.kind == kind and item.is_revision == revision]
                if rows:
                    groups.append({"title": title, "lines": self.lines(rows[:MAX_SHOWN], subscription.language),
                                   "more": max(0, len(rows) - MAX_SHOWN)})
            count = len(digest.items)
            label = Truncator(subscription.label).chars(80)
            subject = ngettext("fichetracker: %(count)s nieuw bericht over %(label)s", "fichetracker: %(count)s nieuwe berichten over %(label)s",
                               count) % {"count": count, "label": label}
            context = {"subscription": subscription, "groups": groups, "count": count, "page_url": mails.absolute(targets.page_path(subscription)),
                       "manage_url": mails.manage_url(subscription.subscriber), "unsubscribe_url": unsubscribe_url,
                       "privacy_url": self.privacy_url, "language": subscription.language}
            text, html = self.text.render(context), self.html.render(context)
        headers = {
            "Message-ID": mails.message_id("digest", subscription.pk, *digest.event_ids),
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": self.list_id,
            "Auto-Submitted": "auto-generated",
        }
        return mails.build(subscription.subscriber.email, " ".join(subject.split()), text, html, headers)


def due_batch(due, after, size):
    """The next ``size`` due subscriptions after primary key ``after``, locked for this transaction (rows
    another run holds are skipped), with what rendering needs."""
    return list(
        due.filter(pk__gt=after).order_by("pk")
        .select_related("subscriber", "document", "ministry", "commitment__fiche")
        .select_for_update(skip_locked=True, of=("self",))[:size]
    )


def send_alerts(*, now=None, batch_size=None, using=DEFAULT_MAILER_ALIAS):
    """Mail every due subscription its news; returns a RunResult. Safe to rerun at any moment (see above)."""
    now = now or timezone.now()
    size = batch_size or conf.batch_size()
    result = RunResult()
    services.purge(now=now)
    discovery.discover(now)
    due = Subscription.objects.due(now)
    window = now - conf.keep()
    first = due.aggregate(first=Min("since"))["first"]
    if first is None:
        return result
    searches = set(due.filter(kind__in=SEARCH_KINDS).values_list("kind", "query").distinct())
    news = News(max(window, first), searches)
    if not news:
        return result
    renderer = Renderer()
    connection = None
    after = 0
    try:
        while not result.stopped:
            with transaction.atomic():
                batch = due_batch(due, after, size)
                if not batch:
                    break
                after = batch[-1].pk
                result.batches += 1
                digests = news.digests(batch, window)
                if not digests:
                    continue
                accepted = []
                if connection is None:
                    connection = mail.mailers[using]
                    try:
                        connection.open()
                    except OSError as error:
                        digests = []
                        result.stopped = _("De mailserver is niet bereikbaar (%(error)s); de rest volgt bij de volgende run.") % {
                            "error": type(error).__name__}
                        logger.error("Alerts: mail server unreachable (%s); nothing sent", type(error).__name__)
                for digest in digests:
                    try:
                        connection.send_messages([renderer.message(digest)])
                    except MESSAGE_ERRORS as error:
                        result.failed += 1
                        logger.warning("Alerts: digest for subscription %s refused (%s); retried next run", digest.subscription.pk,
                                       type(error).__name__)
                        continue
                    except OSError as error:  # the connection is gone (smtplib's errors are OSErrors too)
                        result.stopped = _("De mailserver is niet bereikbaar (%(error)s); de rest volgt bij de volgende run.") % {
                            "error": type(error).__name__}
                        logger.error("Alerts: mail server lost at subscription %s (%s)", digest.subscription.pk, type(error).__name__)
                        break
                    accepted.append(digest)
                SentItem.objects.bulk_create([SentItem(subscription=d.subscription, event_id=e) for d in accepted for e in d.event_ids])
                Subscription.objects.filter(pk__in=[d.subscription.pk for d in accepted]).update(last_digest_at=now)
                result.mails += len(accepted)
                result.items += sum(len(d.items) for d in accepted)
    finally:
        if connection is not None:
            with contextlib.suppress(OSError):
                connection.close()
    logger.info("Alerts: %s mail(s) with %s item(s) in %s batch(es), %s refused", result.mails, result.items, result.batches, result.failed)
    return result
