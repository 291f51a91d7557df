"""What follow-up itself needs to remember: who holds which commitment, which reminders went out, and the
secret calendar links."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from positions.models import Commitment
from proposals.models import Ministry


class CommitmentAssignmentQuerySet(models.QuerySet):
    def current(self):
        """The assignments in force: one per commitment at most (a database constraint)."""
        return self.filter(ended_at__isnull=True)


class CommitmentAssignment(models.Model):
    """A named officer holds a commitment from ``assigned_at`` until ``ended_at`` (empty while they still do).

    Rows are never rewritten except to end them, so together they are the history of who held the
    commitment; ``followup.services.commitment_assign`` ends the current row and starts the next in one
    transaction. Ownership lives here rather than on the commitment: it is follow-up's business, the
    fiche does not change when an officer takes over.
    """

    commitment = models.ForeignKey(Commitment, verbose_name=_("toezegging"), on_delete=models.CASCADE, related_name="assignments")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("houder"), on_delete=models.PROTECT,
                                related_name="commitment_assignments")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("toegewezen door"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    assigned_at = models.DateTimeField(_("houder sinds"), default=timezone.now)
    ended_at = models.DateTimeField(_("houder tot"), null=True, blank=True)
    note = models.CharField(_("toelichting"), max_length=500, blank=True)

    objects = CommitmentAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("houder van een toezegging")
        verbose_name_plural = _("houders van toezeggingen")
        ordering = ["commitment", "assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["commitment"], condition=Q(ended_at__isnull=True), name="commitment_one_current_holder",
                                    violation_error_message=_("Een toezegging heeft hoogstens één houder tegelijk.")),
            models.CheckConstraint(condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("assigned_at")),
                                   name="commitment_assignment_ends_after_start"),
        ]
        indexes = [models.Index(fields=["officer", "ended_at"])]

    def __str__(self):
        return f"{self.commitment} · {self.officer}"

    @property
    def is_current(self):
        return self.ended_at is None


class ReminderKind(models.TextChoices):
    FOUR_WEEKS = "four_weeks", _("binnen vier weken")
    ONE_WEEK = "one_week", _("binnen een week")
    OVERDUE = "overdue", _("verlopen")


class ReminderLog(models.Model):
    """One reminder about one commitment sent to one person.

    ``send_reminders`` consults this log, so a second run on the same day sends nothing new and each
    four-week and one-week notice goes out once per due date (a new deadline earns new notices).
    """

    Kind = ReminderKind  # at module level, so that Meta.constraints can list its values

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("ontvanger"), on_delete=models.CASCADE, related_name="commitment_reminders")
    commitment = models.ForeignKey(Commitment, verbose_name=_("toezegging"), on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("soort"), max_length=20, choices=Kind)
    due_date = models.DateField(_("uiterste datum op moment van verzenden"))
    sent_on = models.DateField(_("verzonden op"))
    created_at = models.DateTimeField(_("vastgelegd"), auto_now_add=True)

    class Meta:
        verbose_name = _("verzonden herinnering")
        verbose_name_plural = _("verzonden herinneringen")
        ordering = ["-sent_on", "user", "commitment"]
        constraints = [
            models.UniqueConstraint(fields=["user", "commitment", "kind", "due_date", "sent_on"], name="reminder_once_per_day"),
            models.CheckConstraint(condition=Q(kind__in=ReminderKind.values), name="reminder_valid_kind"),
        ]
        indexes = [models.Index(fields=["user", "sent_on"])]

    def __str__(self):
        return f"{self.user} · {self.commitment} · {self.get_kind_display()} ({self.sent_on:%d-%m-%Y})"


def new_calendar_token():
    return secrets.token_urlsafe(32)


class CalendarTokenQuerySet(models.QuerySet):
    def active(self):
        """Tokens that still open their feed: not revoked, and their owner still an active staff member."""
        return self.filter(revoked_at__isnull=True, user__is_active=True, user__is_staff=True)


class CalendarToken(models.Model):
    """A secret, revocable link to a staff calendar feed (one ministry, or all when ``ministry`` is empty)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("eigenaar"), on_delete=models.CASCADE, related_name="calendar_tokens")
    ministry = models.ForeignKey(Ministry, verbose_name=_("ministerie"), null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="calendar_tokens", help_text=_("Leeg: de agenda van alle ministeries."))
    token = models.CharField(_("geheime sleutel"), max_length=64, unique=True, default=new_calendar_token, editable=False)
    label = models.CharField(_("omschrijving"), max_length=100, blank=True, help_text=_("Bijv. 'agenda-app op kantoor'."))
    created_at = models.DateTimeField(_("aangemaakt"), default=timezone.now)
    revoked_at = models.DateTimeField(_("ingetrokken"), null=True, blank=True)

    objects = CalendarTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("agendalink")
        verbose_name_plural = _("agendalinks")
        ordering = ["-created_at"]

    def __str__(self):
        scope = self.ministry.abbreviation if self.ministry_id else _("alle ministeries")
        return f"{self.user} · {scope}"

    def get_absolute_url(self):
        return reverse("followup:staff_calendar", kwargs={"token": self.token})

    @property
    def is_revoked(self):
        return self.revoked_at is not None
