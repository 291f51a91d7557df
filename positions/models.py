"""BNC-fiches and what they hold: sections, verdicts, footnotes, commitments and cofinancing."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.urls_safety import safe_url_condition, safe_url_list_condition, validate_safe_url, validate_safe_url_list
from proposals import references
from proposals.deadlines import exact_fiche_deadline
from proposals.models import CommissionDocument, CouncilConfiguration, CouncilMeeting, Ministry

kamerstuk_validator = RegexValidator(
    references.KAMERSTUK_STORED_RE,
    _("Een Kamerstuknummer heeft de vorm 22112-3908 (dossier, streepje, nummer)."),
    code="invalid_kamerstuk",
)


def new_natural_id():
    import uuid

    return uuid.uuid4().hex


class Verdict(models.TextChoices):
    POSITIVE = "positief", _("positief")
    POSITIVE_WITH_REMARKS = "positief met kanttekeningen", _("positief met kanttekeningen")
    NEUTRAL = "neutraal", _("neutraal")
    NEGATIVE = "negatief", _("negatief")
    NOT_YET = "nog niet te beoordelen", _("nog niet te beoordelen")


# The three verdicts of a fiche: (field name, label), in template order. Lazy labels: read at import, shown in each reader's language.
VERDICTS = (("competence", _("Bevoegdheid")), ("subsidiarity", _("Subsidiariteit")), ("proportionality", _("Proportionaliteit")))


class TemplateKind(models.TextChoices):
    LEGISLATIVE = "legislative", _("wetgevend voorstel")
    COMMUNICATION = "communication", _("mededeling")


# The models' choices live at module level so that Meta.constraints can list their values (a nested class
# body cannot see the model's); the models keep them under their usual names (Fiche.Status, Commitment.Kind).
class FicheStatus(models.TextChoices):
    DRAFT = "draft", _("concept")
    REVIEW = "review", _("in review")
    ADOPTED = "adopted", _("vastgesteld (ministerraad)")
    PUBLISHED = "published", _("gepubliceerd")


class CommitmentKind(models.TextChoices):
    RAISE = "raise", _("aandacht vragen in Raad/EU")
    INFORM = "inform", _("Kamer informeren")
    ADVOCATE = "advocate", _("zich inzetten voor")
    DIALOGUE = "dialogue", _("dialoog")
    MONITOR = "monitor", _("volgen")
    COFINANCING = "cofinancing", _("cofinanciering")
    OTHER = "other", _("overig")


class CommitmentStatus(models.TextChoices):
    OPEN = "open", _("openstaand")
    PARTLY_FULFILLED = "partly_fulfilled", _("deels voldaan")
    FULFILLED = "fulfilled", _("voldaan")
    WITHDRAWN = "withdrawn", _("ingetrokken")
    LAPSED = "lapsed", _("vervallen")


class CommitmentDueEvent(models.TextChoices):
    NONE = "", _("geen")
    COUNCIL_MEETING = "council_meeting", _("Raadsvergadering")
    ANNOTATED_AGENDA = "annotated_agenda", _("eerstvolgende geannoteerde agenda")
    OTHER = "other", _("andere gebeurtenis")


class FicheTemplateManager(models.Manager):
    def get_by_natural_key(self, key):
        return self.get(key=key)


class FicheTemplate(models.Model):
    """A version of the fiche template. Its sections are data, so a new template needs no migration."""

    key = models.SlugField(_("sleutel"), max_length=40, unique=True, help_text=_("Bijv. communication-2024."))
    kind = models.CharField(_("soort"), max_length=20, choices=TemplateKind)
    version = models.CharField(_("versie"), max_length=20, help_text=_("Jaar of versie van het sjabloon, bijv. 2024."))
    name = models.CharField(_("naam"), max_length=200)
    in_use_from = models.DateField(_("in gebruik vanaf"), null=True, blank=True)

    objects = FicheTemplateManager()

    class Meta:
        verbose_name = _("fichesjabloon")
        verbose_name_plural = _("fichesjablonen")
        ordering = ["kind", "-version"]
        constraints = [models.CheckConstraint(condition=Q(kind__in=TemplateKind.values), name="template_valid_kind")]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.key,)


class TemplateSectionManager(models.Manager):
    def get_by_natural_key(self, template_key, key):
        return self.get(template__key=template_key, key=key)


class TemplateSection(models.Model):
    template = models.ForeignKey(FicheTemplate, on_delete=models.CASCADE, related_name="sections")
    key = models.SlugField(_("sleutel"), max_length=60, help_text=_("Stabiele sleutel over sjablonen heen, bijv. dutch-position-assessment."))
    number = models.CharField(_("nummer"), max_length=10, help_text=_("Zoals in het sjabloon: 3b, 4a."))
    title = models.CharField(_("titel"), max_length=300)
    position = models.PositiveSmallIntegerField(_("volgorde"))
    required = models.BooleanField(_("verplicht"), default=True, help_text=_("Moet gevuld zijn voordat het fiche gepubliceerd wordt."))

    objects = TemplateSectionManager()

    class Meta:
        verbose_name = _("sjabloononderdeel")
        verbose_name_plural = _("sjabloononderdelen")
        ordering = ["template", "position"]
        constraints = [
            models.UniqueConstraint(fields=["template", "key"], name="template_section_unique_key"),
            models.UniqueConstraint(fields=["template", "position"], name="template_section_unique_position"),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def natural_key(self):
        return (self.template.key, self.key)

    natural_key.dependencies = ["positions.fichetemplate"]


class BatchLetterManager(models.Manager):
    def get_by_natural_key(self, kamerstuk):
        return self.get(kamerstuk=kamerstuk)


class BatchLetter(models.Model):
    """The letter by which the Minister of Foreign Affairs sends a batch of fiches to parliament."""

    kamerstuk = models.CharField(_("Kamerstuknummer"), max_length=20, unique=True, validators=[kamerstuk_validator],
                                 help_text=_("Bijv. 22112-3906."))
    date = models.DateField(_("datum"))

    objects = BatchLetterManager()

    class Meta:
        verbose_name = _("verzamelbrief")
        verbose_name_plural = _("verzamelbrieven")
        ordering = ["-date"]

    def __str__(self):
        return f"{references.display_kamerstuk(self.kamerstuk)} ({self.date:%d-%m-%Y})"

    def natural_key(self):
        return (self.kamerstuk,)


# Newest first: the order of the public fiche list (Fiche.Meta.ordering), the API, the feeds and the exports.
FICHE_NEWEST_FIRST = ("-sent_on", "-kamerstuk", "-pk")


class FicheQuerySet(models.QuerySet):
    def newest_first(self):
        return self.order_by(*FICHE_NEWEST_FIRST)

    def published(self, now=None):
        """The single gate for public reads: published, and past its embargo if it has one."""
        now = now or timezone.now()
        return self.filter(status=Fiche.Status.PUBLISHED).filter(Q(public_from__isnull=True) | Q(public_from__lte=now))

    def with_detail(self, *, public=False, histories=False):
        """Everything a fiche's own page shows, in a fixed number of queries: the public page, its API
        record and the admin preview read the same rows. Revisions are only the published ones
        (``public_revisions``); a revised fiche (``revises``) is joined, and its callers check it is public
        (``Fiche.public_revises``). ``public``: commitments still to be confirmed (``Commitment.confirmed``)
        are left out. ``histories``: each commitment's status changes too, oldest first (the page shows
        them; the API record does not), one query for all."""
        commitments = Commitment.objects.select_related("ministry", "due_meeting__configuration").order_by("position")
        if public:
            commitments = commitments.filter(confirmed=True)
        if histories:
            commitments = commitments.prefetch_related(
                models.Prefetch("status_changes", queryset=CommitmentStatusChange.objects.order_by("changed_at", "pk"))
            )
        return self.select_related("lead_ministry", "council_configuration", "template", "batch_letter", "revises").prefetch_related(
            models.Prefetch("documents", queryset=CommissionDocument.objects.order_by("doc_type", "year", "number")),
            "sections",
            "footnotes",
            "co_ministries",
            models.Prefetch("revised_by", queryset=Fiche.objects.published().order_by("sent_on", "kamerstuk"), to_attr="public_revisions"),
            models.Prefetch("commitments", queryset=commitments),
            models.Prefetch(
                "cofinancing_budgets",
                queryset=CofinancingBudget.objects.select_related("ministry").prefetch_related(
                    models.Prefetch("priorities", queryset=CofinancingPriority.objects.order_by("position", "pk"))
                ),
            ),
        )

    def for_ministries(self, ministries):
        """Fiches where one of ``ministries`` is lead or co-ministry."""
        return self.filter(
            Q(lead_ministry__in=ministries) | Q(pk__in=Fiche.co_ministries.through.objects.filter(ministry__in=ministries).values("fiche"))
        )


class FicheManager(models.Manager.from_queryset(FicheQuerySet)):
    def get_by_natural_key(self, key):
        return self.get(natural_id=key)


class Fiche(models.Model):
    Status = FicheStatus

    natural_id = models.SlugField(
        _("vaste sleutel"), max_length=60, unique=True, editable=False, default=new_natural_id,
        help_text=_("Onveranderlijke sleutel voor fixtures en imports."),
    )
    title = models.CharField(_("titel fiche"), max_length=400, help_text=_("De kop van het fiche, zonder 'Fiche 4:'."))
    proposal_title = models.TextField(_("titel voorstel"), blank=True, help_text=_("1a. De volledige titel van het voorstel."))
    documents = models.ManyToManyField(CommissionDocument, verbose_name=_("Commissiedocumenten"), related_name="fiches", blank=True)
    kamerstuk = models.CharField(
        _("Kamerstuknummer"), max_length=20, blank=True, validators=[kamerstuk_validator],
        help_text=_("Bijv. 22112-3908; uniek. Verplicht voor publicatie."),
    )
    batch_letter = models.ForeignKey(BatchLetter, verbose_name=_("verzamelbrief"), null=True, blank=True, on_delete=models.PROTECT, related_name="fiches")
    batch_position = models.PositiveSmallIntegerField(_("nummer in verzamelbrief"), null=True, blank=True, help_text=_("'Fiche 4' is 4."))
    template = models.ForeignKey(FicheTemplate, verbose_name=_("sjabloon"), on_delete=models.PROTECT, related_name="fiches")
    is_revision = models.BooleanField(_("herzien fiche"), default=False)
    revises = models.ForeignKey("self", verbose_name=_("herziet fiche"), null=True, blank=True, on_delete=models.SET_NULL, related_name="revised_by")
    received_on = models.DateField(_("datum ontvangst Commissiedocument"), null=True, blank=True)
    received_month_only = models.BooleanField(_("alleen maand bekend"), default=False, help_text=_("Het fiche noemt alleen een maand, zoals 'november 2022'."))
    impact_assessment = models.TextField(_("impact assessment en opinie"), blank=True, help_text=_("1e. Bijv. SWD(2022) 385 of N.v.t."))
    council_configuration = models.ForeignKey(CouncilConfiguration, verbose_name=_("behandelingstraject Raad"), null=True, blank=True,
                                              on_delete=models.PROTECT, related_name="fiches")
    council_configuration_raw = models.CharField(_("behandelingstraject Raad (tekst)"), max_length=300, blank=True)
    lead_ministry = models.ForeignKey(Ministry, verbose_name=_("eerstverantwoordelijk ministerie"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="lead_fiches")
    lead_ministry_raw = models.CharField(_("eerstverantwoordelijk ministerie (tekst)"), max_length=500, blank=True)
    co_ministries = models.ManyToManyField(Ministry, verbose_name=_("medeverantwoordelijke ministeries"), blank=True, related_name="co_fiches")
    legal_basis = models.TextField(_("rechtsbasis"), blank=True)
    council_voting_rule = models.CharField(_("besluitvormingsprocedure Raad"), max_length=200, blank=True)
    parliament_role = models.CharField(_("rol Europees Parlement"), max_length=200, blank=True)
    competence = models.CharField(_("oordeel bevoegdheid"), max_length=30, choices=Verdict, blank=True)
    competence_sentence = models.TextField(_("zin over bevoegdheid"), blank=True)
    subsidiarity = models.CharField(_("oordeel subsidiariteit"), max_length=30, choices=Verdict, blank=True)
    subsidiarity_sentence = models.TextField(_("zin over subsidiariteit"), blank=True)
    proportionality = models.CharField(_("oordeel proportionaliteit"), max_length=30, choices=Verdict, blank=True)
    proportionality_sentence = models.TextField(_("zin over proportionaliteit"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    sent_on = models.DateField(_("verzonden aan de Kamer"), null=True, blank=True)
    public_from = models.DateTimeField(
        _("openbaar vanaf"), null=True, blank=True,
        help_text=_("Embargo: tot dit moment blijft het fiche onzichtbaar, ook als het gepubliceerd is."),
    )
    is_demo = models.BooleanField(_("demodata"), default=False, editable=False)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("laatst gewijzigd"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("laatst gewijzigd door"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+", editable=False)

    objects = FicheManager()
    history = HistoricalRecords(m2m_fields=[documents, co_ministries], excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("fiche")
        verbose_name_plural = _("fiches")
        ordering = list(FICHE_NEWEST_FIRST)
        constraints = [
            models.UniqueConstraint(fields=["kamerstuk"], condition=~Q(kamerstuk=""), name="fiche_unique_kamerstuk",
                                    violation_error_message=_("Er bestaat al een fiche met dit Kamerstuknummer.")),
            models.CheckConstraint(condition=Q(status__in=FicheStatus.values), name="fiche_valid_status"),
            models.CheckConstraint(condition=Q(competence__in=["", *Verdict.values]), name="fiche_valid_competence"),
            models.CheckConstraint(condition=Q(subsidiarity__in=["", *Verdict.values]), name="fiche_valid_subsidiarity"),
            models.CheckConstraint(condition=Q(proportionality__in=["", *Verdict.values]), name="fiche_valid_proportionality"),
            models.CheckConstraint(
                condition=Q(sent_on__isnull=True) | Q(received_on__isnull=True) | Q(sent_on__gte=models.F("received_on")),
                name="fiche_sent_after_received",
                violation_error_message=_("De verzenddatum ligt voor de datum van ontvangst van het Commissiedocument."),
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | (~Q(kamerstuk="") & Q(sent_on__isnull=False)),
                name="fiche_published_has_kamerstuk_and_date",
                violation_error_message=_("Een gepubliceerd fiche heeft een Kamerstuknummer en een verzenddatum."),
            ),
            models.CheckConstraint(condition=Q(batch_position__isnull=True) | Q(batch_position__gte=1), name="fiche_batch_position_positive"),
            models.CheckConstraint(condition=~Q(revises=models.F("pk")), name="fiche_not_revising_itself"),
        ]
        indexes = [
            models.Index(fields=["status", "public_from"]),
            models.Index(fields=["sent_on"]),
            models.Index(fields=["competence"]),
            models.Index(fields=["subsidiarity"]),
            models.Index(fields=["proportionality"]),
        ]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.natural_id,)

    def get_absolute_url(self):
        return reverse("public:fiche_detail", kwargs={"kamerstuk": self.kamerstuk})

    @property
    def kamerstuk_display(self):
        return references.display_kamerstuk(self.kamerstuk) if self.kamerstuk else ""

    @property
    def deadline(self):
        return exact_fiche_deadline(self.received_on, self.received_month_only)

    @property
    def sent_on_time(self):
        deadline = self.deadline
        return self.sent_on <= deadline if self.sent_on and deadline else None

    @property
    def is_public(self):
        return self.status == self.Status.PUBLISHED and (self.public_from is None or self.public_from <= timezone.now())

    @property
    def public_revises(self):
        """The fiche this one revises, when that one is public itself; otherwise None, as if it did not exist."""
        return self.revises if self.revises_id and self.revises.is_public else None

    @property
    def verdicts(self):
        """(label, value, display, sentence) for the three verdicts (``VERDICTS``), in template order."""
        return [(label, getattr(self, name), getattr(self, f"get_{name}_display")(), getattr(self, f"{name}_sentence"))
                for name, label in VERDICTS]

    def clean(self):
        super().clean()
        if self.kamerstuk:
            try:
                self.kamerstuk = references.normalise_kamerstuk(self.kamerstuk)
            except ValidationError as error:
                raise ValidationError({"kamerstuk": error}) from error
        if self.sent_on and self.received_on and self.sent_on < self.received_on:
            raise ValidationError({"sent_on": _("De verzenddatum (%(sent)s) ligt voor de datum van ontvangst (%(received)s).")
                                   % {"sent": self.sent_on, "received": self.received_on}})


class FicheChildManager(models.Manager):
    """Natural keys of rows inside a fiche: (fiche natural id, own key), so fixtures load twice safely."""

    natural_field = "key"

    def get_by_natural_key(self, fiche_id, value):
        return self.get(fiche__natural_id=fiche_id, **{self.natural_field: value})


class FicheSectionManager(FicheChildManager):
    natural_field = "key"


class FootnoteManager(FicheChildManager):
    natural_field = "number"


class FicheSection(models.Model):
    """The text of one section of a fiche. Key, number and title are copied from the template (or the
    imported document), so a fiche keeps the numbering of the era it was written in."""

    fiche = models.ForeignKey(Fiche, on_delete=models.CASCADE, related_name="sections")
    key = models.SlugField(_("sleutel"), max_length=60)
    number = models.CharField(_("nummer"), max_length=10, blank=True)
    title = models.CharField(_("titel"), max_length=300)
    position = models.PositiveSmallIntegerField(_("volgorde"))
    text = models.TextField(_("tekst"), blank=True)

    objects = FicheSectionManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("onderdeel")
        verbose_name_plural = _("onderdelen")
        ordering = ["fiche", "position"]
        constraints = [models.UniqueConstraint(fields=["fiche", "key"], name="fiche_section_unique_key")]

    def __str__(self):
        return f"{self.number}. {self.title}" if self.number else self.title

    def natural_key(self):
        return (self.fiche.natural_id, self.key)

    natural_key.dependencies = ["positions.fiche"]

    @property
    def paragraphs(self):
        return [p.strip() for p in self.text.split("\n\n") if p.strip()]


class Footnote(models.Model):
    fiche = models.ForeignKey(Fiche, on_delete=models.CASCADE, related_name="footnotes")
    number = models.PositiveSmallIntegerField(_("nummer"))
    text = models.TextField(_("tekst"))
    urls = models.JSONField(_("links"), default=list, blank=True, validators=[validate_safe_url_list],
                            help_text=_("Lijst van URL's uit de voetnoot."))

    objects = FootnoteManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("voetnoot")
        verbose_name_plural = _("voetnoten")
        ordering = ["fiche", "number"]
        constraints = [
            models.UniqueConstraint(fields=["fiche", "number"], name="footnote_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="footnote_positive_number"),
            models.CheckConstraint(condition=safe_url_list_condition("urls"), name="footnote_urls_safe",
                                   violation_error_message=_("Een voetnoot bevat alleen links met http://, https:// of mailto:.")),
        ]

    def __str__(self):
        return f"{self.number}. {self.text[:60]}"

    def natural_key(self):
        return (self.fiche.natural_id, self.number)

    natural_key.dependencies = ["positions.fiche"]


class FicheStatusChange(models.Model):
    fiche = models.ForeignKey(Fiche, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("van"), max_length=10, choices=Fiche.Status)
    to_status = models.CharField(_("naar"), max_length=10, choices=Fiche.Status)
    note = models.TextField(_("toelichting"), blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("door"), null=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(_("op"), default=timezone.now)

    class Meta:
        verbose_name = _("statuswijziging fiche")
        verbose_name_plural = _("statuswijzigingen fiches")
        ordering = ["fiche", "changed_at"]
        constraints = [
            models.CheckConstraint(condition=Q(from_status__in=FicheStatus.values), name="fiche_status_change_valid_from_status"),
            models.CheckConstraint(condition=Q(to_status__in=FicheStatus.values), name="fiche_status_change_valid_to_status"),
        ]

    def __str__(self):
        return f"{self.fiche}: {self.from_status} → {self.to_status}"


class CommitmentQuerySet(models.QuerySet):
    def get_by_natural_key(self, fiche_id, position):
        return self.get(fiche__natural_id=fiche_id, position=position)

    def published(self):
        """Confirmed commitments of published fiches only: the public gate for commitments. A commitment read
        from an archive fiche waits for a follow-up officer's confirmation (``confirmed``) before it is public."""
        return self.filter(confirmed=True, fiche__in=Fiche.objects.published())

    def open(self):
        return self.filter(status__in=Commitment.OPEN_STATUSES)

    def overdue(self, on=None):
        return self.open().filter(due_date__lt=on or timezone.localdate())

    def for_ministries(self, ministries):
        return self.filter(Q(ministry__in=ministries) | Q(ministry__isnull=True, fiche__lead_ministry__in=ministries))

    def search(self, text):
        """Commitments whose text (summary, quote), fiche title or Kamerstuk number matches ``text``: a Kamerstuk
        in any spelling ("22 112, nr. 3908") finds its fiche's commitments, a bare number a Kamerstuk ending in it,
        and otherwise every word must occur somewhere (case-insensitive)."""
        text = (text or "").strip()[:200]
        kamerstuk = references.read_kamerstuk(text)
        if kamerstuk:
            return self.filter(fiche__kamerstuk=kamerstuk)
        queryset = self
        for word in [w for w in re.findall(r"\w+", text) if w.lower() not in ("kamerstuk", "nr")][:10]:
            matches = Q(summary__icontains=word) | Q(quote__icontains=word) | Q(fiche__title__icontains=word)
            queryset = queryset.filter(matches | Q(fiche__kamerstuk__endswith=f"-{word}") if word.isdigit() else matches)
        return queryset


class Commitment(models.Model):
    Kind = CommitmentKind
    Status = CommitmentStatus
    DueEvent = CommitmentDueEvent

    # "Openstaand": still to be done. What open(), is_open, the open counts, dashboards and reminders mean.
    OPEN_STATUSES = (Status.OPEN, Status.PARTLY_FULFILLED)
    # Settled: nothing left to follow up (every other status).
    CLOSED_STATUSES = tuple(sorted(set(Status) - set(OPEN_STATUSES), key=Status.values.index))
    # A (partly) fulfilled commitment needs evidence: a reference or a link.
    EVIDENCE_STATUSES = (Status.FULFILLED, Status.PARTLY_FULFILLED)

    fiche = models.ForeignKey(Fiche, on_delete=models.CASCADE, related_name="commitments")
    section_key = models.SlugField(_("onderdeel"), max_length=60, blank=True, help_text=_("Sleutel van het onderdeel waarin de toezegging staat."))
    position = models.PositiveSmallIntegerField(_("volgorde"), help_text=_("Volgnummer van de toezegging binnen het fiche."))
    quote = models.TextField(_("geciteerde zin"), help_text=_("De zin uit het fiche, letterlijk."))
    summary = models.CharField(_("samenvatting"), max_length=300)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind, default=Kind.OTHER)
    ministry = models.ForeignKey(Ministry, verbose_name=_("verantwoordelijk ministerie"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="commitments",
                                 help_text=_("Leeg: het eerstverantwoordelijke ministerie van het fiche."))
    due_date = models.DateField(_("uiterste datum"), null=True, blank=True)
    due_event = models.CharField(_("moment"), max_length=20, choices=DueEvent, blank=True, default=DueEvent.NONE)
    due_configuration = models.ForeignKey(CouncilConfiguration, verbose_name=_("Raadsformatie van het moment"), null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="commitments")
    due_meeting = models.ForeignKey(CouncilMeeting, verbose_name=_("Raadsvergadering"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="commitments")
    due_description = models.CharField(_("omschrijving moment"), max_length=300, blank=True, help_text=_("Bijv. 'voor de zomer'."))
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.OPEN)
    confirmed = models.BooleanField(
        _("bevestigd"), default=True,
        help_text=_("Een toezegging uit een archieffiche (archiefimport) is pas openbaar en wordt pas gevolgd als een "
                    "opvolgingsmedewerker haar heeft bevestigd."),
    )
    evidence_reference = models.CharField(_("bewijs (referentie)"), max_length=200, blank=True,
                                          help_text=_("Kamerstuk- of documentreferentie, bijv. Kamerstuk 22 112, nr. 3942."))
    evidence_url = models.URLField(_("bewijs (link)"), blank=True, validators=[validate_safe_url])
    evidence_date = models.DateField(_("datum bewijs"), null=True, blank=True)
    evidence_note = models.TextField(_("toelichting"), blank=True)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("laatst gewijzigd"), auto_now=True)

    objects = CommitmentQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("toezegging")
        verbose_name_plural = _("toezeggingen")
        ordering = ["fiche", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["fiche", "position"], name="commitment_unique_position"),
            models.CheckConstraint(condition=Q(status__in=CommitmentStatus.values), name="commitment_valid_status"),
            models.CheckConstraint(condition=Q(kind__in=CommitmentKind.values), name="commitment_valid_kind"),
            models.CheckConstraint(condition=Q(due_event__in=CommitmentDueEvent.values), name="commitment_valid_due_event"),
            models.CheckConstraint(condition=safe_url_condition("evidence_url"), name="commitment_evidence_url_safe",
                                   violation_error_message=_("Een link als bewijs begint met http://, https:// of mailto:.")),
            models.CheckConstraint(
                condition=~Q(status__in=["fulfilled", "partly_fulfilled"]) | ~Q(evidence_reference="") | ~Q(evidence_url=""),
                name="commitment_fulfilled_has_evidence",
                violation_error_message=_("Een (deels) voldane toezegging heeft bewijs nodig: een Kamerstuk- of documentreferentie of een link."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"]),
            # The public commitment list's order starts with the due date: its first pages walk this index (0010).
            models.Index(fields=["due_date"], name="positions_commitment_due_date"),
        ]

    def __str__(self):
        return self.summary

    def natural_key(self):
        return (self.fiche.natural_id, self.position)

    natural_key.dependencies = ["positions.fiche"]

    @property
    def responsible_ministry(self):
        return self.ministry or self.fiche.lead_ministry

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    @property
    def effective_due_date(self):
        """The due date, or the date its event resolves to once the meeting is known."""
        if self.due_date:
            return self.due_date
        if self.due_meeting_id:
            if self.due_event == self.DueEvent.ANNOTATED_AGENDA:
                from datetime import timedelta

                return self.due_meeting.date - timedelta(days=settings.ANNOTATED_AGENDA_LEAD_DAYS)
            return self.due_meeting.date
        return None

    @property
    def is_vague(self):
        return not self.due_date and not self.due_event

    def clean(self):
        super().clean()
        if self.status in self.EVIDENCE_STATUSES and not (self.evidence_reference or self.evidence_url):
            raise ValidationError(
                {"evidence_reference": _("Een (deels) voldane toezegging heeft bewijs nodig: een Kamerstuk- of documentreferentie (bijv. Kamerstuk 22 112, nr. 3942) of een link.")}
            )


class CommitmentStatusChangeQuerySet(models.QuerySet):
    def get_by_natural_key(self, fiche_id, position, changed_at):
        return self.get(commitment__fiche__natural_id=fiche_id, commitment__position=position, changed_at=changed_at)


class CommitmentStatusChange(models.Model):
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("van"), max_length=20, choices=Commitment.Status)
    to_status = models.CharField(_("naar"), max_length=20, choices=Commitment.Status)
    new_due_date = models.DateField(_("nieuwe uiterste datum"), null=True, blank=True)
    note = models.TextField(_("toelichting"))
    evidence_reference = models.CharField(_("bewijs (referentie)"), max_length=200, blank=True)
    evidence_url = models.URLField(_("bewijs (link)"), blank=True, validators=[validate_safe_url])
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("door"), null=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(_("op"), default=timezone.now)

    class Meta:
        verbose_name = _("statuswijziging toezegging")
        verbose_name_plural = _("statuswijzigingen toezeggingen")
        ordering = ["commitment", "changed_at"]
        constraints = [
            models.UniqueConstraint(fields=["commitment", "changed_at"], name="commitment_status_change_natural_key"),
            models.CheckConstraint(condition=Q(from_status__in=CommitmentStatus.values), name="commitment_status_change_valid_from_status"),
            models.CheckConstraint(condition=Q(to_status__in=CommitmentStatus.values), name="commitment_status_change_valid_to_status"),
            models.CheckConstraint(condition=safe_url_condition("evidence_url"), name="commitment_status_change_evidence_url_safe",
                                   violation_error_message=_("Een link als bewijs begint met http://, https:// of mailto:.")),
        ]

    objects = CommitmentStatusChangeQuerySet.as_manager()

    def __str__(self):
        return f"{self.commitment}: {self.from_status} → {self.to_status}"

    def natural_key(self):
        return (*self.commitment.natural_key(), self.changed_at)

    natural_key.dependencies = ["positions.commitment"]


class CofinancingBudgetQuerySet(models.QuerySet):
    def get_by_natural_key(self, fiche_id, programme_code):
        return self.get(fiche__natural_id=fiche_id, programme_code=programme_code)

    def published(self):
        return self.filter(fiche__in=Fiche.objects.published())


class CofinancingBudget(models.Model):
    fiche = models.ForeignKey(Fiche, verbose_name=_("aangekondigd in fiche"), on_delete=models.CASCADE, related_name="cofinancing_budgets")
    programme = models.CharField(_("programma"), max_length=200, help_text=_("Bijv. Digital Europe (DIGITAL)."))
    programme_code = models.CharField(_("programmacode"), max_length=30, help_text=_("Bijv. DIGITAL; uniek binnen het fiche."))
    ministry = models.ForeignKey(Ministry, verbose_name=_("ministerie"), on_delete=models.PROTECT, related_name="cofinancing_budgets")
    amount = models.DecimalField(_("bedrag (EUR)"), max_digits=15, decimal_places=2, validators=[MinValueValidator(0)])
    period_start = models.DateField(_("periode vanaf"), null=True, blank=True)
    period_end = models.DateField(_("periode tot en met"), null=True, blank=True)
    eu_rate_min = models.DecimalField(_("EU-financiering minimaal (%)"), max_digits=5, decimal_places=2, null=True, blank=True,
                                      validators=[MinValueValidator(0), MaxValueValidator(100)])
    eu_rate_max = models.DecimalField(_("EU-financiering maximaal (%)"), max_digits=5, decimal_places=2, null=True, blank=True,
                                      validators=[MinValueValidator(0), MaxValueValidator(100)])
    quote = models.TextField(_("geciteerde tekst"), blank=True)
    description = models.TextField(_("toelichting"), blank=True)

    objects = CofinancingBudgetQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cofinancieringsbudget")
        verbose_name_plural = _("cofinancieringsbudgetten")
        ordering = ["programme", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["fiche", "programme_code"], name="budget_unique_programme_per_fiche"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_amount_non_negative",
                                   violation_error_message=_("Het bedrag mag niet negatief zijn.")),
            models.CheckConstraint(
                condition=Q(period_end__isnull=True) | Q(period_start__isnull=True) | Q(period_end__gte=models.F("period_start")),
                name="budget_period_in_order",
                violation_error_message=_("Het einde van de periode ligt voor het begin."),
            ),
            models.CheckConstraint(
                condition=(Q(eu_rate_min__isnull=True) | (Q(eu_rate_min__gte=0) & Q(eu_rate_min__lte=100)))
                & (Q(eu_rate_max__isnull=True) | (Q(eu_rate_max__gte=0) & Q(eu_rate_max__lte=100)))
                & (Q(eu_rate_min__isnull=True) | Q(eu_rate_max__isnull=True) | Q(eu_rate_max__gte=models.F("eu_rate_min"))),
                name="budget_rates_valid",
                violation_error_message=_("Percentages liggen tussen 0 en 100 en het minimum is niet hoger dan het maximum."),
            ),
        ]

    def __str__(self):
        return f"{self.programme}: EUR {self.amount:,.0f}"

    def natural_key(self):
        return (self.fiche.natural_id, self.programme_code)

    natural_key.dependencies = ["positions.fiche"]

    @property
    def committed_amount(self):
        return sum((p.amount for p in self.priorities.all() if p.amount is not None), start=0)

    @property
    def remaining_amount(self):
        return self.amount - self.committed_amount


class CofinancingPriorityManager(models.Manager):
    def get_by_natural_key(self, fiche_id, programme_code, position):
        return self.get(budget__fiche__natural_id=fiche_id, budget__programme_code=programme_code, position=position)


class CofinancingPriority(models.Model):
    budget = models.ForeignKey(CofinancingBudget, on_delete=models.CASCADE, related_name="priorities")
    topic = models.CharField(_("onderwerp"), max_length=300)
    amount = models.DecimalField(_("bedrag (EUR)"), max_digits=15, decimal_places=2, null=True, blank=True,
                                 validators=[MinValueValidator(0)], help_text=_("Leeg wanneer het fiche geen bedrag per onderwerp noemt."))
    position = models.PositiveSmallIntegerField(_("volgorde"))

    objects = CofinancingPriorityManager()

    class Meta:
        verbose_name = _("geprioriteerd onderwerp")
        verbose_name_plural = _("geprioriteerde onderwerpen")
        ordering = ["budget", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["budget", "position"], name="priority_unique_position"),
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gte=0), name="priority_amount_non_negative",
                                   violation_error_message=_("Het bedrag mag niet negatief zijn.")),
        ]

    def __str__(self):
        return self.topic

    def natural_key(self):
        return (*self.budget.natural_key(), self.position)

    natural_key.dependencies = ["positions.cofinancingbudget"]
