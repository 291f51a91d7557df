"""sitemap.xml: published fiches, dossiers of published documents and the static public pages.

Every item comes from a ``published()`` queryset, like any other public read.
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from . import selectors

# Public pages without parameters. The security test checks that every such route is listed here.
STATIC_PAGES = [
    "public:home",
    "public:fiche_list",
    "public:document_list",
    "public:commitment_list",
    "public:statistics",
    "public:about",
    "public:accessibility",
    "api:index",
]


class StaticPageSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return STATIC_PAGES

    def location(self, name):
        return reverse(name)


class FicheSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8
    limit = 5000

    def items(self):
        return selectors.fiches().only("kamerstuk", "updated_at").order_by("kamerstuk")

    def lastmod(self, fiche):
        return fiche.updated_at


class DossierSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.7
    limit = 5000

    def items(self):
        return selectors.documents().only("doc_type", "year", "number").order_by("doc_type", "year", "number")


SITEMAPS = {"pages": StaticPageSitemap, "fiches": FicheSitemap, "dossiers": DossierSitemap}
