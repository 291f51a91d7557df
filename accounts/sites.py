"""The admin site: two-factor authentication when settings require it, and the editors' own pages."""

from django.conf import settings
from django.contrib.admin import AdminSite
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite

from .forms import PasswordLoginForm, TwoFactorLoginForm


def two_factor_required():
    """TOTP is required unless settings relax it (only ever when debugging)."""
    return settings.FICHETRACKER_REQUIRE_2FA


class FichetrackerAdminSite(OTPAdminSite):
    site_header = _("fichetracker beheer")
    site_title = _("fichetracker beheer")
    index_title = _("Fiches, toezeggingen en referentiegegevens")

    def __init__(self, name="admin"):
        # OTPAdminSite defaults its name to "otpadmin"; keep the usual "admin" URL namespace.
        super().__init__(name)

    # One login page for both cases (templates/admin/login.html): it shows the code field when the form has one.
    login_template = "admin/login.html"

    @property
    def login_form(self):
        """Password and authenticator code in one step when required; the password alone when debugging."""
        return TwoFactorLoginForm if two_factor_required() else PasswordLoginForm

    def has_permission(self, request):
        if two_factor_required():
            return super().has_permission(request)
        return AdminSite.has_permission(self, request)

    def get_urls(self):
        from django.urls import path

        from positions import dashboard

        from . import views

        return [
            path("termijnen/", self.admin_view(dashboard.DashboardView.as_view(admin_site=self)), name="dashboard"),
            path("tweestapsverificatie/", self.admin_view(views.two_factor), {"admin_site": self}, name="two_factor"),
            *super().get_urls(),
        ]
