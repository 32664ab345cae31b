"""Internal consistency of one claim: do its values agree with their own words and with the claim's date? (No database.)

Works on the claim in the public shape (claims.api.public), so the desk's live claim and the claim readers are shown
are checked alike. Each value's words (`expression`) are read again by claims.values with the claim's date (else the
date of the document it first appeared in) as the reference for years left unsaid, and compared with what is stored:

| code                | when                                                                                     |
|---------------------|------------------------------------------------------------------------------------------|
| weekday_mismatch    | the words name a weekday that the date does not fall on ("Thursday, February 29" in 2023)|
| impossible_date     | the words name a date that does not exist in that year (February 29 of a common year)    |
| inverted_range      | the words give a range whose first end is above its second ("between 500 and 300")       |
| words_disagree      | the words, read by the parser, and the stored interval have no point in common           |
| as_of_after_claim   | the value is "as of" a date after the claim was made                                     |
| date_after_claim    | a date value lies wholly after the claim was made (a claim about a day still to come)    |

Values whose words the parser cannot read are not checked: the desk words expressions as it sees fit.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from claims import values as parser

WEEKDAY_MISMATCH = "weekday_mismatch"
IMPOSSIBLE_DATE = "impossible_date"
INVERTED_RANGE = "inverted_range"
WORDS_DISAGREE = "words_disagree"
AS_OF_AFTER_CLAIM = "as_of_after_claim"
DATE_AFTER_CLAIM = "date_after_claim"

# Parser refusals that mean "these words are not one readable value", not "this value is wrong".
UNREADABLE = ("No quantity or date found", "Several values found", "names no year")


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text[:10]) if text else None


def reference_date(claim: Mapping[str, Any]) -> dt.date | None:
    """When the claim was made: its claim date, else the date of the document it first appeared in."""
    appearance = claim.get("first_appearance") or {}
    return _date(claim.get("claim_date")) or _date(appearance.get("published_on"))


def _stored(value: Mapping[str, Any]) -> tuple[Any, Any]:
    convert = dt.date.fromisoformat if value["kind"] == "date" else Decimal
    low = None if value["low"] is None else convert(value["low"])
    high = None if value["high"] is None else convert(value["high"])
    return low, high


def _weekday_name(day: dt.date) -> str:
    return calendar.day_name[day.weekday()]


def _disjoint(a: tuple[Any, Any, bool, bool], b: tuple[Any, Any, bool, bool]) -> bool:
    def below(x: tuple[Any, Any, bool, bool], y: tuple[Any, Any, bool, bool]) -> bool:
        if x[1] is None or y[0] is None:
            return False
        return x[1] < y[0] or (x[1] == y[0] and not (x[3] and y[2]))

    return below(a, b) or below(b, a)


def _classify(message: str) -> str | None:
    if any(marker in message for marker in UNREADABLE):
        return None
    lowered = message.lower()
    if "does not exist" in lowered or "is not a date" in lowered or "is not a month" in lowered:
        return IMPOSSIBLE_DATE
    if "above" in lowered or "inverted" in lowered or "before its start" in lowered or "reversed" in lowered:
        return INVERTED_RANGE
    return None


def value_warnings(value: Mapping[str, Any], reference: dt.date | None) -> list[dict[str, str]]:
    """What is wrong with one value (public shape), each as {"code", "message"}."""
    words = value["expression"]
    warnings: list[dict[str, str]] = []
    low, high = _stored(value)
    stored = (low, high, bool(value["low_inclusive"]), bool(value["high_inclusive"]))
    if value["kind"] == "date" and isinstance(low, dt.date) and reference is not None and low > reference:
        warnings.append(
            {
                "code": DATE_AFTER_CLAIM,
                "message": f"“{words}”: the date ({low.isoformat()}) is after the claim was made "
                f"({reference.isoformat()}).",
            }
        )
    as_of = _date(value.get("as_of"))
    if as_of is not None and reference is not None and as_of > reference:
        warnings.append(
            {
                "code": AS_OF_AFTER_CLAIM,
                "message": f"“{words}”: the figure is as of {as_of.isoformat()}, after the claim was made "
                f"({reference.isoformat()}).",
            }
        )
    # A date value's own first day is the best reference for a year left unsaid; the claim's date otherwise.
    read_with = low if isinstance(low, dt.date) else reference
    try:
        parsed = parser.parse(words, reference=read_with)
    except parser.ParseError as error:
        code = _classify(str(error))
        if code is not None:
            warnings.append({"code": code, "message": f"“{words}”: {error}"})
        if isinstance(low, dt.date) and reference is not None and reference.year != low.year:
            warnings += _reference_year_warnings(words, reference)
        return warnings
    if parsed.kind != value["kind"]:
        return warnings
    if parsed.weekday and isinstance(low, dt.date) and high == low + dt.timedelta(days=1):
        named = parsed.weekday.capitalize()
        actual = _weekday_name(low)
        if actual.lower() != parsed.weekday.lower():
            warnings.append(
                {
                    "code": WEEKDAY_MISMATCH,
                    "message": f"“{words}”: {low.day} {low:%B %Y} was a {actual}, not a {named}.",
                }
            )
    read = (parsed.low, parsed.high, parsed.low_inclusive, parsed.high_inclusive)
    if _disjoint(stored, read):
        warnings.append(
            {
                "code": WORDS_DISAGREE,
                "message": f"“{words}” reads as {_interval(read)}, but the value holds {_interval(stored)}: "
                "the two have no point in common.",
            }
        )
    if isinstance(low, dt.date) and reference is not None and reference.year != low.year:
        warnings += _reference_year_warnings(words, reference)
    return warnings


def _reference_year_warnings(words: str, reference: dt.date) -> list[dict[str, str]]:
    """Words without a year, read in the claim's own year: a weekday or a day that does not fit that year."""
    try:
        parsed = parser.parse(words, reference=reference)
    except parser.ParseError as error:
        code = _classify(str(error))
        return [{"code": code, "message": f"“{words}” in the claim's year: {error}"}] if code else []
    low = parsed.low
    if parsed.kind == "date" and parsed.weekday and isinstance(low, dt.date):
        actual = _weekday_name(low)
        if actual.lower() != parsed.weekday.lower():
            return [
                {
                    "code": WEEKDAY_MISMATCH,
                    "message": f"“{words}” in the claim's year: {low.day} {low:%B %Y} was a {actual}, "
                    f"not a {parsed.weekday.capitalize()}.",
                }
            ]
    return []


def _interval(ends: tuple[Any, Any, bool, bool]) -> str:
    low, high, low_inc, high_inc = ends

    def show(end: Any) -> str:
        if isinstance(end, dt.date):
            return end.isoformat()
        text = f"{end:,f}"
        return text.rstrip("0").rstrip(".") if "." in text else text

    return (
        ("[" if low_inc and low is not None else "(")
        + ("-∞" if low is None else show(low))
        + ", "
        + ("∞" if high is None else show(high))
        + ("]" if high_inc and high is not None else ")")
    )


def claim_warnings(claim: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every warning on the claim's values, each with the index of its value: {"value", "code", "message"}."""
    reference = reference_date(claim)
    return [
        {"value": index, **warning}
        for index, value in enumerate(claim.get("values") or [])
        for warning in value_warnings(value, reference)
    ]
