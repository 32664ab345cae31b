"""Claims, how they reached the page, what they assert as values, and the desk's verdicts on them."""

from __future__ import annotations

from functools import reduce
from operator import or_

import pgtrigger
from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, DateRangeField, DecimalRangeField, RangeOperators
from django.contrib.postgres.indexes import GinIndex, GistIndex, OpClass
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import F, Func, Q, Value
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce, Greatest, Least, Length, Lower
from django.db.models.lookups import LessThanOrEqual
from pgtrigger import Delete, Protect, Update

from claims.querysets import (
    SHORT_DOCUMENT_CHARACTERS,
    ClaimQuerySet,
    QuestionQuerySet,
    RatingScaleQuerySet,
    VerdictQuerySet,
)
from factcheck.validators import validate_language

USER = settings.AUTH_USER_MODEL


class ClaimKind(models.TextChoices):
    QUANTITY = "quantity", "Quantity"
    DATE_EVENT = "date_event", "Date or event"
    QUOTE = "quote", "Quote"
    STATUS = "status", "Status"
    OTHER = "other", "Other"


class ClaimStatus(models.TextChoices):
    NEW = "new", "New"
    TRIAGED = "triaged", "Triaged"
    DISMISSED = "dismissed", "Dismissed (not checkable)"
    DUPLICATE = "duplicate", "Duplicate"
    RESEARCHING = "researching", "Researching"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"


class Question(models.Model):
    """What quantity and date claims answer; claims answering one question are cross-referenced."""

    class Kind(models.TextChoices):
        QUANTITY = "quantity", "Quantity"
        DATE = "date", "Date"

    text = models.CharField(
        max_length=500, help_text="e.g. How many Israeli citizens and soldiers were killed on 7 October 2023?"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    unit = models.CharField(max_length=64, blank=True, help_text="Unit the answers count, e.g. people.")
    cumulative = models.BooleanField(
        default=False,
        help_text="The true answer grows over time (a death toll): a later, larger figure supersedes an earlier one.",
    )
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["text", "id"]
        constraints = [
            models.UniqueConstraint(
                Lower("text"), name="question_text_unique", violation_error_message="This question already exists."
            ),
            models.CheckConstraint(
                condition=~Q(text=""), name="question_text_not_blank", violation_error_message="A question needs text."
            ),
            models.CheckConstraint(
                condition=Q(kind="quantity") | Q(unit="", cumulative=False),
                name="question_unit_only_for_quantities",
                violation_error_message="Only quantity questions have a unit or are cumulative.",
            ),
        ]
        indexes = [
            GinIndex(OpClass(Lower("text"), name="gin_trgm_ops"), name="question_text_trgm"),
            models.Index(fields=["updated_at", "id"], name="question_updated_idx"),
        ]

    def __str__(self) -> str:
        return self.text


class Claim(models.Model):
    """One checkable statement, worded by the desk, with who said it and where it appeared first."""

    statement = models.TextField(help_text="The claim as the desk words it: one checkable statement.")
    quote = models.TextField(blank=True, help_text="The verbatim words, where there are any.")
    kind = models.CharField(max_length=16, choices=ClaimKind.choices, default=ClaimKind.OTHER)
    claimant = models.ForeignKey(
        "sources.Source",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims",
        help_text="The original speaker (the last hop of the attribution chain).",
    )
    claim_date = models.DateField(null=True, blank=True, help_text="When the claim was made.")
    language = models.CharField(
        max_length=16, default="en", validators=[validate_language], help_text="BCP 47 tag of the statement."
    )
    tags = ArrayField(models.CharField(max_length=64), default=list, blank=True)
    status = models.CharField(max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.NEW)
    assignee = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="assigned_claims")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, null=True, blank=True, related_name="claims")
    first_appearance = models.ForeignKey(
        "sources.Appearance", on_delete=models.PROTECT, null=True, blank=True, related_name="first_claims"
    )
    external_origin = models.CharField(
        max_length=64, blank=True, help_text="Where an imported claim came from, e.g. liar or claimreview."
    )
    external_id = models.CharField(max_length=200, blank=True, help_text="The claim's id at its origin.")
    created_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="created_claims"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Kept by PostgreSQL itself, so no write path (admin, API, COPY, raw SQL) can leave it stale.
    search_vector = models.GeneratedField(
        expression=SearchVector("statement", weight="A", config="english")
        + SearchVector("quote", weight="B", config="english"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(statement=""),
                name="claim_statement_not_blank",
                violation_error_message="A claim needs a statement.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ClaimStatus.values),
                name="claim_status_valid",
                violation_error_message="Unknown claim status.",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ClaimKind.values),
                name="claim_kind_valid",
                violation_error_message="Unknown claim kind.",
            ),
            models.CheckConstraint(
                condition=Q(language__regex=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"),
                name="claim_language_bcp47",
                violation_error_message="Language must be a BCP 47 tag such as en or pt-BR.",
            ),
            models.CheckConstraint(
                condition=Q(external_id="") | ~Q(external_origin=""),
                name="claim_external_id_has_origin",
                violation_error_message="An external id needs its origin.",
            ),
            models.UniqueConstraint(
                fields=["external_origin", "external_id"],
                condition=~Q(external_id=""),
                name="claim_external_id_unique",
                violation_error_message="A claim with this external id from this origin already exists.",
            ),
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="claim_search_gin"),
            # Duplicate detection and admin search compare wording by trigram similarity.
            GinIndex(OpClass("statement", name="gin_trgm_ops"), name="claim_statement_trgm"),
            GinIndex(fields=["tags"], name="claim_tags_gin"),
            # Clients sync with ?updated_since= and page by (updated_at, id).
            models.Index(fields=["updated_at", "id"], name="claim_updated_idx"),
            models.Index(fields=["status", "-created_at"], name="claim_status_created_idx"),
            # The lists' default order, newest first (-created_at, -id), read backwards: without it a page sorts
            # every claim (67 ms at 13k claims in the benchmark, 0.4 ms with it).
            models.Index(fields=["created_at", "id"], name="claim_created_idx"),
            models.Index(fields=["claimant", "-claim_date"], name="claim_claimant_date_idx"),
            models.Index(fields=["claim_date"], name="claim_date_idx"),
        ]

    def __str__(self) -> str:
        return self.statement if len(self.statement) <= 80 else self.statement[:79] + "…"


class HopRelation(models.TextChoices):
    PUBLISHES = "publishes", "publishes it first-hand"
    QUOTES = "quotes", "quotes the next hop"
    PARAPHRASES = "paraphrases", "paraphrases the next hop"
    CITES = "cites", "cites the next hop"
    CITES_UNNAMED = "cites_unnamed", "cites unnamed sources"


# Relations that pass a claim on from the next hop; the others end a chain.
RELAYING_RELATIONS = (HopRelation.QUOTES, HopRelation.PARAPHRASES, HopRelation.CITES)


class Attribution(models.Model):
    """One hop of the chain by which a claim reached an appearance.

    Hops are numbered from the page outwards: hop 0 is who put it on the page, each next hop is where the previous
    one took it from, and the last hop either `publishes` it first-hand (the original speaker) or `cites_unnamed`
    sources. "TASS, citing Hamas, reports X" on a news site is: site cites TASS, TASS cites Hamas, Hamas publishes.
    """

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="attributions")
    appearance = models.ForeignKey(
        "sources.Appearance", on_delete=models.PROTECT, null=True, blank=True, related_name="attributions"
    )
    position = models.PositiveSmallIntegerField(help_text="0 for whoever put it on the page, then outwards.")
    source = models.ForeignKey("sources.Source", on_delete=models.PROTECT, related_name="attributions")
    relation = models.CharField(max_length=16, choices=HopRelation.choices)
    quote_excerpt = models.TextField(blank=True, help_text="The words that show this hop, e.g. 'citing Hamas'.")

    class Meta:
        ordering = ["claim", "appearance", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "appearance", "position"],
                nulls_distinct=False,
                name="attribution_position_unique",
                violation_error_message="This chain already has a hop at that position.",
            ),
            models.CheckConstraint(
                condition=Q(position__lte=20),
                name="attribution_position_range",
                violation_error_message="A chain has at most 21 hops.",
            ),
            models.CheckConstraint(
                condition=Q(relation__in=HopRelation.values),
                name="attribution_relation_valid",
                violation_error_message="Unknown hop relation.",
            ),
        ]
        indexes = [models.Index(fields=["source", "relation"], name="attribution_source_idx")]

    def __str__(self) -> str:
        return f"#{self.position} {self.source} {self.relation}"


class ValueQualifier(models.TextChoices):
    EXACT = "exact", "exactly"
    ABOUT = "about", "about"
    NEARLY = "nearly", "nearly"
    AT_LEAST = "at_least", "at least"
    MORE_THAN = "more_than", "more than"
    AT_MOST = "at_most", "at most"
    LESS_THAN = "less_than", "less than"
    BETWEEN = "between", "between"
    VAGUE = "vague", "vague amount"


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


class ClaimValue(models.Model):
    """What a quantity or date claim asserts, as an interval, so claims can be compared.

    "nearly a thousand" is [900, 1000), "over a thousand" is (1000, ∞), "February 2019" is [2019-02-01, 2019-03-01).
    """

    class Kind(models.TextChoices):
        QUANTITY = "quantity", "Quantity"
        DATE = "date", "Date"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="values")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    expression = models.CharField(max_length=200, help_text="The words as written, e.g. 'nearly a thousand'.")
    quantity = DecimalRangeField(
        null=True, blank=True, help_text="Interval with open or closed ends; no upper end means unbounded."
    )
    dates = DateRangeField(null=True, blank=True, help_text="Half-open day interval [first day, day after last day).")
    qualifier = models.CharField(max_length=16, choices=ValueQualifier.choices, default=ValueQualifier.EXACT)
    unit = models.CharField(max_length=64, blank=True, help_text="For quantities, e.g. people.")
    precision = models.CharField(max_length=8, choices=DatePrecision.choices, blank=True)
    as_of = models.DateField(null=True, blank=True, help_text="The date the figure refers to.")
    place = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["claim", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="quantity", quantity__isnull=False, dates__isnull=True, precision="")
                    | Q(kind="date", dates__isnull=False, quantity__isnull=True, unit="") & ~Q(precision="")
                ),
                name="claimvalue_kind_matches_interval",
                violation_error_message=(
                    "A quantity value needs a quantity interval (and no dates or precision); "
                    "a date value needs a date interval and a precision (and no unit)."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(quantity__isempty=True) & ~Q(dates__isempty=True),
                name="claimvalue_interval_not_empty",
                violation_error_message="The interval is empty: its low end is above its high end.",
            ),
            models.CheckConstraint(
                condition=Q(dates__isnull=True)
                | (Q(dates__startswith__isnull=False) & Q(dates__endswith__isnull=False)),
                name="claimvalue_dates_bounded",
                violation_error_message="A date interval needs both ends.",
            ),
            models.CheckConstraint(
                condition=~Q(expression=""),
                name="claimvalue_expression_not_blank",
                violation_error_message="Record the words the value was read from.",
            ),
        ]
        indexes = [
            # Cross-referencing looks for overlapping and disjoint intervals among a question's answers.
            GistIndex(fields=["quantity"], name="claimvalue_quantity_gist"),
            GistIndex(fields=["dates"], name="claimvalue_dates_gist"),
        ]

    def __str__(self) -> str:
        return self.expression


class ClaimRelation(models.Model):
    """A typed link between two claims, suggested by a detector or set by an editor."""

    class Kind(models.TextChoices):
        DUPLICATE_OF = "duplicate_of", "duplicate of"
        TRANSLATION_OF = "translation_of", "translation of"
        SUPPORTS = "supports", "supports"
        CONTRADICTS = "contradicts", "contradicts"
        SUPERSEDES = "supersedes", "supersedes"
        NARROWER_THAN = "narrower_than", "narrower than"

    class Origin(models.TextChoices):
        EDITOR = "editor", "Editor"
        DETECTOR = "detector", "Detector"

    class State(models.TextChoices):
        SUGGESTED = "suggested", "Suggested"
        CONFIRMED = "confirmed", "Confirmed"
        DISMISSED = "dismissed", "Dismissed"

    from_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="relations_from")
    to_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="relations_to")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    origin = models.CharField(max_length=16, choices=Origin.choices, default=Origin.EDITOR)
    state = models.CharField(max_length=16, choices=State.choices, default=State.SUGGESTED)
    score = models.FloatField(null=True, blank=True, help_text="Detector confidence from 0 to 1.")
    explanation = models.TextField(blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_claim=F("to_claim")),
                name="claimrelation_not_self",
                violation_error_message="A claim cannot be related to itself.",
            ),
            models.UniqueConstraint(
                fields=["from_claim", "to_claim", "kind"],
                name="claimrelation_unique",
                violation_error_message="These claims are already related this way.",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=1),
                name="claimrelation_score_range",
                violation_error_message="Score must be between 0 and 1.",
            ),
            models.CheckConstraint(
                condition=Q(state="suggested", decided_at__isnull=True)
                | Q(~Q(state="suggested"), decided_at__isnull=False),
                name="claimrelation_decision_time",
                violation_error_message=(
                    "A confirmed or dismissed relation records when it was decided; a suggestion does not."
                ),
            ),
            # "A contradicts B" and "B contradicts A" are one fact: a second row for it would be a duplicate.
            models.UniqueConstraint(
                Least("from_claim", "to_claim"),
                Greatest("from_claim", "to_claim"),
                F("kind"),
                condition=Q(kind__in=["contradicts", "supports"]),
                name="claimrelation_symmetric_unique",
                violation_error_message="These claims are already related this way (in the other direction).",
            ),
        ]
        indexes = [models.Index(fields=["to_claim", "kind"], name="claimrelation_to_idx")]

    def __str__(self) -> str:
        return f"{self.from_claim_id} {self.kind} {self.to_claim_id}"


class Bucket(models.TextChoices):
    TRUE = "true", "True"
    MOSTLY_TRUE = "mostly_true", "Mostly true"
    MIXED = "mixed", "Mixed"
    MOSTLY_FALSE = "mostly_false", "Mostly false"
    FALSE = "false", "False"
    UNVERIFIABLE = "unverifiable", "Unverifiable"
    OTHER = "other", "Other"


class RatingScale(models.Model):
    """An ordered set of ratings a desk publishes verdicts on (the default scale, PolitiFact's Truth-O-Meter)."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=50)
    description = models.TextField(blank=True)
    is_default = models.BooleanField(default=False)
    claimreview_best = models.SmallIntegerField(help_text="ClaimReview bestRating: the value of the truest rating.")
    claimreview_worst = models.SmallIntegerField(help_text="ClaimReview worstRating: the value of the falsest rating.")

    objects = RatingScaleQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"], name="ratingscale_slug_unique", violation_error_message="This slug is taken."
            ),
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="ratingscale_one_default",
                violation_error_message="Another scale is already the default.",
            ),
            models.CheckConstraint(
                condition=Q(claimreview_worst__lt=F("claimreview_best")),
                name="ratingscale_worst_below_best",
                violation_error_message="worstRating must be below bestRating.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Rating(models.Model):
    """One step of a rating scale, with its place in the order and its crosswalks."""

    scale = models.ForeignKey(RatingScale, on_delete=models.PROTECT, related_name="ratings")
    ordinal = models.SmallIntegerField(help_text="Position on the scale; higher is truer.")
    label = models.CharField(max_length=100)
    slug = models.SlugField(max_length=50)
    description = models.TextField(blank=True)
    bucket = models.CharField(max_length=16, choices=Bucket.choices)
    claimreview_value = models.SmallIntegerField(
        null=True, blank=True, help_text="ClaimReview ratingValue; empty for ratings off the true-false axis."
    )

    class Meta:
        ordering = ["scale", "-ordinal"]
        constraints = [
            models.UniqueConstraint(
                fields=["scale", "slug"],
                name="rating_slug_unique_per_scale",
                violation_error_message="This scale already has a rating with this slug.",
            ),
            models.UniqueConstraint(
                fields=["scale", "ordinal"],
                name="rating_ordinal_unique_per_scale",
                violation_error_message="This scale already has a rating at this position.",
            ),
            models.CheckConstraint(
                condition=Q(bucket__in=Bucket.values),
                name="rating_bucket_valid",
                violation_error_message="Unknown bucket.",
            ),
            models.CheckConstraint(
                condition=Q(claimreview_value__isnull=False) | Q(bucket__in=["unverifiable", "other"]),
                name="rating_value_on_axis",
                violation_error_message="Ratings on the true-false axis need a ClaimReview value.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.scale.slug})" if "scale" in self._state.fields_cache else self.label


class CorrectionKind(models.TextChoices):
    RATING_CHANGED = "rating_changed", "Rating changed"
    NOT_AFFECTING_RATING = "not_affecting_rating", "Correction not affecting the rating"
    UPDATE = "update", "Update with new information"
    VOID = "void", "Void (verdict withdrawn)"


# A published version's content: everything but superseded_at and updated_at (verdict_published_immutable).
VERDICT_CONTENT_FIELDS = (
    "claim",
    "version",
    "rating",
    "summary",
    "explanation",
    "author",
    "approver",
    "approved_at",
    "published_at",
    "correction_kind",
    "correction_note",
    "publisher",
    "review_url",
    "textual_rating",
    "claim_snapshot",
    "created_at",
)


def _any_changed(names: tuple[str, ...]) -> pgtrigger.Q:
    """A trigger condition: any of these columns changes (IS DISTINCT FROM, so NULL to a value counts too)."""
    return reduce(or_, (pgtrigger.Q(**{f"old__{name}__df": pgtrigger.F(f"new__{name}")}) for name in names))


# A verdict's version readers are shown now; and one whose claim as approved is short enough (statement and quote, at
# most 500 characters) for its document to fit in a B-tree entry (verdict_current_short_newest).
CURRENT = Q(published_at__isnull=False, superseded_at__isnull=True)
SHORT_DOCUMENT = Q(
    LessThanOrEqual(
        Length(Coalesce(KT("claim_snapshot__statement"), Value("")))
        + Length(Coalesce(KT("claim_snapshot__quote"), Value(""))),
        SHORT_DOCUMENT_CHARACTERS,
    )
)


class Verdict(models.Model):
    """One version of the desk's conclusion on a claim. Versions are appended, never rewritten once published."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="verdicts")
    version = models.PositiveSmallIntegerField()
    rating = models.ForeignKey(Rating, on_delete=models.PROTECT, null=True, blank=True, related_name="verdicts")
    summary = models.CharField(max_length=300, blank=True, help_text="One sentence, shown with the rating.")
    explanation = models.TextField(blank=True)
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="authored_verdicts")
    approver = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="approved_verdicts"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    correction_kind = models.CharField(max_length=24, choices=CorrectionKind.choices, blank=True)
    correction_note = models.TextField(blank=True, help_text="Public note saying what changed and why.")
    publisher = models.ForeignKey(
        "sources.Source",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="published_verdicts",
        help_text="The organisation that published this review, for reviews imported from other fact-checkers "
        "(ClaimReview, LIAR); empty for the desk's own.",
    )
    review_url = models.URLField(
        max_length=2000, blank=True, help_text="The review's own address at its publisher (imported reviews)."
    )
    textual_rating = models.CharField(
        max_length=200,
        blank=True,
        help_text="The rating in the publisher's own words (e.g. 'Pants on Fire!'), when it differs from the rating's "
        "label on our scale.",
    )
    claim_snapshot = models.JSONField(
        null=True,
        blank=True,
        editable=False,
        help_text="The claim as the approver saw it (claims.snapshot), which readers are shown with this version: "
        "taken at approval, dropped by a rejection, never changed once published.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The claim as approved, as readers search it (statement A, quote B), kept by PostgreSQL like Claim.search_vector.
    # Stored rather than computed from the snapshot in the query: ranking a common term's matches (5% of a million
    # claims) read every match's snapshot and ran to_tsvector on it again (issue 6, E3).
    approved_document = models.GeneratedField(
        expression=SearchVector(KT("claim_snapshot__statement"), weight="A", config="english")
        + SearchVector(KT("claim_snapshot__quote"), weight="B", config="english"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = VerdictQuerySet.as_manager()

    class Meta:
        ordering = ["claim", "-version"]
        get_latest_by = "version"
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "version"],
                name="verdict_version_unique",
                violation_error_message="This version exists.",
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1),
                name="verdict_version_positive",
                violation_error_message="Versions start at 1.",
            ),
            models.UniqueConstraint(
                fields=["claim"],
                condition=Q(published_at__isnull=False, superseded_at__isnull=True),
                name="verdict_one_current_per_claim",
                violation_error_message="This claim already has a current published verdict.",
            ),
            # The workflow acts on "the claim's draft": two open drafts would make that ambiguous.
            models.UniqueConstraint(
                fields=["claim"],
                condition=Q(published_at__isnull=True),
                name="verdict_one_draft_per_claim",
                violation_error_message="This claim already has an unpublished verdict draft; edit that one.",
            ),
            models.CheckConstraint(
                condition=Q(approver__isnull=True) | ~Q(approver=F("author")),
                name="verdict_approver_not_author",
                violation_error_message="Nobody approves their own verdict.",
            ),
            models.CheckConstraint(
                condition=Q(approver__isnull=True, approved_at__isnull=True)
                | Q(approver__isnull=False, approved_at__isnull=False),
                name="verdict_approval_complete",
                violation_error_message="An approval records both the approver and the time.",
            ),
            models.CheckConstraint(
                condition=Q(approved_at__isnull=True, claim_snapshot__isnull=True)
                | Q(approved_at__isnull=False, claim_snapshot__isnull=False),
                name="verdict_approval_has_snapshot",
                violation_error_message="An approval records the claim as it was approved, and only an approval does.",
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True)
                | (
                    Q(approved_at__isnull=False, published_at__gte=F("approved_at"))
                    & ~Q(explanation="")
                    & (Q(rating__isnull=False) | Q(correction_kind="void"))
                ),
                name="verdict_published_requires_approval",
                violation_error_message="Only an approved verdict with a rating and an explanation can be published.",
            ),
            models.CheckConstraint(
                condition=Q(superseded_at__isnull=True)
                | Q(published_at__isnull=False, superseded_at__gte=F("published_at")),
                name="verdict_superseded_after_published",
                violation_error_message="Only a published verdict can be superseded, and not before it was published.",
            ),
            models.CheckConstraint(
                condition=Q(version=1, correction_kind="") | Q(version__gt=1) & ~Q(correction_kind=""),
                name="verdict_correction_kind_on_later_versions",
                violation_error_message="Every version after the first says what kind of correction it is.",
            ),
            # Publication periods of one claim's versions never overlap, so "the verdict at time T" is one row.
            ExclusionConstraint(
                name="verdict_publication_periods_disjoint",
                expressions=[
                    ("claim", RangeOperators.EQUAL),
                    (Func(F("published_at"), F("superseded_at"), function="tstzrange"), RangeOperators.OVERLAPS),
                ],
                condition=Q(published_at__isnull=False),
                violation_error_message="Two versions of this verdict would be published at the same time.",
            ),
        ]
        indexes = [
            models.Index(fields=["published_at", "id"], name="verdict_published_idx"),
            models.Index(fields=["updated_at", "id"], name="verdict_updated_idx"),
            # Readers' full-text search (?q=, the Google-compatible claims:search) matches the claim as approved, not
            # its live columns: its approved_document, indexed for current versions.
            GinIndex(
                fields=["approved_document"],
                condition=Q(published_at__isnull=False, superseded_at__isnull=True),
                name="verdict_current_document_gin",
            ),
            # Readers' search of a common word ranks the most recently published matches (VerdictQuerySet.
            # newest_matching): it walks this index newest first and tests each document here, without reading the
            # wide rows. A word in 5% of a million claims finds 500 such matches in 10,000 entries. A B-tree entry
            # holds at most 2,704 bytes, so only documents of short claims are included (SHORT_DOCUMENT: the tsvector
            # of 500 characters, in any script, stays under it); the few longer ones have a full-text index of theirs.
            models.Index(
                F("published_at").desc(),
                F("id").desc(),
                include=["approved_document", "claim_id"],
                condition=CURRENT & SHORT_DOCUMENT,
                name="verdict_current_short_newest",
            ),
            GinIndex(
                fields=["approved_document"], condition=CURRENT & ~SHORT_DOCUMENT, name="verdict_current_long_gin"
            ),
            # Readers' claim-date filters (bench E2) read the claim date as approved, ->> text, of the version shown.
            models.Index(KT("claim_snapshot__claim_date"), condition=CURRENT, name="verdict_current_claim_date_idx"),
            # Imports are idempotent by the review's address (claims.claimreview), and clients look reviews up by it.
            models.Index(fields=["review_url"], condition=~Q(review_url=""), name="verdict_review_url_idx"),
            # A question's answers as readers see them: the current versions whose approved claim answers it.
            models.Index(
                KT("claim_snapshot__question__id"),
                condition=Q(published_at__isnull=False, superseded_at__isnull=True),
                name="verdict_current_question_idx",
            ),
        ]
        triggers = [
            # What readers were shown stays what they were shown, whichever path (admin, shell, raw SQL) tries to
            # rewrite it: once published, only superseding (superseded_at) and the bookkeeping (updated_at) change.
            pgtrigger.Trigger(
                name="verdict_published_immutable",
                when=pgtrigger.Before,
                operation=Update,
                condition=pgtrigger.Q(old__published_at__isnull=False) & _any_changed(VERDICT_CONTENT_FIELDS),
                # SQLSTATE 23000 reaches Django as an IntegrityError, which the API answers with 409.
                func="RAISE EXCEPTION 'Version % of the verdict on claim % is published and is never changed; "
                "a correction is a new version.', OLD.version, OLD.claim_id "
                "USING ERRCODE = 'integrity_constraint_violation';",
            ),
        ]

    def __str__(self) -> str:
        return f"Verdict v{self.version} on claim {self.claim_id}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_current(self) -> bool:
        return self.published_at is not None and self.superseded_at is None


class Evidence(models.Model):
    """A document or finding a verdict rests on, with whether it supports or refutes the claim."""

    class Stance(models.TextChoices):
        SUPPORTS = "supports", "Supports the claim"
        REFUTES = "refutes", "Refutes the claim"
        CONTEXT = "context", "Context"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    url = models.URLField(max_length=2000, blank=True)
    appearance = models.ForeignKey(
        "sources.Appearance", on_delete=models.PROTECT, null=True, blank=True, related_name="evidence_uses"
    )
    title = models.CharField(max_length=500, blank=True)
    stance = models.CharField(max_length=16, choices=Stance.choices)
    note = models.TextField(blank=True)
    archive_url = models.URLField(max_length=2000, blank=True)
    added_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["claim", "id"]
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(
                condition=~Q(url="") | Q(appearance__isnull=False),
                name="evidence_has_target",
                violation_error_message="Evidence needs a URL or an appearance.",
            ),
            models.CheckConstraint(
                condition=Q(stance__in=["supports", "refutes", "context"]),
                name="evidence_stance_valid",
                violation_error_message="Unknown stance.",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.url or str(self.appearance)


class TransitionName(models.TextChoices):
    """The workflow's steps, as ReviewEvent records them; what each does is the table in claims.workflow."""

    TRIAGE = "triage", "Triage"
    DISMISS = "dismiss", "Dismiss"
    MARK_DUPLICATE = "mark_duplicate", "Mark duplicate"
    ASSIGN = "assign", "Assign"
    DRAFT = "draft", "Draft verdict"
    SUBMIT = "submit", "Submit for review"
    APPROVE = "approve", "Approve"
    REJECT = "reject", "Reject"
    PUBLISH = "publish", "Publish"
    REOPEN = "reopen", "Reopen for a correction"


class ReviewEvent(models.Model):
    """One step of the review workflow on a claim: who moved it from which status to which, and why.

    Append-only: a trigger refuses every UPDATE and DELETE, whichever path (admin, shell, raw SQL) tries it.
    """

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="review_events")
    verdict = models.ForeignKey(Verdict, on_delete=models.PROTECT, null=True, blank=True, related_name="review_events")
    actor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="review_events")
    transition = models.CharField(max_length=32, choices=TransitionName.choices)
    from_status = models.CharField(max_length=16, choices=ClaimStatus.choices)
    to_status = models.CharField(max_length=16, choices=ClaimStatus.choices)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(transition__in=TransitionName.values),
                name="reviewevent_transition_valid",
                violation_error_message="Unknown workflow transition.",
            ),
            models.CheckConstraint(
                condition=Q(from_status__in=ClaimStatus.values, to_status__in=ClaimStatus.values),
                name="reviewevent_status_valid",
                violation_error_message="Unknown claim status.",
            ),
        ]
        indexes = [
            # The claim page and GET /claims/{id}/events/ read one claim's events, newest first.
            models.Index(fields=["claim", "-created_at"], name="reviewevent_claim_idx"),
        ]
        triggers = [Protect(name="reviewevent_append_only", operation=Update | Delete)]

    def __str__(self) -> str:
        return f"{self.get_transition_display()}: claim {self.claim_id} {self.from_status} → {self.to_status}"


class Comment(models.Model):
    """An internal note of the desk on a claim; never shown to readers or API clients."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="claim_comments")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["claim", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(body=""), name="comment_body_not_blank", violation_error_message="A comment needs text."
            ),
        ]
        indexes = [models.Index(fields=["claim", "created_at"], name="comment_claim_idx")]

    def __str__(self) -> str:
        return f"Comment by {self.author_id} on claim {self.claim_id}"
