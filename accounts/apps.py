from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    """Account security glue: the admin site with two-factor authentication, login throttling, enrolment."""

    default = True
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from . import checks

        checks.log_two_factor_state()


class FichetrackerAdminConfig(admin_apps.AdminConfig):
    """Replaces ``django.contrib.admin`` in INSTALLED_APPS so that ``admin.site`` is our site."""

    default = False
    default_site = "accounts.sites.FichetrackerAdminSite"
