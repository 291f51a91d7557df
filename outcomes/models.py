"""The outcome ledger: "Heeft Nederland zijn zin gekregen?"

After the Council and Parliament adopt the act a fiche assessed, a follow-up officer records what came of
the Dutch position: the adopted act (CELEX number, date), how the Netherlands voted in the Council, and
for each point of the position whether it was achieved. An outcome hangs from the fiche that holds the
position, so it is scoped by that fiche's ministries like commitments are, and it passes the fiche's own
workflow (draft -> review -> adopted -> published, ``outcomes.workflow``) before a reader sees it.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from positions.models import Fiche, FicheStatus

# An adopted act in EUR-Lex: sector 3 (legislation), year, descriptor (R, L, D, ...), number.
ACT_CELEX = re.compile(r"3\d{4}[A-Z]{1,2}\d{4}")


class Vote(models.TextChoices):
    FOR = "for", _("voor")
    AGAINST = "against", _("tegen")
    ABSTAINED = "abstained", _("onthouding")
    NO_VOTE = "no_vote", _("geen stemming")


class Achievement(models.TextChoices):
    ACHIEVED = "achieved", _("bereikt")
    PARTLY = "partly", _("deels bereikt")
    NOT_ACHIEVED = "not_achieved", _("niet bereikt")


class OutcomeQuerySet(models.QuerySet):
    def published(self):
        """The public gate: the outcome is published and so is its fiche (past any embargo)."""
        return self.filter(status=FicheStatus.PUBLISHED, fiche__in=Fiche.objects.published())


class Outcome(models.Model):
    Status = FicheStatus
    Vote = Vote

    fiche = models.OneToOneField(Fiche, verbose_name=_("fiche"), on_delete=models.CASCADE, related_name="outcome")
    celex = models.CharField(
        _("CELEX-nummer van de aangenomen handeling"), max_length=20,
        validators=[RegexValidator(f"^{ACT_CELEX.pattern}$", _("Geen CELEX-nummer van een aangenomen handeling: "
                                                                "sector 3, jaar, soort en nummer, bijv. 32024R1689."))],
        help_text=_("Bijv. 32024R1689 (verordening), 32022L2555 (richtlijn)."))
    adopted_on = models.DateField(_("datum aanneming"))
    dutch_vote = models.CharField(_("stem van Nederland in de Raad"), max_length=10, choices=Vote)
    summary = models.TextField(_("toelichting"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=FicheStatus, default=FicheStatus.DRAFT)
    updated_at = models.DateTimeField(_("laatst gewijzigd"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("laatst gewijzigd door"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    objects = OutcomeQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("uitkomst")
        verbose_name_plural = _("uitkomsten")
        ordering = ["-adopted_on", "pk"]
        permissions = [("submit_outcome", "Mag een uitkomst ter review aanbieden")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=FicheStatus.values), name="outcome_status_valid"),
            models.CheckConstraint(condition=Q(dutch_vote__in=Vote.values), name="outcome_vote_valid"),
        ]

    def __str__(self):
        return _("Uitkomst van %(fiche)s") % {"fiche": self.fiche}

    def clean(self):
        errors = {}
        if self.adopted_on and self.adopted_on > timezone.localdate():
            errors["adopted_on"] = _("De datum van aanneming ligt in de toekomst; vul de uitkomst in als de handeling is aangenomen.")
        fiche = self.fiche if self.fiche_id else None
        if self.adopted_on and fiche and fiche.sent_on and self.adopted_on < fiche.sent_on:
            errors["adopted_on"] = _("De handeling kan niet zijn aangenomen (%(adopted)s) voordat het fiche naar de Kamer ging (%(sent)s).") % {
                "adopted": self.adopted_on.strftime("%d-%m-%Y"), "sent": fiche.sent_on.strftime("%d-%m-%Y")}
        if errors:
            raise ValidationError(errors)

    @property
    def eurlex_url(self):
        return f"https://eur-lex.europa.eu/legal-content/NL/TXT/?uri=CELEX:{self.celex}"


class OutcomePoint(models.Model):
    Achievement = Achievement

    outcome = models.ForeignKey(Outcome, verbose_name=_("uitkomst"), on_delete=models.CASCADE, related_name="points")
    position = models.PositiveSmallIntegerField(_("volgorde"), default=1)
    point = models.TextField(_("punt van de Nederlandse inzet"))
    achievement = models.CharField(_("bereikt?"), max_length=12, choices=Achievement)
    explanation = models.TextField(_("toelichting"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("punt van de inzet")
        verbose_name_plural = _("punten van de inzet")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["outcome", "position"], name="outcome_point_position_unique"),
            models.CheckConstraint(condition=Q(achievement__in=Achievement.values), name="outcome_point_achievement_valid"),
        ]

    def __str__(self):
        return self.point[:80]
