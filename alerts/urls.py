"""E-mail alerts for readers, under the ``alerts`` namespace: /volgen/... and the privacy statement."""

from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("volgen/", views.subscribe, name="subscribe"),
    path("volgen/aangevraagd/", views.subscribed, name="subscribed"),
    path("volgen/bevestigen/<str:token>/", views.confirm, name="confirm"),
    path("volgen/beheren/", views.manage_request, name="manage_request"),
    path("volgen/beheren/<str:token>/", views.manage, name="manage"),
    path("volgen/afmelden/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("privacy/", views.privacy, name="privacy"),
]
