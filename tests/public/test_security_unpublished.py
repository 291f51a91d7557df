"""Unpublished data never reaches a public surface.

Unpublished fiches in every state (draft, review, adopted, and published under a future embargo), the
documents only they assess, their commitments, status changes, cofinancing, ministry and Council
configuration all carry MARKER. Every public URL is requested, with and without filters and a search
for the marker's first word; the marker, the secret Kamerstuk numbers and document references must
never appear, and unpublished objects must answer exactly like objects that do not exist.

The routes come from the URLconf itself: a route that is neither requested here (``public_urls``) nor
listed as staff-only or not requested fails the first test, so a new public page cannot be forgotten.
"""

import html
import re
from urllib.parse import quote, urlencode

import pytest
from django.contrib.auth import get_user_model

from positions.models import Commitment, CommitmentStatusChange, Fiche
from proposals.references import display_kamerstuk
from tests import factories

from . import outputs_builders as build

pytestmark = pytest.mark.django_db

ALLOWED = {200, 301, 302, 404}
# The API answers invalid parameters with its documented 400 error JSON (a page would show a form error).
ALLOWED_API = {*ALLOWED, 400}


@pytest.fixture
def world():
    published = build.published_world(2)
    secrets = build.unpublished_world()
    revision = build.revising_fiche(secrets["draft"])
    unconfirmed = unconfirmed_commitment(published[1])
    # Outcomes of the ledger not yet published, on published fiches (one outcome a fiche): draft, in review, adopted.
    for fiche, status in zip([*published, revision], (Fiche.Status.DRAFT, Fiche.Status.REVIEW, Fiche.Status.ADOPTED), strict=True):
        build.secret_outcome(fiche, status=status)
    return {"published": [*published, revision], "secrets": secrets, "revision": revision, "unconfirmed": unconfirmed}


def unconfirmed_commitment(fiche):
    """A commitment read from an archive fiche and not yet confirmed, on a published fiche: it carries MARKER
    (with a fulfilled status change) and must stay off every public surface until a follow-up officer confirms it."""
    commitment = factories.commitment(
        fiche, position=90, quote=f"Citaat {build.MARKER} onbevestigd", summary=f"Toezegging {build.MARKER} onbevestigd",
        kind=Commitment.Kind.RAISE, section_key="position-assessment", confirmed=False,
        status=Commitment.Status.FULFILLED, evidence_reference="Kamerstuk 22 112, nr. 3950",
    )
    CommitmentStatusChange.objects.create(commitment=commitment, from_status=Commitment.Status.OPEN, to_status=Commitment.Status.FULFILLED,
                                          note=f"Wijziging {build.MARKER} onbevestigd", evidence_reference="Kamerstuk 22 112, nr. 3950")
    return commitment


def content(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def url_of(path, query):
    return f"{path}?{urlencode(query)}" if query else path


def secrets_in(text, world, path):
    """Every secret string found in ``text``, except those the request itself contains (its path or query values)."""
    found = [build.MARKER] if build.MARKER in text else []
    for fiche in world["secrets"].values():
        doc = fiche.documents.first()
        for secret in (fiche.kamerstuk, display_kamerstuk(fiche.kamerstuk), doc.reference, doc.slug, doc.celex):
            if secret in text and secret not in path:
                found.append(secret)
    return found


def normalised(text, path):
    """The body with the things that differ per request removed: the path (a 404 page may echo it in the
    language switch), the CSRF token and the CSP nonce."""
    for form in {path, quote(path), quote(path, safe=""), html.escape(path)}:
        text = text.replace(form, "<path>")
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken" value=""', text)
    return re.sub(r'nonce="[^"]*"', 'nonce=""', text)


class RouteCoverageTests:
    def test_every_route_of_the_urlconf_is_requested_by_this_test_or_listed_as_staff_only(self, world):
        covered = set(build.public_urls(world["published"], world["secrets"]))
        routes = build.route_names()
        names = {name for name, _route in routes}
        missing = sorted(n for n in names if n not in covered | build.STAFF_ROUTES | set(build.NOT_REQUESTED))
        assert not missing, f"Public routes not covered by the security tests (add them to public_urls): {missing}"
        stale = sorted((covered | build.STAFF_ROUTES | set(build.NOT_REQUESTED)) - names)
        assert not stale, f"Routes listed in the security tests that no longer exist: {stale}"


class UnpublishedDataTests:
    def test_no_public_url_reveals_unpublished_data(self, client, world):
        leaks, bad_status, requested = [], [], 0
        for name, urls in build.public_urls(world["published"], world["secrets"]).items():
            for path, query in urls:
                response = client.get(path, query)
                requested += 1
                if response.status_code not in (ALLOWED_API if name.startswith("api:") else ALLOWED):
                    bad_status.append((name, url_of(path, query), response.status_code))
                    continue
                text = content(response)
                # What the reader typed comes back in the search box: a secret that the request itself names is no leak
                # (a secret row in the results would still carry the marker in its title).
                asked = " ".join([path, *(str(value) for value in query.values())])
                if found := secrets_in(text, world, asked):
                    leaks.append((name, url_of(path, query), found))
                if response.status_code in (301, 302) and (found := secrets_in(response["Location"], world, path)):
                    leaks.append((name, url_of(path, query), found))
        assert not bad_status, bad_status
        assert not leaks, leaks
        assert requested > 100

    def test_lists_feeds_exports_and_the_api_show_the_published_rows(self, client, world):
        shown = world["published"][0]
        for url in ("/", "/fiches/", "/feeds/fiches/", "/fiches/export.csv", "/fiches/export.json", "/api/v1/fiches/", "/sitemap.xml"):
            assert shown.kamerstuk in content(client.get(url)) or shown.title in content(client.get(url)), url

    def test_the_document_index_lists_published_documents_and_no_secret_one(self, client, world):
        shown = world["published"][0].documents.first()
        text = content(client.get("/voorstellen/"))
        assert shown.reference in text
        for fiche in world["secrets"].values():
            doc = fiche.documents.first()
            assert doc.reference not in text and doc.slug not in text
            # Searched for by its exact reference, a secret document is simply not there.
            assert "0 documenten gevonden" in content(client.get("/voorstellen/", {"q": doc.reference}))

    def test_unpublished_objects_answer_exactly_like_objects_that_do_not_exist(self, client, world):
        pairs = []
        for fiche in world["secrets"].values():
            doc = fiche.documents.first()
            pairs += [
                (f"/fiches/{fiche.kamerstuk}/", "/fiches/22112-99999/"),
                (f"/voorstellen/{doc.slug}/", "/voorstellen/com-2031-9999/"),
                (f"/feeds/voorstellen/{doc.slug}/", "/feeds/voorstellen/com-2031-9999/"),
                (f"/api/v1/fiches/{fiche.kamerstuk}/", "/api/v1/fiches/22112-99999/"),
                (f"/api/v1/documents/{doc.slug}/", "/api/v1/documents/com-2031-9999/"),
                (f"/api/v1/documents/celex/{doc.celex}/", "/api/v1/documents/celex/52031DC9999/"),
                (f"/api/v1/commitments/{fiche.kamerstuk}/1/", "/api/v1/commitments/22112-99999/1/"),
                (f"/api/v1/cofinancing/{fiche.kamerstuk}/DIGITAL/", "/api/v1/cofinancing/22112-99999/DIGITAL/"),
            ]
        for secret_path, missing_path in pairs:
            secret, missing = client.get(secret_path), client.get(missing_path)
            assert secret.status_code == missing.status_code == 404, secret_path
            assert normalised(content(secret), secret_path) == normalised(content(missing), missing_path), secret_path
            assert secret["Content-Type"] == missing["Content-Type"]

    def test_a_published_revision_does_not_name_the_unpublished_fiche_it_revises(self, client, world):
        revision = world["revision"]
        draft = world["secrets"]["draft"]
        for url in (revision.get_absolute_url(), f"/api/v1/fiches/{revision.kamerstuk}/", "/fiches/export.csv", "/fiches/export.json"):
            text = content(client.get(url))
            assert draft.kamerstuk not in text and build.MARKER not in text, url

    def test_a_published_fiche_citing_unpublished_ones_links_to_the_official_publication_only(self, client, world):
        citing = build.citing_fiche(world["secrets"].values())
        text = content(client.get(citing.get_absolute_url()))
        for secret in world["secrets"].values():
            doc = secret.documents.first()
            # The citation is in the published text itself, so its number shows; our pages of it never do.
            assert f"https://zoek.officielebekendmakingen.nl/kst-{secret.kamerstuk}.html" in text
            assert f"uri=COM:{doc.year}:{doc.number:04d}:FIN" in text
            assert f"/fiches/{secret.kamerstuk}/" not in text and doc.get_absolute_url() not in text
            assert doc.celex not in text and secret.title not in text and doc.title not in text
        assert build.MARKER not in text
        assert "cite-ours" not in text

    def test_filter_choices_name_no_ministry_or_council_of_unpublished_fiches_only(self, client, world):
        for url in ("/fiches/", "/toezeggingen/"):
            text = content(client.get(url))
            assert "geheim" not in text.lower().replace(build.SEARCH_WORD, ""), url
            assert 'value="SECRET"' not in text, url

    def test_staff_routes_show_nothing_to_anonymous_readers(self, client, world):
        fiche = world["secrets"]["draft"]
        urls = {
            "followup:dashboard": "/opvolging/",
            "followup:commitment_detail": f"/opvolging/toezeggingen/{fiche.natural_id}/1/",
            "followup:report": "/opvolging/rapportage/geheim/",
            "followup:report_csv": "/opvolging/rapportage/geheim/toezeggingen.csv",
            "followup:report_cofinancing_csv": "/opvolging/rapportage/geheim/cofinanciering.csv",
            "followup:cofinancing_csv": "/opvolging/cofinanciering.csv",
            "followup:calendar_tokens": "/opvolging/agenda/",
            "followup:calendar_token_revoke": "/opvolging/agenda/1/intrekken/",
            "followup:staff_calendar": "/opvolging/agenda/not-a-token.ics",
            "followup:commitment_assign": f"/opvolging/toezeggingen/{fiche.natural_id}/1/houder/",
            "followup:bulk_status": "/opvolging/statuswijziging/",
        }
        assert set(urls) == build.STAFF_ROUTES
        for name, url in urls.items():
            response = client.get(url)
            assert response.status_code in (302, 403, 404, 405), (name, response.status_code)
            assert build.MARKER not in content(response), name

    def test_a_logged_in_editor_still_sees_only_published_data_on_public_pages(self, client, world):
        editor = get_user_model().objects.create_user("redacteur", password="een-lang-wachtwoord-1", is_staff=True)
        client.force_login(editor)
        for url in ("/fiches/", f"/fiches/{world['secrets']['draft'].kamerstuk}/", "/api/v1/fiches/", "/feeds/fiches/"):
            response = client.get(url, {"q": build.SEARCH_WORD} if url.endswith("s/") else {})
            assert build.MARKER not in content(response), url


class UnconfirmedCommitmentTests:
    def test_an_archive_commitment_is_public_only_once_a_follow_up_officer_confirmed_it(self, client, world):
        commitment = world["unconfirmed"]
        fiche = commitment.fiche
        urls = [fiche.get_absolute_url(), "/toezeggingen/", "/toezeggingen/export.csv", "/api/v1/commitments/",
                f"/api/v1/fiches/{fiche.kamerstuk}/", f"/api/v1/commitments/{fiche.kamerstuk}/90/"]
        for url in urls:
            assert commitment.summary not in content(client.get(url)), url
        assert client.get(f"/api/v1/commitments/{fiche.kamerstuk}/90/").status_code == 404
        # Its fiche's public commitment count leaves it out too (the API list record).
        record = next(r for r in client.get("/api/v1/fiches/").json()["results"] if r["id"] == fiche.kamerstuk)
        assert record["commitment_count"] == 2

        commitment.confirmed = True
        commitment.save()
        for url in urls:
            assert commitment.summary in content(client.get(url)), url
