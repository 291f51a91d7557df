from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView

from fichetracker.health import healthz
from public.sitemaps import SITEMAPS

# One URL for every language, where the language is the reader's preference (cookie, then Accept-Language;
# common.language): the admin, the staff pages, the API, the calendar downloads and the alert pages (their
# mails carry links made outside any request, so one URL keeps them working in either language).
urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/positions/fiche/import/", include("importer.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("public.api.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", TemplateView.as_view(template_name="robots.txt", content_type="text/plain; charset=utf-8"), name="robots"),
    path("", include("alerts.urls")),  # /volgen/ (e-mail alerts) and /privacy/
    path("", include("followup.urls")),  # /opvolging/ (staff) and /agenda.ics (public)
]

# The public pages, one URL per language: Dutch at /fiches/..., English at /en/fiches/...; the URL alone
# decides their language (common.language). Feeds and exports of the public namespace get an English URL
# too (one namespace, and the feeds' own texts are translated); their Dutch URLs stay as they were.
urlpatterns += i18n_patterns(path("", include("public.urls")), prefix_default_language=False)
