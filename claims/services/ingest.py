"""Ingesting an article: the candidate claims claims.ingest proposes, written as `new` claims on the article's
appearance, with their attribution chains and values, in one transaction.

Idempotent: the appearance is found by its normalised URL, and each claim by (external_origin "ingest",
external_id "<normalised URL>#<sentence key>"), the key a digest of the sentence's words (claims.ingest.sentence_key).
Ingesting the same article again creates nothing and reports the claims as present; a sentence the publisher has
since reworded is a new claim, and the old one stays for the desk to dismiss.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.fields.ranges import DateRange, NumericRange
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import connection, transaction
from django.utils import timezone

from claims.attribution import origin_position
from claims.ingest import DEFAULT_MIN_SCORE, Candidate, ProposedHop, candidates, sentence_key
from claims.models import Claim
from claims.services.editing import Hop, attribution_chain_set, claim_create, claim_values_set
from claims.values import DATE, Parsed
from factcheck.roles import is_editor
from sources.models import Appearance, Source, SourceKind
from sources.services import appearance_create, source_get_or_create
from sources.urlnorm import normalize_url

INGEST_ORIGIN = "ingest"
EXTERNAL_ID_LENGTH = 200  # Claim.external_id's max_length
MAX_TEXT_LENGTH = 100_000  # characters: a long feature article is a fifth of that


@dataclass
class IngestedClaim:
    """One candidate and what became of it: `claim` None in a dry run, unless it was ingested before."""

    candidate: Candidate
    external_id: str
    claim: Claim | None = None
    created: bool = False
    sources: Sequence[Source | None] = ()  # the chain's sources as resolved, hop by hop (empty in a dry run)


@dataclass
class IngestResult:
    url: str
    dry_run: bool
    appearance: Appearance | None = None
    appearance_created: bool = False
    claims: list[IngestedClaim] = field(default_factory=list)

    @property
    def created(self) -> int:
        return sum(item.created for item in self.claims)

    @property
    def present(self) -> int:
        return sum(item.claim is not None and not item.created for item in self.claims)


def external_id(url: str, sentence: str) -> str:
    """The claim's identifier at its origin: the page's URL and the sentence's key, the URL as a digest when the
    two would not fit Claim.external_id."""
    key = sentence_key(sentence)
    if len(url) + 1 + len(key) <= EXTERNAL_ID_LENGTH:
        return f"{url}#{key}"
    return f"sha256:{hashlib.sha256(url.encode()).hexdigest()}#{key}"


def value_fields(parsed: Parsed, expression: str) -> list[dict[str, Any]]:
    """The ClaimValue fields of one value read from the text; a list of dates ("in March 2008 and May 2009")
    becomes one value per date, as the desk records them."""
    if parsed.kind == DATE:
        parts = parsed.parts or (parsed,)
        return [
            {
                "kind": "date",
                "expression": (part.text if parsed.parts else expression)[:200],
                "dates": DateRange(part.low, part.high, "[)"),
                "qualifier": part.qualifier,
                "precision": part.precision,
            }
            for part in parts
        ]
    bounds = ("[" if parsed.low_inclusive else "(") + ("]" if parsed.high_inclusive else ")")
    return [
        {
            "kind": "quantity",
            "expression": expression[:200],
            "quantity": NumericRange(parsed.low, parsed.high, bounds),
            "qualifier": parsed.qualifier,
            "unit": parsed.unit[:64],
        }
    ]


def _check_url(url: str) -> str:
    normalised = normalize_url(url)
    try:
        URLValidator(schemes=["http", "https"])(normalised)
    except ValidationError as error:
        raise ValidationError({"url": "Give the article's http(s) address."}) from error
    return normalised


def _lock_url(url: str) -> None:
    # Two ingests of one article at once would both find no appearance and both create it (one then fails on the
    # unique URL); a transaction-scoped advisory lock on the URL makes the second wait and then find the first's.
    digest = int.from_bytes(hashlib.sha256(url.encode()).digest()[:8], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [digest])


def _sources(hops: Sequence[ProposedHop], publisher: Source, actor: Any) -> list[Source]:
    resolved = [publisher]
    for hop in hops[1:]:
        source, _ = source_get_or_create(actor=actor, name=hop.source[:200], kind=hop.kind_hint or SourceKind.OTHER)
        resolved.append(source)
    return resolved


@transaction.atomic
def article_ingest(
    *,
    actor: Any,
    text: str,
    url: str,
    publisher: str,
    published: dt.date | None,
    dry_run: bool = False,
    min_score: float = DEFAULT_MIN_SCORE,
    title: str = "",
    language: str = "en",
) -> IngestResult:
    """Propose the article's candidate claims and, unless `dry_run`, write them as `new` claims (editors only; a
    dry run writes nothing and needs no rights here, the API asks for an editor all the same).

    The publisher and every source a chain names are found by name or alias, ignoring case, or created; the
    appearance is found by its normalised URL or created with the publisher, date, title and the text's digest.
    """
    if not dry_run and not is_editor(actor):
        raise PermissionDenied("Only editors ingest articles: ingesting writes claims and sources.")
    errors = {}
    if not text.strip():
        errors["text"] = "The article has no text."
    elif len(text) > MAX_TEXT_LENGTH:
        errors["text"] = f"At most {MAX_TEXT_LENGTH:,} characters."
    if not publisher.strip():
        errors["publisher"] = "Name the article's publisher."
    if not 0 <= min_score <= 1:
        errors["min_score"] = "Between 0 and 1."
    if errors:
        raise ValidationError(errors)
    url = _check_url(url)
    publisher = " ".join(publisher.split())
    proposed = candidates(text, publisher=publisher, published=published, min_score=min_score)
    result = IngestResult(url=url, dry_run=dry_run)
    ids = [external_id(url, candidate.sentence) for candidate in proposed]
    if not dry_run:
        _lock_url(url)
    present = {
        claim.external_id: claim for claim in Claim.objects.filter(external_origin=INGEST_ORIGIN, external_id__in=ids)
    }
    result.appearance = Appearance.objects.filter(url=url).first()
    if dry_run:
        result.claims = [IngestedClaim(c, key, present.get(key)) for c, key in zip(proposed, ids, strict=True)]
        return result
    publisher_source, _ = source_get_or_create(actor=actor, name=publisher, kind=SourceKind.OUTLET)
    if result.appearance is None:
        result.appearance = appearance_create(
            actor=actor,
            url=url,
            title=title.strip()[:500],
            publisher=publisher_source,
            published_on=published,
            language=language,
            retrieved_at=timezone.now(),
            content_hash=hashlib.sha256(text.encode()).hexdigest(),
        )
        result.appearance_created = True
    for candidate, key in zip(proposed, ids, strict=True):
        if key in present:
            result.claims.append(IngestedClaim(candidate, key, present[key]))
            continue
        if key in {item.external_id for item in result.claims}:
            continue  # the article repeats a sentence word for word: one claim
        sources = _sources(candidate.hops, publisher_source, actor)
        origin = origin_position([hop.relation for hop in candidate.hops])
        claim = claim_create(
            actor=actor,
            statement=candidate.sentence,
            quote=candidate.quote,
            kind=candidate.kind,
            # Given here rather than left to attribution_chain_set, which would save the claim a second time.
            claimant=sources[origin] if origin is not None else None,
            claim_date=published,
            language=language,
            first_appearance=result.appearance,
            external_origin=INGEST_ORIGIN,
            external_id=key,
        )
        hops = [Hop(source, hop.relation, hop.excerpt) for source, hop in zip(sources, candidate.hops, strict=True)]
        attribution_chain_set(claim=claim, appearance=result.appearance, hops=hops, actor=actor)
        fields = [f for match in candidate.values if match.value for f in value_fields(match.value, match.text)]
        if fields:
            claim_values_set(claim=claim, values=fields, actor=actor)
        result.claims.append(IngestedClaim(candidate, key, claim, created=True, sources=sources))
    return result
