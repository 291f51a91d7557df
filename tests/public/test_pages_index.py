"""The index pages (/voorstellen/, /feeds/) and the 500 page, which must render with the database down."""

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

from tests.database import database_at_closed_port

from . import pages_data as data


@pytest.mark.django_db
class DocumentListTests:
    def test_it_lists_documents_of_published_fiches_newest_first_with_their_fiche(self, client):
        older = data.fiche(title="Oud", year=2022)
        newer = data.fiche(title="Nieuw", year=2024)
        data.fiche(published=False, title="Geheim", year=2025)
        body = client.get("/voorstellen/").content.decode()
        old_doc, new_doc = older.documents.get(), newer.documents.get()
        assert body.index(new_doc.reference) < body.index(old_doc.reference)
        assert f'<a href="{newer.get_absolute_url()}">{newer.kamerstuk_display}</a>' in body
        assert "COM(2025)" not in body and "2 documenten gevonden" in body

    def test_it_filters_by_year_kind_and_title_or_reference(self, client):
        from proposals.models import CommissionDocument

        a = data.fiche(year=2023, documents=[data.document(year=2023, title="Verordening over batterijen", kind=CommissionDocument.Kind.REGULATION)])
        b = data.fiche(year=2024)
        ref_a, ref_b = a.documents.get().reference, b.documents.get().reference
        for query, shown, hidden in [({"year": "2023"}, ref_a, ref_b), ({"kind": "regulation"}, ref_a, ref_b),
                                     ({"q": "batterijen"}, ref_a, ref_b), ({"q": ref_b}, ref_b, ref_a)]:
            body = client.get("/voorstellen/", query).content.decode()
            assert shown in body and hidden not in body, query
        assert '<option value="2023">2023 (1)</option>' in client.get("/voorstellen/").content.decode()

    def test_invalid_filters_say_what_is_wrong(self, client):
        data.fiche()
        body = client.get("/voorstellen/", {"year": "1800", "q": "x" * 150}).content.decode()
        assert "Kies een jaar uit de lijst; &#x27;1800&#x27; komt in de gepubliceerde fiches niet voor." in body
        assert "Zoek met hoogstens 100 tekens; deze zoekopdracht telt er 150." in body

    def test_pages_are_numbered(self, client):
        docs = [data.document(year=2024) for _ in range(27)]
        data.fiche(documents=docs)
        body = client.get("/voorstellen/", {"page": "2"}).content.decode()
        assert "26-27 van 27 documenten" in body

    @pytest.mark.parametrize("size", [3, 12])
    def test_queries_do_not_grow_with_rows(self, client, django_assert_num_queries, size):
        data.world(size)
        # version, the year and kind menus (one query, which also counts the documents: the list's count), keys, rows,
        # their published fiches; then another address of the same list (the page named): version, rows, fiches; the
        # same address again: the version only (the rendered list is cached).
        with django_assert_num_queries(5):
            assert client.get("/voorstellen/").status_code == 200
        with django_assert_num_queries(3):
            assert client.get("/voorstellen/", {"page": "1"}).status_code == 200
        with django_assert_num_queries(1):
            assert client.get("/voorstellen/").status_code == 200


@pytest.mark.django_db
class FeedIndexTests:
    def test_it_explains_every_feed_with_a_feed_per_ministry_of_published_fiches(self, client):
        data.fiche(ministry="fin")
        data.fiche(published=False, ministry="ezk")
        body = client.get("/feeds/").content.decode()
        for url in ("/feeds/fiches/", "/feeds/voorstellen/com-2024-28/", "/agenda.ics", "/voorstellen/"):
            assert url in body
        assert '<a href="/feeds/fiches/?ministry=fin">Financiën</a>' in body
        assert "Economische Zaken" not in body


class ServerErrorPageTests:
    def test_the_500_page_renders_styled_in_dutch_with_the_database_down(self):
        request = RequestFactory().get("/fiches/")
        with database_at_closed_port() as down:
            response = server_error(request)
            assert down.connection is None  # nothing tried to query
        body = response.content.decode()
        assert response.status_code == 500
        assert '<html lang="nl">' in body and "<h1>Er ging iets mis</h1>" in body
        assert "/static/css/site.css" in body and '<a href="/fiches/">lijst van fiches</a>' in body

    def test_an_error_in_a_view_answers_with_the_styled_page(self, client, settings):
        settings.ROOT_URLCONF = "tests.public.failing_urls"
        client.raise_request_exception = False
        with database_at_closed_port():
            response = client.get("/kapot/")
        # A query on the way (middleware, template) would have raised and answered 503 instead.
        assert response.status_code == 500
        assert "Er ging iets mis" in response.content.decode()
