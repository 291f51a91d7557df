from django.urls import path

from . import views

app_name = "followup"

urlpatterns = [
    path("opvolging/", views.dashboard, name="dashboard"),
    path("opvolging/toezeggingen/<slug:fiche>/<int:position>/", views.commitment_detail, name="commitment_detail"),
    path("opvolging/toezeggingen/<slug:fiche>/<int:position>/houder/", views.commitment_assign_view, name="commitment_assign"),
    path("opvolging/statuswijziging/", views.bulk_status, name="bulk_status"),
    path("opvolging/rapportage/<slug:code>/", views.report, name="report"),
    path("opvolging/rapportage/<slug:code>/toezeggingen.csv", views.report_csv, name="report_csv"),
    path("opvolging/rapportage/<slug:code>/cofinanciering.csv", views.report_cofinancing_csv, name="report_cofinancing_csv"),
    path("opvolging/cofinanciering.csv", views.cofinancing_csv, name="cofinancing_csv"),
    path("opvolging/agenda/", views.calendar_tokens, name="calendar_tokens"),
    path("opvolging/agenda/<int:pk>/intrekken/", views.calendar_token_revoke, name="calendar_token_revoke"),
    path("opvolging/agenda/<str:token>.ics", views.staff_calendar, name="staff_calendar"),
    # Public: commitments of published fiches only.
    path("agenda.ics", views.public_calendar, name="public_calendar"),
    path("agenda/<slug:code>.ics", views.public_calendar, name="public_ministry_calendar"),
]
