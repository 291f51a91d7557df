"""Pages of follow-up staff (dashboard, commitment history with its status and holder forms, the bulk status
change, half-yearly report, calendar links) and the calendar feeds.

Staff pages read ``tracked_commitments(request.user)`` and ``tracked_budgets(request.user)``: a fiche under
embargo shows only to its own ministries and to the roles that see all. A staff calendar feed is opened
by its secret link without login, so it carries what is public plus the token owner's own ministries'
items (``token_feed``). The public feed reads ``Commitment.objects.published()`` and nothing else.
Malformed tokens, codes and references answer 404 (or 400 for a bad period), never a server error.
"""

import functools
import re
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from common import csv as common_csv
from positions.models import Commitment, Fiche
from positions.permissions import visible_fiches
from proposals.models import Ministry

from . import formatting
from .calendar import build_calendar
from .filters import DEFAULT_SORTS, CommitmentFilter, ListForm
from .forms import AssignForm, BulkStatusForm, CalendarTokenForm, StatusChangeForm
from .models import CalendarToken, CommitmentAssignment
from .services import can_change_commitment, commitment_assign, commitment_set_status, commitments_set_status, holder_name
from .tracking import (
    GROUP_KEYS,
    MeetingSchedule,
    Row,
    cofinancing_overview,
    cofinancing_totals,
    current_ministry_ids,
    current_ministry_of,
    for_ministry_lineage,
    group_conditions,
    history_prefetch,
    lineage_ids,
    list_order,
    ministry_report,
    pending_due_dates,
    rows_for,
    tallies,
    tracked_budgets,
    tracked_commitments,
    with_due,
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


TAB_TITLES = {
    "overdue": gettext_lazy("Verlopen"),
    "due_soon": gettext_lazy("Binnen 30 dagen"),
    "at_meeting": gettext_lazy("Bij een Raad"),
    "vague": gettext_lazy("Vaag"),
    "later": gettext_lazy("Later"),
    "closed": gettext_lazy("Afgehandeld"),
}
GROUP_TITLES = {
    "overdue": gettext_lazy("Verlopen toezeggingen"),
    "due_soon": gettext_lazy("Toezeggingen die binnen 30 dagen moeten"),
    "at_meeting": gettext_lazy("Toezeggingen bij een Raadsvergadering"),
    "vague": gettext_lazy("Vage toezeggingen"),
    "later": gettext_lazy("Overige openstaande toezeggingen"),
    "closed": gettext_lazy("Afgehandeld: voldaan, ingetrokken of vervallen"),
}
PAGE_SIZE = 25


def _with_param(request, **values):
    """The current query string with ``values`` set (None: left out) and without the page number."""
    params = request.GET.copy()
    params.pop("page", None)
    for key, value in values.items():
        params.pop(key, None)
        if value is not None:
            params[key] = value
    return params.urlencode()


def may_change_some(user):
    """Whether the page offers the bulk change: the service still checks each commitment."""
    return user.has_perm("positions.follow_up_commitment") or user.has_perm("positions.change_fiche")


@require_safe
@staff_required
@never_cache
def dashboard(request):
    """Every list the officers work from, at any volume in a fixed number of queries: one grouped count per
    current ministry and list, then the 25 rows of the chosen list's page (``tracking.with_due``)."""
    today = timezone.localdate()
    tracked = tracked_commitments(request.user)
    filterset = CommitmentFilter(request.GET, queryset=tracked, request=request)
    valid = filterset.is_valid()
    queryset = filterset.qs if valid else tracked
    list_form = ListForm(request.GET)
    ministries = Ministry.objects.in_bulk()
    successors = {pk: m.successor_id for pk, m in ministries.items() if m.successor_id}
    current = current_ministry_ids(successors)
    schedule = MeetingSchedule()
    pending = pending_due_dates(queryset, schedule)
    counts = tallies(queryset, today, ministries, current, pending)
    group = list_form.group_key or next((key for key in GROUP_KEYS if counts.count(key)), GROUP_KEYS[0])
    sort = list_form.sort_key or DEFAULT_SORTS.get(group, "due")

    # A deferred join: the order and the page walk only primary keys; the 25 full rows are loaded afterwards.
    ordered = with_due(queryset, pending).filter(group_conditions(today)[group]).order_by(*list_order(sort, today))
    paginator = Paginator(ordered.values_list("pk", flat=True), PAGE_SIZE)
    paginator.count = counts.count(group)  # counted already, with the lists' other counts
    page = paginator.get_page(request.GET.get("page"))
    keys = list(page.object_list)
    loaded = with_follow_up_relations(with_due(Commitment.objects.filter(pk__in=keys), pending)).annotate(
        due_on=F("due")).prefetch_related(holder_prefetch()).in_bulk() if keys else {}
    rows = []
    for commitment in (loaded[key] for key in keys if key in loaded):
        responsible = commitment.ministry_id or commitment.fiche.lead_ministry_id
        commitment.current_ministry = ministries.get(current_ministry_of(responsible, current))
        holders = commitment.current_holders
        commitment.holder = holders[0].officer if holders else None
        rows.append(Row(commitment, commitment.due_on, schedule.next_meeting(commitment), today))
    page.numbers = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))

    ministry = filterset.form.cleaned_data.get("ministry") if valid else None
    budgets = tracked_budgets(request.user)
    if ministry:
        budgets = budgets.filter(ministry__in=lineage_ids([ministry], successors))
    chosen_fiche = filterset.form.cleaned_data.get("fiche") if valid else None
    return render(
        request,
        "followup/dashboard.html",
        {
            "filter": filterset,
            "list_form": list_form,
            "sort_field": ListForm(initial={"sort": sort})["sort"],  # shows the order in use, the list's default included
            "sort": sort,
            "mine": filterset.shows_mine,
            "tallies": counts,
            "tabs": [(key, TAB_TITLES[key], counts.count(key), _with_param(request, group=key)) for key in GROUP_KEYS],
            "group": group,
            "group_title": GROUP_TITLES[group],
            "page_obj": page,
            "rows": rows,
            "query_string": _with_param(request, group=group),
            "today": today,
            "upcoming_meetings": schedule.upcoming(today, limit=8),
            "cofinancing": cofinancing_totals(budgets, ministries, current),
            "ministry": ministry,
            "chosen_fiche": chosen_fiche,
            "without_fiche": _with_param(request, fiche=None, group=None),
            "historic_ministries": [
                (m, str(m), ministries.get(current.get(m.pk)))
                for m in sorted(ministries.values(), key=lambda m: (m.name, m.valid_from or date.min)) if m.valid_until
            ],
            "may_change": may_change_some(request.user),
            "bulk_form": BulkStatusForm(user=request.user) if may_change_some(request.user) else None,
            "next_url": request.get_full_path(),
        },
    )


def holder_prefetch():
    return Prefetch("assignments", queryset=CommitmentAssignment.objects.current().select_related("officer"), to_attr="current_holders")


def _commitment_or_404(user, fiche, position):
    """The commitment as ``user`` may see it; one they may not see answers exactly like one that does not exist."""
    queryset = with_follow_up_relations(tracked_commitments(user)).prefetch_related(history_prefetch())
    return get_object_or_404(queryset, fiche__natural_id=fiche, position=position)


def _render_detail(request, commitment, *, form=None, assign_form=None):
    may_change = can_change_commitment(request.user, commitment)
    schedule = MeetingSchedule()
    (row,) = rows_for([commitment], schedule, timezone.localdate())
    holders = list(commitment.assignments.select_related("officer", "assigned_by").order_by("assigned_at", "pk"))
    responsible = row.ministry
    carried_on_by = None
    if responsible is not None and responsible.successor_id:  # dissolved: who follows it up today
        carried_on_by = Ministry.objects.filter(pk=current_ministry_of(responsible.pk, current_ministry_ids())).first()
    bound = [f for f in (form, assign_form) if f is not None and f.is_bound]
    return render(
        request,
        "followup/commitment_detail.html",
        {
            "commitment": commitment, "row": row, "may_change": may_change,
            "form": form or StatusChangeForm(commitment=commitment),
            "assign_form": (assign_form or AssignForm(commitment=commitment)) if may_change else None,
            "holders": holders, "holder": next((h for h in holders if h.is_current), None), "carried_on_by": carried_on_by,
        },
        status=400 if any(f.errors for f in bound) else 200,
    )


@require_http_methods(["GET", "POST"])
@staff_required
@never_cache
def commitment_detail(request, fiche, position):
    commitment = _commitment_or_404(request.user, fiche, position)
    if request.method != "POST":
        return _render_detail(request, commitment)
    if not can_change_commitment(request.user, commitment):
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
    return _render_detail(request, commitment, form=form)


@require_POST
@staff_required
def commitment_assign_view(request, fiche, position):
    """Give the commitment a holder (or none); the history of holders stays on its page."""
    commitment = _commitment_or_404(request.user, fiche, position)
    if not can_change_commitment(request.user, commitment):
        raise PermissionDenied(_("U mag de toezeggingen van dit ministerie niet toewijzen."))
    form = AssignForm(request.POST, commitment=commitment)
    if form.is_valid():
        officer = form.cleaned_data["officer"]
        try:
            commitment_assign(commitment=commitment, officer=officer, by=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            for field, field_errors in error.message_dict.items():
                for message in field_errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            if officer is None:
                messages.success(request, _("De toezegging heeft geen houder meer."))
            else:
                messages.success(request, _("%(name)s is nu houder van deze toezegging.") % {"name": holder_name(officer)})
            return redirect("followup:commitment_detail", fiche=fiche, position=position)
    return _render_detail(request, commitment, assign_form=form)


def _safe_next(request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("followup:dashboard")


@require_POST
@staff_required
def bulk_status(request):
    """The same status, note and evidence for the commitments ticked on the dashboard: one change each, all or nothing."""
    form = BulkStatusForm(request.POST, user=request.user)
    next_url = _safe_next(request)
    if form.is_valid():
        data = form.cleaned_data
        try:
            changes = commitments_set_status(
                commitments=data["commitments"], to_status=data["to_status"], by=request.user, note=data["note"],
                evidence_reference=data["evidence_reference"], evidence_url=data["evidence_url"], evidence_date=data["evidence_date"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, ngettext(
                "De wijziging is vastgelegd voor %(count)d toezegging.", "De wijziging is vastgelegd voor %(count)d toezeggingen.", len(changes)
            ) % {"count": len(changes)})
            return redirect(next_url)
    chosen = form.cleaned_data.get("commitments") if hasattr(form, "cleaned_data") else None
    return render(
        request, "followup/bulk_status.html", {"form": form, "chosen": list(chosen or []), "next_url": next_url}, status=400,
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
    fiches = visible_fiches(grant.user, token_feed=True)
    if grant.ministry_id:
        fiches = for_ministry_lineage(fiches, [grant.ministry])
    return _calendar_response(build_calendar(name=name, commitments=commitments, fiches=fiches, staff=True), filename, private=True)


@require_safe
def public_calendar(request, code=None):
    """The public feed: commitments of published fiches only (``published()`` honours the embargo)."""
    commitments = Commitment.objects.published()
    fiches = Fiche.objects.published()
    subject = _("toezeggingen en Raden")  # outside the f-string, where makemessages finds it
    name = f"fichetracker · {subject}"
    filename = "fichetracker.ics"
    if code is not None:
        ministry = get_object_or_404(Ministry, code=code)
        commitments = for_ministry_lineage(commitments, [ministry])
        fiches = for_ministry_lineage(fiches, [ministry])
        name = f"fichetracker · {ministry.abbreviation} · {subject}"
        filename = f"fichetracker-{ministry.code}.ics"
    return _calendar_response(build_calendar(name=name, commitments=commitments, fiches=fiches, staff=False), filename, private=False)

