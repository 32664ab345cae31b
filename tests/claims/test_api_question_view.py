"""GET /api/v1/questions/{id}/: a question's answers, the relations among them and their independent origins — live
for the desk, as approved for readers — and the `origins` of the claim detail."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.postgres.fields.ranges import NumericRange
from rest_framework.test import APIClient

from claims import services
from claims.models import Claim, ClaimRelation, ClaimStatus, ClaimValue, HopRelation, Question
from tests.accounts.factories import issue_key
from tests.factories import AppearanceFactory, SourceFactory, default_rating

pytestmark = pytest.mark.django_db

R = ClaimRelation
READERS = ["anon_client", "outsider_client", "key_client"]
DESK = ["editor_client", "fact_checker_client"]


@pytest.fixture
def key_client() -> APIClient:
    """An API client with a key of its own: a reader."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_key().key}")
    return client


def url(question: Question) -> str:
    return f"/api/v1/questions/{question.pk}/"


def quantity(expression: str, low: Any, high: Any, bounds: str) -> dict[str, Any]:
    return {
        "kind": ClaimValue.Kind.QUANTITY,
        "expression": expression,
        "quantity": NumericRange(
            None if low is None else Decimal(low), None if high is None else Decimal(high), bounds
        ),
        "qualifier": "exact",
        "unit": "people",
    }


class Desk:
    """The cast and the services, to build a question's answers as the desk does."""

    def __init__(self, editor: Any, fact_checker: Any) -> None:
        self.editor, self.fact_checker = editor, fact_checker
        self.sources: dict[str, Any] = {}

    def source(self, name: str) -> Any:
        if name not in self.sources:
            self.sources[name] = SourceFactory(name=name)
        return self.sources[name]

    def answer(self, q: Question, statement: str, hops: list[tuple[str, str]], values: list[dict[str, Any]]) -> Claim:
        # Duplicate suggestions (claims.related) are another detector's, tested on their own.
        claim = services.claim_create(
            actor=self.editor, statement=statement, kind="quantity", question=q, suggest_duplicates=False
        )
        services.attribution_chain_set(
            claim=claim,
            appearance=AppearanceFactory(publisher=self.source(hops[0][0])),
            hops=[services.Hop(source=self.source(name), relation=relation) for name, relation in hops],
            actor=self.editor,
        )
        services.claim_values_set(claim=claim, values=values, actor=self.editor)
        return claim

    def publish(self, claim: Claim, rating: str = "false") -> Claim:
        services.claim_triage(claim=claim, actor=self.editor)
        services.claim_assign(claim=claim, actor=self.editor, assignee=self.fact_checker)
        services.evidence_add(
            claim=claim, actor=self.fact_checker, url=f"https://records.example.org/{claim.pk}", stance="refutes"
        )
        verdict = services.verdict_draft(
            claim=claim,
            author=self.fact_checker,
            rating=default_rating(rating),
            summary="Checked.",
            explanation="Against the official records.",
        )
        services.verdict_submit(verdict=verdict, actor=self.fact_checker)
        services.verdict_approve(verdict=verdict, approver=self.editor)
        services.verdict_publish(verdict=verdict, actor=self.editor)
        claim.refresh_from_db()
        return claim


@pytest.fixture
def desk(editor, fact_checker) -> Desk:
    return Desk(editor, fact_checker)


TASS_CITING_HAMAS = [("News site", HopRelation.QUOTES), ("TASS", HopRelation.CITES), ("Hamas", HopRelation.PUBLISHES)]
OUTLET_CITING_HAMAS = [("Outlet", HopRelation.CITES), ("Hamas", HopRelation.PUBLISHES)]
ARTICLE = [("The article", HopRelation.PUBLISHES)]


@pytest.fixture
def scene(desk: Desk) -> dict[str, Any]:
    """Three published answers and one the desk is still working on, with relations in every state.

    over (Hamas via TASS, "over a thousand"), nearly (the article, "nearly a thousand"), about (Hamas, by the outlet
    quoting it: "about a thousand"): published. draft ("Secret draft wording", "twelve hundred"): new, unpublished.
    """
    q = services.question_create(actor=None, text="How many were killed on 7 October 2023?", kind="quantity")
    over = desk.answer(
        q, "Over a thousand were killed.", TASS_CITING_HAMAS, [quantity("over a thousand", 1000, None, "()")]
    )
    nearly = desk.answer(q, "Nearly a thousand were killed.", ARTICLE, [quantity("nearly a thousand", 900, 1000, "[)")])
    about = desk.answer(
        q, "About a thousand were killed.", OUTLET_CITING_HAMAS, [quantity("about a thousand", 950, 1050, "[]")]
    )
    draft = desk.answer(
        q, "Secret draft wording.", [("Leaker", HopRelation.PUBLISHES)], [quantity("twelve hundred", 1200, 1200, "[]")]
    )
    for claim in (over, nearly, about):
        desk.publish(claim)

    def between(a: Claim, b: Claim) -> ClaimRelation:
        return R.objects.get(from_claim__in=[a, b], to_claim__in=[a, b])

    # over/nearly contradict (confirmed); nearly/about support (dismissed); over/about support (left suggested);
    # draft/over support, draft/nearly contradict, draft/about contradict: suggestions around an unpublished claim,
    # and one confirmed (readers must not see it either: the draft is not theirs).
    services.relation_confirm(relation=between(over, nearly), actor=desk.editor)
    services.relation_dismiss(relation=between(nearly, about), actor=desk.editor)
    services.relation_confirm(relation=between(draft, nearly), actor=desk.editor)
    return {"question": q, "over": over, "nearly": nearly, "about": about, "draft": draft, "between": between}


def answer_ids(body: dict[str, Any]) -> list[int]:
    return [answer["id"] for answer in body["answers"]]


def relation_pairs(body: dict[str, Any]) -> set[tuple[frozenset[int], str, str]]:
    return {(frozenset((r["from_claim"], r["to_claim"])), r["kind"], r["state"]) for r in body["relations"]}


def ids(*claims: Claim) -> frozenset[int]:
    return frozenset(claim.pk for claim in claims)


# The desk ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("client_name", DESK)
def test_the_desk_sees_every_answer_live_and_every_relation(request, client_name, scene):
    over, nearly, about, draft = scene["over"], scene["nearly"], scene["about"], scene["draft"]
    body = request.getfixturevalue(client_name).get(url(scene["question"])).json()

    assert answer_ids(body) == sorted([over.pk, nearly.pk, about.pk, draft.pk])
    by_id = {answer["id"]: answer for answer in body["answers"]}
    assert by_id[draft.pk]["statement"] == "Secret draft wording."
    assert by_id[draft.pk]["status"] == ClaimStatus.NEW
    assert by_id[draft.pk]["current_verdict"] is None
    assert by_id[over.pk]["status"] == ClaimStatus.PUBLISHED
    assert by_id[over.pk]["current_verdict"]["rating"]["slug"] == "false"
    assert all(answer["answers"] for answer in body["answers"])
    assert by_id[over.pk]["source"] == "Hamas via TASS"
    assert by_id[nearly.pk]["source"] == "The article"
    assert by_id[over.pk]["url"] == f"http://testserver/api/v1/claims/{over.pk}/"
    assert by_id[over.pk]["values"][0] | {"id": None} == {
        "id": None,
        "kind": "quantity",
        "expression": "over a thousand",
        "low": "1000",
        "high": None,
        "low_inclusive": False,
        "high_inclusive": False,
        "qualifier": "exact",
        "unit": "people",
        "precision": "",
        "as_of": None,
        "place": "",
    }
    assert [hop["source"]["name"] for hop in by_id[over.pk]["attributions"][0]["hops"]] == [
        "News site",
        "TASS",
        "Hamas",
    ]
    assert relation_pairs(body) == {
        (ids(over, nearly), R.Kind.CONTRADICTS, "confirmed"),
        (ids(nearly, about), R.Kind.SUPPORTS, "dismissed"),
        (ids(over, about), R.Kind.SUPPORTS, "suggested"),
        (ids(draft, over), R.Kind.SUPPORTS, "suggested"),
        (ids(draft, nearly), R.Kind.CONTRADICTS, "confirmed"),
        (ids(draft, about), R.Kind.CONTRADICTS, "suggested"),
    }
    contradiction = next(
        r for r in body["relations"] if frozenset((r["from_claim"], r["to_claim"])) == ids(over, nearly)
    )
    assert contradiction["origin"] == "detector"
    assert "“over a thousand”" in contradiction["explanation"]
    assert "“nearly a thousand”" in contradiction["explanation"]
    assert 0 <= contradiction["score"] <= 1


def test_the_desk_sees_a_dismissed_claim_as_not_answering(editor_client, scene, editor):
    services.claim_dismiss(claim=scene["draft"], actor=editor, comment="Not checkable.")
    body = editor_client.get(url(scene["question"])).json()
    answering = {answer["id"]: (answer["status"], answer["answers"]) for answer in body["answers"]}
    assert answering[scene["draft"].pk] == (ClaimStatus.DISMISSED, False)
    assert {answers for _, answers in answering.values()} == {True, False}
    # Its suggestions went with the dismissal; the editor's confirmed decision stays.
    assert {(pair, kind, state) for pair, kind, state in relation_pairs(body) if scene["draft"].pk in pair} == {
        (ids(scene["draft"], scene["nearly"]), R.Kind.CONTRADICTS, "confirmed")
    }


def test_the_desk_sees_the_live_wording_and_value_after_publication(editor_client, scene, editor):
    over = scene["over"]
    services.claim_update(claim=over, actor=editor, statement="Reworded after publication.")
    services.claim_values_set(claim=over, values=[quantity("twelve hundred", 1200, 1200, "[]")], actor=editor)

    answer = next(a for a in editor_client.get(url(scene["question"])).json()["answers"] if a["id"] == over.pk)
    assert answer["statement"] == "Reworded after publication."
    assert [(v["expression"], v["low"], v["high"]) for v in answer["values"]] == [("twelve hundred", "1200", "1200")]


# Readers -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("client_name", READERS)
def test_readers_see_published_answers_and_confirmed_relations_only(request, client_name, scene):
    over, nearly, about = scene["over"], scene["nearly"], scene["about"]
    response = request.getfixturevalue(client_name).get(url(scene["question"]))

    assert response.status_code == 200
    body = response.json()
    assert answer_ids(body) == sorted([over.pk, nearly.pk, about.pk])
    assert {answer["status"] for answer in body["answers"]} == {ClaimStatus.PUBLISHED}
    assert all(answer["answers"] for answer in body["answers"])
    assert all(answer["current_verdict"]["rating"]["slug"] == "false" for answer in body["answers"])
    assert relation_pairs(body) == {(ids(over, nearly), R.Kind.CONTRADICTS, "confirmed")}


@pytest.mark.parametrize("client_name", READERS)
def test_readers_never_see_an_unpublished_claim_or_its_relations(request, client_name, scene):
    draft = scene["draft"]
    response = request.getfixturevalue(client_name).get(url(scene["question"]))
    body = response.json()
    text = response.content.decode()

    assert draft.pk not in answer_ids(body)
    assert all(draft.pk not in (r["from_claim"], r["to_claim"]) for r in body["relations"])
    chains = [chain for origin in body["origins"]["origins"] for chain in origin["chains"]]
    assert all(chain["claim"] != draft.pk for chain in chains)
    assert "Secret draft wording" not in text
    assert "twelve hundred" not in text
    assert "Leaker" not in text
    assert f"/claims/{draft.pk}/" not in text


@pytest.mark.parametrize("client_name", READERS)
def test_readers_see_each_answer_as_approved_not_as_edited_since(request, client_name, scene, editor):
    over = scene["over"]
    services.claim_update(claim=over, actor=editor, statement="Reworded after publication.")
    services.claim_values_set(claim=over, values=[quantity("twelve hundred", 1200, 1200, "[]")], actor=editor)
    services.attribution_chain_set(
        claim=over,
        appearance=AppearanceFactory(),
        hops=[services.Hop(source=SourceFactory(name="New ministry"), relation=HopRelation.PUBLISHES)],
        actor=editor,
    )

    response = request.getfixturevalue(client_name).get(url(scene["question"]))
    text = response.content.decode()
    answer = next(a for a in response.json()["answers"] if a["id"] == over.pk)

    assert answer["statement"] == "Over a thousand were killed."
    assert [(v["expression"], v["low"], v["high"]) for v in answer["values"]] == [("over a thousand", "1000", None)]
    assert answer["source"] == "Hamas via TASS"
    assert len(answer["attributions"]) == 1
    for unapproved in ("Reworded after publication", "twelve hundred", "New ministry"):
        assert unapproved not in text


@pytest.mark.parametrize("client_name", READERS)
def test_readers_find_a_published_claim_under_the_question_it_was_approved_with(request, client_name, scene, editor):
    # The desk moves a published claim to another question; until a correction is published, readers still see it
    # where it was approved.
    other = services.question_create(actor=None, text="How many were taken hostage?", kind="quantity")
    services.claim_update(claim=scene["over"], actor=editor, question=other)
    client = request.getfixturevalue(client_name)
    assert scene["over"].pk in answer_ids(client.get(url(scene["question"])).json())
    assert answer_ids(client.get(url(other)).json()) == []


def test_a_relation_confirmed_between_published_claims_reaches_readers_once_confirmed(anon_client, scene, editor):
    over, about = scene["over"], scene["about"]
    assert ids(over, about) not in {
        pair for pair, _, _ in relation_pairs(anon_client.get(url(scene["question"])).json())
    }
    services.relation_confirm(relation=scene["between"](over, about), actor=editor)
    assert (ids(over, about), R.Kind.SUPPORTS, "confirmed") in relation_pairs(
        anon_client.get(url(scene["question"])).json()
    )


# Origins -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("client_name", ["anon_client", "editor_client"])
def test_tass_citing_hamas_and_an_outlet_citing_hamas_are_one_origin(request, client_name, scene):
    over, nearly, about = scene["over"], scene["nearly"], scene["about"]
    origins = request.getfixturevalue(client_name).get(url(scene["question"])).json()["origins"]

    by_source = {origin["source"]["name"]: origin for origin in origins["origins"]}
    hamas = by_source["Hamas"]
    assert sorted((chain["claim"], chain["label"]) for chain in hamas["chains"]) == sorted(
        [(over.pk, "Hamas via TASS"), (about.pk, "Hamas")]  # the outlet is the page itself
    )
    assert [source["name"] for source in hamas["chains"][0]["path"]] in (
        ["News site", "TASS", "Hamas"],
        ["Outlet", "Hamas"],
    )
    assert [chain["claim"] for chain in by_source["The article"]["chains"]] == [nearly.pk]
    assert origins["origins"][0]["source"]["name"] == "Hamas"  # most chains first
    if client_name == "anon_client":
        assert origins["count"] == 2  # Hamas and the article
        assert set(by_source) == {"Hamas", "The article"}
    else:
        assert origins["count"] == 3  # and the draft's leaker
    assert (origins["unnamed_chains"], origins["circular"]) == (0, [])


def test_an_unknown_question_is_404(anon_client):
    response = anon_client.get("/api/v1/questions/987654321/")
    assert response.status_code == 404


# Claim detail `origins` --------------------------------------------------------------------------------------------


def test_claim_detail_origins_desk_live_readers_as_approved(anon_client, editor_client, scene, editor):
    over = scene["over"]
    services.attribution_chain_set(
        claim=over,
        appearance=AppearanceFactory(),
        hops=[
            services.Hop(source=SourceFactory(name="Another site"), relation=HopRelation.CITES),
            services.Hop(source=SourceFactory(name="Israeli ministry"), relation=HopRelation.PUBLISHES),
        ],
        actor=editor,
    )
    claim_url = f"/api/v1/claims/{over.pk}/"

    readers = anon_client.get(claim_url).json()["origins"]
    assert readers["count"] == 1
    assert [origin["source"]["name"] for origin in readers["origins"]] == ["Hamas"]
    assert [chain["label"] for chain in readers["origins"][0]["chains"]] == ["Hamas via TASS"]
    assert readers["origins"][0]["chains"][0]["claim"] is None

    desk = editor_client.get(claim_url).json()["origins"]
    assert desk["count"] == 2
    assert sorted(origin["source"]["name"] for origin in desk["origins"]) == ["Hamas", "Israeli ministry"]
    assert "Israeli ministry" not in json.dumps(readers)


def test_claim_detail_origins_count_chains_ending_in_unnamed_sources_apart(editor_client, desk):
    q = services.question_create(actor=None, text="How many?", kind="quantity")
    claim = desk.answer(q, "Some say so.", [("Paper", HopRelation.CITES_UNNAMED)], [quantity("five", 5, 5, "[]")])
    origins = editor_client.get(f"/api/v1/claims/{claim.pk}/").json()["origins"]
    assert (origins["count"], origins["unnamed_chains"], origins["origins"]) == (0, 1, [])


# Cost ----------------------------------------------------------------------------------------------------------------


def _question_with_answers(desk: Desk, count: int) -> Question:
    q = services.question_create(actor=None, text=f"How many, {count}?", kind="quantity")
    previous = None
    for n in range(count):
        claim = desk.answer(
            q, f"Answer {n}.", TASS_CITING_HAMAS if n % 2 else OUTLET_CITING_HAMAS, [quantity(f"{n}", n, n, "[]")]
        )
        desk.publish(claim)
        if previous is not None:
            relation = R.objects.get(from_claim__in=[claim, previous], to_claim__in=[claim, previous])
            services.relation_confirm(relation=relation, actor=desk.editor)
        previous = claim
    return q


# The desk, whatever the number of answers:
#   1. the question
#   2. the user's desk roles (auth groups: factcheck.roles, cached on the user for the request)
#   3. its claims with their claimants
#   4. their hops with sources, appearances and publishers (prefetch)
#   5. their values (prefetch)
#   6. their current published verdicts with rating and scale (prefetch)
#   7. the relations among them
# Readers:
#   1. the question
#   2. the current published versions whose approved claim answers it (claim_snapshot), with rating and scale
#   3. the confirmed relations among them
DESK_QUERIES, READER_QUERIES = 7, 3


@pytest.mark.parametrize("count", [2, 8])
def test_the_question_view_costs_the_same_for_2_or_8_answers(
    count, desk, editor_client, anon_client, django_assert_num_queries
):
    q = _question_with_answers(desk, count)
    with django_assert_num_queries(DESK_QUERIES):
        body = editor_client.get(url(q)).json()
    assert len(body["answers"]) == count
    with django_assert_num_queries(READER_QUERIES):
        body = anon_client.get(url(q)).json()
    assert len(body["answers"]) == count
    assert len(body["relations"]) == count - 1
    assert body["origins"]["count"] == 1


def test_readers_are_not_shown_unapproved_wording_through_a_relations_explanation(anon_client, scene, editor):
    over, about = scene["over"], scene["about"]
    services.claim_values_set(claim=about, values=[quantity("roughly one thousand", 950, 1050, "[]")], actor=editor)
    services.relation_confirm(relation=scene["between"](over, about), actor=editor)

    response = anon_client.get(url(scene["question"]))
    assert (ids(over, about), R.Kind.SUPPORTS, "confirmed") in relation_pairs(response.json())
    assert "roughly one thousand" not in response.content.decode()
