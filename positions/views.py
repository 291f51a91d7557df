"""Public pages for fiches. Every read starts from ``published()``: drafts answer 404."""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from proposals.models import CommissionDocument

from .models import Commitment, Fiche

PAGE_SIZE = 25


def public_fiches():
    """Published fiches with what list rows show, in a fixed number of queries."""
    return (
        Fiche.objects.published()
        .select_related("lead_ministry", "council_configuration", "template")
        .prefetch_related(Prefetch("documents", queryset=CommissionDocument.objects.order_by("doc_type", "year", "number")))
    )


@require_GET
def home(request):
    latest = public_fiches()[:10]
    open_commitments = (
        Commitment.objects.published().open().select_related("fiche", "ministry", "fiche__lead_ministry").order_by("due_date", "pk")[:10]
    )
    return render(request, "positions/home.html", {"latest": latest, "open_commitments": open_commitments})


@require_GET
def fiche_list(request):
    paginator = Paginator(public_fiches(), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "positions/fiche_list.html", {"page_obj": page, "fiches": page.object_list})


@require_GET
def fiche_detail(request, kamerstuk):
    fiche = get_object_or_404(
        public_fiches().select_related("batch_letter", "revises").prefetch_related(
            "sections",
            "footnotes",
            "co_ministries",
            Prefetch("revised_by", queryset=Fiche.objects.published()),
            Prefetch("commitments", queryset=Commitment.objects.select_related("ministry", "due_meeting__configuration")),
            "cofinancing_budgets__priorities",
        ),
        kamerstuk=kamerstuk,
    )
    revises = fiche.revises if fiche.revises_id and fiche.revises.is_public else None
    return render(request, "positions/fiche_detail.html", {"fiche": fiche, "revises": revises})
