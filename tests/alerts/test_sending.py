"""The send_alerts run: what each kind of subscription gets, in which rhythm and language, with which
links and headers; and that a rerun, a crash halfway or a refused address never sends an item twice
and never skips one. Mail goes to Django's locmem outbox (the SMTP integration test is separate)."""

import re
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alerts.models import Rhythm, SentItem, Subscription, SubscriptionKind
from alerts.tasks import send_alerts_task
from positions.models import Commitment
from proposals.models import DocumentRelation
from tests import factories

from . import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Two published fiches (EZK on a dossier, FIN elsewhere) before anyone subscribed."""
    ezk = factories.ministry()
    fin = factories.ministry("fin", "FIN", "Ministerie van Financiën")
    dossier = factories.document("COM(2030) 901", title="Voorstel over chips")
    old = b.publish(title="Oud fiche over chips", documents=[dossier], lead_ministry=ezk)
    commitment = factories.commitment(old, summary="Aandacht vragen voor open standaarden")
    other = b.publish(title="Fiche over belastingen", lead_ministry=fin)
    return {"ezk": ezk, "fin": fin, "dossier": dossier, "old": old, "commitment": commitment, "other": other}


class DigestContentTests:
    def test_a_new_fiche_reaches_the_search_ministry_and_dossier_that_match_it(self, world):
        search = b.follow(kind=SubscriptionKind.FICHE_SEARCH, query="q=chips")
        ministry = b.follow(kind=SubscriptionKind.MINISTRY, ministry="ezk")
        dossier = b.follow(kind=SubscriptionKind.DOSSIER, document="com-2030-901")
        elsewhere = b.follow(kind=SubscriptionKind.MINISTRY, ministry="fin")
        new = b.publish(title="Nieuw fiche over chips", documents=[world["dossier"]], lead_ministry=world["ezk"])
        result, sent = b.run()
        assert result.mails == 3
        assert {m.to[0] for m in sent} == {s.subscriber.email for s in (search, ministry, dossier)}
        assert elsewhere.subscriber.email not in {m.to[0] for m in sent}
        for message in sent:
            text = b.body(message)
            assert "Nieuw fiche over chips" in text and new.kamerstuk_display in text
            assert f"http://127.0.0.1:8000/fiches/{new.kamerstuk}/" in text
            assert "Oud fiche over chips" not in text  # public before the subscription: not news

    def test_the_digest_has_a_text_and_an_html_part_with_a_link_to_every_item(self, world):
        subscription = b.follow(kind=SubscriptionKind.MINISTRY, ministry="ezk")
        first = b.publish(title="Eerste nieuwe fiche", lead_ministry=world["ezk"])
        second = b.publish(title="Tweede nieuwe fiche", lead_ministry=world["ezk"])
        _result, [message] = b.run()
        assert message.subject == "fichetracker: 2 nieuwe berichten over Ministerie: Ministerie van Economische Zaken en Klimaat (EZK)"
        html, content_type = message.alternatives[0]
        assert content_type == "text/html"
        for fiche in (first, second):
            assert f"http://127.0.0.1:8000/fiches/{fiche.kamerstuk}/" in message.body
            assert f'<a href="http://127.0.0.1:8000/fiches/{fiche.kamerstuk}/">{fiche.title}</a>' in html
        assert "NIEUWE FICHES" in message.body and "<h2>Nieuwe fiches</h2>" in html
        assert re.search(r"http://127\.0\.0\.1:8000/volgen/beheren/[^/\s]+/", message.body)
        assert "http://127.0.0.1:8000/fiches/?ministry=ezk" in message.body
        assert subscription.label in message.body

    def test_a_published_revision_is_listed_as_a_revised_fiche(self, world):
        b.follow(kind=SubscriptionKind.DOSSIER, document="com-2030-901")
        b.publish(title="Herzien fiche over chips", documents=[world["dossier"]], is_revision=True, revises=world["old"])
        _result, [message] = b.run()
        assert "HERZIENE FICHES" in message.body and "Herzien fiche over chips" in message.body
        assert "NIEUWE FICHES" not in message.body

    def test_a_status_change_reaches_the_commitment_its_dossier_its_ministry_and_a_matching_commitment_search(self, world):
        factories.commitment(world["other"], summary="Iets voor Financiën")
        followers = [
            b.follow(kind=SubscriptionKind.COMMITMENT, fiche=world["old"].kamerstuk, position="1"),
            b.follow(kind=SubscriptionKind.DOSSIER, document="com-2030-901"),
            b.follow(kind=SubscriptionKind.MINISTRY, ministry="ezk"),
            b.follow(kind=SubscriptionKind.COMMITMENT_SEARCH, query="ministry=ezk"),
        ]
        unrelated = b.follow(kind=SubscriptionKind.COMMITMENT_SEARCH, query="ministry=fin")
        b.change_status(world["commitment"], Commitment.Status.FULFILLED, evidence_reference="Kamerstuk 22 112, nr. 3942")
        _result, sent = b.run()
        assert {m.to[0] for m in sent} == {s.subscriber.email for s in followers}
        assert unrelated.subscriber.email not in {m.to[0] for m in sent}
        for message in sent:
            assert "Aandacht vragen voor open standaarden: openstaand → voldaan" in message.body
            assert f"/fiches/{world['old'].kamerstuk}/#toezegging-1" in message.body

    def test_a_new_commission_document_in_a_followed_dossier_is_news(self, world):
        b.follow(kind=SubscriptionKind.DOSSIER, document="com-2030-901")
        amending = factories.document("COM(2030) 902", title="Wijziging van het chipsvoorstel")
        DocumentRelation.objects.create(source=amending, target=world["dossier"], kind=DocumentRelation.Kind.AMENDS)
        _result, [message] = b.run()
        assert "NIEUWE COMMISSIEDOCUMENTEN IN HET DOSSIER" in message.body
        assert "COM(2030) 902: Wijziging van het chipsvoorstel" in message.body
        assert "http://127.0.0.1:8000/voorstellen/com-2030-902/" in message.body

    def test_an_english_subscription_gets_an_english_mail_with_the_dutch_data(self, world):
        b.follow(kind=SubscriptionKind.MINISTRY, ministry="ezk", language="en")
        b.publish(title="Mededeling over betrouwbare AI", lead_ministry=world["ezk"])
        _result, [message] = b.run()
        assert message.subject.startswith("fichetracker: 1 new item on Ministry: ")
        assert "NEW FICHES" in message.body and "Manage alerts" in message.body and "Mededeling over betrouwbare AI" in message.body
        assert "NIEUWE FICHES" not in message.body and "Berichten beheren" not in message.body
        assert '<html lang="en">' in message.alternatives[0][0]

    def test_data_in_the_html_part_is_escaped(self, world):
        b.follow(kind=SubscriptionKind.MINISTRY, ministry="ezk")
        b.publish(title='Fiche <script>alert("x")</script> & meer', lead_ministry=world["ezk"])
        _result, [message] = b.run()
        html = message.alternatives[0][0]
        assert "<script>" not in html and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; meer" in html
        assert '<script>alert("x")</script> & meer' in message.body  # plain text is not HTML

    def test_nothing_is_sent_when_there_is_no_news(self, world):
        b.follow(kind=SubscriptionKind.MINISTRY, ministry="ezk")
        result, sent = b.run()
        assert sent == [] and result.mails == 0

    def test_a_subscription_that_is_not_confirmed_gets_nothing(self, world, client):
        client.post("/volgen/", {"kind": "ministry", "ministry": "ezk", "email": "onbevestigd@example.org", "rhythm": "immediate"})
        assert Subscription.objects.pending().count() == 1
        mail.outbox.clear()
        b.publish(title="Nieuw fiche", lead_ministry=world["ezk"])
        result, sent = b.run()
        assert sent == [] and result.mails == 0


class RhythmTests:
    def test_at_once_mails_every_run_that_has_news(self, world):
        b.follow(kind=SubscriptionKind.MINISTRY, ministry="ezk", rhythm=Rhythm.IMMEDIATE)
        b.publish(lead_ministry=world["ezk"])
        assert len(b.run(b.at(hours=1))[1]) == 1
        b.publish(lead_ministry=world["ezk"])
        assert len(b.run(b.at(hours=1, minutes=10))[1]) == 1

    def test_daily_groups_a_days_news_in_one_mail_and_waits_for_the_next_day(self, world):
        b.follow(kind=SubscriptionKind.MINISTRY, ministry="ezk", rhythm=Rhythm.DAILY)
        b.publish(title="Maandag een", lead_ministry=world["ezk"])
        assert len(b.run(b.at(hours=1))[1]) == 1
        b.publish(title="Maandag twee", lead_ministry=world["ezk"])
        b.publish(title="Maandag drie", lead_ministry=world["ezk"])
        assert b.run(b.at(hours=5))[1] == []
        _result, [message] = b.run(b.at(days=1, hours=-2))  # 08:00 the next day
        assert "Maandag twee" in message.body and "Maandag drie" in message.body and "Maandag een" not in message.body

    def test_weekly_mails_at_most_once_in_seven_calendar_days(self, world):
        b.follow(kind=SubscriptionKind.MINISTRY, ministry="ezk", rhythm=Rhythm.WEEKLY)
        b.publish(lead_ministry=world["ezk"])
        assert len(b.run(b.at(hours=1))[1]) == 1
        later = b.publish(title="Later in de week", lead_ministry=world["ezk"])
        for day in range(1, 7):
            assert b.run(b.at(days=day))[1] == [], day
        _result, [message] = b.run(b.at(days=7))
        assert later.title in message.body


class IdempotencyTests:
    def test_a_rerun_sends_nothing_new(self, world):
        for _ in range(3):
            b.follow(kind=SubscriptionKind.MINISTRY, ministry="ezk")
        b.publish(lead_ministry=world["ezk"])
        assert len(b.run(b.at(hours=1))[1]) == 3
        assert b.run(b.at(hours=1, minutes=5))[1] == []
        assert SentItem.objects.count() == 3

    def test_after_a_crash_halfway_the_next_run_sends_the_rest_and_nothing_twice(self, world, settings):
        subscriptions = [b.follow(kind=SubscriptionKind.MINISTRY, ministry="ezk") for _ in range(7)]
        b.publish(title="Eerste", lead_ministry=world["ezk"])
        b.publish(title="Tweede", lead_ministry=world["ezk"])
        settings.MAILERS = {"default": {"BACKEND": "tests.alerts.test_sending.CrashingBackend", "OPTIONS": {}}}
        CrashingBackend.accept = 4  # batches of 2: the crash comes at the first message of the third batch
        with pytest.raises(SystemExit):
            b.run(b.at(hours=1), batch_size=2)
        first = list(mail.outbox)
        assert len(first) == 4
        settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
        result, rest = b.run(b.at(hours=1, minutes=5), batch_size=2)
        assert result.mails == 3
        delivered = sorted(m.to[0] for m in first + rest)
        assert delivered == sorted(s.subscriber.email for s in subscriptions)  # each once: none twice, none skipped
        assert all("Eerste" in m.body and "Tweede" in m.body for m in first + rest)

    def test_a_dropped_connection_keeps_what_the_server_accepted_and_the_next_run_continues(self, world, settings):
        subscriptions = [b.follow(kind=SubscriptionKind.MINISTRY, ministry="ezk") for _ in range(5)]
        b.publish(lead_ministry=world["ezk"])
        settings.MAILERS = {"default": {"BACKEND": "tests.alerts.test_sending.DisconnectingBackend", "OPTIONS": {}}}
        DisconnectingBackend.accept = 2
        with pytest.raises(CommandError, match="De mailserver is niet bereikbaar"):
            call_command("send_alerts", batch_size=10, stdout=_Sink(), stderr=_Sink())
        first = list(mail.outbox)
        assert len(first) == 2 and SentItem.objects.count() == 2
        settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
        _result, rest = b.run(b.at(hours=2))
        assert sorted(m.to[0] for m in first + rest) == sorted(s.subscriber.email for s in subscriptions)

    def test_a_refused_address_is_retried_next_run_while_the_others_are_sent(self, world, settings):
        good = b.follow("goed@example.org", kind=SubscriptionKind.MINISTRY, ministry="ezk")
        bad = b.follow("geweigerd@example.org", kind=SubscriptionKind.MINISTRY, ministry="ezk")
        b.publish(lead_ministry=world["ezk"])
        settings.MAILERS = {"default": {"BACKEND": "tests.alerts.test_sending.RefusingBackend", "OPTIONS": {}}}
        result, sent = b.run(b.at(hours=1))
        assert [m.to[0] for m in sent] == [good.subscriber.email] and result.failed == 1
        settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
        _result, sent = b.run(b.at(hours=2))
        assert [m.to[0] for m in sent] == [bad.subscriber.email]

    def test_the_same_digest_sent_again_carries_the_same_message_id(self, world):
        subscription = b.follow(kind=SubscriptionKind.MINISTRY, ministry="ezk")
        b.publish(lead_ministry=world["ezk"])
        _result, [message] = b.run(b.at(hours=1))
        SentItem.objects.filter(subscription=subscription).delete()  # as after a crash before the commit
        Subscription.objects.filter(pk=subscription.pk).update(last_digest_at=None)
        _result, [again] = b.run(b.at(hours=1, minutes=1))
        assert again.message()["Message-ID"] == message.message()["Message-ID"]


class QueryCountTests:
    def test_the_queries_of_a_run_do_not_grow_with_the_subscriptions_in_a_batch(self, world):
        def measured(copies):
            SentItem.objects.all().delete()
            Subscription.objects.update(last_digest_at=None)
            with CaptureQueriesContext(connection) as queries:
                result, sent = b.run(b.at(hours=3), batch_size=500)
            return len(queries), result, len(sent)

        def add(copies):
            for _ in range(copies):
                b.follow(kind=SubscriptionKind.MINISTRY, ministry="ezk")
                b.follow(kind=SubscriptionKind.DOSSIER, document="com-2030-901")
                b.follow(kind=SubscriptionKind.FICHE_SEARCH, query="q=chips")
                b.follow(kind=SubscriptionKind.COMMITMENT, fiche=world["old"].kamerstuk, position="1")

        add(2)
        b.publish(title="Nieuw fiche over chips", documents=[world["dossier"]], lead_ministry=world["ezk"])
        b.change_status(world["commitment"], Commitment.Status.WITHDRAWN)
        b.run(b.at(hours=2))  # discovery and the facet caches, so both measurements start alike
        small, result_small, mails_small = measured(2)
        add(10)
        large, result_large, mails_large = measured(12)
        assert (mails_small, mails_large) == (8, 48)
        assert result_small.batches == result_large.batches == 1
        assert small == large, f"{small} queries for 8 subscriptions, {large} for 48"


class EntryPointTests:
    def test_the_command_reports_what_it_sent(self, world):
        b.follow(kind=SubscriptionKind.MINISTRY, ministry="ezk")
        b.publish(lead_ministry=world["ezk"])
        out = _Sink()
        call_command("send_alerts", stdout=out, stderr=_Sink())
        assert "1 e-mail(s) verstuurd met 1 bericht(en)" in out.text

    def test_the_task_runs_the_same_and_a_second_task_sends_nothing(self, world):
        b.follow(kind=SubscriptionKind.MINISTRY, ministry="ezk")
        b.publish(lead_ministry=world["ezk"])
        assert send_alerts_task.enqueue().return_value["mails"] == 1
        assert send_alerts_task.enqueue().return_value["mails"] == 0
        assert len(mail.outbox) == 1


class _Sink:
    def __init__(self):
        self.text = ""

    def write(self, text="", *args, **kwargs):
        self.text += text

    def flush(self):
        pass


class CrashingBackend(EmailBackend):
    """Accepts ``accept`` messages, then the process dies (SystemExit) before the next one is accepted."""

    accept = 0

    def send_messages(self, messages):
        if CrashingBackend.accept <= 0:
            raise SystemExit("killed")
        CrashingBackend.accept -= 1
        return super().send_messages(messages)


class DisconnectingBackend(EmailBackend):
    """Accepts ``accept`` messages, then the SMTP connection drops."""

    accept = 0

    def send_messages(self, messages):
        if DisconnectingBackend.accept <= 0:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        DisconnectingBackend.accept -= 1
        return super().send_messages(messages)


class RefusingBackend(EmailBackend):
    """Refuses every message to an address starting with "geweigerd"."""

    def send_messages(self, messages):
        for message in messages:
            if message.to[0].startswith("geweigerd"):
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"No such user")})
        return super().send_messages(messages)


class MailServerDownTests:
    def test_an_unreachable_mail_server_sends_nothing_records_nothing_and_says_so(self, world, settings):
        b.follow(kind=SubscriptionKind.MINISTRY, ministry="ezk")
        b.publish(lead_ministry=world["ezk"])
        settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                                        "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2}}}
        with pytest.raises(CommandError, match="De mailserver is niet bereikbaar"):
            call_command("send_alerts", stdout=_Sink(), stderr=_Sink())
        assert not SentItem.objects.exists()
        settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
        assert len(b.run(b.at(hours=2))[1]) == 1
