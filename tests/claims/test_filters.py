"""One test per query parameter of the claims, verdicts, questions and rating-scales lists."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from claims.models import Claim, Verdict
from tests.factories import (
    AttributionFactory,
    ClaimFactory,
    QuestionFactory,
    SourceFactory,
    VerdictFactory,
    default_rating,
    published_verdict,
)

pytestmark = pytest.mark.django_db

CLAIMS = "/api/v1/claims/"
VERDICTS = "/api/v1/verdicts/"


def found(client, url: str) -> set[int]:
    response = client.get(url)
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}


def set_updated_at(claim: Claim, moment: dt.datetime) -> None:
    Claim.objects.filter(pk=claim.pk).update(updated_at=moment)


# Claims -----------------------------------------------------------------------------------------------------


def test_claims_filter_by_status(editor_client):
    new, triaged = ClaimFactory(status="new"), ClaimFactory(status="triaged")

    assert found(editor_client, CLAIMS + "?status=triaged") == {triaged.pk}
    assert new.pk in found(editor_client, CLAIMS + "?status=new")


def test_claims_filter_by_kind(editor_client):
    quantity, quote = ClaimFactory(kind="quantity"), ClaimFactory(kind="quote")

    assert found(editor_client, CLAIMS + "?kind=quote") == {quote.pk}
    assert found(editor_client, CLAIMS + "?kind=quantity") == {quantity.pk}


def test_claims_filter_by_claimant(editor_client):
    speaker = SourceFactory(kind="person")
    theirs, _other = ClaimFactory(claimant=speaker), ClaimFactory()

    assert found(editor_client, CLAIMS + f"?claimant={speaker.pk}") == {theirs.pk}


def test_claims_filter_by_a_source_at_any_hop_without_repeating_claims(editor_client):
    agency = SourceFactory(kind="news_agency")
    relayed = ClaimFactory()
    # The agency at two hops of two chains: the claim must still come back once.
    AttributionFactory(claim=relayed, position=0, source=agency, relation="cites")
    AttributionFactory(
        claim=relayed, position=1, relation="publishes", appearance=relayed.attributions.get().appearance
    )
    AttributionFactory(claim=relayed, position=0, source=agency, relation="publishes")
    AttributionFactory(claim=ClaimFactory())

    response = editor_client.get(CLAIMS + f"?source={agency.pk}")

    assert [row["id"] for row in response.json()["results"]] == [relayed.pk]


def test_claims_filter_by_the_current_verdicts_rating_slug(anon_client):
    false_claim = ClaimFactory()
    published_verdict(false_claim, rating=default_rating("false"))
    true_claim = ClaimFactory()
    published_verdict(true_claim, rating=default_rating("true"))
    # Rated false once, but the current version says true: it is not a false claim any more.
    corrected = ClaimFactory()
    old = published_verdict(corrected, rating=default_rating("false"))
    now = timezone.now()
    Verdict.objects.filter(pk=old.pk).update(superseded_at=now)
    published_verdict(
        corrected, version=2, correction_kind="rating_changed", rating=default_rating("true"), published_at=now
    )

    assert found(anon_client, CLAIMS + "?rating=false") == {false_claim.pk}
    assert found(anon_client, CLAIMS + "?rating=true") == {true_claim.pk, corrected.pk}


def test_claims_filter_by_the_current_verdicts_bucket(anon_client):
    mostly = ClaimFactory()
    published_verdict(mostly, rating=default_rating("mostly-true"))
    published_verdict(ClaimFactory(), rating=default_rating("false"))

    assert found(anon_client, CLAIMS + "?bucket=mostly_true") == {mostly.pk}


def test_claims_filter_by_question(editor_client):
    question = QuestionFactory()
    answer, _other = ClaimFactory(question=question), ClaimFactory()

    assert found(editor_client, CLAIMS + f"?question={question.pk}") == {answer.pk}


def test_claims_filter_by_language(editor_client):
    russian, _english = ClaimFactory(language="ru"), ClaimFactory(language="en")

    assert found(editor_client, CLAIMS + "?language=ru") == {russian.pk}


def test_claims_filter_by_tag_in_any_case(editor_client):
    tagged = ClaimFactory(tags=["moscow", "hamas"])
    ClaimFactory(tags=["gaza"])

    assert found(editor_client, CLAIMS + "?tag=Moscow") == {tagged.pk}


def test_claims_filter_by_claim_date_after_inclusive(editor_client):
    ClaimFactory(claim_date=dt.date(2024, 2, 28))
    on, after = ClaimFactory(claim_date=dt.date(2024, 2, 29)), ClaimFactory(claim_date=dt.date(2024, 3, 1))

    assert found(editor_client, CLAIMS + "?claim_date_after=2024-02-29") == {on.pk, after.pk}


def test_claims_filter_by_claim_date_before_inclusive(editor_client):
    before, on = ClaimFactory(claim_date=dt.date(2024, 2, 28)), ClaimFactory(claim_date=dt.date(2024, 2, 29))
    ClaimFactory(claim_date=dt.date(2024, 3, 1))

    assert found(editor_client, CLAIMS + "?claim_date_before=2024-02-29") == {before.pk, on.pk}


def test_claims_filter_by_updated_since(editor_client):
    old, recent = ClaimFactory(), ClaimFactory()
    set_updated_at(old, dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    set_updated_at(recent, dt.datetime(2024, 6, 1, 12, tzinfo=dt.UTC))

    assert found(editor_client, CLAIMS + "?updated_since=2024-06-01T12:00:00Z") == {recent.pk}


def test_claims_search_full_text_best_match_first(editor_client):
    weak = ClaimFactory(statement="Delegates met in Moscow.")
    strong = ClaimFactory(statement="Moscow hosted Moscow talks.", quote="In Moscow we met.")
    ClaimFactory(statement="Nothing about that city.")

    response = editor_client.get(CLAIMS + "?q=moscow")

    assert [row["id"] for row in response.json()["results"]] == [strong.pk, weak.pk]


def test_claims_search_understands_web_search_syntax(editor_client):
    both = ClaimFactory(statement="Hamas delegates arrived in Moscow.")
    ClaimFactory(statement="Fatah delegates arrived in Moscow.")

    assert found(editor_client, CLAIMS + "?q=moscow -fatah") == {both.pk}


def test_claim_filters_narrow_within_what_readers_may_see(anon_client):
    hidden = ClaimFactory(language="ru")
    shown = ClaimFactory(language="ru")
    published_verdict(shown)

    assert found(anon_client, CLAIMS + "?language=ru") == {shown.pk}
    assert hidden.pk not in found(anon_client, CLAIMS + "?status=new")


# Verdicts ---------------------------------------------------------------------------------------------------


def test_verdicts_filter_by_claim(anon_client):
    wanted = published_verdict(ClaimFactory())
    published_verdict(ClaimFactory())

    assert found(anon_client, VERDICTS + f"?claim={wanted.claim_id}") == {wanted.pk}


def test_verdicts_filter_by_rating(anon_client):
    mixed = published_verdict(ClaimFactory(), rating=default_rating("mixed"))
    published_verdict(ClaimFactory(), rating=default_rating("false"))

    assert found(anon_client, VERDICTS + "?rating=mixed") == {mixed.pk}


def test_verdicts_filter_by_bucket(anon_client):
    unverifiable = published_verdict(ClaimFactory(), rating=default_rating("unverifiable"))
    published_verdict(ClaimFactory(), rating=default_rating("false"))

    assert found(anon_client, VERDICTS + "?bucket=unverifiable") == {unverifiable.pk}


def test_verdicts_filter_by_published_after(anon_client):
    early = published_verdict(
        ClaimFactory(),
        approved_at=timezone.now() - dt.timedelta(days=4),
        published_at=timezone.now() - dt.timedelta(days=3),
    )
    late = published_verdict(ClaimFactory())
    since = (timezone.now() - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")

    assert found(anon_client, VERDICTS + f"?published_after={since}") == {late.pk}
    assert early.pk not in found(anon_client, VERDICTS + f"?published_after={since}")


def test_verdicts_filter_by_published_before(anon_client):
    early = published_verdict(
        ClaimFactory(),
        approved_at=timezone.now() - dt.timedelta(days=4),
        published_at=timezone.now() - dt.timedelta(days=3),
    )
    published_verdict(ClaimFactory())
    until = (timezone.now() - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")

    assert found(anon_client, VERDICTS + f"?published_before={until}") == {early.pk}


def test_verdicts_filter_by_updated_since(editor_client):
    old, recent = VerdictFactory(claim=ClaimFactory()), VerdictFactory(claim=ClaimFactory())
    Verdict.objects.filter(pk=old.pk).update(updated_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    Verdict.objects.filter(pk=recent.pk).update(updated_at=dt.datetime(2024, 6, 1, tzinfo=dt.UTC))

    assert found(editor_client, VERDICTS + "?updated_since=2024-05-01T00:00:00Z") == {recent.pk}


# Questions and rating scales --------------------------------------------------------------------------------


def test_questions_filter_by_kind(anon_client):
    date = QuestionFactory(kind="date", unit="")
    QuestionFactory(kind="quantity")

    assert found(anon_client, "/api/v1/questions/?kind=date") == {date.pk}


def test_questions_filter_by_updated_since(anon_client):
    from claims.models import Question

    old, recent = QuestionFactory(), QuestionFactory()
    Question.objects.filter(pk=old.pk).update(updated_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    Question.objects.filter(pk=recent.pk).update(updated_at=dt.datetime(2024, 6, 1, tzinfo=dt.UTC))

    assert found(anon_client, "/api/v1/questions/?updated_since=2024-05-01T00:00:00Z") == {recent.pk}


def test_rating_scales_filter_by_slug(anon_client):
    response = anon_client.get("/api/v1/rating-scales/?slug=truth-o-meter")

    assert [scale["slug"] for scale in response.json()["results"]] == ["truth-o-meter"]


# Bad values -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        (CLAIMS + "?status=publshed", "status"),
        (CLAIMS + "?kind=number", "kind"),
        (CLAIMS + "?claimant=abc", "claimant"),
        (CLAIMS + "?claimant=1.5", "claimant"),
        (CLAIMS + "?source=0", "source"),
        (CLAIMS + "?rating=not a slug", "rating"),
        (CLAIMS + "?bucket=falsish", "bucket"),
        (CLAIMS + "?question=-3", "question"),
        (CLAIMS + "?claim_date_after=2024-02-30", "claim_date_after"),
        (CLAIMS + "?claim_date_before=yesterday", "claim_date_before"),
        (CLAIMS + "?updated_since=last+week", "updated_since"),
        (CLAIMS + "?q=" + "x" * 201, "q"),
        (CLAIMS + "?tag=" + "x" * 65, "tag"),
        (VERDICTS + "?claim=x", "claim"),
        (VERDICTS + "?bucket=nope", "bucket"),
        (VERDICTS + "?published_after=2024-13-01", "published_after"),
        (VERDICTS + "?published_before=soon", "published_before"),
        ("/api/v1/questions/?kind=colour", "kind"),
        ("/api/v1/rating-scales/?slug=a+b", "slug"),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_the_parameter(editor_client, url, parameter):
    response = editor_client.get(url)

    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400
    assert body["code"] == "invalid"
    assert [error["field"] for error in body["errors"]] == [parameter]
