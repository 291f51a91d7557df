"""Rows of the public lists are cached by what they show (public/rows.py): never stale, never another language's."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.template import loader
from django.test.utils import CaptureQueriesContext

from positions.models import Fiche, Verdict
from public import rows

from . import pages_data as data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def article(body):
    return re.search(r'<article class="fiche-row">.*?</article>', body, re.S).group(0)


def row_renders(monkeypatch):
    """Counts the renders of a row's cached part."""
    rendered = []
    original = loader.get_template

    def counting(name, *args, **kwargs):
        template = original(name, *args, **kwargs)
        if name == "includes/fiche_row_head.html":
            class Counting:
                def render(self, context):
                    rendered.append(context["row"]["url"])
                    return template.render(context)
            return Counting()
        return template

    monkeypatch.setattr(rows, "get_template", counting)
    return rendered


def test_a_row_is_rendered_once_and_then_read_from_the_cache(client, monkeypatch):
    fiche = data.fiche(title="Fiche over spoorwegen")
    rendered = row_renders(monkeypatch)
    first = client.get("/fiches/").content.decode()
    assert rendered == [fiche.get_absolute_url()]
    second = client.get("/fiches/?sort=oldest").content.decode()  # another list, the same row
    assert rendered == [fiche.get_absolute_url()]
    assert "Fiche over spoorwegen" in first and "Fiche over spoorwegen" in second
    client.get("/")  # the home page's newest fiches use the same fragments
    assert rendered == [fiche.get_absolute_url()]


def test_a_changed_fiche_shows_its_new_facts_at_once(client):
    fiche = data.fiche(title="Oude titel", verdict=Verdict.POSITIVE)
    assert "Oude titel" in client.get("/fiches/").content.decode()
    Fiche.objects.filter(pk=fiche.pk).update(title="Nieuwe titel", competence=Verdict.NEGATIVE)  # no signal, no save(): the key alone tells
    body = client.get("/fiches/").content.decode()
    assert "Nieuwe titel" in body and "Oude titel" not in body
    assert "Bevoegdheid: negatief" in body


def test_a_renamed_ministry_shows_in_every_row_of_it(client):
    fiche = data.fiche(ministry="ezk")
    assert "Economische Zaken en Klimaat" in client.get("/fiches/").content.decode()
    ministry = fiche.lead_ministry
    ministry.name, ministry.abbreviation = "Ministerie van Klimaat en Groene Groei", "KGG"
    ministry.save()
    body = client.get("/fiches/").content.decode()
    assert 'title="Klimaat en Groene Groei">KGG</abbr>' in body
    assert 'title="Economische Zaken en Klimaat"' not in body


def test_each_language_has_its_own_row(client):
    fiche = data.fiche(title="Fiche over waterstof", verdict=Verdict.NEGATIVE)
    dutch = client.get("/fiches/").content.decode()
    english = client.get("/en/fiches/").content.decode()
    dutch_again = client.get("/fiches/").content.decode()
    assert "Bevoegdheid: negatief" in dutch and article(dutch) == article(dutch_again)
    assert f'href="/en/fiches/{fiche.kamerstuk}/" lang="nl">Fiche over waterstof</a>' in english
    assert "Competence: negative" in english and "Bevoegdheid" not in english
    assert f'href="/fiches/{fiche.kamerstuk}/">Fiche over waterstof</a>' in dutch


def test_a_search_snippet_stays_out_of_the_cached_row(client):
    data.fiche(title="Fiche over havens", sections=[("essence", "Essentie voorstel", "De Commissie wil zeehavens verduurzamen.")])
    data.fiche(title="Fiche over havens en spoor", sections=[("essence", "Essentie voorstel", "Spoorwegen en binnenvaart.")])
    first = client.get("/fiches/?q=zeehavens").content.decode()
    second = client.get("/fiches/?q=binnenvaart").content.decode()
    assert "verduurzamen" in first and "verduurzamen" not in second
    assert "<mark>binnenvaart</mark>" in second or "<mark>Binnenvaart</mark>" in second


def test_the_rows_cost_one_cache_read_and_no_query(client):
    for _ in range(3):
        data.fiche()
    client.get("/fiches/")
    fiches = list(Fiche.objects.published().select_related("lead_ministry"))
    with CaptureQueriesContext(connection) as queries:
        rows.fiche_rows(fiches)
    assert len(queries) == 0


def test_a_commitment_row_shows_its_new_status_and_fiche_title_at_once(client):
    from positions.models import Commitment

    fiche = data.fiche(title="Fiche over batterijen")
    commitment = data.commitment(fiche, summary="Het kabinet zal rapporteren", status=Commitment.Status.OPEN)
    body = client.get("/toezeggingen/").content.decode()
    assert "Het kabinet zal rapporteren" in body and "Fiche over batterijen" in body
    Commitment.objects.filter(pk=commitment.pk).update(status=Commitment.Status.FULFILLED, evidence_reference="Kamerstuk 22 112, nr. 4000")
    Fiche.objects.filter(pk=fiche.pk).update(title="Fiche over accu's")
    body = client.get("/toezeggingen/").content.decode()
    assert "Fiche over batterijen" not in body and "Fiche over accu&#x27;s" in body
    assert "Kamerstuk 22 112, nr. 4000" in body and "<dt>Termijn</dt>" in body
    english = client.get("/en/toezeggingen/").content.decode()
    assert "<dt>Deadline</dt>" in english and "<dt>Termijn</dt>" not in english
