"""Every public read, in one place. Each queryset here starts from ``published()``: a draft, a fiche
under embargo and what hangs from them never reach a page, feed, export, sitemap or the API.

Views, feeds, exports, sitemaps and the API take their rows from these functions and add only their
filters and their order; the joins and prefetches that a kind of page needs are written once.
"""

from django.db.models import Prefetch

from positions.models import CofinancingBudget, Commitment, CommitmentStatusChange, Fiche
from proposals.models import CommissionDocument


def fiches():
    """Published fiches past their embargo: the gate every public read of fiches starts from."""
    return Fiche.objects.published()


def fiche_rows():
    """Published fiches with what a list row shows (ministry, Council, template, documents), in a fixed number of queries."""
    return fiches().select_related("lead_ministry", "council_configuration", "template").prefetch_related(
        Prefetch("documents", queryset=CommissionDocument.objects.order_by("doc_type", "year", "number"))
    )


def fiche_detail():
    """Published fiches with all that the fiche page shows, commitment histories included."""
    return fiches().with_detail().prefetch_related(
        Prefetch("commitments__status_changes", queryset=CommitmentStatusChange.objects.order_by("changed_at", "pk"))
    )


def public_revises(fiche):
    """The fiche that ``fiche`` revises, when that one is public itself; otherwise None, as if it did not exist."""
    return fiche.revises if fiche.revises_id and fiche.revises.is_public else None


def commitments():
    """Commitments of published fiches."""
    return Commitment.objects.published()


def commitment_rows():
    """Commitments of published fiches with what a list row shows."""
    return commitments().select_related(
        "fiche", "fiche__lead_ministry", "fiche__council_configuration", "ministry", "due_meeting__configuration"
    )


def budgets():
    """Cofinancing announced in published fiches."""
    return CofinancingBudget.objects.published()


def documents():
    """Commission documents assessed in a published fiche, or related to a document that is."""
    return CommissionDocument.objects.published()


def status_changes():
    """Status changes of commitments of published fiches."""
    return CommitmentStatusChange.objects.filter(commitment__fiche__in=fiches())
