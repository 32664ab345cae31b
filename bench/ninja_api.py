"""The readers' claim list (E1: GET /api/v1/claims/ with `cursor` and `page_size`) written as a django-ninja user
would: pydantic Schemas declare the item and the page, the Django ORM reads the rows, ninja validates and renders.

The ORM query is the idiomatic fast one, not model instances: Claim.objects.shown_rows() (published claims joined to
the version shown) and .values() of the columns the item shows, with the keys of the claim as approved
(Verdict.claim_snapshot) as KeyTransform annotations: one query per page, as the app's. Schemas map the flat row
with aliases and resolvers. The cursor is the app's (factcheck.pagination's format, keyset over created_at, id), so
that the links are the same bytes.

The renderer is ninja's documented orjson renderer (UTC as Z), plus DRF's U+2028/U+2029 escapes: with ninja's default
renderer (DjangoJSONEncoder) the body would differ from the app's in bytes (", " and ": " separators, datetimes cut
to milliseconds) though not in meaning.
"""

from __future__ import annotations

import json
from base64 import urlsafe_b64decode, urlsafe_b64encode
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

import orjson
from django.db.models import Q
from django.db.models.fields.json import KeyTransform
from django.http import HttpRequest
from ninja import Field, NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.renderers import BaseRenderer

from claims.models import Claim

KEYS = ["-created_at", "-id"]
APPROVED = ("statement", "quote", "kind", "claimant", "claim_date", "language", "tags", "question", "first_appearance")


class ORJSONRenderer(BaseRenderer):
    media_type = "application/json"

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> bytes:
        body = orjson.dumps(data, option=orjson.OPT_UTC_Z)
        # DRF's JSONRenderer escapes these two for JavaScript; the app's bytes are the reference.
        if b"\xe2\x80\xa8" in body or b"\xe2\x80\xa9" in body:
            body = body.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")
        return body


api = NinjaAPI(title="factcheck readers (ninja peer)", urls_namespace="ninja_bench", renderer=ORJSONRenderer())


class RatingOut(Schema):
    slug: str
    label: str
    bucket: str
    scale: str


class CurrentVerdictOut(Schema):
    version: int
    rating: RatingOut | None
    summary: str
    published_at: datetime


class ClaimListItem(Schema):
    id: int
    url: str
    statement: str = Field(alias="approved_statement")
    quote: str | None = Field(alias="approved_quote")
    kind: str = Field(alias="approved_kind")
    status: str = "published"
    claimant: dict[str, Any] | None = Field(alias="approved_claimant")
    claim_date: str | None = Field(alias="approved_claim_date")
    language: str | None = Field(alias="approved_language")
    tags: list[str] = Field(alias="approved_tags")
    question: dict[str, Any] | None = Field(alias="approved_question")
    first_appearance: dict[str, Any] | None = Field(alias="approved_first_appearance")
    current_verdict: CurrentVerdictOut
    created_at: datetime
    updated_at: datetime = Field(alias="shown__published_at")

    @staticmethod
    def resolve_url(obj: dict[str, Any], context: dict[str, Any]) -> str:
        return context["request"].build_absolute_uri(f"/api/v1/claims/{obj['id']}/")

    @staticmethod
    def resolve_current_verdict(obj: dict[str, Any]) -> dict[str, Any]:
        slug = obj["shown__rating__slug"]
        return {
            "version": obj["shown__version"],
            "rating": None
            if slug is None
            else {
                "slug": slug,
                "label": obj["shown__rating__label"],
                "bucket": obj["shown__rating__bucket"],
                "scale": obj["shown__rating__scale__slug"],
            },
            "summary": obj["shown__summary"],
            "published_at": obj["shown__published_at"],
        }


class ClaimPage(Schema):
    next: str | None
    previous: str | None
    results: list[ClaimListItem]


def encode_cursor(created_at: datetime, pk: int, reverse: bool) -> str:
    payload: dict[str, Any] = {"k": KEYS, "v": [created_at.isoformat(), pk]}
    if reverse:
        payload["r"] = True
    raw = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    return urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(encoded: str) -> tuple[datetime, int, bool]:
    try:
        payload = json.loads(urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
        created, pk = payload["v"]
        moment = datetime.fromisoformat(created)
        if payload.get("k") != KEYS or moment.tzinfo is None or not isinstance(pk, int):
            raise ValueError("not our cursor")
        return moment, pk, payload.get("r") is True
    except (ValueError, TypeError, KeyError, AttributeError):
        raise HttpError(400, "Invalid cursor.") from None


@api.get("/claims/", response=ClaimPage)
def claim_list(request: HttpRequest, cursor: str | None = None, page_size: int = 50) -> dict[str, Any]:
    if set(request.GET) - {"cursor", "page_size"} or page_size < 1:
        # The peer serves the default list only: a search or a filter is not answered rather than answered wrong.
        raise HttpError(400, "The ninja peer serves the default list only.")
    size = min(page_size, 200)
    after = decode_cursor(cursor) if cursor is not None else None
    reverse = bool(after and after[2])
    claims = Claim.objects.shown_rows()
    if after is not None:
        beyond = "gt" if reverse else "lt"
        claims = claims.filter(
            Q(**{f"created_at__{beyond}": after[0]}) | Q(created_at=after[0], **{f"id__{beyond}": after[1]})
        )
    rows = list(
        claims.order_by(*(("created_at", "id") if reverse else ("-created_at", "-id"))).values(
            "id",
            "created_at",
            "shown__version",
            "shown__summary",
            "shown__published_at",
            "shown__rating__slug",
            "shown__rating__label",
            "shown__rating__bucket",
            "shown__rating__scale__slug",
            **{f"approved_{key}": KeyTransform(key, "shown__claim_snapshot") for key in APPROVED},
        )[: size + 1]
    )
    more = len(rows) > size
    rows = rows[:size]
    if reverse:
        rows.reverse()
    has_next, has_previous = (True, more) if reverse else (more, after is not None)

    def link(row: dict[str, Any], backwards: bool) -> str:
        params = {**dict(request.GET.lists()), "cursor": [encode_cursor(row["created_at"], row["id"], backwards)]}
        return request.build_absolute_uri("/api/v1/claims/") + "?" + urlencode(sorted(params.items()), doseq=True)

    return {
        "next": link(rows[-1], False) if has_next and rows else None,
        "previous": link(rows[0], True) if has_previous and rows else None,
        "results": rows,
    }
