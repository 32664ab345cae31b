"""Values from text: English quantity and date expressions read as intervals, as claims.models.ClaimValue stores them.

    parse("nearly a thousand")  -> quantity [900, 1000), qualifier "nearly"
    parse("over a thousand")    -> quantity (1000, ∞), qualifier "more_than"
    parse("February 2019")      -> date [2019-02-01, 2019-03-01), precision "month"
    find_quantities(sentence)   -> every quantity or date expression in free text, with its span

Plain functions, no database. Numbers are Decimal, never float. Quantity intervals may be unbounded above (None);
date intervals are half-open day intervals [first day, day after the last day), as PostgreSQL stores them.

Every reading rule is a row of RULES, which the parser takes its words and interval formulas from;
`rules_markdown()` renders the same rows (with each example parsed afresh) as the table in the README.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import Any

# The choice values of claims.models (ValueKind, ValueQualifier, DatePrecision), repeated so this module loads
# without Django; tests/claims/test_values.py pins that they stay equal.
QUANTITY, DATE = "quantity", "date"
EXACT, ABOUT, NEARLY = "exact", "about", "nearly"
AT_LEAST, MORE_THAN, AT_MOST, LESS_THAN = "at_least", "more_than", "at_most", "less_than"
BETWEEN, VAGUE = "between", "vague"
DAY, MONTH, YEAR = "day", "month", "year"

# Quantities are counts and amounts people state in words; anything this large is a typo or an attack.
MAX_QUANTITY = Decimal(10) ** 15
MAX_QUANTITY_DECIMALS = 6

Bound = Decimal | dt.date | None


class ParseError(ValueError):
    """The text holds no quantity or date, or one that cannot be: an impossible date, an inverted range, ..."""


@dataclass(frozen=True)
class Parsed:
    """One value read from text. `high` None means unbounded above (quantities only).

    When the text names several dates ("in March 2008 and May 2009"), `parts` holds each of them and the value
    itself is the smallest interval holding them all, qualifier "between".
    """

    kind: str
    low: Bound
    high: Bound
    low_inclusive: bool
    high_inclusive: bool
    qualifier: str
    unit: str = ""
    precision: str = ""
    weekday: str | None = None
    parts: tuple[Parsed, ...] = ()
    text: str = ""  # the words read, e.g. "nearly a thousand"


@dataclass(frozen=True)
class Match:
    """An expression found in free text: `value`, or `error` when it cannot be read as a value."""

    start: int
    end: int
    text: str
    value: Parsed | None
    error: str | None = None


# The rules --------------------------------------------------------------------------------------------------------

# Interval ends as formulas of the stated figure X (or Y, the second figure of a range; U, the size a vague plural
# counts in). The parser computes ends with these functions, and the README shows their names.
FORMULAS: dict[str, Callable[[Decimal, Decimal], Decimal | None]] = {
    "X": lambda x, y: x,
    "Y": lambda x, y: y,
    "0": lambda x, y: Decimal(0),
    "0.9X": lambda x, y: x * Decimal("0.9"),
    "1.1X": lambda x, y: x * Decimal("1.1"),
    "2U": lambda x, y: 2 * x,
    "10U": lambda x, y: 10 * x,
    "∞": lambda x, y: None,
}


@dataclass(frozen=True)
class Rule:
    """One way of stating a value. `before`/`after`: the words that select it, before or after the figure."""

    qualifier: str
    low: str  # a key of FORMULAS, or for dates a description
    high: str
    low_inclusive: bool
    high_inclusive: bool
    example: str
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    note: str = ""


RULES: tuple[Rule, ...] = (
    Rule(
        EXACT,
        "X",
        "X",
        True,
        True,
        "12,000",
        before=("exactly", "precisely", "a total of"),
        note="A figure stated flatly is exact, even a round one: the words claim that figure.",
    ),
    Rule(
        ABOUT,
        "0.9X",
        "1.1X",
        True,
        True,
        "about 1.2 million",
        before=("approximately", "an estimated", "roughly", "around", "about", "circa", "some", "ca."),
    ),
    Rule(
        NEARLY,
        "0.9X",
        "X",
        True,
        False,
        "nearly a thousand",
        before=("nearly", "almost", "close to", "just under", "just shy of", "not quite"),
    ),
    Rule(
        MORE_THAN,
        "X",
        "∞",
        False,
        False,
        "over a thousand",
        before=(
            "more than",
            "over",
            "upwards of",
            "in excess of",
            "above",
            "exceeding",
            "greater than",
            "just over",
            "well over",
        ),
        after=("plus",),
    ),
    Rule(
        AT_LEAST,
        "X",
        "∞",
        True,
        False,
        "1,200+",
        before=("at least", "no fewer than", "no less than", "not less than", "a minimum of"),
        after=("or more", "+"),
    ),
    Rule(
        AT_MOST,
        "0",
        "X",
        True,
        True,
        "up to 300",
        before=("up to", "at most", "no more than", "not more than", "a maximum of", "as many as"),
        after=("or fewer", "or less"),
    ),
    Rule(LESS_THAN, "0", "X", True, False, "fewer than 50", before=("fewer than", "less than", "under", "below")),
    Rule(
        BETWEEN,
        "X",
        "Y",
        True,
        True,
        "between 2 and 3 million",
        before=("between X and", "from X to", "X to", "X-"),
        note="A scale or unit stated once applies to both ends: '2 to 3 million', '5-10%'.",
    ),
    Rule(
        VAGUE,
        "2U",
        "10U",
        True,
        False,
        "tens of thousands",
        before=("dozens (U=12)", "scores of (U=20)", "hundreds", "thousands", "millions", "billions"),
        note="'tens of' / 'hundreds of' multiply: 'hundreds of thousands' counts in U=100,000. "
        "'several' and 'a few' before a scale word ('several hundred') count in that scale.",
    ),
)
RULE_BY_QUALIFIER = {rule.qualifier: rule for rule in RULES}

# Dates: what each form of words pins down. The parser's date patterns are below; each example is parsed afresh
# when the README table is rendered, so a row that no longer holds shows it.
DATE_RULES: tuple[tuple[str, str, str], ...] = (
    # (form, example, note)
    ("weekday, month day", "Thursday, February 29", "year from the reference date (see below); weekday kept"),
    ("month day, year", "Feb. 29, 2024", ""),
    ("day month year", "29 February 2024", ""),
    ("ISO date", "2024-02-29", ""),
    ("month year", "February 2019", ""),
    ("year", "in 2019", "a bare year 1800-2099 written without separators, after a date word or with no noun after"),
    ("decade", "the 1990s", ""),
    ("range", "from 2007 to 2011", "from the first day of the first to the last day of the second"),
    ("list", "in March 2008 and May 2009", "one part per date; the value is the interval holding them all"),
)

REFERENCE_EXAMPLE = dt.date(2024, 3, 1)
# Dates without a year take the reference date's year, unless that puts them more than this far after the
# reference: news reports what happened, so "December 30" read on 2 January is the December before.
FUTURE_TOLERANCE = dt.timedelta(days=183)


# Numbers ----------------------------------------------------------------------------------------------------------


class NumberError(ValueError):
    """A number end that cannot be stored; `code` says why: invalid, not_finite, too_large, too_precise."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def number_end(text: str, *, grouped: bool = False) -> Decimal | None:
    """One end of a quantity interval typed as digits: None for blank, else a finite Decimal within the limits.

    `grouped` also accepts digit group separators ("12,000", "12 000", "12_000"). Raises NumberError.
    """
    text = text.strip()
    if grouped:
        text = text.replace(",", "").replace("_", "").replace(" ", "")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation as error:
        raise NumberError("invalid", "A valid number is required.") from error
    if not number.is_finite():
        raise NumberError("not_finite", "A valid number is required.")
    check_number(number)
    return number


def check_number(number: Decimal) -> Decimal:
    """The limits every stored quantity keeps (MAX_QUANTITY, MAX_QUANTITY_DECIMALS). Raises NumberError."""
    if abs(number) >= MAX_QUANTITY:
        raise NumberError("too_large", f"Must be below {MAX_QUANTITY:,} in size.")
    if -number.as_tuple().exponent > MAX_QUANTITY_DECIMALS:  # type: ignore[operator]
        raise NumberError("too_precise", f"At most {MAX_QUANTITY_DECIMALS} decimal places.")
    return number


_SMALL_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen"
)
_SMALL = {word: value for value, word in enumerate(_SMALL_WORDS.split())}
_TENS = {
    word: 10 * (i + 2)
    for i, word in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())  # noqa: SIM905
}
_SCALES = {"hundred": 100, "thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_ABBREVIATIONS = {"k": 10**3, "m": 10**6, "mn": 10**6, "b": 10**9, "bn": 10**9, "tn": 10**12}
_CURRENCIES = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP"}

_NUMBER_WORD = "|".join(sorted([*_SMALL, *_TENS], key=len, reverse=True))
_SCALE_WORD = "hundred|thousand|million|billion|trillion|dozen"
_AFTER_SCALE = "".join(f"(?<={word})" if i == 0 else f"|(?<={word})" for i, word in enumerate(_SCALES))
_WORDS = (
    rf"(?:\ban?\s+(?:{_SCALE_WORD})\b|\b(?:{_NUMBER_WORD})\b)"
    rf"(?:(?:[\s-]+|(?:{_AFTER_SCALE})\s+and\s+)(?:{_NUMBER_WORD}|{_SCALE_WORD})\b)*"
)
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!,?\d)|\d+)(?:\.\d+)?(?!\.\d)"
_ATOM = re.compile(
    r"(?<![\w.])(?<![A-Za-z]-)"
    r"(?P<cur>US\$|\$|€|£)?\s?"
    rf"(?:(?P<half>(?:half\s+an?|a\s+half)\s+(?:{_SCALE_WORD}))\b|(?P<twice>twice|thrice)\b|(?P<digits>{_DIGITS})"
    rf"|(?P<words>{_WORDS}))"
    r"(?:\s+(?P<scale>hundred|thousand|million|billion|trillion)\b|(?P<abbr>k|mn|bn|tn|m|b)(?![A-Za-z]))?"
    r"(?P<aunit>(?-i:kg|km|mg|g|lbs?|mph|ft|mi|cm|mm|ml|kWh|MW|GW))?"
    r"(?P<plus>\+)?"
    r"(?P<pct>\s?%|\s+per\s?cent\b|\s+percentage\s+points?\b)?"
    r"(?:-(?P<hunit>[A-Za-z]+)(?![\w-]))?"
    r"(?![A-Za-z\d])",
    re.IGNORECASE,
)


def _words_value(text: str) -> Decimal:
    total = current = 0
    for word in re.findall(r"[a-z]+", text.lower()):
        if word in ("a", "an", "and", "half"):
            continue
        if word in _SMALL:
            current += _SMALL[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word in ("hundred", "dozen"):
            current = (current or 1) * (100 if word == "hundred" else 12)
        else:
            total += (current or 1) * _SCALES[word]
            current = 0
    return Decimal(total + current)


def _clean(number: Decimal) -> Decimal:
    """900.0 -> 900, 1.50 -> 1.5: the figure as a person would write it."""
    return number.quantize(Decimal(1)) if number == number.to_integral_value() else number.normalize()


# Dates ------------------------------------------------------------------------------------------------------------

_MONTH_NUMBERS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name} | {
    name.lower(): i for i, name in enumerate(calendar.month_abbr) if name
}
_MONTH_NUMBERS["sept"] = 9
_MONTH = (
    r"(?-i:(?P<month>January|February|March|April|May|June|July|August|September|October|November|December)\b"
    r"|(?P<mabbr>Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)(?:\.|\b))"
)
_WEEKDAY = r"(?:(?-i:(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)),?\s+(?:the\s+)?)?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b"
_YEAR = r"(?P<year>\d{4})\b"
_DATE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (DAY, re.compile(r"(?<![\w-])(?P<year>\d{4})-(?P<mnum>\d{2})-(?P<day>\d{2})(?![\w-])")),
    (DAY, re.compile(rf"{_WEEKDAY}{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?(?!,?\s*\d)", re.IGNORECASE)),
    (DAY, re.compile(rf"{_WEEKDAY}(?<![\w.,]){_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?", re.IGNORECASE)),
    (MONTH, re.compile(rf"{_MONTH},?\s+{_YEAR}", re.IGNORECASE)),
    (YEAR, re.compile(r"(?<![\w.,])(?P<decade>\d{3}0)s\b")),
)


def _month_length(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _day(year: int, month: int, day: int, *, inferred: bool) -> dt.date:
    name = calendar.month_name[month]
    if not 1 <= day <= _month_length(2000, month):
        raise ParseError(f"{name} {day} is not a date: {name} has at most {_month_length(2000, month)} days.")
    if day > _month_length(year, month):
        source = " (the year taken from the reference date)" if inferred else ""
        raise ParseError(f"{name} {day} does not exist in {year}{source}: {year} is not a leap year.")
    return dt.date(year, month, day)


def _check_year(year: int) -> int:
    if not 1 <= year <= 9998:
        raise ParseError(f"{year} is not a year this parser reads.")
    return year


def _date_value(precision: str, groups: dict[str, Any], reference: dt.date | None) -> Parsed:
    weekday = groups.get("weekday")
    if groups.get("decade"):
        start = _check_year(int(groups["decade"]))
        _check_year(start + 9)
        return _date_interval(dt.date(start, 1, 1), dt.date(start + 10, 1, 1), YEAR)
    month = int(groups["mnum"]) if groups.get("mnum") else _MONTH_NUMBERS[(groups["month"] or groups["mabbr"]).lower()]
    if not 1 <= month <= 12:
        raise ParseError(f"{groups['mnum']} is not a month.")
    if precision == MONTH:
        year = _check_year(int(groups["year"]))
        first = dt.date(year, month, 1)
        return _date_interval(first, first + dt.timedelta(days=_month_length(year, month)), MONTH)
    day = int(groups["day"])
    if groups.get("year"):
        year, inferred = _check_year(int(groups["year"])), False
    elif reference is None:
        _day(2000, month, day, inferred=False)  # an impossible date says so before the missing year does
        raise ParseError(
            f"{calendar.month_name[month]} {day} names no year: give a reference date (the appearance's date)."
        )
    else:
        year, inferred = _check_year(_year_near(reference, month, day)), True
    first = _day(year, month, day, inferred=inferred)
    return _date_interval(first, first + dt.timedelta(days=1), DAY, weekday=weekday.lower() if weekday else None)


def _year_near(reference: dt.date, month: int, day: int) -> int:
    if 1 <= day <= _month_length(reference.year, month) and (
        dt.date(reference.year, month, day) - reference > FUTURE_TOLERANCE
    ):
        return reference.year - 1
    return reference.year


def _date_interval(first: dt.date, after: dt.date, precision: str, *, weekday: str | None = None) -> Parsed:
    return Parsed(DATE, first, after, True, False, EXACT, precision=precision, weekday=weekday)


def _year_interval(first: int, last: int) -> Parsed:
    _check_year(first), _check_year(last)
    qualifier = EXACT if first == last else BETWEEN
    return Parsed(DATE, dt.date(first, 1, 1), dt.date(last + 1, 1, 1), True, False, qualifier, precision=YEAR)


# Scanning ---------------------------------------------------------------------------------------------------------


@dataclass
class _Atom:
    start: int
    end: int
    kind: str  # "number", "date" or "vague"
    number: Decimal | None = None
    scaled: bool = False  # a scale word or abbreviation was written ("3 million", "3.5bn")
    plain: bool = False  # digits only, no separators, currency, scale, sign or unit: could be a year
    unit: str = ""
    at_least: bool = False  # written with a trailing "+"
    weak: bool = False  # "one" alone: mostly a pronoun ("one of the ..."), a figure with a qualifier or a noun
    date: Parsed | None = None
    error: str | None = None
    groups: dict[str, Any] = field(default_factory=dict)


_VAGUE = re.compile(
    r"\b(?:(?P<outer>tens|hundreds|dozens)\s+of\s+(?P<inner>thousands|millions|billions)"
    r"|(?P<single>dozens|hundreds|thousands|millions|billions|trillions)|(?P<scores>scores)(?=\s+of\b)"
    r"|(?:several|a\s+few)\s+(?P<several>dozen|hundred|thousand|million|billion)(?!\s+(?:and\s+)?\w*(?:teen|ty)\b))\b",
    re.IGNORECASE,
)
_VAGUE_UNITS = {
    "tens": 10,
    "dozens": 12,
    "dozen": 12,
    "scores": 20,
    "hundreds": 100,
    "hundred": 100,
    "thousands": 10**3,
    "thousand": 10**3,
    "millions": 10**6,
    "million": 10**6,
    "billions": 10**9,
    "billion": 10**9,
    "trillions": 10**12,
}


def _atom_from_number(m: re.Match[str]) -> _Atom | None:
    g = m.groupdict()
    currency = (g["cur"] or "").lower()
    if g["digits"]:
        number = Decimal(re.sub(r"[,\s\u00a0\u202f]", "", g["digits"]))
    elif g["twice"]:
        number = Decimal(2 if g["twice"].lower() == "twice" else 3)
    elif g["half"]:
        number = Decimal("0.5") * _words_value(g["half"].split()[-1])
    else:
        words = g["words"].lower()
        number = _words_value(words)
    abbr = (g["abbr"] or "").lower()
    if abbr in ("m", "b") and not currency:
        return None  # "5m" without a currency is as likely metres as millions
    if g["scale"]:
        number *= _SCALES[g["scale"].lower()]
    if abbr:
        number *= _ABBREVIATIONS[abbr]
    error = None
    if number >= MAX_QUANTITY:  # said now, before any arithmetic on an absurd figure
        error = f"{number:,f} is too large: values must be below {MAX_QUANTITY:,}."
    unit = "times" if g["twice"] else _CURRENCIES.get(currency, "")
    if g["pct"]:
        unit = "percentage points" if "point" in g["pct"].lower() else "percent"
    elif g["hunit"]:
        unit = _plural(g["hunit"].lower())
    elif g["aunit"]:
        unit = g["aunit"]
    plain = bool(g["digits"]) and re.fullmatch(r"\d{4}", g["digits"]) is not None
    plain = plain and not (currency or g["scale"] or abbr or g["plus"] or g["pct"] or g["hunit"] or g["aunit"])
    return _Atom(
        m.start(),
        m.end(),
        "number",
        number=number,
        scaled=bool(g["scale"] or abbr or g["half"] or (g["words"] and re.search(_SCALE_WORD, g["words"], re.I))),
        plain=plain,
        unit=unit,
        at_least=bool(g["plus"]),
        weak=(g["words"] or "").lower() == "one" and not g["hunit"],
        error=error,
    )


def _plural(noun: str) -> str:
    return noun if noun.endswith("s") else noun + "s"


def _atoms(text: str, reference: dt.date | None) -> list[_Atom]:
    candidates: list[_Atom] = []
    for precision, pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            atom = _Atom(m.start(), m.end(), "date", groups=m.groupdict())
            try:
                atom.date = _date_value(precision, m.groupdict(), reference)
            except ParseError as error:
                atom.error = str(error)
            candidates.append(atom)
    for m in _VAGUE.finditer(text):
        g = m.groupdict()
        if g["outer"]:
            size = _VAGUE_UNITS[g["outer"].lower()] * _VAGUE_UNITS[g["inner"].lower()]
        else:
            size = _VAGUE_UNITS[(g["single"] or g["scores"] or g["several"]).lower()]
        candidates.append(_Atom(m.start(), m.end(), "vague", number=Decimal(size)))
    for m in _ATOM.finditer(text):
        atom = _atom_from_number(m)
        if atom is not None:
            candidates.append(atom)
    # The longest reading wins where readings overlap: "29 February 2024" over "29", "hundreds of thousands" over
    # "hundreds". Dates first among equals: "2024-02-29" is a date, not 2024 and a range.
    candidates.sort(key=lambda a: (a.start, -(a.end - a.start), a.kind != "date"))
    chosen: list[_Atom] = []
    for atom in candidates:
        if not chosen or atom.start >= chosen[-1].end:
            chosen.append(atom)
    return chosen


def _words_re(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


# How far back qualifiers and date words are looked for: enough for the longest phrase, and it keeps a scan of a
# long article linear.
_LOOKBEHIND = 40
_BEFORE = {
    rule.qualifier: re.compile(rf"(?:^|(?<=[^\w]))(?:{_words_re(rule.before)})\s*$", re.IGNORECASE)
    for rule in RULES
    if rule.qualifier not in (BETWEEN, VAGUE)
}
_AFTER = {
    rule.qualifier: re.compile(rf"^(?:\s+(?:{_words_re(rule.after)})\b|\+)", re.IGNORECASE)
    for rule in RULES
    if rule.after and rule.qualifier != AT_LEAST
}
_AFTER[AT_LEAST] = re.compile(r"^\s+or\s+more\b", re.IGNORECASE)  # its "+" is read with the figure
_RANGE_OPENER = re.compile(r"(?:^|(?<=\W))(?P<word>between|from)\s+$", re.IGNORECASE)
_RANGE_JOIN = re.compile(r"^\s*(?:(?P<word>to|and|through|until|till)\s+|[-\u2013\u2014]\s*)$", re.IGNORECASE)
_DATE_WORD_BEFORE = re.compile(
    r"(?:^|\W)(?:in|on|since|by|until|till|through|during|from|of|before|after|between|early|late|mid|year|the)"
    r"[\s-]+$",
    re.IGNORECASE,
)
_LIST_JOIN = re.compile(r"^\s*(?:,\s*(?:and\s+|or\s+)?|(?:and|or)\s+)(?:in\s+)?$", re.IGNORECASE)
_UNIT = re.compile(r"^\s+(?:of\s+)?(?P<unit>[a-z][a-z'-]*[a-z])\b")
_NOT_UNITS = frozenset(
    """a an the and or nor to of in on at by for per from with without as than that this these those more less
    fewer over under about into onto out up down off since after before during between while when where which
    who whom whose is are was were be been being has have had do does did will would can could may might must
    shall should it its it's their his her our your my not no so but if then also only just even still yet
    each every all some any such other another same himself herself itself themselves""".split()  # noqa: SIM905
)


def _unit_after(text: str, end: int) -> str:
    m = _UNIT.match(text[end:])
    if m is None or m["unit"] in _NOT_UNITS or m["unit"].lower() in _MONTH_NUMBERS:
        return ""
    return m["unit"]


def _is_year(atom: _Atom) -> bool:
    return atom.plain and atom.number is not None and 1800 <= atom.number <= 2099


def _as_year_date(atom: _Atom) -> _Atom:
    assert atom.number is not None
    return replace(atom, kind="date", date=_year_interval(int(atom.number), int(atom.number)))


def _quantity(low: Decimal, high: Decimal | None, rule: Rule) -> tuple[Decimal, Decimal | None]:
    ends = [FORMULAS[rule.low](low, high or low), FORMULAS[rule.high](low, high or low)]
    return _clean(ends[0]) if ends[0] is not None else Decimal(0), None if ends[1] is None else _clean(ends[1])


def find_quantities(text: str, *, reference: dt.date | None = None) -> list[Match]:
    """Every quantity and date expression in free text, in order, each with its span and value (or error).

    `reference` gives the year of dates written without one ("Thursday, February 29"): usually the appearance's
    date. Dates joined by commas and "and" ("March 2006, February 2007, and February 2010") are one match with
    one part per date.
    """
    atoms = _atoms(text, reference)
    matches: list[Match] = []
    i = 0
    while i < len(atoms):
        atom = atoms[i]
        second = atoms[i + 1] if i + 1 < len(atoms) else None
        pair = None
        if second is not None and atom.error is None and second.error is None:
            join = _RANGE_JOIN.match(text[atom.end : second.start])
            opener = _RANGE_OPENER.search(text, max(0, atom.start - _LOOKBEHIND), atom.start)
            # "and" joins a range only after "between": "2,000 companies and 7,000 jobs" are two figures.
            if join and ((join["word"] or "").lower() != "and" or (opener and opener["word"].lower() == "between")):
                pair = (atom, second, opener)
        if pair is not None and (match := _range_match(text, *pair)) is not None:
            matches.append(match)
            i += 2
            continue
        if (match := _single_match(text, atom)) is not None:
            matches.append(match)
        i += 1
    return _merge_date_lists(text, matches)


def _range_match(text: str, first: _Atom, second: _Atom, opener: re.Match[str] | None) -> Match | None:
    start = opener.start("word") if opener else first.start
    end = second.end
    years = _is_year(first) and (_is_year(second) or re.fullmatch(r"\d\d", text[second.start : second.end]))
    # Two years are a span of years after "from" or a date word, or with no noun after them: "between 1900 and
    # 2000 people" is a count.
    if years and not (
        (opener and opener["word"].lower() == "from")
        or _DATE_WORD_BEFORE.search(text, max(0, start - _LOOKBEHIND), start)
        or not _unit_after(text, end)
    ):
        years = False
    if years:
        assert first.number is not None
        assert second.number is not None
        low_year, high_year = int(first.number), int(second.number)
        if high_year < 100:  # "2014-15"
            high_year += low_year - low_year % 100
        if high_year < low_year:
            return _error(text, start, end, f"The range is inverted: {low_year} is after {high_year}.")
        return _found(text, start, end, _year_interval(low_year, high_year))
    if first.kind == "date" or second.kind == "date":
        first, second = (_as_year_date(a) if _is_year(a) else a for a in (first, second))
        if not (first.kind == second.kind == "date" and first.date and second.date):
            return None
        low, high = first.date, second.date
        if high.high <= low.low:  # type: ignore[operator]
            return _error(text, start, end, f"The range is inverted: {low.low} is after {high.low}.")
        precision = max(low.precision, high.precision, key=[DAY, MONTH, YEAR].index)
        value = Parsed(DATE, low.low, high.high, True, False, BETWEEN, precision=precision)
        return _found(text, start, end, value)
    if first.kind != "number" or second.kind != "number":
        return None
    assert first.number is not None
    assert second.number is not None
    low_number, high_number = first.number, second.number
    if second.scaled and not first.scaled and low_number < high_number:
        # "2 to 3 million": the scale written once applies to both ends.
        scale = high_number / _unscaled(text, second)
        low_number *= scale
    unit = first.unit or second.unit or _unit_after(text, end)
    if low_number > high_number:
        return _error(text, start, end, f"The range is inverted: {_clean(low_number)} is above {_clean(high_number)}.")
    low, high = _quantity(low_number, high_number, RULE_BY_QUALIFIER[BETWEEN])
    return _found(text, start, end, Parsed(QUANTITY, low, high, True, True, BETWEEN, unit=unit), checked=True)


def _unscaled(text: str, atom: _Atom) -> Decimal:
    m = _ATOM.match(text, atom.start)
    assert m is not None
    if m["digits"]:
        return Decimal(re.sub(r"[,\s\u00a0\u202f]", "", m["digits"]))
    words = (m["words"] or m["half"] or "").lower()
    return _words_value(re.sub(rf"\b(?:{_SCALE_WORD})\b", "", words)) or Decimal(1)


def _single_match(text: str, atom: _Atom) -> Match | None:
    if atom.error is not None:
        return _error(text, atom.start, atom.end, atom.error)
    if atom.kind == "date":
        assert atom.date is not None
        return _found(text, atom.start, atom.end, atom.date)
    assert atom.number is not None
    if atom.kind == "vague":
        rule = RULE_BY_QUALIFIER[VAGUE]
        low, high = _quantity(atom.number, None, rule)
        unit = _unit_after(text, atom.end)
        return _found(text, atom.start, atom.end, Parsed(QUANTITY, low, high, True, False, VAGUE, unit=unit))
    start, end, qualifier = atom.start, atom.end, EXACT
    # The longest phrase wins: "no more than" (at most) over "more than".
    for name, pattern in _BEFORE.items():
        if (m := pattern.search(text, max(0, atom.start - _LOOKBEHIND), atom.start)) and m.start() < start:
            start, qualifier = m.start(), name
    if atom.at_least and qualifier == EXACT:
        qualifier = AT_LEAST
    for name, pattern in _AFTER.items():
        if qualifier == EXACT and (m := pattern.match(text[end:])):
            end, qualifier = end + m.end(), name
            break
    if qualifier == EXACT and atom.weak and not _unit_after(text, end):
        return None
    if (
        qualifier == EXACT
        and _is_year(atom)
        and (_DATE_WORD_BEFORE.search(text, max(0, atom.start - _LOOKBEHIND), atom.start) or not _unit_after(text, end))
    ):
        return _found(text, atom.start, atom.end, _year_interval(int(atom.number), int(atom.number)))
    rule = RULE_BY_QUALIFIER[qualifier]
    low, high = _quantity(atom.number, None, rule)
    value = Parsed(
        QUANTITY,
        low,
        high,
        rule.low_inclusive,
        rule.high_inclusive,
        qualifier,
        unit=atom.unit or _unit_after(text, end),
    )
    return _found(text, start, end, value, checked=True)


def _found(text: str, start: int, end: int, value: Parsed, *, checked: bool = False) -> Match:
    if checked:
        for number in (value.low, value.high):
            if isinstance(number, Decimal) and abs(number) >= MAX_QUANTITY:
                return _error(text, start, end, f"{number:,} is too large: values must be below {MAX_QUANTITY:,}.")
    words = text[start:end]
    return Match(start, end, words, replace(value, text=words))


def _error(text: str, start: int, end: int, message: str) -> Match:
    return Match(start, end, text[start:end], None, message)


def _merge_date_lists(text: str, matches: list[Match]) -> list[Match]:
    merged: list[Match] = []
    for match in matches:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and previous.value is not None
            and match.value is not None
            and previous.value.kind == match.value.kind == DATE
            and _LIST_JOIN.match(text[previous.end : match.start])
        ):
            parts = previous.value.parts or (previous.value,)
            merged[-1] = _found(text, previous.start, match.end, _hull((*parts, match.value)))
        else:
            merged.append(match)
    return merged


def _hull(parts: tuple[Parsed, ...]) -> Parsed:
    precision = max((p.precision for p in parts), key=[DAY, MONTH, YEAR].index)
    low = min(p.low for p in parts)  # type: ignore[type-var]
    high = max(p.high for p in parts)  # type: ignore[type-var]
    return Parsed(DATE, low, high, True, False, BETWEEN, precision=precision, parts=parts)


# The public entry points ------------------------------------------------------------------------------------------


def parse(text: str, *, reference: dt.date | None = None) -> Parsed:
    """The one quantity or date that `text` states, as an interval.

    Words around the expression are allowed ("nearly a thousand Israeli citizens"); the noun right after a
    quantity becomes its unit. Raises ParseError when the text names no value, several quantities, a date that
    does not exist, or an inverted range. `reference` supplies the year of dates written without one.
    """
    matches = find_quantities(text, reference=reference)
    if not matches:
        raise ParseError(f"No quantity or date found in {text.strip()!r}.")
    for match in matches:
        if match.error is not None:
            raise ParseError(match.error)
    if len(matches) > 1:
        found = ", ".join(repr(m.text) for m in matches)
        raise ParseError(f"Several values found ({found}): give one expression at a time.")
    value = matches[0].value
    assert value is not None
    return value


def to_json(parsed: Parsed) -> dict[str, Any]:
    """The value as JSON: ends as strings (decimal or ISO date) or null when unbounded, and `parts` when the
    text names several values."""

    def end(value: Bound) -> str | None:
        if value is None:
            return None
        return value.isoformat() if isinstance(value, dt.date) else f"{value:f}"

    data: dict[str, Any] = {
        "kind": parsed.kind,
        "low": end(parsed.low),
        "high": end(parsed.high),
        "low_inclusive": parsed.low_inclusive,
        "high_inclusive": parsed.high_inclusive,
        "qualifier": parsed.qualifier,
        "unit": parsed.unit,
        "precision": parsed.precision,
        "weekday": parsed.weekday,
    }
    if parsed.parts:
        data["parts"] = [to_json(part) for part in parsed.parts]
    return data


def _interval(parsed: Parsed) -> str:
    def end(value: Bound) -> str:
        if value is None:
            return "∞"
        return value.isoformat() if isinstance(value, dt.date) else f"{value:,f}"

    low = ("[" if parsed.low_inclusive else "(") + end(parsed.low)
    return f"{low}, {end(parsed.high)}" + ("]" if parsed.high_inclusive else ")")


def rules_markdown() -> str:
    """The rules as the README shows them: every row's example parsed now, so the table cannot drift."""
    lines = [
        "| qualifier | words | interval | example | reads as | note |",
        "|---|---|---|---|---|---|",
    ]
    for rule in RULES:
        words = [*rule.before, *(f"X{w}" if w == "+" else f"X {w}" for w in rule.after)]
        if rule.qualifier == EXACT:
            words = ["(a figure alone)", *words]
        low = ("[" if rule.low_inclusive else "(") + rule.low
        high = rule.high + ("]" if rule.high_inclusive else ")")
        lines.append(
            f"| {rule.qualifier} | {', '.join(words)} | {low}, {high} | {rule.example} "
            f"| {_interval(parse(rule.example))} | {rule.note} |"
        )
    lines += [
        "",
        f"Dates (reference date {REFERENCE_EXAMPLE.isoformat()}):",
        "",
        "| form | example | reads as | precision | note |",
        "|---|---|---|---|---|",
    ]
    for form, example, note in DATE_RULES:
        value = parse(example, reference=REFERENCE_EXAMPLE)
        lines.append(f"| {form} | {example} | {_interval(value)} | {value.precision} | {note} |")
    return "\n".join(lines) + "\n"
