"""The comparison rules for two answers to one question (claims.crossref.compare): pure, no database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from claims.crossref.compare import (
    CONTRADICTS,
    SUPERSEDES,
    SUPPORTS,
    Answer,
    compare,
    compare_all,
    compare_one,
    interval_words,
    overlap,
)

D = Decimal
INF = None


def q(claim_id: int, low, high, bounds: str = "[)", **fields) -> Answer:
    """A quantity answer; `bounds` as PostgreSQL writes them ('[)', '(]', ...)."""
    fields.setdefault("label", f"Source {claim_id}")
    fields.setdefault("expression", f"expression {claim_id}")
    fields.setdefault("kind", "quantity")
    return Answer(
        claim_id=claim_id,
        low=None if low is None else (low if isinstance(low, dt.date) else D(low)),
        high=None if high is None else (high if isinstance(high, dt.date) else D(high)),
        low_inclusive=bounds[0] == "[",
        high_inclusive=bounds[1] == "]",
        **fields,
    )


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def d(claim_id: int, low: str | None, high: str | None, bounds: str = "[)", **fields) -> Answer:
    fields.setdefault("precision", "day")
    return q(claim_id, None if low is None else day(low), None if high is None else day(high), bounds, kind="date",
             **fields)  # fmt: skip


# Overlap -----------------------------------------------------------------------------------------------------------

OVERLAP_CASES = [
    # (a, b, overlap?) — ends: "[" "]" closed, "(" ")" open; None unbounded.
    ((900, 1000, "[)"), (1000, INF, "()"), False),  # "nearly a thousand" vs "over a thousand": touch at an open end
    ((900, 1000, "[]"), (1000, 1100, "[]"), True),  # both closed at 1000: they share it
    ((900, 1000, "[)"), (1000, 1100, "[]"), False),  # a open at 1000
    ((900, 1000, "[]"), (1000, 1100, "(]"), False),  # b open at 1000
    ((900, 1000, "()"), (950, 960, "[]"), True),  # inside
    ((900, 1000, "[)"), (1001, 1100, "[]"), False),  # a gap
    ((INF, 1000, "()"), (999, INF, "()"), True),  # both unbounded on one side, crossing
    ((INF, 1000, "()"), (1000, INF, "()"), False),  # "under 1,000" vs "over 1,000"
    ((INF, 1000, "(]"), (1000, INF, "[)"), True),  # "at most" vs "at least": 1000 itself
    ((INF, INF, "()"), (5, 6, "[]"), True),  # "any amount" overlaps everything
    ((INF, INF, "()"), (INF, INF, "()"), True),
    ((20_000, 100_000, "[)"), (INF, 12_000, "()"), False),  # "tens of thousands" vs "under 12,000"
    ((D("1.5"), D("1.5"), "[]"), (D("1.5"), 2, "[)"), True),  # a single decimal number at b's closed end
    ((-5, -1, "[]"), (-1, 3, "(]"), False),  # negative numbers, open end
]


@pytest.mark.parametrize(("a", "b", "expected"), OVERLAP_CASES)
def test_it_decides_overlap_minding_open_closed_and_unbounded_ends(a, b, expected):
    first, second = q(1, *a), q(2, *b)
    assert overlap(first, second) is expected
    assert overlap(second, first) is expected  # symmetric
    kind = compare(first, second, cumulative=False).kind
    assert kind == (SUPPORTS if expected else CONTRADICTS)


DATE_CASES = [
    # PostgreSQL stores date ranges as [first day, day after the last).
    (("2024-02-29", "2024-03-01"), ("2024-03-01", "2024-03-02"), False),  # 29 Feb vs 1 Mar: touching, disjoint
    (("2024-02-01", "2024-03-01"), ("2024-02-29", "2024-03-01"), True),  # February 2024 vs 29 February 2024
    (("2024-01-01", "2025-01-01"), ("2023-06-01", "2023-07-01"), False),  # 2024 vs June 2023
    (("2007-01-01", "2012-01-01"), ("2011-12-31", None), True),  # 2007 to 2011 vs from 31 December 2011 on
]


@pytest.mark.parametrize(("a", "b", "expected"), DATE_CASES)
def test_it_compares_date_intervals(a, b, expected):
    first, second = d(1, *a), d(2, *b)
    assert overlap(first, second) is expected
    finding = compare(first, second, cumulative=False)
    assert finding.kind == (SUPPORTS if expected else CONTRADICTS)
    assert 0 <= finding.score <= 1


def test_a_closed_date_end_touching_another_closed_end_overlaps():
    assert overlap(d(1, "2024-02-01", "2024-02-29", "[]"), d(2, "2024-02-29", "2024-03-05", "[]"))
    assert not overlap(d(1, "2024-02-01", "2024-02-29", "[)"), d(2, "2024-02-29", "2024-03-05", "[]"))


# Scope ---------------------------------------------------------------------------------------------------------------

SCOPE_CASES = [
    ({"unit": "people"}, {"unit": "soldiers"}),
    ({"unit": "People "}, {"unit": "organisations"}),
    ({"place": "Israel"}, {"place": "Gaza"}),
    ({"kind": "date"}, {"kind": "quantity"}),
]


@pytest.mark.parametrize(("left", "right"), SCOPE_CASES)
def test_it_does_not_compare_answers_about_different_things(left, right):
    # Disjoint intervals that would contradict if they spoke of the same thing.
    a, b = q(1, 1, 2, "[]", **left), q(2, 10, 20, "[]", **right)
    assert compare(a, b, cumulative=False) is None
    assert compare(b, a, cumulative=True) is None
    assert compare_all([a, b], cumulative=False) == []


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ({"unit": "people"}, {"unit": "  PEOPLE"}),  # case and spacing do not make another unit
        ({"unit": "people"}, {"unit": ""}),  # an answer without a unit is taken to count the same thing
        ({"place": "Israel"}, {"place": ""}),
        ({"place": "Tel  Aviv"}, {"place": "tel aviv"}),
    ],
)
def test_it_compares_answers_in_the_same_scope(left, right):
    assert compare(q(1, 1, 2, "[]", **left), q(2, 10, 20, "[]", **right), cumulative=False).kind == CONTRADICTS


def test_it_never_compares_a_claim_with_itself():
    assert compare(q(1, 1, 2, "[]"), q(1, 10, 20, "[]"), cumulative=False) is None
    assert compare_all([q(1, 1, 2, "[]"), q(1, 10, 20, "[]")], cumulative=False) == []


# Several values ------------------------------------------------------------------------------------------------------


def test_several_values_of_one_claim_never_contradict_but_one_overlap_supports():
    # A claim listing two visits (March 2008 and May 2009) against another naming June 2010: a list, not a conflict.
    visits = [d(1, "2008-03-01", "2008-04-01", several=True), d(1, "2009-05-01", "2009-06-01", several=True)]
    other = d(2, "2010-06-01", "2010-07-01")
    assert [compare(v, other, cumulative=False) for v in visits] == [None, None]
    assert compare_all([*visits, other], cumulative=False) == []
    assert compare_one(1, [*visits, other], cumulative=False) == []

    agreeing = d(3, "2009-05-10", "2009-05-11")
    findings = compare_all([*visits, agreeing], cumulative=False)
    assert [(f.from_claim, f.to_claim, f.kind) for f in findings] == [(1, 3, SUPPORTS)]
    # Symmetric findings read from the lower id, whichever claim changed: one wording for every refresh.
    assert [(f.from_claim, f.to_claim, f.kind) for f in compare_one(3, [*visits, agreeing], cumulative=False)] == [
        (1, 3, SUPPORTS)
    ]


def test_several_values_on_the_other_side_do_not_contradict_either():
    assert compare(q(1, 1, 2, "[]"), q(2, 10, 20, "[]", several=True), cumulative=False) is None
    assert compare(q(1, 1, 2, "[]", several=True), q(2, 10, 20, "[]"), cumulative=True) is None


def test_a_conflict_between_single_answers_outranks_agreement_in_another_unit():
    # Claim 1 and claim 2 agree on the share, disagree on the count: the pair's finding is the conflict.
    answers = [
        q(1, 900, 1000, "[)", unit="people"),
        q(1, 5, 6, "[]", unit="percent"),
        q(2, 1000, INF, "()", unit="people"),
        q(2, 5, 6, "[]", unit="percent"),
    ]
    assert [f.kind for f in compare_all(answers, cumulative=False)] == [CONTRADICTS]
    assert [f.kind for f in compare_one(2, answers, cumulative=False)] == [CONTRADICTS]


# Cumulative questions ------------------------------------------------------------------------------------------------

EARLY, LATE = day("2023-10-08"), day("2023-11-10")


def test_cumulative_a_later_larger_figure_supersedes_the_earlier_one_pointing_later_to_earlier():
    earlier = q(1, 900, 1000, "[)", when=EARLY, label="Early report", expression="nearly a thousand")
    later = q(2, 1000, INF, "()", when=LATE, label="Late report", expression="over a thousand")
    for a, b in ((earlier, later), (later, earlier)):
        finding = compare(a, b, cumulative=True)
        assert (finding.from_claim, finding.to_claim, finding.kind) == (2, 1, SUPERSEDES)
        assert finding.explanation.startswith("Late report on 10 November 2023: more than 1,000 (“over a thousand”)")
        assert "Early report on 8 October 2023: 900 to under 1,000 (“nearly a thousand”)" in finding.explanation
        assert "supersedes" in finding.explanation
        assert 0 <= finding.score <= 1
    # The same answers to a question that is not a running total contradict.
    assert compare(earlier, later, cumulative=False).kind == CONTRADICTS


def test_cumulative_a_later_smaller_figure_contradicts():
    earlier = q(1, 1000, INF, "()", when=EARLY, label="Early report")
    later = q(2, 900, 1000, "[)", when=LATE, label="Late report")
    finding = compare(earlier, later, cumulative=True)
    assert (finding.from_claim, finding.to_claim, finding.kind) == (2, 1, CONTRADICTS)
    assert "does not fall" in finding.explanation
    assert finding.explanation.startswith("Late report on 10 November 2023")


@pytest.mark.parametrize(
    ("when_a", "when_b"), [(EARLY, EARLY), (None, LATE), (EARLY, None), (None, None)], ids=["same", "a?", "b?", "??"]
)
def test_cumulative_answers_of_the_same_or_an_unknown_date_contradict(when_a, when_b):
    finding = compare(q(1, 900, 1000, "[)", when=when_a), q(2, 1000, INF, "()", when=when_b), cumulative=True)
    assert finding.kind == CONTRADICTS
    assert finding.explanation.endswith("the intervals do not overlap.")


def test_cumulative_overlapping_answers_support():
    finding = compare(q(1, 900, 1100, "[]", when=EARLY), q(2, 1000, INF, "()", when=LATE), cumulative=True)
    assert finding.kind == SUPPORTS


# Explanations --------------------------------------------------------------------------------------------------------


def test_the_explanation_names_both_sources_both_intervals_and_both_expressions():
    a = q(1, 1000, INF, "()", label="Hamas via TASS", expression="over a thousand")
    b = q(2, 900, 1000, "[)", label="the article", expression="nearly a thousand")
    finding = compare(a, b, cumulative=False)
    assert finding.explanation == (
        "Hamas via TASS: more than 1,000 (“over a thousand”); "
        "the article: 900 to under 1,000 (“nearly a thousand”) — the intervals do not overlap."
    )
    assert (finding.from_claim, finding.to_claim) == (1, 2)


def test_an_agreeing_explanation_says_they_overlap():
    finding = compare(q(1, 900, 1100, "[]", label="A"), q(2, 1000, INF, "()", label="B"), cumulative=False)
    assert finding.explanation == (
        "A: 900 to 1,100 (“expression 1”); B: more than 1,000 (“expression 2”) — "
        "the intervals overlap, so the two agree."
    )


def test_two_answers_from_the_same_source_are_told_apart_by_claim():
    finding = compare(q(7, 900, 1000, "[)", label="the article"), q(9, 1000, INF, "()", label="the article"),
                      cumulative=False)  # fmt: skip
    assert finding.explanation.startswith("the article (claim 7): ")
    assert "; the article (claim 9): " in finding.explanation


# Interval in words ---------------------------------------------------------------------------------------------------

WORDS = [
    (q(1, 1000, INF, "()"), "more than 1,000"),
    (q(1, 1000, INF, "[)"), "at least 1,000"),
    (q(1, INF, 1000, "()"), "less than 1,000"),
    (q(1, INF, 1000, "(]"), "at most 1,000"),
    (q(1, INF, INF, "()"), "any amount"),
    (q(1, 900, 1000, "[)"), "900 to under 1,000"),
    (q(1, 900, 1000, "[]"), "900 to 1,000"),
    (q(1, 900, 1000, "(]"), "more than 900 to 1,000"),
    (q(1, 900, 1000, "()"), "more than 900 to under 1,000"),
    (q(1, 12_000, 12_000, "[]"), "12,000"),
    (q(1, D("1.50"), D("1.50"), "[]"), "1.5"),
    (q(1, D("1200000.000"), D("1200000.000"), "[]"), "1,200,000"),
    (q(1, D("20000"), D("100000"), "[)"), "20,000 to under 100,000"),
    # Dates: stored as [first day, day after the last); shown at the value's precision.
    (d(1, "2024-02-29", "2024-03-01"), "29 February 2024"),
    (d(1, "2024-02-28", "2024-02-29", "(]"), "29 February 2024"),
    (d(1, "2024-02-01", "2024-02-04"), "1 February 2024 to 3 February 2024"),
    (d(1, "2019-02-01", "2019-03-01", precision="month"), "February 2019"),
    (d(1, "2008-03-01", "2009-06-01", precision="month"), "March 2008 to May 2009"),
    (d(1, "2017-01-01", "2018-01-01", precision="year"), "2017"),
    (d(1, "2007-01-01", "2012-01-01", precision="year"), "2007 to 2011"),
    (d(1, "2024-02-29", "2024-03-01", precision=""), "29 February 2024"),  # no precision: by the day
]


@pytest.mark.parametrize(("answer", "words"), WORDS, ids=[words for _, words in WORDS])
def test_interval_words(answer, words):
    assert interval_words(answer) == words


# Scores --------------------------------------------------------------------------------------------------------------

SCORE_PAIRS = [
    (q(1, 900, 1000, "[)"), q(2, 1000, INF, "()")),  # touching: the weakest conflict
    (q(1, 0, 0, "[]"), q(2, 10**9, 2 * 10**9, "[]")),  # far apart
    (q(1, -5, -1, "[]"), q(2, 1, 5, "[]")),
    (q(1, 900, 1000, "[]"), q(2, 1000, 1100, "[]")),  # sharing one point
    (q(1, 950, 950, "[]"), q(2, 900, 1000, "[]")),  # a point inside
    (q(1, INF, INF, "()"), q(2, INF, INF, "()")),
    (q(1, 1000, INF, "()"), q(2, 1500, INF, "[)")),
    (q(1, INF, 10, "()"), q(2, INF, 20, "()")),
    (d(1, "2024-02-29", "2024-03-01"), d(2, "1990-01-01", "1990-01-02")),
    (d(1, "2024-02-01", "2024-03-01"), d(2, "2024-02-29", "2024-03-01")),
    (q(1, 900, 1000, "[)", when=EARLY), q(2, 10**6, INF, "()", when=LATE)),
]


@pytest.mark.parametrize("cumulative", [False, True])
@pytest.mark.parametrize(("a", "b"), SCORE_PAIRS)
def test_scores_lie_within_zero_and_one(a, b, cumulative):
    for finding in (compare(a, b, cumulative=cumulative), compare(b, a, cumulative=cumulative)):
        assert 0 <= finding.score <= 1


def test_a_wider_gap_scores_a_surer_conflict_than_touching_ends():
    touching = compare(q(1, 900, 1000, "[)"), q(2, 1000, INF, "()"), cumulative=False)
    apart = compare(q(1, 100, 200, "[)"), q(2, 1000, INF, "()"), cumulative=False)
    assert touching.score < apart.score


def test_an_answer_inside_another_fully_supports_it():
    assert compare(q(1, 950, 950, "[]"), q(2, 900, 1000, "[]"), cumulative=False).score == 1.0
    assert compare(q(1, 950, 960, "[]"), q(2, 900, 1000, "[]"), cumulative=False).score == 1.0


# compare_all and compare_one -----------------------------------------------------------------------------------------


def test_compare_all_gives_one_finding_per_pair_of_claims():
    answers = [q(1, 900, 1000, "[)"), q(2, 1000, INF, "()"), q(3, 950, 960, "[]"), q(4, 5000, 6000, "[]")]
    found = {(f.from_claim, f.to_claim): f.kind for f in compare_all(answers, cumulative=False)}
    assert found == {
        (1, 2): CONTRADICTS,
        (1, 3): SUPPORTS,
        (1, 4): CONTRADICTS,
        (2, 3): CONTRADICTS,
        (2, 4): SUPPORTS,
        (3, 4): CONTRADICTS,
    }


def test_compare_one_gives_the_findings_of_one_claim_with_each_other():
    answers = [q(1, 900, 1000, "[)"), q(2, 1000, INF, "()"), q(3, 950, 960, "[]"), q(4, 5000, 6000, "[]")]
    found = {(f.from_claim, f.to_claim): f.kind for f in compare_one(2, answers, cumulative=False)}
    assert found == {(1, 2): CONTRADICTS, (2, 3): CONTRADICTS, (2, 4): SUPPORTS}
    # The same kinds as compare_all finds for the pairs with claim 2.
    everything = {frozenset((f.from_claim, f.to_claim)): f.kind for f in compare_all(answers, cumulative=False)}
    assert {frozenset(pair): kind for pair, kind in found.items()} == {
        pair: kind for pair, kind in everything.items() if 2 in pair
    }
