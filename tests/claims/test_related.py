"""Duplicates and related claims (claims.related): the tsquery built from a claim's own lexemes, the score and its
calibration on crafted rewordings, the candidate rules, the index-served candidate query, and the detector's
suggestions when a claim is created."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from claims import related, services
from claims.models import Claim, ClaimRelation, ClaimStatus
from claims.related import (
    DUPLICATE,
    RELATED,
    Candidate,
    Subject,
    Terms,
    candidate_sql,
    duplicates_suggest,
    find_related,
    pairs_query,
    reason,
    score,
    statement_terms,
    tsquery_lexeme,
)
from tests.factories import ClaimFactory, QuestionFactory, SourceFactory

ORIGINAL = "Almost 1,000 Israeli citizens and soldiers died in the 7 October 2023 incursion from Gaza."
LIGHT_EDIT = "Nearly 1,000 Israeli citizens and soldiers died in the October 7, 2023 incursion from Gaza."
PARAPHRASE = "Nearly a thousand Israeli citizens and soldiers were killed on 7 October 2023."
CONTRADICTING = "More than 1,000 people were killed when Hamas and other groups attacked Israel on 7 October 2023."
OTHER_MATTER = "The Moscow meeting of Palestinian factions was planned to last three days."


def match_for(subject_claim: Claim, other: Claim, *, readers: bool = False) -> related.Match | None:
    subject = related.approved_subject(subject_claim.pk) if readers else Subject.live(subject_claim)
    return next((m for m in find_related(subject, readers=readers, limit=None) if m.claim_id == other.pk), None)


# Pure parts --------------------------------------------------------------------------------------------------------


def test_it_quotes_lexemes_for_tsquery_input_as_they_are():
    assert tsquery_lexeme("gaza") == "'gaza'"
    assert tsquery_lexeme("o'brien") == "'o''brien'"
    assert tsquery_lexeme("a\\b") == "'a\\\\b'"


def test_it_pairs_the_terms_so_a_match_shares_at_least_two():
    assert pairs_query(["a", "b", "c"]) == "('a' & 'b') | ('a' & 'c') | ('b' & 'c')"
    assert pairs_query(["a"]) == "'a'"


def test_the_significant_terms_leave_out_numbers_and_common_lexemes_while_two_others_remain():
    terms = Terms(("gaza", "2023", "kill", "incurs"), {}, {"kill": 0.3})
    assert set(terms.significant()) == {"gaza", "incurs"}
    assert set(Terms(("gaza", "2023"), {}, {}).significant()) == {"gaza", "2023"}


def _candidate(**fields) -> Candidate:
    values = {
        "claim_id": 2,
        "wording": 0.0,
        "shared": (),
        "term_count": 4,
        "question_id": None,
        "claimant_id": None,
        "status": ClaimStatus.NEW,
    }
    return Candidate(**{**values, **fields})


def test_the_score_blends_wording_terms_and_the_same_question_and_claimant():
    terms = Terms(("isra", "kill", "thousand", "octob"), {}, {})
    subject = Subject(1, "…", "7", "9")
    assert score(_candidate(wording=1.0, shared=terms.lexemes), subject, terms) == 0.8
    assert score(_candidate(wording=1.0, shared=terms.lexemes, question_id="7", claimant_id="9"), subject, terms) == 1
    # Dice over the lexemes: 2 x 2 shared / (4 + 4) is a half, worth 0.3 / 2.
    assert score(_candidate(shared=("isra", "kill")), subject, terms) == 0.15
    # No claimant on either side is not the same claimant.
    assert score(_candidate(wording=0.5), Subject(1, "…", None, None), terms) == 0.25


def test_the_reason_names_the_wording_and_the_shared_words_as_written():
    terms = Terms(
        ("isra", "kill", "1", "thousand"), {"isra": "israeli", "kill": "killed", "1": "1", "thousand": "thousand"}, {}
    )
    subject = Subject(1, "…", "7", None)
    assert reason(_candidate(wording=0.9, question_id="7"), subject, terms) == "same wording; same question"
    assert (
        reason(_candidate(wording=0.2, shared=("thousand", "isra", "1")), subject, terms)
        == "shares terms: israeli, thousand"
    )
    assert reason(_candidate(wording=0.6), subject, terms) == "similar wording (60%)"


# On the database ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_reads_the_statements_lexemes_with_the_words_they_came_from():
    terms = statement_terms("Israeli soldiers were killed in Gaza's north.")
    assert terms.lexemes == ("isra", "soldier", "kill", "gaza", "north")
    assert terms.words["kill"] == "killed"


@pytest.mark.django_db
def test_quotes_and_backslashes_in_a_statement_do_not_break_the_query():
    original = ClaimFactory(statement="O'Brien's \\ office said the ministry's 'figures' were wrong.")
    subject = ClaimFactory(statement="O'Brien's \\ office said the ministry's 'figures' were wrong!")
    assert match_for(subject, original).kind == DUPLICATE


@pytest.mark.django_db
def test_a_retyped_statement_is_a_duplicate_with_the_same_wording():
    original = ClaimFactory(statement=ORIGINAL)
    retyped = ClaimFactory(statement=ORIGINAL)
    match = match_for(retyped, original)
    assert match.kind == DUPLICATE
    assert match.score >= 0.8
    assert match.reason.startswith("same wording")


@pytest.mark.django_db
def test_a_light_edit_is_a_duplicate_without_any_bonus():
    original = ClaimFactory(statement=ORIGINAL, claimant=None)
    edited = ClaimFactory(statement=LIGHT_EDIT, claimant=None)
    match = match_for(edited, original)
    assert match.kind == DUPLICATE
    assert match.score >= related.DUPLICATE_THRESHOLD


@pytest.mark.django_db
def test_a_paraphrase_is_a_duplicate_only_from_the_same_claimant_on_the_same_question():
    question, claimant = QuestionFactory(), SourceFactory()
    original = ClaimFactory(statement=ORIGINAL, question=question, claimant=claimant)
    elsewhere = ClaimFactory(statement=PARAPHRASE, claimant=None)
    same_speaker = ClaimFactory(statement=PARAPHRASE, question=question, claimant=claimant)
    assert match_for(elsewhere, original).kind == RELATED
    match = match_for(same_speaker, original)
    assert match.kind == DUPLICATE
    assert "same question" in match.reason
    assert "same claimant" in match.reason


@pytest.mark.django_db
def test_a_contradicting_claim_on_the_same_question_is_related_not_a_duplicate():
    question, claimant = QuestionFactory(), SourceFactory()
    original = ClaimFactory(statement=ORIGINAL, question=question, claimant=claimant)
    contradicting = ClaimFactory(statement=CONTRADICTING, question=question, claimant=claimant)
    match = match_for(contradicting, original)
    assert match.kind == RELATED
    assert "shares terms:" in match.reason
    assert match.score < related.DUPLICATE_THRESHOLD


@pytest.mark.django_db
def test_a_claim_on_another_matter_is_not_listed():
    original = ClaimFactory(statement=ORIGINAL)
    assert match_for(ClaimFactory(statement=OTHER_MATTER), original) is None


@pytest.mark.django_db
def test_claims_answering_the_same_question_are_related_whatever_their_words():
    question = QuestionFactory()
    original = ClaimFactory(statement=ORIGINAL, question=question, claimant=None)
    other = ClaimFactory(statement=OTHER_MATTER, question=question, claimant=None)
    match = match_for(other, original)
    assert match.kind == RELATED
    assert match.reason == "same question"


@pytest.mark.django_db
def test_a_claim_is_never_its_own_match():
    claim = ClaimFactory(statement=ORIGINAL)
    assert match_for(claim, claim) is None


@pytest.mark.django_db
@pytest.mark.parametrize("status", [ClaimStatus.DISMISSED, ClaimStatus.DUPLICATE])
def test_a_dismissed_or_duplicate_claim_is_listed_as_related_never_as_the_original(status):
    original = ClaimFactory(statement=ORIGINAL, status=status)
    match = match_for(ClaimFactory(statement=ORIGINAL), original)
    assert match.kind == RELATED
    assert match.reason.startswith("same wording")


@pytest.mark.django_db
def test_each_arm_keeps_at_most_its_cap_of_candidates(monkeypatch):
    monkeypatch.setattr(related, "CANDIDATE_CAP", 3)
    for n in range(10):
        ClaimFactory(statement=f"Israeli soldiers and citizens died in the incursion, report {n} says.")
    subject = ClaimFactory(statement="Israeli soldiers and citizens died in the incursion, the report says.")
    terms = statement_terms(subject.statement)
    found = related.candidates(Subject.live(subject), terms, readers=False)
    assert 3 <= len(found) <= 6  # two arms of three, which overlap


@pytest.mark.django_db
def test_finding_takes_the_same_queries_however_many_claims_match(django_assert_num_queries):
    # 1. the subject's lexemes and words (ts_debug), with how common they are (pg_stats)
    # 2-4. in a savepoint: seq scans discouraged, the candidate query, the setting put back (+ SAVEPOINT, RELEASE)
    subject = ClaimFactory(statement=ORIGINAL)
    ClaimFactory(statement=LIGHT_EDIT)
    with django_assert_num_queries(6):
        assert len(find_related(Subject.live(subject), readers=False)) == 1
    for _ in range(8):
        ClaimFactory(statement=LIGHT_EDIT)
    with django_assert_num_queries(6):
        assert len(find_related(Subject.live(subject), readers=False)) == 9


@pytest.mark.django_db
def test_the_planner_setting_does_not_outlast_the_search():
    with transaction.atomic():
        find_related(Subject.live(ClaimFactory(statement=ORIGINAL)), readers=False)
        with connection.cursor() as cursor:
            cursor.execute("SHOW enable_seqscan")
            assert cursor.fetchone()[0] == "on"


@pytest.mark.django_db
def test_the_desks_candidate_query_reads_both_indexes_not_the_table():
    for n in range(300):
        ClaimFactory(statement=f"Officials in district {n} reported {n * 7} displaced families and closed schools.")
    question = QuestionFactory()
    ClaimFactory(statement=CONTRADICTING, question=question)
    subject = ClaimFactory(statement=ORIGINAL, question=question)
    terms = statement_terms(subject.statement)
    significant = terms.significant()
    params = {
        "id": subject.pk,
        "text": subject.statement,
        "pairs": pairs_query(significant),
        "any": related.any_query(significant),
        "lexemes": list(terms.lexemes),
        "cap": related.CANDIDATE_CAP,
        "question": str(subject.question_id),
    }
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")
        cursor.execute("SET LOCAL enable_seqscan = off")  # as candidates() does
        cursor.execute("EXPLAIN " + candidate_sql(Subject.live(subject), terms, readers=False), params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Bitmap Index Scan on claim_search_gin" in plan
    assert "Bitmap Index Scan on claim_statement_trgm" in plan
    assert "claims_claim_question_id" in plan
    assert "Seq Scan on claims_claim" not in plan


# Suggestions when a claim is created -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_creating_a_claim_suggests_the_claim_it_duplicates(editor):
    original = ClaimFactory(statement=ORIGINAL)
    ClaimFactory(statement=CONTRADICTING)
    claim = services.claim_create(actor=editor, statement=LIGHT_EDIT)
    relation = ClaimRelation.objects.get(from_claim=claim)
    assert relation.to_claim == original
    assert relation.kind == ClaimRelation.Kind.DUPLICATE_OF
    assert relation.origin == ClaimRelation.Origin.DETECTOR
    assert relation.state == ClaimRelation.State.SUGGESTED
    assert related.DUPLICATE_THRESHOLD <= relation.score <= 1
    assert relation.explanation.startswith("same wording")


@pytest.mark.django_db
def test_creating_a_claim_suggests_at_most_the_three_likeliest_originals(editor):
    for _ in range(5):
        ClaimFactory(statement=ORIGINAL)
    claim = services.claim_create(actor=editor, statement=ORIGINAL)
    assert ClaimRelation.objects.filter(from_claim=claim).count() == related.SUGGESTIONS_ON_CREATE


@pytest.mark.django_db
def test_a_dismissed_or_duplicate_claim_is_never_suggested_as_the_original(editor):
    ClaimFactory(statement=ORIGINAL, status=ClaimStatus.DISMISSED)
    ClaimFactory(statement=ORIGINAL, status=ClaimStatus.DUPLICATE)
    claim = services.claim_create(actor=editor, statement=ORIGINAL)
    assert not ClaimRelation.objects.filter(from_claim=claim).exists()


@pytest.mark.django_db
def test_a_bulk_import_may_create_claims_without_suggestions(editor):
    ClaimFactory(statement=ORIGINAL)
    claim = services.claim_create(actor=editor, statement=ORIGINAL, suggest_duplicates=False)
    assert not ClaimRelation.objects.filter(from_claim=claim).exists()


@pytest.mark.django_db
def test_a_pair_already_related_is_left_as_it_is(editor):
    original = ClaimFactory(statement=ORIGINAL)
    claim = ClaimFactory(statement=ORIGINAL)
    decided = ClaimRelation.objects.create(
        from_claim=claim,
        to_claim=original,
        kind=ClaimRelation.Kind.DUPLICATE_OF,
        state=ClaimRelation.State.DISMISSED,
        decided_by=editor,
        decided_at=original.created_at,
        explanation="Two different speeches.",
    )
    duplicates_suggest(claim=claim)
    decided.refresh_from_db()
    assert decided.state == ClaimRelation.State.DISMISSED
    assert decided.explanation == "Two different speeches."
    assert ClaimRelation.objects.filter(from_claim=claim).count() == 1


@pytest.mark.django_db
def test_the_api_and_the_admin_create_through_the_service_and_so_suggest(editor_client):
    original = ClaimFactory(statement=ORIGINAL)
    response = editor_client.post("/api/v1/claims/", {"statement": LIGHT_EDIT}, format="json")
    assert response.status_code == 201, response.json()
    assert ClaimRelation.objects.filter(from_claim_id=response.json()["id"], to_claim=original).exists()
