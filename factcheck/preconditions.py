"""Optimistic concurrency for the API: ETags on detail responses, If-Match on writes.

A client reads an object (its ETag comes with it), changes it with `If-Match: <etag>`, and learns with 412 that
someone changed it meanwhile instead of overwriting their work. A write without If-Match answers 428.
The ETag is derived from the row's `updated_at`, which every service write bumps, so it changes whenever the
representation could have changed.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from django.db.models import Model, QuerySet
from django.http import Http404
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.request import Request


class PreconditionRequired(APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = "This change needs an If-Match header with the ETag you last read, so no update is lost."
    default_code = "precondition_required"


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The object changed since you read it; fetch it again and reapply your change."
    default_code = "precondition_failed"


def etag_for(obj: Model) -> str:
    """A strong ETag for the object's current state (quoted, as it goes in the header)."""
    return etag_of(obj._meta.label_lower, obj.pk, obj.updated_at)  # type: ignore[attr-defined]


def etag_of(label: str, pk: Any, updated_at: datetime) -> str:
    """etag_for() from the values it reads, for reads that select columns rather than load the model."""
    stamp = f"{label}:{pk}:{updated_at.isoformat()}"
    return '"' + hashlib.sha256(stamp.encode()).hexdigest()[:32] + '"'


def _listed(header: str) -> set[str]:
    return {tag.strip() for tag in header.split(",") if tag.strip()}


def check_if_match(request: Request, current: str) -> None:
    """Raise 428 without If-Match and 412 when none of its ETags is the current one (RFC 9110, strong comparison)."""
    header = request.headers.get("If-Match")
    if not header:
        raise PreconditionRequired()
    tags = _listed(header)
    if "*" in tags or current in tags:
        return
    raise PreconditionFailed()


def lock_matching(request: Request, queryset: QuerySet, **lookup: Any) -> Model:
    """Lock the row (call inside transaction.atomic) and check the client's If-Match against it.

    The lock makes check-then-write atomic: of many clients sending the same ETag at once, the first to get the
    lock writes and bumps updated_at, and every other one then fails the check with 412.
    """
    try:
        obj = queryset.select_for_update(of=("self",)).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as error:
        # Not there, or not visible to this user (the queryset is narrowed to what they may see): 404 either way.
        raise Http404 from error
    check_if_match(request, etag_for(obj))
    return obj


def check_if_none_match(request: Request, current: str) -> bool:
    """Whether the client's If-None-Match already names the current ETag, so a GET may answer 304 Not Modified."""
    header = request.headers.get("If-None-Match")
    if not header:
        return False
    tags = {tag.removeprefix("W/") for tag in _listed(header)}
    return "*" in tags or current in tags
