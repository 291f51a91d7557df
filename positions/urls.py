from django.urls import path

from . import views

app_name = "positions"

urlpatterns = [
    path("", views.home, name="home"),
    path("fiches/", views.fiche_list, name="fiche_list"),
    path("fiches/<str:kamerstuk>/", views.fiche_detail, name="fiche_detail"),
    path("toezeggingen/", views.commitment_list, name="commitment_list"),
    path("statistieken/", views.statistics_page, name="statistics"),
    path("over/", views.about, name="about"),
    path("toegankelijkheid/", views.accessibility, name="accessibility"),
]
