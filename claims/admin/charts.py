"""The answers to a question drawn as intervals on one axis, as an inline SVG (no JavaScript, no external assets).

Each value is a bar from its low end to its high end: a filled dot for a closed end, a hollow one for an open end,
an arrow for an unbounded end. Bars are red where the answer takes part in a contradiction, green where it only has
support, grey otherwise, so an editor sees agreement and conflict at a glance. Quantities spanning more than two
orders of magnitude are drawn on a log scale.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from claims.crossref.compare import CONTRADICTS, SUPPORTS, Answer, interval_words

WIDTH, LABEL, ROW, TOP, PAD = 760, 230, 26, 10, 14
COLOURS = {CONTRADICTS: "#b3261e", SUPPORTS: "#2e7d32", None: "#6b7280"}


def _f(value: float) -> str:
    return f"{value:.1f}"


def _number(end: Decimal | dt.date) -> float:
    return float(end.toordinal()) if isinstance(end, dt.date) else float(end)


class _Axis:
    def __init__(self, ends: Sequence[float], log: bool) -> None:
        self.log = log
        values = [self._t(end) for end in ends]
        low, high = min(values), max(values)
        if low == high:
            low, high = low - 1, high + 1
        margin = (high - low) * 0.08
        self.low, self.high = low - margin, high + margin

    def _t(self, value: float) -> float:
        return math.log10(max(value, 1e-9)) if self.log else value

    def x(self, value: float | None, *, unbounded: str = "") -> float:
        if value is None:
            return float(LABEL if unbounded == "low" else WIDTH - PAD)
        share = (self._t(value) - self.low) / (self.high - self.low)
        return LABEL + share * (WIDTH - PAD - LABEL)


def _ticks(axis: _Axis, kind: str) -> list[tuple[float, str]]:
    """Round values along the axis: powers of ten on a log scale, steps of 1, 2 or 5 times a power of ten else."""
    if axis.log:
        values = [10.0**power for power in range(math.ceil(axis.low), math.floor(axis.high) + 1)]
    else:
        raw = (axis.high - axis.low) / 5
        power = 10 ** math.floor(math.log10(raw))
        step = next(factor * power for factor in (1, 2, 5, 10) if factor * power >= raw)
        first = math.ceil(axis.low / step) * step
        values = [first + step * index for index in range(int((axis.high - first) // step) + 1)]
    ticks = []
    for value in values:
        if kind == "date":
            label = dt.date.fromordinal(max(1, round(value))).isoformat()
        else:
            label = f"{value:,.0f}" if abs(value) >= 10 or value == 0 else f"{value:.2g}"
        ticks.append((axis.x(value), label))
    return ticks


def interval_chart(answers: Sequence[Answer], stances: dict[int, str | None]) -> SafeString:
    """The chart for `answers` (of one kind); `stances` maps a claim id to contradicts, supports or None."""
    answers = [answer for answer in answers if answer.kind == (answers[0].kind if answers else "")]
    finite = [_number(end) for answer in answers for end in (answer.low, answer.high) if end is not None]
    if not finite:
        return format_html("<p>{}</p>", "No values to draw.")
    kind = answers[0].kind
    log = kind == "quantity" and min(finite) > 0 and max(finite) / min(finite) > 100
    axis = _Axis(finite, log)
    height = TOP + ROW * len(answers) + 30
    rows = [_row(index, answer, axis, stances.get(answer.claim_id)) for index, answer in enumerate(answers)]
    axis_y = TOP + ROW * len(answers) + 4
    ticks = format_html_join(
        "",
        '<line x1="{0}" y1="{1}" x2="{0}" y2="{2}" stroke="#9ca3af"/>'
        '<text x="{0}" y="{3}" font-size="10" text-anchor="middle" fill="#374151">{4}</text>',
        ((_f(x), axis_y, axis_y + 4, axis_y + 16, label) for x, label in _ticks(axis, kind)),
    )
    scale = " (log scale)" if log else ""
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{0}" height="{1}" viewBox="0 0 {0} {1}" '
        'style="max-width:100%;font-family:sans-serif"><title>{2}</title>{3}'
        '<line x1="{4}" y1="{5}" x2="{6}" y2="{5}" stroke="#9ca3af"/>{7}</svg>',
        WIDTH,
        height,
        f"The answers' intervals on one axis{scale}",
        SafeString("".join(rows)),
        LABEL,
        axis_y,
        WIDTH - PAD,
        ticks,
    )


def _end_mark(x: float, y: float, closed: bool, colour: str) -> SafeString:
    return format_html(
        '<circle cx="{}" cy="{}" r="4" fill="{}" stroke="{}" stroke-width="2"/>',
        _f(x),
        y,
        colour if closed else "#ffffff",
        colour,
    )


def _arrow(x: float, y: float, pointing: str, colour: str) -> SafeString:
    """A triangle at the axis' edge: this end of the interval is unbounded."""
    back = 7 if pointing == "left" else -7
    return format_html(
        '<path d="M{0},{1} L{2},{3} L{2},{4} Z" fill="{5}"/>', _f(x), y, _f(x + back), y - 5, y + 5, colour
    )


def _row(index: int, answer: Answer, axis: _Axis, stance: str | None) -> str:
    y = TOP + ROW * index + ROW // 2
    colour = COLOURS.get(stance, COLOURS[None])
    low = None if answer.low is None else _number(answer.low)
    high = None if answer.high is None else _number(answer.high)
    x1, x2 = axis.x(low, unbounded="low"), axis.x(high, unbounded="high")
    label = f"#{answer.claim_id} {answer.label}"
    if len(label) > 38:
        label = label[:37] + "…"
    parts: list[SafeString] = [
        format_html(
            '<text x="4" y="{}" font-size="11" fill="#111827"><title>{}</title>{}</text>',
            y + 4,
            f"{answer.label}: {interval_words(answer)} (“{answer.expression}”)",
            label,
        ),
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="4"><title>{}</title></line>',
            _f(x1),
            y,
            _f(x2),
            y,
            colour,
            f"{interval_words(answer)} (“{answer.expression}”)",
        ),
    ]
    parts.append(_arrow(x1, y, "left", colour) if low is None else _end_mark(x1, y, answer.low_inclusive, colour))
    parts.append(_arrow(x2, y, "right", colour) if high is None else _end_mark(x2, y, answer.high_inclusive, colour))
    return "".join(parts)


def stances(relations: Iterable[dict]) -> dict[int, str | None]:
    """Each claim's strongest stance among the relations shown (dismissed ones do not count)."""
    result: dict[int, str | None] = {}
    for relation in relations:
        if relation["state"] == "dismissed" or relation["kind"] not in (CONTRADICTS, SUPPORTS):
            continue
        for claim in (relation["from_claim"], relation["to_claim"]):
            if result.get(claim) != CONTRADICTS:
                result[claim] = relation["kind"]
    return result
