"""GET /v1alpha1/claims:search: Google's Fact Check Tools search, answered from published verdicts as approved."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from accounts.services import api_client_get_or_create, api_key_create
from claims import services
from claims.api.google import (
    OFFSET_MAX,
    PAGE_SIZE_MAX,
    decode_page_token,
    encode_page_token,
    host_regex,
    normalise_site,
)
from claims.models import Claim, CorrectionKind, Verdict
from claims.services.imports import ImportedReview, review_import
from sources.models import Source, SourceKind
from sources.services import source_create
from tests.factories import EditorFactory, default_rating

pytestmark = pytest.mark.django_db

URL = "/v1alpha1/claims:search"


# Pure helpers: no database ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "site"),
    [
        ("politifact.com", "politifact.com"),
        ("www.PolitiFact.com", "politifact.com"),
        ("https://www.politifact.com/factchecks/", "politifact.com"),
        ("politifact.com:443", "politifact.com"),
        ("factcheck.afp.com.", "factcheck.afp.com"),
        ("bücher.example", "xn--bcher-kva.example"),
    ],
)
def test_it_normalises_a_site_as_google_writes_publisher_site(given, site):
    assert normalise_site(given) == site


@pytest.mark.parametrize("given", ["", "not a host", "politifact..com", "-bad.com", "under_score.com", "http://"])
def test_it_refuses_what_is_no_host_name(given):
    with pytest.raises(ValueError, match="host name"):
        normalise_site(given)


@pytest.mark.parametrize(
    ("url", "matches"),
    [
        ("https://www.politifact.com/factchecks/2019/", True),
        ("https://politifact.com", True),
        ("http://POLITIFACT.COM:8080/x", True),
        ("https://user@politifact.com/x", True),
        ("https://notpolitifact.com/x", False),
        ("https://politifact.com.evil.example/x", False),
        ("https://evil.example/?u=https://politifact.com/", False),
        ("https://politifactXcom/", False),
    ],
)
def test_the_site_pattern_matches_the_site_and_its_subdomains_only(url, matches):
    import re

    # PostgreSQL's ARE and Python's re agree on this subset (no backreferences, classes or escapes beyond \.).
    assert bool(re.match(host_regex("politifact.com"), url, re.IGNORECASE)) is matches


def test_a_page_token_reads_back_as_the_position_it_encodes():
    moment = dt.datetime(2024, 2, 29, 12, 30, 15, 123456, tzinfo=dt.UTC)

    assert decode_page_token(encode_page_token("abc", 0.0607927, 42), "abc") == (0.0607927, 42)
    assert decode_page_token(encode_page_token("abc", moment, 7), "abc") == (moment, 7)


# Fixtures: claims published through the services -------------------------------------------------------------------


@pytest.fixture
def chief(db):
    return EditorFactory(username="chief-editor")


@pytest.fixture
def desk(editor, chief, fact_checker):
    """Publishes the desk's own verdicts (written by the fact-checker, approved by the editor, published by the
    chief) and imports other fact-checkers' reviews, all through the services."""

    class Desk:
        def claim(self, statement: str, **fields: Any) -> Claim:
            return services.claim_create(actor=fact_checker, statement=statement, **fields)

        def publish(self, statement: str, *, rating: str = "false", summary: str = "", **fields: Any) -> Claim:
            claim = self.claim(statement, **fields)
            services.claim_triage(claim=claim, actor=chief)
            services.claim_assign(claim=claim, actor=chief, assignee=fact_checker)
            services.evidence_add(
                claim=claim, actor=fact_checker, url="https://records.example.org/1", stance="refutes"
            )
            draft = services.verdict_draft(
                claim=claim, author=fact_checker, rating=default_rating(rating), summary=summary, explanation="Records."
            )
            services.verdict_submit(verdict=draft, actor=fact_checker)
            services.verdict_approve(verdict=draft, approver=editor)
            services.verdict_publish(verdict=draft, actor=chief)
            return claim

        def imported(self, statement: str, *, publisher: str, homepage: str, url: str, **fields: Any) -> Claim:
            source = Source.objects.filter(name=publisher).first() or source_create(
                actor=editor, name=publisher, kind=SourceKind.OUTLET, homepage=homepage
            )
            fields.setdefault("published_at", timezone.now() - dt.timedelta(days=1))
            review = ImportedReview(
                origin="claimreview",
                external_id=url,
                statement=statement,
                rating=default_rating(fields.pop("rating", "false")),
                publisher=source,
                review_url=url,
                **fields,
            )
            return review_import(review=review, actor=editor)[0]

    return Desk()


def search(client, **params: Any):
    return client.get(URL, params)


def texts(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [claim["text"] for claim in response.json()["claims"]]


# The answer's shape --------------------------------------------------------------------------------------------------


def test_it_answers_in_googles_shape(desk, anon_client, settings):
    settings.FACTCHECK_REVIEW_URL = "https://factcheck.example.org/claims/{id}"
    speaker = source_create(actor=None, name="A Minister", kind=SourceKind.PERSON)
    claim = desk.publish(
        "Unemployment fell by half in a year.",
        claimant=speaker,
        claim_date=dt.date(2024, 2, 29),
        language="en-GB",
        summary="It fell by a tenth.",
    )
    verdict = Verdict.objects.get(claim=claim)

    response = search(anon_client, query="unemployment")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "claims": [
            {
                "text": "Unemployment fell by half in a year.",
                "claimant": "A Minister",
                "claimDate": "2024-02-29T00:00:00Z",
                "claimReview": [
                    {
                        "publisher": {"name": "factcheck", "site": "factcheck.example.org"},
                        "url": f"https://factcheck.example.org/claims/{claim.pk}",
                        "title": "It fell by a tenth.",
                        "reviewDate": verdict.published_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                        "textualRating": "False",
                        "languageCode": "en-GB",
                    }
                ],
            }
        ]
    }


def test_it_leaves_out_what_it_does_not_know_as_google_does(desk, anon_client):
    desk.publish("Unemployment fell by half in a year.")

    (claim,) = search(anon_client, query="unemployment").json()["claims"]

    assert set(claim) == {"text", "claimReview"}
    assert set(claim["claimReview"][0]) == {"publisher", "url", "reviewDate", "textualRating", "languageCode"}


def test_without_a_public_site_the_review_url_is_the_apis_own(desk, anon_client, settings):
    settings.FACTCHECK_REVIEW_URL = ""
    claim = desk.publish("Unemployment fell by half in a year.")

    (found,) = search(anon_client, query="unemployment").json()["claims"]

    assert found["claimReview"][0]["url"].startswith("http://testserver/api/v1/claims/")
    assert f"/{claim.pk}/" in found["claimReview"][0]["url"]


def test_an_imported_review_keeps_its_publisher_address_and_wording(desk, anon_client):
    desk.imported(
        "Crime doubled in two years.",
        publisher="PolitiFact",
        homepage="https://www.politifact.com/",
        url="https://www.politifact.com/factchecks/2019/jan/01/crime/",
        textual_rating="Pants on Fire!",
        published_at=dt.datetime(2019, 1, 2, 12, 0, tzinfo=dt.UTC),
        claim_date=dt.date(2018, 12, 30),
    )

    (claim,) = search(anon_client, query="crime").json()["claims"]

    assert claim["claimDate"] == "2018-12-30T00:00:00Z"
    assert claim["claimReview"][0] | {"languageCode": None} == {
        "publisher": {"name": "PolitiFact", "site": "politifact.com"},
        "url": "https://www.politifact.com/factchecks/2019/jan/01/crime/",
        "reviewDate": "2019-01-02T12:00:00Z",
        "textualRating": "Pants on Fire!",
        "languageCode": None,
    }


# Readers see published claims as approved, and nothing else ----------------------------------------------------------


def test_it_finds_published_claims_only(desk, anon_client, fact_checker, editor):
    desk.publish("The zorblat harbour handled a million containers.")
    desk.claim("The zorblat bridge cost a billion.")  # new
    unpublished = desk.claim("The zorblat tunnel is the longest.")
    services.claim_triage(claim=unpublished, actor=editor)

    assert texts(search(anon_client, query="zorblat")) == ["The zorblat harbour handled a million containers."]


@pytest.mark.parametrize("client_name", ["anon_client", "editor_client"])
def test_everybody_searches_the_claim_as_approved_not_later_edits(request, client_name, desk, fact_checker):
    claim = desk.publish("The harbour handled a million containers.")
    services.claim_update(claim=claim, actor=fact_checker, statement="The qwvrewording harbour handled two million.")
    client = request.getfixturevalue(client_name)

    assert texts(search(client, query="qwvrewording")) == []
    assert texts(search(client, query="million")) == ["The harbour handled a million containers."]
    assert b"qwvrewording" not in search(client, query="harbour").content


def test_a_correction_in_review_shows_the_current_version_not_the_draft(desk, anon_client, chief):
    claim = desk.publish("The harbour handled a million containers.", summary="Fewer.")
    services.claim_reopen(
        claim=claim,
        actor=chief,
        correction_kind=CorrectionKind.UPDATE,
        correction_note="qwvnote",
        summary="qwvcorrection",
        explanation="A newer count.",
    )

    response = search(anon_client, query="harbour")

    assert [c["claimReview"][0]["title"] for c in response.json()["claims"]] == ["Fewer."]
    assert b"qwv" not in response.content


def test_a_withdrawn_verdict_reviews_nothing(desk, anon_client, chief, editor):
    claim = desk.publish("The harbour handled a million containers.")
    services.claim_reopen(
        claim=claim,
        actor=chief,
        correction_kind=CorrectionKind.VOID,
        correction_note="Withdrawn.",
        rating=None,
        explanation="The figure was never checkable.",
    )
    draft = Verdict.objects.drafts().get(claim=claim)
    services.verdict_approve(verdict=draft, approver=editor)
    services.verdict_publish(verdict=draft, actor=chief)

    assert Verdict.objects.current().get(claim=claim).rating is None
    assert texts(search(anon_client, query="harbour")) == []


# Filters -----------------------------------------------------------------------------------------------------------


def test_it_ranks_the_best_match_first(desk, anon_client):
    desk.publish("The harbour handled a million containers last year.")
    desk.publish("Harbour fees, harbour dues and harbour taxes all rose.")

    assert texts(search(anon_client, query="harbour"))[0] == "Harbour fees, harbour dues and harbour taxes all rose."


@pytest.mark.parametrize(
    ("language", "found"),
    [("en", {"en", "en-US"}), ("en-GB", {"en", "en-US"}), ("EN", {"en", "en-US"}), ("fr", {"fr"}), ("de", set())],
)
def test_the_language_filter_matches_the_language_not_the_region(desk, anon_client, language, found):
    for code in ("en", "en-US", "fr"):
        desk.publish(f"The harbour {code} handled a million containers.", language=code)

    listed = texts(search(anon_client, query="harbour", languageCode=language))

    assert {text.split()[2] for text in listed} == found


def test_the_language_filter_reads_the_language_as_approved(desk, anon_client, fact_checker):
    claim = desk.publish("The harbour handled a million containers.", language="en")
    services.claim_update(claim=claim, actor=fact_checker, language="fr")

    assert len(texts(search(anon_client, query="harbour", languageCode="en"))) == 1
    assert texts(search(anon_client, query="harbour", languageCode="fr")) == []


def test_the_publisher_site_filter_finds_the_publishers_reviews(desk, anon_client, settings):
    settings.FACTCHECK_ORG_URL = "https://www.our-desk.example/"
    desk.publish("Our harbour claim.")
    desk.imported(
        "Their harbour claim.",
        publisher="PolitiFact",
        homepage="https://www.politifact.com/",
        url="https://www.politifact.com/factchecks/1/",
    )
    desk.imported(
        "A harbour claim checked in France.",
        publisher="AFP Factuel",
        homepage="",
        url="https://factuel.afp.com/doc.afp.com.1",
    )

    assert texts(search(anon_client, reviewPublisherSiteFilter="politifact.com")) == ["Their harbour claim."]
    assert texts(search(anon_client, reviewPublisherSiteFilter="www.politifact.com")) == ["Their harbour claim."]
    assert texts(search(anon_client, reviewPublisherSiteFilter="afp.com")) == ["A harbour claim checked in France."]
    assert texts(search(anon_client, reviewPublisherSiteFilter="our-desk.example")) == ["Our harbour claim."]
    assert texts(search(anon_client, reviewPublisherSiteFilter="fact.com")) == []
    # With a query too: both must match.
    assert texts(search(anon_client, query="France", reviewPublisherSiteFilter="politifact.com")) == []
    sites = {c["claimReview"][0]["publisher"]["site"] for c in search(anon_client, query="harbour").json()["claims"]}
    assert sites == {"our-desk.example", "politifact.com", "factuel.afp.com"}


def test_max_age_counts_the_newer_of_the_claim_date_and_the_review_date(desk, anon_client):
    today = timezone.now().date()
    old = timezone.now() - dt.timedelta(days=400)
    url = "https://www.politifact.com/factchecks/{}/"
    common = {"publisher": "PolitiFact", "homepage": "https://www.politifact.com/"}
    desk.imported("Harbour one: reviewed long ago.", url=url.format(1), published_at=old, **common)
    desk.imported(
        "Harbour two: reviewed long ago, claimed lately.",
        url=url.format(2),
        published_at=old,
        claim_date=today - dt.timedelta(days=3),
        **common,
    )
    desk.publish("Harbour three: reviewed now.", claim_date=today - dt.timedelta(days=800))

    listed = texts(search(anon_client, query="harbour", maxAgeDays=30))

    assert sorted(listed) == ["Harbour three: reviewed now.", "Harbour two: reviewed long ago, claimed lately."]
    assert len(texts(search(anon_client, query="harbour", maxAgeDays=500))) == 3


# Paging ---------------------------------------------------------------------------------------------------------------


def _every_page(client, **params: Any) -> tuple[list[str], int]:
    found, pages = [], 0
    while True:
        body = search(client, **params).json()
        pages += 1
        found += [claim["text"] for claim in body["claims"]]
        if "nextPageToken" not in body:
            return found, pages
        params["pageToken"] = body["nextPageToken"]


@pytest.mark.parametrize("params", [{"query": "harbour"}, {"reviewPublisherSiteFilter": "factcheck.example.org"}])
def test_pages_follow_each_other_without_gaps_or_repeats(desk, anon_client, params):
    # Equal ranks (the same words) on purpose: the id breaks the tie, and the token must carry it.
    for n in range(7):
        desk.publish(f"The harbour handled a million containers, said speaker {n}.")

    one_page, _ = _every_page(anon_client, **params, pageSize=100)
    paged, pages = _every_page(anon_client, **params, pageSize=3)

    assert len(one_page) == 7
    assert paged == one_page
    assert pages == 3


def test_without_a_query_the_latest_review_comes_first(desk, anon_client):
    desk.publish("First harbour claim.")
    desk.publish("Second harbour claim.")

    assert texts(search(anon_client, reviewPublisherSiteFilter="factcheck.example.org")) == [
        "Second harbour claim.",
        "First harbour claim.",
    ]


def test_offset_skips_rows_when_there_is_no_token(desk, anon_client):
    for n in range(4):
        desk.publish(f"The harbour handled a million containers, said speaker {n}.")
    everything = texts(search(anon_client, query="harbour"))

    body = search(anon_client, query="harbour", offset=1, pageSize=2).json()

    assert [c["text"] for c in body["claims"]] == everything[1:3]
    rest = search(anon_client, query="harbour", pageToken=body["nextPageToken"], offset=3).json()
    assert [c["text"] for c in rest["claims"]] == everything[3:]  # the token wins over offset


def test_the_page_size_defaults_to_ten(desk, anon_client):
    for n in range(11):
        desk.publish(f"The harbour handled a million containers, said speaker {n}.")

    body = search(anon_client, query="harbour").json()

    assert len(body["claims"]) == 10
    assert "nextPageToken" in body


def test_a_page_costs_one_query(desk, anon_client, django_assert_num_queries, settings):
    settings.FACTCHECK_REVIEW_URL = "https://factcheck.example.org/claims/{id}"
    speaker = source_create(actor=None, name="A Minister", kind=SourceKind.PERSON)
    for n in range(3):
        desk.publish(f"The harbour handled a million containers, said speaker {n}.", claimant=speaker)
        desk.imported(
            f"Harbour claim {n} checked elsewhere.",
            publisher=f"Checker {n}",
            homepage=f"https://checker{n}.example/",
            url=f"https://checker{n}.example/review",
        )
    token = search(anon_client, query="harbour", pageSize=2, languageCode="en").json()["nextPageToken"]

    # The current versions of the page (search, filters, keyset) with their rating, publisher and approved claim.
    with django_assert_num_queries(1):
        body = search(anon_client, query="harbour", pageSize=5, pageToken=token, languageCode="en").json()
    assert len(body["claims"]) == 4
    with django_assert_num_queries(1):
        body = search(anon_client, reviewPublisherSiteFilter="factcheck.example.org", maxAgeDays=3).json()
    assert len(body["claims"]) == 3


# Errors: 400 in Google's shape, naming the parameter ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "query"),
        ({"query": "  "}, "query"),
        ({"languageCode": "en"}, "query"),
        ({"query": "x", "pageSize": 0}, "pageSize"),
        ({"query": "x", "pageSize": PAGE_SIZE_MAX + 1}, "pageSize"),
        ({"query": "x", "pageSize": "ten"}, "pageSize"),
        ({"query": "x", "offset": -1}, "offset"),
        ({"query": "x", "offset": OFFSET_MAX + 1}, "offset"),
        ({"query": "x", "maxAgeDays": 0}, "maxAgeDays"),
        ({"query": "x", "maxAgeDays": 10**9}, "maxAgeDays"),
        ({"query": "x", "languageCode": "english!"}, "languageCode"),
        ({"reviewPublisherSiteFilter": "not a site"}, "reviewPublisherSiteFilter"),
        ({"query": "x\x00"}, "query"),
        ({"query": "x", "pageToken": "garbage"}, "pageToken"),
        ({"query": "x", "pageToken": "e30"}, "pageToken"),  # {}
        ({"query": "x", "alt": "proto"}, "alt"),
    ],
)
def test_bad_parameters_answer_400_in_googles_shape_naming_the_parameter(anon_client, params, field):
    response = search(anon_client, **params)

    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["status"]) == (400, "INVALID_ARGUMENT")
    assert error["message"].startswith(f"{field}: ")
    assert error["details"][0]["@type"] == "type.googleapis.com/google.rpc.BadRequest"
    assert error["details"][0]["fieldViolations"][0]["field"] == field


@pytest.mark.parametrize(
    "token",
    [
        encode_page_token("x", float("nan"), 1),
        encode_page_token("x", 0.5, 0),
        encode_page_token("x", 0.5, 2**63),
        encode_page_token("x", True, 1),
        "eyJzIjoieCIsImsiOiIyMDI0LTAxLTAxIiwiaWQiOjF9",  # a naive date
        "!!!!",
    ],
)
def test_a_forged_page_token_answers_400(anon_client, token):
    response = search(anon_client, query="harbour", pageToken=token)

    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("pageToken: ")


def test_a_token_from_another_search_answers_400(desk, anon_client):
    for n in range(3):
        desk.publish(f"The harbour handled a million containers, said speaker {n}.")
    token = search(anon_client, query="harbour", pageSize=1).json()["nextPageToken"]

    response = search(anon_client, query="containers", pageToken=token)

    assert response.status_code == 400
    assert "other parameters" in response.json()["error"]["message"]
    assert search(anon_client, query="harbour", pageToken=token, pageSize=5).status_code == 200


def test_other_methods_and_paths_answer_in_googles_shape(anon_client):
    post = anon_client.post(URL, {}, format="json")
    missing = anon_client.get("/v1alpha1/claims:find")

    assert post.status_code == 405
    assert post.json()["error"]["code"] == 405
    assert missing.status_code == 404
    assert missing.json()["error"]["status"] == "NOT_FOUND"


def test_the_percent_encoded_path_is_the_same_route(desk, anon_client):
    desk.publish("The harbour handled a million containers.")

    assert texts(anon_client.get("/v1alpha1/claims%3Asearch", {"query": "harbour"})) == texts(
        search(anon_client, query="harbour")
    )


# API keys: ?key= as Google's clients send it, or the Bearer header ---------------------------------------------------


@pytest.fixture
def client_key(db) -> str:
    client, _ = api_client_get_or_create(name="Newsroom")
    return api_key_create(client=client, name="google-client", rate="2/hour").key


def test_a_key_in_the_query_string_authenticates_and_counts_against_its_rate(desk, anon_client, client_key):
    desk.publish("The harbour handled a million containers.")

    answers = [search(anon_client, query="harbour", key=client_key).status_code for _ in range(3)]

    assert answers == [200, 200, 429]
    refused = search(anon_client, query="harbour", key=client_key).json()["error"]
    assert (refused["code"], refused["status"]) == (429, "RESOURCE_EXHAUSTED")


@pytest.mark.parametrize("key", ["fck_nope_nope", "not-a-key", "fck_ünïcode"])
def test_a_bad_key_answers_401_never_anonymously(anon_client, key):
    response = search(anon_client, query="harbour", key=key)

    assert response.status_code == 401
    assert response.json()["error"]["status"] == "UNAUTHENTICATED"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_key_answers_401(anon_client, client_key):
    from accounts.models import ApiKey

    ApiKey.objects.update(revoked_at=timezone.now())

    assert search(anon_client, query="harbour", key=client_key).status_code == 401


def test_the_bearer_header_works_too_but_not_both(desk, anon_client, client_key):
    desk.publish("The harbour handled a million containers.")
    anon_client.credentials(HTTP_AUTHORIZATION=f"Bearer {client_key}")

    assert len(texts(search(anon_client, query="harbour"))) == 1
    assert search(anon_client, query="harbour", key=client_key).status_code == 401


def test_other_routes_do_not_take_a_key_in_the_query_string(desk, anon_client, client_key):
    answers = [anon_client.get("/api/v1/claims/", {"key": client_key}).status_code for _ in range(3)]

    # The key is an unknown filter there: ignored, and the requests stay anonymous (its 2/hour would refuse a third).
    assert answers == [200, 200, 200]
