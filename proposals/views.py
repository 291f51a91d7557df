"""Public dossier pages per Commission document. Reads start from ``published()``."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from positions.models import Commitment, Fiche

from . import references
from .models import CommissionDocument


@require_GET
def document_detail(request, reference):
    try:
        ref = references.parse_reference(reference)
    except ValidationError:
        raise Http404("Geen geldige referentie") from None
    if reference != ref.slug:
        return redirect("proposals:document_detail", reference=ref.slug, permanent=True)
    document = get_object_or_404(CommissionDocument.objects.published(), doc_type=ref.doc_type, year=ref.year, number=ref.number)
    fiches = Fiche.objects.published().filter(documents=document).select_related("lead_ministry", "council_configuration")
    related = CommissionDocument.objects.published().filter(relations_to__source=document).distinct()
    related_back = CommissionDocument.objects.published().filter(relations_from__target=document).distinct()
    commitments = Commitment.objects.published().filter(fiche__documents=document).select_related("fiche", "ministry")
    return render(
        request,
        "proposals/document_detail.html",
        {"document": document, "fiches": fiches, "related": related, "related_back": related_back, "commitments": commitments},
    )
