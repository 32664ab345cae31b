"""Who published a verdict and where readers find it: shared by every interchange format (ClaimReview, the
Google-compatible search, CSV).

The desk's own verdicts are published by the organisation in settings (FACTCHECK_ORG_NAME, FACTCHECK_ORG_URL) at
FACTCHECK_REVIEW_URL, or, when no public site is configured, at the API's ClaimReview document of the claim.
Imported reviews keep their own publisher (Verdict.publisher) and address (Verdict.review_url).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from rest_framework.reverse import reverse

if TYPE_CHECKING:
    from rest_framework.request import Request

    from claims.models import Verdict


@dataclass(frozen=True)
class Publisher:
    name: str
    url: str  # the organisation's site, e.g. https://www.politifact.com/
    site: str  # its host name: www.politifact.com (the Google-compatible search drops the www.)


def publisher_of(verdict: Verdict) -> Publisher:
    """The organisation that published the verdict (the verdict's `publisher` must be loaded, or be null)."""
    source = verdict.publisher
    if source is None:
        url = settings.FACTCHECK_ORG_URL
        return Publisher(settings.FACTCHECK_ORG_NAME, url, urlsplit(url).hostname or "")
    url = source.homepage or (f"https://{urlsplit(verdict.review_url).hostname}/" if verdict.review_url else "")
    return Publisher(source.name, url, urlsplit(url).hostname or "")


def review_url(verdict: Verdict, request: Request | None = None) -> str:
    """Where readers find the review: its own address, the configured public page, or the API's ClaimReview."""
    if verdict.review_url:
        return verdict.review_url
    if settings.FACTCHECK_REVIEW_URL:
        return settings.FACTCHECK_REVIEW_URL.replace("{id}", str(verdict.claim_id))
    return reverse("claim-claimreview", kwargs={"pk": verdict.claim_id}, request=request)
