# ruff: noqa: S608 -- only our own SQL fragments are formatted in, no outside input
"""PostgreSQL only: three trigger-maintained columns that make the public fiche list's menus and a search's
order cheap (issue 17), unknown to the ORM like ``search_vector`` (0002):

- ``rank_vector``: the title (weight A) and the proposal and document titles (B) of ``search_vector``
  (``ts_filter``), about 250 bytes, stored in the row. A search matches on the full vector (its GIN index)
  and ranks on this one: ranking on the full vector (8 KB, TOASTed) decompressed every matched fiche's
  whole text, 30-140 ms for a common word at 10,000 fiches;
- ``document_kinds``: the kinds of the fiche's Commission documents, sorted, distinct;
- ``commitment_statuses``: the statuses of its confirmed commitments, sorted, distinct.

With the two arrays every menu of the list (year, Council, ministry, document kind, template, three
verdicts, commitment status) reads one row per fiche: all menus are counted in one scan of the published
(or searched) fiches (``public.filters``) instead of a GROUP BY over a join each.

Triggers, so that no route (admin, importer, fixtures, bulk updates) can forget them:
- the fiche's BEFORE trigger (0002) recomputes the vectors and the document kinds when the vector was
  cleared (a section, footnote or document link changed: the child triggers clear it) or the title or
  proposal title changed, and otherwise keeps them: an edit of another field (a verdict, the status)
  no longer recomputes the vector from all sections, nor does an update of the arrays below;
- a changed document kind refreshes ``document_kinds`` of its fiches;
- an inserted, deleted or updated commitment (status, confirmation, fiche) refreshes
  ``commitment_statuses`` of its fiche(s), only when the array changes.
They write in the same transaction as the change, so the columns are never stale for a reader.
"""

from django.db import migrations

DOCUMENT_KINDS = """ARRAY(SELECT DISTINCT d.kind FROM positions_fiche_documents fd
        JOIN proposals_commissiondocument d ON d.id = fd.commissiondocument_id WHERE fd.fiche_id = {fiche} ORDER BY 1)::text[]"""
COMMITMENT_STATUSES = """ARRAY(SELECT DISTINCT c.status FROM positions_commitment c
        WHERE c.fiche_id = {fiche} AND c.confirmed ORDER BY 1)::text[]"""

FORWARD = f"""
ALTER TABLE positions_fiche
    ADD COLUMN rank_vector tsvector,
    ADD COLUMN document_kinds text[] NOT NULL DEFAULT '{{}}',
    ADD COLUMN commitment_statuses text[] NOT NULL DEFAULT '{{}}';

CREATE OR REPLACE FUNCTION positions_fiche_search_vector_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.search_vector IS NOT NULL AND NEW.title IS NOT DISTINCT FROM OLD.title
            AND NEW.proposal_title IS NOT DISTINCT FROM OLD.proposal_title THEN
        RETURN NEW;  -- nothing the vectors or the document kinds are made of has changed
    END IF;
    NEW.search_vector := positions_fiche_search_vector(NEW.id, NEW.title, NEW.proposal_title);
    NEW.rank_vector := ts_filter(NEW.search_vector, '{{a,b}}');
    NEW.document_kinds := {DOCUMENT_KINDS.format(fiche="NEW.id")};
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION positions_fiche_refresh_statuses(p_fiche_id bigint) RETURNS void LANGUAGE sql AS $$
    UPDATE positions_fiche f SET commitment_statuses = s.statuses
    FROM (SELECT {COMMITMENT_STATUSES.format(fiche="p_fiche_id")} AS statuses) s
    WHERE f.id = p_fiche_id AND f.commitment_statuses IS DISTINCT FROM s.statuses
$$;

CREATE OR REPLACE FUNCTION positions_commitment_statuses_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM positions_fiche_refresh_statuses(OLD.fiche_id);
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.fiche_id IS DISTINCT FROM OLD.fiche_id) THEN
        PERFORM positions_fiche_refresh_statuses(NEW.fiche_id);
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION positions_document_kind_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE positions_fiche f SET document_kinds = {DOCUMENT_KINDS.format(fiche="f.id")}
    WHERE f.id IN (SELECT fiche_id FROM positions_fiche_documents WHERE commissiondocument_id = NEW.id);
    RETURN NULL;
END
$$;

CREATE TRIGGER positions_commitment_statuses_change AFTER INSERT OR DELETE ON positions_commitment
    FOR EACH ROW EXECUTE FUNCTION positions_commitment_statuses_trigger();
CREATE TRIGGER positions_commitment_statuses_update AFTER UPDATE ON positions_commitment
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.confirmed IS DISTINCT FROM NEW.confirmed
                       OR OLD.fiche_id IS DISTINCT FROM NEW.fiche_id)
    EXECUTE FUNCTION positions_commitment_statuses_trigger();
CREATE TRIGGER proposals_document_kind AFTER UPDATE OF kind ON proposals_commissiondocument
    FOR EACH ROW WHEN (OLD.kind IS DISTINCT FROM NEW.kind) EXECUTE FUNCTION positions_document_kind_trigger();

UPDATE positions_fiche SET rank_vector = ts_filter(search_vector, '{{a,b}}'),
    document_kinds = {DOCUMENT_KINDS.format(fiche="positions_fiche.id")},
    commitment_statuses = {COMMITMENT_STATUSES.format(fiche="positions_fiche.id")};
"""

BACKWARD = """
DROP TRIGGER IF EXISTS proposals_document_kind ON proposals_commissiondocument;
DROP TRIGGER IF EXISTS positions_commitment_statuses_update ON positions_commitment;
DROP TRIGGER IF EXISTS positions_commitment_statuses_change ON positions_commitment;
DROP FUNCTION IF EXISTS positions_document_kind_trigger();
DROP FUNCTION IF EXISTS positions_commitment_statuses_trigger();
DROP FUNCTION IF EXISTS positions_fiche_refresh_statuses(bigint);

CREATE OR REPLACE FUNCTION positions_fiche_search_vector_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := positions_fiche_search_vector(NEW.id, NEW.title, NEW.proposal_title);
    RETURN NEW;
END
$$;

ALTER TABLE positions_fiche DROP COLUMN IF EXISTS rank_vector, DROP COLUMN IF EXISTS document_kinds,
    DROP COLUMN IF EXISTS commitment_statuses;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("positions", "0008_fiche_trigram_indexes"),
        ("proposals", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
