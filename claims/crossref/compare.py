"""Comparing the answers two claims give to one question (no database).

An answer is a claim's value as an interval (claims.models.ClaimValue). Two answers to the same question:

| the two intervals                         | not cumulative | cumulative (a running total)                    |
|-------------------------------------------|----------------|-------------------------------------------------|
| overlap                                   | supports       | supports                                        |
| disjoint                                  | contradicts    | the later, larger figure supersedes the earlier |
| disjoint, the later one below the earlier | contradicts    | contradicts (a running total does not fall)     |
| disjoint, same date or a date unknown     | contradicts    | contradicts                                     |

They are compared only when they speak of the same thing: the same kind (quantity or date), the same unit and the
same place where both give one. A claim that gives several values for the question (several visits, several
dates) lists answers rather than giving one, so disjoint lists do not contradict; an overlap still supports.
"When" is the value's as-of date, else the claim's date, else the date of the document it first appeared in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

CONTRADICTS, SUPPORTS, SUPERSEDES = "contradicts", "supports", "supersedes"

Number = Decimal | dt.date


@dataclass(frozen=True)
class Answer:
    """One claim's value for a question, with what the comparison needs to say who said it and when."""

    claim_id: int
    label: str
    kind: str
    expression: str
    low: Number | None
    high: Number | None
    low_inclusive: bool
    high_inclusive: bool
    unit: str = ""
    place: str = ""
    precision: str = ""
    when: dt.date | None = None
    several: bool = False


@dataclass(frozen=True)
class Finding:
    """What the first answer is to the second: `kind` is read "from_claim <kind> to_claim"."""

    from_claim: int
    to_claim: int
    kind: str
    score: float
    explanation: str


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def same_scope(a: Answer, b: Answer) -> bool:
    if a.kind != b.kind:
        return False
    if a.unit and b.unit and _norm(a.unit) != _norm(b.unit):
        return False
    return not (a.place and b.place and _norm(a.place) != _norm(b.place))


def overlap(a: Answer, b: Answer) -> bool:
    """Whether the two intervals share a point, minding open and closed ends."""
    return not (_below(a, b) or _below(b, a))


def _below(a: Answer, b: Answer) -> bool:
    """Every point of `a` lies below every point of `b`."""
    if a.high is None or b.low is None:
        return False
    if a.high < b.low:
        return True
    return a.high == b.low and not (a.high_inclusive and b.low_inclusive)


def _width(low: Number | None, high: Number | None) -> float | None:
    if low is None or high is None:
        return None
    if isinstance(low, dt.date) and isinstance(high, dt.date):
        return float((high - low).days)
    return float(high) - float(low)  # type: ignore[arg-type]


def _magnitude(a: Answer, b: Answer) -> float:
    ends = [end for end in (a.low, a.high, b.low, b.high) if end is not None]
    if not ends:
        return 1.0
    if isinstance(ends[0], dt.date):
        return 365.0
    return max(abs(float(end)) for end in ends) or 1.0  # type: ignore[arg-type]


def _gap(a: Answer, b: Answer) -> float:
    lower, upper = (a, b) if _below(a, b) else (b, a)
    return _width(lower.high, upper.low) or 0.0


def _support_score(a: Answer, b: Answer) -> float:
    """How much of the narrower interval the overlap covers: 1 when one answer lies inside the other."""
    lows = [end for end in (a.low, b.low) if end is not None]
    highs = [end for end in (a.high, b.high) if end is not None]
    low = max(lows) if lows else None
    high = min(highs) if highs else None
    widths = [w for w in (_width(a.low, a.high), _width(b.low, b.high)) if w is not None]
    shared = _width(low, high)
    if not widths or shared is None or min(widths) == 0:
        return 1.0 if widths and min(widths) == 0 else 0.5
    return round(min(1.0, max(0.05, shared / min(widths))), 3)


def describe(answer: Answer) -> str:
    """The interval in words, with the words it was read from: 'more than 1,000 ("over a thousand")'."""
    return f"{interval_words(answer)} (“{answer.expression}”)"


def _number(value: Number) -> str:
    if isinstance(value, dt.date):
        return f"{value.day} {value:%B %Y}"
    text = f"{value:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def interval_words(answer: Answer) -> str:
    low, high = answer.low, answer.high
    if answer.kind == "date" and isinstance(low, dt.date) and isinstance(high, dt.date):
        return _date_words(low, high, answer.low_inclusive, answer.high_inclusive, answer.precision)
    if low is None and high is None:
        return "any amount"
    if high is None:
        return f"{'at least' if answer.low_inclusive else 'more than'} {_number(low)}"  # type: ignore[arg-type]
    if low is None:
        return f"{'at most' if answer.high_inclusive else 'less than'} {_number(high)}"
    if low == high:
        return _number(low)
    start = _number(low) if answer.low_inclusive else f"more than {_number(low)}"
    end = _number(high) if answer.high_inclusive else f"under {_number(high)}"
    return f"{start} to {end}"


def _date_words(low: dt.date, high: dt.date, low_inc: bool, high_inc: bool, precision: str) -> str:
    # Date intervals are stored as [first day, day after the last).
    first = low if low_inc else low + dt.timedelta(days=1)
    last = high if high_inc else high - dt.timedelta(days=1)
    if precision == "year":
        return str(first.year) if first.year == last.year else f"{first.year} to {last.year}"
    if precision == "month":
        if (first.year, first.month) == (last.year, last.month):
            return f"{first:%B %Y}"
        return f"{first:%B %Y} to {last:%B %Y}"
    if first == last:
        return _number(first)
    return f"{_number(first)} to {_number(last)}"


def compare(a: Answer, b: Answer, *, cumulative: bool) -> Finding | None:
    """What `a` and `b` are to each other, or None when they cannot be compared (different scope, or lists)."""
    if a.claim_id == b.claim_id or not same_scope(a, b):
        return None
    if a.claim_id > b.claim_id:
        # One wording whichever claim changed: a refresh of either, or of the whole question, writes the same sentence.
        a, b = b, a
    first, second = _labels(a, b)
    if overlap(a, b):
        return Finding(
            a.claim_id,
            b.claim_id,
            SUPPORTS,
            _support_score(a, b),
            f"{first}: {describe(a)}; {second}: {describe(b)} — the intervals overlap, so the two agree.",
        )
    if a.several or b.several:
        return None
    score = round(min(1.0, 0.6 + 4 * _gap(a, b) / _magnitude(a, b)), 3)
    if cumulative and a.when and b.when and a.when != b.when:
        later, earlier = (a, b) if a.when > b.when else (b, a)
        later_label, earlier_label = (first, second) if later is a else (second, first)
        grew = _below(earlier, later)
        both = (
            f"{later_label} on {_number(later.when)}: {describe(later)}; "  # type: ignore[arg-type]
            f"{earlier_label} on {_number(earlier.when)}: {describe(earlier)}"  # type: ignore[arg-type]
        )
        reason = (
            "a running total grows, so the later, larger figure supersedes the earlier one rather than contradicting it"
            if grew
            else "a running total does not fall, yet the later figure is below the earlier one"
        )
        kind = SUPERSEDES if grew else CONTRADICTS
        return Finding(later.claim_id, earlier.claim_id, kind, score, f"{both} — {reason}.")
    return Finding(
        a.claim_id,
        b.claim_id,
        CONTRADICTS,
        score,
        f"{first}: {describe(a)}; {second}: {describe(b)} — the intervals do not overlap.",
    )


def _labels(a: Answer, b: Answer) -> tuple[str, str]:
    if a.label != b.label:
        return a.label, b.label
    return f"{a.label} (claim {a.claim_id})", f"{b.label} (claim {b.claim_id})"


def compare_all(answers: list[Answer], *, cumulative: bool) -> list[Finding]:
    """Every pair of answers from different claims, compared once; the best-scoring finding per pair of claims."""
    best: dict[frozenset[int], Finding] = {}
    for index, a in enumerate(answers):
        for b in answers[index + 1 :]:
            finding = compare(a, b, cumulative=cumulative)
            if finding is None:
                continue
            key = frozenset((a.claim_id, b.claim_id))
            if key not in best or _rank(finding) > _rank(best[key]):
                best[key] = finding
    return list(best.values())


def compare_one(answer_claim: int, answers: list[Answer], *, cumulative: bool) -> list[Finding]:
    """The findings between one claim's answers and every other claim's: what a change to that claim affects."""
    mine = [answer for answer in answers if answer.claim_id == answer_claim]
    others = [answer for answer in answers if answer.claim_id != answer_claim]
    best: dict[int, Finding] = {}
    for a in mine:
        for b in others:
            finding = compare(a, b, cumulative=cumulative)
            if finding is not None and (b.claim_id not in best or _rank(finding) > _rank(best[b.claim_id])):
                best[b.claim_id] = finding
    return list(best.values())


def _rank(finding: Finding) -> tuple[int, float]:
    # Between two claims with several values each, one overlap is agreement enough; a conflict outranks it only
    # where both give one answer (lists never contradict, above).
    order = {CONTRADICTS: 2, SUPERSEDES: 1, SUPPORTS: 0}
    return order[finding.kind], finding.score
