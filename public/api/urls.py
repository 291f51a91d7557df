"""URLs of the read-only JSON API, included at ``/api/v1/`` under the namespace ``api``."""

from django.urls import path, re_path

from . import views as api

app_name = "api"

urlpatterns = [
    path("", api.index, name="index"),
    path("openapi.json", api.openapi, name="openapi"),
    path("documents/", api.document_list, name="document_list"),
    path("documents/celex/<str:celex>/", api.document_by_celex, name="document_by_celex"),
    path("documents/<str:reference>/", api.document_detail, name="document_detail"),
    path("fiches/", api.fiche_list, name="fiche_list"),
    path("fiches/<str:kamerstuk>/", api.fiche_detail, name="fiche_detail"),
    path("commitments/", api.commitment_list, name="commitment_list"),
    path("commitments/<str:kamerstuk>/<int:position>/", api.commitment_detail, name="commitment_detail"),
    path("cofinancing/", api.cofinancing_list, name="cofinancing_list"),
    path("cofinancing/<str:kamerstuk>/<str:programme_code>/", api.cofinancing_detail, name="cofinancing_detail"),
    path("outcomes/", api.outcome_list, name="outcome_list"),
    # Any other path under /api/v1/ ending in a slash answers with the API's JSON 404, not an HTML page.
    re_path(r"^(?P<rest>.+/)$", api.unknown, name="not_found"),
]
