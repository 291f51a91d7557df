"""Two-factor login switched off in production is reported by `check --deploy` and logged at start; silent otherwise."""

import logging

import pytest
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from accounts.checks import TWO_FACTOR_OFF, log_two_factor_state


def deploy_check_ids():
    return {message.id for message in checks.run_checks(include_deployment_checks=True, tags=[checks.Tags.security])}


class TwoFactorDeployCheckTests:
    def test_two_factor_off_with_debug_off_is_a_deploy_warning(self, settings):
        settings.DEBUG, settings.FICHETRACKER_REQUIRE_2FA = False, False
        warnings = [m for m in checks.run_checks(include_deployment_checks=True, tags=[checks.Tags.security]) if m.id == TWO_FACTOR_OFF]
        assert len(warnings) == 1 and warnings[0].level == checks.WARNING
        assert "FICHETRACKER_REQUIRE_2FA=0" in warnings[0].msg

    def test_the_warning_fails_a_release_run_with_fail_level_warning(self, settings):
        settings.DEBUG, settings.FICHETRACKER_REQUIRE_2FA = False, False
        with pytest.raises(SystemCheckError, match=TWO_FACTOR_OFF):
            call_command("check", deploy=True, fail_level="WARNING", tags=["security"])

    def test_it_stays_silent_with_two_factor_on_or_while_debugging(self, settings):
        settings.DEBUG, settings.FICHETRACKER_REQUIRE_2FA = False, True
        assert TWO_FACTOR_OFF not in deploy_check_ids()
        settings.DEBUG, settings.FICHETRACKER_REQUIRE_2FA = True, False
        assert TWO_FACTOR_OFF not in deploy_check_ids()

    def test_it_is_no_warning_outside_deploy_checks(self, settings):
        settings.DEBUG, settings.FICHETRACKER_REQUIRE_2FA = False, False
        assert TWO_FACTOR_OFF not in {m.id for m in checks.run_checks(tags=[checks.Tags.security])}

    def test_the_start_logs_it(self, settings, caplog):
        settings.DEBUG, settings.FICHETRACKER_REQUIRE_2FA = False, False
        with caplog.at_level(logging.WARNING, logger="accounts"):
            log_two_factor_state()
        assert "Two-factor login for the admin is OFF" in caplog.text
        caplog.clear()
        settings.FICHETRACKER_REQUIRE_2FA = True
        with caplog.at_level(logging.WARNING, logger="accounts"):
            log_two_factor_state()
        assert caplog.text == ""
