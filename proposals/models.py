"""Commission documents and the reference data fiches point at: ministries, Council configurations
and Council meetings."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from . import references
from .deadlines import SubsidiarityWindow, fiche_deadline


def ministry_label(name, valid_from=None, valid_until=None):
    """A ministry's name without "Ministerie van", with its period when it has one, so that ministries
    of the same name tell apart: "Economische Zaken (2012-2017)", "Justitie (tot 2010)". The one rule for
    ``Ministry.label`` and ``short_label`` and for the lists that read these fields as plain values."""
    short = name.removeprefix("Ministerie van ").removeprefix("ministerie van ") if name else ""
    if valid_from and valid_until:
        return f"{short} ({valid_from.year}-{valid_until.year})"
    if valid_until:
        return gettext("%(name)s (tot %(year)s)") % {"name": short, "year": valid_until.year}
    if valid_from:
        return gettext("%(name)s (sinds %(year)s)") % {"name": short, "year": valid_from.year}
    return short


class AliasedQuerySet(models.QuerySet):
    def by_name(self, text):
        """Find rows by code, name or any alias, ignoring case and surrounding spaces."""
        text = (text or "").strip()
        return self.filter(
            Q(abbreviation__iexact=text) | Q(name__iexact=text) | Q(aliases__name__iexact=text)
        ).distinct()


class MinistryQuerySet(AliasedQuerySet):
    def current(self, on=None):
        """Ministries that exist on ``on`` (today when omitted)."""
        from django.utils import timezone

        on = on or timezone.localdate()
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gt=on)
        )


class MinistryManager(models.Manager.from_queryset(MinistryQuerySet)):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Ministry(models.Model):
    code = models.SlugField(
        _("code"), max_length=20, unique=True,
        help_text=_("Vaste sleutel, ook voor historische ministeries met dezelfde afkorting (bijv. ez-2012)."),
    )
    abbreviation = models.CharField(_("afkorting"), max_length=12, help_text=_("Zoals in fiches gebruikt: EZK, BZ, IenW."))
    name = models.CharField(_("naam"), max_length=200, help_text=_("Volledige naam, bijv. Ministerie van Economische Zaken en Klimaat."))
    valid_from = models.DateField(_("bestaat vanaf"), null=True, blank=True)
    valid_until = models.DateField(_("bestaat tot"), null=True, blank=True, help_text=_("Leeg voor een bestaand ministerie."))
    successor = models.ForeignKey(
        "self", verbose_name=_("opvolger"), null=True, blank=True, on_delete=models.SET_NULL, related_name="predecessors"
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("medewerkers"), blank=True, related_name="ministries",
        help_text=_("Gebruikers die voor dit ministerie werken; bepaalt welke concepten zij zien."),
    )

    objects = MinistryManager()

    class Meta:
        verbose_name = _("ministerie")
        verbose_name_plural = _("ministeries")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_from__isnull=True) | Q(valid_until__gt=models.F("valid_from")),
                name="ministry_valid_period_in_order",
                violation_error_message=_("De einddatum moet na de begindatum liggen."),
            ),
        ]

    def __str__(self):
        """The name and abbreviation, and for a ministry that no longer exists its period: ministries that were
        renamed or split share names and abbreviations (EZ until 2010, 2012-2017 and since 2024), and every select,
        filter and report of the staff pages names them by this."""
        if self.valid_until:
            start = f"{self.valid_from:%Y}–" if self.valid_from else _("tot ")
            return f"{self.name} ({self.abbreviation}, {start}{self.valid_until:%Y})"
        return f"{self.name} ({self.abbreviation})"

    def natural_key(self):
        return (self.code,)

    @property
    def is_current(self):
        return self.valid_until is None

    @property
    def label(self):
        """The name with its period, e.g. "Economische Zaken (2012-2017)" (``ministry_label``)."""
        return ministry_label(self.name, self.valid_from, self.valid_until)

    @property
    def short_label(self):
        """The abbreviation with its period, e.g. "EZ (2012-2017)", for a compact row."""
        return ministry_label(self.abbreviation, self.valid_from, self.valid_until)


class AliasManager(models.Manager):
    """Aliases are their own natural key, so fixtures load twice without duplicates."""

    def get_by_natural_key(self, name):
        return self.get(name=name)


class MinistryAlias(models.Model):
    ministry = models.ForeignKey(Ministry, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("alias"), max_length=200, unique=True, help_text=_("Andere schrijfwijze of historische naam."))

    objects = AliasManager()

    class Meta:
        verbose_name = _("alias van ministerie")
        verbose_name_plural = _("aliassen van ministeries")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)


class CouncilConfigurationQuerySet(AliasedQuerySet):
    pass


class CouncilConfigurationManager(models.Manager.from_queryset(CouncilConfigurationQuerySet)):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class CouncilConfiguration(models.Model):
    code = models.CharField(_("EU-code"), max_length=10, unique=True, help_text=_("Stabiele EU-code, bijv. TTE of ECOFIN."))
    name = models.CharField(_("naam"), max_length=200, help_text=_("Nederlandse naam zoals in fiches, bijv. Raad Vervoer, Telecommunicatie en Energie."))
    abbreviation = models.CharField(_("Nederlandse afkorting"), max_length=20, blank=True)
    name_en = models.CharField(_("Engelse naam"), max_length=200, blank=True)

    objects = CouncilConfigurationManager()

    class Meta:
        verbose_name = _("Raadsformatie")
        verbose_name_plural = _("Raadsformaties")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)


class CouncilConfigurationAlias(models.Model):
    configuration = models.ForeignKey(CouncilConfiguration, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("alias"), max_length=200, unique=True, help_text=_("Losse benaming uit fiches, bijv. Telecomraad."))

    objects = AliasManager()

    class Meta:
        verbose_name = _("alias van Raadsformatie")
        verbose_name_plural = _("aliassen van Raadsformaties")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)


class CouncilMeetingQuerySet(models.QuerySet):
    def get_by_natural_key(self, configuration_code, date):
        return self.get(configuration__code=configuration_code, date=date)

    def upcoming(self, on=None):
        from django.utils import timezone

        return self.filter(date__gte=on or timezone.localdate())


class CouncilMeeting(models.Model):
    configuration = models.ForeignKey(CouncilConfiguration, verbose_name=_("Raadsformatie"), on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField(_("datum"))
    end_date = models.DateField(_("einddatum"), null=True, blank=True)
    is_formal = models.BooleanField(_("formeel"), default=True, help_text=_("Informele Raden krijgen geen geannoteerde agenda."))
    notes = models.CharField(_("toelichting"), max_length=300, blank=True)

    objects = CouncilMeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("Raadsvergadering")
        verbose_name_plural = _("Raadsvergaderingen")
        ordering = ["date", "configuration__code"]
        constraints = [
            models.UniqueConstraint(fields=["configuration", "date"], name="council_meeting_unique_per_day"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("date")),
                name="council_meeting_dates_in_order",
                violation_error_message=_("De einddatum van de vergadering ligt voor de begindatum."),
            ),
        ]
        indexes = [models.Index(fields=["date"])]

    def __str__(self):
        return f"{self.configuration.code} {self.date:%d-%m-%Y}"

    def natural_key(self):
        return (self.configuration.code, self.date.isoformat())

    natural_key.dependencies = ["proposals.councilconfiguration"]


class CommissionDocumentQuerySet(models.QuerySet):
    def published(self):
        """Documents a reader may see: assessed in a published fiche, or related to one that is.

        The public gate for documents; the default manager stays unfiltered for the admin.
        """
        # The fiches are the other side of their many-to-many ``documents`` (declared in positions).
        Fiche = self.model._meta.get_field("fiches").related_model

        def assessed(document):
            # Correlated EXISTS: the planner probes the document's own fiches instead of scanning all.
            return Exists(Fiche.objects.published().filter(documents=document))

        related_to_assessed = Exists(DocumentRelation.objects.filter(source=OuterRef("pk")).filter(assessed(OuterRef("target")))) | Exists(
            DocumentRelation.objects.filter(target=OuterRef("pk")).filter(assessed(OuterRef("source")))
        )
        return self.filter(assessed(OuterRef("pk")) | related_to_assessed)

    def by_reference(self, value):
        ref = references.parse_reference(value)
        return self.filter(doc_type=ref.doc_type, year=ref.year, number=ref.number)


class CommissionDocumentManager(models.Manager.from_queryset(CommissionDocumentQuerySet)):
    def get_by_natural_key(self, doc_type, year, number):
        return self.get(doc_type=doc_type, year=year, number=number)


# The choices live at module level so that Meta.constraints can list their values (a nested class body
# cannot see the model's). Models keep them under their usual names: CommissionDocument.Kind, ...
class DocumentType(models.TextChoices):
    COM = "COM", "COM"
    JOIN = "JOIN", "JOIN"
    C = "C", "C"
    SWD = "SWD", "SWD"
    SEC = "SEC", "SEC"


class DocumentKind(models.TextChoices):
    REGULATION = "regulation", _("verordening")
    DIRECTIVE = "directive", _("richtlijn")
    DECISION = "decision", _("besluit")
    COMMUNICATION = "communication", _("mededeling")
    RECOMMENDATION = "recommendation", _("aanbeveling")
    REPORT = "report", _("verslag")
    WORKING_DOCUMENT = "working_document", _("werkdocument")
    OTHER = "other", _("overig")


# Kinds of COM document that are draft legislative acts, subject to parliament's subsidiarity check (Protocol No 2).
LEGISLATIVE_KINDS = (DocumentKind.REGULATION, DocumentKind.DIRECTIVE, DocumentKind.DECISION)


class RelationKind(models.TextChoices):
    SAME_PACKAGE = "same_package", _("zelfde pakket")
    AMENDS = "amends", _("wijzigt")
    REPLACES = "replaces", _("vervangt")
    ACCOMPANIES = "accompanies", _("begeleidt")
    IMPLEMENTS = "implements", _("voert uit")


class CommissionDocument(models.Model):
    DocType = DocumentType
    Kind = DocumentKind

    doc_type = models.CharField(_("type"), max_length=4, choices=DocType)
    year = models.PositiveSmallIntegerField(_("jaar"))
    number = models.PositiveIntegerField(_("nummer"))
    celex = models.CharField(
        _("CELEX-nummer"), max_length=20, blank=True,
        help_text=_("Bijv. 52024DC0028; moet bij de referentie passen. De EUR-Lex-link wordt hieruit afgeleid."),
    )
    procedure = models.CharField(
        _("interinstitutionele procedure"), max_length=20, blank=True,
        help_text=_("Bijv. 2024/0016(CNS) of 2014/0202(COD)."), validators=[references.validate_procedure],
    )
    title = models.TextField(_("titel"))
    kind = models.CharField(_("soort"), max_length=20, choices=Kind, default=Kind.OTHER)
    adopted_on = models.DateField(_("datum Commissie"), null=True, blank=True, help_text=_("Datum waarop de Commissie het document publiceerde."))
    received_on = models.DateField(_("datum ontvangst"), null=True, blank=True, help_text=_("Start van de termijn voor het BNC-fiche."))
    is_parliamentary_priority = models.BooleanField(
        _("prioritair voor de Kamer"), default=False, help_text=_("De Kamer heeft dit voorstel geprioriteerd: termijn van drie weken."),
    )
    related = models.ManyToManyField("self", through="DocumentRelation", symmetrical=False, related_name="+", blank=True)

    objects = CommissionDocumentManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Commissiedocument")
        verbose_name_plural = _("Commissiedocumenten")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["doc_type", "year", "number"], name="document_unique_reference",
                                    violation_error_message=_("Er bestaat al een document met deze referentie.")),
            models.UniqueConstraint(fields=["celex"], condition=~Q(celex=""), name="document_unique_celex",
                                    violation_error_message=_("Er bestaat al een document met dit CELEX-nummer.")),
            models.CheckConstraint(condition=Q(doc_type__in=DocumentType.values), name="document_valid_type"),
            models.CheckConstraint(condition=Q(kind__in=DocumentKind.values), name="document_valid_kind"),
            models.CheckConstraint(condition=Q(year__gte=1950) & Q(year__lte=2100), name="document_valid_year"),
            models.CheckConstraint(condition=Q(number__gte=1), name="document_positive_number"),
            models.CheckConstraint(
                condition=Q(received_on__isnull=True) | Q(adopted_on__isnull=True) | Q(received_on__gte=models.F("adopted_on")),
                name="document_received_after_adopted",
                violation_error_message=_("De datum van ontvangst ligt voor de datum van de Commissie."),
            ),
        ]
        indexes = [models.Index(fields=["kind"]), models.Index(fields=["received_on"])]

    def __str__(self):
        return self.reference

    def natural_key(self):
        return (self.doc_type, self.year, self.number)

    @property
    def reference_parts(self):
        return references.Reference(self.doc_type, self.year, self.number)

    @property
    def reference(self):
        return str(self.reference_parts)

    @property
    def slug(self):
        return self.reference_parts.slug

    @property
    def eurlex_url(self):
        return references.eurlex_url(self.celex) if self.celex else ""

    @property
    def procedure_url(self):
        if not self.procedure:
            return ""
        return f"https://oeil.secure.europarl.europa.eu/oeil/popups/ficheprocedure.do?reference={self.procedure}"

    @property
    def fiche_deadline(self):
        if not self.received_on:
            return None
        return fiche_deadline(self.received_on, priority=self.is_parliamentary_priority)

    @property
    def is_legislative_proposal(self):
        """A Commission proposal for a regulation, directive or decision: a draft legislative act."""
        return self.doc_type == DocumentType.COM and self.kind in LEGISLATIVE_KINDS

    @property
    def subsidiarity_window(self):
        """Parliament's eight weeks for a reasoned opinion, counted from transmission (taken to be ``received_on``),
        or None when this is no legislative proposal or its transmission date is unknown."""
        if not (self.is_legislative_proposal and self.received_on):
            return None
        return SubsidiarityWindow(self.received_on)

    def get_absolute_url(self):
        return reverse("public:document_detail", kwargs={"reference": self.slug})

    def clean(self):
        super().clean()
        if self.celex and self.doc_type and self.year and self.number:
            references.check_celex_matches(self.celex, self.reference_parts)

    def set_reference(self, value):
        ref = references.parse_reference(value)
        self.doc_type, self.year, self.number = ref.doc_type, ref.year, ref.number


class DocumentRelationManager(models.Manager):
    def get_by_natural_key(self, source_key, target_key, kind):
        return self.get(source__doc_type=source_key[0], source__year=source_key[1], source__number=source_key[2],
                        target__doc_type=target_key[0], target__year=target_key[1], target__number=target_key[2], kind=kind)


class DocumentRelation(models.Model):
    Kind = RelationKind

    source = models.ForeignKey(CommissionDocument, on_delete=models.CASCADE, related_name="relations_from")
    target = models.ForeignKey(CommissionDocument, verbose_name=_("gerelateerd document"), on_delete=models.CASCADE, related_name="relations_to")
    kind = models.CharField(_("relatie"), max_length=20, choices=Kind)

    objects = DocumentRelationManager()

    class Meta:
        verbose_name = _("documentrelatie")
        verbose_name_plural = _("documentrelaties")
        ordering = ["kind", "target__year", "target__number"]
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "kind"], name="document_relation_unique"),
            models.CheckConstraint(condition=~Q(source=models.F("target")), name="document_relation_not_self",
                                   violation_error_message=_("Een document kan geen relatie met zichzelf hebben.")),
            models.CheckConstraint(condition=Q(kind__in=RelationKind.values), name="document_relation_valid_kind"),
        ]

    def __str__(self):
        return f"{self.source} {self.get_kind_display()} {self.target}"

    def natural_key(self):
        return (self.source.natural_key(), self.target.natural_key(), self.kind)

    natural_key.dependencies = ["proposals.commissiondocument"]

