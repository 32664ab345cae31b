"""Contradiction detection kept in step by the services (claims.crossref.detect), the editors' decisions on its
suggestions (claims.services.relations), the detect_relations command and the admin's value inline."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.contrib.postgres.fields.ranges import NumericRange
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from claims import services
from claims.crossref.detect import claim_relations_refresh, question_relations_refresh
from claims.models import Claim, ClaimRelation, ClaimValue, HopRelation, Question
from tests.claims.test_admin import change_url, form_data
from tests.factories import (
    ClaimFactory,
    ClaimRelationFactory,
    ClaimValueFactory,
    QuestionFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

R = ClaimRelation
NEARLY = {"expression": "nearly a thousand", "low": 900, "high": 1000, "bounds": "[)", "qualifier": "nearly"}
OVER = {"expression": "over a thousand", "low": 1000, "high": None, "bounds": "()", "qualifier": "more_than"}
ABOUT = {"expression": "about a thousand", "low": 950, "high": 1050, "bounds": "[]", "qualifier": "about"}


def value(expression: str, low: Any, high: Any, bounds: str, qualifier: str = "exact", **more: Any) -> dict[str, Any]:
    """The fields of one quantity ClaimValue."""
    return {
        "kind": ClaimValue.Kind.QUANTITY,
        "expression": expression,
        "quantity": NumericRange(
            None if low is None else Decimal(low), None if high is None else Decimal(high), bounds
        ),
        "qualifier": qualifier,
        "unit": "people",
        **more,
    }


def question(*, cumulative: bool = False, text: str = "How many were killed on 7 October 2023?") -> Question:
    return services.question_create(actor=None, text=text, kind="quantity", unit="people", cumulative=cumulative)


def answer(
    q: Question | None,
    actor: Any,
    *,
    source: str,
    values: list[dict[str, Any]] = (),
    claim_date: dt.date | None = dt.date(2024, 2, 29),
    via: str | None = None,
) -> Claim:
    """A claim answering `q`, built as the desk builds it: created, its chain set, then its values added."""
    # Duplicate suggestions (claims.related) are another detector's, tested on their own.
    claim = services.claim_create(
        suggest_duplicates=False,
        actor=actor,
        statement=f"{source} gives a figure.",
        kind="quantity",
        question=q,
        claim_date=claim_date,
    )
    origin = SourceFactory(name=source)
    hops = [services.Hop(source=origin, relation=HopRelation.PUBLISHES)]
    if via:
        # "a news site quotes <via>, citing <source>": the page's own hop, the relay, the original speaker.
        hops = [
            services.Hop(source=SourceFactory(name=f"News site {claim.pk}"), relation=HopRelation.QUOTES),
            services.Hop(source=SourceFactory(name=via), relation=HopRelation.CITES),
            *hops,
        ]
    services.attribution_chain_set(claim=claim, appearance=None, hops=hops, actor=actor)
    for fields in values:
        services.claim_value_add(claim=claim, actor=actor, **value(**fields))
    return claim


def relations() -> list[tuple[int, int, str, str, str]]:
    return sorted(R.objects.values_list("from_claim", "to_claim", "kind", "origin", "state"))


def pair(a: Claim, b: Claim) -> frozenset[int]:
    return frozenset((a.pk, b.pk))


def only_relation() -> ClaimRelation:
    (relation,) = R.objects.all()
    return relation


# Suggestions follow the values -------------------------------------------------------------------------------------


def test_values_on_two_answers_make_exactly_one_suggested_contradiction_with_its_explanation(editor):
    q = question()
    article = answer(q, editor, source="The article", values=[NEARLY])
    assert not R.objects.exists()  # one answer: nothing to compare yet

    tass = answer(q, editor, source="Hamas", via="TASS", values=[OVER])

    relation = only_relation()
    assert frozenset((relation.from_claim_id, relation.to_claim_id)) == pair(article, tass)
    assert (relation.kind, relation.origin, relation.state) == (R.Kind.CONTRADICTS, R.Origin.DETECTOR, "suggested")
    assert relation.score == 0.6  # touching at an open end: the weakest conflict
    assert (relation.decided_at, relation.decided_by) == (None, None)
    assert "Hamas via TASS: more than 1,000 (“over a thousand”)" in relation.explanation
    assert "The article: 900 to under 1,000 (“nearly a thousand”)" in relation.explanation
    assert relation.explanation.endswith("— the intervals do not overlap.")


def test_a_value_changed_to_overlap_turns_the_contradiction_into_support(editor):
    q = question()
    article = answer(q, editor, source="The article", values=[NEARLY])
    tass = answer(q, editor, source="Hamas", via="TASS", values=[OVER])

    services.claim_values_set(claim=article, values=[value(**ABOUT)], actor=editor)

    relation = only_relation()  # the stale contradiction is gone, not kept beside the support
    assert frozenset((relation.from_claim_id, relation.to_claim_id)) == pair(article, tass)
    assert (relation.kind, relation.state) == (R.Kind.SUPPORTS, "suggested")
    assert "the intervals overlap" in relation.explanation
    assert "“about a thousand”" in relation.explanation

    # And back: the support goes, a contradiction is suggested again.
    services.claim_values_set(claim=article, values=[value(**NEARLY)], actor=editor)
    assert [row[2] for row in relations()] == [R.Kind.CONTRADICTS]


def test_removing_a_claims_values_removes_its_suggestions(editor):
    q = question()
    article = answer(q, editor, source="The article", values=[NEARLY])
    answer(q, editor, source="Hamas", via="TASS", values=[OVER])
    services.claim_values_set(claim=article, values=[], actor=editor)
    assert relations() == []


def test_a_new_chain_renames_the_answer_in_the_explanation(editor):
    q = question()
    article = answer(q, editor, source="The article", values=[NEARLY])
    answer(q, editor, source="Hamas", via="TASS", values=[OVER])
    services.attribution_chain_set(
        claim=article,
        appearance=None,
        hops=[services.Hop(source=SourceFactory(name="Israel's foreign ministry"), relation=HopRelation.PUBLISHES)],
        actor=editor,
    )
    explanation = only_relation().explanation
    assert "Israel's foreign ministry: 900 to under 1,000" in explanation
    assert "The article" not in explanation


def test_answers_in_other_units_or_places_are_not_compared(editor):
    q = question()
    a = answer(q, editor, source="A", values=[NEARLY])
    answer(q, editor, source="B", values=[{**OVER, "unit": "soldiers"}])
    c = answer(q, editor, source="C", values=[{**NEARLY, "place": "Gaza"}])
    d = answer(q, editor, source="D", values=[{**OVER, "place": "Israel"}])
    # B counts soldiers, not people; C and D speak of different places; A names no place, so it meets both.
    found = {(frozenset((f, t)), kind) for f, t, kind, _, _ in relations()}
    assert found == {(pair(a, c), R.Kind.SUPPORTS), (pair(a, d), R.Kind.CONTRADICTS)}


def test_claims_of_different_questions_are_never_compared(editor):
    answer(question(), editor, source="A", values=[NEARLY])
    answer(question(text="How many were taken hostage?"), editor, source="B", values=[OVER])
    answer(None, editor, source="C", values=[OVER])
    assert relations() == []


# Editors' decisions stand ------------------------------------------------------------------------------------------


def test_a_confirmed_relation_survives_refreshes_untouched(editor):
    q = question()
    article = answer(q, editor, source="The article", values=[NEARLY])
    answer(q, editor, source="Hamas", via="TASS", values=[OVER])
    confirmed = services.relation_confirm(relation=only_relation(), actor=editor)
    before = R.objects.filter(pk=confirmed.pk).values().get()

    # The values change so that the answers agree; the editor's decision is theirs to revisit, not the detector's.
    services.claim_values_set(claim=article, values=[value(**ABOUT)], actor=editor)
    question_relations_refresh(question=q)
    call_command("detect_relations", stdout=StringIO())

    assert R.objects.filter(pk=confirmed.pk).values().get() == before


def test_a_dismissed_suggestion_survives_and_is_not_suggested_again(editor):
    q = question()
    article = answer(q, editor, source="The article", values=[NEARLY])
    tass = answer(q, editor, source="Hamas", via="TASS", values=[OVER])
    dismissed = services.relation_dismiss(relation=only_relation(), actor=editor)
    before = R.objects.filter(pk=dismissed.pk).values().get()

    services.claim_values_set(claim=article, values=[value(**NEARLY)], actor=editor)  # the finding still stands
    services.claim_values_set(claim=tass, values=[value(**OVER)], actor=editor)
    result = question_relations_refresh(question=q)

    assert (result.created, result.updated, result.removed) == (0, 0, 0)
    assert R.objects.filter(pk=dismissed.pk).values().get() == before
    assert R.objects.count() == 1
    out = StringIO()
    call_command("detect_relations", stdout=out)
    assert out.getvalue().strip() == "detect_relations: 0 suggested, 0 updated, 0 removed."


def test_a_relation_an_editor_recorded_is_neither_updated_nor_removed(editor):
    q = question()
    a = answer(q, editor, source="A", values=[ABOUT])
    b = answer(q, editor, source="B", values=[OVER])  # they overlap: the detector finds support
    recorded = ClaimRelationFactory(
        from_claim=a, to_claim=b, kind=R.Kind.CONTRADICTS, origin=R.Origin.EDITOR, explanation="My reading.", score=None
    )
    services.claim_values_set(claim=a, values=[value(**ABOUT)], actor=editor)
    question_relations_refresh(question=q)
    recorded.refresh_from_db()
    assert (recorded.kind, recorded.origin, recorded.state, recorded.explanation, recorded.score) == (
        R.Kind.CONTRADICTS,
        R.Origin.EDITOR,
        "suggested",
        "My reading.",
        None,
    )


# Claims leaving the comparison -------------------------------------------------------------------------------------


def test_moving_a_claim_to_another_question_removes_its_suggestions_and_compares_it_there(editor):
    q, other = question(), question(text="How many were taken hostage?")
    article = answer(q, editor, source="The article", values=[NEARLY])
    answer(q, editor, source="Hamas", via="TASS", values=[OVER])
    there = answer(other, editor, source="Elsewhere", values=[ABOUT])
    assert R.objects.count() == 1

    services.claim_update(claim=article, actor=editor, question=other)

    relation = only_relation()
    assert frozenset((relation.from_claim_id, relation.to_claim_id)) == pair(article, there)
    assert relation.kind == R.Kind.SUPPORTS

    services.claim_update(claim=article, actor=editor, question=None)
    assert relations() == []


def test_dismissing_a_claim_removes_its_suggestions_but_not_decisions(editor):
    q = question()
    article = answer(q, editor, source="The article", values=[NEARLY])
    tass = answer(q, editor, source="Hamas", via="TASS", values=[OVER])
    third = answer(q, editor, source="Third", values=[ABOUT])
    found = {(frozenset((f, t)), kind) for f, t, kind, _, _ in relations()}
    assert found == {
        (pair(article, tass), R.Kind.CONTRADICTS),
        (pair(article, third), R.Kind.SUPPORTS),
        (pair(tass, third), R.Kind.SUPPORTS),
    }
    services.relation_confirm(relation=R.objects.get(kind=R.Kind.CONTRADICTS), actor=editor)

    services.claim_dismiss(claim=article, actor=editor, comment="Not checkable.")

    remaining = {(frozenset((f, t)), kind, state) for f, t, kind, _, state in relations()}
    assert remaining == {
        (pair(article, tass), R.Kind.CONTRADICTS, "confirmed"),
        (pair(tass, third), R.Kind.SUPPORTS, "suggested"),
    }
    # The dismissed claim answers nothing: a full run suggests nothing for it either.
    call_command("detect_relations", stdout=StringIO())
    assert {(frozenset((f, t)), kind, state) for f, t, kind, _, state in relations()} == remaining


def test_marking_a_claim_a_duplicate_removes_its_suggestions_and_keeps_the_duplicate_link(editor):
    q = question()
    article = answer(q, editor, source="The article", values=[NEARLY])
    tass = answer(q, editor, source="Hamas", via="TASS", values=[OVER])
    services.claim_mark_duplicate(claim=article, actor=editor, of=tass)
    assert relations() == [(article.pk, tass.pk, R.Kind.DUPLICATE_OF, R.Origin.EDITOR, "confirmed")]


# Cumulative questions ----------------------------------------------------------------------------------------------


def test_on_a_cumulative_question_a_later_larger_toll_supersedes_the_earlier_one(editor):
    q = question(cumulative=True)
    early = answer(q, editor, source="Early report", values=[NEARLY], claim_date=dt.date(2023, 10, 8))
    late = answer(q, editor, source="Late report", values=[OVER], claim_date=dt.date(2023, 11, 10))

    relation = only_relation()
    assert (relation.from_claim_id, relation.to_claim_id, relation.kind) == (late.pk, early.pk, R.Kind.SUPERSEDES)
    assert relation.explanation.startswith("Late report on 10 November 2023: more than 1,000")
    assert "supersedes the earlier one" in relation.explanation

    # The later report's date moves before the earlier one's: now the running total fell, a contradiction.
    services.claim_update(claim=late, actor=editor, claim_date=dt.date(2023, 10, 1))
    relation = only_relation()
    assert (relation.from_claim_id, relation.to_claim_id, relation.kind) == (early.pk, late.pk, R.Kind.CONTRADICTS)


def test_the_values_as_of_date_wins_over_the_claims_date(editor):
    q = question(cumulative=True)
    early = answer(q, editor, source="Early", values=[{**NEARLY, "as_of": dt.date(2023, 10, 8)}])
    late = answer(q, editor, source="Late", values=[{**OVER, "as_of": dt.date(2023, 11, 10)}])
    # Both claims are dated 29 February 2024; the figures' own dates tell which is later.
    relation = only_relation()
    assert (relation.from_claim_id, relation.to_claim_id, relation.kind) == (late.pk, early.pk, R.Kind.SUPERSEDES)


def test_on_a_cumulative_question_the_same_date_contradicts(editor):
    q = question(cumulative=True)
    answer(q, editor, source="A", values=[NEARLY])
    answer(q, editor, source="B", values=[OVER])
    assert [row[2] for row in relations()] == [R.Kind.CONTRADICTS]


def test_marking_a_question_cumulative_turns_a_later_larger_toll_into_supersedes(editor):
    q = question()
    early = answer(q, editor, source="Early", values=[NEARLY], claim_date=dt.date(2023, 10, 8))
    late = answer(q, editor, source="Late", values=[OVER], claim_date=dt.date(2023, 11, 10))
    assert [row[2] for row in relations()] == [R.Kind.CONTRADICTS]

    services.question_update(question=q, actor=editor, cumulative=True)

    assert relations() == [(late.pk, early.pk, R.Kind.SUPERSEDES, R.Origin.DETECTOR, "suggested")]


# One row per symmetric relation ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [R.Kind.CONTRADICTS, R.Kind.SUPPORTS])
def test_the_database_refuses_the_same_symmetric_relation_in_the_other_direction(kind):
    a, b = ClaimFactory(), ClaimFactory()
    ClaimRelationFactory(from_claim=a, to_claim=b, kind=kind)
    with pytest.raises(IntegrityError, match="claimrelation_symmetric_unique"), transaction.atomic():
        ClaimRelationFactory(from_claim=b, to_claim=a, kind=kind)


def test_directed_relations_may_run_both_ways_and_other_kinds_may_share_a_pair():
    a, b = ClaimFactory(), ClaimFactory()
    ClaimRelationFactory(from_claim=a, to_claim=b, kind=R.Kind.CONTRADICTS)
    ClaimRelationFactory(from_claim=b, to_claim=a, kind=R.Kind.SUPPORTS)
    ClaimRelationFactory(from_claim=a, to_claim=b, kind=R.Kind.NARROWER_THAN)
    ClaimRelationFactory(from_claim=b, to_claim=a, kind=R.Kind.NARROWER_THAN)
    assert R.objects.count() == 4


def test_full_clean_words_the_symmetric_duplicate():
    a, b = ClaimFactory(), ClaimFactory()
    ClaimRelationFactory(from_claim=a, to_claim=b, kind=R.Kind.CONTRADICTS)
    with pytest.raises(ValidationError, match="already related this way \\(in the other direction\\)"):
        R(from_claim=b, to_claim=a, kind=R.Kind.CONTRADICTS).full_clean()


# Confirm and dismiss -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("decide", "state"), [(services.relation_confirm, "confirmed"), (services.relation_dismiss, "dismissed")]
)
def test_an_editor_decides_a_suggestion_once(editor, decide, state):
    relation = ClaimRelationFactory(origin=R.Origin.DETECTOR)
    decided = decide(relation=relation, actor=editor)
    decided.refresh_from_db()
    assert (decided.state, decided.decided_by) == (state, editor)
    assert decided.decided_at is not None

    with pytest.raises(ValidationError) as refused:
        decide(relation=relation, actor=editor)
    assert "state" in refused.value.message_dict
    assert R.objects.get(pk=relation.pk).decided_at == decided.decided_at


def test_an_editor_may_change_their_mind(editor):
    relation = services.relation_dismiss(relation=ClaimRelationFactory(), actor=editor)
    assert services.relation_confirm(relation=relation, actor=editor).state == "confirmed"


@pytest.mark.parametrize("who", ["fact_checker", "outsider"])
@pytest.mark.parametrize("decide", [services.relation_confirm, services.relation_dismiss])
def test_only_editors_confirm_or_dismiss_relations(request, who, decide):
    relation = ClaimRelationFactory()
    with pytest.raises(PermissionDenied):
        decide(relation=relation, actor=request.getfixturevalue(who))
    relation.refresh_from_db()
    assert (relation.state, relation.decided_by, relation.decided_at) == ("suggested", None, None)


# The detect_relations command --------------------------------------------------------------------------------------


def run(*args: str) -> str:
    out = StringIO()
    call_command("detect_relations", *args, stdout=out)
    return out.getvalue().strip()


def test_the_command_suggests_what_rows_written_around_the_services_miss_and_is_idempotent():
    # Rows written straight to the tables (an import, a shell) skip the services' refresh.
    q = QuestionFactory()
    claims = [ClaimFactory(question=q) for _ in range(3)]
    ClaimValueFactory(claim=claims[0], expression="nearly a thousand", quantity=NumericRange(900, 1000, "[)"))
    ClaimValueFactory(claim=claims[1], expression="over a thousand", quantity=NumericRange(1000, None, "()"))
    ClaimValueFactory(claim=claims[2], expression="about a thousand", quantity=NumericRange(950, 1050, "[]"))
    # A leftover suggestion between claims that no longer share a question.
    stray = ClaimRelationFactory(
        from_claim=ClaimFactory(question=q), to_claim=ClaimFactory(question=None), origin=R.Origin.DETECTOR
    )

    assert run() == "detect_relations: 3 suggested, 0 updated, 1 removed."
    assert not R.objects.filter(pk=stray.pk).exists()
    assert sorted((kind, state) for *_, kind, _, state in relations()) == [
        (R.Kind.CONTRADICTS, "suggested"),
        (R.Kind.SUPPORTS, "suggested"),
        (R.Kind.SUPPORTS, "suggested"),
    ]
    assert run() == "detect_relations: 0 suggested, 0 updated, 0 removed."


def test_the_command_finds_nothing_to_do_after_the_services(editor):
    q = question()
    answer(q, editor, source="The article", values=[NEARLY])
    answer(q, editor, source="Hamas", via="TASS", values=[OVER])
    answer(q, editor, source="Third", values=[ABOUT])
    assert run() == "detect_relations: 0 suggested, 0 updated, 0 removed."


def test_refreshing_an_unchanged_claim_writes_nothing():
    _, made = _question_with(3, 1)
    queries = _refresh_queries(made[1])  # the middle claim: its pair with made[0] is worded lower id first
    assert not [sql for sql in queries if sql.startswith(("INSERT", "UPDATE", "DELETE"))], queries


def test_the_command_refreshes_only_the_questions_given():
    asked, other = QuestionFactory(), QuestionFactory()
    for q in (asked, other):
        ClaimValueFactory(claim=ClaimFactory(question=q), quantity=NumericRange(900, 1000, "[)"))
        ClaimValueFactory(claim=ClaimFactory(question=q), quantity=NumericRange(1000, None, "()"))
    assert run("--question", str(asked.pk)) == "detect_relations: 1 suggested, 0 updated, 0 removed."
    assert set(R.objects.values_list("from_claim__question", flat=True)) == {asked.pk}
    assert run("--question", str(asked.pk), "--question", str(other.pk)).startswith("detect_relations: 1 suggested")


def test_the_command_refuses_an_unknown_question():
    known = QuestionFactory()
    with pytest.raises(CommandError, match="No question with id 987654321"):
        run("--question", str(known.pk), "--question", "987654321")


# The admin's value inline ------------------------------------------------------------------------------------------


@pytest.fixture
def desk(client, admin_user):
    client.force_login(admin_user)
    return client


def test_changing_a_values_end_in_the_admin_inline_updates_the_relation(desk, editor):
    q = question()
    article = answer(q, editor, source="The article", values=[NEARLY])
    answer(q, editor, source="Hamas", via="TASS", values=[OVER])
    assert only_relation().kind == R.Kind.CONTRADICTS

    data = form_data(desk.get(change_url(article)))
    assert (data["values-0-low"], data["values-0-high"]) == ("900", "1000")
    data["values-0-high"] = "1,001"
    response = desk.post(change_url(article), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    assert ClaimValue.objects.get(claim=article).quantity == NumericRange(Decimal(900), Decimal(1001), "[)")
    relation = only_relation()
    assert relation.kind == R.Kind.SUPPORTS
    assert "900 to under 1,001" in relation.explanation


def test_removing_a_value_in_the_admin_inline_removes_the_suggestion(desk, editor):
    q = question()
    article = answer(q, editor, source="The article", values=[NEARLY])
    answer(q, editor, source="Hamas", via="TASS", values=[OVER])
    data = form_data(desk.get(change_url(article)))
    data["values-0-DELETE"] = "on"
    assert desk.post(change_url(article), data).status_code == 302
    assert relations() == []


def test_moving_a_claim_to_another_question_in_the_admin_removes_its_suggestions(desk, editor):
    q, other = question(), question(text="How many were taken hostage?")
    article = answer(q, editor, source="The article", values=[NEARLY])
    answer(q, editor, source="Hamas", via="TASS", values=[OVER])
    data = form_data(desk.get(change_url(article)))
    data["question"] = str(other.pk)
    assert desk.post(change_url(article), data).status_code == 302
    assert relations() == []


# Cost ----------------------------------------------------------------------------------------------------------------


def _question_with(claims: int, values_each: int) -> tuple[Question, list[Claim]]:
    q = QuestionFactory()
    made = []
    for n in range(claims):
        claim = ClaimFactory(question=q)
        for k in range(values_each):
            # Distinct, disjoint values (1000n + 10k): a claim listing several values never contradicts.
            start = 1000 * n + 10 * k
            ClaimValueFactory(claim=claim, quantity=NumericRange(start, start + 5, "[)"), unit="people")
        made.append(claim)
    question_relations_refresh(question=q)
    return q, made


def _refresh_queries(claim: Claim) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        claim_relations_refresh(claim=claim)
    return [query["sql"] for query in ctx.captured_queries]


# With nothing to change, refreshing one claim costs the same whatever the size of its question and however many
# values its claims carry:
#   1. SAVEPOINT (claim_relations_refresh is atomic, inside the test's transaction)
#   2. the claim's status and question (one join)
#   3. the question's row, FOR UPDATE (two refreshes of one question queue up)
#   4. the question's claims not set aside
#   5. their values (prefetch)
#   6. their chains with sources and appearances (prefetch)
#   7. the detector-kind relations of the claim
#   8. RELEASE SAVEPOINT
# Where findings change, each created row adds an INSERT (plus FOREIGN KEY checks from full_clean), each changed
# explanation an UPDATE, the stale ones one DELETE: proportional to the question's claims, never to the database.
STEADY_REFRESH_QUERIES = 8


@pytest.mark.parametrize(("claims", "values_each"), [(3, 1), (10, 1), (3, 5), (10, 5)])
def test_refreshing_one_claim_costs_the_same_for_3_or_10_claims_and_1_or_5_values_each(claims, values_each):
    _, made = _question_with(claims, values_each)
    assert R.objects.count() == (claims * (claims - 1) // 2 if values_each == 1 else 0)
    # The first claim (any claim words its findings as a full run does).
    queries = _refresh_queries(made[0])
    assert len(queries) == STEADY_REFRESH_QUERIES, "\n".join(queries)
    assert "FOR UPDATE" in queries[2]


def test_refreshing_a_changed_claim_writes_one_row_per_other_answer_at_most():
    _, made = _question_with(10, 1)
    # The claim's value moves so it now overlaps claim 0's instead of lying apart from all: 9 explanations change
    # (1 contradiction becomes a support: 1 INSERT and 1 DELETE; 8 contradictions get new words: 8 UPDATEs).
    ClaimValue.objects.filter(claim=made[1]).update(quantity=NumericRange(0, 2, "[]"))
    queries = _refresh_queries(made[1])
    inserts = [sql for sql in queries if sql.startswith("INSERT")]
    updates = [sql for sql in queries if sql.startswith("UPDATE")]
    deletes = [sql for sql in queries if sql.startswith("DELETE")]
    assert (len(inserts), len(updates), len(deletes)) == (1, 8, 1)
    assert len(queries) <= STEADY_REFRESH_QUERIES + 2 * 9 + 2  # per changed pair an UPDATE or INSERT (+ FK checks)
