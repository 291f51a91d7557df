"""Where the time of each page type goes: in-process, production settings, page cache off.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ft_bench_10000 .venv/bin/python bench/profiles.py [--pages fiche,admin_change]

For every page: the median of ``--repeat`` requests (after warm-up), then one cProfile of ``--profile-runs``
requests, summarised by where the time goes (templates, translations, ORM, database, the view itself) and
the top functions by own time. The search page gets a query never asked before on every request (words
from bench/queries.txt), so the result cache never helps it. Prints a Markdown summary.
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import pages  # noqa: E402  (sets up Django)
from django.urls import reverse  # noqa: E402

PAGES = ["fiche_list", "search", "fiche", "dossier", "commitments", "feed", "api_list", "admin_changelist", "admin_change"]

# Where a function's own time is counted, by the file it lives in (first match wins).
BUCKETS = [
    ("database driver", ("psycopg", "sqlite3")),
    ("ORM (query building, model instances)", ("django/db/",)),
    ("translations", ("django/utils/translation", "gettext", "django/utils/functional", "asgiref/local")),
    ("templates", ("django/template", "templatetags", "django/forms/renderers", "django/forms/boundfield", "django/forms/widgets",
                   "django/utils/html", "django/utils/safestring", "django/utils/formats", "django/utils/dateformat")),
    ("forms and admin", ("django/forms", "django/contrib/admin")),
    ("URL reversing", ("django/urls",)),
]


def unseen_queries():
    path = BENCH / "queries.txt"
    words = [line.strip() for line in path.read_text().splitlines() if line.strip() and not line.startswith("#")] if path.exists() else []
    for index, query in enumerate(words or ["regeldruk"] * 1000):
        yield query if words else f"{query} {index}"


STDLIB = os.path.dirname(os.__file__)


def caller_parent(stats, function, depth=4):
    """The file of the nearest caller of ``function`` outside the standard library and builtins."""
    filename = function[0]
    while depth and (filename == "~" or filename.startswith(STDLIB)):
        callers = stats.stats.get(function, (0, 0, 0, 0, {}))[4]
        if not callers:
            break
        function = max(callers.items(), key=lambda item: item[1][2])[0]
        filename = function[0]
        depth -= 1
    return filename


def bucket_of(filename):
    for name, needles in BUCKETS:
        if any(needle in filename for needle in needles):
            return name
    if "/work/main/" in filename and "/.venv/" not in filename:
        return "project code"
    return "other (Python, libraries)"


def profile(client, url_for, runs):
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        pages.body(client.get(url_for()))
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = sum(row[2] for row in stats.stats.values())  # own time of every function
    buckets = {}
    for (filename, _line, _name), row in stats.stats.items():
        if filename == "~" or filename.startswith(STDLIB):
            # Builtins and the standard library count for whoever called them (their own time per caller).
            for caller, caller_row in row[4].items():
                name = bucket_of(caller_parent(stats, caller))
                buckets[name] = buckets.get(name, 0) + caller_row[2]
            continue
        buckets[bucket_of(filename)] = buckets.get(bucket_of(filename), 0) + row[2]
    counts = {}
    for (filename, _line, name), row in stats.stats.items():
        if name in ("gettext", "pgettext", "ngettext") and "translation" in filename:
            counts["translations"] = counts.get("translations", 0) + row[0]
        if name == "resolve" and "django/template/base.py" in filename:
            counts["variable lookups"] = counts.get("variable lookups", 0) + row[0]
        if name == "render" and "django/template/base.py" in filename:
            counts["template renders"] = counts.get("template renders", 0) + row[0]
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(12)
    top = [line for line in out.getvalue().splitlines() if line.strip() and line.strip()[0].isdigit()][:12]
    return total, buckets, {k: v // runs for k, v in counts.items()}, top


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--profile-runs", type=int, default=5)
    parser.add_argument("--top", action="store_true", help="Also print the top functions by own time.")
    args = parser.parse_args()
    fiche = pages.representative_fiche()
    urls = pages.page_urls(fiche)
    public, staff = pages.server_client(), pages.staff_client()
    queries = unseen_queries()
    lines = ["| page | median (ms) | queries | database | ORM | templates | translations | forms/admin | URLs | project | other "
             "| translations / variable lookups per request |", "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    tops = []
    for name in args.pages.split(","):
        client = staff if name.startswith("admin_") else public
        if name == "search":
            base = reverse("public:fiche_list")

            def url_for(base=base):
                from urllib.parse import quote_plus

                return f"{base}?q={quote_plus(next(queries))}"
        else:
            def url_for(url=urls[name]):
                return url
        for _ in range(3):
            pages.body(client.get(url_for()))
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            pages.body(client.get(url_for()))
            times.append((time.perf_counter() - started) * 1000)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            pages.body(client.get(url_for()))
            query_count = len(captured.captured_queries)  # before the next request resets the log
        total, buckets, counts, top = profile(client, url_for, args.profile_runs)

        def share(key, total=total, buckets=buckets):
            return f"{100 * buckets.get(key, 0) / total:.0f} %"

        lines.append(f"| {name} | {statistics.median(times):.1f} | {query_count} | {share('database driver')} "
                     f"| {share('ORM (query building, model instances)')} | {share('templates')} | {share('translations')} "
                     f"| {share('forms and admin')} | {share('URL reversing')} | {share('project code')} | {share('other (Python, libraries)')} "
                     f"| {counts.get('translations', 0)} / {counts.get('variable lookups', 0)} |")
        print(lines[-1], file=sys.stderr, flush=True)
        tops.append((name, top))
    print(f"N = {os.environ.get('DATABASE_URL', '?').rsplit('/', 1)[-1]}, load average {os.getloadavg()[0]:.2f}\n")
    print("\n".join(lines))
    if args.top:
        for name, top in tops:
            print(f"\n### {name}\n\n```\n" + "\n".join(top) + "\n```")


if __name__ == "__main__":
    main()
