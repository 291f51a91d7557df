"""The body of a fiche's page: what ``templates/public/fiche_body.html`` reads, built once for the public page
(``public.views.fiche_detail``) and for the admin preview of a fiche (``FicheAdmin.preview_view``), so the
preview shows a draft as readers will see it once published, cited pages and list of changes included.

Whatever the body shows of other fiches and documents comes from ``published()`` only: the fiche it revises
(``Fiche.public_revises``), the fiches that revise it (``with_detail``'s ``public_revisions``) and the cited
fiches and documents that link to our own pages (``citations.resolve``).
"""

from django.db.models import prefetch_related_objects

from . import citations, revisions


def page_rows(queryset):
    """``queryset`` (of fiches) with all the page shows, in a fixed number of queries: its commitments are the
    confirmed ones only (the public's), each with its status changes."""
    return queryset.with_detail(public=True, histories=True)


def page_detail(fiche):
    """{"fiche", "revises", "citations", "changes"} of ``fiche`` (read through ``page_rows``). A constant number
    of queries: one for the cited fiches and one for the cited documents (only when the text cites any), one
    for the sections of the fiche it revises (only when that one is public)."""
    texts = [*(s.text for s in fiche.sections.all()), *(f.text for f in fiche.footnotes.all())]
    earlier = fiche.public_revises
    if earlier is not None:
        prefetch_related_objects([earlier], "sections")
    return {"fiche": fiche, "revises": earlier, "citations": citations.resolve(texts),
            "changes": revisions.changes(earlier, fiche) if earlier else None}
