"""The benchmark runner's own logic (bench/run.py): the E5 cursor is the app's, the picks, the table's ratios and the
targets. Nothing here is timed; the run itself is `make bench-smoke`."""

# The table's own characters (× for ratios, – for nothing measured).
# ruff: noqa: RUF001, RUF003

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
from django.db import connection

from bench import run
from bench.generate import load, marker
from claims.models import Claim


@pytest.fixture
def loaded(db):
    connection.ensure_connection()
    load(connection.connection, claims=120, seed=3)


def test_its_deep_page_cursor_is_the_one_the_api_hands_out(loaded, anon_client):
    page = anon_client.get("/api/v1/claims/").json()
    last = Claim.objects.get(pk=page["results"][-1]["id"])

    cursor = run.encode_list_cursor(last.created_at.isoformat(), last.pk)

    assert page["next"].endswith(f"?cursor={cursor}")
    # And the API accepts it: the page after that row.
    following = anon_client.get("/api/v1/claims/", {"cursor": cursor}).json()
    assert following["results"][0]["id"] == anon_client.get(page["next"]).json()["results"][0]["id"]


def test_its_reverse_cursor_is_marked_as_the_api_marks_it(loaded, anon_client):
    first = anon_client.get("/api/v1/claims/").json()
    second = anon_client.get(first["next"]).json()
    top = Claim.objects.get(pk=second["results"][0]["id"])

    assert second["previous"].endswith("?cursor=" + run.encode_list_cursor(top.created_at.isoformat(), top.pk, True))


def test_it_picks_rare_words_expected_in_5_to_50_documents_nearest_20_first():
    stats = [("common", 900), ("rarest", 1), ("twenty", 20), ("nearly", 25), ("tiny", 20), ("toomany", 60)]

    assert run.choose_rare_terms(stats, sampled=1000, total=1000) == ["twenty", "nearly"]  # "tiny": too short


def test_on_a_big_set_a_word_seen_once_in_the_sample_is_a_rare_candidate():
    stats = [("common", 900), ("oncee", 1), ("twice", 2)]

    assert run.choose_rare_terms(stats, sampled=1000, total=100_000) == ["oncee"]


def test_it_picks_the_words_nearest_five_percent():
    stats = [("health", 52), ("state", 200), ("taxes", 40), ("said", 49)]

    assert run.choose_common_term(stats, sampled=1000, limit=2) == ["said", "health"]


def test_the_date_window_spans_a_page_of_rows_or_all_there_are():
    dates = ["2024-03-01", "2023-01-01", "2022-06-30", "2020-01-01"]

    assert run.date_window(dates, 2) == ("2023-01-01", "2024-03-01")
    assert run.date_window(dates, 60) == ("2020-01-01", "2024-03-01")
    assert run.date_window([], 60) == (None, None)


def _measured(p50: float, rps: float, p95_rate: float, queries: int | None, size: int = 1000) -> dict[str, Any]:
    return {
        "bytes": size,
        "queries": queries,
        "users1": {"p50_ms": p50, "p95_ms": p50 * 2, "p99_ms": p50 * 3},
        "max": {"rps": rps},
        "rate": {"p50_ms": p50, "p95_ms": p95_rate, "p99_ms": p95_rate, "target_rps": 10, "dropped": 0},
    }


def _results() -> dict[str, Any]:
    return {
        "machine": {"cpu": "test cpu", "cores": 2, "ram_gb": 4, "postgresql": "15"},
        "data": {"claims": 100, "published": 80},
        "settings": {"workers": 2, "seconds": 1.5, "smoke": True},
        "scenarios": {
            "E1": {
                "baseline": "baseline",
                "servers": {
                    "app": _measured(4.0, 50.0, 8.0, 1),
                    "baseline": {**_measured(2.0, 100.0, 4.0, 1), "same_body": True},
                },
            },
            "E3a": {"baseline": "baseline", "servers": {"app": _measured(10.0, 20.0, 60.0, 2)}},
            "E4": {"baseline": "baseline", "servers": {"app": _measured(3.0, 90.0, 5.0, 3)}},
            "E5": {"baseline": "baseline", "servers": {"app": _measured(5.0, 40.0, 9.0, 1)}},
            "E9a": {"baseline": None, "servers": {"app": _measured(50.0, 20.0, 120.0, 9)}},
        },
        "rss": {
            "app": {"requests": 300, "workers": 2, "before_mb": 100.0, "after_mb": 106.0, "growth_percent": 6.0},
            "baseline": {"requests": 300, "workers": 2, "before_mb": 50.0, "after_mb": 50.0, "growth_percent": 0.0},
        },
        "import": {
            "rows": 100,
            "ratio": 0.8,
            "app": {"rows_per_s": 2400.0, "rss_growth_pct": 7.5},
            "copy": {"rows_per_s": 3000.0},
        },
        "notes": ["server ninja: bench.ninja_wsgi not found; skipped"],
    }


def test_the_table_shows_each_servers_ratio_to_the_scenarios_baseline():
    table = run.render(_results())

    app_e1 = next(line for line in table.splitlines() if line.startswith("| E1 | app |"))
    baseline_e1 = next(line for line in table.splitlines() if line.startswith("| E1 | baseline |"))
    # p50 at 1 user 4 vs 2, max 50 vs 100 req/s, p95 at the rate 8 vs 4, one query each, same bytes.
    for shown in ("4 (2×)", "50 (0.5×)", "8 (2×)", "1 (1×)", "1000 (1×)"):
        assert shown in app_e1
    assert "×" not in baseline_e1
    assert baseline_e1.endswith("| yes |")
    # A scenario without a measured baseline shows the values alone.
    assert "×" not in next(line for line in table.splitlines() if line.startswith("| E9a | app |"))
    assert "6 (baseline 0)" in table
    assert "- server ninja: bench.ninja_wsgi not found; skipped" in table


def test_it_judges_the_issues_targets_and_says_which_it_cannot():
    targets = {target.name: target for target in run.evaluate_targets(_results())}

    assert (targets["E1 throughput / baseline"].measured, targets["E1 throughput / baseline"].holds) == (0.5, False)
    assert targets["E1 p50 at 1 user / baseline"].holds is True  # exactly 2×
    assert targets["E1 queries per list page"].holds is True
    assert (targets["E5 p50 / E1 p50 (app, 1 user)"].measured, targets["E5 p50 / E1 p50 (app, 1 user)"].holds) == (
        1.25,
        True,
    )
    assert targets["E4 queries"].holds is True
    assert targets["E3a p95 ms at rate (app)"].holds is False
    assert targets["E3b p95 ms at rate (app)"].holds is None  # not measured in this run
    assert (targets["E8 import rows/s / COPY"].measured, targets["E8 import rows/s / COPY"].holds) == (0.8, True)
    assert targets["E8 import RSS growth % (10% of rows → end)"].holds is False
    assert targets["E9a p95 ms at rate (app)"].holds is True
    assert targets["worker RSS growth % (app)"].holds is False
    assert targets["worker RSS growth % (baseline)"].holds is True
    table = run.render(_results())
    assert "| E1 throughput / baseline | ≥ 0.6 | 0.5 | **fails** |" in table
    assert "| E3b p95 ms at rate (app) | ≤ 50 (at L) | – | n/a |" in table


def test_it_compares_bodies_with_the_links_ports_aside():
    app = b'{"next":"http://127.0.0.1:8811/api/v1/claims/?cursor=x"}'

    assert run.same_bytes(app.replace(b":8811/", b":8812/"), app, 8812, 8811)
    assert not run.same_bytes(app.replace(b"cursor=x", b"cursor=y"), app, 8812, 8811)


def test_it_reads_the_rss_of_a_masters_children():
    child = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        sizes = run.worker_rss_kb(os.getpid())
    finally:
        child.communicate(b"")
    assert sizes.get(child.pid, 0) > 0


def test_a_server_whose_module_is_absent_is_skipped_with_a_note(tmp_path):
    noted = run.Run(k6="k6", seconds=1, warm=0, users=1, workers=1, workdir=tmp_path)

    assert not run.available("ninja", run.Server("bench.no_such_module:application", 1), noted)
    assert run.available("baseline", run.SERVERS["baseline"], noted)
    assert noted.notes == ["server ninja: bench.no_such_module not found; skipped"]


def test_the_generators_marker_names_size_and_seed():
    assert marker(10_000, 1) == "bench.generate claims=10000 seed=1"
    assert marker(10_000, 1) != marker(1_000, 1) != marker(1_000, 2)


def test_every_scenarios_path_is_built_from_the_picks_or_skipped():
    picks = {
        "terms": {"E3a": {"q": "harbour"}, "E3b": None, "E3c": {"q": "health care"}},
        "E2": {"source": 7, "rating": "false", "after": "2020-01-01", "before": "2021-01-01"},
        "E4": 12,
        "E5": {"created_at": "2020-01-01T00:00:00+00:00", "id": 3},
    }
    paths = {name: scenario.path(picks) for name, scenario in run.SCENARIOS.items()}

    assert paths["E2"] == (
        "/api/v1/claims/?rating=false&source=7&claim_date_after=2020-01-01&claim_date_before=2021-01-01"
    )
    assert paths["E3a"] == "/api/v1/claims/?q=harbour"
    assert [paths["E3b"], paths["E6a"], paths["E9b"]] == [None, None, None]
    assert paths["E3c"] == "/api/v1/claims/?q=health+care"
    assert paths["E4"] == "/api/v1/claims/12/"
    assert paths["E5"].startswith("/api/v1/claims/?cursor=")


def test_it_sees_a_port_in_use():
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind((run.HOST, 0))
        listener.listen()
        port = listener.getsockname()[1]
        assert not run.port_free(port)
    assert run.port_free(port)
