"""Everything a reader sees, under the ``public`` namespace (the JSON API has its own, ``api``)."""

from django.urls import path, re_path

from . import dossiers, exports, feeds, views
from .api import catalogue

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("catalogus.jsonld", catalogue.catalogue, name="catalogue"),
    re_path(r"^fiches/export\.(?P<fmt>csv|json)$", exports.fiche_export, name="fiche_export"),
    re_path(r"^toezeggingen/export\.(?P<fmt>csv|json)$", exports.commitment_export, name="commitment_export"),
    re_path(r"^uitkomsten/export\.(?P<fmt>csv|json)$", exports.outcome_export, name="outcome_export"),
    path("fiches/", views.fiche_list, name="fiche_list"),
    path("fiches/<str:kamerstuk>/", views.fiche_detail, name="fiche_detail"),
    path("toezeggingen/", views.commitment_list, name="commitment_list"),
    path("statistieken/", views.statistics_page, name="statistics"),
    path("over/", views.about, name="about"),
    path("toegankelijkheid/", views.accessibility, name="accessibility"),
    path("voorstellen/", views.document_list, name="document_list"),
    path("voorstellen/<str:reference>/", dossiers.document_detail, name="document_detail"),
    path("feeds/", views.feed_index, name="feeds"),
    path("feeds/fiches/", feeds.fiche_feed, name="fiche_feed"),
    path("feeds/voorstellen/<str:reference>/", feeds.dossier_feed, name="dossier_feed"),
]
