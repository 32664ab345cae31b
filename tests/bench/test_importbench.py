"""E8's input rows: LIAR's format, read back by claims.liar as rows, ids unique and new, the same every time."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.generate import LIAR_DIR
from bench.importbench import build_rows, growth_pct, read_liar_rows, write_rows
from claims.liar import LiarRow, parse_tsv

SOURCE = [
    [
        "1.json",
        "false",
        "Says taxes doubled last year.",
        "taxes",
        "jane-doe",
        "Mayor",
        "Texas",
        "democrat",
        *"01000",
        "a speech",
    ],
    [
        "2.json",
        "true",
        'Crime "fell" by half in "the city.',
        "crime,police",
        "city-council",
        "",
        "Ohio",
        "none",
        *"00002",
        "a tweet",
    ],
    ["3.json", "pants-fire", "The moon is made of cheese and always was.", "", "", "", "", "", *[""] * 6],
]


def test_it_builds_rows_claims_liar_reads_with_unique_ids_from_the_first_id():
    lines = list(build_rows(7, first_id=1_000_000_000, source=SOURCE))

    rows = list(parse_tsv(lines))

    assert all(isinstance(row, LiarRow) for row in rows)
    assert [row.id for row in rows] == [f"{1_000_000_000 + i}.json" for i in range(7)]
    # The first pass is the source verbatim (but the id); past it, statements are spliced from two source rows.
    assert [row.statement for row in rows[:3]] == [cells[2] for cells in SOURCE]
    assert (rows[0].label, rows[0].speaker, rows[0].subjects, rows[0].context) == (
        "false",
        "jane-doe",
        ("taxes",),
        "a speech",
    )
    assert rows[3].statement == 'Says taxes half in "the city.'


def test_it_builds_the_same_rows_every_time():
    assert list(build_rows(20, first_id=5, source=SOURCE)) == list(build_rows(20, first_id=5, source=SOURCE))


def test_it_reports_rss_growth_from_the_first_tenth_of_the_rows_to_the_end():
    samples = [(500, 100_000), (1_000, 104_000), (5_000, 106_000), (10_000, 110_000)]

    assert growth_pct(samples, total=10_000) == (104_000, 110_000, 5.8)
    assert growth_pct([], total=10) == (0, 0, 0.0)


@pytest.mark.skipif(not any(LIAR_DIR.glob("*.tsv")), reason=f"The LIAR data set is not in {LIAR_DIR}.")
def test_it_writes_more_rows_than_liar_has_from_the_real_statements(tmp_path: Path):
    path = tmp_path / "rows.tsv"

    write_rows(path, 13_000, first_id=1_000_000_000)

    with path.open(encoding="utf-8", newline="") as lines:
        rows = list(parse_tsv(lines))
    assert len(read_liar_rows()) == 12_836
    assert all(isinstance(row, LiarRow) for row in rows)
    assert len({row.id for row in rows}) == 13_000
