"""The writes of e-mail alerts: sign up, confirm, change the rhythm, pause, resume, remove one or all,
ask for a manage link, and the clean-up of what is no longer needed.

Keyword-only and atomic: a sign-up that cannot send its confirmation mail leaves nothing behind.
Addresses never reach the log: failures name the subscription's number only.
"""

import contextlib
import logging
import smtplib

from django.core.mail import DEFAULT_MAILER_ALIAS
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import conf, discovery, mails
from .models import SentItem, Subscriber, Subscription

logger = logging.getLogger(__name__)


class MailNotSent(Exception):
    """The mail server did not take the mail; nothing was stored."""


def normalise_email(value):
    return (value or "").strip().lower()


def _send(message, what):
    try:
        message.send(using=DEFAULT_MAILER_ALIAS)
    except (smtplib.SMTPException, OSError, ValueError) as error:
        logger.warning("Alerts: %s not sent (%s)", what, type(error).__name__)
        raise MailNotSent(what) from error


@transaction.atomic
def subscribe(*, email, target, rhythm, language, now=None):
    """Sign ``email`` up for ``target`` (an ``alerts.targets.Target``) and mail the confirmation link.

    An address that already follows the target confirmed gets a notice with its manage link instead; an
    unconfirmed one gets a new confirmation link (with the rhythm and language of this sign-up). The page
    says the same in every case. Raises MailNotSent, storing nothing, when the mail cannot be sent."""
    now = now or timezone.now()
    subscriber, _created = Subscriber.objects.get_or_create(email=normalise_email(email), defaults={"created_at": now})
    subscriptions = Subscription.objects.select_for_update().filter(subscriber=subscriber, **target.lookup())
    subscription = subscriptions.first()
    if subscription is None:
        try:
            with transaction.atomic():
                subscription = Subscription.objects.create(subscriber=subscriber, label=target.label, rhythm=rhythm, language=language,
                                                           created_at=now, **target.lookup())
        except IntegrityError:  # the same sign-up, a moment earlier, in another request
            subscription = subscriptions.get()
    if subscription.is_confirmed:
        _send(mails.already_following(subscription), f"notice for subscription {subscription.pk}")
        return subscription
    if subscription.created_at != now:  # signed up before, never confirmed: this sign-up's choices, a new link
        subscription.rhythm, subscription.language, subscription.label, subscription.created_at = rhythm, language, target.label, now
        subscription.save(update_fields=["rhythm", "language", "label", "created_at"])
    _send(mails.confirmation(subscription), f"confirmation for subscription {subscription.pk}")
    return subscription


class Gone(Exception):
    """The subscription or address of a link no longer exists (removed, or never confirmed in time)."""


@transaction.atomic
def confirm(*, subscription_id, now=None):
    """Confirm a sign-up; returns (subscription, already confirmed before). Raises Gone.

    News is counted from now: a discovery first records what is public at this moment, so nothing that
    was already public becomes "new" for this subscription."""
    now = now or timezone.now()
    subscription = Subscription.objects.select_for_update().filter(pk=subscription_id).first()
    if subscription is None:
        raise Gone
    if subscription.is_confirmed:
        return subscription, True
    discovery.discover(now)
    subscription.confirmed_at = subscription.since = now
    subscription.save(update_fields=["confirmed_at", "since"])
    return subscription, False


def subscriber_of_link(subscriber_id, created):
    """The address a manage link opens, or Gone (removed, or removed and signed up again since)."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or int(subscriber.created_at.timestamp()) != created:
        raise Gone
    return subscriber


@transaction.atomic
def set_rhythm(*, subscription, rhythm):
    subscription.rhythm = rhythm
    subscription.save(update_fields=["rhythm"])


@transaction.atomic
def pause(*, subscription, now=None):
    if subscription.paused_at is None:
        subscription.paused_at = now or timezone.now()
        subscription.save(update_fields=["paused_at"])


@transaction.atomic
def resume(*, subscription, now=None):
    """Mail again, with news from now on: what appeared during the pause is not sent afterwards."""
    if subscription.paused_at is not None:
        subscription.paused_at = None
        if subscription.is_confirmed:
            subscription.since = now or timezone.now()
        subscription.save(update_fields=["paused_at", "since"])


@transaction.atomic
def remove(*, subscription):
    """End one subscription; the address goes with its last one. Returns True when the address was removed."""
    subscriber = subscription.subscriber
    subscription.delete()
    if not subscriber.subscriptions.exists():
        subscriber.delete()
        return True
    return False


@transaction.atomic
def remove_all(*, subscriber):
    """Remove the address with all its subscriptions and the record of what was sent to them."""
    subscriber.delete()


def send_manage_link(*, email, language):
    """Mail a fresh manage link when ``email`` has subscriptions; do nothing otherwise (the page says the
    same either way, so it tells nobody whether an address is known). A failed mail is logged, not shown."""
    subscriber = Subscriber.objects.filter(email=normalise_email(email), subscriptions__isnull=False).distinct().first()
    if subscriber is None:
        return
    with contextlib.suppress(MailNotSent):
        _send(mails.manage_link(subscriber, language), f"manage link for address {subscriber.pk}")


@transaction.atomic
def purge(*, now=None):
    """Delete what is no longer needed: sign-ups not confirmed in time, addresses without subscriptions, and
    the record of sent news older than FICHETRACKER_ALERTS_KEEP_DAYS (such news is never sent any more).
    Returns the number of sign-ups and addresses deleted."""
    now = now or timezone.now()
    expired = now - conf.confirm_max_age()
    deleted, _per_model = Subscription.objects.pending().filter(created_at__lt=expired).delete()
    orphans, _per_model = Subscriber.objects.filter(subscriptions__isnull=True, created_at__lt=expired).delete()
    SentItem.objects.filter(event__seen_at__lt=now - conf.keep()).delete()
    return deleted + orphans
