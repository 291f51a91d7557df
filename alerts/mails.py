"""The mails of e-mail alerts, each with a text and an HTML part, in the language chosen at sign-up.

Every mail a subscription causes names the privacy statement; digests (``alerts.sending``) add the manage
link and RFC 8058 one-click unsubscribe headers. Mails to someone who has not confirmed (the confirmation
itself) carry no unsubscribe header: ignoring the mail is enough, the sign-up is deleted unconfirmed.
"""

import hashlib
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import get_template
from django.urls import reverse
from django.utils import translation

from . import conf, tokens


def absolute(path):
    return settings.SITE_URL.rstrip("/") + path


def mail_domain():
    return urlsplit(settings.SITE_URL).hostname or "fichetracker.localhost"


def message_id(*parts):
    """A Message-ID that depends only on ``parts``: the same digest sent again after a crash carries the same
    one, so a mail program can recognise the copy."""
    digest = hashlib.sha256(":".join(str(part) for part in parts).encode()).hexdigest()[:24]
    return f"<alerts.{digest}@{mail_domain()}>"


def manage_url(subscriber):
    return absolute(reverse("alerts:manage", kwargs={"token": tokens.manage_token(subscriber)}))


def unsubscribe_url(subscription):
    return absolute(reverse("alerts:unsubscribe", kwargs={"token": tokens.unsubscribe_token(subscription)}))


def confirm_url(subscription):
    return absolute(reverse("alerts:confirm", kwargs={"token": tokens.confirm_token(subscription)}))


def privacy_url():
    return absolute(reverse("alerts:privacy"))


def render(name, context, language):
    """(subject, text, html) of the mail ``templates/alerts/email/<name>``, rendered in ``language``."""
    with translation.override(language):
        subject = " ".join(get_template(f"alerts/email/{name}_subject.txt").render(context).split())
        text = get_template(f"alerts/email/{name}.txt").render(context)
        html = get_template(f"alerts/email/{name}.html").render(context)
    return subject, text, html


def build(to, subject, text, html, headers=None):
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to], headers=headers or {})
    message.attach_alternative(html, "text/html")
    return message


def confirmation(subscription):
    """The double opt-in mail: a signed link, valid for FICHETRACKER_ALERTS_CONFIRM_HOURS."""
    context = {"subscription": subscription, "confirm_url": confirm_url(subscription), "hours": conf.value("CONFIRM_HOURS"),
               "privacy_url": privacy_url(), "language": subscription.language}
    return build(subscription.subscriber.email, *render("confirm", context, subscription.language))


def already_following(subscription):
    """Sent instead of a confirmation when the address already follows this: the page said the same either way."""
    context = {"subscription": subscription, "manage_url": manage_url(subscription.subscriber), "privacy_url": privacy_url(),
               "language": subscription.language}
    return build(subscription.subscriber.email, *render("already", context, subscription.language))


def manage_link(subscriber, language):
    """A fresh link to the manage page, asked for on the site."""
    context = {"subscriptions": list(subscriber.subscriptions.order_by("pk")), "manage_url": manage_url(subscriber),
               "privacy_url": privacy_url(), "language": language}
    return build(subscriber.email, *render("manage_link", context, language))
