from django.urls import path

from . import views

app_name = "proposals"

urlpatterns = [
    path("voorstellen/<str:reference>/", views.document_detail, name="document_detail"),
]
