"""sitemap.xml: published fiches, dossiers of published documents and the static public pages.

Every item comes from a ``published()`` queryset, like any other public read. Each page is listed in Dutch
and in English (``/en/...``), each entry naming both with ``hreflang`` alternates and the Dutch one as
``x-default``; the API documentation has one URL for both languages and is listed once.
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
# Pages with one URL for every language (the language is the reader's preference there): listed once.
ONE_URL_PAGES = {"api:index"}


class BothLanguages:
    """Each item in Dutch and English, with alternates (the URLs come from ``reverse`` in each language)."""

    i18n = True
    alternates = True
    x_default = True


class StaticPageSitemap(BothLanguages, Sitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return [name for name in STATIC_PAGES if name not in ONE_URL_PAGES]

    def location(self, name):
        return reverse(name)


class OneUrlPageSitemap(StaticPageSitemap):
    i18n = alternates = x_default = False

    def items(self):
        return [name for name in STATIC_PAGES if name in ONE_URL_PAGES]


class FicheSitemap(BothLanguages, Sitemap):
    changefreq = "monthly"
    priority = 0.8
    limit = 10000  # entries: 5,000 fiches in two languages

    def items(self):
        return selectors.fiches().only("kamerstuk", "updated_at").order_by("kamerstuk")

    def lastmod(self, fiche):
        return fiche.updated_at


class DossierSitemap(BothLanguages, Sitemap):
    changefreq = "weekly"
    priority = 0.7
    limit = 10000  # entries: 5,000 dossiers in two languages

    def items(self):
        return selectors.documents().only("doc_type", "year", "number").order_by("doc_type", "year", "number")


SITEMAPS = {"pages": StaticPageSitemap, "api": OneUrlPageSitemap, "fiches": FicheSitemap, "dossiers": DossierSitemap}
