"""ClaimReview export: a published verdict and the claim as approved with it (Verdict.claim_snapshot, never the
claim's live rows) as schema.org JSON-LD. Pure: the caller loads what it reads (claims.api.claimreview).

What we emit follows Google's ClaimReview guidance (required: claimReviewed, reviewRating with alternateName, url;
recommended: author, datePublished, itemReviewed Claim with author, datePublished, appearance, firstAppearance)
and only uses terms of schema.org release 30.0 (tests/claims/test_claimreview_vocabulary.py checks every one).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from claims.models import Verdict
    from claims.publishing import Publisher
    from sources.models import Source

CONTEXT = "https://schema.org"
# Feed paging links are not schema.org terms: Hydra's (a W3C community vocabulary for paged collections) are named
# in the feed's own context, so the document stays valid JSON-LD with every other key a schema.org property.
FEED_CONTEXT: list[Any] = [
    CONTEXT,
    {"hydra": "http://www.w3.org/ns/hydra/core#", "next": "hydra:next", "previous": "hydra:previous"},
]
ORGANIZATION, PERSON = "Organization", "Person"
WITHDRAWN = "Withdrawn"  # the rating text of a void version, which withdraws the verdict and has no rating


def _date(moment: dt.datetime | dt.date | str | None) -> str | None:
    """A date as schema.org Date (ISO 8601); datetimes are read in UTC, the feed's time zone."""
    if moment is None or moment == "":
        return None
    if isinstance(moment, str):
        return moment[:10]
    if isinstance(moment, dt.datetime):
        return moment.astimezone(dt.UTC).date().isoformat()
    return moment.isoformat()


def _datetime(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _compact(node: dict[str, Any]) -> dict[str, Any]:
    """Leave out what we do not know rather than emit empty values (validators flag "" and [])."""
    return {key: value for key, value in node.items() if value not in (None, "", [], {})}


def party_type(kind: str) -> str:
    """Source.kind → the schema.org type of a claimant or publisher."""
    return PERSON if kind == "person" else ORGANIZATION


def same_as(source: Source | None) -> list[str]:
    if source is None:
        return []
    links = [f"https://www.wikidata.org/wiki/{source.wikidata_id}"] if source.wikidata_id else []
    return [*links, source.homepage] if source.homepage else links


def _party(name: str, kind: str, links: Sequence[str] = ()) -> dict[str, Any]:
    return _compact({"@type": party_type(kind), "name": name, "sameAs": list(links)})


def _appearance(brief: Mapping[str, Any], kinds: Mapping[str, str]) -> dict[str, Any]:
    """An appearance as the snapshot holds it (AppearanceBriefSerializer) → CreativeWork."""
    publisher = brief.get("publisher_name")
    return _compact(
        {
            "@type": "CreativeWork",
            "url": brief["url"],
            "headline": brief.get("title"),
            "datePublished": _date(brief.get("published_on")),
            # The snapshot names the page's publisher; its kind comes from the chain's hops where one names it.
            "author": _party(publisher, kinds.get(publisher, "outlet")) if publisher else None,
        }
    )


def rating_node(verdict: Verdict) -> dict[str, Any]:
    """reviewRating: the rating's words, and its place on the scale's ClaimReview axis when it has one."""
    rating = verdict.rating
    if rating is None:  # a void version: the verdict is withdrawn
        return {"@type": "Rating", "alternateName": verdict.textual_rating or WITHDRAWN}
    node: dict[str, Any] = {"@type": "Rating", "alternateName": verdict.textual_rating or rating.label}
    if rating.claimreview_value is not None:
        # Off the true-false axis (unverifiable, other) a number would place the verdict on it: we give none.
        node |= {
            "ratingValue": rating.claimreview_value,
            "bestRating": rating.scale.claimreview_best,
            "worstRating": rating.scale.claimreview_worst,
        }
    return node


def claim_node(snapshot: Mapping[str, Any], claimant: Source | None) -> dict[str, Any]:
    """itemReviewed: the claim as approved, with who said it and every page of its chains."""
    chains = snapshot.get("attributions") or []
    kinds = {hop["source"]["name"]: hop["source"]["kind"] for chain in chains for hop in chain["hops"]}
    speaker = snapshot.get("claimant")
    if speaker:
        kinds.setdefault(speaker["name"], speaker["kind"])
    appearances: dict[str, dict[str, Any]] = {}
    first = snapshot.get("first_appearance")
    for brief in [*(chain["appearance"] for chain in chains), first]:
        if brief and brief["url"] not in appearances:
            appearances[brief["url"]] = _appearance(brief, kinds)
    author = None
    if speaker:
        links = same_as(claimant) if claimant is not None and claimant.pk == speaker["id"] else []
        author = _party(speaker["name"], speaker["kind"], links)
    return _compact(
        {
            "@type": "Claim",
            "author": author,
            "datePublished": _date(snapshot.get("claim_date")),
            "appearance": list(appearances.values()),
            "firstAppearance": appearances[first["url"]] if first else None,
        }
    )


def correction_nodes(corrections: Iterable[Verdict]) -> list[dict[str, Any]]:
    """Every published correction up to the current version, oldest first, with its public note and date."""
    return [
        {
            "@type": "CorrectionComment",
            "text": version.correction_note or version.get_correction_kind_display(),
            "datePublished": _date(version.published_at),
        }
        for version in sorted(corrections, key=lambda version: version.version)
        if version.version > 1 and version.published_at is not None
    ]


def claimreview_document(
    verdict: Verdict,
    *,
    url: str,
    publisher: Publisher,
    first_published_at: dt.datetime,
    claimant: Source | None = None,
    corrections: Iterable[Verdict] = (),
    context: bool = True,
) -> dict[str, Any]:
    """The ClaimReview of a claim's current published `verdict` (rating and publisher loaded).

    `first_published_at` is when version 1 was published: the review's datePublished. A correction is its
    dateModified, and each correction is a CorrectionComment. `claimant` (the Source the snapshot names) gives the
    claimant's sameAs links. `context=False` leaves out @context, for documents nested in a feed.
    """
    snapshot = verdict.claim_snapshot or {}
    document = {
        "@context": CONTEXT if context else None,
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": snapshot.get("statement"),
        "description": verdict.summary,
        "datePublished": _date(first_published_at),
        "dateModified": _datetime(verdict.published_at) if verdict.version > 1 and verdict.published_at else None,
        "inLanguage": snapshot.get("language"),
        "author": _compact({"@type": ORGANIZATION, "name": publisher.name, "url": publisher.url}),
        "reviewRating": rating_node(verdict),
        "itemReviewed": claim_node(snapshot, claimant),
        "correction": correction_nodes(corrections) if verdict.version > 1 else None,
    }
    return _compact(document)


def feed_document(
    elements: list[dict[str, Any]], *, modified: dt.datetime | None, next_url: str | None, previous_url: str | None
) -> dict[str, Any]:
    """A page of the DataFeed of every published ClaimReview."""
    # dataFeedElement stays when the page is empty: clients read it unconditionally.
    return {
        "@context": FEED_CONTEXT,
        "@type": "DataFeed",
        **_compact({"name": "ClaimReview feed", "dateModified": _datetime(modified) if modified else None}),
        "dataFeedElement": elements,
        **_compact({"next": next_url, "previous": previous_url}),
    }
