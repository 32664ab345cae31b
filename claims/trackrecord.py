"""A source's track record: how the claims it originated and the claims it relayed were rated.

Built only from what readers are shown: each claim's current published verdict, and the claim as approved with it
(Verdict.claim_snapshot, see claims.snapshot), never the claim's live rows. The desk may have changed the claimant
or a hop since the approval; that change reaches the track record with the next published version, as it reaches
readers. So the record is the same for everybody, and the API serves it to readers and desk alike.

Roles, per claim and per source (the hops of a chain run from the page outwards, claims.attribution):
- originated: the source is the claim's claimant as approved, or the origin of one of its chains (the last hop,
  which `publishes` it first-hand; a hop 0 that publishes is the origin of a one-hop chain);
- relayed: the source is any other hop of a chain (it quotes, paraphrases or cites the next hop, or cites unnamed
  sources) and did not originate the claim. The roles exclude each other, so a claim counts once per source: a
  source that said it first-hand is answerable for it as its originator, whoever else it passed through.

Void versions (a verdict withdrawn) rate nothing and are left out; so are claims without a current published version.

Cost: two queries, whatever the number of claims (one more to find the child sources with `include_children`). Both
read every current published version's snapshot once: a containment test (@>) narrows them to the ones naming the
source, a jsonpath test classifies them. A GIN index on claim_snapshot (jsonb_path_ops) would serve the @> filter;
there is none yet, so the cost is a scan of the current versions.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Case, CharField, Count, DateField, F, Func, Q, QuerySet, Value, When, Window
from django.db.models.expressions import RawSQL
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, RowNumber, Trunc

from claims.models import Bucket, CorrectionKind, Verdict
from sources.models import Source

ORIGINATED, RELAYED = "originated", "relayed"
ROLES = (ORIGINATED, RELAYED)
# The period a claim counts in is the month, quarter or year of its claim date as approved: when the source said
# it. A track record over time describes the source's conduct over time, so a 2019 claim checked in 2024 belongs
# to 2019; the verdict's publication date would describe the desk's schedule instead, and would move a claim to
# another period each time a correction is published. Claims without a date count in a period of their own (null).
PERIODS = ("month", "quarter", "year")
RECENT_MAX = 10

# Whether a snapshot names one of the sources ($ids: the source and, on request, its descendants) as its claimant or
# as the origin of one of its chains.
_ORIGINATED_PATH = "$ ? (@.claimant.id == $ids[*] || @.attributions[*].origin.id == $ids[*])"


@dataclass(frozen=True)
class RatingRef:
    scale: str
    rating: str
    label: str
    bucket: str


@dataclass
class RatingCount:
    scale: str
    rating: str
    label: str
    bucket: str
    count: int


@dataclass(frozen=True)
class RecentClaim:
    """A claim as readers see it: the statement as approved, the rating of the current version."""

    id: int
    statement: str
    claim_date: dt.date | None
    published_at: dt.datetime
    rating: RatingRef

    @property
    def pk(self) -> int:
        return self.id


def _no_buckets() -> dict[str, int]:
    return dict.fromkeys(Bucket.values, 0)


@dataclass
class Tally:
    """Claims by bucket, and their total."""

    total: int = 0
    buckets: dict[str, int] = field(default_factory=_no_buckets)

    def add(self, bucket: str, count: int) -> None:
        self.total += count
        self.buckets[bucket] += count


@dataclass
class RoleRecord(Tally):
    ratings: list[RatingCount] = field(default_factory=list)
    recent: list[RecentClaim] = field(default_factory=list)


@dataclass
class PeriodRecord:
    start: dt.date | None
    label: str | None
    originated: Tally = field(default_factory=Tally)
    relayed: Tally = field(default_factory=Tally)


@dataclass
class TrackRecord:
    source: Source
    source_ids: list[int]
    period: str
    include_children: bool
    originated: RoleRecord = field(default_factory=RoleRecord)
    relayed: RoleRecord = field(default_factory=RoleRecord)
    periods: list[PeriodRecord] = field(default_factory=list)


def period_label(start: dt.date | None, period: str) -> str | None:
    if start is None:
        return None
    if period == "year":
        return f"{start.year}"
    if period == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return f"{start.year}-{start.month:02d}"


def _descendant_ids(source_id: int) -> list[int]:
    """The source and every source below it (a government's ministries and their departments), in one query.

    UNION rather than UNION ALL: should the parents ever form a cycle (sources.services refuses one, the database
    does not), the recursion stops instead of running on.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH RECURSIVE tree(id) AS (
                SELECT %s::bigint
                UNION
                SELECT child.id FROM sources_source child JOIN tree ON child.parent_id = tree.id
            )
            SELECT id FROM tree ORDER BY id
            """,
            [source_id],
        )
        return [row[0] for row in cursor.fetchall()]


class JsonbPathExists(Func):
    """jsonb_path_exists(document, path, vars): whether the jsonpath finds anything, with $name bound from vars."""

    function = "jsonb_path_exists"
    output_field = BooleanField()

    def __init__(self, document: Any, path: str, variables: dict[str, Any]) -> None:
        super().__init__(document, RawSQL("%s::jsonpath", [path]), RawSQL("%s::jsonb", [json.dumps(variables)]))


def _shown(source_ids: Sequence[int]) -> QuerySet[Verdict]:
    """Each current published version that names one of the sources, with the source's `role` in it and the claim
    date as approved."""
    variables = {"ids": list(source_ids)}
    # Containment (@>) first: cheap, and what a GIN index on the snapshot would serve. Any origin is a hop too.
    naming = reduce(
        or_,
        (
            Q(claim_snapshot__contains={"claimant": {"id": pk}})
            | Q(claim_snapshot__contains={"attributions": [{"hops": [{"source": {"id": pk}}]}]})
            for pk in source_ids
        ),
    )
    return (
        Verdict.objects.current()
        .filter(naming, rating__isnull=False)
        .exclude(correction_kind=CorrectionKind.VOID)
        .annotate(
            # `naming` leaves the versions whose claim has one of the sources as claimant or as a hop; one that did
            # not originate it is therefore a hop other than an origin: it relays (only a chain's last hop may
            # publish, claims.attribution.chain_errors, so every other hop passes the claim on).
            role=Case(
                When(JsonbPathExists(F("claim_snapshot"), _ORIGINATED_PATH, variables), then=Value(ORIGINATED)),
                default=Value(RELAYED),
                output_field=CharField(),
            ),
            approved_claim_date=Cast(KT("claim_snapshot__claim_date"), DateField()),
        )
    )


_RATING = ("rating__scale__slug", "rating__slug", "rating__label", "rating__bucket")


def _counts(source_ids: Sequence[int], period: str) -> QuerySet:
    """(role, period_start, scale, rating, label, bucket, count) per group: the claims never leave the database."""
    return (
        _shown(source_ids)
        .annotate(period_start=Trunc("approved_claim_date", period, output_field=DateField()))
        .values_list("role", "period_start", *_RATING)
        .annotate(count=Count("id"))
        .order_by("rating__scale__slug", "-rating__ordinal")
    )


def _recent(source_ids: Sequence[int], limit: int) -> QuerySet:
    """The `limit` claims of each role whose current version was published last, newest first."""
    return (
        _shown(source_ids)
        .annotate(
            n=Window(RowNumber(), partition_by=F("role"), order_by=[F("published_at").desc(), F("claim_id").desc()]),
            statement=KT("claim_snapshot__statement"),
        )
        .filter(n__lte=limit)
        .values_list("role", "claim_id", "statement", "approved_claim_date", "published_at", *_RATING)
        .order_by("role", "n")
    )


def track_record(
    source: Source, *, period: str = "month", include_children: bool = False, recent: int = 5
) -> TrackRecord:
    """The source's track record (see the module docstring). `recent` claims per role are listed, at most
    RECENT_MAX."""
    if period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}")
    recent = max(0, min(recent, RECENT_MAX))
    source_ids = _descendant_ids(source.pk) if include_children else [source.pk]
    record = TrackRecord(source=source, source_ids=source_ids, period=period, include_children=include_children)

    by_rating: dict[tuple[str, RatingRef], int] = {}
    periods: dict[dt.date | None, PeriodRecord] = {}
    for role, start, scale, slug, label, bucket, count in _counts(source_ids, period):
        ref = RatingRef(scale, slug, label, bucket)
        by_rating[(role, ref)] = by_rating.get((role, ref), 0) + count
        getattr(record, role).add(bucket, count)
        row = periods.get(start) or periods.setdefault(start, PeriodRecord(start, period_label(start, period)))
        getattr(row, role).add(bucket, count)
    # Rows came ordered by scale, then truest rating first; dicts keep that order.
    for (role, ref), count in by_rating.items():
        getattr(record, role).ratings.append(RatingCount(ref.scale, ref.rating, ref.label, ref.bucket, count))
    # Oldest first; claims without a date last.
    record.periods = sorted(periods.values(), key=lambda row: (row.start is None, row.start or dt.date.min))

    if recent:
        for role, pk, statement, claim_date, published_at, scale, slug, label, bucket in _recent(source_ids, recent):
            getattr(record, role).recent.append(
                RecentClaim(pk, statement, claim_date, published_at, RatingRef(scale, slug, label, bucket))
            )
    return record
