"""The migrations that add the choice and link constraints repair old rows first instead of failing on them.

The database is taken back to before proposals 0002 and positions 0005, rows that the new constraints
would refuse are written with the models of that time, and the migrations are applied again. Runs last
(a transactional test) and restores the database's rows afterwards.
"""

import pytest
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from positions.models import Commitment, CommitmentStatusChange, FicheStatusChange, FicheTemplate, Footnote
from proposals.models import CommissionDocument, DocumentRelation

BEFORE = [("proposals", "0001_initial"), ("positions", "0004_commitment_status_change_natural_key")]


def old_rows(models):
    """Rows as they could have been written before the constraints; returns their primary keys by name."""
    Document, Relation = models("proposals", "CommissionDocument"), models("proposals", "DocumentRelation")
    Template, Fiche = models("positions", "FicheTemplate"), models("positions", "Fiche")
    StatusChange, Commitment_ = models("positions", "FicheStatusChange"), models("positions", "Commitment")
    CommitmentChange, Footnote_ = models("positions", "CommitmentStatusChange"), models("positions", "Footnote")

    spelled = Document.objects.create(doc_type="COM", year=2010, number=1, title="Hoofdletters", kind=" Regulation")
    unknown = Document.objects.create(doc_type="COM", year=2010, number=2, title="Onbekend", kind="onzin")
    communication = Template.objects.create(key="mededeling-2010", kind="oud", version="2010", name="Mededeling 2010")
    other = Template.objects.create(key="sjabloon-2010", kind="", version="2010", name="Sjabloon 2010")
    fiche = Fiche.objects.create(title="Oud fiche", template=other)
    fulfilled = Commitment_.objects.create(fiche=fiche, position=1, quote="Q", summary="Voldaan", status="fulfilled",
                                           evidence_url="JaVaScRiPt:alert(1)")
    vague = Commitment_.objects.create(fiche=fiche, position=2, quote="Q", summary="Vaag", due_event="bij de Raad",
                                       evidence_url="HTTPS://example.org/bewijs")
    return {
        "spelled": spelled.pk,
        "unknown": unknown.pk,
        "relation_spelled": Relation.objects.create(source=spelled, target=unknown, kind="AMENDS").pk,
        "relation_unknown": Relation.objects.create(source=unknown, target=spelled, kind="onbekend").pk,
        "communication": communication.pk,
        "other": other.pk,
        "fiche_change": StatusChange.objects.create(fiche=fiche, from_status="Concept", to_status=" REVIEW").pk,
        "fulfilled": fulfilled.pk,
        "vague": vague.pk,
        "commitment_change": CommitmentChange.objects.create(commitment=fulfilled, from_status="OPEN", to_status="klaar", note="Gedaan",
                                                             evidence_url="data:text/html,x").pk,
        "mixed_links": Footnote_.objects.create(fiche=fiche, number=1, text="Een", urls=["https://a.example/", "javascript:x", 5]).pk,
        "not_a_list": Footnote_.objects.create(fiche=fiche, number=2, text="Twee", urls="https://b.example/").pk,
        "good_links": Footnote_.objects.create(fiche=fiche, number=3, text="Drie", urls=["mailto:a@example.org"]).pk,
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migrations_repair_rows_the_new_constraints_would_refuse():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(BEFORE)
        pks = old_rows(executor.loader.project_state(BEFORE).apps.get_model)
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
    finally:
        MigrationExecutor(connection).migrate(latest)
        emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)  # triggers of rebuilt tables

    assert CommissionDocument.objects.get(pk=pks["spelled"]).kind == "regulation"
    assert CommissionDocument.objects.get(pk=pks["unknown"]).kind == "other"
    assert DocumentRelation.objects.get(pk=pks["relation_spelled"]).kind == "amends"
    assert not DocumentRelation.objects.filter(pk=pks["relation_unknown"]).exists()
    assert FicheTemplate.objects.get(pk=pks["communication"]).kind == "communication"
    assert FicheTemplate.objects.get(pk=pks["other"]).kind == "legislative"
    change = FicheStatusChange.objects.get(pk=pks["fiche_change"])
    assert (change.from_status, change.to_status) == ("draft", "review")

    fulfilled = Commitment.objects.get(pk=pks["fulfilled"])
    assert fulfilled.evidence_url == "" and fulfilled.status == "fulfilled"
    assert fulfilled.evidence_reference == "Onveilige link verwijderd"
    assert "JaVaScRiPt:alert(1)" in fulfilled.evidence_note  # kept as text, never as a link
    vague = Commitment.objects.get(pk=pks["vague"])
    assert (vague.due_event, vague.evidence_url) == ("", "HTTPS://example.org/bewijs")
    commitment_change = CommitmentStatusChange.objects.get(pk=pks["commitment_change"])
    assert (commitment_change.from_status, commitment_change.to_status, commitment_change.evidence_url) == ("open", "open", "")
    assert "data:text/html,x" in commitment_change.note

    assert Footnote.objects.get(pk=pks["mixed_links"]).urls == ["https://a.example/"]
    assert Footnote.objects.get(pk=pks["not_a_list"]).urls == []
    assert Footnote.objects.get(pk=pks["good_links"]).urls == ["mailto:a@example.org"]
