"""A URLconf with one view that fails, for the 500 page's test."""

from django.urls import path


def broken(request):
    raise RuntimeError("deliberate failure for the 500 page test")


urlpatterns = [path("kapot/", broken)]
handler500 = "django.views.defaults.server_error"
