"""The lockout page speaks Dutch: the site's own name (not "Django-beheer"), that a wrong code counts too, and
the waiting time in minutes."""

import datetime

import pytest

from .test_one_step_login import enrolled, login, wrong

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def two_factor_required(settings):
    settings.FICHETRACKER_REQUIRE_2FA = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class LockoutPageTests:
    def test_the_page_names_the_site_says_a_wrong_code_counts_and_gives_the_wait_in_minutes(self, client, settings):
        settings.AXES_FAILURE_LIMIT = 2
        settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=30)
        _user, device = enrolled()
        for _attempt in range(2):
            login(client, otp_token=wrong(device))
        response = login(client, otp_token=wrong(device))
        body = response.content.decode()
        assert response.status_code == 429
        assert '<div id="site-name"><a href="/admin/">fichetracker beheer</a></div>' in body
        assert "Django" not in body
        assert "Een verkeerde code telt even zwaar als een verkeerd wachtwoord." in body
        assert "Probeer het over 30 minuten opnieuw" in body
        assert "0:30:00" not in body
