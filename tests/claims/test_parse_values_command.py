"""`manage.py parse_values` reads expressions from stdin and writes one JSON object per line."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command


def run(text: str, *args: str) -> list[dict]:
    out = io.StringIO()
    call_command("parse_values", *args, stdin=io.StringIO(text), stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_it_writes_one_object_per_expression_and_skips_blank_lines():
    assert run("nearly a thousand\n\n   \nover a thousand\n") == [
        {
            "expression": "nearly a thousand",
            "kind": "quantity",
            "low": "900",
            "high": "1000",
            "low_inclusive": True,
            "high_inclusive": False,
            "qualifier": "nearly",
            "unit": "",
            "precision": "",
            "weekday": None,
        },
        {
            "expression": "over a thousand",
            "kind": "quantity",
            "low": "1000",
            "high": None,
            "low_inclusive": False,
            "high_inclusive": False,
            "qualifier": "more_than",
            "unit": "",
            "precision": "",
            "weekday": None,
        },
    ]


def test_it_writes_an_error_for_a_line_it_cannot_read_and_goes_on():
    assert run("between 500 and 300\nhello\n12,000\n") == [
        {"expression": "between 500 and 300", "error": "The range is inverted: 500 is above 300."},
        {"expression": "hello", "error": "No quantity or date found in 'hello'."},
        {**run("12,000")[0], "expression": "12,000"},
    ]
    assert run("12,000")[0]["low"] == "12000"


def test_the_reference_date_gives_the_year_and_the_weekday_is_kept():
    (value,) = run("Thursday, February 29\n", "--reference-date", "2024-02-29")

    assert (value["low"], value["high"], value["precision"], value["weekday"]) == (
        "2024-02-29",
        "2024-03-01",
        "day",
        "thursday",
    )


def test_without_a_reference_date_a_date_without_a_year_is_an_error():
    (value,) = run("Thursday, February 29\n")

    assert "names no year" in value["error"]


def test_a_leap_day_in_a_common_reference_year_is_an_error_that_says_so():
    (value,) = run("Thursday, February 29\n", "--reference-date", "2023-06-01")

    assert value["error"] == (
        "February 29 does not exist in 2023 (the year taken from the reference date): 2023 is not a leap year."
    )


def test_a_list_of_dates_gives_its_parts():
    (value,) = run("in March 2008 and May 2009\n")

    assert [(part["low"], part["high"]) for part in value["parts"]] == [
        ("2008-03-01", "2008-04-01"),
        ("2009-05-01", "2009-06-01"),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "12,000",
        "1.2 million",
        "1,200+",
        "twelve thousand",
        "a thousand",
        "a dozen",
        "exactly 5",
        "about 5",
        "around 5",
        "approximately 5",
        "roughly 5",
        "nearly 5",
        "almost 5",
        "close to 5",
        "over 5",
        "more than 5",
        "at least 5",
        "upwards of 5",
        "up to 5",
        "at most 5",
        "under 5",
        "fewer than 5",
        "less than 5",
        "between 5 and 7",
        "5 to 7",
        "5-7",
        "dozens",
        "scores of people",
        "hundreds",
        "thousands",
        "tens of thousands",
        "hundreds of thousands",
        "millions",
        "Thursday, February 29",
        "February 2019",
        "in March 2008 and May 2009",
        "from 2007 to 2011",
        "January 2017",
        "2024-02-29",
    ],
)
def test_it_reads_every_expression_the_issue_lists(line):
    (value,) = run(line + "\n", "--reference-date", "2024-02-29")

    assert "error" not in value
    assert value["expression"] == line


def test_a_bad_reference_date_is_refused():
    with pytest.raises(CommandError, match="--reference-date: give an ISO date"):
        run("12\n", "--reference-date", "29/02/2024")
