"""The staff member's own two-factor page in the admin: enrol an authenticator app, confirm it, get recovery codes.

Plain forms and redirects, no JavaScript. The page is never cached (it shows a secret), and recovery codes
appear only in the response to the step that made them.
"""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login

from . import twofactor


class ConfirmForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code uit de app"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}),
        help_text=gettext_lazy("De zes cijfers die de app nu toont voor fichetracker."),
    )


def _render(request, admin_site, *, form=None, recovery_codes=None, status=200):
    user = request.user
    pending = twofactor.pending_totp(user)
    context = {
        **admin_site.each_context(request),
        "title": _("Tweestapsverificatie"),
        "has_device": twofactor.confirmed_totp(user).exists(),
        "remaining_codes": twofactor.remaining_recovery_codes(user),
        "pending": pending,
        "form": form or (ConfirmForm() if pending else None),
        "recovery_codes": recovery_codes,
    }
    if pending and recovery_codes is None:
        uri = pending.config_url
        context["qr_svg"] = twofactor.qr_svg(uri, _("QR-code om fichetracker aan uw authenticator-app toe te voegen"))
        context["secret"] = twofactor.readable_secret(pending)
    return TemplateResponse(request, "admin/accounts/two_factor.html", context, status=status)


@never_cache
@sensitive_post_parameters("code")
def two_factor(request, admin_site):
    if request.method != "POST":
        return _render(request, admin_site)
    action = request.POST.get("action")
    user = request.user
    if action == "start":
        twofactor.start_enrolment(user)
        return redirect("admin:two_factor")
    if action == "cancel":
        user.totpdevice_set.filter(confirmed=False).delete()
        messages.info(request, _("Het koppelen is afgebroken; uw bestaande app blijft werken."))
        return redirect("admin:two_factor")
    if action == "confirm":
        form = ConfirmForm(request.POST)
        if not twofactor.pending_totp(user):
            messages.error(request, _("Er wacht geen nieuwe app op bevestiging. Begin opnieuw met koppelen."))
            return redirect("admin:two_factor")
        if form.is_valid():
            device, codes = twofactor.confirm_enrolment(user, form.cleaned_data["code"])
            if device is not None:
                otp_login(request, device)  # this session stays verified, now by the new device
                messages.success(request, _("De app is gekoppeld. Vanaf nu logt u in met een code uit deze app."))
                return _render(request, admin_site, recovery_codes=codes)
            form.add_error("code", _(
                "Deze code klopt niet of is verlopen. Controleer dat de klok van uw telefoon goed staat "
                "en vul de code in die de app nu toont."
            ))
        return _render(request, admin_site, form=form, status=400)
    if action == "recovery":
        if not twofactor.confirmed_totp(user).exists():
            messages.error(request, _("Koppel eerst een authenticator-app; herstelcodes horen bij een gekoppelde app."))
            return redirect("admin:two_factor")
        codes = twofactor.new_recovery_codes(user)
        messages.success(request, _("Nieuwe herstelcodes gemaakt; de vorige werken niet meer."))
        return _render(request, admin_site, recovery_codes=codes)
    messages.error(request, _("Onbekende actie."))
    return redirect("admin:two_factor")
