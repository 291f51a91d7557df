from django.urls import path

from . import views

app_name = "positions"

urlpatterns = [
    path("", views.home, name="home"),
    path("fiches/", views.fiche_list, name="fiche_list"),
    path("fiches/<str:kamerstuk>/", views.fiche_detail, name="fiche_detail"),
]
