"""Test data for e-mail alerts: confirmed subscriptions made through the services, runs at chosen moments."""

import datetime
import itertools

from django.core import mail
from django.utils import timezone, translation

from alerts import services, targets
from alerts.models import Rhythm, Subscription
from alerts.sending import send_alerts
from positions.models import Commitment, CommitmentStatusChange, Fiche
from tests import factories

# A fixed moment in the past (10:00 local time): runs and confirmations are dated from it, so "today",
# "tomorrow" and "next week" never depend on when the suite runs. Only embargoes follow the real clock.
BASE = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0) - datetime.timedelta(days=30)
_numbers = itertools.count(1)


def at(days=0, hours=0, minutes=0):
    return BASE + datetime.timedelta(days=days, hours=hours, minutes=minutes)


def follow(email=None, *, kind, rhythm=Rhythm.IMMEDIATE, language="nl", when=None, **params):
    """A confirmed subscription of ``email`` (a fresh address by default), confirmed at ``when`` (BASE)."""
    email = email or f"lezer{next(_numbers)}@example.org"
    with translation.override(language):  # the label is written in the language of the sign-up, as on the site
        target = targets.resolve({"kind": kind, **params})
    subscription = services.subscribe(email=email, target=target, rhythm=rhythm, language=language, now=when or BASE)
    services.confirm(subscription_id=subscription.pk, now=when or BASE)
    mail.outbox.clear()
    return Subscription.objects.select_related("subscriber").get(pk=subscription.pk)


def run(when=None, **options):
    """One send_alerts run at ``when``; returns (result, the mails it sent)."""
    before = len(mail.outbox)
    result = send_alerts(now=when or at(hours=1), **options)
    return result, mail.outbox[before:]


def publish(**fields):
    """A newly published fiche (factories.fiche: published, on a fresh document, EZK, TTE)."""
    return factories.fiche(**fields)


def change_status(commitment, to_status, **evidence):
    """A status change as the follow-up service records it: the row in the history and the new status."""
    change = CommitmentStatusChange.objects.create(commitment=commitment, from_status=commitment.status, to_status=to_status,
                                                   note="Gewijzigd", changed_at=timezone.now() + datetime.timedelta(microseconds=next(_numbers)),
                                                   **evidence)
    Commitment.objects.filter(pk=commitment.pk).update(status=to_status, **evidence)
    return change


def body(message):
    """The text and the HTML part of a mail, together."""
    return message.body + "\n" + message.alternatives[0][0]


def embargoed(**fields):
    return factories.fiche(public_from=timezone.now() + datetime.timedelta(days=2), **fields)


def lift_embargo(fiche):
    Fiche.objects.filter(pk=fiche.pk).update(public_from=timezone.now() - datetime.timedelta(minutes=1))
