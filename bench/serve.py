# ruff: noqa: S603, S607 -- the benchmark runs its own fixed tools (gunicorn, wrk, pg_ctlcluster), no shell, no outside input
"""HTTP measurements against gunicorn as deployed (deploy/gunicorn.conf.py), loopback only.

- throughput: wrk against a dynamic page and, in the same run, against a static copy of that very page
  served by whitenoise through the same gunicorn (FICHETRACKER_BENCH_STATIC_ROOT); the ratio counts.
- load: wrk for 60 s at 32 connections over the mixed public pages; every status class is counted.
- database restart: a bounded Python load generator keeps requesting pages while PostgreSQL restarts;
  every answer that is not a success or a 503 counts as an error, and the time until the first success
  after the last failure is the recovery time. PostgreSQL is started again if it did not come back.
"""

import contextlib
import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
HOST = "127.0.0.1"


def wait_for(url_path, port, timeout=60, expect=200):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            status, _ = get(url_path, port, timeout=5)
            if status == expect:
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


def get(path, port, timeout=10):
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": HOST})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@contextlib.contextmanager
def gunicorn(env, port, static_root=None, log_path=None):
    """Start gunicorn with the deployed configuration on a loopback port; stop it afterwards."""
    env = {**env, "GUNICORN_BIND": f"{HOST}:{port}"}
    if static_root:
        env["FICHETRACKER_BENCH_STATIC_ROOT"] = str(static_root)
    log = open(log_path or os.devnull, "ab")  # noqa: SIM115 (closed below, after the server stops)
    process = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "fichetracker.wsgi"],
        cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True,
    )
    try:
        if not wait_for("/healthz", port):
            raise RuntimeError(f"gunicorn did not answer /healthz on port {port}; see {log_path}")
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def wrk(url, seconds, connections, threads=2, script="single.lua", args=()):
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency",
               "-s", str(BENCH / script), url, *(["--", *args] if args else [])]
    result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=False)
    for line in result.stdout.splitlines():
        if line.startswith("WRK_JSON "):
            return json.loads(line[len("WRK_JSON "):])
    raise RuntimeError(f"wrk gave no result: {result.stdout[-500:]} {result.stderr[-500:]}")


def drain(port, timeout=90):
    """Wait until requests queued by the previous run are served: /healthz answers quickly again."""
    deadline = time.monotonic() + timeout
    quick = 0
    while time.monotonic() < deadline and quick < 3:
        started = time.monotonic()
        try:
            get("/healthz", port, timeout=30)
            quick = quick + 1 if time.monotonic() - started < 0.1 else 0
        except OSError:
            quick = 0
        time.sleep(0.2)


def throughput(port, pages, seconds=10, connections=16):
    """{page: {rps, static_rps, ratio, p99_ms, ...}} for the dynamic page and its static copy, back to back."""
    results = {}
    for name, path in pages.items():
        static_path = f"/bench-static/{name}.html"
        status, _ = get(static_path, port)
        if status != 200:
            raise RuntimeError(f"static copy {static_path} answers {status}")
        wrk(f"http://{HOST}:{port}{path}", 3, connections)  # warm-up (and, with the page cache, every worker's first miss)
        drain(port)
        dynamic = wrk(f"http://{HOST}:{port}{path}", seconds, connections)
        drain(port)
        static = wrk(f"http://{HOST}:{port}{static_path}", seconds, connections)
        drain(port)
        results[name] = {
            "rps": round(dynamic["rps"], 1), "static_rps": round(static["rps"], 1),
            "ratio": round(dynamic["rps"] / static["rps"], 3) if static["rps"] else 0.0,
            "p99_ms": round(dynamic["p99_ms"], 1), "p50_ms": round(dynamic["p50_ms"], 1), "static_p99_ms": round(static["p99_ms"], 1),
            "errors": dynamic["socket_errors"] + dynamic["status_errors"], "url": path,
        }
        print(f"  http {name:12} {results[name]['rps']:8.1f} rps, static {results[name]['static_rps']:8.1f} rps, "
              f"ratio {results[name]['ratio']:.3f}, p99 {results[name]['p99_ms']} ms", file=sys.stderr)
    return results


def load_test(port, paths, seconds=60, connections=32, urls_file=None):
    urls_file = Path(urls_file or BENCH / "tmp" / "urls.txt")
    urls_file.parent.mkdir(parents=True, exist_ok=True)
    urls_file.write_text("\n".join(paths) + "\n")
    drain(port)
    result = wrk(f"http://{HOST}:{port}/", seconds, connections, threads=2, script="mixed.lua", args=[str(urls_file)])
    drain(port)
    errors = result["connect_errors"] + result["read_errors"] + result["write_errors"] + result["timeouts"] + result["status_errors"]
    load = {"seconds": seconds, "connections": connections, "requests": result["requests"], "errors": errors, "status_5xx": result["s5xx"],
            "rps": round(result["requests"] / result["seconds"], 1), "p50_ms": result["p50_ms"], "p99_ms": result["p99_ms"],
            "status_4xx": result["s4xx"], "pages": len(paths),
            "error_kinds": {kind: result[kind] for kind in ("connect_errors", "read_errors", "write_errors", "timeouts", "status_errors")}}
    print(f"  load: {load}", file=sys.stderr)
    return load


def postgres_cluster():
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    return version, "main"


def postgres_running():
    version, name = postgres_cluster()
    result = subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "status"],
                            capture_output=True, text=True, check=False)
    return result.returncode == 0


def ensure_postgres_running():
    if not postgres_running():
        version, name = postgres_cluster()
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "start"], check=False)


def db_restart_test(port, paths, seconds=25, restart_at=8, workers=8):
    """Keep requesting pages while PostgreSQL restarts; count what is neither a success nor a 503."""
    outcomes = []  # (seconds since start, status or exception name)
    lock = threading.Lock()
    started = time.monotonic()
    stop_at = started + seconds

    def worker(offset):
        index = offset
        while time.monotonic() < stop_at:
            path = paths[index % len(paths)]
            index += 1
            moment = time.monotonic() - started
            try:
                status, body = get(path, port, timeout=15)
                outcome = status
                if status == 503 and b"Traceback" in body:
                    outcome = "503-with-trace"
            except (OSError, http.client.HTTPException) as error:
                outcome = type(error).__name__
            with lock:
                outcomes.append((moment, outcome))

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(workers)]
    for thread in threads:
        thread.start()
    time.sleep(restart_at)
    version, name = postgres_cluster()
    restart_started = time.monotonic() - started
    restart = subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "restart"],
                             capture_output=True, text=True, check=False)
    restart_done = time.monotonic() - started
    for thread in threads:
        thread.join(timeout=seconds + 30)
    ensure_postgres_running()

    outcomes.sort()
    ok = lambda outcome: isinstance(outcome, int) and outcome < 400  # noqa: E731
    failures = [(t, o) for t, o in outcomes if not ok(o)]
    non_503 = [(t, o) for t, o in failures if o != 503]
    last_failure = failures[-1][0] if failures else restart_started
    first_success_after = next((t for t, o in outcomes if t > last_failure and ok(o)), None)
    recovered = (first_success_after - restart_started) if first_success_after is not None else float(seconds)
    kinds = {}
    for _, outcome in failures:
        kinds[str(outcome)] = kinds.get(str(outcome), 0) + 1
    result = {
        "non_503_errors": len(non_503), "recovered_after_s": round(max(recovered, 0.0), 2), "requests": len(outcomes),
        "status_503": sum(1 for _, o in failures if o == 503), "failures_by_kind": kinds,
        "restart_command_s": round(restart_done - restart_started, 2), "restart_exit": restart.returncode,
        "postgres_running_after": postgres_running(),
    }
    print(f"  db restart: {result}", file=sys.stderr)
    return result
