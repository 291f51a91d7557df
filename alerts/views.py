"""The reader's pages of e-mail alerts: sign up, confirm, manage, unsubscribe, ask for a manage link, and
the privacy statement. All work without JavaScript.

No enumeration: after a sign-up or a request for a manage link the reader always sees the same page,
whether the address is known or not. Links only show their page on GET (mail scanners open links);
anything that changes a subscription is a POST, except that the one-click unsubscribe of RFC 8058 is a
POST without a CSRF token (the signed link is its authority). A tampered, expired or used link answers
a page that says so, never an error 500. Pages with a link's token are not cached and not indexed.
"""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from . import conf, services, targets, throttle, tokens
from .forms import AddressForm, RhythmForm, SubscribeForm
from .models import MailLanguage, Subscription


def reader_language():
    language = (translation.get_language() or "").split("-")[0]
    return language if language in MailLanguage.values else MailLanguage.DUTCH


def refused(request, title, message, status):
    return render(request, "alerts/message.html", {"title": title, "message": message}, status=status)


def throttled(request):
    return refused(request, _("Even geduld"), _("Er zijn vanaf hier of voor dit adres te veel aanvragen gedaan. Probeer het over een uur opnieuw."), 429)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    data = request.POST if request.method == "POST" else request.GET
    try:
        target = targets.resolve(data)
    except targets.TargetError as error:
        return refused(request, _("Dit kunt u niet volgen"), error.message, 404)  # as for a page that does not exist
    form = SubscribeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not throttle.allow_client(request):
            return throttled(request)
        if form.is_valid():
            if not throttle.allow_address(form.cleaned_data["email"]):
                return throttled(request)
            try:
                services.subscribe(email=form.cleaned_data["email"], target=target, rhythm=form.cleaned_data["rhythm"],
                                   language=reader_language())
            except services.MailNotSent:
                return refused(request, _("Niet verstuurd"), _("De bevestigingsmail kon nu niet worden verstuurd; er is niets bewaard. "
                                                                "Probeer het later opnieuw."), 503)
            return redirect("alerts:subscribed")
    return render(request, "alerts/subscribe.html", {"form": form, "target": target, "page_path": _page_of(target)},
                  status=400 if form.is_bound else 200)


def _page_of(target):
    return targets.page_path(Subscription(**target.lookup()))


@never_cache
@require_safe
def subscribed(request):
    return render(request, "alerts/subscribed.html", {"hours": conf.value("CONFIRM_HOURS")})


def link_problem(request, reason):
    if reason == "expired":
        return refused(request, _("Deze link is verlopen"), _("Deze link is niet meer geldig. Vraag hieronder een nieuwe aan of meld u opnieuw aan."), 410)
    return refused(request, _("Deze link werkt niet"), _("Deze link is onvolledig of gewijzigd. Gebruik de link precies zoals hij in de e-mail staat, "
                                                         "of vraag een nieuwe aan."), 400)


def gone(request):
    return refused(request, _("Geen inschrijving gevonden"), _("Bij deze link hoort geen inschrijving meer: ze is opgezegd of nooit op tijd "
                                                               "bevestigd. U krijgt hierover geen e-mail."), 410)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    try:
        subscription_id = tokens.read_confirm(token)
    except tokens.LinkProblem as problem:
        return link_problem(request, problem.reason)
    subscription = Subscription.objects.select_related("subscriber").filter(pk=subscription_id).first()
    if subscription is None:
        return gone(request)
    if request.method == "POST" and not subscription.is_confirmed:
        try:
            subscription, _already = services.confirm(subscription_id=subscription.pk)
        except services.Gone:
            return gone(request)
        return render(request, "alerts/confirmed.html", {"subscription": subscription, "manage_path": _manage_path(subscription.subscriber),
                                                         "just_now": True})
    if subscription.is_confirmed:
        return render(request, "alerts/confirmed.html", {"subscription": subscription, "manage_path": _manage_path(subscription.subscriber)})
    return render(request, "alerts/confirm.html", {"subscription": subscription})


def _manage_path(subscriber):
    return reverse("alerts:manage", kwargs={"token": tokens.manage_token(subscriber)})


ACTIONS = {"rhythm", "pause", "resume", "remove", "remove_all"}


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def manage(request, token):
    try:
        subscriber = services.subscriber_of_link(*tokens.read_manage(token))
    except tokens.LinkProblem as problem:
        return link_problem(request, problem.reason)
    except services.Gone:
        return gone(request)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            return refused(request, _("Onbekende opdracht"), _("Deze opdracht kennen we niet. Ga terug naar de pagina en kies een knop."), 400)
        if action == "remove_all":
            services.remove_all(subscriber=subscriber)
            return render(request, "alerts/removed.html", {"everything": True})
        subscription = subscriber.subscriptions.filter(pk=_number(request.POST.get("subscription"))).first()
        if subscription is None:
            return gone(request)
        if action == "rhythm":
            form = RhythmForm(request.POST)
            if not form.is_valid():
                return refused(request, _("Kies hoe vaak"), " ".join(form.errors["rhythm"]), 400)
            services.set_rhythm(subscription=subscription, rhythm=form.cleaned_data["rhythm"])
            messages.success(request, _("Opgeslagen: %(label)s, voortaan %(rhythm)s.") % {"label": subscription.label,
                                                                                          "rhythm": subscription.get_rhythm_display()})
        elif action == "pause":
            services.pause(subscription=subscription)
            messages.success(request, _("Gepauzeerd: %(label)s.") % {"label": subscription.label})
        elif action == "resume":
            services.resume(subscription=subscription)
            messages.success(request, _("Hervat: %(label)s.") % {"label": subscription.label})
        else:
            if services.remove(subscription=subscription):
                return render(request, "alerts/removed.html", {"everything": True})
            messages.success(request, _("Opgezegd: %(label)s.") % {"label": subscription.label})
        return HttpResponseRedirect(request.path)
    subscriptions = list(subscriber.subscriptions.select_related("document", "ministry", "commitment__fiche").order_by("pk"))
    for subscription in subscriptions:
        subscription.page_path = targets.page_path(subscription)
    return render(request, "alerts/manage.html", {"subscriber": subscriber, "subscriptions": subscriptions, "rhythms": Subscription.Rhythm.choices})


def _number(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def manage_request(request):
    form = AddressForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not throttle.allow_client(request):
            return throttled(request)
        if form.is_valid():
            if not throttle.allow_address(form.cleaned_data["email"]):
                return throttled(request)
            services.send_manage_link(email=form.cleaned_data["email"], language=reader_language())
            return render(request, "alerts/manage_requested.html")
    return render(request, "alerts/manage_request.html", {"form": form}, status=400 if form.is_bound else 200)


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """GET shows a button; POST unsubscribes, from that button or from a mail program (RFC 8058 one-click:
    ``List-Unsubscribe=One-Click`` in the body, no cookies, no CSRF token). Answers 200 when already gone,
    so a mail program that retries sees success."""
    try:
        subscription_id = tokens.read_unsubscribe(token)
    except tokens.LinkProblem as problem:
        return link_problem(request, problem.reason)
    subscription = Subscription.objects.select_related("subscriber").filter(pk=subscription_id).first()
    if request.method == "POST":
        if subscription is not None:
            services.remove(subscription=subscription)
        return render(request, "alerts/removed.html", {"label": subscription.label if subscription else ""})
    if subscription is None:
        return render(request, "alerts/removed.html", {"already": True})
    return render(request, "alerts/unsubscribe.html", {"subscription": subscription})


@require_safe
def privacy(request):
    return render(request, "pages/privacy.html", {
        "confirm_hours": conf.value("CONFIRM_HOURS"), "keep_days": conf.value("KEEP_DAYS"), "manage_days": conf.value("MANAGE_DAYS"),
        "contact_email": settings.CONTACT_EMAIL,
    })
