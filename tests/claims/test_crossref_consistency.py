"""Internal consistency of a claim's values: the words against the stored interval and the claim's date."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.postgres.fields.ranges import DateRange

from claims.crossref.consistency import claim_warnings, reference_date, value_warnings
from claims.services import claim_create, claim_values_set


def day_value(expression: str, day: str) -> dict[str, Any]:
    first = dt.date.fromisoformat(day)
    return {
        "kind": "date",
        "expression": expression,
        "low": first.isoformat(),
        "high": (first + dt.timedelta(days=1)).isoformat(),
        "low_inclusive": True,
        "high_inclusive": False,
        "precision": "day",
    }


def quantity(expression: str, low: str | None, high: str | None, bounds: str = "[)") -> dict[str, Any]:
    return {
        "kind": "quantity",
        "expression": expression,
        "low": low,
        "high": high,
        "low_inclusive": bounds[0] == "[",
        "high_inclusive": bounds[1] == "]",
    }


def codes(value: dict[str, Any], reference: dt.date | None) -> list[str]:
    return [warning["code"] for warning in value_warnings(value, reference)]


@pytest.mark.parametrize(
    ("value", "reference", "expected"),
    [
        pytest.param(day_value("Thursday, February 29", "2024-02-29"), dt.date(2024, 2, 29), [], id="right-in-2024"),
        pytest.param(
            day_value("Thursday, February 29", "2023-02-28"),
            dt.date(2023, 3, 1),
            ["impossible_date"],
            id="no-29-in-2023",
        ),
        pytest.param(
            day_value("Friday, February 29", "2024-02-29"),
            dt.date(2024, 3, 1),
            ["weekday_mismatch"],
            id="wrong-weekday",
        ),
        pytest.param(
            day_value("Thursday, February 29", "2024-02-29"),
            dt.date(2023, 6, 1),
            ["date_after_claim", "impossible_date"],
            id="claim-made-in-2023",
        ),
        pytest.param(day_value("29 February 2024", "2024-03-01"), None, ["words_disagree"], id="stored-the-wrong-day"),
        pytest.param(quantity("nearly a thousand", "900", "1000"), None, [], id="nearly-a-thousand-agrees"),
        pytest.param(
            quantity("nearly a thousand", "1000", None, "()"), None, ["words_disagree"], id="nearly-stored-as-over"
        ),
        pytest.param(quantity("between 500 and 300", "300", "500", "[]"), None, ["inverted_range"], id="inverted"),
        pytest.param(quantity("the toll rose", "10", "20"), None, [], id="unreadable-words-are-not-checked"),
        pytest.param(
            {**quantity("over ten", "10", None, "()"), "as_of": "2024-03-05"},
            dt.date(2024, 2, 29),
            ["as_of_after_claim"],
            id="as-of-after-the-claim",
        ),
    ],
)
def test_value_warnings(value, reference, expected):
    assert codes(value, reference) == expected


def test_the_weekday_warning_names_the_real_weekday():
    [warning] = value_warnings(day_value("Friday, February 29", "2024-02-29"), dt.date(2024, 3, 1))

    assert warning["message"] == "“Friday, February 29”: 29 February 2024 was a Thursday, not a Friday."


def test_the_reference_is_the_claim_date_else_the_first_appearance():
    assert reference_date({"claim_date": "2024-02-29", "first_appearance": {"published_on": "2024-03-01"}}) == (
        dt.date(2024, 2, 29)
    )
    assert reference_date({"claim_date": None, "first_appearance": {"published_on": "2024-03-01"}}) == (
        dt.date(2024, 3, 1)
    )
    assert reference_date({"claim_date": None, "first_appearance": None}) is None


def test_claim_warnings_point_at_their_value():
    claim = {
        "claim_date": "2024-03-01",
        "values": [quantity("over ten", "10", None, "()"), day_value("Friday, February 29", "2024-02-29")],
    }

    assert [(warning["value"], warning["code"]) for warning in claim_warnings(claim)] == [(1, "weekday_mismatch")]


@pytest.fixture
def misdated(db, editor):
    """A claim of 1 March 2024 saying the talks opened on "Friday, February 29" (a Thursday)."""
    claim = claim_create(
        actor=editor, statement="The talks opened on Friday, February 29.", claim_date=dt.date(2024, 3, 1)
    )
    claim_values_set(
        claim=claim,
        values=[
            {
                "kind": "date",
                "expression": "Friday, February 29",
                "dates": DateRange(dt.date(2024, 2, 29), dt.date(2024, 3, 1), "[)"),
                "precision": "day",
            }
        ],
    )
    return claim


def test_the_claim_detail_carries_the_warnings(misdated, editor_client):
    body = editor_client.get(f"/api/v1/claims/{misdated.pk}/").json()

    assert [(warning["value"], warning["code"]) for warning in body["warnings"]] == [(0, "weekday_mismatch")]


def test_the_admin_claim_page_shows_the_warnings(misdated, client, editor):
    client.force_login(editor)

    response = client.get(f"/admin/claims/claim/{misdated.pk}/change/")

    assert "29 February 2024 was a Thursday, not a Friday." in response.content.decode()
