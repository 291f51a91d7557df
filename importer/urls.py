"""The admin's import pages, mounted at ``admin/positions/fiche/import/`` (before the admin's own URLs)."""

from django.contrib import admin
from django.urls import path

from . import views

app_name = "importer"

urlpatterns = [
    path("", admin.site.admin_view(views.upload), name="upload"),
    path("controleren/", admin.site.admin_view(views.preview), name="preview"),
]
