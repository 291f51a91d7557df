"""The alerts figure of `make bench`: one ``send_alerts`` run for 10,000 confirmed subscriptions of every kind
after 100 newly published fiches, against a local SMTP sink (aiosmtpd in its own process, as a local MTA
would be), with production settings (DEBUG off, SMTP mailer).

DATABASE_URL names a scratch PostgreSQL database (default postgres://postgres@127.0.0.1:5432/ft_alerts_bench);
it is dropped and created afresh, so every run measures the same data (seeded). Prints progress on stderr
and one JSON object on the last line of stdout: seconds, queries, mails, items, batches, SMTP connections.

The data: 12 ministries, 1,000 fiches published before anyone subscribed (each on its own Commission
document, two commitments each), 8,000 addresses with 10,000 subscriptions (searches in fiches and in
commitments, dossiers, ministries, commitments; every rhythm; Dutch and English), then the news: 100 newly
published fiches (60 on new documents, 30 on followed dossiers, 10 revisions) and 100 status changes.
Nearly every subscription has news, so nearly every one gets a mail: the worst case of one run.
"""

# ruff: noqa: S311 -- seeded pseudo-random data, no security use

import datetime
import json
import os
import random
import secrets
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = str(ROOT / ".venv" / "bin" / "python")
SUBSCRIPTIONS = int(os.environ.get("BENCH_ALERTS_SUBSCRIPTIONS", "10000"))
ADDRESSES = SUBSCRIPTIONS * 4 // 5
NEW_FICHES = 100
OLD_FICHES = 1000
MINISTRIES = 12
WORDS = ["waterstof", "chips", "regeldruk", "landbouw", "migratie", "klimaat", "digitaal", "energie", "visserij", "defensie"]
SINK = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from tests.alerts import smtp_sink
with smtp_sink.running(keep=False) as (sink, port):
    print(port, flush=True)
    sys.stdin.read()  # until the benchmark closes our input
    print(json.dumps({"count": sink.count, "connections": len(sink.peers)}), flush=True)
"""


def log(message):
    print(message, file=sys.stderr, flush=True)


def fresh_database(url):
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if parts.scheme not in ("postgres", "postgresql") or not name.replace("_", "").isalnum():
        raise SystemExit(f"bench/alerts.py needs a PostgreSQL scratch database, not {url}")
    admin = urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, ""))
    with psycopg.connect(admin.replace("postgres://", "postgresql://", 1), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def start_sink():
    sink = subprocess.Popen([PYTHON, "-c", SINK, str(ROOT)], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)  # noqa: S603
    return sink, int(sink.stdout.readline())


def stop_sink(sink):
    sink.stdin.close()
    figures = json.loads(sink.stdout.readline())
    sink.wait(timeout=30)
    return figures


def build(now):
    """The data described above; returns the moment the subscriptions were confirmed."""
    from alerts.discovery import discover
    from alerts.models import MailLanguage, Rhythm, Subscriber, Subscription, SubscriptionKind
    from positions.models import Commitment, CommitmentStatusChange, Fiche, FicheTemplate, TemplateKind, Verdict
    from proposals.models import CommissionDocument, CouncilConfiguration, Ministry

    rng = random.Random(1)
    ministries = Ministry.objects.bulk_create(Ministry(code=f"m{i}", abbreviation=f"M{i}", name=f"Ministerie van Zaken {i}") for i in range(MINISTRIES))
    councils = CouncilConfiguration.objects.bulk_create(CouncilConfiguration(code=f"C{i}", name=f"Raad {i}") for i in range(6))
    template = FicheTemplate.objects.create(key="communication-bench", kind=TemplateKind.COMMUNICATION, version="2024", name="Mededeling")
    through = Fiche.documents.through
    numbers = iter(range(1, 100_000))

    def fiches(count, *, year, on_documents=None, revises=None):
        documents = on_documents or CommissionDocument.objects.bulk_create(
            CommissionDocument(doc_type="COM", year=year, number=next(numbers), title=f"Voorstel over {rng.choice(WORDS)} {i}",
                               kind=CommissionDocument.Kind.COMMUNICATION) for i in range(count))
        rows = Fiche.objects.bulk_create(
            Fiche(title=f"Fiche over {rng.choice(WORDS)} en {rng.choice(WORDS)}", template=template, status=Fiche.Status.PUBLISHED,
                  kamerstuk=f"22112-{10000 + next(numbers)}", sent_on=datetime.date(year, 3, 1), received_on=datetime.date(year, 1, 20),
                  lead_ministry=rng.choice(ministries), council_configuration=rng.choice(councils), competence=rng.choice(Verdict.values),
                  subsidiarity=Verdict.POSITIVE, proportionality=Verdict.NEUTRAL,
                  is_revision=revises is not None, revises=revises[i] if revises else None)
            for i in range(count))
        through.objects.bulk_create(through(fiche=fiche, commissiondocument=document) for fiche, document in zip(rows, documents, strict=True))
        return rows, documents

    log(f"Building {OLD_FICHES:,} published fiches ...")
    old, old_documents = fiches(OLD_FICHES, year=2025)
    Commitment.objects.bulk_create(
        Commitment(fiche=fiche, position=p, quote="Het kabinet zal aandacht vragen.", summary=f"Toezegging {p} over {rng.choice(WORDS)}",
                   kind=Commitment.Kind.RAISE) for fiche in old for p in (1, 2))
    commitments = list(Commitment.objects.select_related("fiche").order_by("pk"))
    confirmed = now - datetime.timedelta(hours=1)
    discover(confirmed)  # what was public before anyone subscribed is not news

    log(f"Building {SUBSCRIPTIONS:,} confirmed subscriptions for {ADDRESSES:,} addresses ...")
    subscribers = Subscriber.objects.bulk_create(Subscriber(email=f"lezer{i}@example.org", created_at=confirmed) for i in range(ADDRESSES))
    followed_documents = old_documents[:60]
    searches = [f"ministry=m{i}" for i in range(MINISTRIES)] + [f"q={w}" for w in WORDS] + [f"council=C{i}" for i in range(6)] + \
        ["year=2026", "competence=positief", "q=chips&ministry=m1", "year=2026&council=C2"]
    commitment_searches = [f"ministry=m{i}" for i in range(MINISTRIES)] + ["status=fulfilled", "status=withdrawn", ""]
    changed = rng.sample(commitments, 100)
    kinds = [SubscriptionKind.FICHE_SEARCH] * 30 + [SubscriptionKind.COMMITMENT_SEARCH] * 10 + [SubscriptionKind.DOSSIER] * 25 + \
        [SubscriptionKind.MINISTRY] * 20 + [SubscriptionKind.COMMITMENT] * 15
    rows, seen = [], set()
    for i in range(SUBSCRIPTIONS):
        kind = kinds[i % len(kinds)]
        target = {"query": ""}
        if kind == SubscriptionKind.FICHE_SEARCH:
            target["query"] = rng.choice(searches)
        elif kind == SubscriptionKind.COMMITMENT_SEARCH:
            target["query"] = rng.choice(commitment_searches)
        elif kind == SubscriptionKind.DOSSIER:
            target["document"] = rng.choice(followed_documents)
        elif kind == SubscriptionKind.MINISTRY:
            target["ministry"] = rng.choice(ministries)
        else:
            target["commitment"] = rng.choice(changed if rng.random() < 0.8 else commitments)
        what = (kind, target["query"], *(getattr(target.get(f), "pk", None) for f in ("document", "ministry", "commitment")))
        offset = 0
        while (subscribers[(i + offset) % ADDRESSES].pk, *what) in seen:  # an address follows the same thing once
            offset += 1
        subscriber = subscribers[(i + offset) % ADDRESSES]
        seen.add((subscriber.pk, *what))
        rows.append(Subscription(subscriber=subscriber, kind=kind, label=f"{kind} {i}", rhythm=rng.choice(Rhythm.values),
                                 language=rng.choice(MailLanguage.values), created_at=confirmed, confirmed_at=confirmed, since=confirmed, **target))
    Subscription.objects.bulk_create(rows, batch_size=2000)

    log(f"Publishing {NEW_FICHES} new fiches and 100 status changes ...")
    fiches(60, year=2026)
    fiches(30, year=2026, on_documents=followed_documents[:30])
    fiches(10, year=2026, on_documents=old_documents[100:110], revises=old[100:110])
    for commitment in changed:
        to_status = rng.choice([Commitment.Status.WITHDRAWN, Commitment.Status.LAPSED])
        CommitmentStatusChange.objects.create(commitment=commitment, from_status=commitment.status, to_status=to_status, note="Bench")
        Commitment.objects.filter(pk=commitment.pk).update(status=to_status)
    return len(rows)


def main():
    url = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/ft_alerts_bench"
    fresh_database(url)
    sink, port = start_sink()
    os.environ.update({
        "DATABASE_URL": url, "DJANGO_SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(64),
        "DJANGO_EMAIL_HOST": "127.0.0.1", "DJANGO_EMAIL_PORT": str(port), "DJANGO_EMAIL_USE_TLS": "0",
        "DJANGO_LOG_LEVEL": "WARNING", "FICHETRACKER_SITE_URL": "https://fichetracker.example.org",
        "DJANGO_SETTINGS_MODULE": "fichetracker.settings",
    })
    os.environ.pop("DJANGO_DEBUG", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from alerts.sending import send_alerts

    try:
        log(f"Migrating {urlsplit(url).path.lstrip('/')} ...")
        call_command("migrate", verbosity=0)
        now = timezone.now()
        subscriptions = build(now)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        log(f"One send_alerts run for {subscriptions:,} subscriptions ...")
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            result = send_alerts(now=now)
            seconds = time.perf_counter() - started
        rerun_started = time.perf_counter()
        rerun = send_alerts(now=now + datetime.timedelta(minutes=5))
        rerun_seconds = time.perf_counter() - rerun_started
    finally:
        received = stop_sink(sink)
    figures = {"subscriptions": subscriptions, "new_fiches": NEW_FICHES, "seconds": round(seconds, 2), "queries": len(queries),
               "mails": result.mails, "items": result.items, "batches": result.batches, "refused": result.failed,
               "smtp_received": received["count"], "smtp_connections": received["connections"],
               "rerun_mails": rerun.mails, "rerun_seconds": round(rerun_seconds, 2)}
    log(f"send_alerts: {figures['seconds']} s, {figures['queries']} queries, {figures['mails']:,} mails with {figures['items']:,} items "
        f"in {figures['batches']} batches over {figures['smtp_connections']} SMTP connection(s); rerun: {rerun.mails} mails in {figures['rerun_seconds']} s")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
