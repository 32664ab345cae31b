"""Read vocabulary for claims and verdicts: what is published, what a user may see, what the API needs."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection, models
from django.db.models import Exists, FilteredRelation, OuterRef, Prefetch, Q
from django.db.models.fields.json import KT, KeyTransform
from django.db.models.functions import Cast, JSONObject

from factcheck.permissions import is_desk_member
from factcheck.roles import is_editor

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


# How many matches of a readers' search are ranked at most (ClaimQuerySet.search_approved), and how many of the newest
# versions are walked for them before the full-text index is asked (VerdictQuerySet.newest_matching).
SEARCH_CANDIDATES = 500
SEARCH_WINDOW = 50_000
# Claims as approved up to this many characters (statement and quote) have their document in
# verdict_current_short_newest, whose B-tree entries hold 2,704 bytes at most (claims.models.SHORT_DOCUMENT).
SHORT_DOCUMENT_CHARACTERS = 500
_CURRENT = "published_at IS NOT NULL AND superseded_at IS NULL"
_SHORT = (
    "(LENGTH(COALESCE((claim_snapshot ->> 'statement'), '')) + LENGTH(COALESCE((claim_snapshot ->> 'quote'), ''))) "
    f"<= {SHORT_DOCUMENT_CHARACTERS}"
)
_MATCHES = "approved_document @@ websearch_to_tsquery('english'::regconfig, %(text)s)"
# Constants only: the text, the limit and the window are parameters. The newest short documents in the window that
# match (verdict_current_short_newest, index only), with every long one that matches (verdict_current_long_gin, few),
# newest first; and how many of the first there were.
_NEWEST_IN_WINDOW = f"""
WITH short AS (
    SELECT id, published_at FROM (
        SELECT id, published_at, approved_document FROM claims_verdict WHERE {_CURRENT} AND {_SHORT}
        ORDER BY published_at DESC, id DESC LIMIT %(window)s
    ) recent
    WHERE {_MATCHES}
    ORDER BY published_at DESC, id DESC
    LIMIT %(limit)s
), long AS (
    SELECT id, published_at FROM claims_verdict WHERE {_CURRENT} AND NOT {_SHORT} AND {_MATCHES}
)
SELECT id, (SELECT count(*) FROM short) FROM (SELECT * FROM short UNION ALL SELECT * FROM long) found
ORDER BY published_at DESC, id DESC
LIMIT %(limit)s
"""  # noqa: S608
_NEWEST_ANYWHERE = f"""
SELECT id FROM claims_verdict WHERE {_CURRENT} AND {_MATCHES} ORDER BY published_at DESC, id DESC LIMIT %(limit)s
"""  # noqa: S608


def _current_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}published_at__isnull": False, f"{prefix}superseded_at__isnull": True})


def _published_at_q(moment: datetime, prefix: str = "") -> Q:
    return Q(**{f"{prefix}published_at__lte": moment}) & (
        Q(**{f"{prefix}superseded_at__isnull": True}) | Q(**{f"{prefix}superseded_at__gt": moment})
    )


class VerdictQuerySet(models.QuerySet):
    def published(self) -> VerdictQuerySet:
        """Every version that was ever published, corrections and superseded ones included."""
        return self.filter(published_at__isnull=False)

    def current(self) -> VerdictQuerySet:
        """The version each claim shows now: published and not superseded (one per claim at most, by constraint)."""
        return self.filter(_current_q())

    def as_of(self, moment: datetime) -> VerdictQuerySet:
        """The version each claim showed at `moment`."""
        return self.filter(_published_at_q(moment))

    def drafts(self) -> VerdictQuerySet:
        """Versions not published yet: at most one per claim (verdict_one_draft_per_claim)."""
        return self.filter(published_at__isnull=True)

    def visible_to(self, user: AbstractBaseUser | AnonymousUser) -> VerdictQuerySet:
        if is_desk_member(user):
            return self
        return self.published()

    def approved(self) -> VerdictQuerySet:
        """With `approved_claim_date`, the claim date as approved (an ISO string, which sorts as the date does), to
        filter on."""
        return self.alias(approved_claim_date=KT("claim_snapshot__claim_date"))

    def search_approved(self, text: str) -> VerdictQuerySet:
        """The current versions whose claim as approved (statement, then quote) matches `text` in English web search
        syntax, annotated with their `rank` (a float8, so a rank read back compares equal to itself when paging),
        best match first, then the claim's newest."""
        query = SearchQuery(text, search_type="websearch", config="english")
        return (
            self.current()
            .filter(approved_document=query)
            .annotate(rank=Cast(SearchRank(models.F("approved_document"), query), models.FloatField()))
            .order_by("-rank", "-claim_id")
        )

    def newest_matching(self, text: str, limit: int) -> list[int]:
        """The ids of the `limit` most recently published current versions whose approved document matches `text`
        (web search syntax), newest first, in two bounded steps rather than one plan the planner may misjudge (it
        estimates two words' selectivity as independent, and "health care" is not).

        First the newest SEARCH_WINDOW current versions of short claims are walked on verdict_current_short_newest,
        each document tested from the index itself (10,000 entries for a word in 5% of them), with the long claims'
        matches from their own full-text index: a word in at least limit / SEARCH_WINDOW of them (1%) ends there. A
        rarer one is then looked up in verdict_current_document_gin, whose matches are few enough to read: at most 1%
        of the versions, plus those older than the window.
        """
        params = {"text": text, "limit": limit, "window": SEARCH_WINDOW}
        with connection.cursor() as cursor:
            cursor.execute(_NEWEST_IN_WINDOW, params)
            rows = cursor.fetchall()
            if not rows or rows[0][1] < limit:
                # Fewer short matches in the window than wanted: older ones may be newer than nothing found yet.
                cursor.execute(_NEWEST_ANYWHERE, params)
                return [row[0] for row in cursor.fetchall()]
        # Every short match outside the window is older than all those in it: these are the newest overall.
        return [row[0] for row in rows]

    def for_api(self) -> VerdictQuerySet:
        # The claim as approved is served as the claim (ClaimQuerySet.with_current_verdict), not with the verdict.
        return self.select_related("rating__scale", "author", "approver", "publisher").defer(
            "claim_snapshot", "approved_document"
        )


class ClaimQuerySet(models.QuerySet):
    def published(self) -> ClaimQuerySet:
        """Claims with a current published verdict: what anonymous readers and API clients see.

        A claim reopened for a correction stays public with its current verdict until the correction is published.
        """
        from claims.models import Verdict

        return self.filter(Exists(Verdict.objects.filter(_current_q(), claim=OuterRef("pk"))))

    def published_as_of(self, moment: datetime) -> ClaimQuerySet:
        """Claims that showed a published verdict at `moment`."""
        from claims.models import Verdict

        return self.filter(Exists(Verdict.objects.filter(_published_at_q(moment), claim=OuterRef("pk"))))

    def visible_to(self, user: AbstractBaseUser | AnonymousUser, as_of: datetime | None = None) -> ClaimQuerySet:
        """What the user may see: the desk everything; readers what is published (or was, at `as_of`)."""
        if is_desk_member(user):
            return self
        return self.published() if as_of is None else self.published_as_of(as_of)

    def assigned_to(self, user: AbstractBaseUser | AnonymousUser) -> ClaimQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(assignee=user)

    def awaiting_review_by(self, user: AbstractBaseUser | AnonymousUser) -> ClaimQuerySet:
        """Claims in review whose draft an editor may take up: one they did not write themselves."""
        from claims.models import ClaimStatus, Verdict

        if not is_editor(user):
            return self.none()
        others = Verdict.objects.drafts().filter(claim=OuterRef("pk")).exclude(author=user)
        return self.filter(Exists(others), status=ClaimStatus.IN_REVIEW)

    def search(self, text: str) -> ClaimQuerySet:
        """Full-text search in English over statement and quote, best match first."""
        query = SearchQuery(text, search_type="websearch", config="english")
        # ts_rank is a float4 whose text form does not read back as the same double, so a rank read from one row
        # would not compare equal to itself in SQL; as a float8 it does, and the API's cursor pages by rank.
        return (
            self.filter(search_vector=query)
            .annotate(rank=Cast(SearchRank(models.F("search_vector"), query), models.FloatField()))
            .order_by("-rank", "-id")
        )

    def search_approved(self, text: str, condition: Q | None = None) -> ClaimQuerySet:
        """search() over the statement and quote as approved with the version shown: what readers search. A search of
        the live column would find words readers are not shown (an unpublished rewording), and would tell them so by
        its results.

        Of more than SEARCH_CANDIDATES matches, the most recently published are ranked: ranking every match of a
        common word reads every match's row (40,000 of a million claims for a word in 5% of them), which no page is
        worth. `condition` (on the version shown, `shown__...`) narrows the claims too, and the candidates are the
        newest matches among them (found with it, by whatever plan it allows); without one,
        VerdictQuerySet.newest_matching() finds them in time bounded whatever the word. One filter() call, so one
        join of the versions (see ClaimFilterSet.filter_queryset).
        """
        query = SearchQuery(text, search_type="websearch", config="english")
        claims = self.shown_rows()
        condition = condition or Q()
        if condition:
            matching = claims.filter(condition & Q(shown__approved_document=query))
            newest = matching.order_by("-shown__published_at", "-shown__id").values("shown__id")[:SEARCH_CANDIDATES]
        else:
            from claims.models import Verdict

            newest = Verdict.objects.newest_matching(text, SEARCH_CANDIDATES)
        return (
            claims.filter(condition & Q(shown__id__in=newest))
            .annotate(rank=Cast(SearchRank(models.F("shown__approved_document"), query), models.FloatField()))
            .order_by("-rank", "-id")
        )

    def shown_rows(self) -> ClaimQuerySet:
        """Published claims joined to the version readers are shown (`shown`: published, not superseded), for reading
        both as rows in one query (claims.api.readers). The inner join is what makes them published claims.
        Idempotent: readers' filters join it to the claims they are given when these are not joined yet."""
        if "shown" in self.query._filtered_relations:
            return self
        return self.annotate(shown=FilteredRelation("verdicts", condition=_current_q("verdicts__"))).filter(
            shown__isnull=False
        )

    def with_current_verdict(self, as_of: datetime | None = None, *, approved: Sequence[str] = ()) -> ClaimQuerySet:
        """Prefetch each claim's current published verdict (or the one current at `as_of`) into `current_verdicts`,
        a list of zero or one.

        The claim as approved with it (Verdict.claim_snapshot) is left in the database unless `approved` names keys of
        it to load, as a dict in `published_claim`: lists need the claim's own fields, not its parts.
        """
        from claims.models import Verdict

        verdicts = Verdict.objects.current() if as_of is None else Verdict.objects.as_of(as_of)
        # The publisher too: the CSV export names it (one join, no query per row).
        verdicts = verdicts.select_related("rating__scale", "publisher").defer("claim_snapshot", "approved_document")
        if approved:
            # jsonb_build_object('statement', claim_snapshot -> 'statement', ...): only these keys leave the database.
            verdicts = verdicts.annotate(
                published_claim=JSONObject(**{key: KeyTransform(key, "claim_snapshot") for key in approved})
            )
        return self.prefetch_related(Prefetch("verdicts", queryset=verdicts, to_attr="current_verdicts"))

    def with_public_parts(self) -> ClaimQuerySet:
        """What the claim's public representation (claims.api.public.ClaimPublicSerializer) reads, in four queries."""
        from claims.models import Attribution, Evidence

        return self.select_related("claimant", "question", "first_appearance__publisher").prefetch_related(
            Prefetch(
                "attributions",
                queryset=Attribution.objects.select_related("source", "appearance__publisher").order_by(
                    "appearance_id", "position"
                ),
            ),
            "values",
            Prefetch("evidence", queryset=Evidence.objects.select_related("appearance__publisher")),
        )

    def for_api_list(self, user: AbstractBaseUser | AnonymousUser) -> ClaimQuerySet:
        """The desk's list reads the claims' rows; readers' the claims as approved, with the version shown."""
        from claims.api.public import CONTENT_FIELDS

        if not is_desk_member(user):
            return self.with_current_verdict(approved=CONTENT_FIELDS)
        return self.select_related("claimant", "question", "first_appearance__publisher").with_current_verdict()

    def for_api_detail(self, user: AbstractBaseUser | AnonymousUser, as_of: datetime | None = None) -> ClaimQuerySet:
        """With `as_of`, the current verdict is the one current then, and the versions are those published by then.

        The desk reads the claim's rows and parts; readers the claim as approved with the version they are shown,
        so none of the parts is read for them.
        """
        from claims.api.public import PUBLIC_FIELDS
        from claims.models import Verdict

        verdicts = Verdict.objects.visible_to(user)
        if as_of is not None:
            verdicts = verdicts.filter(published_at__lte=as_of)
        shown = Prefetch("verdicts", queryset=verdicts.for_api().order_by("-version"), to_attr="visible_verdicts")
        if not is_desk_member(user):
            return self.with_current_verdict(as_of, approved=PUBLIC_FIELDS).prefetch_related(shown)
        return self.with_public_parts().with_current_verdict(as_of).prefetch_related(shown)

    def attributed_to(self, source_id: int) -> ClaimQuerySet:
        """Claims in which the source is any hop of any chain: who relayed them as well as who said them first."""
        from claims.models import Attribution

        # EXISTS rather than a join, so a source at several hops of a claim does not repeat it (no DISTINCT).
        return self.filter(Exists(Attribution.objects.filter(claim=OuterRef("pk"), source_id=source_id)))

    def rated(self, *, slug: str | None = None, bucket: str | None = None) -> ClaimQuerySet:
        """Claims whose current published verdict has a rating with this slug (on any scale) or in this bucket."""
        from claims.models import Verdict

        current = Verdict.objects.filter(_current_q(), claim=OuterRef("pk"))
        if slug is not None:
            current = current.filter(rating__slug=slug)
        if bucket is not None:
            current = current.filter(rating__bucket=bucket)
        return self.filter(Exists(current))


class QuestionQuerySet(models.QuerySet):
    def for_api(self) -> QuestionQuerySet:
        return self


class RatingScaleQuerySet(models.QuerySet):
    def default(self):
        return self.get(is_default=True)

    def for_api(self) -> RatingScaleQuerySet:
        return self.prefetch_related("ratings")
