"""Every public read, in one place. Each queryset here starts from ``published()``: a draft, a fiche
under embargo and what hangs from them never reach a page, feed, export, sitemap or the API.

Views, feeds, exports, sitemaps and the API take their rows from these functions and add only their
filters and their order; the joins and prefetches that a kind of page needs are written once.
"""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce

from outcomes.models import Outcome, OutcomePoint
from positions import fiche_page
from positions.models import CofinancingBudget, CofinancingPriority, Commitment, CommitmentStatusChange, Fiche
from proposals.models import CommissionDocument


def fiches():
    """Published fiches past their embargo: the gate every public read of fiches starts from."""
    return Fiche.objects.published()


def fiche_alert_rows():
    """Published fiches with what the e-mail alerts read of a new fiche (``alerts.sending``: its lead ministry and its
    documents, in order; Council and template joined too), in a fixed number of queries. The public lists read
    narrower rows (``fiche_list_rows``)."""
    return fiches().select_related("lead_ministry", "council_configuration", "template").prefetch_related(
        Prefetch("documents", queryset=CommissionDocument.objects.order_by("doc_type", "year", "number"))
    )


# The columns a row of the public lists reads (``only()``): its facts and what its template shows (``public.rows``).
# A field missing here costs a query per row, which the query-count tests of the lists catch.
_MINISTRY = ("name", "abbreviation", "valid_from", "valid_until")
FICHE_ROW_FIELDS = ("kamerstuk", "title", "sent_on", "competence", "subsidiarity", "proportionality",
                    *(f"lead_ministry__{field}" for field in _MINISTRY))
COMMITMENT_ROW_FIELDS = (
    "position", "summary", "status", "kind", "due_date", "due_event", "due_description", "evidence_reference", "evidence_url",
    "evidence_date", "due_meeting__date", "fiche__kamerstuk", "fiche__title", "fiche__council_configuration__name",
    *(f"{who}__{field}" for who in ("ministry", "fiche__lead_ministry") for field in _MINISTRY),
)


def fiche_list_rows():
    """Published fiches with only what a row of the public lists shows (``public.rows``): one query, narrow rows."""
    return fiches().select_related("lead_ministry").only(*FICHE_ROW_FIELDS)


def fiche_detail():
    """Published fiches with all that the fiche page shows, commitment histories included (``positions.fiche_page``)."""
    return fiche_page.page_rows(fiches())


def commitments():
    """Confirmed commitments of published fiches."""
    return Commitment.objects.published()


def commitment_rows():
    """Commitments of published fiches with only what a list row shows (``public.rows``)."""
    return commitments().select_related(
        "fiche", "fiche__lead_ministry", "fiche__council_configuration", "ministry", "due_meeting"
    ).only(*COMMITMENT_ROW_FIELDS)


def budgets():
    """Cofinancing announced in published fiches."""
    return CofinancingBudget.objects.published()


def documents():
    """Commission documents assessed in a published fiche, or related to a document that is."""
    return CommissionDocument.objects.published()


def status_changes():
    """Status changes of confirmed commitments of published fiches."""
    return CommitmentStatusChange.objects.filter(commitment__confirmed=True, commitment__fiche__in=fiches())


# Records: what the API, the exports and the feeds write out for each row.


def _ordered_documents():
    return CommissionDocument.objects.order_by("doc_type", "year", "number")


def _count_commitments(**conditions):
    counted = Commitment.objects.filter(fiche=OuterRef("pk"), confirmed=True, **conditions).order_by().values("fiche").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _with_record_figures(queryset, *, counts=True):
    figures = {
        # The fiche it revises is named only when that fiche is public itself.
        "revises_kamerstuk": Subquery(fiches().filter(pk=OuterRef("revises")).values("kamerstuk")[:1]),
    }
    if counts:
        # Counted per row by a subquery, not by a join over all commitments: the page's LIMIT then applies
        # first, so a list of 50 costs the same at 100 or 10,000 fiches.
        figures.update(commitment_count=_count_commitments(), open_commitment_count=_count_commitments(status__in=Commitment.OPEN_STATUSES))
    return queryset.annotate(**figures)


def fiche_records(queryset=None, *, counts=True):
    """Published fiches with what a record (API list, export, feed entry) shows, in a fixed number of queries.

    ``queryset`` is a filtered ``fiches()`` (a FilterSet's ``qs``): filters and their choices run on the
    plain published fiches, the annotations are added afterwards, and its order (newest first, or by rank
    for a search) is kept. ``counts=False`` leaves out the commitment counts (a feed entry shows none).
    """
    queryset = fiches().newest_first() if queryset is None else queryset
    return _with_record_figures(
        queryset.select_related("lead_ministry", "council_configuration", "template", "batch_letter").prefetch_related(
            Prefetch("documents", queryset=_ordered_documents()), "co_ministries"
        ),
        counts=counts,
    )


def fiche_record_detail():
    """A published fiche's full record (API detail): the fiche page's rows plus the record's figures."""
    return _with_record_figures(fiches().with_detail(public=True))


def commitment_records():
    return commitments().select_related("fiche", "ministry", "fiche__lead_ministry", "due_meeting__configuration")


def budget_records():
    return budgets().select_related("fiche", "ministry").prefetch_related(
        Prefetch("priorities", queryset=CofinancingPriority.objects.order_by("position", "pk"))
    )


def document_records():
    return documents().prefetch_related(Prefetch("fiches", queryset=fiches().newest_first(), to_attr="public_fiches"))


def outcomes():
    """Published outcomes of published fiches (the ledger's gate), with their fiche and points in two queries."""
    return Outcome.objects.published().select_related("fiche__lead_ministry", "fiche__council_configuration").prefetch_related(
        Prefetch("points", queryset=OutcomePoint.objects.order_by("position", "pk")))
