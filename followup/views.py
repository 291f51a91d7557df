"""Pages of follow-up staff (dashboard, commitment history and status form, half-yearly report, calendar
links) and the calendar feeds.

Staff pages read ``tracked_commitments(request.user)`` and ``tracked_budgets(request.user)``: a fiche under
embargo shows only to its own ministries and to the roles that see all. A staff calendar feed is opened
by its secret link without login, so it carries what is public plus the token owner's own ministries'
items (``token_feed``). The public feed reads ``Commitment.objects.published()`` and nothing else.
Malformed tokens, codes and references answer 404 (or 400 for a bad period), never a server error.
"""

import functools
import re
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from common import csv as common_csv
from positions.models import Commitment
from proposals.models import Ministry

from . import formatting
from .calendar import build_calendar
from .filters import CommitmentFilter, ministries_current_first, ministry_label
from .forms import CalendarTokenForm, StatusChangeForm
from .models import CalendarToken
from .services import can_change_commitment, commitment_set_status
from .tracking import (
    MeetingSchedule,
    cofinancing_overview,
    for_ministry_lineage,
    history_prefetch,
    lineage_ids,
    ministry_report,
    overview,
    rows_for,
    tracked_budgets,
    tracked_commitments,
    with_follow_up_relations,
)

CALENDAR_CONTENT_TYPE = "text/calendar; charset=utf-8"
# What ``secrets.token_urlsafe`` makes (43 characters for 32 bytes), up to the column's 64: anything else
# (a NUL byte, which PostgreSQL refuses in a query, non-ASCII, an overlong value) is no token at all.
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")


def staff_required(view):
    """Signed-in staff only: anonymous visitors go to the login page, other users get 403.

    Where the admin requires two-factor authentication, so do these pages: a session that did not
    pass the TOTP step goes back to the (admin) login.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        unverified = getattr(settings, "FICHETRACKER_REQUIRE_2FA", False) and not (hasattr(user, "is_verified") and user.is_verified())
        if not user.is_authenticated or unverified:
            return redirect_to_login(request.get_full_path())
        if not (request.user.is_active and request.user.is_staff):
            raise PermissionDenied(_("Deze pagina is alleen voor medewerkers."))
        return view(request, *args, **kwargs)

    return wrapper


@require_safe
@staff_required
@never_cache
def dashboard(request):
    today = timezone.localdate()
    tracked = tracked_commitments(request.user)
    filterset = CommitmentFilter(request.GET, queryset=tracked, request=request)
    queryset = filterset.qs if filterset.is_valid() else tracked
    schedule = MeetingSchedule()
    groups = overview(rows_for(with_follow_up_relations(queryset), schedule, today), today)
    ministry = filterset.form.cleaned_data.get("ministry") if filterset.is_valid() else None
    budgets = tracked_budgets(request.user)
    if ministry:
        budgets = budgets.filter(ministry__in=lineage_ids([ministry]))
    return render(
        request,
        "followup/dashboard.html",
        {
            "filter": filterset,
            "groups": groups,
            "today": today,
            "upcoming_meetings": schedule.upcoming(today, limit=8),
            "cofinancing": cofinancing_overview(budgets),
            "ministry": ministry,
            "report_ministries": [(m, ministry_label(m)) for m in ministries_current_first()],
        },
    )


def _commitment_or_404(user, fiche, position):
    """The commitment as ``user`` may see it; one they may not see answers exactly like one that does not exist."""
    queryset = with_follow_up_relations(tracked_commitments(user)).prefetch_related(history_prefetch())
    return get_object_or_404(queryset, fiche__natural_id=fiche, position=position)


@require_http_methods(["GET", "POST"])
@staff_required
@never_cache
def commitment_detail(request, fiche, position):
    commitment = _commitment_or_404(request.user, fiche, position)
    may_change = can_change_commitment(request.user, commitment)
    form = StatusChangeForm(commitment=commitment)
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied(_("U mag de toezeggingen van dit ministerie niet wijzigen."))
        form = StatusChangeForm(request.POST, commitment=commitment)
        if form.is_valid():
            try:
                commitment_set_status(commitment=commitment, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                for field, field_errors in error.message_dict.items():
                    for message in field_errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(request, _("De wijziging is vastgelegd."))
                return redirect(request.path)
    schedule = MeetingSchedule()
    (row,) = rows_for([commitment], schedule, timezone.localdate())
    return render(
        request,
        "followup/commitment_detail.html",
        {"commitment": commitment, "row": row, "form": form, "may_change": may_change},
        status=400 if form.is_bound and form.errors else 200,
    )


# Half-yearly report ------------------------------------------------------------------------------


class BadPeriod(Exception):
    pass


def _report_or_error(request, code):
    ministry = get_object_or_404(Ministry, code=code)
    try:
        return ministry_report(ministry, request.GET.get("periode") or None, user=request.user)
    except ValueError:
        message = _("Onbekende periode %(value)s: gebruik de vorm 2026-1 (januari tot en met juni) of 2026-2 (juli tot en met december).")
        raise BadPeriod(message % {"value": repr(request.GET.get("periode"))}) from None


def _bad_period(view):
    """A malformed ?periode= answers 400 with the expected form, never a 500."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except BadPeriod as error:
            return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")

    return wrapper


@require_safe
@staff_required
@_bad_period
def report(request, code):
    return render(request, "followup/report.html", {"report": _report_or_error(request, code)})


def _csv_response(filename):
    # The site's one CSV dialect and formula rule: staff notes and titles are data, never formulas.
    return common_csv.attachment(filename)


GROUP_LABELS = {
    "overdue": "verlopen",
    "upcoming": "openstaand",
    "undated": "openstaand zonder datum",
    "closed": "afgehandeld in periode",
}


def _history_text(row):
    return " | ".join(
        f"{timezone.localtime(c.changed_at):%d-%m-%Y} {c.get_from_status_display()} → {c.get_to_status_display()}"
        f"{' (nieuwe termijn ' + format(c.new_due_date, '%d-%m-%Y') + ')' if c.new_due_date else ''}"
        f" door {c.changed_by.get_full_name() or c.changed_by.get_username() if c.changed_by else 'onbekend'}: {c.note}"
        for c in row.history
    )


@require_safe
@staff_required
@_bad_period
def report_csv(request, code):
    data = _report_or_error(request, code)
    header = [
        "groep", "kamerstuk", "fiche", "volgnummer", "toezegging", "soort", "status", "uiterste datum", "dagen verlopen",
        "moment", "voorgestelde nieuwe termijn", "bewijs", "geschiedenis",
    ]
    rows = (
        [
            GROUP_LABELS[group],
            row.commitment.fiche.kamerstuk_display,
            row.commitment.fiche.title,
            row.commitment.position,
            row.commitment.summary,
            row.commitment.get_kind_display(),
            row.commitment.get_status_display(),
            row.due,
            row.days_overdue if group == "overdue" else None,
            row.commitment.get_due_event_display() if row.commitment.due_event else row.commitment.due_description,
            row.proposed_due_date,
            row.commitment.evidence_reference or row.commitment.evidence_url,
            _history_text(row),
        ]
        for group, row in data.all_rows
    )
    return common_csv.write(_csv_response(f"rappel-{data.ministry.code}-{data.period_label}.csv"), header, rows)


def _amount(value):
    """An amount in euros as a number with two decimals (75000000.00): a number, so never quoted as text."""
    return Decimal(value).quantize(Decimal("0.01"))


def write_cofinancing_csv(response, data):
    header = [
        "ministerie", "programma", "programmacode", "kamerstuk fiche", "budget (EUR)", "budget", "toegezegd aan prioriteiten (EUR)",
        "toegezegd", "resterend (EUR)", "resterend", "EU-financiering", "geprioriteerde onderwerpen",
    ]
    rows = [
        [
            line.budget.ministry.abbreviation, line.budget.programme, line.budget.programme_code, line.budget.fiche.kamerstuk_display,
            _amount(line.total), formatting.euro(line.total), _amount(line.committed), formatting.euro(line.committed),
            _amount(line.remaining), formatting.euro(line.remaining),
            formatting.percentage_range(line.budget.eu_rate_min, line.budget.eu_rate_max),
            "; ".join(f"{p.topic} ({formatting.euro(p.amount)})" if p.amount is not None else p.topic for p in line.priorities),
        ]
        for line in data.lines
    ]
    total = data.grand_total
    rows.append([
        "totaal", "", "", "", _amount(total.total), formatting.euro(total.total), _amount(total.committed), formatting.euro(total.committed),
        _amount(total.remaining), formatting.euro(total.remaining), "", "",
    ])
    return common_csv.write(response, header, rows)


@require_safe
@staff_required
@_bad_period
def report_cofinancing_csv(request, code):
    data = _report_or_error(request, code)
    return write_cofinancing_csv(_csv_response(f"cofinanciering-{data.ministry.code}.csv"), data.cofinancing)


@require_safe
@staff_required
def cofinancing_csv(request):
    return write_cofinancing_csv(_csv_response("cofinanciering.csv"), cofinancing_overview(tracked_budgets(request.user)))


# Calendar ----------------------------------------------------------------------------------------


def _calendar_response(content, filename, private):
    response = HttpResponse(content, content_type=CALENDAR_CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    if private:
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "no-referrer"
    else:
        response["Cache-Control"] = "public, max-age=900"
    return response


@require_http_methods(["GET", "POST"])
@staff_required
@never_cache
def calendar_tokens(request):
    form = CalendarTokenForm()
    if request.method == "POST":
        form = CalendarTokenForm(request.POST)
        if form.is_valid():
            CalendarToken.objects.create(user=request.user, ministry=form.cleaned_data["ministry"], label=form.cleaned_data["label"])
            messages.success(request, _("De agendalink is aangemaakt."))
            return redirect("followup:calendar_tokens")
    tokens = CalendarToken.objects.filter(user=request.user).select_related("ministry")
    return render(
        request,
        "followup/calendar_tokens.html",
        {"form": form, "tokens": tokens, "site_url": request.build_absolute_uri("/").rstrip("/")},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_POST
@staff_required
def calendar_token_revoke(request, pk):
    token = get_object_or_404(CalendarToken, pk=pk, user=request.user, revoked_at__isnull=True)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    messages.success(request, _("De agendalink is ingetrokken; wie hem nog gebruikt, krijgt niets meer te zien."))
    return redirect("followup:calendar_tokens")


@require_safe
def staff_calendar(request, token):
    """A staff feed: only an active token of an active staff member opens it; anything else is 404.

    Whoever holds the link reads the feed without logging in, so it carries what is public plus the
    owner's own ministries' not-yet-public items, never another ministry's, whatever the owner's role.
    """
    if not TOKEN_RE.fullmatch(token):
        raise Http404
    grant = CalendarToken.objects.active().select_related("ministry", "user").filter(token=token).first()
    if grant is None:
        raise Http404
    commitments = tracked_commitments(grant.user, token_feed=True)
    # gettext outside the f-strings: xgettext (makemessages) does not look inside them.
    if grant.ministry_id:
        commitments = for_ministry_lineage(commitments, [grant.ministry])
        subject = _("toezeggingen en Raden")
        name = f"fichetracker · {grant.ministry.abbreviation} · {subject}"
    else:
        subject = _("alle toezeggingen en Raden")
        name = f"fichetracker · {subject}"
    filename = f"fichetracker-{grant.ministry.code if grant.ministry_id else 'alle'}.ics"
    return _calendar_response(build_calendar(name=name, commitments=commitments, staff=True), filename, private=True)


@require_safe
def public_calendar(request, code=None):
    """The public feed: commitments of published fiches only (``published()`` honours the embargo)."""
    commitments = Commitment.objects.published()
    subject = _("toezeggingen en Raden")  # outside the f-string, where makemessages finds it
    name = f"fichetracker · {subject}"
    filename = "fichetracker.ics"
    if code is not None:
        ministry = get_object_or_404(Ministry, code=code)
        commitments = for_ministry_lineage(commitments, [ministry])
        name = f"fichetracker · {ministry.abbreviation} · {subject}"
        filename = f"fichetracker-{ministry.code}.ics"
    return _calendar_response(build_calendar(name=name, commitments=commitments, staff=False), filename, private=False)

