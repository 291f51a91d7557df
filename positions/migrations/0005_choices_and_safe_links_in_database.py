"""The database enforces the choices of every field with fixed choices, and keeps links to http, https and mailto.

Choices: a template's kind, both statuses of a fiche's and a commitment's status changes, a commitment's
due event (a fiche's status and verdicts and a commitment's status and kind were checked already).
Links: a commitment's and a status change's evidence link, and every link of a footnote (a JSON list;
checked with a regular expression over its JSON text).

Rows written before these constraints are repaired first, so the migration never fails on them:
* a choice that differs from a valid one only in case or surrounding spaces is corrected; any other
  unknown value becomes the neutral one (template: by its key or name, else "legislative"; fiche status
  change: "draft"; commitment status change: "open"; due event: none, the description stays);
* an unsafe evidence link (javascript:, data:, anything but http(s)/mailto) is blanked; the removed text
  is kept in the note, and a (partly) fulfilled commitment left without evidence gets the reference
  "Onveilige link verwijderd" so that it still passes its own constraint;
* unsafe links are dropped from a footnote's list (the footnote's text is unchanged).
History tables keep what they recorded.
"""

from django.conf import settings
from django.db import migrations, models
from django.db.models import Q

import common.urls_safety

FICHE_STATUSES = ["draft", "review", "adopted", "published"]
COMMITMENT_STATUSES = ["open", "partly_fulfilled", "fulfilled", "withdrawn", "lapsed"]
DUE_EVENTS = ["", "council_meeting", "annotated_agenda", "other"]
TEMPLATE_KINDS = ["legislative", "communication"]
SAFE_PREFIXES = ("http://", "https://", "mailto:")
_JSON_SAFE_STRING = r'"(https?://|mailto:)([^"\\]|\\.)*"'
SAFE_URL_LIST_REGEX = rf"^\[\s*({_JSON_SAFE_STRING}(\s*,\s*{_JSON_SAFE_STRING})*)?\s*\]$"
REMOVED_LINK_REFERENCE = "Onveilige link verwijderd"


def safe_url(field):
    return Q((field, "")) | Q((f"{field}__istartswith", "http://")) | Q((f"{field}__istartswith", "https://")) | Q(
        (f"{field}__istartswith", "mailto:")
    )


def _corrected(value, valid):
    candidate = (value or "").strip().lower()
    return candidate if candidate in valid else None


def _repair_choice(model, field, valid, fallback):
    for row in model.objects.exclude(**{f"{field}__in": valid}).only("pk", field):
        value = getattr(row, field)
        model.objects.filter(pk=row.pk).update(**{field: _corrected(value, valid) or fallback(row)})


def _with_removed_link(note, url):
    addition = f"Onveilige link verwijderd: {url}"
    return f"{note}\n\n{addition}" if note else addition


def repair_rows(apps, schema_editor):
    FicheTemplate = apps.get_model("positions", "FicheTemplate")
    FicheStatusChange = apps.get_model("positions", "FicheStatusChange")
    Commitment = apps.get_model("positions", "Commitment")
    CommitmentStatusChange = apps.get_model("positions", "CommitmentStatusChange")
    Footnote = apps.get_model("positions", "Footnote")

    def template_kind(template):
        template = FicheTemplate.objects.get(pk=template.pk)
        words = f"{template.key} {template.name}".lower()
        return "communication" if "communicat" in words or "mededeling" in words else "legislative"

    _repair_choice(FicheTemplate, "kind", TEMPLATE_KINDS, template_kind)
    for field in ("from_status", "to_status"):
        _repair_choice(FicheStatusChange, field, FICHE_STATUSES, lambda row: "draft")
        _repair_choice(CommitmentStatusChange, field, COMMITMENT_STATUSES, lambda row: "open")
    _repair_choice(Commitment, "due_event", DUE_EVENTS, lambda row: "")

    for commitment in Commitment.objects.exclude(safe_url("evidence_url")):
        changes = {"evidence_url": "", "evidence_note": _with_removed_link(commitment.evidence_note, commitment.evidence_url)}
        if commitment.status in ("fulfilled", "partly_fulfilled") and not commitment.evidence_reference:
            changes["evidence_reference"] = REMOVED_LINK_REFERENCE
        Commitment.objects.filter(pk=commitment.pk).update(**changes)
    for change in CommitmentStatusChange.objects.exclude(safe_url("evidence_url")):
        CommitmentStatusChange.objects.filter(pk=change.pk).update(evidence_url="", note=_with_removed_link(change.note, change.evidence_url))

    unsafe_lists = Footnote.objects.exclude(urls__iregex=SAFE_URL_LIST_REGEX)
    for footnote in unsafe_lists.only("pk", "urls"):
        urls = footnote.urls if isinstance(footnote.urls, list) else []
        kept = [url for url in urls if isinstance(url, str) and url.lower().startswith(SAFE_PREFIXES)]
        Footnote.objects.filter(pk=footnote.pk).update(urls=kept)
    unsafe_lists.update(urls=[])  # whatever a kept link's JSON text still trips over
    fire_deferred_checks(schema_editor)


def fire_deferred_checks(schema_editor):
    """PostgreSQL defers foreign-key checks to the commit; rows changed above (above all one changed twice)
    can leave such a check pending, and ALTER TABLE refuses to run while one is. Run them now."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


class Migration(migrations.Migration):

    dependencies = [
        ("positions", "0004_commitment_status_change_natural_key"),
        ("proposals", "0002_document_choices_in_database"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(repair_rows, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="commitment",
            name="evidence_url",
            field=models.URLField(blank=True, validators=[common.urls_safety.validate_safe_url], verbose_name="bewijs (link)"),
        ),
        migrations.AlterField(
            model_name="commitmentstatuschange",
            name="evidence_url",
            field=models.URLField(blank=True, validators=[common.urls_safety.validate_safe_url], verbose_name="bewijs (link)"),
        ),
        migrations.AlterField(
            model_name="footnote",
            name="urls",
            field=models.JSONField(blank=True, default=list, help_text="Lijst van URL's uit de voetnoot.",
                                   validators=[common.urls_safety.validate_safe_url_list], verbose_name="links"),
        ),
        migrations.AlterField(
            model_name="historicalcommitment",
            name="evidence_url",
            field=models.URLField(blank=True, validators=[common.urls_safety.validate_safe_url], verbose_name="bewijs (link)"),
        ),
        migrations.AlterField(
            model_name="historicalfootnote",
            name="urls",
            field=models.JSONField(blank=True, default=list, help_text="Lijst van URL's uit de voetnoot.",
                                   validators=[common.urls_safety.validate_safe_url_list], verbose_name="links"),
        ),
        migrations.AddConstraint(
            model_name="commitment",
            constraint=models.CheckConstraint(condition=models.Q(("due_event__in", DUE_EVENTS)), name="commitment_valid_due_event"),
        ),
        migrations.AddConstraint(
            model_name="commitment",
            constraint=models.CheckConstraint(condition=safe_url("evidence_url"), name="commitment_evidence_url_safe",
                                              violation_error_message="Een link als bewijs begint met http://, https:// of mailto:."),
        ),
        migrations.AddConstraint(
            model_name="commitmentstatuschange",
            constraint=models.CheckConstraint(condition=models.Q(("from_status__in", COMMITMENT_STATUSES)),
                                              name="commitment_status_change_valid_from_status"),
        ),
        migrations.AddConstraint(
            model_name="commitmentstatuschange",
            constraint=models.CheckConstraint(condition=models.Q(("to_status__in", COMMITMENT_STATUSES)),
                                              name="commitment_status_change_valid_to_status"),
        ),
        migrations.AddConstraint(
            model_name="commitmentstatuschange",
            constraint=models.CheckConstraint(condition=safe_url("evidence_url"), name="commitment_status_change_evidence_url_safe",
                                              violation_error_message="Een link als bewijs begint met http://, https:// of mailto:."),
        ),
        migrations.AddConstraint(
            model_name="fichestatuschange",
            constraint=models.CheckConstraint(condition=models.Q(("from_status__in", FICHE_STATUSES)), name="fiche_status_change_valid_from_status"),
        ),
        migrations.AddConstraint(
            model_name="fichestatuschange",
            constraint=models.CheckConstraint(condition=models.Q(("to_status__in", FICHE_STATUSES)), name="fiche_status_change_valid_to_status"),
        ),
        migrations.AddConstraint(
            model_name="fichetemplate",
            constraint=models.CheckConstraint(condition=models.Q(("kind__in", TEMPLATE_KINDS)), name="template_valid_kind"),
        ),
        migrations.AddConstraint(
            model_name="footnote",
            constraint=models.CheckConstraint(condition=models.Q(("urls__iregex", SAFE_URL_LIST_REGEX)), name="footnote_urls_safe",
                                              violation_error_message="Een voetnoot bevat alleen links met http://, https:// of mailto:."),
        ),
    ]
