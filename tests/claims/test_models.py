"""Claim, value, relation, rating and verdict invariants, each enforced by a named database constraint."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.postgres.fields.ranges import DateRange, NumericRange
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.utils import timezone

from claims.models import Claim, ClaimValue, Rating, RatingScale, Verdict
from tests.factories import (
    AttributionFactory,
    ClaimFactory,
    ClaimRelationFactory,
    ClaimValueFactory,
    DateValueFactory,
    EvidenceFactory,
    QuestionFactory,
    StaffFactory,
    VerdictFactory,
    published_verdict,
)

pytestmark = pytest.mark.django_db


def _violates(constraint: str, write) -> None:
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        write()
    assert caught.value.__cause__.diag.constraint_name == constraint


# Claims


def test_it_rejects_a_blank_statement():
    _violates("claim_statement_not_blank", lambda: ClaimFactory(statement=""))


def test_it_rejects_an_unknown_status_written_around_the_model():
    claim = ClaimFactory()
    _violates("claim_status_valid", lambda: Claim.objects.filter(pk=claim.pk).update(status="approved"))


def test_it_rejects_an_unknown_kind():
    _violates("claim_kind_valid", lambda: ClaimFactory(kind="rumour"))


def test_it_rejects_a_language_that_is_not_a_bcp47_tag():
    _violates("claim_language_bcp47", lambda: ClaimFactory(language="Russian"))


def test_it_rejects_an_external_id_without_its_origin():
    _violates("claim_external_id_has_origin", lambda: ClaimFactory(external_id="2635.json"))


def test_it_rejects_the_same_external_id_twice_from_one_origin_but_not_from_two():
    ClaimFactory(external_origin="liar", external_id="2635.json")
    ClaimFactory(external_origin="claimreview", external_id="2635.json")
    _violates("claim_external_id_unique", lambda: ClaimFactory(external_origin="liar", external_id="2635.json"))


def test_it_keeps_the_search_vector_current_whatever_the_write_path():
    claim = ClaimFactory(statement="Delegates gathered in Moscow", quote="")
    Claim.objects.filter(pk=claim.pk).update(quote="a reconciliation was sought")
    assert list(Claim.objects.search("reconciliation")) == [claim]
    assert list(Claim.objects.search("moscow")) == [claim]
    assert list(Claim.objects.search("washington")) == []


# Attribution hops


def test_it_rejects_two_hops_at_one_position_of_one_chain_even_without_an_appearance():
    hop = AttributionFactory(appearance=None)
    _violates(
        "attribution_position_unique",
        lambda: AttributionFactory(claim=hop.claim, appearance=None, position=0),
    )


def test_it_rejects_an_unknown_hop_relation():
    _violates("attribution_relation_valid", lambda: AttributionFactory(relation="retweets"))


def test_it_rejects_a_hop_too_far_out():
    _violates("attribution_position_range", lambda: AttributionFactory(position=21))


# Values


def test_it_rejects_a_quantity_value_without_an_interval():
    _violates("claimvalue_kind_matches_interval", lambda: ClaimValueFactory(quantity=None))


def test_it_rejects_a_date_value_without_a_precision():
    _violates("claimvalue_kind_matches_interval", lambda: DateValueFactory(precision=""))


def test_it_rejects_a_value_with_both_a_quantity_and_dates():
    _violates(
        "claimvalue_kind_matches_interval",
        lambda: ClaimValueFactory(dates=DateRange(dt.date(2024, 1, 1), dt.date(2024, 2, 1))),
    )


def test_it_rejects_an_empty_interval():
    _violates(
        "claimvalue_interval_not_empty",
        lambda: ClaimValueFactory(quantity=NumericRange(Decimal(5), Decimal(5), "()")),
    )


def test_it_rejects_an_open_ended_date_interval():
    _violates(
        "claimvalue_dates_bounded",
        lambda: DateValueFactory(dates=DateRange(dt.date(2024, 2, 29), None, "[)")),
    )


def test_postgres_refuses_an_inverted_interval_itself():
    with pytest.raises(DataError, match="lower bound must be less than or equal"), transaction.atomic():
        ClaimValueFactory(quantity=NumericRange(Decimal(10), Decimal(1), "[]"))


def test_it_rejects_a_value_without_the_words_it_was_read_from():
    _violates("claimvalue_expression_not_blank", lambda: ClaimValueFactory(expression=""))


def test_it_keeps_the_open_and_closed_ends_of_a_quantity_interval():
    value = ClaimValueFactory(expression="nearly a thousand", quantity=NumericRange(Decimal(900), Decimal(1000), "[)"))
    value.refresh_from_db()
    assert (value.quantity.lower, value.quantity.upper, value.quantity.bounds) == (900, 1000, "[)")
    unbounded = ClaimValueFactory(quantity=NumericRange(Decimal(1000), None, "()"))
    unbounded.refresh_from_db()
    assert unbounded.quantity.upper is None
    assert unbounded.quantity.lower_inc is False


def test_it_finds_values_whose_intervals_overlap():
    nearly = ClaimValueFactory(quantity=NumericRange(Decimal(900), Decimal(1000), "[)"))
    over = ClaimValueFactory(quantity=NumericRange(Decimal(1000), None, "()"))
    about = ClaimValueFactory(quantity=NumericRange(Decimal(950), Decimal(1050), "[]"))
    overlapping = ClaimValue.objects.filter(quantity__overlap=nearly.quantity).exclude(pk=nearly.pk)
    assert list(overlapping) == [about]
    assert not ClaimValue.objects.filter(pk=over.pk, quantity__overlap=nearly.quantity).exists()


# Relations


def test_it_rejects_a_claim_related_to_itself():
    claim = ClaimFactory()
    _violates("claimrelation_not_self", lambda: ClaimRelationFactory(from_claim=claim, to_claim=claim))


def test_it_rejects_the_same_relation_twice():
    relation = ClaimRelationFactory()
    _violates(
        "claimrelation_unique",
        lambda: ClaimRelationFactory(from_claim=relation.from_claim, to_claim=relation.to_claim),
    )


def test_it_rejects_a_score_outside_zero_to_one():
    _violates("claimrelation_score_range", lambda: ClaimRelationFactory(score=1.5))


def test_it_rejects_a_decided_relation_without_a_decision_time():
    _violates("claimrelation_decision_time", lambda: ClaimRelationFactory(state="confirmed"))


# Rating scales


def test_it_creates_the_default_scale_and_the_truth_o_meter_by_migration():
    default = RatingScale.objects.default()
    assert default.slug == "default"
    assert list(Rating.objects.filter(scale__slug="truth-o-meter").values_list("slug", flat=True)) == [
        "true",
        "mostly-true",
        "half-true",
        "barely-true",
        "false",
        "pants-fire",
    ]


def test_it_allows_only_one_default_scale():
    _violates(
        "ratingscale_one_default",
        lambda: RatingScale.objects.create(
            name="Other", slug="other", is_default=True, claimreview_best=5, claimreview_worst=1
        ),
    )


def test_it_rejects_a_scale_whose_worst_is_not_below_its_best():
    _violates(
        "ratingscale_worst_below_best",
        lambda: RatingScale.objects.create(name="Flat", slug="flat", claimreview_best=1, claimreview_worst=1),
    )


def test_it_rejects_two_ratings_at_one_position_of_a_scale():
    scale = RatingScale.objects.default()
    _violates(
        "rating_ordinal_unique_per_scale",
        lambda: Rating.objects.create(
            scale=scale, ordinal=6, label="Dup", slug="dup", bucket="true", claimreview_value=5
        ),
    )


def test_it_rejects_a_true_false_rating_without_a_claimreview_value():
    scale = RatingScale.objects.default()
    _violates(
        "rating_value_on_axis",
        lambda: Rating.objects.create(scale=scale, ordinal=9, label="Odd", slug="odd", bucket="false"),
    )


# Verdicts


def test_it_rejects_a_verdict_approved_by_its_author():
    author = StaffFactory()
    _violates(
        "verdict_approver_not_author",
        lambda: VerdictFactory(author=author, approver=author, approved_at=timezone.now(), claim_snapshot={}),
    )


def test_it_rejects_an_approver_without_an_approval_time():
    _violates("verdict_approval_complete", lambda: VerdictFactory(approver=StaffFactory()))


def test_it_rejects_publishing_an_unapproved_verdict():
    _violates("verdict_published_requires_approval", lambda: VerdictFactory(published_at=timezone.now()))


def test_it_rejects_publishing_a_verdict_without_an_explanation():
    _violates("verdict_published_requires_approval", lambda: published_verdict(explanation=""))


def test_it_rejects_publishing_a_verdict_without_a_rating():
    _violates("verdict_published_requires_approval", lambda: published_verdict(rating=None))


def test_it_rejects_two_current_published_verdicts_for_one_claim():
    first = published_verdict()
    _violates(
        "verdict_one_current_per_claim",
        lambda: published_verdict(first.claim, version=2, correction_kind="update"),
    )


def test_it_rejects_overlapping_publication_periods_of_one_claim():
    now = timezone.now()
    first = published_verdict(
        approved_at=now - dt.timedelta(days=3),
        published_at=now - dt.timedelta(days=2),
        superseded_at=now - dt.timedelta(days=1),
    )
    _violates(
        "verdict_publication_periods_disjoint",
        lambda: published_verdict(
            first.claim,
            version=2,
            correction_kind="update",
            approved_at=now - dt.timedelta(days=3),
            published_at=now - dt.timedelta(days=2, hours=-1),
            superseded_at=now - dt.timedelta(hours=12),
        ),
    )


def test_it_rejects_a_later_version_that_does_not_say_what_it_corrects():
    first = published_verdict()
    _violates("verdict_correction_kind_on_later_versions", lambda: VerdictFactory(claim=first.claim, version=2))


def test_it_rejects_a_first_version_marked_as_a_correction():
    _violates("verdict_correction_kind_on_later_versions", lambda: VerdictFactory(correction_kind="update"))


def test_it_rejects_superseding_a_verdict_that_was_never_published():
    _violates("verdict_superseded_after_published", lambda: VerdictFactory(superseded_at=timezone.now()))


def test_it_rejects_the_same_version_twice():
    verdict = VerdictFactory()
    _violates("verdict_version_unique", lambda: VerdictFactory(claim=verdict.claim))


def test_it_answers_which_verdict_was_current_at_a_moment():
    now = timezone.now()
    old = published_verdict(
        approved_at=now - dt.timedelta(days=3),
        published_at=now - dt.timedelta(days=2),
        superseded_at=now - dt.timedelta(days=1),
    )
    new = published_verdict(
        old.claim,
        version=2,
        correction_kind="rating_changed",
        approved_at=now - dt.timedelta(days=1),
        published_at=now - dt.timedelta(days=1),
    )
    assert list(Verdict.objects.as_of(now - dt.timedelta(days=1, hours=12))) == [old]
    assert list(Verdict.objects.as_of(now)) == [new]
    assert list(Verdict.objects.current()) == [new]
    assert list(Verdict.objects.as_of(now - dt.timedelta(days=5))) == []


# Evidence


def test_it_rejects_evidence_that_points_nowhere():
    _violates("evidence_has_target", lambda: EvidenceFactory(url=""))


# Validation reaches the user before the database refuses


def test_full_clean_reports_a_constraint_message_on_the_model():
    claim = ClaimFactory.build(statement="", claimant=None)
    with pytest.raises(ValidationError) as caught:
        claim.full_clean()
    assert "statement" in caught.value.message_dict


def test_question_units_are_only_for_quantities():
    _violates("question_unit_only_for_quantities", lambda: QuestionFactory(kind="date", unit="people"))


def test_it_rejects_a_second_question_with_the_same_text_in_any_case():
    QuestionFactory(text="How many delegates came?")
    _violates("question_text_unique", lambda: QuestionFactory(text="HOW MANY DELEGATES CAME?"))


def test_it_rejects_a_blank_question():
    _violates("question_text_not_blank", lambda: QuestionFactory(text=""))


def test_it_rejects_a_second_scale_with_the_same_slug():
    _violates(
        "ratingscale_slug_unique",
        lambda: RatingScale.objects.create(name="Copy", slug="default", claimreview_best=5, claimreview_worst=1),
    )


def test_it_rejects_two_ratings_with_one_slug_on_a_scale():
    scale = RatingScale.objects.default()
    _violates(
        "rating_slug_unique_per_scale",
        lambda: Rating.objects.create(
            scale=scale, ordinal=40, label="False again", slug="false", bucket="false", claimreview_value=1
        ),
    )


def test_it_rejects_a_rating_in_an_unknown_bucket():
    scale = RatingScale.objects.default()
    _violates(
        "rating_bucket_valid",
        lambda: Rating.objects.create(
            scale=scale, ordinal=41, label="Spicy", slug="spicy", bucket="spicy", claimreview_value=1
        ),
    )


def test_it_rejects_version_zero():
    # PostgreSQL checks constraints in name order, and a version 0 breaks the correction-kind rule as well.
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        VerdictFactory(version=0, correction_kind="update")
    assert caught.value.__cause__.diag.constraint_name in {
        "verdict_version_positive",
        "verdict_correction_kind_on_later_versions",
    }


def test_it_rejects_evidence_with_an_unknown_stance():
    _violates("evidence_stance_valid", lambda: EvidenceFactory(stance="maybe"))
