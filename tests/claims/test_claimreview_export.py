"""ClaimReview export: one claim's review and the feed, built from published versions as approved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Claim, CorrectionKind, HopRelation, Rating, RatingScale, Verdict
from claims.services import claim_reopen, claim_update, verdict_approve, verdict_publish
from sources.models import SourceKind
from tests.factories import (
    AppearanceFactory,
    AttributionFactory,
    ClaimFactory,
    EditorFactory,
    SourceFactory,
    default_rating,
    published_verdict,
)

pytestmark = pytest.mark.django_db

LD = "application/ld+json"


def tass_citing_hamas(**verdict_fields) -> Claim:
    """As in the demo: a news site reports that TASS, citing Hamas, says X; TASS's own report carries it too."""
    site = SourceFactory(name="Middle East Monitor", kind=SourceKind.OUTLET)
    tass = SourceFactory(name="TASS", kind=SourceKind.NEWS_AGENCY, wikidata_id="Q193563", homepage="https://tass.com/")
    hamas = SourceFactory(name="Hamas", kind=SourceKind.POLITICAL_GROUP, wikidata_id="Q38799")
    article = AppearanceFactory(
        url="https://monitor.example/2024/02/29/moscow", title="Moscow talks", publisher=site, published_on=None
    )
    report = AppearanceFactory(
        url="https://tass.example/2024/02/28/factions",
        title="Palestinian factions meet in Moscow",
        publisher=tass,
        published_on=dt.date(2024, 2, 28),
    )
    claim = ClaimFactory(
        statement="Hamas says the Moscow meeting of Palestinian factions begins on 29 February.",
        kind="date_event",
        claimant=hamas,
        claim_date=dt.date(2024, 2, 28),
        first_appearance=report,
    )
    for appearance, chain in (
        (article, [(site, HopRelation.CITES), (tass, HopRelation.CITES), (hamas, HopRelation.PUBLISHES)]),
        (report, [(tass, HopRelation.CITES), (hamas, HopRelation.PUBLISHES)]),
    ):
        for position, (source, relation) in enumerate(chain):
            AttributionFactory(claim=claim, appearance=appearance, position=position, source=source, relation=relation)
    published_verdict(claim, **verdict_fields)
    return claim


def correct(claim: Claim, *, note: str, **fields) -> Verdict:
    """Publish a correction of `claim` through the workflow (one editor writes it, another approves)."""
    writer, approver = EditorFactory(), EditorFactory()
    draft = claim_reopen(
        claim=claim, actor=writer, correction_kind=CorrectionKind.RATING_CHANGED, correction_note=note, **fields
    )
    verdict_approve(verdict=draft, approver=approver)
    return verdict_publish(verdict=draft, actor=approver)


def test_it_exports_a_published_claim_as_claimreview_with_its_chains_appearances(anon_client, settings):
    settings.FACTCHECK_ORG_NAME, settings.FACTCHECK_ORG_URL = "The Desk", "https://desk.example.org/"
    claim = tass_citing_hamas(summary="The meeting began on 29 February.")
    verdict = claim.verdicts.get()

    response = anon_client.get(f"/api/v1/claims/{claim.pk}/claimreview/")

    assert response.status_code == 200
    assert response["Content-Type"] == LD
    body = response.json()
    assert body == {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"http://testserver/api/v1/claims/{claim.pk}/claimreview/",
        "claimReviewed": "Hamas says the Moscow meeting of Palestinian factions begins on 29 February.",
        "description": "The meeting began on 29 February.",
        "datePublished": verdict.published_at.date().isoformat(),
        "inLanguage": "en",
        "author": {"@type": "Organization", "name": "The Desk", "url": "https://desk.example.org/"},
        "reviewRating": {
            "@type": "Rating",
            "alternateName": "False",
            "ratingValue": 1,
            "bestRating": 5,
            "worstRating": 1,
        },
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Organization", "name": "Hamas", "sameAs": ["https://www.wikidata.org/wiki/Q38799"]},
            "datePublished": "2024-02-28",
            "appearance": [
                {
                    "@type": "CreativeWork",
                    "url": "https://monitor.example/2024/02/29/moscow",
                    "headline": "Moscow talks",
                    "author": {"@type": "Organization", "name": "Middle East Monitor"},
                },
                {
                    "@type": "CreativeWork",
                    "url": "https://tass.example/2024/02/28/factions",
                    "headline": "Palestinian factions meet in Moscow",
                    "datePublished": "2024-02-28",
                    "author": {"@type": "Organization", "name": "TASS"},
                },
            ],
            "firstAppearance": {
                "@type": "CreativeWork",
                "url": "https://tass.example/2024/02/28/factions",
                "headline": "Palestinian factions meet in Moscow",
                "datePublished": "2024-02-28",
                "author": {"@type": "Organization", "name": "TASS"},
            },
        },
    }


def test_it_takes_the_numbers_from_the_scales_crosswalk(anon_client):
    scale = RatingScale.objects.get(slug="truth-o-meter")
    claim = tass_citing_hamas(
        rating=Rating.objects.get(scale=scale, slug="pants-fire"), textual_rating="Pants on Fire!"
    )

    rating = anon_client.get(f"/api/v1/claims/{claim.pk}/claimreview/").json()["reviewRating"]

    assert rating == {
        "@type": "Rating",
        "alternateName": "Pants on Fire!",
        "ratingValue": 1,
        "bestRating": scale.claimreview_best,
        "worstRating": scale.claimreview_worst,
    }


def test_it_gives_no_numbers_for_a_rating_off_the_true_false_axis(anon_client):
    claim = tass_citing_hamas(rating=default_rating("unverifiable"))

    rating = anon_client.get(f"/api/v1/claims/{claim.pk}/claimreview/").json()["reviewRating"]

    assert rating == {"@type": "Rating", "alternateName": "Unverifiable"}


def test_it_shows_a_person_claimant_with_their_links(anon_client):
    speaker = SourceFactory(name="A Senator", kind=SourceKind.PERSON, homepage="https://senator.example.org/")
    claim = ClaimFactory(claimant=speaker)
    published_verdict(claim)

    author = anon_client.get(f"/api/v1/claims/{claim.pk}/claimreview/").json()["itemReviewed"]["author"]

    assert author == {"@type": "Person", "name": "A Senator", "sameAs": ["https://senator.example.org/"]}


def test_corrections_appear_with_their_notes_and_dates(anon_client):
    claim = tass_citing_hamas()
    first = claim.verdicts.get()
    second = correct(claim, note="The meeting began a day later.", rating=default_rating("mostly-false"))
    third = correct(claim, note="A typo in the summary.")

    body = anon_client.get(f"/api/v1/claims/{claim.pk}/claimreview/").json()

    assert body["datePublished"] == first.published_at.date().isoformat()
    assert body["dateModified"] == third.published_at.isoformat().replace("+00:00", "Z")
    assert body["reviewRating"]["alternateName"] == "Mostly false"
    assert body["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": "The meeting began a day later.",
            "datePublished": second.published_at.date().isoformat(),
        },
        {
            "@type": "CorrectionComment",
            "text": "A typo in the summary.",
            "datePublished": third.published_at.date().isoformat(),
        },
    ]


def test_a_first_version_has_no_correction_or_modification(anon_client):
    claim = tass_citing_hamas()

    body = anon_client.get(f"/api/v1/claims/{claim.pk}/claimreview/").json()

    assert "correction" not in body
    assert "dateModified" not in body


def test_readers_get_the_claim_as_approved_not_later_edits(anon_client, editor):
    claim = tass_citing_hamas()
    claim_update(claim=claim, actor=editor, statement="An unapproved rewording, zqxlate.")

    body = anon_client.get(f"/api/v1/claims/{claim.pk}/claimreview/").json()

    assert body["claimReviewed"].startswith("Hamas says")
    assert "zqxlate" not in str(body)


@pytest.mark.parametrize("who", ["anon_client", "fact_checker_client", "editor_client"])
def test_a_claim_without_a_published_verdict_has_no_review_for_anyone(request, who):
    claim = ClaimFactory()

    for path in (f"/api/v1/claims/{claim.pk}/claimreview/", "/api/v1/claims/abc/claimreview/"):
        assert request.getfixturevalue(who).get(path).status_code == 404


def test_the_review_url_is_the_configured_public_page(anon_client, settings):
    settings.FACTCHECK_REVIEW_URL = "https://desk.example.org/checks/{id}"
    claim = tass_citing_hamas()

    assert anon_client.get(f"/api/v1/claims/{claim.pk}/claimreview/").json()["url"] == (
        f"https://desk.example.org/checks/{claim.pk}"
    )


def test_plain_json_is_served_to_clients_that_ask_for_it(anon_client):
    claim = tass_citing_hamas()

    response = anon_client.get(f"/api/v1/claims/{claim.pk}/claimreview/", HTTP_ACCEPT="application/json")

    assert response["Content-Type"] == "application/json"
    assert response.json()["@type"] == "ClaimReview"


# The feed -------------------------------------------------------------------------------------------------------


def _walk(client, url: str) -> tuple[list[dict], list[dict]]:
    pages, elements = [], []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content[:300]
        assert response["Content-Type"] == LD
        page = response.json()
        pages.append(page)
        elements += page["dataFeedElement"]
        url = page.get("next")
    return pages, elements


def test_the_feed_pages_through_every_published_review_once(anon_client):
    claims = [tass_citing_hamas() if n == 0 else published_verdict().claim for n in range(5)]
    ClaimFactory()  # unpublished: not in the feed

    pages, elements = _walk(anon_client, "/api/v1/claimreview/?page_size=2")

    assert len(pages) == 3
    assert [element["url"] for element in elements] == [
        f"http://testserver/api/v1/claims/{claim.pk}/claimreview/" for claim in claims
    ]
    assert pages[0]["@type"] == "DataFeed"
    assert pages[0]["@context"][0] == "https://schema.org"
    assert "@context" not in elements[0]
    latest = Verdict.objects.published().latest("published_at").published_at
    assert {page["dateModified"] for page in pages} == {latest.isoformat().replace("+00:00", "Z")}
    back = anon_client.get(pages[1]["previous"]).json()
    assert [e["url"] for e in back["dataFeedElement"]] == [e["url"] for e in pages[0]["dataFeedElement"]]


def test_the_feed_with_updated_since_has_what_was_published_or_corrected_since(anon_client):
    january = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    tass_citing_hamas(approved_at=january, published_at=january)
    corrected = published_verdict(approved_at=january, published_at=january + dt.timedelta(days=1)).claim
    correct(corrected, note="Newer figures.")
    recent = published_verdict().claim

    _, elements = _walk(anon_client, "/api/v1/claimreview/?updated_since=2024-06-01T00:00:00Z")

    # Oldest publication first: the recent review was published a minute ago, the correction just now.
    assert [element["url"].split("/")[-3] for element in elements] == [str(recent.pk), str(corrected.pk)]
    assert anon_client.get("/api/v1/claimreview/?updated_since=yesterday").status_code == 400


def test_an_empty_feed_is_a_datafeed_without_elements(anon_client):
    body = anon_client.get("/api/v1/claimreview/").json()

    assert body["@type"] == "DataFeed"
    assert body["dataFeedElement"] == []
    assert "next" not in body


def test_a_feed_page_takes_the_same_queries_whatever_its_size(anon_client):
    for _ in range(3):
        tass_citing_hamas_variant = published_verdict().claim
        correct(tass_citing_hamas_variant, note="Newer figures.")

    def count(size: int) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert len(anon_client.get(f"/api/v1/claimreview/?page_size={size}").json()["dataFeedElement"]) == size
        return len(queries)

    # The page of current versions (with the first version's date), their claimants, their corrections, and the
    # feed's dateModified.
    assert count(1) == count(3) == 4
