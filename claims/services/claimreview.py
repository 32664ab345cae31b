"""Importing ClaimReview documents (one, an array, or a DataFeed) as published verdicts.

Each review is read (claims.claimreview.parse_review), its rating mapped onto a scale (RatingMapper: unknown ratings
are reported, never guessed), and written in its own savepoint through review_import: a review that fails is
reported with the property that stopped it and skipped, and the others land. Idempotent by the review's url (or
@id, or identifier): a review imported before is reported as present and changes nothing, its sources included.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import DataError, IntegrityError, transaction
from django.db.models import Q

from claims.claimreview import (
    PERSON,
    ItemError,
    ParsedAppearance,
    ParsedReview,
    Party,
    PayloadError,
    RatingMapper,
    parse_review,
    reviews_in,
)
from claims.models import Claim, HopRelation, Rating, RatingScale
from claims.services.editing import Hop
from claims.services.imports import ImportedReview, review_import
from sources.models import Appearance, Source, SourceKind
from sources.services import appearance_create, source_create
from sources.urlnorm import normalize_url

ORIGIN = "claimreview"
MAX_REVIEWS = 5000  # per call: an API request or one file of the command


@dataclass
class ImportReport:
    created: list[dict[str, Any]] = field(default_factory=list)  # {index, url, claim}
    present: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)  # {index, url, field, message}
    dry_run: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": len(self.created),
            "present": len(self.present),
            "skipped": self.skipped,
            "claims": sorted(
                [{**row, "status": "created"} for row in self.created]
                + [{**row, "status": "present"} for row in self.present],
                key=lambda row: row["index"],
            ),
            "dry_run": self.dry_run,
        }


def external_id_for(identifier: str) -> str:
    """Claim.external_id holds 200 characters; longer review addresses are kept as their SHA-256."""
    return identifier if len(identifier) <= 200 else "sha256:" + hashlib.sha256(identifier.encode()).hexdigest()


def claimreview_import(
    *,
    payload: Any,
    actor: Any,
    scale: RatingScale | None = None,
    mapping: Mapping[str, str] | None = None,
    dry_run: bool = False,
    report: ImportReport | None = None,
) -> ImportReport:
    """Import every review in `payload`. PayloadError when the payload is not ClaimReview at all (or the mapping
    names ratings the scale lacks); PermissionDenied for anyone but an editor (review_import)."""
    documents = reviews_in(payload)
    if len(documents) > MAX_REVIEWS:
        raise PayloadError("@graph", f"At most {MAX_REVIEWS} reviews at a time; split the file.")
    scale = scale or RatingScale.objects.default()
    try:
        mapper = RatingMapper(list(Rating.objects.filter(scale=scale).select_related("scale")), mapping)
    except ValueError as error:
        raise PayloadError("mapping", str(error)) from None
    report = report or ImportReport()
    report.dry_run = dry_run
    offset = len(report.created) + len(report.present) + len(report.skipped)
    with transaction.atomic():
        for position, document in enumerate(documents):
            _import_one(offset + position, document, actor=actor, mapper=mapper, report=report)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _import_one(index: int, document: Any, *, actor: Any, mapper: RatingMapper, report: ImportReport) -> None:
    url = document.get("url") if isinstance(document, dict) and isinstance(document.get("url"), str) else ""
    try:
        parsed = parse_review(index, document)
        external_id = external_id_for(parsed.identifier)
        existing = Claim.objects.filter(external_origin=ORIGIN, external_id=external_id).values_list("pk", flat=True)
        if existing:
            report.present.append({"index": index, "url": url, "claim": existing[0]})
            return
        rating = mapper.resolve(parsed)
        with transaction.atomic():
            claim, created = review_import(review=_imported(parsed, rating, external_id, actor), actor=actor)
    except ItemError as error:
        report.skipped.append({"index": index, "url": url, "field": error.field, "message": error.message})
    except ValidationError as error:
        messages = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        name, texts = next(iter(messages.items()))
        report.skipped.append({"index": index, "url": url, "field": name or None, "message": " ".join(texts)})
    except (IntegrityError, DataError) as error:
        report.skipped.append({"index": index, "url": url, "field": None, "message": str(error).split("\n")[0]})
    else:
        (report.created if created else report.present).append({"index": index, "url": url, "claim": claim.pk})


def _imported(parsed: ParsedReview, rating: Rating, external_id: str, actor: Any) -> ImportedReview:
    publisher = source_for(parsed.author, actor=actor, organisation_kind=SourceKind.OUTLET)
    claimant = source_for(parsed.claimant, actor=actor) if parsed.claimant else None
    appearances = [(item, appearance_for(item, actor=actor, language=parsed.language)) for item in parsed.appearances]
    first = (
        appearance_for(parsed.first_appearance, actor=actor, language=parsed.language)
        if parsed.first_appearance
        else None
    )
    chains = []
    if claimant is not None:
        # ClaimReview says who published each page, not through whom it came: the page's publisher cites the
        # claimant (or the claimant published it), which is all the document supports.
        for item, appearance in appearances:
            page = (
                source_for(item.publisher, actor=actor, organisation_kind=SourceKind.OUTLET) if item.publisher else None
            )
            hops = [Hop(source=claimant, relation=HopRelation.PUBLISHES)]
            if page is not None and page != claimant:
                hops.insert(0, Hop(source=page, relation=HopRelation.CITES))
            chains.append((appearance, hops))
    return ImportedReview(
        origin=ORIGIN,
        external_id=external_id,
        statement=parsed.statement,
        rating=rating,
        published_at=parsed.published_at,
        publisher=publisher,
        claimant=claimant,
        claim_date=parsed.claim_date,
        language=parsed.language,
        appearance=first,
        chains=chains,
        summary=parsed.summary,
        textual_rating=parsed.rating_text if parsed.rating_text != rating.label else "",
        review_url=parsed.url,
    )


def _valid_url(url: str) -> str:
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return ""
    return url if len(url) <= 500 else ""


def source_for(party: Party, *, actor: Any, organisation_kind: str = SourceKind.OTHER) -> Source:
    """The source a document names: found by name or alias (a person among people, an organisation among the
    others), else created with the links the document gives."""
    person = party.kind == PERSON
    candidates = Source.objects.filter(Q(name__iexact=party.name) | Q(aliases__contains=[party.name])).order_by("id")
    for source in candidates:
        if (source.kind == SourceKind.PERSON) == person:
            return source
    fields: dict[str, Any] = {"name": party.name, "kind": SourceKind.PERSON if person else organisation_kind}
    if _valid_url(party.homepage):
        fields["homepage"] = party.homepage
    if party.wikidata_id:
        fields["wikidata_id"] = party.wikidata_id
    return source_create(actor=actor, **fields)


def appearance_for(item: ParsedAppearance, *, actor: Any, language: str) -> Appearance:
    """The appearance at this address (looked up by its normalised URL), else a new one."""
    url = normalize_url(item.url)
    existing = Appearance.objects.filter(url=url).first()
    if existing is not None:
        return existing
    publisher = source_for(item.publisher, actor=actor, organisation_kind=SourceKind.OUTLET) if item.publisher else None
    return appearance_create(
        actor=actor,
        url=url,
        title=item.title,
        publisher=publisher,
        published_on=item.published_on,
        language=language,
    )
