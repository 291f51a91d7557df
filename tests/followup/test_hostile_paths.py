"""Hostile paths, query strings and form data on every follow-up route answer 4xx (or a page with a form
error, or a redirect to the login), never a server error, and a refused form writes nothing.

PostgreSQL refuses a NUL byte in a text parameter (psycopg raises before the query runs), so the NUL cases
matter there most: run this file with DATABASE_URL pointing at PostgreSQL too. The hypothesis parts are
derandomized, so every run throws the same examples.
"""

import datetime
import re
from urllib.parse import quote, urlencode

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followup.models import CalendarToken, CommitmentAssignment
from positions.models import Commitment, CommitmentStatusChange
from positions.permissions import ROLE_FOLLOW_UP, ROLES
from tests.public.outputs_builders import route_names

from . import builders as b

pytestmark = pytest.mark.django_db

HOSTILE = [
    "\x00", "a\x00b", "%00", "x" * 5000, "9" * 40, "-1", "é", "\U0001f600", "\u202egeheim", "../../etc/passwd", "' OR 1=1 --",
    "<script>alert(1)</script>", " ", "ezk\n", "\\", "%", "_", "*", "&", "=", "2026-3", "0000-00-00", "null",
]
# The answers a hostile request may get: redirect to the login (anonymous), 400 (bad period or form), 403
# (not staff or not allowed), 404 (unknown or malformed), 405 (wrong method); pages with a form error are 200.
ALLOWED = {200, 302, 400, 403, 404, 405}
QUERY_KEYS = ["ministry", "kind", "status", "configuration", "fiche", "periode", "page", "format", "next"]
CONVERTER_RE = re.compile(r"<(?:(\w+):)?(\w+)>")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def followup_routes():
    return sorted((name, route) for name, route in route_names() if name.startswith("followup:"))


def hostile_path(route, value):
    """The route with every path argument replaced by ``value``, percent-encoded as a browser would send it."""
    return "/" + CONVERTER_RE.sub(lambda _match: quote(value, safe=""), route)


def world():
    ezk = b.ezk()
    fiche = b.fiche(lead_ministry=ezk, public_from=timezone.now() + datetime.timedelta(days=30))
    commitment = b.commitment(fiche, position=1, due_date=timezone.localdate() + datetime.timedelta(days=3))
    b.budget(fiche)
    users = {role: b.staff(role.replace(" ", "-"), role=role, ministries=[ezk]) for role in ROLES}
    token = CalendarToken.objects.create(user=users[ROLE_FOLLOW_UP], ministry=ezk)
    return {"ezk": ezk, "fiche": fiche, "commitment": commitment, "users": users, "token": token}


def valid_paths(data):
    """One real URL per follow-up GET route, reversed with real arguments."""
    fiche = data["fiche"]
    return {
        "followup:dashboard": reverse("followup:dashboard"),
        "followup:commitment_detail": reverse("followup:commitment_detail", kwargs={"fiche": fiche.natural_id, "position": 1}),
        "followup:report": reverse("followup:report", kwargs={"code": "ezk"}),
        "followup:report_csv": reverse("followup:report_csv", kwargs={"code": "ezk"}),
        "followup:report_cofinancing_csv": reverse("followup:report_cofinancing_csv", kwargs={"code": "ezk"}),
        "followup:cofinancing_csv": reverse("followup:cofinancing_csv"),
        "followup:calendar_tokens": reverse("followup:calendar_tokens"),
        "followup:staff_calendar": data["token"].get_absolute_url(),
        "followup:public_calendar": reverse("followup:public_calendar"),
        "followup:public_ministry_calendar": reverse("followup:public_ministry_calendar", kwargs={"code": "ezk"}),
    }


class HostilePathTests:
    def test_a_nul_byte_as_calendar_token_is_404_without_login(self, client):
        response = client.get("/opvolging/agenda/%00.ics")
        assert response.status_code == 404

    @pytest.mark.parametrize("token", ["\x00", "a\x00b", "x" * 65, "x" * 5000, "é" * 43, "\U0001f600", " " * 43, "a.b"])
    def test_a_malformed_calendar_token_is_404(self, client, token):
        assert client.get(f"/opvolging/agenda/{quote(token, safe='')}.ics").status_code == 404

    def test_every_route_with_hostile_path_arguments_answers_4xx_anonymous_or_signed_in(self, client):
        data = world()
        routes = [(name, route) for name, route in followup_routes() if CONVERTER_RE.search(route)]
        assert {name for name, _route in routes} >= {
            "followup:commitment_detail", "followup:report", "followup:report_csv", "followup:report_cofinancing_csv",
            "followup:calendar_token_revoke", "followup:staff_calendar", "followup:public_ministry_calendar",
        }
        bad = []
        for user in [None, *data["users"].values()]:
            client.logout()
            if user:
                client.force_login(user)
            for name, route in routes:
                for value in HOSTILE:
                    path = hostile_path(route, value)
                    for method in (client.get, client.post):
                        response = method(path)
                        if response.status_code not in ALLOWED - {200}:
                            bad.append((user and user.username, name, value[:20], method.__name__, response.status_code))
        assert not bad, bad

    def test_an_overlong_number_as_position_or_token_id_is_404(self, client):
        data = world()
        client.force_login(data["users"][ROLE_FOLLOW_UP])
        assert client.get(f"/opvolging/toezeggingen/{data['fiche'].natural_id}/{'9' * 40}/").status_code == 404
        assert client.post(f"/opvolging/agenda/{'9' * 40}/intrekken/").status_code == 404
        data["token"].refresh_from_db()
        assert data["token"].revoked_at is None


values = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40), st.integers(min_value=-(2**70), max_value=2**70).map(str))
keys = st.one_of(st.sampled_from(QUERY_KEYS), st.text(min_size=1, max_size=12))
query_strings = st.lists(st.tuples(keys, values), max_size=5).map(urlencode)
GET_ROUTES = [
    "followup:dashboard", "followup:commitment_detail", "followup:report", "followup:report_csv", "followup:report_cofinancing_csv",
    "followup:cofinancing_csv", "followup:calendar_tokens", "followup:staff_calendar",
]


class HostileQueryTests:
    @pytest.mark.parametrize("role", ROLES)
    def test_no_query_string_on_a_staff_route_causes_a_server_error(self, client, role):
        data = world()
        client.force_login(data["users"][role])
        paths = valid_paths(data)

        @settings(max_examples=6, derandomize=True, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
        @given(query=query_strings)
        def check(query):
            for name in GET_ROUTES:
                response = client.get(f"{paths[name]}?{query}")
                assert response.status_code in ALLOWED, (name, query, response.status_code)

        check()

    def test_the_routes_fuzzed_are_every_follow_up_get_route_but_the_public_ones(self):
        names = {name for name, _route in followup_routes()}
        assert set(GET_ROUTES) == names - {
            "followup:calendar_token_revoke", "followup:public_calendar", "followup:public_ministry_calendar",
            "followup:commitment_assign", "followup:bulk_status",  # POST only: their forms are fuzzed below
        }


form_values = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=30))
STATUSES = st.one_of(st.sampled_from(Commitment.Status.values), form_values)


class HostileFormTests:
    def test_a_hostile_status_change_is_refused_or_recorded_but_never_half_written(self, client):
        data = world()
        client.force_login(data["users"][ROLE_FOLLOW_UP])
        commitment = data["commitment"]
        url = reverse("followup:commitment_detail", kwargs={"fiche": data["fiche"].natural_id, "position": 1})

        @settings(max_examples=25, derandomize=True, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
        @given(to_status=STATUSES, note=form_values, reference=form_values, link=form_values, due=form_values, evidence_date=form_values)
        def check(to_status, note, reference, link, due, evidence_date):
            before = (CommitmentStatusChange.objects.count(), Commitment.objects.values_list("status", "due_date").get(pk=commitment.pk))
            response = client.post(url, {
                "to_status": to_status, "note": note, "evidence_reference": reference, "evidence_url": link,
                "new_due_date": due, "evidence_date": evidence_date,
            })
            assert response.status_code in {302, 400}, response.status_code
            after = (CommitmentStatusChange.objects.count(), Commitment.objects.values_list("status", "due_date").get(pk=commitment.pk))
            if response.status_code == 400:
                assert after == before
                assert "De wijziging is niet vastgelegd" in response.content.decode()
            else:
                assert after[0] == before[0] + 1

        check()

    def test_a_hostile_calendar_link_request_is_refused_with_a_form_error_and_makes_no_token(self, client):
        data = world()
        client.force_login(data["users"][ROLE_FOLLOW_UP])

        @settings(max_examples=25, derandomize=True, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
        @given(ministry=form_values, label=form_values)
        def check(ministry, label):
            before = CalendarToken.objects.count()
            response = client.post(reverse("followup:calendar_tokens"), {"ministry": ministry, "label": label})
            assert response.status_code in {302, 400}, response.status_code
            assert CalendarToken.objects.count() == before + (response.status_code == 302)

        check()

    def test_a_nul_byte_in_the_calendar_link_form_gets_a_dutch_error(self, client):
        data = world()
        client.force_login(data["users"][ROLE_FOLLOW_UP])
        before = CalendarToken.objects.count()
        for form in ({"ministry": "ezk\x00", "label": "kantoor"}, {"ministry": "ezk", "label": "kan\x00toor"}):
            response = client.post(reverse("followup:calendar_tokens"), form)
            assert response.status_code == 400
            assert "<strong>Fout:</strong> Null-tekens zijn niet toegestaan." in response.content.decode()
        assert client.post(reverse("followup:calendar_tokens"), {"ministry": "bestaat-niet"}).status_code == 400
        assert CalendarToken.objects.count() == before

    def test_a_hostile_holder_form_is_refused_or_recorded_but_never_half_written(self, client):
        data = world()
        officer = data["users"][ROLE_FOLLOW_UP]
        client.force_login(officer)
        url = reverse("followup:commitment_assign", kwargs={"fiche": data["fiche"].natural_id, "position": 1})
        officers = st.one_of(form_values, st.just(str(officer.pk)), st.integers(min_value=-(2**70), max_value=2**70).map(str))

        @settings(max_examples=25, derandomize=True, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
        @given(holder=officers, note=form_values)
        def check(holder, note):
            before = list(CommitmentAssignment.objects.values_list("pk", "officer_id", "ended_at"))
            response = client.post(url, {"houder-officer": holder, "houder-note": note})
            assert response.status_code in {302, 400}, response.status_code
            after = list(CommitmentAssignment.objects.values_list("pk", "officer_id", "ended_at"))
            if response.status_code == 400:
                assert after == before
                assert "De houder is niet gewijzigd" in response.content.decode()
            assert CommitmentAssignment.objects.current().count() <= 1

        check()

    def test_a_hostile_bulk_change_is_refused_or_recorded_but_never_half_written(self, client):
        data = world()
        client.force_login(data["users"][ROLE_FOLLOW_UP])
        second = b.commitment(data["fiche"], position=2)
        keys = st.lists(st.one_of(form_values, st.sampled_from([str(data["commitment"].pk), str(second.pk)])), max_size=3)

        @settings(max_examples=25, derandomize=True, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
        @given(chosen=keys, to_status=STATUSES, note=form_values, reference=form_values, link=form_values, next_url=form_values)
        def check(chosen, to_status, note, reference, link, next_url):
            before = (CommitmentStatusChange.objects.count(), list(Commitment.objects.order_by("pk").values_list("status", flat=True)))
            response = client.post(reverse("followup:bulk_status"), {
                "commitments": chosen, "to_status": to_status, "note": note, "evidence_reference": reference, "evidence_url": link,
                "next": next_url,
            })
            assert response.status_code in {302, 400}, response.status_code
            after = (CommitmentStatusChange.objects.count(), list(Commitment.objects.order_by("pk").values_list("status", flat=True)))
            if response.status_code == 400:
                assert after == before
                assert "Er is niets vastgelegd" in response.content.decode()
            else:
                assert after[0] == before[0] + len(set(chosen))  # one history row per chosen commitment
                assert response["Location"].startswith("/")

        check()
