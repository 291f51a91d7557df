"""What the bulk import (``import_archive``, ``harvest_fiches``) remembers of each file it read.

One row per file content (its SHA-256): a rerun, or a run resumed after an interruption, skips a file
whose content was already imported, and the admin's "te controleren" list shows the warnings the
import left on a fiche, each by the field it is about.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from positions.models import Fiche


class ImportResult(models.TextChoices):
    CREATED = "created", _("nieuw")
    UPDATED = "updated", _("bijgewerkt")
    UNCHANGED = "unchanged", _("ongewijzigd")
    FAILED = "failed", _("mislukt")


class ImportedFileQuerySet(models.QuerySet):
    def done(self):
        """Files whose import went through (the fiche was made, updated or already right): a rerun skips them."""
        return self.exclude(result=ImportResult.FAILED)

    def with_warnings(self):
        """Files that left warnings on a fiche nobody has checked yet: the admin's "te controleren" list."""
        return self.filter(warning_count__gt=0, fiche__isnull=False, checked=False)


class ImportedFile(models.Model):
    Result = ImportResult

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    path = models.CharField(_("bestand"), max_length=1000)
    identifier = models.CharField(_("documentnummer"), max_length=60, blank=True, db_index=True,
                                  help_text=_("Bij ophalen van officielebekendmakingen.nl: bijv. kst-22112-3950."))
    result = models.CharField(_("uitkomst"), max_length=10, choices=ImportResult)
    published = models.BooleanField(_("als gepubliceerd geladen"), default=False)
    fiche = models.ForeignKey(Fiche, verbose_name=_("fiche"), null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="imported_files")
    kamerstuk = models.CharField(_("Kamerstuknummer"), max_length=20, blank=True)
    references = models.CharField(_("Commissiedocumenten"), max_length=500, blank=True)
    warning_count = models.PositiveIntegerField(_("waarschuwingen"), default=0)
    warnings = models.JSONField(_("waarschuwingen per veld"), default=list, blank=True,
                                help_text=_("Lijst van [veld, waarschuwing] zoals het inlezen ze gaf."))
    seconds = models.FloatField(_("seconden"), default=0)
    message = models.TextField(_("melding"), blank=True)
    checked = models.BooleanField(_("gecontroleerd"), default=False,
                                  help_text=_("Een redacteur heeft de waarschuwingen bij het fiche nagelopen."))
    imported_at = models.DateTimeField(_("ingelezen op"), auto_now=True)

    objects = ImportedFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("ingelezen bestand")
        verbose_name_plural = _("ingelezen bestanden")
        ordering = ["-imported_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(result__in=ImportResult.values), name="imported_file_valid_result"),
            models.CheckConstraint(condition=Q(seconds__gte=0), name="imported_file_seconds_not_negative"),
        ]
        indexes = [models.Index(fields=["fiche", "warning_count"])]

    def __str__(self):
        return f"{self.path} ({self.get_result_display()})"


class FicheToCheck(Fiche):
    """Fiches the bulk import left warnings on, as the admin's "te controleren" list shows them (importer/admin.py)."""

    class Meta:
        proxy = True
        verbose_name = _("te controleren fiche")
        verbose_name_plural = _("te controleren fiches (archiefimport)")
