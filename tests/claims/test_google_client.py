"""Google's own Python client (google-api-python-client), unchanged, against a real HTTP server of ours.

The client is built from the factchecktools v1alpha1 discovery document shipped inside the package
(static_discovery=True), so nothing goes to the network; `api_endpoint` points it at the live server.

The server answers from its own connections, so these tests commit for real (transaction=True): pytest-django runs
them last and empties every table after each, data migrations' rows included, so each puts back the ones it needs
(as tests/claims/test_concurrency.py does).
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
from collections.abc import Callable, Iterator
from typing import Any

import httplib2
import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.utils import timezone
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError
from pytest_django.live_server_helper import LiveServer

from accounts.services import api_client_get_or_create, api_key_create
from claims import services
from claims.models import Claim
from claims.services.imports import ImportedReview, review_import
from factcheck.roles import ROLES
from sources.models import SourceKind
from sources.services import source_create
from tests.factories import EditorFactory, StaffFactory, default_rating

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _migration_data(transactional_db: None) -> None:
    """The roles (a group per role is all the checks need) and the rating scales, as the data migrations make them."""
    for role in ROLES:
        Group.objects.get_or_create(name=role)
    importlib.import_module("claims.migrations.0002_rating_scales").create_scales(apps, None)


@pytest.fixture
def server(transactional_db, settings) -> Iterator[str]:
    """A live server of the app, started after the settings fixture turned the HTTPS redirect off.

    pytest-django's `live_server` fixture starts its (session-wide) server before any function-scoped fixture runs,
    so its middleware would be built with the production settings the tests run with, and answer every plain-http
    request with a redirect to https. Its LiveServer helper, started here, builds the middleware afresh.
    """
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    live = LiveServer("localhost:0")
    try:
        yield f"{live.url}/"
    finally:
        live.stop()


@pytest.fixture
def factchecktools(server: str) -> Iterator[Callable[..., Any]]:
    """Builds Google's client for the live server, with or without a key; closes its connections afterwards.

    The client keeps its HTTP connection alive, and the server's thread serving it keeps its database connection
    until the client hangs up: left open, it would outlive the test database.
    """
    opened: list[httplib2.Http] = []

    def build_client(key: str | None = None) -> Any:
        # A plain Http object of our own: without a key the client would otherwise look for Google credentials.
        http = httplib2.Http()
        opened.append(http)
        return build(
            "factchecktools",
            "v1alpha1",
            developerKey=key,
            http=http,
            static_discovery=True,
            client_options={"api_endpoint": server},
        )

    yield build_client
    for http in opened:
        http.close()


def publish(statement: str, *, editor: Any, chief: Any, fact_checker: Any, **fields: Any) -> Claim:
    """The desk's own verdict, the whole way through the services."""
    claim = services.claim_create(actor=fact_checker, statement=statement, **fields)
    services.claim_triage(claim=claim, actor=chief)
    services.claim_assign(claim=claim, actor=chief, assignee=fact_checker)
    services.evidence_add(claim=claim, actor=fact_checker, url="https://records.example.org/1", stance="refutes")
    draft = services.verdict_draft(
        claim=claim, author=fact_checker, rating=default_rating("false"), summary="Off by far.", explanation="Records."
    )
    services.verdict_submit(verdict=draft, actor=fact_checker)
    services.verdict_approve(verdict=draft, approver=editor)
    services.verdict_publish(verdict=draft, actor=chief)
    return claim


@pytest.fixture
def published(_migration_data, settings) -> dict[str, Any]:
    """Five of the desk's verdicts on harbour claims, one imported PolitiFact review a year old, one unpublished
    claim, and a client's key."""
    settings.FACTCHECK_REVIEW_URL = "https://factcheck.example.org/claims/{id}"
    people = {
        "editor": EditorFactory(username="client-editor"),
        "chief": EditorFactory(username="client-chief"),
        "fact_checker": StaffFactory(username="client-fact-checker"),
    }
    speaker = source_create(actor=None, name="A Harbour Master", kind=SourceKind.PERSON)
    for n in range(5):
        publish(
            f"The harbour handled {n + 1} million containers last year.",
            claimant=speaker,
            claim_date=dt.date(2024, 2, 29),
            **people,
        )
    services.claim_create(actor=people["fact_checker"], statement="The harbour qwvunpublished handled ten million.")
    politifact = source_create(
        actor=None, name="PolitiFact", kind=SourceKind.OUTLET, homepage="https://www.politifact.com/"
    )
    review_import(
        review=ImportedReview(
            origin="claimreview",
            external_id="https://www.politifact.com/factchecks/harbour/",
            statement="The harbour is the busiest in the world.",
            rating=default_rating("false"),
            published_at=timezone.now() - dt.timedelta(days=365),
            publisher=politifact,
            review_url="https://www.politifact.com/factchecks/harbour/",
            textual_rating="Pants on Fire!",
        ),
        actor=people["editor"],
    )
    client, _ = api_client_get_or_create(name="A newsroom using Google's client")
    return {"key": api_key_create(client=client, name="google", rate="1000/hour").key}


def test_googles_client_searches_and_pages_through_our_published_verdicts(factchecktools, published):
    claims = factchecktools(published["key"]).claims()

    first = claims.search(query="harbour", languageCode="en", pageSize=4).execute()
    second = claims.search(query="harbour", languageCode="en", pageSize=4, pageToken=first["nextPageToken"]).execute()

    found = first["claims"] + second["claims"]
    assert len(found) == 6
    assert "nextPageToken" not in second
    assert len({claim["text"] for claim in found}) == 6
    assert not [claim for claim in found if "qwvunpublished" in claim["text"]]
    ours = next(claim for claim in found if claim["text"].startswith("The harbour handled 1 million"))
    assert ours["claimant"] == "A Harbour Master"
    assert ours["claimDate"] == "2024-02-29T00:00:00Z"
    (review,) = ours["claimReview"]
    assert review["publisher"] == {"name": "factcheck", "site": "factcheck.example.org"}
    assert review["url"].startswith("https://factcheck.example.org/claims/")
    assert (review["title"], review["textualRating"], review["languageCode"]) == ("Off by far.", "False", "en")


def test_googles_client_filters_by_publisher_site_and_age(factchecktools, published):
    claims = factchecktools(published["key"]).claims()

    politifact = claims.search(reviewPublisherSiteFilter="politifact.com").execute()
    recent = claims.search(query="harbour", maxAgeDays=30, pageSize=100).execute()

    assert [claim["claimReview"][0]["textualRating"] for claim in politifact["claims"]] == ["Pants on Fire!"]
    assert politifact["claims"][0]["claimReview"][0]["publisher"] == {"name": "PolitiFact", "site": "politifact.com"}
    assert len(recent["claims"]) == 5
    assert "busiest" not in str(recent)


def test_googles_client_gets_an_http_error_for_a_bad_request(factchecktools, published):
    claims = factchecktools(published["key"]).claims()

    with pytest.raises(HttpError) as refused:
        claims.search(languageCode="en").execute()

    assert refused.value.status_code == 400
    assert refused.value.reason.startswith("query: ")


def test_googles_client_works_without_a_key_too(factchecktools, published):
    result = factchecktools().claims().search(query="busiest").execute()

    assert [claim["text"] for claim in result["claims"]] == ["The harbour is the busiest in the world."]


def test_a_real_server_takes_the_percent_encoded_path_too(server, published):
    # Some clients send the colon encoded; the server hands Django the decoded path, which the route matches.
    http = httplib2.Http()
    response, content = http.request(f"{server}v1alpha1/claims%3Asearch?query=busiest")
    http.close()

    assert response.status == 200
    assert json.loads(content)["claims"][0]["text"] == "The harbour is the busiest in the world."


def test_googles_client_lists_the_published_seed_verdicts(factchecktools):
    from claims.demo import seed
    from claims.demo.loader import load_demo
    from tests.claims.test_demo import fast_hashing

    with fast_hashing():
        load_demo(password="demo-password-for-tests")
    published = {
        claim.statement for claim in Claim.objects.filter(external_origin=seed.ORIGIN).published().only("statement")
    }
    assert len(published) >= 3

    found: list[dict[str, Any]] = []
    request = factchecktools().claims().search(reviewPublisherSiteFilter="factcheck.example.org", pageSize=2)
    while request is not None:
        response = request.execute()
        found += response["claims"]
        request = factchecktools().claims().search_next(request, response)

    assert {claim["text"] for claim in found} == published
    toll = next(claim for claim in found if "More than 1,000 people" in claim["text"])
    assert toll["claimReview"][0]["textualRating"] == "True"
    assert toll["claimReview"][0]["publisher"]["site"] == "factcheck.example.org"
