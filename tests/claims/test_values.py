"""claims.values reads quantity and date expressions as the intervals the demo data and ClaimValue use, case by case."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest

from claims import values
from claims.models import ClaimValue, DatePrecision, ValueQualifier
from claims.values import ParseError, find_quantities, parse, to_json

D = Decimal
INF = None
ARTICLE_DATE = dt.date(2024, 2, 29)


def q(low, high, bounds, qualifier, unit=""):
    """A quantity as the tests state it: ends, "[)"-style bounds, qualifier, unit."""
    return (
        "quantity",
        None if low is None else D(low),
        None if high is None else D(high),
        bounds,
        qualifier,
        unit,
    )


def d(low, high, precision, qualifier="exact"):
    return ("date", dt.date.fromisoformat(low), dt.date.fromisoformat(high), "[)", qualifier, precision)


def shape(value):
    bounds = ("[" if value.low_inclusive else "(") + ("]" if value.high_inclusive else ")")
    last = value.precision if value.kind == "date" else value.unit
    return (value.kind, value.low, value.high, bounds, value.qualifier, last)


QUANTITIES = [
    # Digits, separators, decimals, scales, currencies, percentages
    ("12,000", q(12000, 12000, "[]", "exact")),
    ("12 000", q(12000, 12000, "[]", "exact")),
    ("1.2 million", q(1200000, 1200000, "[]", "exact")),
    ("1,200+", q(1200, INF, "[)", "at_least")),
    ("3.5bn", q(3500000000, 3500000000, "[]", "exact")),
    ("$4 billion", q(4000000000, 4000000000, "[]", "exact", "USD")),
    ("$5m", q(5000000, 5000000, "[]", "exact", "USD")),
    ("12k", q(12000, 12000, "[]", "exact")),
    ("40%", q(40, 40, "[]", "exact", "percent")),
    ("40 per cent", q(40, 40, "[]", "exact", "percent")),
    ("0.5", q("0.5", "0.5", "[]", "exact")),
    ("10kg", q(10, 10, "[]", "exact", "kg")),
    # Number words
    ("twelve thousand", q(12000, 12000, "[]", "exact")),
    ("a thousand", q(1000, 1000, "[]", "exact")),
    ("a dozen", q(12, 12, "[]", "exact")),
    ("two dozen", q(24, 24, "[]", "exact")),
    ("two hundred and fifty", q(250, 250, "[]", "exact")),
    ("twenty-five", q(25, 25, "[]", "exact")),
    ("one hundred thousand", q(100000, 100000, "[]", "exact")),
    ("half a million", q(500000, 500000, "[]", "exact")),
    ("three-day", q(3, 3, "[]", "exact", "days")),
    ("3-day", q(3, 3, "[]", "exact", "days")),
    ("twice", q(2, 2, "[]", "exact", "times")),
    # Qualifiers before the figure
    ("exactly 12", q(12, 12, "[]", "exact")),
    ("about 1,000", q(900, 1100, "[]", "about")),
    ("around 500", q(450, 550, "[]", "about")),
    ("approximately 20", q(18, 22, "[]", "about")),
    ("roughly 30", q(27, 33, "[]", "about")),
    ("some 400", q(360, 440, "[]", "about")),
    ("about 1.2 million", q(1080000, 1320000, "[]", "about")),
    ("nearly a thousand", q(900, 1000, "[)", "nearly")),
    ("almost 50", q(45, 50, "[)", "nearly")),
    ("close to $2 billion", q(1800000000, 2000000000, "[)", "nearly", "USD")),
    ("over a thousand", q(1000, INF, "()", "more_than")),
    ("over ten", q(10, INF, "()", "more_than")),
    ("more than 12,000", q(12000, INF, "()", "more_than")),
    ("upwards of 300", q(300, INF, "()", "more_than")),
    ("at least 5", q(5, INF, "[)", "at_least")),
    ("at least one", q(1, INF, "[)", "at_least")),
    ("no fewer than 40", q(40, INF, "[)", "at_least")),
    ("up to 300", q(0, 300, "[]", "at_most")),
    ("at most 4", q(0, 4, "[]", "at_most")),
    ("no more than 7", q(0, 7, "[]", "at_most")),
    ("under 18", q(0, 18, "[)", "less_than")),
    ("fewer than 50", q(0, 50, "[)", "less_than")),
    ("less than 5%", q(0, 5, "[)", "less_than", "percent")),
    # Qualifiers after the figure
    ("10 or more", q(10, INF, "[)", "at_least")),
    ("10 or fewer", q(0, 10, "[]", "at_most")),
    ("500 plus", q(500, INF, "()", "more_than")),
    # Ranges
    ("between 500 and 700", q(500, 700, "[]", "between")),
    ("500 to 700", q(500, 700, "[]", "between")),
    ("from 500 to 700", q(500, 700, "[]", "between")),
    ("5-11", q(5, 11, "[]", "between")),
    ("2 to 3 million", q(2000000, 3000000, "[]", "between")),
    ("5-10%", q(5, 10, "[]", "between", "percent")),
    ("between 1900 and 2000 people", q(1900, 2000, "[]", "between", "people")),
    # Vague amounts: [2U, 10U)
    ("dozens", q(24, 120, "[)", "vague")),
    ("scores of people", q(40, 200, "[)", "vague", "people")),
    ("hundreds", q(200, 1000, "[)", "vague")),
    ("thousands", q(2000, 10000, "[)", "vague")),
    ("tens of thousands", q(20000, 100000, "[)", "vague")),
    ("hundreds of thousands", q(200000, 1000000, "[)", "vague")),
    ("millions", q(2000000, 10000000, "[)", "vague")),
    ("several hundred", q(200, 1000, "[)", "vague")),
    # Units: the plain noun after the figure
    ("12,000 terrorists", q(12000, 12000, "[]", "exact", "terrorists")),
    ("dozens of casualties", q(24, 120, "[)", "vague", "casualties")),
    ("2000 people", q(2000, 2000, "[]", "exact", "people")),
    ("nearly a thousand Israeli citizens", q(900, 1000, "[)", "nearly")),  # a capitalised word is no unit
    ("12,000 were killed", q(12000, 12000, "[]", "exact")),  # nor is a function word
]

DATES = [
    ("Thursday, February 29", d("2024-02-29", "2024-03-01", "day")),
    ("February 29", d("2024-02-29", "2024-03-01", "day")),
    ("29 February 2024", d("2024-02-29", "2024-03-01", "day")),
    ("the 29th of February 2024", d("2024-02-29", "2024-03-01", "day")),
    ("Feb. 29, 2024", d("2024-02-29", "2024-03-01", "day")),
    ("February 29th, 2024", d("2024-02-29", "2024-03-01", "day")),
    ("2024-02-29", d("2024-02-29", "2024-03-01", "day")),
    ("October 7", d("2023-10-07", "2023-10-08", "day")),  # in the year of the reference date
    ("December 30", d("2023-12-30", "2023-12-31", "day")),  # >183 days ahead of it: the year before
    ("February 2019", d("2019-02-01", "2019-03-01", "month")),
    ("January 2017", d("2017-01-01", "2017-02-01", "month")),
    ("Sept. 2001", d("2001-09-01", "2001-10-01", "month")),
    ("in 2019", d("2019-01-01", "2020-01-01", "year")),
    ("2019", d("2019-01-01", "2020-01-01", "year")),
    ("the 1990s", d("1990-01-01", "2000-01-01", "year")),
    ("from 2007 to 2011", d("2007-01-01", "2012-01-01", "year", "between")),
    ("between 2007 and 2011", d("2007-01-01", "2012-01-01", "year", "between")),
    ("in 2014-2015", d("2014-01-01", "2016-01-01", "year", "between")),
    ("2014-15", d("2014-01-01", "2016-01-01", "year", "between")),
    ("from March 2008 to May 2009", d("2008-03-01", "2009-06-01", "month", "between")),
    ("in March 2008 and May 2009", d("2008-03-01", "2009-06-01", "month", "between")),
]


@pytest.mark.parametrize(("text", "expected"), QUANTITIES + DATES, ids=[t for t, _ in QUANTITIES + DATES])
def test_it_reads_the_expression_as_the_interval(text, expected):
    assert shape(parse(text, reference=ARTICLE_DATE)) == expected


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("in March 2008 and May 2009", [("2008-03-01", "2008-04-01"), ("2009-05-01", "2009-06-01")]),
        (
            "March 2006, February 2007, and February 2010",
            [("2006-03-01", "2006-04-01"), ("2007-02-01", "2007-03-01"), ("2010-02-01", "2010-03-01")],
        ),
        ("on 7 October 2023 or 8 October 2023", [("2023-10-07", "2023-10-08"), ("2023-10-08", "2023-10-09")]),
    ],
    ids=["two-months", "three-months", "two-days"],
)
def test_it_gives_each_date_of_a_list_as_a_part(text, parts):
    value = parse(text)

    assert [(p.low.isoformat(), p.high.isoformat()) for p in value.parts] == parts
    assert (value.low, value.high, value.qualifier) == (value.parts[0].low, value.parts[-1].high, "between")


def test_it_keeps_the_weekday_named_without_judging_it():
    assert parse("Thursday, February 29", reference=ARTICLE_DATE).weekday == "thursday"
    assert parse("Friday, February 29", reference=ARTICLE_DATE).weekday == "friday"  # checked elsewhere
    assert parse("February 29", reference=ARTICLE_DATE).weekday is None


ERRORS = [
    ("hello", None, "No quantity or date found in 'hello'"),
    ("", None, "No quantity or date found"),
    ("February 30", ARTICLE_DATE, "February 30 is not a date: February has at most 29 days"),
    ("April 31, 2024", None, "April 31 is not a date"),
    ("2023-02-29", None, "February 29 does not exist in 2023: 2023 is not a leap year"),
    ("Thursday, February 29", dt.date(2023, 5, 1), "does not exist in 2023 (the year taken from the reference date)"),
    ("Thursday, February 29", None, "names no year: give a reference date"),
    ("2024-13-01", None, "13 is not a month"),
    ("between 500 and 300", None, "The range is inverted: 500 is above 300"),
    ("700 to 300", None, "The range is inverted: 700 is above 300"),
    ("from 2011 to 2007", None, "The range is inverted: 2011 is after 2007"),
    ("from May 2009 to March 2008", None, "The range is inverted"),
    ("10000000000000000", None, "is too large: values must be below 1,000,000,000,000,000"),
    ("1,000 trillion", None, "1,000,000,000,000,000 is too large"),
    ("$2 trillion and 3,000 jobs", None, "Several values found ('$2 trillion', '3,000')"),
]


@pytest.mark.parametrize(("text", "reference", "message"), ERRORS, ids=[e[0] or "blank" for e in ERRORS])
def test_it_refuses_with_a_clear_message(text, reference, message):
    with pytest.raises(ParseError, match=re.escape(message)):
        parse(text, reference=reference)


def test_a_parse_error_is_a_value_error():
    assert issubclass(ParseError, ValueError)


# Free text: the seed article's sentences (inlined; the tests do not read the file) ----------------------------------

ARTICLE = [
    (
        "On Thursday, February 29, Palestinian factions have begun a three-day meeting in Moscow in order to achieve "
        "a reconciliation and push for an end to the current war in Gaza.",
        [
            ("Thursday, February 29", d("2024-02-29", "2024-03-01", "day")),
            ("three-day", q(3, 3, "[]", "exact", "days")),
        ],
    ),
    (
        "The factions condemned an attack by Israeli forces that took place several hours ago on the outskirts of Gaza "
        "City, resulting in dozens of casualties, referring to the tragic incident on Al-Rasheed Street in Gaza.",
        [("dozens", q(24, 120, "[)", "vague", "casualties"))],
    ),
    (
        "Representatives from over ten organizations have arrived for negotiations.",
        [("over ten", q(10, INF, "()", "more_than", "organizations"))],
    ),
    (
        "The Moscow meeting of representatives from leading Palestinian factions is taking place against the backdrop "
        "of an ongoing war that began after mass incursions by terrorists from Gaza into Israeli territory, resulting "
        "in the deaths of nearly a thousand Israeli citizens and soldiers. The IDF is conducting a military operation "
        "in the Gaza Strip, killing more than 12,000 terrorists. According to Hamas's Ministry of Health, tens of "
        "thousands of sector residents have died.",
        [
            ("nearly a thousand", q(900, 1000, "[)", "nearly")),
            ("more than 12,000", q(12000, INF, "()", "more_than", "terrorists")),
            ("tens of\nthousands".replace("\n", " "), q(20000, 100000, "[)", "vague", "sector")),
        ],
    ),
    (
        'The previous "inter-Palestinian meeting," initiated by the Russian Ministry of Foreign Affairs, took place in '
        "February 2019.",
        [("February 2019", d("2019-02-01", "2019-03-01", "month"))],
    ),
    (
        "Khaled Mashal, who led the Hamas politburo for many years, visited Moscow in March 2006, February 2007, and "
        "February 2010. Russian Foreign Minister Sergey Lavrov met with Mashal twice in Damascus \u2013 "
        "in March 2008 and May 2009. From 2007 to 2011, a representative of the Hamas leadership, Osama Hamdan, "
        "repeatedly visited Moscow. In January 2017, Lavrov called representatives respected guests.",
        [
            ("March 2006, February 2007, and February 2010", d("2006-03-01", "2010-03-01", "month", "between")),
            ("twice", q(2, 2, "[]", "exact", "times")),
            ("March 2008 and May 2009", d("2008-03-01", "2009-06-01", "month", "between")),
            ("From 2007 to 2011", d("2007-01-01", "2012-01-01", "year", "between")),
            ("January 2017", d("2017-01-01", "2017-02-01", "month")),
        ],
    ),
    (
        "Despite the tragic events of the October 7 attack when Hamas terrorists and other groups launched an attack "
        "on Israeli territory, killing over a thousand people and kidnapping hundreds of civilians, the Russian "
        "Foreign Ministry has repeatedly hosted Hamas delegations.",
        [
            ("October 7", d("2023-10-07", "2023-10-08", "day")),
            ("over a thousand", q(1000, INF, "()", "more_than", "people")),
            ("hundreds", q(200, 1000, "[)", "vague", "civilians")),
        ],
    ),
    ("Moscow takes credit for the release of some Russian citizens who were held hostage by terrorists in Gaza.", []),
]


@pytest.mark.parametrize(("sentence", "expected"), ARTICLE, ids=[f"article-{i}" for i in range(len(ARTICLE))])
def test_it_finds_every_value_in_the_seed_articles_sentences(sentence, expected):
    matches = find_quantities(sentence, reference=ARTICLE_DATE)

    assert [(m.text, shape(m.value)) for m in matches] == expected
    assert all(sentence[m.start : m.end] == m.text for m in matches)


@pytest.mark.parametrize(
    "sentence",
    [
        "COVID-19 vaccines do not alter DNA.",
        "The F-35 bombers arrive this fall.",
        "Wisconsin is one of the few states that does this.",
        "Elections in the 5th district.",
        "A 5G mast.",
    ],
)
def test_it_finds_nothing_in_names_ordinals_and_pronouns(sentence):
    assert find_quantities(sentence) == []


def test_free_text_keeps_an_impossible_date_as_an_error_with_its_span():
    (match,) = find_quantities("They met on February 30 in Cairo.")

    assert (match.text, match.value) == ("February 30", None)
    assert "is not a date" in match.error


def test_free_text_without_a_reference_date_flags_a_date_without_a_year():
    (match,) = find_quantities("The October 7 attack.")

    assert match.value is None
    assert "names no year" in match.error


# The JSON shape -----------------------------------------------------------------------------------------------------


def test_to_json_gives_ends_as_strings_and_null_for_unbounded():
    assert to_json(parse("over a thousand")) == {
        "kind": "quantity",
        "low": "1000",
        "high": None,
        "low_inclusive": False,
        "high_inclusive": False,
        "qualifier": "more_than",
        "unit": "",
        "precision": "",
        "weekday": None,
    }


def test_to_json_gives_dates_as_iso_and_parts_for_lists():
    data = to_json(parse("in March 2008 and May 2009"))

    assert (data["low"], data["high"], data["precision"]) == ("2008-03-01", "2009-06-01", "month")
    assert [(p["low"], p["high"]) for p in data["parts"]] == [
        ("2008-03-01", "2008-04-01"),
        ("2009-05-01", "2009-06-01"),
    ]
    assert "parts" not in data["parts"][0]


def test_to_json_never_writes_an_exponent():
    assert to_json(parse("3.5bn"))["low"] == "3500000000"
    assert to_json(parse("about 0.5"))["low"] == "0.45"


# The rules and the model ------------------------------------------------------------------------------------------


def test_its_choice_values_are_the_models():
    assert {values.QUANTITY, values.DATE} == set(ClaimValue.Kind.values)
    assert {rule.qualifier for rule in values.RULES} | {values.EXACT} == set(ValueQualifier.values)
    assert {values.DAY, values.MONTH, values.YEAR} == set(DatePrecision.values)


@pytest.mark.parametrize("rule", values.RULES, ids=[rule.qualifier for rule in values.RULES])
def test_every_rules_example_reads_with_that_rule(rule):
    value = parse(rule.example)

    assert value.qualifier == rule.qualifier
    assert (value.low_inclusive, value.high_inclusive) == (rule.low_inclusive, rule.high_inclusive)


@pytest.mark.parametrize(
    "rule",
    [r for r in values.RULES if r.qualifier not in ("between", "vague")],
    ids=lambda r: r.qualifier,
)
def test_every_word_of_a_rule_selects_it(rule):
    for word in rule.before:
        assert parse(f"{word} 40").qualifier == rule.qualifier, word
    for word in rule.after:
        assert parse(f"40{word}" if word == "+" else f"40 {word}").qualifier == rule.qualifier, word


def test_the_readme_shows_the_rules_table_as_the_code_has_it():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()

    assert values.rules_markdown() in readme


# Number ends, shared by the API and the admin ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "grouped", "expected"),
    [
        ("12", False, D(12)),
        ("  ", False, None),
        ("12,000", True, D(12000)),
        ("12 000", True, D(12000)),
        ("1.5", False, D("1.5")),
    ],
)
def test_number_end_reads_digits(text, grouped, expected):
    assert values.number_end(text, grouped=grouped) == expected


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        ("many", "invalid", "A valid number is required."),
        ("12,000", "invalid", "A valid number is required."),  # separators only when asked for
        ("Infinity", "not_finite", "A valid number is required."),
        ("NaN", "not_finite", "A valid number is required."),
        ("1e15", "too_large", "Must be below 1,000,000,000,000,000 in size."),
        ("-1e15", "too_large", "Must be below 1,000,000,000,000,000 in size."),
        ("0.1234567", "too_precise", "At most 6 decimal places."),
    ],
)
def test_number_end_refuses_what_cannot_be_stored(text, code, message):
    with pytest.raises(values.NumberError) as error:
        values.number_end(text)

    assert (error.value.code, str(error.value)) == (code, message)
