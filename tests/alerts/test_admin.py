"""Staff see how many subscriptions there are per kind in the admin, never an address; superusers see the
subscriptions and addresses (to carry out a removal request); nobody adds or edits them there."""

import pytest
from django.contrib.auth.models import User

from alerts.models import Subscriber, SubscriptionKind
from positions.permissions import ROLES
from tests import factories
from tests.positions.conftest import staff_user

from . import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscriptions():
    factories.ministry()
    b.publish(lead_ministry=factories.ministry(), documents=[factories.document("COM(2030) 901")])
    b.follow("eerste.lezer@example.org", kind=SubscriptionKind.MINISTRY, ministry="ezk")
    b.follow("tweede.lezer@example.org", kind=SubscriptionKind.MINISTRY, ministry="ezk")
    paused = b.follow("derde.lezer@example.org", kind=SubscriptionKind.DOSSIER, document="com-2030-901")
    paused.paused_at = paused.confirmed_at
    paused.save()
    b.follow("vierde.lezer@example.org", kind=SubscriptionKind.FICHE_SEARCH, query="q=chips")


def row(body, label):
    start = body.index(f'<th scope="row">{label}</th>')
    return body[start:body.index("</tr>", start)]


class AdminCountsTests:
    @pytest.mark.parametrize("role", ROLES)
    def test_every_staff_role_sees_the_counts_per_kind_and_no_address(self, client, subscriptions, role):
        client.force_login(staff_user(role.replace(" ", "-"), role=role))
        response = client.get("/admin/alerts/subscription/")
        body = response.content.decode()
        assert response.status_code == 200
        assert "<td>2</td><td>0</td><td>0</td><td>2</td>" in row(body, "Ministerie")
        assert "<td>0</td><td>1</td><td>0</td><td>1</td>" in row(body, "Dossier")
        assert "<td>1</td><td>0</td><td>0</td><td>1</td>" in row(body, "Zoekopdracht in fiches")
        assert "4 e-mailadressen." in body
        assert "@example.org" not in body and ".lezer" not in body

    def test_staff_open_neither_a_single_subscription_nor_the_addresses(self, client, subscriptions):
        client.force_login(staff_user("lezer-staf", role="reader-staff"))
        subscription = Subscriber.objects.get(email="eerste.lezer@example.org").subscriptions.get()
        assert client.get(f"/admin/alerts/subscription/{subscription.pk}/change/").status_code in (302, 403)
        assert client.get("/admin/alerts/subscriber/").status_code == 403
        assert "example.org" not in client.get("/admin/").content.decode()

    def test_staff_without_the_right_get_nothing(self, client, subscriptions):
        client.force_login(User.objects.create_user("zonder-rol", password="Een-lang-wachtwoord-2026!", is_staff=True))
        assert client.get("/admin/alerts/subscription/").status_code == 403

    def test_a_superuser_sees_the_addresses_and_may_delete_but_not_add_or_edit(self, client, subscriptions):
        client.force_login(staff_user("beheerder", superuser=True))
        body = client.get("/admin/alerts/subscription/").content.decode()
        assert "eerste.lezer@example.org" in body and "Inschrijvingen per soort" in body
        assert client.get("/admin/alerts/subscriber/").status_code == 200
        assert client.get("/admin/alerts/subscription/add/").status_code == 403
        subscriber = Subscriber.objects.get(email="eerste.lezer@example.org")
        response = client.post(f"/admin/alerts/subscriber/{subscriber.pk}/delete/", {"post": "yes"})
        assert response.status_code == 302 and not Subscriber.objects.filter(pk=subscriber.pk).exists()
