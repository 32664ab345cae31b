"""POST /api/v1/values/parse/: the parser over the API, for anyone, rate-limited, errors in the envelope."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

URL = "/api/v1/values/parse/"


def post(client: APIClient, body: object):
    return client.post(URL, body, format="json")


def test_an_anonymous_reader_parses_one_expression(anon_client):
    response = post(anon_client, {"expression": "nearly a thousand"})

    assert response.status_code == 200
    assert response.json() == {
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
    }


def test_the_reference_date_gives_the_year_of_a_date_without_one(anon_client):
    response = post(anon_client, {"expression": "Thursday, February 29", "reference_date": "2024-02-29"})

    assert response.status_code == 200
    body = response.json()
    assert (body["low"], body["high"], body["precision"], body["weekday"]) == (
        "2024-02-29",
        "2024-03-01",
        "day",
        "thursday",
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"expression": "between 500 and 300"}, "The range is inverted: 500 is above 300."),
        ({"expression": "hello"}, "No quantity or date found in 'hello'."),
        (
            {"expression": "Thursday, February 29", "reference_date": "2023-03-01"},
            "February 29 does not exist in 2023 (the year taken from the reference date): 2023 is not a leap year.",
        ),
    ],
    ids=["inverted", "no-value", "leap-day"],
)
def test_one_expression_that_cannot_be_read_is_a_400_naming_the_field(anon_client, body, message):
    response = post(anon_client, body)

    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "expression", "code": "invalid", "message": message}]


def test_a_list_answers_200_with_a_value_or_an_error_per_item_in_order(anon_client):
    response = post(anon_client, {"expressions": ["over a thousand", "February 30", "in March 2008 and May 2009"]})

    assert response.status_code == 200
    first, second, third = response.json()["results"]
    assert (first["expression"], first["low"], first["high"], first["qualifier"]) == (
        "over a thousand",
        "1000",
        None,
        "more_than",
    )
    assert second == {
        "expression": "February 30",
        "error": "February 30 is not a date: February has at most 29 days.",
    }
    assert [(p["low"], p["high"]) for p in third["parts"]] == [
        ("2008-03-01", "2008-04-01"),
        ("2009-05-01", "2009-06-01"),
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "expression"),
        ({"expression": "5", "expressions": ["6"]}, "expression"),
        ({"expressions": []}, "expressions"),
        ({"expressions": ["5"] * 101}, "expressions"),
        ({"expressions": ["5", "x" * 501]}, "expressions.1"),
        ({"expression": "x" * 501}, "expression"),
        ({"expression": ""}, "expression"),
        ({"expression": 5}, None),  # DRF reads a JSON number as its text: "5" parses
        ({"expression": "5", "reference_date": "29/02/2024"}, "reference_date"),
    ],
    ids=["nothing", "both", "empty-list", "too-many", "item-too-long", "too-long", "blank", "number", "bad-date"],
)
def test_a_malformed_body_is_a_400_naming_the_field(anon_client, body, field):
    response = post(anon_client, body)

    if field is None:
        assert response.status_code == 200
        return
    assert response.status_code == 400
    assert field in {error["field"] for error in response.json()["errors"]}


def test_it_is_open_to_the_desk_too(editor_client):
    assert post(editor_client, {"expression": "12,000"}).json()["low"] == "12000"


def test_it_reads_no_data_and_makes_no_query_but_the_rate_counter(anon_client, settings, django_assert_num_queries):
    settings.API_ANON_RATE = "100/minute"
    # 1. the anonymous address's rate counter (accounts.throttling): one upsert
    with django_assert_num_queries(1):
        assert post(anon_client, {"expressions": ["12,000", "February 2019"]}).status_code == 200


def test_anonymous_callers_are_rate_limited(anon_client, settings):
    settings.API_ANON_RATE = "2/minute"

    codes = [post(anon_client, {"expression": "12"}).status_code for _ in range(3)]

    assert codes == [200, 200, 429]
