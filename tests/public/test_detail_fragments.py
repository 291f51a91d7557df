"""The fiche page's body and the dossier page's heading and body are cached per content version, page and
language (issue 17): a cached page is the page rendered afresh, in each language, and the first request
after any write shows the write, also when it changed another row than the page's own (a cited fiche
withdrawn, a ministry renamed, a commitment's status, a related document's fiche published)."""

import datetime
import re

import pytest
from django.core.cache import cache

from positions.models import Commitment, Fiche, Footnote
from proposals.models import DocumentRelation, Ministry

from . import pages_data as data

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return CSRF.sub('name="csrfmiddlewaretoken" value=""', response.content.decode())


def fresh(client, url):
    cache.clear()
    return get(client, url)


def cited_fiche_world():
    cited = data.fiche(kamerstuk="22112-3950", title="Het geciteerde fiche")
    fiche = data.fiche(title="Fiche met fragment", sections=[("essence", "Essentie voorstel", "Zie Kamerstuk 22 112, nr. 3950.[^1]")])
    Footnote.objects.create(fiche=fiche, number=1, text="COM(2024) 28")
    commitment = data.commitment(fiche, status=Commitment.Status.OPEN, summary="Brief aan de Kamer")
    return fiche, cited, commitment


class FichePageFragmentTests:
    @pytest.mark.parametrize("prefix", ["", "/en"])
    def test_a_cached_page_is_the_page_rendered_afresh_in_each_language(self, client, prefix):
        fiche, _cited, _commitment = cited_fiche_world()
        dutch = fiche.get_absolute_url()  # before any English request: a URL follows the active language
        url, other = prefix + dutch, ("/en" if not prefix else "") + dutch
        first = fresh(client, url)
        assert get(client, url) == first  # from the cache
        assert "Fiche met fragment" in first and "Brief aan de Kamer" in first and 'class="cite cite-ours"' in first
        assert get(client, other) != first  # the other language never gets this language's fragment
        assert get(client, other) == fresh(client, other)

    def test_the_cached_page_costs_the_content_version_only(self, client, django_assert_num_queries):
        fiche, _cited, _commitment = cited_fiche_world()
        get(client, fiche.get_absolute_url())
        with django_assert_num_queries(1):  # the fiche's number, title and body come from the cache
            get(client, fiche.get_absolute_url())

    def test_a_fiche_taken_back_or_renamed_shows_so_at_the_next_request(self, client):
        fiche, _cited, _commitment = cited_fiche_world()
        url = fiche.get_absolute_url()
        assert client.get(url).status_code == 200
        Fiche.objects.filter(pk=fiche.pk).update(title="Een nieuwe titel")
        assert "<title>Een nieuwe titel · fichetracker</title>" in get(client, url)
        Fiche.objects.filter(pk=fiche.pk).update(status=Fiche.Status.DRAFT)
        assert client.get(url).status_code == 404
        assert client.get(url).status_code == 404  # a cached "not published" too
        Fiche.objects.filter(pk=fiche.pk).update(status=Fiche.Status.PUBLISHED)
        assert client.get(url).status_code == 200

    def test_a_write_to_other_rows_shows_at_the_next_request(self, client):
        fiche, cited, commitment = cited_fiche_world()
        url = fiche.get_absolute_url()
        assert 'href="/fiches/22112-3950/" class="cite cite-ours"' in get(client, url)
        Fiche.objects.filter(pk=cited.pk).update(status=Fiche.Status.DRAFT)  # the cited fiche is taken back: no longer public
        body = get(client, url)
        assert "/fiches/22112-3950/" not in body and "kst-22112-3950.html" in body
        assert body == fresh(client, url)

        Commitment.objects.filter(pk=commitment.pk).update(status=Commitment.Status.FULFILLED, evidence_reference="Kamerstuk 22 112, nr. 3942")
        assert "status-fulfilled" in get(client, url)

        Ministry.objects.filter(pk=fiche.lead_ministry_id).update(name="Ministerie met een nieuwe naam")
        assert "Ministerie met een nieuwe naam" in get(client, url)

        newer = data.fiche(title="De herziening", revises=fiche, is_revision=True)
        body = get(client, url)
        assert "Dit fiche is herzien door" in body and newer.get_absolute_url() in body

    def test_a_fiche_taken_back_answers_404_at_once_though_its_body_was_cached(self, client):
        fiche, _cited, _commitment = cited_fiche_world()
        get(client, fiche.get_absolute_url())
        Fiche.objects.filter(pk=fiche.pk).update(status=Fiche.Status.DRAFT)
        assert client.get(fiche.get_absolute_url()).status_code == 404


class DossierPageFragmentTests:
    def world(self):
        doc = data.document(year=2024, number=28)
        fiche = data.fiche(documents=[doc, data.document(year=2024, number=29)], title="Fiche over het dossier")
        data.commitment(fiche, status=Commitment.Status.FULFILLED, evidence_date=datetime.date(2024, 5, 8), summary="Geleverd")
        related = data.document(year=2024, number=30, title="Een verwant voorstel")
        return doc, fiche, related

    @pytest.mark.parametrize("prefix", ["", "/en"])
    def test_a_cached_page_is_the_page_rendered_afresh_in_each_language(self, client, prefix):
        doc, _fiche, _related = self.world()
        dutch = doc.get_absolute_url()
        url, other = prefix + dutch, ("/en" if not prefix else "") + dutch
        first = fresh(client, url)
        assert get(client, url) == first
        assert "Fiche over het dossier" in first and "Geleverd" in first and 'id="tijdlijn"' in first and "COM(2024) 29" in first
        assert get(client, other) != first
        assert get(client, other) == fresh(client, other)

    def test_the_cached_page_costs_the_content_version_only_and_carries_no_csrf_token(self, client, django_assert_num_queries):
        doc, _fiche, _related = self.world()
        client.get(doc.get_absolute_url())
        with django_assert_num_queries(1):
            one = client.get(doc.get_absolute_url())
        two = client.get(doc.get_absolute_url())
        # The e-mail sign-up is a link to its own page (no form, no token, no cookie), outside the fragments.
        assert one.content == two.content and not one.cookies and not two.cookies
        assert not CSRF.search(one.content.decode()) and f"/volgen/?kind=dossier&amp;document={doc.slug}" in one.content.decode()

    def test_a_write_to_other_rows_shows_at_the_next_request(self, client):
        doc, fiche, related = self.world()
        url = doc.get_absolute_url()
        assert "Een verwant voorstel" not in get(client, url)
        DocumentRelation.objects.create(source=doc, target=related, kind=DocumentRelation.Kind.AMENDS)
        body = get(client, url)
        assert "Een verwant voorstel" in body and "(dit document: wijzigt)" in body and body == fresh(client, url)

        Commitment.objects.filter(fiche=fiche).update(summary="Anders geleverd")
        body = get(client, url)
        assert "Anders geleverd" in body and body == fresh(client, url)

        # The related document is public as long as ours is assessed in a published fiche; without that fiche neither is.
        Fiche.objects.filter(pk=fiche.pk).update(status=Fiche.Status.DRAFT)
        assert client.get(url).status_code == 404
        assert client.get(related.get_absolute_url()).status_code == 404

    def test_a_document_no_longer_public_answers_404_at_once_though_it_was_cached(self, client):
        doc, fiche, _related = self.world()
        get(client, doc.get_absolute_url())
        Fiche.objects.filter(pk=fiche.pk).update(status=Fiche.Status.DRAFT)
        assert client.get(doc.get_absolute_url()).status_code == 404
