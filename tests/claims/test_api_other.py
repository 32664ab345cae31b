"""The verdicts, questions and rating-scales APIs."""

from __future__ import annotations

import datetime as dt

import pytest

from claims.models import Question, Verdict
from tests.factories import ClaimFactory, QuestionFactory, VerdictFactory, claim_with_parts, published_verdict

pytestmark = pytest.mark.django_db

VERDICTS = "/api/v1/verdicts/"
QUESTIONS = "/api/v1/questions/"
SCALES = "/api/v1/rating-scales/"


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def published() -> Verdict:
    return published_verdict(ClaimFactory())


@pytest.fixture
def draft() -> Verdict:
    return VerdictFactory(claim=ClaimFactory())


# Verdicts ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("client_name", ["anon_client", "outsider_client"])
def test_readers_list_only_published_verdicts(request, client_name, published, draft):
    response = request.getfixturevalue(client_name).get(VERDICTS)

    assert response.status_code == 200
    assert ids(response) == [published.pk]


def test_the_desk_lists_drafts_too(editor_client, published, draft):
    response = editor_client.get(VERDICTS)

    # Newest publication first; drafts (never published) last.
    assert ids(response) == [published.pk, draft.pk]


@pytest.mark.parametrize("client_name", ["anon_client", "outsider_client"])
def test_readers_get_404_for_a_draft_verdict(request, client_name, draft):
    response = request.getfixturevalue(client_name).get(f"{VERDICTS}{draft.pk}/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_desk_reads_a_draft_verdict(fact_checker_client, draft):
    response = fact_checker_client.get(f"{VERDICTS}{draft.pk}/")

    assert response.status_code == 200
    assert response.json()["published_at"] is None


def test_a_verdict_shows_its_claim_rating_and_correction(anon_client):
    claim = ClaimFactory()
    first = published_verdict(claim)
    now = dt.datetime.now(dt.UTC)
    Verdict.objects.filter(pk=first.pk).update(superseded_at=now)
    second = published_verdict(
        claim, version=2, correction_kind="rating_changed", correction_note="We misread the table.", published_at=now
    )

    body = anon_client.get(f"{VERDICTS}{second.pk}/").json()

    assert body == {
        "id": second.pk,
        "url": f"http://testserver/api/v1/verdicts/{second.pk}/",
        "claim": claim.pk,
        "version": 2,
        "rating": {"slug": "false", "label": "False", "bucket": "false", "scale": "default"},
        "summary": second.summary,
        "explanation": second.explanation,
        "published_at": now.isoformat().replace("+00:00", "Z"),
        "superseded_at": None,
        "correction_kind": "rating_changed",
        "correction_note": "We misread the table.",
        "publisher": None,
        "review_url": None,
        "textual_rating": None,
        "updated_at": body["updated_at"],
    }
    superseded = anon_client.get(f"{VERDICTS}{first.pk}/").json()
    assert superseded["superseded_at"] == now.isoformat().replace("+00:00", "Z")


def test_anonymous_writes_to_verdicts_get_401(anon_client, published):
    assert anon_client.post(VERDICTS, {}, format="json").status_code == 401
    assert anon_client.patch(f"{VERDICTS}{published.pk}/", {}, format="json").status_code == 401


def test_outsiders_writes_to_verdicts_get_403(outsider_client, published):
    assert outsider_client.post(VERDICTS, {}, format="json").status_code == 403
    assert outsider_client.patch(f"{VERDICTS}{published.pk}/", {}, format="json").status_code == 403


def test_verdicts_are_read_only_for_the_desk_too(editor_client, published):
    assert editor_client.post(VERDICTS, {"claim": published.claim_id}, format="json").status_code == 405
    assert editor_client.patch(f"{VERDICTS}{published.pk}/", {"summary": "x"}, format="json").status_code == 405
    assert editor_client.delete(f"{VERDICTS}{published.pk}/").status_code == 405
    published.refresh_from_db()
    assert published.summary != "x"


@pytest.mark.parametrize("client_name", ["anon_client", "editor_client"])
def test_the_verdict_list_takes_one_query_however_many_verdicts(request, client_name, django_assert_num_queries):
    # 0. the user's desk roles (signed-in users only)
    # 1. the page of verdicts joined to rating, scale, author and approver
    #    (filtered to published ones for readers)
    client = request.getfixturevalue(client_name)
    expected = 1 if client_name == "anon_client" else 2
    for _ in range(3):
        claim_with_parts(published=True)
    with django_assert_num_queries(expected):
        assert len(client.get(VERDICTS).json()["results"]) == 3
    for _ in range(27):
        claim_with_parts(published=True)
    with django_assert_num_queries(expected):
        assert len(client.get(VERDICTS).json()["results"]) == 30


# Questions --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("client_name", ["anon_client", "outsider_client", "editor_client"])
def test_everyone_lists_and_reads_questions(request, client_name):
    question = QuestionFactory(text="How many delegates came to Moscow?")
    client = request.getfixturevalue(client_name)

    listed = client.get(QUESTIONS)
    read = client.get(f"{QUESTIONS}{question.pk}/")

    assert listed.status_code == read.status_code == 200
    assert ids(listed) == [question.pk]
    assert read.json() == {
        "id": question.pk,
        "url": f"http://testserver/api/v1/questions/{question.pk}/",
        "text": "How many delegates came to Moscow?",
        "kind": "quantity",
        "unit": "people",
        "cumulative": False,
        "description": "",
        "created_at": read.json()["created_at"],
        "updated_at": read.json()["updated_at"],
        "answers": [],
        "relations": [],
        "origins": {"count": 0, "unnamed_chains": 0, "origins": [], "circular": []},
    }


def test_anonymous_question_writes_get_401(anon_client):
    question = QuestionFactory()

    assert anon_client.post(QUESTIONS, {"text": "Q?", "kind": "date"}, format="json").status_code == 401
    assert anon_client.patch(f"{QUESTIONS}{question.pk}/", {"text": "Q?"}, format="json").status_code == 401
    assert Question.objects.count() == 1


def test_outsiders_question_writes_get_403(outsider_client):
    question = QuestionFactory()

    assert outsider_client.post(QUESTIONS, {"text": "Q?", "kind": "date"}, format="json").status_code == 403
    assert outsider_client.patch(f"{QUESTIONS}{question.pk}/", {"text": "Q?"}, format="json").status_code == 403
    assert Question.objects.get().text != "Q?"


def test_the_desk_creates_a_question(editor_client):
    response = editor_client.post(
        QUESTIONS,
        {"text": "On what date did the Moscow meeting begin?", "kind": "date", "created_at": "2001-01-01T00:00:00Z"},
        format="json",
    )

    assert response.status_code == 201, response.json()
    question = Question.objects.get()
    assert response["Location"] == response.json()["url"]
    assert (question.text, question.kind) == ("On what date did the Moscow meeting begin?", "date")
    assert question.created_at.year > 2001


def test_the_desk_patches_a_question(editor_client):
    question = QuestionFactory(unit="people")

    response = editor_client.patch(
        f"{QUESTIONS}{question.pk}/", {"description": "Civilians and soldiers."}, format="json"
    )

    assert response.status_code == 200
    question.refresh_from_db()
    assert (question.description, question.unit) == ("Civilians and soldiers.", "people")


def test_it_rejects_a_question_that_exists_in_another_case(editor_client):
    QuestionFactory(text="How many came?")

    response = editor_client.post(QUESTIONS, {"text": "HOW MANY CAME?", "kind": "quantity"}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": None, "code": "invalid", "message": "This question already exists."}]
    assert Question.objects.count() == 1


def test_it_rejects_a_unit_on_a_date_question(editor_client):
    response = editor_client.post(QUESTIONS, {"text": "When?", "kind": "date", "unit": "days"}, format="json")

    assert response.status_code == 400
    assert "Only quantity questions have a unit" in response.json()["detail"]
    assert not Question.objects.exists()


@pytest.mark.parametrize("client_name", ["anon_client", "editor_client"])
def test_the_question_list_takes_one_query_however_many_questions(request, client_name, django_assert_num_queries):
    # 1. the page of questions
    client = request.getfixturevalue(client_name)
    for _ in range(3):
        QuestionFactory()
    with django_assert_num_queries(1):
        assert len(client.get(QUESTIONS).json()["results"]) == 3
    for _ in range(27):
        QuestionFactory()
    with django_assert_num_queries(1):
        assert len(client.get(QUESTIONS).json()["results"]) == 30


# Rating scales ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("client_name", ["anon_client", "outsider_client", "editor_client"])
def test_everyone_lists_the_rating_scales_with_their_ratings_truest_first(request, client_name):
    response = request.getfixturevalue(client_name).get(SCALES)

    assert response.status_code == 200
    scales = {scale["slug"]: scale for scale in response.json()["results"]}
    assert set(scales) == {"default", "truth-o-meter"}
    assert scales["default"]["is_default"] is True
    assert [rating["slug"] for rating in scales["truth-o-meter"]["ratings"]] == [
        "true",
        "mostly-true",
        "half-true",
        "barely-true",
        "false",
        "pants-fire",
    ]
    assert scales["default"]["ratings"][0] == {
        "slug": "true",
        "label": "True",
        "ordinal": 6,
        "bucket": "true",
        "description": "The claim is accurate and nothing significant is missing.",
        "claimreview_value": 5,
    }


def test_a_rating_scale_reads_by_id(anon_client):
    scale_id = anon_client.get(SCALES + "?slug=default").json()["results"][0]["id"]

    response = anon_client.get(f"{SCALES}{scale_id}/")

    assert response.status_code == 200
    assert response.json()["claimreview_best"] == 5
    assert response.json()["claimreview_worst"] == 1


def test_rating_scales_are_read_only(anon_client, outsider_client, editor_client):
    scale_id = anon_client.get(SCALES).json()["results"][0]["id"]

    assert anon_client.post(SCALES, {}, format="json").status_code == 401
    assert outsider_client.post(SCALES, {}, format="json").status_code == 403
    assert editor_client.post(SCALES, {"slug": "x"}, format="json").status_code == 405
    assert editor_client.patch(f"{SCALES}{scale_id}/", {"name": "x"}, format="json").status_code == 405


def test_the_rating_scale_list_takes_two_queries(anon_client, django_assert_num_queries):
    # 1. the page of scales
    # 2. their ratings
    with django_assert_num_queries(2):
        assert len(anon_client.get(SCALES).json()["results"]) == 2
