"""Public pages for fiches and commitments. Every read comes from ``public.selectors`` (built on ``published()``): drafts answer 404.

Views stay thin: published queryset -> FilterSet -> paginator -> render.
"""

import hashlib
from contextlib import nullcontext
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Prefetch
from django.db.models.functions import Length
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from pagecache.results import ContentCache
from positions import fiche_page
from positions.models import FICHE_NEWEST_FIRST, Commitment, Fiche, Verdict
from proposals import references
from proposals.models import CommissionDocument

from . import search, selectors, statistics
from .filters import CommitmentFilter, DocumentFilter, FicheFilter, FicheSortForm

PAGE_SIZE = 25


class LeanPaginator(Paginator):
    """Counts on the bare filtered queryset (no select_related, prefetches or annotations)."""

    @cached_property
    def count(self):
        return self.object_list.order_by().values("pk").count()


def paginate(request, lean_queryset, load_rows, *, results=None, name="", keys=None, count=None, matching=nullcontext):
    """One page of rows with a "deferred join": OFFSET walks only the primary keys of the lean,
    filtered queryset; the full rows (joins, prefetches, snippets) are then loaded for those 25 keys
    only. Deep pages stay as cheap as the first: a fixed number of queries, and no wide rows skipped.

    With ``results`` (the filterset's ``ContentCache``), the count and each page's keys are cached by the
    content version and the query string, like the facets: between two writes a list, a search or a
    deep page costs the 25 rows it shows, whatever the number of published rows behind it. Any write
    raises the version, so a publication or a withdrawal changes counts and pages at once.

    ``count``: on a miss of the cached count, a callable giving the number of rows when a query for the menus has
    counted them already (the filterset's ``listed_count``), or None: the lean queryset is counted then.
    ``keys``: the keys of all rows in order, read already (a search's, with its menus): pages are cut from them.
    ``matching``: a context manager that the queries of ``lean_queryset`` (its count, a page's keys) run in: a
    search's ``search.gin_matching``, so that they match on the GIN index.
    """
    if keys is not None:
        paginator = Paginator(keys, PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        wanted = list(page.object_list)
    else:
        paginator = LeanPaginator(lean_queryset, PAGE_SIZE)

        def counted():
            known = count() if count is not None else None
            if known is None:
                with matching():
                    known = paginator.count
            return known

        query = results.query_digest(request, without=("page",)) if results is not None else ""
        paginator.count = results.rows(f"{name}-count:{query}", counted) if results is not None else counted()
        page = paginator.get_page(request.GET.get("page"))

        def page_keys():
            with matching():
                return list(page.object_list.values_list("pk", flat=True))

        wanted = results.rows(f"{name}-keys:{query}:{page.number}", page_keys) if results is not None else page_keys()
    rows = {row.pk: row for row in load_rows(wanted)} if wanted else {}
    page.object_list = [rows[key] for key in wanted if key in rows]
    # Numbered links: 1 2 … 7 8 [9] 10 11 … 160 161.
    page.numbers = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return page


def query_string_without_page(request):
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def render_listing(request, template_name, build):
    """A public list page whose list (filters with their counts, the result count, the rows, the page links: the
    ``listing`` partial of ``template_name``) is rendered once per content version, address and language.

    ``build(results)`` gives the partial's context on a miss (``results``: this request's ``ContentCache``, for its
    filterset, so the content state is read once), with ``invalid``: whether a filter has an invalid value (the
    page's title says so). The key holds the path (language and script prefix included) and the query string as
    given (its order shows in the links the list carries along), so any other list, page, order or search is a
    miss, built from the cached pieces below (menus, count, page keys, rows). Like the fiche page's body, an entry
    holds only published content and lives until the next write or the next embargo that lifts (``ContentCache``);
    it holds nothing of the reader (public pages show everyone the same list, signed in or not). Between two writes
    a list asked for again, by a reader the page cache does not serve (a signed-in editor, a page cache turned
    off), costs the page around it.
    """
    results = ContentCache(selectors.fiches(), enabled=True)
    address = hashlib.sha256(f"{request.path}?{request.GET.urlencode()}".encode()).hexdigest()[:32]
    key, timeout = results.fragment(f"listing:{address}:{get_language()}")
    listed = cache.get(key) if key is not None else None
    if listed is None:
        context = build(results)
        listed = {"html": str(render_to_string(f"{template_name}#listing", context, request)), "invalid": context["invalid"]}
        if key is not None:
            cache.set(key, listed, timeout)
    # The partial's output, escaped where it was rendered.
    return render(request, template_name, {"listing": mark_safe(listed["html"]), "invalid": listed["invalid"],
                                           "query_string": query_string_without_page(request)})


def listing_context(request, filterset, page, rows_name, **more):
    """The context every list's ``listing`` partial reads: the filterset, the page (None while a filter is invalid) and
    its rows as ``rows_name``, the query string for the page links, the links that drop one active filter, the number
    of active filters folded away on a phone (all but the search: ``includes/filter_panel_summary.html``), and
    ``invalid``; ``more`` adds to it or replaces it (the fiche list's sort form is a filter too)."""
    active = filterset.active_fields
    return {"invalid": bool(filterset.form.errors), "filter": filterset, "page_obj": page, rows_name: page.object_list if page else [],
            "query_string": query_string_without_page(request), "active_filters": removable_filters(request, active),
            "folded_count": sum(1 for name, _label, _shown in active if name != "q"), **more}


@require_safe
def home(request):
    latest = selectors.fiche_list_rows()[:8]
    # "Openstaand" exactly as the status filter that the "all open commitments" link opens.
    still_open = selectors.commitments().filter(status=Commitment.Status.OPEN)
    open_commitments = (
        still_open
        .select_related("fiche", "ministry", "fiche__lead_ministry")
        .order_by("due_date", "fiche__kamerstuk", "position")[:8]
    )
    # The two totals scan every published row: cached by content version like the list's facets.
    counts = ContentCache(selectors.fiches(), enabled=True).rows(
        "home-counts", lambda: {"fiches": selectors.fiches().count(), "open": still_open.count()}
    )
    return render(request, "public/home.html", {"latest": latest, "open_commitments": open_commitments, "counts": counts})


# The list's orders besides relevance (a search's own order, best matches first).
FICHE_ORDERS = {
    "newest": FICHE_NEWEST_FIRST,
    "oldest": ("sent_on", "kamerstuk", "pk"),
    # "22112-999" before "22112-3908": by length first, then as text (every number has the same dossier prefix or a longer one).
    "kamerstuk": (Length("kamerstuk").asc(), "kamerstuk", "pk"),
}


def removable_filters(request, active):
    """(label, shown value, URL of this list without that filter) for every one of the ``active`` filters (a
    filterset's ``active_fields``)."""
    links = []
    for name, label, shown in active:
        params = request.GET.copy()
        for dropped in (name, "page"):
            params.pop(dropped, None)
        if name == "q" and params.get("sort") == "relevance":
            params.pop("sort")
        query = params.urlencode()
        links.append((label, shown, f"?{query}" if query else request.path))
    return links


def hidden_params(request, *, without):
    """(name, value) of the query string but ``without``: hidden fields that a second form carries along."""
    return [(key, value) for key, values in request.GET.lists() if key not in without for value in values]


@require_safe
def fiche_list(request):
    return render_listing(request, "public/fiche_list.html", partial(fiche_listing, request))


def fiche_listing(request, results):
    """The fiche list's context: filters and their menus, the sort form, one page of rows (a search's with snippets)."""
    filterset = FicheFilter(request.GET or None, queryset=selectors.fiches(), cache_facets=results)
    sort = FicheSortForm(request.GET, searching=filterset.is_search)
    page = None
    if not filterset.is_bound or filterset.form.is_valid():
        text = filterset.form.cleaned_data.get("q", "") if filterset.is_bound else ""
        # For a search in order of relevance, the menus' query reads the keys of all its results too (when it runs).
        filterset.narrow_facets(ranked=sort.order == "relevance")
        cache = filterset.result_cache
        snippets = {}

        def load_rows(keys):
            # The row shows no documents: the documents' prefetch is not needed here.
            rows = selectors.fiche_list_rows().filter(pk__in=keys)
            if not text:
                return rows
            # A search's snippets (ts_headline: most of the cost of its rows) are cached by content version and the
            # whole query string (search, filters, order, page); the rows themselves are read every time.
            loaded = []

            def headlines():
                loaded.extend(search.with_snippets(rows, text))
                return {fiche.pk: search.snippet(fiche, text) for fiche in loaded}

            snippets.update(cache.rows(f"fiches-snippets:{cache.query_digest(request)}", headlines))
            return loaded or rows

        results = filterset.qs
        if sort.order in FICHE_ORDERS:
            results = results.order_by(*FICHE_ORDERS[sort.order])
        # A search in relevance order (PostgreSQL): the menus' query read the keys of all its results already. Any
        # other order, or menus cached for one: the count comes with the menus, and the page's keys are read from the
        # search itself on the GIN index (``search.gin_matching``; it does nothing without a word to find).
        keys = filterset.ranked_keys if sort.order == "relevance" else None
        page = paginate(request, results, load_rows, results=cache, name="fiches", keys=keys, count=filterset.listed_count,
                        matching=partial(search.gin_matching, connections[results.db], text))
        if text:
            for fiche in page.object_list:
                fiche.snippet = snippets.get(fiche.pk, "")
    return listing_context(
        request, filterset, page, "fiches",
        invalid=bool(filterset.form.errors or sort.errors),
        sort_form=sort,
        sort_hidden=hidden_params(request, without=("sort", "page")),
        verdicts=Verdict,
    )


@require_safe
def document_list(request):
    """Every Commission document a reader may see, newest first, filterable and paged."""
    return render_listing(request, "public/document_list.html", partial(document_listing, request))


def document_listing(request, results):
    filterset = DocumentFilter(request.GET or None, queryset=selectors.documents(), cache_facets=results)
    page = None
    if not filterset.is_bound or filterset.form.is_valid():

        def load_rows(keys):
            shown = selectors.fiches().only("pk", "kamerstuk", "title").order_by(*FICHE_NEWEST_FIRST)
            return CommissionDocument.objects.filter(pk__in=keys).prefetch_related(Prefetch("fiches", queryset=shown))

        ordered = filterset.qs.order_by("-year", "-number", "doc_type", "pk")
        page = paginate(request, ordered, load_rows, results=filterset.result_cache, name="documents", count=filterset.listed_count)
    return listing_context(request, filterset, page, "documents")


@require_safe
def feed_index(request):
    """Every feed explained, with a feed of new fiches per ministry that has published fiches."""
    ministries = FicheFilter(queryset=selectors.fiches(), cache_facets=True).facet_choices("ministry")
    return render(request, "public/feeds.html", {"ministries": ministries})


@require_safe
def fiche_detail(request, kamerstuk):
    # "22 112, nr. 3908", as parliamentary papers cite it, leads to /fiches/22112-3908/ (as in the API).
    try:
        canonical = references.normalise_kamerstuk(kamerstuk)
    except ValidationError:
        raise Http404(_("Geen geldig Kamerstuknummer.")) from None
    if canonical != kamerstuk:
        return redirect("public:fiche_detail", kamerstuk=canonical, permanent=True)
    published = selectors.fiches()
    results = ContentCache(published, enabled=True)
    # The page's title and the fragment's key need only these, cached by content version like the body below (a
    # publication, a withdrawal or a new title is a write; an embargo that lifts ends the entry); a fiche that is not
    # published answers 404 here.
    head = results.rows(f"fiche-head:{kamerstuk}",
                        lambda: published.filter(kamerstuk=kamerstuk).values_list("pk", "title").first() or ())
    if not head:
        raise Http404("No published fiche has this Kamerstuk number.")  # as get_object_or_404 (the 404 page shows no message)
    fiche = Fiche(pk=head[0], kamerstuk=kamerstuk, title=head[1])

    def detail():
        # Read only when the rendered body is not cached: the fiche's rows, then a constant number of queries
        # on top (``positions.fiche_page.page_detail``, which the admin preview uses too).
        return fiche_page.page_detail(selectors.fiche_detail().get(pk=fiche.pk))

    # The rendered body is cached by content version, fiche and language (the template's {% cache %}). The
    # content version changes with any committed write to the fiches, their sections, footnotes, documents,
    # commitments and their histories, cofinancing, outcomes and the reference data (ministries, Councils),
    # so it covers what the body shows of other rows too: which cited fiches and documents are published,
    # the revised and revising fiches, names of ministries. An entry never outlives the next embargo that
    # lifts (``ContentCache.fragment``); only a published fiche gets this far.
    key, timeout = results.fragment("fiche-body")
    return render(request, "public/fiche_detail.html",
                  {"fiche": fiche, "detail": detail, "body_key": key, "body_timeout": timeout})


@require_safe
def commitment_list(request):
    return render_listing(request, "public/commitment_list.html", partial(commitment_listing, request))


def commitment_listing(request, results):
    filterset = CommitmentFilter(request.GET or None, queryset=selectors.commitments(), cache_facets=results)
    page = None
    if not filterset.is_bound or filterset.form.is_valid():

        def load_rows(keys):
            return selectors.commitment_rows().filter(pk__in=keys)

        page = paginate(request, filterset.qs.order_by("due_date", "-fiche__sent_on", "fiche__kamerstuk", "position", "pk"), load_rows,
                        results=filterset.result_cache, name="commitments", count=filterset.listed_count)
    return listing_context(request, filterset, page, "commitments", statuses=Commitment.Status)


@require_safe
def statistics_page(request):
    # The figures and their rendering grow with the data (a row per ministry and year): the rendered
    # figures are cached per language by content version, so the first request after a write builds them.
    results = ContentCache(selectors.fiches(), enabled=True)
    key, timeout = results.fragment("statistics")
    # The chosen year of the timeliness chart is part of the fragment's key: a four-digit year, or one key for anything else.
    year = request.GET.get("jaar", "")
    return render(request, "public/statistics.html",
                  {"stats": SimpleLazyObject(lambda: statistics.collect(results, request.GET)), "figures_key": key,
                   "figures_timeout": timeout, "year_key": year if year.isascii() and year.isdigit() and len(year) == 4 else f"-{bool(year)}"})


@require_safe
def about(request):
    return render(request, "pages/about.html", {"verdicts": Verdict, "statuses": Commitment.Status})


@require_safe
def accessibility(request):
    return render(request, "pages/accessibility.html", {"contact_email": settings.CONTACT_EMAIL})
