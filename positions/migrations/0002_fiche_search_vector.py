"""PostgreSQL only: a stored, weighted tsvector per fiche, kept current by triggers.

Why triggers (see positions/search.py): fiches, sections, footnotes and documents change through the
admin, the importer, fixtures and services; a trigger covers every route, and a generated column
cannot read the sections table. On SQLite this migration does nothing: search falls back to icontains.
"""

from django.db import migrations

FORWARD = r"""
ALTER TABLE positions_fiche ADD COLUMN search_vector tsvector;
CREATE INDEX positions_fiche_search_vector_gin ON positions_fiche USING gin (search_vector);

CREATE OR REPLACE FUNCTION positions_fiche_search_vector(p_fiche_id bigint, p_title text, p_proposal_title text)
RETURNS tsvector LANGUAGE sql STABLE AS $$
    SELECT
        setweight(to_tsvector('dutch', coalesce(p_title, '')), 'A')
        || setweight(to_tsvector('dutch', coalesce(p_proposal_title, '') || ' ' || coalesce((
            SELECT string_agg(d.doc_type || '(' || d.year || ') ' || d.number || ' ' || d.celex || ' ' || d.title, ' ')
            FROM positions_fiche_documents fd JOIN proposals_commissiondocument d ON d.id = fd.commissiondocument_id
            WHERE fd.fiche_id = p_fiche_id), '')), 'B')
        || setweight(to_tsvector('dutch', coalesce((
            SELECT string_agg(s.title || ' ' || regexp_replace(s.text, '\[\^[0-9]+\]', ' ', 'g'), ' ' ORDER BY s.position)
            FROM positions_fichesection s WHERE s.fiche_id = p_fiche_id), '')), 'C')
        || setweight(to_tsvector('dutch', coalesce((
            SELECT string_agg(f.text, ' ' ORDER BY f.number)
            FROM positions_footnote f WHERE f.fiche_id = p_fiche_id), '')), 'D')
$$;

CREATE OR REPLACE FUNCTION positions_fiche_search_vector_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := positions_fiche_search_vector(NEW.id, NEW.title, NEW.proposal_title);
    RETURN NEW;
END
$$;

-- Children touch their fiche; the fiche's BEFORE UPDATE trigger then recomputes the vector.
CREATE OR REPLACE FUNCTION positions_fiche_child_search_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE positions_fiche SET search_vector = NULL WHERE id = OLD.fiche_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE positions_fiche SET search_vector = NULL WHERE id = NEW.fiche_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION positions_document_search_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE positions_fiche SET search_vector = NULL
    WHERE id IN (SELECT fiche_id FROM positions_fiche_documents WHERE commissiondocument_id = NEW.id);
    RETURN NULL;
END
$$;

CREATE TRIGGER positions_fiche_search_vector_update BEFORE INSERT OR UPDATE ON positions_fiche
    FOR EACH ROW EXECUTE FUNCTION positions_fiche_search_vector_trigger();
CREATE TRIGGER positions_fichesection_search AFTER INSERT OR UPDATE OR DELETE ON positions_fichesection
    FOR EACH ROW EXECUTE FUNCTION positions_fiche_child_search_trigger();
CREATE TRIGGER positions_footnote_search AFTER INSERT OR UPDATE OR DELETE ON positions_footnote
    FOR EACH ROW EXECUTE FUNCTION positions_fiche_child_search_trigger();
CREATE TRIGGER positions_fiche_documents_search AFTER INSERT OR UPDATE OR DELETE ON positions_fiche_documents
    FOR EACH ROW EXECUTE FUNCTION positions_fiche_child_search_trigger();
CREATE TRIGGER proposals_document_search AFTER UPDATE OF doc_type, year, number, celex, title ON proposals_commissiondocument
    FOR EACH ROW EXECUTE FUNCTION positions_document_search_trigger();

UPDATE positions_fiche SET search_vector = NULL;
"""

BACKWARD = r"""
DROP TRIGGER IF EXISTS proposals_document_search ON proposals_commissiondocument;
DROP TRIGGER IF EXISTS positions_fiche_documents_search ON positions_fiche_documents;
DROP TRIGGER IF EXISTS positions_footnote_search ON positions_footnote;
DROP TRIGGER IF EXISTS positions_fichesection_search ON positions_fichesection;
DROP TRIGGER IF EXISTS positions_fiche_search_vector_update ON positions_fiche;
DROP FUNCTION IF EXISTS positions_document_search_trigger();
DROP FUNCTION IF EXISTS positions_fiche_child_search_trigger();
DROP FUNCTION IF EXISTS positions_fiche_search_vector_trigger();
DROP FUNCTION IF EXISTS positions_fiche_search_vector(bigint, text, text);
DROP INDEX IF EXISTS positions_fiche_search_vector_gin;
ALTER TABLE positions_fiche DROP COLUMN IF EXISTS search_vector;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("positions", "0001_initial"),
        ("proposals", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
