"""A public list asked for again is served whole from the cache (public.views.render_listing): its filters, count,
rows and page links rendered once per content version, address and language. Never stale after a write, never
another language's, never anything of the reader who filled it."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model

from positions.models import Commitment, Fiche

from . import pages_data as data

pytestmark = pytest.mark.django_db


def title(body):
    return re.search(r"<title>(.*?)</title>", body, re.S).group(1)


def test_a_list_asked_for_again_costs_only_the_content_version_and_shows_the_next_write(client, django_assert_num_queries):
    data.fiche(title="Fiche over zeehavens")
    first = client.get("/fiches/").content.decode()
    assert "Fiche over zeehavens" in first
    with django_assert_num_queries(1):  # the content version: everything else is the cached list
        assert client.get("/fiches/").content.decode() == first
    data.fiche(title="Fiche over binnenvaart")
    after = client.get("/fiches/").content.decode()
    assert "Fiche over binnenvaart" in after and "Fiche over zeehavens" in after
    assert "2 fiches gevonden" in after


def test_a_draft_stays_out_of_a_cached_list_until_it_is_published(client):
    data.fiche(title="Fiche over zeehavens")
    assert "1 fiche gevonden" in client.get("/fiches/", {"q": "zeehavens"}).content.decode()
    draft = data.fiche(title="Concept over zeehavens", published=False)
    listed = client.get("/fiches/", {"q": "zeehavens"}).content.decode()
    assert "Concept over zeehavens" not in listed and "1 fiche gevonden" in listed
    Fiche.objects.filter(pk=draft.pk).update(status=Fiche.Status.PUBLISHED, kamerstuk="22112-7999", sent_on=datetime.date(2024, 2, 20))
    listed = client.get("/fiches/", {"q": "zeehavens"}).content.decode()
    assert "Concept over zeehavens" in listed and "2 fiches gevonden" in listed


def test_the_title_still_names_invalid_filters_when_the_list_comes_from_the_cache(client):
    data.fiche()
    for _ in range(2):
        body = client.get("/fiches/", {"year": "twintig"}).content.decode()
        assert title(body).startswith("Fout in de filters")
        assert "Er worden geen resultaten getoond zolang een filter een ongeldige waarde heeft." in body
    assert not title(client.get("/fiches/").content.decode()).startswith("Fout")
    for url in ("/toezeggingen/", "/voorstellen/"):
        for _ in range(2):
            assert title(client.get(url, {"ministry": "bestaat-niet"} if "toez" in url else {"year": "x"}).content.decode()).startswith(
                "Fout in de filters"), url


def test_each_language_has_its_own_list(client):
    data.fiche(title="Fiche over waterstof", sections=[("essence", "Essentie voorstel", "Waterstof in de industrie.")])
    dutch = client.get("/fiches/", {"q": "waterstof"}).content.decode()
    english = client.get("/en/fiches/", {"q": "waterstof"}).content.decode()
    assert client.get("/fiches/", {"q": "waterstof"}).content.decode() == dutch
    assert "Gepubliceerde fiches" in dutch and "Gepubliceerde fiches" not in english
    # Dutch text on an English page says it is Dutch, in the rows and the search snippets alike.
    assert '<p class="snippet" lang="nl">' in english and '<p class="snippet">' in dutch


def test_the_cached_list_holds_nothing_of_the_reader_who_filled_it(client):
    data.fiche(title="Fiche over zeehavens")
    editor = get_user_model().objects.create_user("redacteur-zeehavens", password="een-lang-wachtwoord-1", is_staff=True)
    client.force_login(editor)
    signed_in = client.get("/fiches/").content.decode()
    client.logout()
    anonymous = client.get("/fiches/").content.decode()
    assert "Fiche over zeehavens" in anonymous
    assert "redacteur-zeehavens" not in anonymous
    assert "csrfmiddlewaretoken" not in anonymous and "csrftoken" not in client.cookies
    # The list itself is the same for both; only the page around it may differ.
    listing = re.compile(r"<h1>.*</section>\s*</div>", re.S)
    assert listing.search(anonymous).group(0) == listing.search(signed_in).group(0)


def test_the_commitment_list_shows_a_status_change_at_once(client, django_assert_num_queries):
    fiche = data.fiche(title="Fiche over spoorwegen")
    commitment = data.commitment(fiche, summary="De Kamer informeren over spoorwegen")
    first = client.get("/toezeggingen/", {"status": "open"}).content.decode()
    assert "De Kamer informeren over spoorwegen" in first
    with django_assert_num_queries(1):
        assert client.get("/toezeggingen/", {"status": "open"}).content.decode() == first
    Commitment.objects.filter(pk=commitment.pk).update(status=Commitment.Status.FULFILLED, evidence_reference="Kamerstuk 22 112, nr. 3942")
    assert "De Kamer informeren over spoorwegen" not in client.get("/toezeggingen/", {"status": "open"}).content.decode()
    assert "De Kamer informeren over spoorwegen" in client.get("/toezeggingen/", {"status": "fulfilled"}).content.decode()
