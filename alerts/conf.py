"""The settings of e-mail alerts, from the environment (or Django settings of the same name, for tests).

Each value has a default; a malformed one stops the start-up with a clear error (``check``, called from
``AlertsConfig.ready``), as the project's own settings do.

| variable | meaning | default |
|---|---|---|
| ``FICHETRACKER_ALERTS_BATCH_SIZE`` | subscriptions handled (and mails sent) per database transaction | 200 |
| ``FICHETRACKER_ALERTS_CONFIRM_HOURS`` | validity of a confirmation link; unconfirmed sign-ups are deleted after it | 72 |
| ``FICHETRACKER_ALERTS_MANAGE_DAYS`` | validity of the link to the manage page in a mail | 90 |
| ``FICHETRACKER_ALERTS_UNSUBSCRIBE_DAYS`` | validity of the one-click unsubscribe link in a mail | 400 |
| ``FICHETRACKER_ALERTS_KEEP_DAYS`` | how long news (and the record of what was sent) is kept | 60 |
| ``FICHETRACKER_ALERTS_SIGNUPS_PER_ADDRESS`` | sign-ups and link requests per e-mail address per hour | 3 |
| ``FICHETRACKER_ALERTS_SIGNUPS_PER_CLIENT`` | sign-ups and link requests per client address per hour | 20 |
"""

import datetime
import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULTS = {
    "BATCH_SIZE": 200,
    "CONFIRM_HOURS": 72,
    "MANAGE_DAYS": 90,
    "UNSUBSCRIBE_DAYS": 400,
    "KEEP_DAYS": 60,
    "SIGNUPS_PER_ADDRESS": 3,
    "SIGNUPS_PER_CLIENT": 20,
}


def value(name):
    """The positive whole number ``name`` (a key of DEFAULTS): Django setting ALERTS_<name>, else the
    environment's FICHETRACKER_ALERTS_<name>, else the default."""
    configured = getattr(settings, f"ALERTS_{name}", None)
    if configured is not None:
        return int(configured)
    variable = f"FICHETRACKER_ALERTS_{name}"
    raw = os.environ.get(variable, "").strip()
    if not raw:
        return DEFAULTS[name]
    try:
        number = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{variable} must be a whole number; got {raw!r}.") from None
    if number < 1:
        raise ImproperlyConfigured(f"{variable} must be at least 1; got {number}.")
    return number


def check():
    for name in DEFAULTS:
        value(name)


def batch_size():
    return value("BATCH_SIZE")


def confirm_max_age():
    return datetime.timedelta(hours=value("CONFIRM_HOURS"))


def manage_max_age():
    return datetime.timedelta(days=value("MANAGE_DAYS"))


def unsubscribe_max_age():
    return datetime.timedelta(days=value("UNSUBSCRIBE_DAYS"))


def keep():
    return datetime.timedelta(days=value("KEEP_DAYS"))


def signups_per_address():
    return value("SIGNUPS_PER_ADDRESS")


def signups_per_client():
    return value("SIGNUPS_PER_CLIENT")
