"""The signed links of a mail: confirm, manage, unsubscribe (RFC 8058 one-click). Tampered, expired, reused
and foreign links answer a page that says what is wrong, never an error 500; managing changes the rhythm,
pauses, resumes and removes one or all, and removing the last subscription removes the address."""

import datetime
import re
import time

import pytest
from django.core import mail, signing
from django.test import Client
from django.utils import timezone

from alerts import tokens
from alerts.models import Rhythm, SentItem, Subscriber, Subscription, SubscriptionKind
from tests import factories

from . import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture
def ezk():
    ministry = factories.ministry()
    b.publish(lead_ministry=ministry, documents=[factories.document("COM(2030) 901")])
    factories.ministry("fin", "FIN", "Ministerie van Financiën")
    b.publish(lead_ministry=factories.ministry("fin"))
    return ministry


def old_token(purpose, payload, hours):
    """A token signed ``hours`` ago: what a link in an old mail carries."""

    class Signer(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - hours * 3600)

    return Signer(salt=purpose).sign_object(payload)


def pending(client, email="lezer@example.org"):
    client.post("/volgen/", {"email": email, "rhythm": "daily", "kind": "ministry", "ministry": "ezk"})
    return Subscription.objects.get(subscriber__email=email)


def manage_path(subscriber):
    return f"/volgen/beheren/{tokens.manage_token(subscriber)}/"


class BrokenLinkTests:
    @pytest.mark.parametrize("route", ["bevestigen", "beheren", "afmelden"])
    @pytest.mark.parametrize("token", ["ongeldig", "eyJzIjoxfQ:1tWs7A:verkeerde-handtekening", "%00", "a" * 300, "..", "%E2%80%AE"])
    def test_a_tampered_or_garbled_link_answers_400_with_a_clear_page(self, client, ezk, route, token):
        for method in (client.get, client.post):
            response = method(f"/volgen/{route}/{token}/")
            assert response.status_code == 400, (method, response.status_code)
            assert "Deze link werkt niet" in response.content.decode()

    def test_a_link_made_for_another_purpose_does_not_work(self, client, ezk):
        subscription = b.follow(kind=SubscriptionKind.MINISTRY, ministry="ezk")
        unsubscribe = tokens.unsubscribe_token(subscription)
        assert client.post(f"/volgen/bevestigen/{unsubscribe}/").status_code == 400
        assert client.get(f"/volgen/beheren/{unsubscribe}/").status_code == 400
        assert client.post(f"/volgen/afmelden/{tokens.confirm_token(subscription)}/").status_code == 400
        assert Subscription.objects.filter(pk=subscription.pk).exists()

    def test_a_signed_value_of_another_shape_does_not_work(self, client, ezk):
        odd = signing.TimestampSigner(salt=tokens.CONFIRM).sign_object(["s", 1])
        assert client.get(f"/volgen/bevestigen/{odd}/").status_code == 400

    def test_an_expired_confirmation_link_says_so_and_confirms_nothing(self, client, ezk):
        subscription = pending(client)
        token = old_token(tokens.CONFIRM, {"s": subscription.pk}, hours=73)
        response = client.post(f"/volgen/bevestigen/{token}/")
        assert response.status_code == 410 and "Deze link is verlopen" in response.content.decode()
        assert Subscription.objects.get(pk=subscription.pk).confirmed_at is None

    def test_an_expired_manage_link_says_so(self, client, ezk):
        subscription = b.follow(kind=SubscriptionKind.MINISTRY, ministry="ezk")
        subscriber = subscription.subscriber
        token = old_token(tokens.MANAGE, {"a": subscriber.pk, "t": int(subscriber.created_at.timestamp())}, hours=91 * 24)
        response = client.get(f"/volgen/beheren/{token}/")
        assert response.status_code == 410 and "Vraag een nieuwe link aan" in response.content.decode()

    def test_a_link_to_a_removed_subscription_says_there_is_none(self, client, ezk):
        subscription = pending(client)
        link = f"/volgen/bevestigen/{tokens.confirm_token(subscription)}/"
        subscription.delete()
        response = client.post(link)
        assert response.status_code == 410 and "Geen inschrijving gevonden" in response.content.decode()

    def test_a_manage_link_does_not_open_the_same_address_signed_up_again(self, client, ezk):
        subscription = b.follow("terug@example.org", kind=SubscriptionKind.MINISTRY, ministry="ezk")
        old_link = manage_path(subscription.subscriber)
        client.post(old_link, {"action": "remove_all"})
        again = b.follow("terug@example.org", kind=SubscriptionKind.MINISTRY, ministry="ezk")
        assert client.get(old_link).status_code == 410
        assert client.get(manage_path(again.subscriber)).status_code == 200


class ManageTests:
    def test_the_page_lists_every_subscription_of_the_address_and_nothing_of_others(self, client, ezk):
        mine = b.follow("ik@example.org", kind=SubscriptionKind.MINISTRY, ministry="ezk")
        b.follow("ik@example.org", kind=SubscriptionKind.DOSSIER, document="com-2030-901", rhythm=Rhythm.WEEKLY)
        b.follow("ander@example.org", kind=SubscriptionKind.MINISTRY, ministry="fin")
        response = client.get(manage_path(mine.subscriber))
        body = response.content.decode()
        assert response.status_code == 200 and response["Cache-Control"].startswith("max-age=0")
        assert '<meta name="robots" content="noindex">' in body
        assert "ik@example.org" in body and "Dossier COM(2030) 901" in body and "Ministerie: Ministerie van Economische Zaken" in body
        assert "ander@example.org" not in body and "Financiën" not in body

    def test_changing_the_rhythm_pausing_and_resuming(self, client, ezk):
        subscription = b.follow(kind=SubscriptionKind.MINISTRY, ministry="ezk")
        link = manage_path(subscription.subscriber)
        response = client.post(link, {"action": "rhythm", "subscription": subscription.pk, "rhythm": "weekly"}, follow=True)
        assert "voortaan wekelijks" in response.content.decode()
        assert Subscription.objects.get(pk=subscription.pk).rhythm == Rhythm.WEEKLY
        client.post(link, {"action": "pause", "subscription": subscription.pk})
        assert Subscription.objects.get(pk=subscription.pk).is_paused
        bad = client.post(link, {"action": "rhythm", "subscription": subscription.pk, "rhythm": "elk uur"})
        assert bad.status_code == 400 and "Kies direct, dagelijks of wekelijks." in bad.content.decode()

    def test_nothing_is_mailed_while_paused_and_after_resuming_only_what_is_new(self, client, ezk):
        subscription = b.follow(kind=SubscriptionKind.MINISTRY, ministry="ezk")
        link = manage_path(subscription.subscriber)
        client.post(link, {"action": "pause", "subscription": subscription.pk})
        b.publish(title="Tijdens de pauze", lead_ministry=ezk)
        assert b.run(timezone.now())[1] == []  # resuming below happens after this run, on the real clock
        client.post(link, {"action": "resume", "subscription": subscription.pk})
        b.publish(title="Na de pauze", lead_ministry=ezk)
        [message] = b.run(timezone.now() + datetime.timedelta(minutes=1))[1]
        assert "Na de pauze" in message.body and "Tijdens de pauze" not in message.body

    def test_removing_one_keeps_the_others_and_removing_the_last_removes_the_address(self, client, ezk):
        first = b.follow("ik@example.org", kind=SubscriptionKind.MINISTRY, ministry="ezk")
        second = b.follow("ik@example.org", kind=SubscriptionKind.DOSSIER, document="com-2030-901")
        link = manage_path(first.subscriber)
        response = client.post(link, {"action": "remove", "subscription": first.pk}, follow=True)
        assert "Opgezegd: Ministerie" in response.content.decode()
        assert list(Subscription.objects.values_list("pk", flat=True)) == [second.pk]
        response = client.post(link, {"action": "remove", "subscription": second.pk})
        assert "Uw e-mailadres en al uw inschrijvingen zijn verwijderd" in response.content.decode()
        assert not Subscriber.objects.exists()

    def test_remove_everything_deletes_the_address_its_subscriptions_and_what_was_sent(self, client, ezk):
        subscription = b.follow("ik@example.org", kind=SubscriptionKind.MINISTRY, ministry="ezk")
        b.follow("ik@example.org", kind=SubscriptionKind.DOSSIER, document="com-2030-901")
        b.publish(lead_ministry=ezk)
        b.run()
        assert SentItem.objects.exists()
        client.post(manage_path(subscription.subscriber), {"action": "remove_all"})
        assert not Subscriber.objects.exists() and not Subscription.objects.exists() and not SentItem.objects.exists()

    def test_another_address_subscription_or_an_unknown_action_is_refused(self, client, ezk):
        mine = b.follow(kind=SubscriptionKind.MINISTRY, ministry="ezk")
        theirs = b.follow(kind=SubscriptionKind.MINISTRY, ministry="ezk")
        link = manage_path(mine.subscriber)
        assert client.post(link, {"action": "remove", "subscription": theirs.pk}).status_code == 410
        assert client.post(link, {"action": "remove", "subscription": "x"}).status_code == 410
        assert client.post(link, {"action": "drop table"}).status_code == 400
        assert Subscription.objects.count() == 2

    def test_a_requested_manage_link_works(self, client, ezk):
        b.follow("ik@example.org", kind=SubscriptionKind.MINISTRY, ministry="ezk")
        client.post("/volgen/beheren/", {"email": "Ik@Example.org"})
        link = re.search(r"http://127\.0\.0\.1:8000(/volgen/beheren/[^/\s]+/)", mail.outbox[-1].body).group(1)
        assert "Ministerie: Ministerie van Economische Zaken" in client.get(link).content.decode()


class OneClickUnsubscribeTests:
    def test_every_digest_carries_the_rfc_8058_headers_pointing_at_a_working_link(self, ezk):
        subscription = b.follow(kind=SubscriptionKind.MINISTRY, ministry="ezk")
        b.publish(lead_ministry=ezk)
        [message] = b.run()[1]
        headers = message.message()
        assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        url = re.fullmatch(r"<http://127\.0\.0\.1:8000(/volgen/afmelden/[^>]+/)>", headers["List-Unsubscribe"]).group(1)
        # What a mail provider does: a POST without cookies or CSRF token, with this exact body.
        provider = Client(enforce_csrf_checks=True)
        response = provider.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
        assert response.status_code == 200
        assert not Subscription.objects.filter(pk=subscription.pk).exists()
        assert not Subscriber.objects.exists()  # it was the address's only subscription
        assert provider.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded").status_code == 200

    def test_opening_the_link_in_a_browser_asks_first(self, client, ezk):
        subscription = b.follow(kind=SubscriptionKind.MINISTRY, ministry="ezk")
        link = f"/volgen/afmelden/{tokens.unsubscribe_token(subscription)}/"
        page = client.get(link)
        assert page.status_code == 200 and "U meldt zich af voor:" in page.content.decode()
        assert Subscription.objects.filter(pk=subscription.pk).exists()
        done = client.post(link)
        assert "U krijgt geen e-mail meer over: Ministerie" in done.content.decode()
        assert client.get(link).status_code == 200 and "bestaat niet meer" in client.get(link).content.decode()

    def test_unsubscribing_one_of_several_keeps_the_address(self, client, ezk):
        first = b.follow("ik@example.org", kind=SubscriptionKind.MINISTRY, ministry="ezk")
        b.follow("ik@example.org", kind=SubscriptionKind.DOSSIER, document="com-2030-901")
        client.post(f"/volgen/afmelden/{tokens.unsubscribe_token(first)}/")
        assert Subscriber.objects.get().subscriptions.count() == 1


class CleanUpTests:
    def test_a_sign_up_not_confirmed_in_time_is_deleted_with_its_address(self, client, ezk):
        subscription = pending(client, "traag@example.org")
        b.run(b.at(days=40))  # a run long after: the clean-up comes first
        assert not Subscription.objects.filter(pk=subscription.pk).exists()
        assert not Subscriber.objects.filter(email="traag@example.org").exists()
