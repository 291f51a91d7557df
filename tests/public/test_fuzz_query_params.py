"""Any query string on any public endpoint answers 200 (possibly with a form error), 301/302 or 404 (the
API: its documented 400 error JSON), never a server error. Hypothesis throws random and hostile
parameters at one URL of every public route; derandomized so CI runs the same examples every time."""

from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from . import outputs_builders as build

pytestmark = pytest.mark.django_db

KNOWN_KEYS = [
    "q", "page", "limit", "offset", "year", "council", "ministry", "document_kind", "template", "competence", "subsidiarity",
    "proportionality", "commitment_status", "status", "kind", "due", "due_after", "due_before", "type", "celex", "programme_code",
    "format", "next", "lang",
]
HOSTILE = [
    "", " ", "' OR 1=1 --", "\"; DROP TABLE positions_fiche; --", "<script>alert(1)</script>", "\x00", "a\x00b", "%00", "../../etc/passwd",
    "9" * 40, "-1", "0", "1e9", "NaN", "-0", "2024-02-30", "0000-00-00", "99999-12-31", "\U0001f600", "\u202egeheim", "\ud7ff", "a" * 3000,
    "[]", "{}", "null", "ezk\n", "COM(2024) 28", "positief", "open", "ECOFIN", "2025", "\\", "%", "_", "*", "&", "=",
]

values = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40), st.integers(min_value=-(2**70), max_value=2**70).map(str))
keys = st.one_of(st.sampled_from(KNOWN_KEYS), st.text(min_size=1, max_size=12))
query_strings = st.lists(st.tuples(keys, values), max_size=6).map(urlencode)

ROUTES = sorted(
    {
        "healthz", "public:home", "public:fiche_list", "public:fiche_detail", "public:commitment_list", "public:statistics",
        "public:about", "public:accessibility", "public:catalogue", "public:document_list", "public:feeds", "public:document_detail", "public:fiche_feed", "public:dossier_feed", "public:fiche_export",
        "public:commitment_export", "api:index", "api:openapi", "api:document_list", "api:document_detail", "api:document_by_celex",
        "api:fiche_list", "api:fiche_detail", "api:commitment_list", "api:commitment_detail", "api:cofinancing_list",
        "api:cofinancing_detail", "api:outcome_list", "public:outcome_export", "api:not_found", "sitemap", "robots", "followup:public_calendar", "followup:public_ministry_calendar",
        "alerts:subscribe", "alerts:subscribed", "alerts:manage_request", "alerts:privacy",
    }
)


def test_the_fuzzed_routes_are_every_public_route(db):
    published, secrets = build.published_world(1), build.unpublished_world()
    assert set(ROUTES) == set(build.public_urls(published, secrets))


@pytest.mark.parametrize("name", ROUTES)
def test_no_query_string_causes_a_server_error(client, name):
    published, secrets = build.published_world(1), build.unpublished_world()
    path = build.public_urls(published, secrets)[name][0][0]
    allowed = {200, 301, 302, 404} | ({400} if name.startswith("api:") else set())

    @settings(max_examples=10, derandomize=True, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(query=query_strings)
    def check(query):
        response = client.get(f"{path}?{query}")
        assert response.status_code in allowed, (path, query, response.status_code)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert build.MARKER.encode() not in body

    check()
