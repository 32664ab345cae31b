"""factory_boy factories, one per model. Defaults build valid rows; tests override what they pin down."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.postgres.fields.ranges import DateRange, NumericRange
from django.utils import timezone

from claims.models import (
    Attribution,
    Claim,
    ClaimRelation,
    ClaimStatus,
    ClaimValue,
    Evidence,
    HopRelation,
    Question,
    Rating,
    RatingScale,
    Verdict,
)
from claims.snapshot import claim_snapshot
from factcheck.roles import EDITOR, FACT_CHECKER
from sources.models import Appearance, Source, SourceKind


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class StaffFactory(UserFactory):
    """A desk member: staff (admin access) in the fact-checker group."""

    is_staff = True

    @factory.post_generation
    def roles(self, create: bool, extracted: Sequence[str] | None, **kwargs: object) -> None:
        if create:
            self.groups.add(*Group.objects.filter(name__in=[FACT_CHECKER] if extracted is None else extracted))


class EditorFactory(StaffFactory):
    roles = factory.PostGeneration(
        lambda user, create, extracted, **kwargs: create and user.groups.add(*Group.objects.filter(name=EDITOR))
    )


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    name = factory.Sequence(lambda n: f"Source {n}")
    kind = SourceKind.OUTLET


class AppearanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appearance

    url = factory.Sequence(lambda n: f"https://news.example.org/articles/{n}")
    title = factory.Sequence(lambda n: f"Article {n}")
    publisher = factory.SubFactory(SourceFactory)
    published_on = dt.date(2024, 2, 29)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    text = factory.Sequence(lambda n: f"How many people attended meeting number {n}?")
    kind = Question.Kind.QUANTITY
    unit = "people"


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    statement = factory.Sequence(lambda n: f"Delegates from {n + 10} organisations arrived for the talks.")
    kind = "quantity"
    claimant = factory.SubFactory(SourceFactory, kind=SourceKind.PERSON)
    claim_date = dt.date(2024, 2, 29)
    status = ClaimStatus.NEW


class AttributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attribution

    claim = factory.SubFactory(ClaimFactory)
    appearance = factory.SubFactory(AppearanceFactory)
    position = 0
    source = factory.SubFactory(SourceFactory)
    relation = HopRelation.PUBLISHES


class ClaimValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClaimValue

    claim = factory.SubFactory(ClaimFactory)
    kind = ClaimValue.Kind.QUANTITY
    expression = "over ten"
    quantity = NumericRange(Decimal(10), None, "()")
    qualifier = "more_than"
    unit = "organisations"


class DateValueFactory(ClaimValueFactory):
    kind = ClaimValue.Kind.DATE
    expression = "Thursday, February 29"
    quantity = None
    unit = ""
    qualifier = "exact"
    dates = DateRange(dt.date(2024, 2, 29), dt.date(2024, 3, 1), "[)")
    precision = "day"


def default_rating(slug: str = "false") -> Rating:
    return Rating.objects.get(scale=RatingScale.objects.default(), slug=slug)


class VerdictFactory(factory.django.DjangoModelFactory):
    """A draft verdict; use `published_verdict()` for one that is published."""

    class Meta:
        model = Verdict

    claim = factory.SubFactory(ClaimFactory)
    version = 1
    rating = factory.LazyFunction(default_rating)
    summary = "The figure is off by an order of magnitude."
    explanation = "Official records list a much smaller number."
    author = factory.SubFactory(StaffFactory)


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    claim = factory.SubFactory(ClaimFactory)
    url = factory.Sequence(lambda n: f"https://records.example.org/doc/{n}")
    stance = Evidence.Stance.REFUTES
    note = "The official record."


class ClaimRelationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClaimRelation

    from_claim = factory.SubFactory(ClaimFactory)
    to_claim = factory.SubFactory(ClaimFactory)
    kind = ClaimRelation.Kind.CONTRADICTS


def published_verdict(claim: Claim | None = None, **kwargs) -> Verdict:
    """A verdict approved by a second person and published, with its claim marked published.

    Written straight to the rows (not through the services) so model and API tests do not depend on the workflow.
    """
    now = timezone.now()
    claim = claim or ClaimFactory(status=ClaimStatus.PUBLISHED)
    if claim.status != ClaimStatus.PUBLISHED:
        Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.PUBLISHED)
        claim.status = ClaimStatus.PUBLISHED
    EvidenceFactory(claim=claim)
    kwargs.setdefault("approver", StaffFactory())
    kwargs.setdefault("approved_at", now - dt.timedelta(minutes=5))
    kwargs.setdefault("published_at", now - dt.timedelta(minutes=1))
    # Readers are served the claim as approved: create the claim's parts before publishing it.
    kwargs.setdefault("claim_snapshot", claim_snapshot(claim))
    return VerdictFactory(claim=claim, **kwargs)


def claim_with_parts(*, published: bool = True, hops: int = 2, **kwargs) -> Claim:
    """A claim with everything the API shows: a question, a first appearance, a chain of `hops` hops from that
    page to the claimant, a quantity and a date value, evidence, and (if `published`) a published verdict."""
    claimant = kwargs.pop("claimant", None) or SourceFactory(kind=SourceKind.PERSON)
    appearance = kwargs.pop("first_appearance", None) or AppearanceFactory()
    kwargs.setdefault("question", QuestionFactory())
    claim = ClaimFactory(claimant=claimant, first_appearance=appearance, **kwargs)
    for position in range(hops):
        last = position == hops - 1
        AttributionFactory(
            claim=claim,
            appearance=appearance,
            position=position,
            source=claimant if last else (appearance.publisher if position == 0 else SourceFactory()),
            relation=HopRelation.PUBLISHES if last else HopRelation.CITES,
        )
    ClaimValueFactory(claim=claim)
    DateValueFactory(claim=claim)
    if published:
        published_verdict(claim)
    else:
        EvidenceFactory(claim=claim)
    return claim


def draft_in_review(claim: Claim | None = None, **kwargs) -> Verdict:
    """A draft verdict submitted for review (claim in_review, assigned to the author, with evidence), unapproved.

    Written straight to the rows, like `published_verdict()`, so tests start a step where they need to.
    """
    claim = claim or ClaimFactory()
    kwargs.setdefault("author", StaffFactory())
    Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.IN_REVIEW, assignee=kwargs["author"])
    claim.status, claim.assignee = ClaimStatus.IN_REVIEW, kwargs["author"]
    if not claim.evidence.exists():
        EvidenceFactory(claim=claim)
    return VerdictFactory(claim=claim, **kwargs)
