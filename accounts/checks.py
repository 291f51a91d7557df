"""Deployment checks and a start-up warning for account security.

Two-factor login can be switched off with FICHETRACKER_REQUIRE_2FA=0, meant for local debugging. Switched off
with DEBUG off is a production site where a stolen password is enough to edit fiches: ``check --deploy`` reports
it as a warning (so ``--fail-level WARNING`` stops a release), and the site logs it at every start.
"""

import logging

from django.conf import settings
from django.core import checks

logger = logging.getLogger("accounts")

TWO_FACTOR_OFF = "accounts.W001"


def two_factor_off_in_production():
    return not settings.DEBUG and not getattr(settings, "FICHETRACKER_REQUIRE_2FA", True)


@checks.register(checks.Tags.security, deploy=True)
def check_two_factor_required(app_configs, **kwargs):
    if not two_factor_off_in_production():
        return []
    return [checks.Warning(
        "Two-factor login for the admin is off (FICHETRACKER_REQUIRE_2FA=0) while DEBUG is off: "
        "a password alone gives access to the admin.",
        hint="Remove FICHETRACKER_REQUIRE_2FA or set it to 1 in production; switch it off only for local debugging.",
        id=TWO_FACTOR_OFF,
    )]


def log_two_factor_state():
    """Called once at start-up (AccountsConfig.ready)."""
    if two_factor_off_in_production():
        logger.warning("Two-factor login for the admin is OFF (FICHETRACKER_REQUIRE_2FA=0) with DEBUG off.")
