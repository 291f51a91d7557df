import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from public.sitemaps import ONE_URL_PAGES, STATIC_PAGES

from . import outputs_builders as build

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_locations(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own response, in a test
    return [loc.text for loc in root.iter(f"{SITEMAP}loc")]


class SitemapTests:
    def test_the_sitemap_lists_published_fiches_their_dossiers_and_the_static_pages(self, client):
        published = build.published_world(2)
        build.unpublished_world()
        locations = sitemap_locations(client)
        for fiche in published:
            assert f"http://testserver{fiche.get_absolute_url()}" in locations
            assert f"http://testserver{fiche.documents.get().get_absolute_url()}" in locations
            assert f"http://testserver/en{fiche.get_absolute_url()}" in locations
        for name in STATIC_PAGES:
            assert f"http://testserver{reverse(name)}" in locations
        # every page in Dutch and in English, except the API documentation (one URL for both languages)
        assert len(locations) == 2 * (2 + 2 + len(STATIC_PAGES) - len(ONE_URL_PAGES)) + len(ONE_URL_PAGES)

    def test_every_public_page_without_parameters_is_in_the_sitemap(self):
        html_pages = {
            name for name, route in build.route_names()
            if name.split(":")[0] == "public" and "<" not in route and "(" not in route and not route.startswith("feeds/")
            and not route.endswith((".json", ".jsonld", ".csv", ".xml", ".txt", ".ics"))
        }
        # The API's JSON lists and the DCAT catalogue are data, not pages; the API's human description is.
        assert html_pages | {"api:index"} == set(STATIC_PAGES)

    def test_the_sitemap_query_count_does_not_grow_with_the_number_of_fiches(self, client, django_assert_num_queries):
        for size in (2, 6):
            build.published_world(size)
            with django_assert_num_queries(2):  # the fiches, the documents (each list read once for both languages)
                client.get("/sitemap.xml")


class RobotsTests:
    def test_robots_allows_the_site_disallows_the_admin_and_points_to_the_sitemap(self, client):
        response = client.get("/robots.txt")
        assert response.status_code == 200
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        lines = response.content.decode().splitlines()
        assert "User-agent: *" in lines
        assert "Allow: /" in lines
        assert "Disallow: /admin/" in lines
        assert "Disallow: /" not in lines
        assert "Sitemap: http://testserver/sitemap.xml" in lines
