"""Hostile values in the path of every public page and API route answer 404 or 400, never a server error.

Each parameter of each route (Kamerstuk numbers, Commission references, CELEX numbers, programme codes,
positions, export formats) gets NUL bytes, 10,000-character values, non-ASCII text, dot segments and
numbers too large for the database, on SQLite and PostgreSQL (psycopg refuses NUL in strings; PostgreSQL
refuses integers out of range). The routes are read from the URLconf, so a new public route is covered
without editing this file. The follow-up routes are tested with follow-up.
"""

import re
from urllib.parse import quote, unquote

import pytest

from . import outputs_builders as build

pytestmark = pytest.mark.django_db

PUBLIC_NAMESPACES = ("public:", "api:")
# Route-level names outside a namespace that are public too (parameterless; hostile tails are appended).
TOP_LEVEL = ("healthz", "sitemap", "robots")

HOSTILE = {
    "nul": "\x00",
    "nul-in-kamerstuk": "22112-3908\x00",
    "nul-in-reference": "com-2025-100\x00",
    "nul-in-celex": "52025DC0100\x00",
    "control": "22112-\x01\x1f\x7f",
    "overlong": "a" * 10_000,
    "overlong-digits": "9" * 10_000,
    "overlong-kamerstuk": "22112-" + "9" * 10_000,
    "overlong-dossier": "9" * 10_000 + "-1",
    "overlong-reference": "com-2025-" + "9" * 10_000,
    "reference-year-out-of-range": "com-99999999999-1",
    "reference-number-out-of-range": "com-2025-99999999999999999999",
    "kamerstuk-out-of-range": "99999999999999999999-99999999999999999999",
    "celex-out-of-range": "5" + "9" * 40 + "DC" + "9" * 40,
    "non-ascii": "fiché-€-ü",
    "emoji": "\U0001f600",
    "right-to-left": "\u202e8093-21122",
    "fullwidth-digits": "２２１１２-３９０８",
    "dots": "..",
    "dot-dot-slash": "../..",
    "encoded-dots": "%2e%2e",
    "double-encoded-nul": "%2500",
    "backslash": "..\\..\\windows",
    "sql": "' OR 1=1 --",
    "percent": "%",
    "html": "<script>alert(1)</script>",
}


def _fill(route, values):
    """A concrete path for ``route`` (path() syntax or re_path regex) with ``values`` for its parameters."""
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: values[m.group(1)], route)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], path)
    return "/" + path.replace("^", "").replace("$", "").replace("\\.", ".")


def _parameters(route):
    return re.findall(r"<(?:\w+:)?(\w+)>", route) + re.findall(r"\(\?P<(\w+)>", route)


def public_routes():
    return [(name, route) for name, route in build.route_names() if name.startswith(PUBLIC_NAMESPACES) or name in TOP_LEVEL]


ROUTES = public_routes()
VALID = {"kamerstuk": None, "reference": None, "celex": None, "position": "1", "programme_code": "DIGITAL", "fmt": "csv", "rest": "x/"}


def _cases():
    for name, route in ROUTES:
        parameters = _parameters(route)
        if not parameters:
            for label in ("nul", "overlong", "dots", "non-ascii"):
                yield pytest.param(name, route, None, label, id=f"{name}-tail-{label}")
        for parameter in parameters:
            for label in HOSTILE:
                yield pytest.param(name, route, parameter, label, id=f"{name}-{parameter}-{label}")


def test_every_public_route_parameter_has_a_valid_value_to_vary_from():
    unknown = {p for _name, route in ROUTES for p in _parameters(route)} - set(VALID)
    assert not unknown, f"Add a valid value for these route parameters to VALID: {sorted(unknown)}"
    assert {"public:fiche_detail", "public:document_detail", "api:cofinancing_detail", "api:document_by_celex"} <= {n for n, _r in ROUTES}


@pytest.fixture
def world(db):
    fiche = build.published_world(1)[0]
    document = fiche.documents.first()
    return {**VALID, "kamerstuk": fiche.kamerstuk, "reference": document.slug, "celex": document.celex}


@pytest.mark.parametrize(("name", "route", "parameter", "label"), list(_cases()))
def test_a_hostile_path_answers_not_found_or_bad_request(client, world, name, route, parameter, label):
    hostile = HOSTILE[label]
    if parameter is None:
        path = _fill(route, world).rstrip("/") + "/" + quote(hostile, safe="%") + "/"  # with the slash APPEND_SLASH would add
    else:
        path = _fill(route, {**world, parameter: quote(hostile, safe="%/")})
    response = client.get(path)
    if response.status_code == 301 and unquote(response.url) == unquote(path) + "/":
        response = client.get(response.url)  # CommonMiddleware's APPEND_SLASH; the slashed path must be refused
    assert response.status_code in (400, 404), (name, parameter, label, response.status_code, response.get("Location"))
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"Traceback" not in body


def test_the_valid_paths_the_cases_vary_from_answer(client, world):
    """The hostile cases start from working URLs, so a 404 means the hostile part was refused."""
    for name, route in ROUTES:
        if name == "api:not_found":
            continue
        response = client.get(_fill(route, world))
        assert response.status_code == 200, (name, response.status_code)
