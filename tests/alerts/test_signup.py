"""Signing up without an account: from the page the reader is on, an address and a rhythm, a confirmation
mail with a signed link, and nothing else. Hostile addresses and searches are refused or escaped, sign-ups
are throttled per address and per client, the page never tells whether an address is known, and no
address reaches the log at INFO."""

import html
import logging
import re
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.test import Client

from alerts.models import Subscriber, Subscription, SubscriptionKind
from tests import factories

from . import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    ezk = factories.ministry()
    dossier = factories.document("COM(2030) 901", title="Voorstel over chips")
    fiche = b.publish(title="Fiche over chips", documents=[dossier], lead_ministry=ezk, sent_on="2025-03-01")
    factories.commitment(fiche, summary="Aandacht vragen voor open standaarden")
    return {"fiche": fiche, "dossier": dossier}


def sign_up(client, email="lezer@example.org", rhythm="daily", **target):
    target = target or {"kind": "ministry", "ministry": "ezk"}
    return client.post("/volgen/", {"email": email, "rhythm": rhythm, **target})


def confirm_link(message):
    return re.search(r"http://127\.0\.0\.1:8000(/volgen/bevestigen/[^/\s]+/)", message.body).group(1)


def follow_link(body, kind):
    """The sign-up link of ``kind`` on a public page, as a browser reads it from the HTML."""
    return html.unescape(re.search(rf'href="(/volgen/\?kind={kind}[^"]*)"', body).group(1))


def hidden_fields(body):
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', html.unescape(body)))


class SubscribeFromThePageTests:
    def test_the_fiche_list_links_to_the_sign_up_page_with_its_search_url_encoded(self, client, world):
        body = client.get("/fiches/", {"q": "chips", "ministry": "ezk"}).content.decode()
        assert '<a href="/volgen/?kind=fiche_search&amp;query=q%3Dchips%26ministry%3Dezk">Volg deze zoekopdracht per e-mail</a>' in body
        assert 'href="/volgen/?kind=ministry&amp;ministry=ezk"' in body
        assert 'method="post"' not in body and "csrfmiddlewaretoken" not in body

    def test_the_fiche_list_without_a_search_links_to_following_all_new_fiches(self, client, world):
        body = client.get("/fiches/").content.decode()
        assert '<a href="/volgen/?kind=fiche_search">Volg deze zoekopdracht per e-mail</a>' in body
        assert "kind=ministry" not in body
        assert "Alle nieuwe fiches" in client.get(follow_link(body, "fiche_search")).content.decode()

    def test_the_dossier_page_links_to_following_the_dossier(self, client, world):
        body = client.get("/voorstellen/com-2030-901/").content.decode()
        assert '<a href="/volgen/?kind=dossier&amp;document=com-2030-901">Volg dit dossier per e-mail</a>' in body
        assert "csrfmiddlewaretoken" not in body
        page = client.get(follow_link(body, "dossier")).content.decode()
        assert "U volgt: <strong>Dossier COM(2030) 901: Voorstel over chips</strong>" in page
        assert '(<a href="/voorstellen/com-2030-901/">bekijk de pagina</a>)' in page

    def test_the_commitment_list_links_its_search_and_each_commitment(self, client, world):
        body = client.get("/toezeggingen/", {"ministry": "ezk"}).content.decode()
        assert '<a href="/volgen/?kind=commitment_search&amp;query=ministry%3Dezk">Volg deze toezeggingen per e-mail</a>' in body
        assert 'href="/volgen/?kind=ministry&amp;ministry=ezk"' in body
        assert f'href="/volgen/?kind=commitment&amp;fiche={world["fiche"].kamerstuk}&amp;position=1"' in body
        assert "csrfmiddlewaretoken" not in body
        page = client.get(follow_link(body, "commitment_search")).content.decode()
        assert "U volgt: <strong>Toezeggingen met " in page and "Economische Zaken en Klimaat" in page
        assert '(<a href="/toezeggingen/?ministry=ezk">bekijk de pagina</a>)' in page

    def test_a_search_with_reserved_and_non_ascii_characters_reaches_the_sign_up_page_unchanged(self, client, world):
        words = "chips & co=ja #1 ü+?"
        body = client.get("/fiches/", {"q": words}).content.decode()
        page = client.get(follow_link(body, "fiche_search")).content.decode()
        assert page.count("Zoeken in de tekst: chips &amp; co=ja #1 ü+?") == 1
        fields = hidden_fields(page)
        assert (fields["kind"], fields["query"]) == ("fiche_search", urlencode({"q": words}))

    def test_a_full_sign_up_from_the_list_follows_the_link_and_posts_the_form_there(self, world):
        reader = Client(enforce_csrf_checks=True)
        body = reader.get("/fiches/", {"q": "chips", "ministry": "ezk", "page": "1"}).content.decode()
        form = reader.get(follow_link(body, "fiche_search"))
        page = form.content.decode()
        assert form.status_code == 200 and "U volgt: <strong>Fiches met Zoeken in de tekst: chips · " in page
        assert '(<a href="/fiches/?q=chips&amp;ministry=ezk">bekijk de pagina</a>)' in page
        fields = hidden_fields(page)  # the CSRF token, kind and query: the sign-up page carries the form now
        assert fields.keys() == {"csrfmiddlewaretoken", "kind", "query"} and fields["query"] == "q=chips&ministry=ezk"
        response = reader.post("/volgen/", {**fields, "email": "lijst@example.org", "rhythm": "weekly"})
        assert response.status_code == 302 and response["Location"] == "/volgen/aangevraagd/"
        subscription = Subscription.objects.get()
        assert (subscription.kind, subscription.query, subscription.rhythm) == ("fiche_search", "q=chips&ministry=ezk", "weekly")
        assert subscription.confirmed_at is None
        [message] = mail.outbox
        assert message.to == ["lijst@example.org"] and message.subject == "Bevestig uw inschrijving bij fichetracker"
        assert "Fiches met Zoeken in de tekst: chips" in message.body
        confirm = reader.get(confirm_link(message)).content.decode()
        reader.post(confirm_link(message), hidden_fields(confirm))
        assert Subscription.objects.get().confirmed_at is not None


class CookieFreePagesTests:
    """Public lists and dossier pages carry no form with a CSRF token: a reader without cookies gets none."""

    @pytest.mark.parametrize("path", ["/fiches/", "/fiches/?q=chips&ministry=ezk", "/toezeggingen/", "/toezeggingen/?status=open",
                                      "/voorstellen/com-2030-901/", "/en/fiches/?q=chips", "/en/voorstellen/com-2030-901/"])
    def test_a_cookie_less_reader_gets_no_cookie(self, world, path):
        reader = Client()
        response = reader.get(path)
        body = response.content.decode()
        assert response.status_code == 200
        assert "Set-Cookie" not in response and not response.cookies and "csrftoken" not in response.cookies
        assert not reader.cookies
        assert "csrfmiddlewaretoken" not in body and 'method="post"' not in body
        assert "/volgen/?kind=" in body  # the sign-up is offered, as a link

    def test_the_subscribe_page_names_what_is_followed_and_asks_only_address_and_rhythm(self, client, world):
        response = client.get("/volgen/", {"kind": "commitment", "fiche": world["fiche"].kamerstuk, "position": "1"})
        body = response.content.decode()
        assert response.status_code == 200
        assert "Toezegging: Aandacht vragen voor open standaarden (Kamerstuk 22 112" in body
        inputs = set(re.findall(r'<input type="(?:email|radio|text)" name="(\w+)"', body))
        assert inputs == {"email", "rhythm"}
        assert f'href="/fiches/{world["fiche"].kamerstuk}/#toezegging-1"' in body

    def test_a_search_is_stored_as_its_valid_filters_in_a_fixed_order(self, client, world):
        sign_up(client, kind="fiche_search", query="ministry=ezk&q=+chips+&page=3&onbekend=1&year=")
        subscription = Subscription.objects.get()
        assert subscription.query == "q=chips&ministry=ezk"
        assert subscription.label.startswith("Fiches met Zoeken in de tekst: chips · Eerstverantwoordelijk ministerie: ")
        assert "Economische Zaken en Klimaat" in subscription.label and not subscription.label.endswith(")")  # no facet count


class DoubleOptInTests:
    def test_a_sign_up_stores_a_pending_subscription_and_mails_a_confirmation_link_only(self, client, world):
        response = sign_up(client)
        assert response.status_code == 302 and response["Location"] == "/volgen/aangevraagd/"
        subscription = Subscription.objects.get()
        assert subscription.confirmed_at is None and subscription.rhythm == "daily" and subscription.language == "nl"
        [message] = mail.outbox
        assert message.to == ["lezer@example.org"] and message.subject == "Bevestig uw inschrijving bij fichetracker"
        assert "Ministerie: Ministerie van Economische Zaken en Klimaat (EZK)" in message.body
        assert "De link is 72 uur geldig" in message.body
        assert confirm_link(message) in message.alternatives[0][0]
        assert "List-Unsubscribe" not in message.extra_headers

    def test_opening_the_link_shows_a_button_and_only_the_button_confirms(self, client, world):
        sign_up(client)
        link = confirm_link(mail.outbox[0])
        page = client.get(link)
        assert page.status_code == 200 and "Bevestigen" in page.content.decode()
        assert Subscription.objects.get().confirmed_at is None  # a mail scanner opening the link confirms nothing
        done = client.post(link)
        assert done.status_code == 200 and "Dank u. U volgt nu:" in done.content.decode()
        assert Subscription.objects.get().confirmed_at is not None
        manage = re.search(r'href="(/volgen/beheren/[^"]+/)"', done.content.decode()).group(1)
        assert client.get(manage).status_code == 200

    def test_a_used_confirmation_link_answers_that_it_was_already_confirmed(self, client, world):
        sign_up(client)
        link = confirm_link(mail.outbox[0])
        client.post(link)
        for method in (client.get, client.post):
            again = method(link)
            assert again.status_code == 200 and "Deze inschrijving was al bevestigd" in again.content.decode()

    def test_the_page_and_the_mails_are_english_for_a_reader_in_english(self, client, world):
        client.cookies["django_language"] = "en"
        body = client.get("/volgen/", {"kind": "ministry", "ministry": "ezk"}).content.decode()
        assert "Follow by e-mail" in body and "How often" in body
        sign_up(client)
        assert Subscription.objects.get().language == "en"
        assert mail.outbox[0].subject == "Confirm your subscription to fichetracker"


class NoEnumerationTests:
    def test_the_answer_is_the_same_for_a_new_a_pending_and_a_confirmed_address(self, world):
        b.follow("bekend@example.org", kind=SubscriptionKind.MINISTRY, ministry="ezk")
        Client().post("/volgen/", {"email": "wachtend@example.org", "rhythm": "daily", "kind": "ministry", "ministry": "ezk"})
        answers = []
        for email in ("nieuw@example.org", "wachtend@example.org", "bekend@example.org", "BEKEND@Example.org"):
            client = Client()
            response = client.post("/volgen/", {"email": email, "rhythm": "daily", "kind": "ministry", "ministry": "ezk"})
            page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", client.get(response["Location"]).content.decode())
            answers.append((response.status_code, response["Location"], page))
        assert len(set(answers)) == 1
        # The known address is told by mail, to itself: no second subscription, no confirmation needed.
        assert mail.outbox[-1].subject == "U volgt dit al bij fichetracker" and mail.outbox[-1].to == ["bekend@example.org"]
        assert Subscriber.objects.filter(email="bekend@example.org").get().subscriptions.count() == 1

    def test_asking_for_a_manage_link_answers_the_same_for_known_and_unknown_addresses(self, client, world):
        b.follow("bekend@example.org", kind=SubscriptionKind.MINISTRY, ministry="ezk")
        known = client.post("/volgen/beheren/", {"email": "bekend@example.org"})
        unknown = client.post("/volgen/beheren/", {"email": "onbekend@example.org"})
        assert known.status_code == unknown.status_code == 200
        strip = lambda r: re.sub(r'value="[^"]{20,}"', "", r.content.decode())  # noqa: E731 -- the CSRF token differs
        assert strip(known) == strip(unknown)
        [message] = mail.outbox
        assert message.to == ["bekend@example.org"] and re.search(r"/volgen/beheren/[^/\s]+/", message.body)


class HostileInputTests:
    @pytest.mark.parametrize("email", [
        '"<script>alert(1)</script>"@example.org', "naam <lezer@example.org>", "lezer@example.org\r\nBcc: x@example.org",
        "lezer@[192.0.2.1]", "lezer@localhost", "lezer@example.org,ander@example.org", "a" * 250 + "@example.org", "", "geen-adres",
    ])
    def test_a_hostile_or_malformed_address_is_refused_with_a_clear_message_and_nothing_is_stored(self, client, world, email):
        response = sign_up(client, email=email)
        body = response.content.decode()
        assert response.status_code == 400
        assert 'class="error-summary"' in body and 'aria-invalid="true"' in body
        assert "<script>alert(1)" not in body
        assert not Subscriber.objects.exists() and not mail.outbox

    def test_a_search_with_markup_is_stored_as_text_and_escaped_on_pages_and_in_mails(self, client, world):
        sign_up(client, kind="fiche_search", query="q=<script>alert(1)</script>")
        subscription = Subscription.objects.get()
        assert "<script>alert(1)</script>" in subscription.label
        confirm_page = client.get(confirm_link(mail.outbox[0])).content.decode()
        assert "<script>alert(1)" not in confirm_page and "&lt;script&gt;alert(1)&lt;/script&gt;" in confirm_page
        assert "<script>alert(1)" not in mail.outbox[0].alternatives[0][0]

    @pytest.mark.parametrize(("query", "message"), [
        ("q=" + "x" * 1001, "Deze zoekopdracht is te lang om te volgen."),
        ("q=a%00b", "Deze zoekopdracht bevat een ongeldig teken."),
        ("year=abc", "Kies een jaar uit de lijst; &#x27;abc&#x27; komt in de gepubliceerde fiches niet voor."),
        ("q=" + "x" * 201, "Een zoekopdracht is hoogstens 200 tekens lang"),
    ])
    def test_a_search_that_cannot_be_followed_is_refused_with_the_reason(self, client, world, query, message):
        response = sign_up(client, kind="fiche_search", query=query)
        assert response.status_code == 404 and message in response.content.decode()
        assert not Subscription.objects.exists()

    @pytest.mark.parametrize("params", [
        {"kind": "onzin"}, {"kind": "dossier", "document": "../../etc/passwd"}, {"kind": "ministry", "ministry": "x" * 500},
        {"kind": "commitment", "fiche": "22112-1", "position": "-1"}, {"kind": "commitment", "fiche": "abc", "position": "99999999999"},
    ])
    def test_hostile_targets_answer_a_clear_page_not_an_error(self, client, world, params):
        response = client.get("/volgen/", params)
        assert response.status_code == 404 and "Dit kunt u niet volgen" in response.content.decode()


class ThrottlingTests:
    def test_sign_ups_for_one_address_are_limited_per_hour(self, world, settings):
        settings.ALERTS_SIGNUPS_PER_ADDRESS = 2
        statuses = [sign_up(Client(REMOTE_ADDR=f"192.0.2.{n}"), email="veel@example.org").status_code for n in range(4)]
        assert statuses == [302, 302, 429, 429]
        assert len(mail.outbox) == 2

    def test_sign_ups_from_one_client_address_are_limited_per_hour(self, world, settings):
        settings.ALERTS_SIGNUPS_PER_CLIENT = 3
        client = Client(REMOTE_ADDR="198.51.100.7")
        statuses = [sign_up(client, email=f"lezer{n}@example.org").status_code for n in range(5)]
        assert statuses == [302, 302, 302, 429, 429]
        assert "Probeer het over een uur opnieuw" in sign_up(client, email="nog-een@example.org").content.decode()
        assert sign_up(Client(REMOTE_ADDR="198.51.100.8"), email="ander@example.org").status_code == 302

    def test_manage_link_requests_count_towards_the_same_limits(self, world, settings):
        settings.ALERTS_SIGNUPS_PER_ADDRESS = 1
        client = Client()
        assert client.post("/volgen/beheren/", {"email": "lezer@example.org"}).status_code == 200
        assert client.post("/volgen/beheren/", {"email": "lezer@example.org"}).status_code == 429


class MailFailureTests:
    def test_a_sign_up_whose_mail_cannot_be_sent_stores_nothing_and_says_so(self, client, world, settings):
        settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                                        "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2}}}
        response = sign_up(client)
        assert response.status_code == 503 and "er is niets bewaard" in response.content.decode()
        assert not Subscriber.objects.exists() and not Subscription.objects.exists()


class LoggingTests:
    def test_no_address_appears_in_the_log_at_info_from_sign_up_to_unsubscribe(self, client, world, caplog, settings):
        caplog.set_level(logging.DEBUG)
        sign_up(client, email="geheim.adres@example.org")
        client.post(confirm_link(mail.outbox[0]))
        b.publish(title="Nieuw", lead_ministry=world["fiche"].lead_ministry)
        b.run(b.at(days=40))
        settings.MAILERS = {"default": {"BACKEND": "tests.alerts.test_sending.RefusingBackend", "OPTIONS": {}}}
        client.post("/volgen/", {"email": "geweigerd@example.org", "rhythm": "immediate", "kind": "ministry", "ministry": "ezk"})
        unsubscribe = re.search(r"http://127\.0\.0\.1:8000(/volgen/afmelden/[^/\s]+/)", mail.outbox[-1].body)
        if unsubscribe:
            client.post(unsubscribe.group(1))
        logged = "\n".join(f"{r.levelname} {r.getMessage()}" for r in caplog.records if r.levelno >= logging.INFO)
        assert "Alerts:" in logged  # the run logs its counts
        assert "geheim.adres" not in logged and "geweigerd@" not in logged and "example.org" not in logged
