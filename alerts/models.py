"""What e-mail alerts keep: the address, its subscriptions with their timestamps, the news found on the
public site, and which news went to which subscription.

Nothing else about a reader is stored: no name, no account, no client address, no opened or clicked
mails. ``Event`` rows are public facts (a fiche became public, a commitment's status changed, a document
joined a dossier); ``SentItem`` is the memory that makes sending idempotent (see ``alerts.sending``).
"""

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from positions.models import Commitment, CommitmentStatusChange, Fiche
from proposals.models import CommissionDocument, Ministry


class SubscriptionKind(models.TextChoices):
    FICHE_SEARCH = "fiche_search", _("zoekopdracht in fiches")
    COMMITMENT_SEARCH = "commitment_search", _("zoekopdracht in toezeggingen")
    DOSSIER = "dossier", _("dossier")
    MINISTRY = "ministry", _("ministerie")
    COMMITMENT = "commitment", _("toezegging")


SEARCH_KINDS = (SubscriptionKind.FICHE_SEARCH, SubscriptionKind.COMMITMENT_SEARCH)


class Rhythm(models.TextChoices):
    IMMEDIATE = "immediate", _("direct")
    DAILY = "daily", _("dagelijks")
    WEEKLY = "weekly", _("wekelijks")


class MailLanguage(models.TextChoices):
    DUTCH = "nl", "Nederlands"
    ENGLISH = "en", "English"


class EventKind(models.TextChoices):
    FICHE = "fiche", _("fiche openbaar")
    STATUS = "status", _("status van een toezegging gewijzigd")
    DOCUMENT = "document", _("Commissiedocument openbaar")


class Subscriber(models.Model):
    """An e-mail address with at least one subscription. Removing the last subscription removes it."""

    email = models.EmailField(_("e-mailadres"), max_length=254, unique=True)
    created_at = models.DateTimeField(_("aangemaakt"), default=timezone.now)

    class Meta:
        verbose_name = _("e-mailadres")
        verbose_name_plural = _("e-mailadressen")
        ordering = ["pk"]

    def __str__(self):
        return self.email


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def pending(self):
        return self.filter(confirmed_at__isnull=True)

    def active(self):
        """Confirmed and not paused: the subscriptions that receive mail."""
        return self.confirmed().filter(paused_at__isnull=True)

    def due(self, now):
        """Active subscriptions whose rhythm allows a mail at ``now``: at once always, daily once per
        calendar day (local time), weekly when the last mail is at least seven calendar days old."""
        today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
        week = today - datetime.timedelta(days=6)
        never = Q(last_digest_at__isnull=True)
        return self.active().filter(
            Q(rhythm=Rhythm.IMMEDIATE)
            | Q(rhythm=Rhythm.DAILY) & (never | Q(last_digest_at__lt=today))
            | Q(rhythm=Rhythm.WEEKLY) & (never | Q(last_digest_at__lt=week))
        )


def _only(*present):
    """The condition that exactly the target fields in ``present`` are set (and the query only for searches)."""
    condition = Q()
    for field in ("document", "ministry", "commitment"):
        condition &= Q(**{f"{field}__isnull": field not in present})
    return condition & (Q() if "query" in present else Q(query=""))


class Subscription(models.Model):
    """One thing an address follows, in a rhythm and a language. Mail goes out only once confirmed."""

    Kind = SubscriptionKind
    Rhythm = Rhythm

    subscriber = models.ForeignKey(Subscriber, verbose_name=_("e-mailadres"), on_delete=models.CASCADE, related_name="subscriptions")
    kind = models.CharField(_("soort"), max_length=20, choices=SubscriptionKind)
    rhythm = models.CharField(_("hoe vaak"), max_length=10, choices=Rhythm, default=Rhythm.DAILY)
    language = models.CharField(_("taal"), max_length=2, choices=MailLanguage, default=MailLanguage.DUTCH)
    query = models.CharField(_("zoekopdracht"), max_length=1000, blank=True,
                             help_text=_("De filters van de lijst, als in de adresbalk (alleen bij een zoekopdracht)."))
    document = models.ForeignKey(CommissionDocument, verbose_name=_("dossier"), null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="+")
    ministry = models.ForeignKey(Ministry, verbose_name=_("ministerie"), null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    commitment = models.ForeignKey(Commitment, verbose_name=_("toezegging"), null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="+")
    label = models.CharField(_("omschrijving"), max_length=300)
    created_at = models.DateTimeField(_("aangemeld"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("bevestigd"), null=True, blank=True)
    since = models.DateTimeField(_("nieuws vanaf"), null=True, blank=True,
                                 help_text=_("Alleen wat na dit moment openbaar werd, wordt gemaild."))
    paused_at = models.DateTimeField(_("gepauzeerd"), null=True, blank=True)
    last_digest_at = models.DateTimeField(_("laatste e-mail"), null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("inschrijving")
        verbose_name_plural = _("inschrijvingen")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=SubscriptionKind.values), name="alerts_subscription_valid_kind"),
            models.CheckConstraint(condition=Q(rhythm__in=Rhythm.values), name="alerts_subscription_valid_rhythm"),
            models.CheckConstraint(condition=Q(language__in=MailLanguage.values), name="alerts_subscription_valid_language"),
            models.CheckConstraint(
                condition=(Q(kind__in=SEARCH_KINDS) & _only("query"))
                | (Q(kind=SubscriptionKind.DOSSIER) & _only("document"))
                | (Q(kind=SubscriptionKind.MINISTRY) & _only("ministry"))
                | (Q(kind=SubscriptionKind.COMMITMENT) & _only("commitment")),
                name="alerts_subscription_target_matches_kind",
                violation_error_message=_("Een inschrijving volgt precies één ding, passend bij haar soort."),
            ),
            models.CheckConstraint(condition=Q(confirmed_at__isnull=True) | Q(since__isnull=False), name="alerts_subscription_confirmed_has_since"),
            models.UniqueConstraint(fields=["subscriber", "kind", "query"], condition=Q(kind__in=SEARCH_KINDS),
                                    name="alerts_subscription_unique_search"),
            models.UniqueConstraint(fields=["subscriber", "document"], condition=Q(kind=SubscriptionKind.DOSSIER),
                                    name="alerts_subscription_unique_dossier"),
            models.UniqueConstraint(fields=["subscriber", "ministry"], condition=Q(kind=SubscriptionKind.MINISTRY),
                                    name="alerts_subscription_unique_ministry"),
            models.UniqueConstraint(fields=["subscriber", "commitment"], condition=Q(kind=SubscriptionKind.COMMITMENT),
                                    name="alerts_subscription_unique_commitment"),
        ]
        indexes = [models.Index(fields=["confirmed_at", "paused_at", "rhythm"])]

    def __str__(self):
        return self.label

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None

    @property
    def is_paused(self):
        return self.paused_at is not None


class Event(models.Model):
    """A piece of news found on the public site by ``alerts.discovery``: when it was first seen public.

    Only what ``public.selectors`` returns is ever found, so a fiche under embargo has no event before
    its embargo passed. ``silent`` news is recorded but never mailed (the status history a fiche already
    had when it became public, and everything found by the very first run)."""

    Kind = EventKind

    kind = models.CharField(_("soort"), max_length=10, choices=EventKind)
    fiche = models.ForeignKey(Fiche, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    status_change = models.ForeignKey(CommitmentStatusChange, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(CommissionDocument, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField(_("gevonden"), db_index=True)
    silent = models.BooleanField(_("niet mailen"), default=False)

    class Meta:
        verbose_name = _("nieuwsfeit")
        verbose_name_plural = _("nieuwsfeiten")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="alerts_event_valid_kind"),
            models.CheckConstraint(
                condition=(Q(kind=EventKind.FICHE, fiche__isnull=False, status_change__isnull=True, document__isnull=True))
                | (Q(kind=EventKind.STATUS, fiche__isnull=True, status_change__isnull=False, document__isnull=True))
                | (Q(kind=EventKind.DOCUMENT, fiche__isnull=True, status_change__isnull=True, document__isnull=False)),
                name="alerts_event_subject_matches_kind",
            ),
            models.UniqueConstraint(fields=["fiche"], name="alerts_event_unique_fiche"),
            models.UniqueConstraint(fields=["status_change"], name="alerts_event_unique_status_change"),
            models.UniqueConstraint(fields=["document"], name="alerts_event_unique_document"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.seen_at:%Y-%m-%d %H:%M})"


class SentItem(models.Model):
    """This event went out in a mail to this subscription; the unique pair makes a second send impossible."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="sent_items")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("verstuurd bericht")
        verbose_name_plural = _("verstuurde berichten")
        constraints = [models.UniqueConstraint(fields=["subscription", "event"], name="alerts_sent_item_once")]

    def __str__(self):
        return f"{self.subscription_id}: {self.event_id}"
