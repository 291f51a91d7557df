"""Signed, expiring links (``django.core.signing.TimestampSigner``): confirm a sign-up, manage an address's
subscriptions, unsubscribe from one subscription in one click.

A link carries only primary keys (never the address: links end up in access logs and browser
histories), a purpose (the salt: a confirmation link cannot be used to manage) and its time of signing.
A manage link also carries the creation time of the address, so it dies with the address: after
"remove everything" a new sign-up with the same address gets a new row, and old links do not open it.
"""

from django.core import signing

from . import conf

CONFIRM = "alerts.confirm"
MANAGE = "alerts.manage"
UNSUBSCRIBE = "alerts.unsubscribe"
MAX_LENGTH = 200


class LinkProblem(Exception):
    """A link that cannot be used; ``reason`` is "invalid" (tampered, truncated, for another purpose) or "expired"."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def _signer(purpose):
    return signing.TimestampSigner(salt=purpose)


def confirm_token(subscription):
    return _signer(CONFIRM).sign_object({"s": subscription.pk})


def unsubscribe_token(subscription):
    return _signer(UNSUBSCRIBE).sign_object({"s": subscription.pk})


def manage_token(subscriber):
    return _signer(MANAGE).sign_object({"a": subscriber.pk, "t": int(subscriber.created_at.timestamp())})


def _read(purpose, token, max_age, keys):
    if not token or len(token) > MAX_LENGTH:
        raise LinkProblem("invalid")
    try:
        payload = _signer(purpose).unsign_object(token, max_age=max_age)
    except signing.SignatureExpired:
        raise LinkProblem("expired") from None
    except (signing.BadSignature, ValueError, UnicodeError):
        raise LinkProblem("invalid") from None
    if not isinstance(payload, dict) or set(payload) != set(keys) or not all(type(payload[k]) is int for k in keys):
        raise LinkProblem("invalid")
    return payload


def read_confirm(token):
    """The primary key of the subscription to confirm."""
    return _read(CONFIRM, token, conf.confirm_max_age(), ("s",))["s"]


def read_unsubscribe(token):
    """The primary key of the subscription to end."""
    return _read(UNSUBSCRIBE, token, conf.unsubscribe_max_age(), ("s",))["s"]


def read_manage(token):
    """(primary key, creation time as a Unix timestamp) of the address to manage."""
    payload = _read(MANAGE, token, conf.manage_max_age(), ("a", "t"))
    return payload["a"], payload["t"]
