"""Confidentiality inside government on every follow-up surface.

A fiche that is not yet public (draft, in review, adopted, or published under a future embargo) and what
hangs from it (commitments, their history, cofinancing) is for its own ministries (lead or co-ministry)
and the roles that see all. The dashboard, the commitment pages, the half-yearly reports and their CSVs,
the cofinancing CSV, the reminder mails and the staff calendar feeds all keep to that one rule; a
calendar token feed, which anyone holding the link can read without logging in, carries only what is
public plus the token owner's own ministries' items, whatever the owner's role.

The marker test walks every follow-up route of the URLconf, as every role of the own and of another
ministry, over fiches in every state whose title, commitment and cofinancing programme carry a marker
per state, and checks each marker shows exactly where the rule allows it: in HTML, CSV and iCalendar.
"""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from followup.models import CalendarToken
from followup.reminders import build_digests
from positions.models import CommitmentStatusChange, Fiche
from positions.permissions import ROLE_COORDINATOR, ROLE_EDITOR, ROLE_FOLLOW_UP, ROLE_PUBLISHER, ROLE_READER, ROLES
from tests import factories
from tests.public.outputs_builders import route_names

from . import builders as b

pytestmark = pytest.mark.django_db

SEE_ALL = {ROLE_COORDINATOR, ROLE_PUBLISHER, "superuser"}
EMBARGO = {"status": Fiche.Status.PUBLISHED, "public_from": None}  # public_from is set per world: now + 30 days
# state: (fiche fields, lead ministry key, co-ministry key)
STATES = {
    "draft": ({"status": Fiche.Status.DRAFT}, "ezk", None),
    "review": ({"status": Fiche.Status.REVIEW}, "ezk", None),
    "adopted": ({"status": Fiche.Status.ADOPTED}, "ezk", None),
    "embargo": (EMBARGO, "ezk", None),
    "embargoco": (EMBARGO, "fin", "ezk"),  # EZK is co-ministry: EZK staff see it too
    "public": ({"status": Fiche.Status.PUBLISHED}, "ezk", None),
}
TRACKED = {"embargo", "embargoco", "public"}  # sent to parliament


def marker(state):
    return f"zqxstaff-{state}-q"


MARKER_RE = re.compile(r"zqxstaff-([a-z]+)-q")
# The follow-up routes anyone may read (published data only); the public security tests walk them.
PUBLIC_ROUTES = {"followup:public_calendar", "followup:public_ministry_calendar"}


def found_markers(text):
    return set(MARKER_RE.findall(text.replace("\r\n ", "")))  # iCalendar folds long lines


def body(response):
    return (b"".join(response.streaming_content) if response.streaming else response.content).decode("utf-8-sig")


def normalised(response, path_part):
    """The body without what differs per request: the path, the CSRF token and the CSP nonce."""
    text = body(response).replace(path_part, "<path>")
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)
    return re.sub(r'nonce="[^"]*"', "", text)


def build_world():
    """Ministries EZK (own), FIN, BZK (other); one fiche per state with a dated commitment, a status change and
    a budget, all carrying the state's marker; one user per role of EZK and of BZK, and a superuser."""
    ministries = {
        "ezk": b.ezk(), "fin": b.fin(),
        "bzk": factories.ministry(code="bzk", abbreviation="BZK", name="Ministerie van Binnenlandse Zaken en Koninkrijksrelaties"),
    }
    future = timezone.now() + datetime.timedelta(days=30)
    due = timezone.localdate() + datetime.timedelta(days=10)
    fiches = {}
    for state, (fields, lead, co) in STATES.items():
        fields = {**fields, "public_from": future} if fields is EMBARGO else fields
        fiche = b.fiche(title=f"Fiche {marker(state)}", lead_ministry=ministries[lead], **fields)
        if co:
            fiche.co_ministries.add(ministries[co])
        commitment = b.commitment(fiche, position=1, summary=f"Toezegging {marker(state)}", quote=f"Citaat {marker(state)}", due_date=due)
        commitment.status_changes.create(from_status="open", to_status="open", note=f"Wijziging {marker(state)}")
        b.budget(fiche, programme=f"Programma {marker(state)}", priorities=[(f"Onderwerp {marker(state)}", "1000.00")])
        fiches[state] = fiche
    users = {}
    for role in ROLES:
        slug = role.replace(" ", "-")
        users[(role, "own")] = b.staff(f"{slug}-eigen", role=role, ministries=[ministries["ezk"]])
        users[(role, "other")] = b.staff(f"{slug}-ander", role=role, ministries=[ministries["bzk"]])
    users[("superuser", "none")] = b.staff("beheerder", role=None, superuser=True)
    return {"ministries": ministries, "fiches": fiches, "users": users}


def may_see(role, kind, state):
    """The rule: public, or a role that sees all, or one of the user's own ministries (EZK is lead or co of every secret)."""
    return state == "public" or role in SEE_ALL or kind == "own"


def feed_may_carry(kind, state):
    """A token feed: public, or the owner's own ministries'; the see-all right does not travel with a link."""
    return state == "public" or kind == "own"


def responsible(state):
    return STATES[state][1]


def staff_pages(world):
    """(route name, url, states that must show when visible) for every signed-in staff page; None: no expectation."""
    fiches = world["fiches"]
    pages = [
        ("followup:dashboard", reverse("followup:dashboard"), TRACKED),
        ("followup:dashboard", reverse("followup:dashboard") + "?ministry=ezk", {s for s in TRACKED if responsible(s) == "ezk"}),
        ("followup:dashboard", reverse("followup:dashboard") + f"?fiche={fiches['embargo'].natural_id}", None),
        ("followup:cofinancing_csv", reverse("followup:cofinancing_csv"), TRACKED),
        ("followup:calendar_tokens", reverse("followup:calendar_tokens"), set()),
    ]
    for code in ("ezk", "fin", "bzk"):
        shown = {s for s in TRACKED if responsible(s) == code}
        for name in ("followup:report", "followup:report_csv", "followup:report_cofinancing_csv"):
            pages.append((name, reverse(name, kwargs={"code": code}), shown))
    return pages


class StaffRouteMarkerTests:
    def test_every_follow_up_route_is_walked_here_or_public(self):
        walked = {name for name, _url, _shown in staff_pages(build_world())} | {
            "followup:commitment_detail", "followup:commitment_assign", "followup:bulk_status", "followup:calendar_token_revoke",
            "followup:staff_calendar",
        }
        routes = {name for name, _route in route_names() if name.startswith("followup:")}
        assert routes - PUBLIC_ROUTES == walked, "a follow-up route is missing from the marker test"

    def test_pages_and_csvs_show_each_marker_exactly_where_the_rule_allows(self, client):
        world = build_world()
        problems, requests = [], 0
        for (role, kind), user in world["users"].items():
            client.force_login(user)
            allowed = {s for s in STATES if may_see(role, kind, s)}
            for _name, url, shown in staff_pages(world):
                response = client.get(url)
                requests += 1
                found = found_markers(body(response))
                if response.status_code != 200:
                    problems.append((role, kind, url, response.status_code))
                if found - allowed:
                    problems.append((role, kind, url, "leaks", sorted(found - allowed)))
                if shown is not None and (shown & allowed) - found:
                    problems.append((role, kind, url, "misses", sorted((shown & allowed) - found)))
            for state, fiche in world["fiches"].items():
                url = reverse("followup:commitment_detail", kwargs={"fiche": fiche.natural_id, "position": 1})
                response = client.get(url)
                requests += 1
                expected = 200 if state in TRACKED and state in allowed else 404
                found = found_markers(body(response))
                if response.status_code != expected or found - allowed or (expected == 200 and state not in found):
                    problems.append((role, kind, state, "commitment page", response.status_code, sorted(found)))
                # The holder form: an empty choice ("nobody") is refused, showing the page again; or 403 / 404.
                response = client.post(reverse("followup:commitment_assign", kwargs={"fiche": fiche.natural_id, "position": 1}))
                requests += 1
                found = found_markers(body(response))
                if response.status_code not in ({404} if expected == 404 else {400, 403}) or found - allowed:
                    problems.append((role, kind, state, "holder form", response.status_code, sorted(found)))
            # The bulk change of every state's commitment, with no note: refused, naming only what the user may see.
            picked = [fiche.commitments.get().pk for fiche in world["fiches"].values()]
            response = client.post(reverse("followup:bulk_status"), {"commitments": picked, "to_status": "lapsed"})
            requests += 1
            found = found_markers(body(response))
            if response.status_code != 400 or found - allowed:
                problems.append((role, kind, "bulk", response.status_code, sorted(found)))
            token = CalendarToken.objects.create(user=user, label="weg ermee")
            response = client.post(reverse("followup:calendar_token_revoke", kwargs={"pk": token.pk}), follow=True)
            requests += 1
            if response.redirect_chain[0][1] != 302 or found_markers(body(response)):
                problems.append((role, kind, "revoke", response.status_code))
        assert not problems, problems
        assert requests == len(world["users"]) * (len(staff_pages(world)) + 2 * len(STATES) + 2)
        assert not CommitmentStatusChange.objects.exclude(note__startswith="Wijziging").exists()  # nothing was written

    def test_calendar_feeds_carry_public_items_and_the_owners_own_ministries_only(self, client):
        world = build_world()
        problems = []
        for (role, kind), user in world["users"].items():
            for code in (None, "ezk", "fin"):
                ministry = world["ministries"][code] if code else None
                token = CalendarToken.objects.create(user=user, ministry=ministry)
                response = client.get(token.get_absolute_url())  # calendar apps do not log in
                text = body(response)
                assert response.status_code == 200 and text.startswith("BEGIN:VCALENDAR")
                found = found_markers(text)
                allowed = {s for s in STATES if feed_may_carry(kind, s)}
                expected = {s for s in TRACKED & allowed if code is None or responsible(s) == code}
                if found != expected:
                    problems.append((role, kind, code, sorted(found), sorted(expected)))
        assert not problems, problems


class EmbargoedFicheTests:
    """The holes of the security review, each reproduced: they failed before the rule was applied."""

    @pytest.fixture
    def world(self):
        return build_world()

    @pytest.mark.parametrize("role", [ROLE_EDITOR, ROLE_READER, ROLE_FOLLOW_UP])
    def test_staff_of_another_ministry_do_not_see_an_embargoed_fiche_anywhere(self, client, world, role):
        client.force_login(world["users"][(role, "other")])
        secret = marker("embargo")
        for url in (
            "/opvolging/", "/opvolging/?status=all", "/opvolging/rapportage/ezk/", "/opvolging/rapportage/ezk/toezeggingen.csv",
            "/opvolging/rapportage/ezk/cofinanciering.csv", "/opvolging/cofinanciering.csv",
        ):
            response = client.get(url)
            assert response.status_code == 200, url
            assert secret not in body(response), url
            assert marker("public") in body(response), url
        fiche = world["fiches"]["embargo"]
        assert client.get(f"/opvolging/toezeggingen/{fiche.natural_id}/1/").status_code == 404

    def test_the_commitment_page_of_an_invisible_fiche_answers_like_one_that_does_not_exist(self, client, world):
        client.force_login(world["users"][(ROLE_EDITOR, "other")])
        secret = client.get(f"/opvolging/toezeggingen/{world['fiches']['embargo'].natural_id}/1/")
        missing = client.get("/opvolging/toezeggingen/bestaat-niet/1/")
        assert secret.status_code == missing.status_code == 404
        assert normalised(secret, world["fiches"]["embargo"].natural_id) == normalised(missing, "bestaat-niet")

    @pytest.mark.parametrize(("role", "kind"), [(ROLE_EDITOR, "own"), (ROLE_READER, "own"), (ROLE_COORDINATOR, "other"), (ROLE_PUBLISHER, "other")])
    def test_its_own_ministry_and_the_roles_that_see_all_do_see_it(self, client, world, role, kind):
        client.force_login(world["users"][(role, kind)])
        assert marker("embargo") in body(client.get("/opvolging/"))
        assert marker("embargo") in body(client.get("/opvolging/rapportage/ezk/toezeggingen.csv"))
        assert marker("embargo") in body(client.get("/opvolging/cofinanciering.csv"))
        assert client.get(f"/opvolging/toezeggingen/{world['fiches']['embargo'].natural_id}/1/").status_code == 200

    def test_a_co_ministry_sees_the_embargoed_fiche_it_shares(self, client, world):
        client.force_login(world["users"][(ROLE_EDITOR, "own")])
        assert marker("embargoco") in body(client.get("/opvolging/rapportage/fin/"))

    def test_the_fiche_filter_does_not_list_another_ministrys_embargoed_fiche(self, client, world):
        client.force_login(world["users"][(ROLE_READER, "other")])
        response = client.get("/opvolging/", {"fiche": world["fiches"]["embargo"].natural_id})
        text = body(response)
        assert marker("embargo") not in text
        assert "Niet alle filters konden worden toegepast" in text
        assert "Fiche zqxstaff-public-q" in text  # the public fiche is a choice

    def test_once_the_embargo_ends_everybody_sees_it(self, client, world):
        Fiche.objects.filter(pk=world["fiches"]["embargo"].pk).update(public_from=timezone.now() - datetime.timedelta(minutes=1))
        client.force_login(world["users"][(ROLE_READER, "other")])
        assert marker("embargo") in body(client.get("/opvolging/"))


class TokenFeedTests:
    @pytest.fixture
    def world(self):
        return build_world()

    def test_an_all_ministries_token_of_another_ministrys_officer_carries_no_embargoed_items(self, client, world):
        token = CalendarToken.objects.create(user=world["users"][(ROLE_FOLLOW_UP, "other")])
        found = found_markers(body(client.get(token.get_absolute_url())))
        assert found == {"public"}

    def test_a_token_of_a_role_that_sees_all_still_carries_only_public_and_own_items(self, client, world):
        other = CalendarToken.objects.create(user=world["users"][(ROLE_COORDINATOR, "other")])
        own = CalendarToken.objects.create(user=world["users"][(ROLE_COORDINATOR, "own")])
        superuser = CalendarToken.objects.create(user=world["users"][("superuser", "none")])
        assert found_markers(body(client.get(other.get_absolute_url()))) == {"public"}
        assert found_markers(body(client.get(own.get_absolute_url()))) == {"public", "embargo", "embargoco"}
        assert found_markers(body(client.get(superuser.get_absolute_url()))) == {"public"}

    def test_a_token_stops_carrying_embargoed_items_when_its_owner_leaves_the_ministry(self, client, world):
        user = world["users"][(ROLE_FOLLOW_UP, "own")]
        token = CalendarToken.objects.create(user=user)
        assert "embargo" in found_markers(body(client.get(token.get_absolute_url())))
        world["ministries"]["ezk"].members.remove(user)
        assert found_markers(body(client.get(token.get_absolute_url()))) == {"public"}

    @pytest.mark.parametrize("change", [{"is_staff": False}, {"is_active": False}])
    def test_a_token_of_a_user_who_is_no_longer_active_staff_gets_404(self, client, world, change):
        user = world["users"][(ROLE_FOLLOW_UP, "own")]
        token = CalendarToken.objects.create(user=user)
        assert client.get(token.get_absolute_url()).status_code == 200
        type(user).objects.filter(pk=user.pk).update(**change)
        response = client.get(token.get_absolute_url())
        assert response.status_code == 404
        assert not found_markers(body(response))

    def test_tokens_are_long_random_and_url_safe(self, world):
        user = world["users"][(ROLE_FOLLOW_UP, "own")]
        tokens = [CalendarToken.objects.create(user=user).token for _ in range(3)]
        assert len(set(tokens)) == 3
        assert all(re.fullmatch(r"[A-Za-z0-9_-]{43}", token) for token in tokens)  # secrets.token_urlsafe(32): 256 bits

    def test_the_token_page_says_what_a_feed_shows_and_who_can_read_it(self, client, world):
        client.force_login(world["users"][(ROLE_FOLLOW_UP, "own")])
        text = body(client.get(reverse("followup:calendar_tokens")))
        assert "toezeggingen uit openbare fiches" in text
        assert "nog niet openbare fiches (bijvoorbeeld onder embargo) van uw eigen ministeries" in text
        assert "Iedereen die de link heeft, kan deze agenda lezen zonder in te loggen." in text


class ReminderScopeTests:
    """A reminder mail is read outside the site: it must keep to the same rule."""

    @pytest.fixture
    def setting(self):
        ezk, fin = b.ezk(), b.fin()
        soon = timezone.localdate() + datetime.timedelta(days=5)
        embargoed = b.fiche(title=f"Fiche {marker('embargo')}", lead_ministry=ezk, public_from=timezone.now() + datetime.timedelta(days=30))
        b.commitment(embargoed, summary=f"Toezegging {marker('embargo')}", due_date=soon, ministry=fin)  # FIN must act, EZK leads
        b.commitment(b.fiche(lead_ministry=ezk), summary=f"Toezegging {marker('public')}", due_date=soon, ministry=fin)
        return {"ezk": ezk, "fin": fin, "fiche": embargoed}

    def run(self):
        mail.outbox.clear()
        from followup.reminders import send_reminders

        send_reminders()
        return {m.to[0]: found_markers(m.body + m.alternatives[0][0]) for m in mail.outbox}

    def test_an_officer_of_another_ministry_is_not_told_about_an_embargoed_fiche(self, setting):
        b.staff("fin-opvolger", ministries=[setting["fin"]])
        assert self.run() == {"fin-opvolger@minezk.nl": {"public"}}

    def test_the_same_officer_is_reminded_once_the_embargo_ends(self, setting):
        b.staff("fin-opvolger", ministries=[setting["fin"]])
        self.run()
        Fiche.objects.filter(pk=setting["fiche"].pk).update(public_from=timezone.now() - datetime.timedelta(minutes=1))
        assert self.run() == {"fin-opvolger@minezk.nl": {"embargo"}}

    def test_an_officer_of_a_co_ministry_or_who_sees_all_is_reminded(self, setting):
        setting["fiche"].co_ministries.add(setting["fin"])
        b.staff("fin-opvolger", ministries=[setting["fin"]])
        assert self.run() == {"fin-opvolger@minezk.nl": {"public", "embargo"}}

    def test_the_digest_costs_no_query_per_recipient_while_nothing_is_under_embargo(self, setting, django_assert_max_num_queries):
        Fiche.objects.filter(pk=setting["fiche"].pk).update(public_from=None)
        officers = [b.staff(f"fin-opvolger-{i}", ministries=[setting["fin"]]) for i in range(5)]
        users = list(type(officers[0]).objects.filter(pk__in=[o.pk for o in officers]).prefetch_related("ministries"))
        with django_assert_max_num_queries(8):
            digests = build_digests(timezone.localdate(), users)
        assert len(digests) == 5
