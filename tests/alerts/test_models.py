"""The database guards what alerts store: valid choices, one target that fits the kind, one subscription per
address and target, and each piece of news sent at most once to a subscription."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from alerts.models import Event, EventKind, SentItem, Subscriber, Subscription, SubscriptionKind
from tests import factories

from . import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscription():
    b.publish(lead_ministry=factories.ministry())
    return b.follow(kind=SubscriptionKind.MINISTRY, ministry="ezk")


def refused(**changes):
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscription.objects.update(**changes)


class ConstraintTests:
    @pytest.mark.parametrize(("field", "value"), [("kind", "x"), ("rhythm", "hourly"), ("language", "de"), ("rhythm", "")])
    def test_an_unknown_choice_written_past_the_model_is_refused(self, subscription, field, value):
        refused(**{field: value})

    def test_a_target_that_does_not_fit_the_kind_is_refused(self, subscription):
        refused(kind=SubscriptionKind.DOSSIER)  # a dossier subscription without a document
        refused(query="q=chips")  # a ministry subscription with a search
        refused(ministry=None)

    def test_a_confirmed_subscription_has_a_moment_from_which_news_counts(self, subscription):
        refused(since=None)

    def test_an_address_follows_the_same_thing_once(self, subscription):
        with pytest.raises(IntegrityError), transaction.atomic():
            Subscription.objects.create(subscriber=subscription.subscriber, kind=SubscriptionKind.MINISTRY, ministry=subscription.ministry,
                                        label="Nog eens")

    def test_an_address_is_stored_once(self, subscription):
        with pytest.raises(IntegrityError), transaction.atomic():
            Subscriber.objects.create(email=subscription.subscriber.email)

    def test_a_piece_of_news_is_recorded_once_and_sent_at_most_once_per_subscription(self, subscription):
        fiche = b.publish(lead_ministry=subscription.ministry)
        event = Event.objects.create(kind=EventKind.FICHE, fiche=fiche, seen_at=timezone.now())
        with pytest.raises(IntegrityError), transaction.atomic():
            Event.objects.create(kind=EventKind.FICHE, fiche=fiche, seen_at=timezone.now())
        with pytest.raises(IntegrityError), transaction.atomic():
            Event.objects.create(kind=EventKind.STATUS, fiche=fiche, seen_at=timezone.now())
        SentItem.objects.create(subscription=subscription, event=event)
        with pytest.raises(IntegrityError), transaction.atomic():
            SentItem.objects.create(subscription=subscription, event=event)
