"""Server time and query count of every page type, measured in-process with Django's test client.

Run by bench/run.py once per benchmark database (DATABASE_URL), with production settings (DEBUG off).
Prints one JSON object: {"pages": {PAGE: {...}}, "import_ms": float, "targets": {...}}.

Each page is requested a few times to warm up (template and URL caches, connection), then ``--repeat``
times (fewer for slow pages, within a time budget); the median and the 95th percentile of the wall time
around ``client.get`` (response body included, streamed or not) are reported, and the query count of one
request from CaptureQueriesContext. The same fiche (the first published one of the seeded data, whose
content does not depend on N) is used at every size, so N = 100 and N = 10,000 are comparable.
"""

import argparse
import json
import logging
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fichetracker.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.db.models import F  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

# A search and a filter that fill a whole page (25 rows) at N = 100 as well as at N = 10,000, so that the
# two sizes compare the cost of the same page over more data, not of a 3-row page with a 25-row one
# (runs before 2 December 2026 used "waterstof" and ministry=fin&competence=positief: 2 and 10 hits at N = 100).
SEARCH_QUERY = "regeldruk"
FILTER = {"competence": "positief", "subsidiarity": "positief"}
AFTER_WRITE_RUNS = 3
EXAMPLE_FICHE = Path(os.environ.get("FICHETRACKER_EXAMPLE_FICHE") or ROOT / "fixtures" / "fiches" / "2024-COM-2024-28-startups-betrouwbare-ai.txt")


def representative_fiche():
    from positions.models import Fiche

    published = {f.natural_id: f for f in Fiche.objects.published().filter(is_demo=True).select_related().prefetch_related("documents")}
    seeds = sorted({nid.split("-")[1] for nid in published})
    for index in range(100):
        for seed in seeds:
            fiche = published.get(f"demo-{seed}-{index}")
            if fiche is not None:
                return fiche
    raise SystemExit("No published demo fiche found: run generate_demo_data first.")


def page_urls(fiche):
    from positions.models import Fiche

    published_count = Fiche.objects.published().count()
    per_page = 25
    last_page = max(1, -(-published_count // per_page))
    document = fiche.documents.order_by("doc_type", "year", "number").first()
    query = "&".join(f"{k}={v}" for k, v in FILTER.items())
    specs = {
        "home": lambda: reverse("public:home"),
        "fiche_list": lambda: reverse("public:fiche_list"),
        "fiche_list_filtered": lambda: f"{reverse('public:fiche_list')}?{query}",
        "search": lambda: f"{reverse('public:fiche_list')}?q={SEARCH_QUERY}",
        "fiche_list_deep": lambda: f"{reverse('public:fiche_list')}?page={last_page}",
        "fiche": lambda: reverse("public:fiche_detail", kwargs={"kamerstuk": fiche.kamerstuk}),
        "dossier": lambda: reverse("public:document_detail", kwargs={"reference": document.slug}),
        "commitments": lambda: reverse("public:commitment_list"),
        "statistics": lambda: reverse("public:statistics"),
        "feed": lambda: reverse("public:fiche_feed"),
        "export_csv": lambda: reverse("public:fiche_export", kwargs={"fmt": "csv"}),
        "api_list": lambda: reverse("api:fiche_list"),
        "api_detail": lambda: reverse("api:fiche_detail", kwargs={"kamerstuk": fiche.kamerstuk}),
        "admin_changelist": lambda: reverse("admin:positions_fiche_changelist"),
        "admin_change": lambda: reverse("admin:positions_fiche_change", args=[fiche.pk]),
    }
    urls = {}
    for name, build in specs.items():
        try:
            urls[name] = build()
        except NoReverseMatch as error:
            urls[name] = None
            print(f"page {name}: no URL ({error})", file=sys.stderr)
    return urls


def server_client():
    """A test client that measures the server as deployed: no test instrumentation.

    ``setup_test_environment()`` (used by runs before 4 December 2026, 06:30 UTC) makes every template render
    send a signal to which the client answers with a copy of the context: about a fifth of a list page's
    time went to that bookkeeping, which production never does. The host is one of the benchmark's
    ALLOWED_HOSTS instead of "testserver"; mail, should a page send any, stays in memory."""
    from django.conf import settings

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return Client(raise_request_exception=False, HTTP_HOST="localhost")


def staff_client():
    """A superuser, signed in and (when the admin requires it) verified with a TOTP device, as an editor would be."""
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(username="bench-admin", defaults={"is_staff": True, "is_superuser": True})
    client = server_client()
    client.force_login(user)
    from django.apps import apps

    if apps.is_installed("django_otp.plugins.otp_totp"):
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def body(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def measure(client, url, repeat, budget_s):
    for _ in range(3):
        body(client.get(url))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        size = len(body(response))
    query_count = len(queries)  # now: the next request's request_started signal resets the query log
    times, first_bytes = [], []
    deadline = time.perf_counter() + budget_s
    while len(times) < repeat and (len(times) < 5 or time.perf_counter() < deadline):
        started = time.perf_counter()
        response = client.get(url)
        if getattr(response, "streaming", False):
            chunks = iter(response.streaming_content)
            next(chunks, b"")
            first_bytes.append((time.perf_counter() - started) * 1000)
            for _chunk in chunks:
                pass
        else:
            body(response)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    result = {"queries": query_count, "median_ms": round(statistics.median(times), 2), "p95_ms": round(p95, 2),
              "status": response.status_code, "bytes": size, "samples": len(times), "url": url,
              "times_ms": [round(t, 2) for t in times]}
    result.update(after_write(client, url))
    if first_bytes:
        # A streamed export: its full time grows with the data by design; the reader waits for the first bytes.
        result["first_byte_median_ms"] = round(statistics.median(first_bytes), 2)
    return result


def after_write(client, url):
    """The first request after a write: the content version raised (as by any edit), so every cache keyed
    by it (facets, counts, page keys, statistics, the page cache) misses once. Median of a few."""
    from pagecache.models import ContentVersion

    times, queries = [], 0
    for _ in range(AFTER_WRITE_RUNS):
        ContentVersion.objects.filter(pk=1).update(number=F("number") + 1)  # committed: autocommit
        time.sleep(0.05)  # the page cache's listener re-reads the version (well under a millisecond)
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            body(client.get(url))
            times.append((time.perf_counter() - started) * 1000)
        queries = len(captured)
    return {"after_write_median_ms": round(statistics.median(times), 2), "after_write_queries": queries,
            "after_write_times_ms": [round(t, 2) for t in times]}


def import_time(runs):
    """Parse the example fiche and import it as a draft, in a transaction that is rolled back each time."""
    if runs < 1:
        return None
    if not EXAMPLE_FICHE.is_file():
        print(f"import: {EXAMPLE_FICHE} not found", file=sys.stderr)
        return None
    from importer.parsing import parse_file
    from importer.services import import_fiche
    from positions.models import Fiche

    times = []
    for _ in range(runs):
        with transaction.atomic():
            # The published example from load_fixtures would make this a refused import: import it afresh.
            Fiche.objects.filter(kamerstuk="22112-3908").delete()
            started = time.perf_counter()
            result = parse_file(EXAMPLE_FICHE)
            outcome = import_fiche(result=result)
            times.append((time.perf_counter() - started) * 1000)
            assert outcome.fiche.sections.exists()
            transaction.set_rollback(True)
    return round(statistics.median(times), 1)


def search_benchmark(path):
    """Every query of ``path`` (one a line, # comments) asked once, page cache off: none was asked before in
    this process, so no cached count, page keys or facets help (the result cache is keyed by the query).
    Returns the median and p95 of the server time, the query counts and the hits of each."""
    from urllib.parse import urlencode

    client = server_client()
    queries = [line.strip() for line in Path(path).read_text().splitlines() if line.strip() and not line.startswith("#")]
    base = reverse("public:fiche_list")
    body(client.get(f"{base}?{urlencode({'q': 'opwarmen'})}"))
    times, counts, failures = [], [], 0
    for query in queries:
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(f"{base}?{urlencode({'q': query})}")
            body(response)
            times.append((time.perf_counter() - started) * 1000)
            counts.append(len(captured.captured_queries))
        failures += response.status_code != 200
    ordered = sorted(times)
    return {"queries_asked": len(queries), "median_ms": round(statistics.median(times), 2),
            "p95_ms": round(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))], 2), "max_ms": round(ordered[-1], 2),
            "db_queries_median": statistics.median(counts) if counts else None, "non_200": failures, "times_ms": [round(t, 2) for t in times]}


def save_static_copy(urls, directory):
    """The HTML of the pages compared in the HTTP benchmark, as whitenoise will serve it."""
    client = server_client()
    directory = Path(directory)
    for name in ("fiche_list", "fiche", "search"):
        if urls.get(name):
            response = client.get(urls[name])
            path = directory / "bench-static" / f"{name}.html"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(body(response))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--budget", type=float, default=8.0, help="Seconds per page at most (after 5 samples).")
    parser.add_argument("--static-copy", help="Directory to save the static copy of the compared pages into.")
    parser.add_argument("--import-runs", type=int, default=5)
    parser.add_argument("--pages", help="Only these pages (comma-separated names).")
    parser.add_argument("--search-queries", help="Also run the search benchmark over the queries of this file (bench/queries.txt).")
    args = parser.parse_args()

    fiche = representative_fiche()
    urls = page_urls(fiche)
    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # failures are reported in the results instead
    public, staff = server_client(), staff_client()
    pages = {}
    for name, url in urls.items():
        if args.pages and name not in args.pages.split(","):
            continue
        if url is None:
            pages[name] = {"missing": True}
            continue
        client = staff if name.startswith("admin_") else public
        pages[name] = measure(client, url, args.repeat, args.budget)
        result = pages[name]
        print(f"  {name:22} {result['status']} {result['median_ms']:8.1f} ms  {result['queries']:3} queries  {url}", file=sys.stderr)
    if args.static_copy:
        save_static_copy(urls, args.static_copy)
    from positions.models import Fiche

    sample = list(Fiche.objects.published().order_by("natural_id").prefetch_related("documents")[:20])
    mixed = [u for name, u in urls.items() if u and not name.startswith("admin_") and name != "export_csv"]
    mixed += [reverse("public:fiche_detail", kwargs={"kamerstuk": f.kamerstuk}) for f in sample]
    mixed += [reverse("public:document_detail", kwargs={"reference": d.slug}) for f in sample[:10] for d in f.documents.all()[:1]]
    searched = search_benchmark(args.search_queries) if args.search_queries else None
    print(json.dumps({"pages": pages, "import_ms": import_time(args.import_runs), "fiche": fiche.kamerstuk, "search_unseen": searched,
                      "published_fiches": Fiche.objects.published().count(), "urls": urls, "mixed_urls": mixed}))


if __name__ == "__main__":
    main()
