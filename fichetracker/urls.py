from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView

from fichetracker.health import healthz
from public.sitemaps import SITEMAPS

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/positions/fiche/import/", include("importer.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("public.api.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", TemplateView.as_view(template_name="robots.txt", content_type="text/plain; charset=utf-8"), name="robots"),
    path("", include("public.urls")),
    path("", include("alerts.urls")),  # /volgen/ (e-mail alerts) and /privacy/
    path("", include("followup.urls")),  # /opvolging/ (staff) and /agenda.ics (public)
]
