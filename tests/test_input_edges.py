"""Inputs found by review that once answered 500 (or hung a worker): each now gets a 4xx naming its field."""

from __future__ import annotations

import base64
import json

import pytest

from claims.api.google import fingerprint
from claims.claimreview.reading import ItemError, RatingMapper, parse_review
from claims.models import Claim, RatingScale
from claims.services.claimreview import claimreview_import
from tests.claims.test_claimreview_import import review

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("expression", ["December 0", "the 0000s", "the 9990s", "on 00 December"])
def test_the_parser_refuses_days_and_decades_that_do_not_exist(anon_client, expression):
    response = anon_client.post(
        "/api/v1/values/parse/", {"expression": expression, "reference_date": "2024-01-01"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "expression"


def test_a_list_of_impossible_expressions_gets_an_error_each(anon_client):
    response = anon_client.post(
        "/api/v1/values/parse/",
        {"expressions": ["December 0", "the 0000s"], "reference_date": "2024-01-01"},
        format="json",
    )

    assert response.status_code == 200
    assert all("error" in item for item in response.json()["results"])


def test_a_forged_page_token_with_a_huge_number_is_refused(anon_client):
    search = fingerprint({"query": "x"})
    token = base64.urlsafe_b64encode(json.dumps({"s": search, "k": 10**330, "id": 1}).encode()).decode().rstrip("=")

    response = anon_client.get("/v1alpha1/claims:search", {"query": "x", "pageToken": token})

    assert response.status_code == 400
    assert "pageToken" in response.json()["error"]["message"]


def test_an_import_dated_in_the_future_is_skipped_naming_the_date(editor):
    report = claimreview_import(payload=[review(1, datePublished="2099-01-01")], actor=editor)

    assert [(row["field"], row["message"]) for row in report.skipped] == [
        ("datePublished", "'2099-01-01' is in the future.")
    ]
    assert not Claim.objects.exists()


def test_a_claim_date_at_the_edge_of_time_is_skipped_naming_it(editor):
    item = review(1)
    item["itemReviewed"]["datePublished"] = "0001-01-01T00:00:00+14:00"

    report = claimreview_import(payload=[item], actor=editor)

    assert [row["field"] for row in report.skipped] == ["itemReviewed.datePublished"]


def test_an_absurd_rating_value_names_no_rating_at_once():
    scale = RatingScale.objects.get(is_default=True)
    mapper = RatingMapper(list(scale.ratings.select_related("scale")))
    item = review(1)
    item["reviewRating"] = {
        "@type": "Rating",
        "ratingValue": "1e999999999",
        "bestRating": scale.claimreview_best,
        "worstRating": scale.claimreview_worst,
    }

    with pytest.raises(ItemError):
        mapper.resolve(parse_review(0, item))


def test_merging_into_a_non_ascii_digit_is_a_message_not_a_500(client, editor):
    from claims.services import claim_create

    claim = claim_create(actor=editor, statement="A claim to merge.")
    client.force_login(editor)

    response = client.post(f"/admin/claims/claim/{claim.pk}/merge-duplicate/", {"of": "²"}, follow=True)

    assert response.status_code == 200
    assert "there is no claim" in response.content.decode()
