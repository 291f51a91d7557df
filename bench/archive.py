"""The archive benchmark (issue 12): how fast ``import_archive`` loads a ministry's archive, on PostgreSQL.

Writes N fiches as files, half as text and half as the PDF the official publication service prints (running
header, footer, page numbers, footnotes), then imports the folder into an empty database with ``--jobs 1`` and,
on a fresh copy, with ``--jobs 2``, and runs the second import again on the same folder: every file must come
back "unchanged" (skipped by content hash) in a fraction of the time. Prints files per second and the projected
time for 4,000 fiches (target: under 10 minutes on a 2-core machine) and writes bench/archive.json and the key
"archive" of bench/results.json.

The fiches are the six invented archive fiches of the importer's tests (tests/importer/corpus: 2008-2025, both
templates, batch letters, two-document fiches, footnotes), each copy with its own Kamerstuk number and its own
Commission document numbers, so every file is a different fiche, as in a real archive.

    python bench/archive.py [--fiches 400]        (DATABASE_URL names the PostgreSQL server, as for make bench)
"""

# ruff: noqa: S603, S607 -- fixed tools (manage.py, psql), no shell; SQL built from our own constants only

import argparse
import csv
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import database_url, environment, log, manage  # noqa: E402
from tests.importer import formats  # noqa: E402

BASE = "ft_bench_archive"
REFERENCE = re.compile(r"\b(COM|SEC|SWD|JOIN|C)\((\d{4})\)\s?(\d+)")
CELEX = re.compile(r"\b5(\d{4})(PC|DC|JC|SC)(\d{4})\b")
TARGET_SECONDS_FOR_4000 = 600


def variant(source, index):
    """``source`` as a different fiche: Kamerstuk number 10000 + index, every document reference renumbered."""
    numbers = {}

    def renumber(match):
        key = (match[1], match[2], match[3])
        numbers.setdefault(key, 5000 + index * 8 + len(numbers))
        return f"{match[1]}({match[2]}) {numbers[key]}"

    def celex(match):
        return f"5{match[1]}{match[2]}{(5000 + index * 8) % 10000:04d}"

    def text(value):
        return CELEX.sub(celex, REFERENCE.sub(renumber, value))

    blocks = [tuple(text(part) if isinstance(part, str) and i else part for i, part in enumerate(block)) for block in source.blocks]
    return replace(source, name=f"{source.name}-{index}", number=10000 + index, blocks=blocks,
                   footnotes={n: text(note) for n, note in source.footnotes.items()})


def write_archive(folder, count):
    sources = [formats.load(name) for name in formats.names()]
    for index in range(count):
        fiche = variant(sources[index % len(sources)], index)
        if index % 2:
            (folder / f"{fiche.name}.pdf").write_bytes(formats.to_pdf(fiche))
        else:
            (folder / f"{fiche.name}.txt").write_text(formats.to_text(fiche), encoding="utf-8")


def psql(sql):
    subprocess.run(["psql", database_url("postgres"), "-qc", sql], check=True, capture_output=True)


def fresh_copy(name):
    psql(f"DROP DATABASE IF EXISTS {name}")
    psql(f"CREATE DATABASE {name} TEMPLATE {BASE}")
    return environment(database_url(name))


def run_import(env, folder, jobs, report):
    started = time.perf_counter()
    manage(env, "import_archive", str(folder), "--published", "--jobs", str(jobs), "--report", str(report), capture=True)
    seconds = time.perf_counter() - started
    with report.open(encoding="utf-8") as handle:
        results = Counter(row["result"] for row in csv.DictReader(handle))
    return seconds, dict(results)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fiches", type=int, default=400)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ft-archive-"))
    folder = work / "archief"
    folder.mkdir()
    try:
        log(f"archive: writing {args.fiches} fiches as text and PDF ...")
        write_archive(folder, args.fiches)
        log("archive: an empty database with the reference data ...")
        psql(f"DROP DATABASE IF EXISTS {BASE}")
        psql(f"CREATE DATABASE {BASE}")
        base_env = environment(database_url(BASE))
        manage(base_env, "migrate", "-v0")
        manage(base_env, "load_fixtures", capture=True)
        figures = {"fiches": args.fiches, "files": {"txt": len(list(folder.glob("*.txt"))), "pdf": len(list(folder.glob("*.pdf")))}}
        for jobs in (1, 2):
            env = fresh_copy(f"{BASE}_{jobs}")
            seconds, results = run_import(env, folder, jobs, work / f"jobs{jobs}.csv")
            rate = args.fiches / seconds
            figures[f"jobs_{jobs}"] = {"seconds": round(seconds, 1), "files_per_second": round(rate, 1), "results": results,
                                       "projected_seconds_for_4000": round(4000 / rate)}
            log(f"archive: --jobs {jobs}: {seconds:.1f} s, {rate:.1f} files/s, {results}; 4,000 fiches in about {4000 / rate / 60:.1f} min")
            if jobs == 2:
                seconds, results = run_import(env, folder, jobs, work / "rerun.csv")
                figures["rerun"] = {"seconds": round(seconds, 1), "results": results,
                                    "share_of_first_run": round(seconds / figures["jobs_2"]["seconds"], 2)}
                log(f"archive: rerun of the same folder: {seconds:.1f} s, {results}")
        best = min(figures["jobs_1"]["projected_seconds_for_4000"], figures["jobs_2"]["projected_seconds_for_4000"])
        figures["target_met"] = best <= TARGET_SECONDS_FOR_4000 and set(figures["rerun"]["results"]) == {"unchanged"}
        (ROOT / "bench" / "archive.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
        # make bench runs this after bench/run.py: its figures join results.json under one new key, the rest untouched.
        results_path = ROOT / "bench" / "results.json"
        results = json.loads(results_path.read_text(encoding="utf-8")) if results_path.exists() else {}
        results["archive"] = figures
        results_path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        print(json.dumps(figures, indent=2))
    finally:
        shutil.rmtree(work, ignore_errors=True)
        for name in (f"{BASE}_1", f"{BASE}_2", BASE):
            psql(f"DROP DATABASE IF EXISTS {name}")


if __name__ == "__main__":
    main()
