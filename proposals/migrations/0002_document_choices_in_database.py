"""Every field with fixed choices is checked by the database: a document's kind and type, a relation's kind.

One unknown kind in the table used to turn every fiche list into a server error. Rows written before
these constraints are repaired first, so the migration never fails on them: a value that differs from a
valid one only in case or surrounding spaces is corrected; any other unknown document kind becomes
"other", and a relation of an unknown kind is deleted (there is no kind that would not claim something
untrue; the documents themselves stay).
"""

from django.db import migrations, models

DOCUMENT_KINDS = ["regulation", "directive", "decision", "communication", "recommendation", "report", "working_document", "other"]
RELATION_KINDS = ["same_package", "amends", "replaces", "accompanies", "implements"]


def _corrected(value, valid):
    candidate = (value or "").strip().lower()
    return candidate if candidate in valid else None


def repair_unknown_kinds(apps, schema_editor):
    CommissionDocument = apps.get_model("proposals", "CommissionDocument")
    DocumentRelation = apps.get_model("proposals", "DocumentRelation")
    for document in CommissionDocument.objects.exclude(kind__in=DOCUMENT_KINDS).only("pk", "kind"):
        CommissionDocument.objects.filter(pk=document.pk).update(kind=_corrected(document.kind, DOCUMENT_KINDS) or "other")
    for relation in DocumentRelation.objects.exclude(kind__in=RELATION_KINDS):
        kind = _corrected(relation.kind, RELATION_KINDS)
        twin = DocumentRelation.objects.filter(source_id=relation.source_id, target_id=relation.target_id, kind=kind)
        if kind is None or twin.exists():
            relation.delete()
        else:
            DocumentRelation.objects.filter(pk=relation.pk).update(kind=kind)
    fire_deferred_checks(schema_editor)


def fire_deferred_checks(schema_editor):
    """PostgreSQL defers foreign-key checks to the commit; rows changed above (above all one changed twice)
    can leave such a check pending, and ALTER TABLE refuses to run while one is. Run them now."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


class Migration(migrations.Migration):

    dependencies = [
        ("proposals", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(repair_unknown_kinds, migrations.RunPython.noop, elidable=True),
        migrations.RemoveConstraint(
            model_name="commissiondocument",
            name="document_valid_type",
        ),
        migrations.AddConstraint(
            model_name="commissiondocument",
            constraint=models.CheckConstraint(condition=models.Q(("doc_type__in", ["COM", "JOIN", "C", "SWD", "SEC"])), name="document_valid_type"),
        ),
        migrations.AddConstraint(
            model_name="commissiondocument",
            constraint=models.CheckConstraint(condition=models.Q(("kind__in", DOCUMENT_KINDS)), name="document_valid_kind"),
        ),
        migrations.AddConstraint(
            model_name="documentrelation",
            constraint=models.CheckConstraint(condition=models.Q(("kind__in", RELATION_KINDS)), name="document_relation_valid_kind"),
        ),
    ]
