"""Unpublished data never reaches a mail, and a fiche under embargo is mailed only once its embargo passed.

The marker test of tests/public/test_security_unpublished.py, extended to mails: unpublished fiches in
every state (and one under embargo) carry MARKER; subscriptions of every kind, rhythm and language follow
the public neighbourhood of those secrets (the same dossier, ministry, a search for the marker's word);
the secrets get new activity (new drafts on a followed dossier, status changes of their commitments);
runs over more than a week, so every rhythm mails at least once, must never carry the marker, a secret
Kamerstuk number or document reference. Secret targets cannot be followed at all, and answer exactly
like targets that do not exist.
"""

import datetime
import re

import pytest
from django.utils import timezone

from alerts import targets
from alerts.discovery import discover
from alerts.models import Event, MailLanguage, Rhythm, SubscriptionKind
from positions.models import Commitment, Fiche
from proposals.references import display_kamerstuk
from tests import factories
from tests.public import outputs_builders as build

from . import builders as b

pytestmark = pytest.mark.django_db


def mails_over_a_week(start_day=0):
    found = []
    for day in range(start_day, start_day + 9):
        for hour in (1, 9):
            found += b.run(b.at(days=day, hours=hour))[1]
    return found


class EmbargoTests:
    @pytest.mark.parametrize("rhythm", Rhythm.values)
    def test_a_fiche_under_embargo_is_mailed_in_no_rhythm_until_its_embargo_passed(self, rhythm):
        ezk = factories.ministry()
        dossier = factories.document("COM(2030) 950", title="Voorstel over waterstof")
        b.publish(title="Eerder fiche over waterstof", documents=[dossier], lead_ministry=ezk)
        followers = [
            b.follow(kind=SubscriptionKind.MINISTRY, ministry="ezk", rhythm=rhythm),
            b.follow(kind=SubscriptionKind.DOSSIER, document="com-2030-950", rhythm=rhythm),
            b.follow(kind=SubscriptionKind.FICHE_SEARCH, query="q=waterstof", rhythm=rhythm),
            b.follow(kind=SubscriptionKind.FICHE_SEARCH, query="", rhythm=rhythm),
        ]
        secret = b.embargoed(title="Fiche onder embargo over waterstof", documents=[dossier], lead_ministry=ezk)
        factories.commitment(secret, summary="Toezegging onder embargo")
        b.change_status(secret.commitments.get(), Commitment.Status.FULFILLED, evidence_reference="Kamerstuk 22 112, nr. 1")
        assert mails_over_a_week() == []
        assert not Event.objects.filter(fiche=secret).exists()
        b.lift_embargo(secret)
        sent = b.run(b.at(days=10, hours=1))[1]
        assert sorted(m.to[0] for m in sent) == sorted(s.subscriber.email for s in followers)
        for message in sent:
            assert "Fiche onder embargo over waterstof" in message.body
            # The history it had under embargo is part of the fiche, not news of its own.
            assert "Toezegging onder embargo" not in message.body

    def test_a_fiche_put_back_under_embargo_after_it_was_found_is_mailed_only_once_public_again(self):
        ezk = factories.ministry()
        b.publish(lead_ministry=ezk)
        subscription = b.follow(kind=SubscriptionKind.MINISTRY, ministry="ezk")
        fiche = b.publish(title="Even weer onder embargo", lead_ministry=ezk)
        discover(b.at(minutes=30))  # found by a run while it was public
        Fiche.objects.filter(pk=fiche.pk).update(public_from=timezone.now() + datetime.timedelta(days=1))
        assert b.run(b.at(hours=1))[1] == []
        b.lift_embargo(fiche)
        [message] = b.run(b.at(hours=2))[1]
        assert message.to == [subscription.subscriber.email] and "Even weer onder embargo" in message.body


def main(response):
    text = response.content.decode()
    return text[text.index("<main"):text.index("</main>")]


def secrets_in(text, secrets, public_documents=()):
    """The marker, and every secret Kamerstuk number or document reference in ``text`` (as whole numbers:
    "COM(2025) 101" is not found in "COM(2025) 1012")."""
    found = [build.MARKER] if build.MARKER in text else []
    for fiche in secrets:
        names = [fiche.kamerstuk, display_kamerstuk(fiche.kamerstuk)] if fiche.kamerstuk else []
        names += [name for doc in fiche.documents.all() if doc not in public_documents for name in (doc.reference, doc.slug)]
        found += [name for name in names if re.search(re.escape(name) + r"(?!\d)", text)]
    return found


class UnpublishedMarkerTests:
    def test_no_mail_in_any_rhythm_or_language_reveals_unpublished_data(self):
        published = build.published_world(2)
        secrets = build.unpublished_world()
        shown = published[0]
        document = shown.documents.get()
        for rhythm in Rhythm.values:
            for language in MailLanguage.values:
                for kind, params in [
                    (SubscriptionKind.FICHE_SEARCH, {"query": f"q={build.SEARCH_WORD}"}),
                    (SubscriptionKind.FICHE_SEARCH, {"query": ""}),
                    (SubscriptionKind.FICHE_SEARCH, {"query": "ministry=ezk"}),
                    (SubscriptionKind.COMMITMENT_SEARCH, {"query": ""}),
                    (SubscriptionKind.DOSSIER, {"document": document.slug}),
                    (SubscriptionKind.MINISTRY, {"ministry": "ezk"}),
                    (SubscriptionKind.COMMITMENT, {"fiche": shown.kamerstuk, "position": "2"}),
                ]:
                    b.follow(kind=kind, rhythm=rhythm, language=language, **params)
        # New secret activity after everybody subscribed.
        extra = [
            factories.fiche(status=Fiche.Status.DRAFT, title=f"Nieuw concept {build.MARKER}", documents=[document], lead_ministry=shown.lead_ministry),
            factories.fiche(status=Fiche.Status.ADOPTED, title=f"Vastgesteld {build.MARKER}", documents=[document], lead_ministry=shown.lead_ministry),
            factories.fiche(title=f"Embargo {build.MARKER}", documents=[document], lead_ministry=shown.lead_ministry,
                            public_from=timezone.now() + datetime.timedelta(days=30)),
        ]
        for fiche in [*secrets.values(), *extra]:
            for commitment in fiche.commitments.all():
                b.change_status(commitment, Commitment.Status.WITHDRAWN)
            factories.commitment(fiche, summary=f"Nieuwe toezegging {build.MARKER}", ministry=shown.lead_ministry)
        # New public activity, so the runs do mail: among it a published revision of the draft.
        revision = build.revising_fiche(secrets["draft"])
        public = b.publish(title="Openbaar nieuw fiche", documents=[document], lead_ministry=shown.lead_ministry)
        b.change_status(shown.commitments.get(position=2), Commitment.Status.LAPSED)
        sent = mails_over_a_week()
        leaks = [(m.to[0], found) for m in sent if (found := secrets_in(m.subject + b.body(m), [*secrets.values(), *extra], [document]))]
        assert not leaks, leaks
        texts = [b.body(m) for m in sent]
        assert any(public.title in text for text in texts)
        assert any(revision.title in text for text in texts)  # a public revision of a draft is news, the draft is not named
        assert any(f"Toezegging 2 uit {shown.title}" in text for text in texts)
        assert len(sent) >= 2 * 3 * 6

    def test_secret_targets_cannot_be_followed_and_answer_like_targets_that_do_not_exist(self, client):
        build.published_world(1)
        secrets = build.unpublished_world()
        pairs = [({"kind": "ministry", "ministry": "geheim"}, {"kind": "ministry", "ministry": "bestaat-niet"})]
        for fiche in secrets.values():
            pairs.append(({"kind": "dossier", "document": fiche.documents.get().slug}, {"kind": "dossier", "document": "com-2031-9999"}))
            pairs.append(({"kind": "commitment", "fiche": fiche.kamerstuk, "position": "1"},
                          {"kind": "commitment", "fiche": "22112-99999", "position": "1"}))
        pairs.append(({"kind": "fiche_search", "query": "council=SECRET"}, {"kind": "fiche_search", "query": "council=NOPE"}))
        for secret, missing in pairs:
            with pytest.raises(targets.TargetError):
                targets.resolve(secret)
            secret_page, missing_page = client.get("/volgen/", secret), client.get("/volgen/", missing)
            assert secret_page.status_code == missing_page.status_code == 404
            secret_text, missing_text = main(secret_page), main(missing_page)
            values = {*secret.values(), *missing.values(), "SECRET", "NOPE"} - {"1", *SubscriptionKind.values}
            for value in sorted(values, key=len, reverse=True):
                secret_text, missing_text = secret_text.replace(value, "X"), missing_text.replace(value, "X")
            assert secret_text == missing_text, secret
            assert build.MARKER not in secret_text
