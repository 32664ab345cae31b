"""E8: importing rows through the real import path, side by side with COPY of the same rows (the import limit).

    python -m bench.importbench --database-url postgres://... [--rows 50000] [--smoke]

Input: N rows in LIAR's TSV format (claims/liar.py reads them), built from the LIAR statements (the files
bench.generate reads, or $BENCH_LIAR_DIR): verbatim on the first pass, spliced from two statements after (as
bench.generate does), each with an id of its own above every LIAR id already imported, so every row is new.

Two measurements on the bench database (filled by bench.generate, so the tables and their GIN indexes hold real
data), each in a child process of its own so that its peak RSS (ru_maxrss) is that process's alone:

- app: `manage.py import_liar FILE --as <editor> --batch 500` with the app's production settings (bench/run.py's
  environment: DEBUG off), run by a small driver that calls the command with call_command in-process, so the time
  is the command's own and not interpreter and Django start-up. The driver records the process's RSS after every
  batch (the command's progress hook, which draws nothing when stderr is not a terminal): `rss_growth_pct` compares
  the RSS after the last batch with the RSS after the first 10% of rows (flat memory: a few percent).
- copy: the limit. Exactly the rows the app's run wrote, every table (claims, evidence, verdicts, review events,
  new sources) and the audit events its triggers wrote, dumped with COPY TO into files (so they are pre-built and
  byte for byte the import's), deleted, then loaded back with COPY FROM in one transaction into the same tables,
  so the indexes are the very same ones holding the same data (full-text and trigram GIN, GiST, btree). The
  session runs with `session_replication_role = replica` as bench.generate does: no triggers (the audit rows are
  in the copied data already) and no foreign-key checks, every unique and exclusion index still checked. A claim is
  copied once, as published; the import inserts it as new and updates it (which the audit trail records).

Clean-up: before each measurement every table's largest id is noted; afterwards what lies above it is deleted, in
one transaction with session_replication_role = replica (the audit tables and the review log refuse deletes through
their triggers, which keep the real history honest; these rows are the benchmark's own). The bench database is
left as it was but for the two accounts this creates once (an editor, `bench-importer`, made with
`manage.py createuser`, and the import account) and the sequences having moved on. Nothing else may write to the
bench database during the run.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.generate import LIAR_DIR

ROOT = Path(__file__).resolve().parent.parent
EDITOR = "bench-importer"
BATCH = 500
SMOKE_ROWS = 2_000
LIAR_COLUMNS = 14
# Far above LIAR's own ids (< 20,000), so the bench's rows never meet a real LIAR import's.
FIRST_ID = 1_000_000_000

# What an import writes, as (table, primary key column): the data, then the audit events its triggers write.
WRITTEN_TABLES = (
    ("sources_source", "id"),
    ("claims_claim", "id"),
    ("claims_evidence", "id"),
    ("claims_verdict", "id"),
    ("claims_reviewevent", "id"),
    ("audit_sourceevent", "pgh_id"),
    ("audit_claimevent", "pgh_id"),
    ("audit_evidenceevent", "pgh_id"),
    ("audit_verdictevent", "pgh_id"),
    ("audit_revieweventevent", "pgh_id"),
)


# ---- input rows (no database) -------------------------------------------------------------------------------------


def read_liar_rows(liar_dir: Path = LIAR_DIR) -> list[list[str]]:
    """LIAR's rows as their 14 cells, in file order (test, train, valid), those claims.liar reads as rows only."""
    from claims import liar

    rows = []
    for path in sorted(liar_dir.glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for cells in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                if len(cells) == LIAR_COLUMNS and isinstance(liar._row(cells, 0), liar.LiarRow):
                    rows.append(cells)
    if not rows:
        raise SystemExit(
            f"bench.importbench: no LIAR rows in {liar_dir}; put the data set there or set BENCH_LIAR_DIR."
        )
    return rows


def build_rows(count: int, *, first_id: int, source: list[list[str]]) -> Iterator[str]:
    """`count` TSV lines in LIAR's format: row i has the id `first_id + i`, and the statement of source row i, or,
    past the end of the source, the first half of one statement and the second half of another (real English, term
    frequencies of real text, and no statement repeated verbatim). Deterministic."""
    n = len(source)
    for i in range(count):
        cells = list(source[i % n])
        if i >= n:
            other = source[(i * 7919 + i // n) % n]
            a, b = cells[2].split(), other[2].split()
            cells[2] = " ".join(a[: max(1, len(a) // 2)] + b[len(b) // 2 :])
        cells[0] = f"{first_id + i}.json"
        yield "\t".join(cell.replace("\t", " ").replace("\n", " ").replace("\r", " ") for cell in cells) + "\n"


def write_rows(path: Path, count: int, *, first_id: int, liar_dir: Path = LIAR_DIR) -> None:
    source = read_liar_rows(liar_dir)
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.writelines(build_rows(count, first_id=first_id, source=source))


def growth_pct(samples: list[tuple[int, int]], total: int) -> tuple[int, int, float]:
    """(RSS after the first 10% of `total` rows, RSS after the last sample, growth in percent) from (rows, rss)."""
    if not samples:
        return 0, 0, 0.0
    early = next((rss for done, rss in samples if done >= total / 10), samples[-1][1])
    last = samples[-1][1]
    return early, last, round(100 * (last - early) / early, 1) if early else 0.0


# ---- the database -------------------------------------------------------------------------------------------------


def _url(database_url: str) -> str:
    return database_url.replace("postgres://", "postgresql://", 1)


def _environment(database_url: str) -> dict[str, str]:
    # The app's production settings as the other benchmarks serve it with (bench/run.py), read-only use of it.
    from bench.run import app_environment

    env = app_environment(database_url)
    env["PYTHONPATH"] = str(ROOT)
    return env


def watermarks(conn: Any) -> dict[str, int]:
    from psycopg import sql

    marks = {}
    for table, key in WRITTEN_TABLES:
        query = sql.SQL("SELECT coalesce(max({}), 0) FROM {}").format(sql.Identifier(key), sql.Identifier(table))
        marks[table] = conn.execute(query).fetchone()[0]
    return marks


def _columns(conn: Any, table: str) -> list[str]:
    """The table's columns but generated ones (COPY cannot write those; PostgreSQL derives them)."""
    rows = conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = %s "
        "AND is_generated = 'NEVER' ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return [name for (name,) in rows]


def delete_above(conn: Any, marks: dict[str, int]) -> dict[str, int]:
    """Delete every row above the watermarks, triggers off (see the module docstring); rows deleted per table."""
    from psycopg import sql

    deleted = {}
    with conn.transaction():
        conn.execute("SET LOCAL session_replication_role = replica")
        for table, key in reversed(WRITTEN_TABLES):
            cursor = conn.execute(
                sql.SQL("DELETE FROM {} WHERE {} > %s").format(sql.Identifier(table), sql.Identifier(key)),
                [marks[table]],
            )
            deleted[table] = cursor.rowcount
    return deleted


def dump_above(conn: Any, marks: dict[str, int], directory: Path) -> dict[str, int]:
    """COPY TO a file per table the rows above the watermarks, in id order; rows dumped per table."""
    from psycopg import sql

    counts = {}
    for table, key in WRITTEN_TABLES:
        columns = sql.SQL(", ").join(map(sql.Identifier, _columns(conn, table)))
        query = sql.SQL("COPY (SELECT {} FROM {} WHERE {} > {} ORDER BY {}) TO STDOUT").format(
            columns, sql.Identifier(table), sql.Identifier(key), sql.Literal(marks[table]), sql.Identifier(key)
        )
        rows = 0
        with (directory / f"{table}.copy").open("wb") as out, conn.cursor().copy(query) as copy:
            for chunk in copy:
                out.write(chunk)
                rows += bytes(chunk).count(b"\n")
        counts[table] = rows
    return counts


def prepare(database_url: str) -> None:
    """The editor who runs the import and the import account, made once through the app's own code."""
    import psycopg

    with psycopg.connect(_url(database_url)) as conn:
        exists = conn.execute("SELECT 1 FROM auth_user WHERE username = %s", [EDITOR]).fetchone()
    env = _environment(database_url)
    if not exists:
        subprocess.run(  # noqa: S603 - our interpreter and manage.py, fixed arguments
            [sys.executable, str(ROOT / "manage.py"), "createuser", EDITOR, "--role", "editor"],
            env={**env, "FACTCHECK_PASSWORD": secrets.token_urlsafe(24)},
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    subprocess.run(  # noqa: S603
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "shell",
            "-c",
            "from claims.services.imports import import_account; import_account()",
        ],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def next_first_id(conn: Any) -> int:
    """Above every LIAR id in the database, so every row of this run is new (a run that crashed left its rows)."""
    row = conn.execute(
        r"SELECT max(substring(external_id from '^(\d+)\.json$')::bigint) FROM claims_claim "
        "WHERE external_origin = 'liar'"
    ).fetchone()
    return max(FIRST_ID, (row[0] or 0) + 1)


# ---- the children -------------------------------------------------------------------------------------------------


def _child(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    completed = subprocess.run(  # noqa: S603 - this module, run by our own interpreter
        [sys.executable, "-m", "bench.importbench", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if completed.returncode:
        raise RuntimeError(f"bench.importbench {args[0]} failed:\n{completed.stdout}\n{completed.stderr}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _rss_kb() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def app_child(path: str, editor: str, batch: int) -> dict[str, Any]:
    """Run in the child: the import command in-process, its RSS sampled after every batch."""
    import resource

    import django

    django.setup()
    from django.core.management import call_command

    from claims.management.commands import import_liar

    samples: list[tuple[int, int]] = []
    total = [0]
    original_init = import_liar.Progress.__init__

    def init(self: Any, stream: Any, label: str, lines: int) -> None:
        original_init(self, stream, label, lines)
        total[0] = lines

    def update(self: Any, done: int) -> None:
        samples.append((done, _rss_kb()))

    import_liar.Progress.__init__ = init  # type: ignore[method-assign]
    import_liar.Progress.update = update  # type: ignore[method-assign]
    out = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the child
    started = time.perf_counter()
    call_command("import_liar", path, "--as", editor, "--batch", str(batch), stdout=out, stderr=sys.stderr)
    seconds = time.perf_counter() - started
    early, last, growth = growth_pct(samples, total[0])
    return {
        "seconds": seconds,
        "peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "rss_at_10pct_kb": early,
        "rss_at_end_kb": last,
        "rss_growth_pct": growth,
    }


def copy_child(database_url: str, directory: str) -> dict[str, Any]:
    """Run in the child: COPY FROM the dumped files into the same tables, one transaction, triggers off."""
    import resource

    import psycopg
    from psycopg import sql

    with psycopg.connect(_url(database_url)) as conn:
        columns = {table: _columns(conn, table) for table, _key in WRITTEN_TABLES}
        conn.commit()
        started = time.perf_counter()
        with conn.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
            for table, _key in WRITTEN_TABLES:
                query = sql.SQL("COPY {} ({}) FROM STDIN").format(
                    sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns[table]))
                )
                with (Path(directory) / f"{table}.copy").open("rb") as data, cursor.copy(query) as copy:
                    while chunk := data.read(1 << 20):
                        copy.write(chunk)
        conn.commit()
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}


# ---- the benchmark ------------------------------------------------------------------------------------------------


def run_import_bench(database_url: str, rows: int = 50_000, smoke: bool = False) -> dict[str, Any]:
    """E8 on a filled bench database: the import path's rows/s and peak RSS, COPY's, and their ratios."""
    import psycopg

    rows = min(rows, SMOKE_ROWS) if smoke else rows
    prepare(database_url)
    env = _environment(database_url)
    result: dict[str, Any] = {"rows": rows}
    with (
        tempfile.TemporaryDirectory(prefix="importbench-") as workdir,
        psycopg.connect(_url(database_url), autocommit=True) as conn,
    ):
        work = Path(workdir)
        first_id = next_first_id(conn)
        write_rows(work / "rows.tsv", rows, first_id=first_id)
        marks = watermarks(conn)
        try:
            app = _child(["--app-child", str(work / "rows.tsv"), EDITOR, str(BATCH)], env)
            written = dump_above(conn, marks, work)
        finally:
            delete_above(conn, marks)
        if written["claims_claim"] != rows:
            raise RuntimeError(f"the import created {written['claims_claim']} claims of {rows} rows")
        try:
            copy = _child(["--copy-child", database_url, str(work)], env)
        finally:
            delete_above(conn, marks)
    result["written"] = written
    result["app"] = {
        "seconds": round(app["seconds"], 2),
        "rows_per_s": round(rows / app["seconds"], 1),
        "peak_rss_mb": round(app["peak_rss_kb"] / 1024, 1),
        "rss_at_10pct_mb": round(app["rss_at_10pct_kb"] / 1024, 1),
        "rss_at_end_mb": round(app["rss_at_end_kb"] / 1024, 1),
        "rss_growth_pct": app["rss_growth_pct"],
    }
    result["copy"] = {
        "seconds": round(copy["seconds"], 2),
        "rows_per_s": round(rows / copy["seconds"], 1),
        "peak_rss_mb": round(copy["peak_rss_kb"] / 1024, 1),
    }
    result["ratio"] = round(result["app"]["rows_per_s"] / result["copy"]["rows_per_s"], 3)
    result["rss_ratio"] = round(result["app"]["peak_rss_mb"] / result["copy"]["peak_rss_mb"], 2)
    return result


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--app-child"]:
        print(json.dumps(app_child(argv[1], argv[2], int(argv[3]))))
        return 0
    if argv[:1] == ["--copy-child"]:
        print(json.dumps(copy_child(argv[1], argv[2])))
        return 0
    parser = argparse.ArgumentParser(prog="python -m bench.importbench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--smoke", action="store_true", help=f"at most {SMOKE_ROWS} rows")
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error("--database-url (or DATABASE_URL) is required")
    print(json.dumps(run_import_bench(args.database_url, rows=args.rows, smoke=args.smoke), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
