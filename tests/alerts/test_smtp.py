"""Against a real SMTP server (aiosmtpd, started by the test on 127.0.0.1): the headers a mail program and a
mail provider need (List-Unsubscribe, List-Unsubscribe-Post, Message-ID, Date), a text and an HTML part,
one connection for the whole run, and a rerun that sends nothing new."""

import email
import email.policy
import re

import pytest
from django.test import Client

from alerts.models import Subscription, SubscriptionKind
from tests import factories

from . import builders as b
from . import smtp_sink

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp_server(settings):
    with smtp_sink.running() as (sink, port):
        settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                                        "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10}}}
        yield sink


class SmtpIntegrationTests:
    def test_digests_arrive_with_their_headers_and_both_parts_over_one_connection_and_a_rerun_sends_nothing(self, smtp_server):
        ezk = factories.ministry()
        b.publish(lead_ministry=ezk)
        followers = [b.follow(f"lezer{n}@example.org", kind=SubscriptionKind.MINISTRY, ministry="ezk") for n in range(3)]
        smtp_server.received.clear()  # the confirmation mails went through the same server
        fiche = b.publish(title="Mededeling over betrouwbare AI", lead_ministry=ezk)
        result, _outbox = b.run(b.at(hours=1), batch_size=2)
        assert result.mails == 3 and result.batches == 2
        assert sorted(r["to"][0] for r in smtp_server.received) == sorted(s.subscriber.email for s in followers)
        assert len({r["peer"] for r in smtp_server.received}) == 1  # one connection, reused across batches
        for received in smtp_server.received:
            message = email.message_from_bytes(received["data"], policy=email.policy.default)
            assert re.fullmatch(r"<http://127\.0\.0\.1:8000/volgen/afmelden/[^>]+/>", message["List-Unsubscribe"])
            assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
            assert re.fullmatch(r"<alerts\.[0-9a-f]{24}@127\.0\.0\.1>", message["Message-ID"])
            assert message["Date"].datetime is not None
            assert message["Auto-Submitted"] == "auto-generated"
            assert message.get_content_type() == "multipart/alternative"
            text = message.get_body(("plain",)).get_content()
            html = message.get_body(("html",)).get_content()
            assert fiche.title in text and f"http://127.0.0.1:8000/fiches/{fiche.kamerstuk}/" in text
            assert f'<a href="http://127.0.0.1:8000/fiches/{fiche.kamerstuk}/">{fiche.title}</a>' in html
        assert len({r["data"].split(b"Message-ID: ")[1][:40] for r in smtp_server.received}) == 3

        again, _outbox = b.run(b.at(hours=1, minutes=5), batch_size=2)
        assert again.mails == 0 and len(smtp_server.received) == 3

        # The provider's one-click unsubscribe, with the header of the mail as it arrived.
        first = email.message_from_bytes(smtp_server.received[0]["data"], policy=email.policy.default)
        path = re.search(r"8000(/volgen/afmelden/[^>]+/)", first["List-Unsubscribe"]).group(1)
        response = Client(enforce_csrf_checks=True).post(path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
        assert response.status_code == 200
        assert Subscription.objects.count() == 2
