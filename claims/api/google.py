"""`GET /v1alpha1/claims:search`: Google's Fact Check Tools API (factchecktools v1alpha1), answered from our
published verdicts, so that clients written for Google's service (its own Python client included) work unchanged
when pointed at us.

Field names, types and parameters follow Google's discovery document (shipped with google-api-python-client as
googleapiclient/discovery_cache/documents/factchecktools.v1alpha1.json). Like Google's service it leaves out what it
does not know (a claim without claimant or date, a review without title) and `nextPageToken` on the last page;
unlike it, `claims` is always there, empty when nothing matches.

Readers see a claim as approved (Verdict.claim_snapshot of its current published version): the search, the
language filter and the texts all read that, never the claim's live rows; a withdrawn (void) verdict reviews
nothing and is left out. Everybody, the desk included, gets the same answers.

Paging is by keyset: `pageToken` is an opaque position (the last row's sort key and id, and a fingerprint of the
search it belongs to), so pages stay stable while reviews are published; `offset` (Google's, used only without a
token) skips at most OFFSET_MAX rows. A page is one query over the current versions (a text search first finds its
candidates, the most recently published matches: VerdictQuerySet.newest_matching).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import math
import re
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Q
from django.db.models.fields.json import KeyTransform
from django.db.models.functions import JSONObject
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.authentication import BasicAuthentication, SessionAuthentication
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authentication import QueryKeyAuthentication
from claims import querysets
from claims.models import Verdict
from claims.publishing import publisher_of, review_url
from claims.querysets import VerdictQuerySet
from factcheck.errors import google_exception_handler

PAGE_SIZE_DEFAULT = 10
PAGE_SIZE_MAX = 100
# `offset` walks the result list row by row in the database; deeper pages are for pageToken, which does not.
OFFSET_MAX = 1000
MAX_AGE_DAYS_MAX = 100_000  # about 270 years: any real claim; more would overflow the date arithmetic
# The claim as approved: the keys of Verdict.claim_snapshot the answer shows.
APPROVED_KEYS = ("statement", "claimant", "claim_date", "language")

LANGUAGE_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
LABEL = r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?"
SITE_RE = re.compile(rf"^{LABEL}(\.{LABEL})*$")


# Parameters ------------------------------------------------------------------------------------------------------


def normalise_site(value: str) -> str:
    """The host a reviewPublisherSiteFilter names, as Google's `publisher.site` writes it: lower case, no scheme,
    path, port or "www." ("https://www.PolitiFact.com/x" -> "politifact.com"). ValueError if it is no host name."""
    text = value.strip().lower()
    host = urlsplit(text if "://" in text else f"//{text}").hostname or ""
    try:
        host = host.rstrip(".").encode("idna").decode("ascii")
    except UnicodeError as error:
        raise ValueError("Give a host name, such as politifact.com.") from error
    host = host.removeprefix("www.")
    if not SITE_RE.match(host) or len(host) > 253:
        raise ValueError("Give a host name, such as politifact.com.")
    return host


def site_matches(host: str, site: str) -> bool:
    """Is `host` the site or one of its subdomains (www.politifact.com and politifact.com for politifact.com)?"""
    host = host.lower().rstrip(".")
    return host == site or host.endswith(f".{site}")


def host_regex(site: str) -> str:
    """A PostgreSQL regular expression (matched case-insensitively) for URLs on the site or its subdomains."""
    escaped = site.replace(".", r"\.")  # validated: letters, digits, hyphens and dots only
    return rf"^[a-z][a-z0-9+.-]*://([^/?#@]*@)?([^/?#@:]*\.)?{escaped}(:[0-9]*)?([/?#]|$)"


class SearchParameters(serializers.Serializer):
    """The query parameters of claims:search, with the names (camelCase) and meaning Google's discovery document
    gives them."""

    query = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        help_text='Words to find in the claims as approved (web search syntax: "quoted phrase", or, -word). '
        "Required unless reviewPublisherSiteFilter is given.",
    )
    languageCode = serializers.CharField(
        required=False,
        max_length=35,
        help_text='BCP-47 code, such as "en" or "en-US"; only the language counts, not the region or script '
        '("en-US" finds claims in en, en-GB, ...), as at Google.',
    )
    reviewPublisherSiteFilter = serializers.CharField(
        required=False,
        max_length=300,
        help_text='The review publisher\'s site, such as "politifact.com" (its subdomains match too). '
        "Required unless query is given.",
    )
    maxAgeDays = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_AGE_DAYS_MAX,
        help_text="Only claims made or reviewed in the last N days (by the claim date or the review date, "
        "whichever is newer).",
    )
    pageSize = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=PAGE_SIZE_MAX,
        help_text=f"Claims per page: {PAGE_SIZE_DEFAULT} by default, at most {PAGE_SIZE_MAX}.",
    )
    pageToken = serializers.CharField(
        required=False,
        max_length=500,
        help_text="The nextPageToken of the previous page; the other parameters must be the same as then.",
    )
    offset = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=OFFSET_MAX,
        help_text=f"Rows to skip, without a pageToken only (at most {OFFSET_MAX}; page further with pageToken).",
    )

    def validate_query(self, value: str) -> str:
        return value.strip()

    def validate_languageCode(self, value: str) -> str:
        if not LANGUAGE_RE.match(value.strip()):
            raise ValidationError('Give a BCP-47 language code, such as "en" or "en-US".')
        return value.strip().split("-")[0].lower()

    def validate_reviewPublisherSiteFilter(self, value: str) -> str:
        try:
            return normalise_site(value)
        except ValueError as error:
            raise ValidationError(str(error)) from error

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("query") and not attrs.get("reviewPublisherSiteFilter"):
            raise ValidationError({"query": "Give query or reviewPublisherSiteFilter (or both)."})
        if "pageToken" in attrs:
            attrs["position"] = decode_page_token(attrs["pageToken"], fingerprint(attrs))
        return attrs


# Page tokens -----------------------------------------------------------------------------------------------------

# The search's own parameters: a token from one search must not page another (pageSize and offset may change).
SEARCH_KEYS = ("query", "languageCode", "reviewPublisherSiteFilter", "maxAgeDays")


def fingerprint(params: dict[str, Any]) -> str:
    canonical = json.dumps([params.get(key) or None for key in SEARCH_KEYS], separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def encode_page_token(search: str, sort_key: float | dt.datetime, pk: int) -> str:
    key: float | str = sort_key.isoformat() if isinstance(sort_key, dt.datetime) else sort_key
    payload = json.dumps({"s": search, "k": key, "id": pk}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(payload).decode("ascii").rstrip("=")


def _refuse_token(message: str = "This pageToken is not one this API gave out.") -> Any:
    raise ValidationError({"pageToken": message})


def decode_page_token(token: str, search: str) -> tuple[float | dt.datetime, int]:
    """(sort key, id) of the last row of the previous page: its rank for a text search, else its review time."""
    try:
        raw = base64.b64decode(token + "=" * (-len(token) % 4), altchars=b"-_", validate=True)
        payload = json.loads(raw)
    except (binascii.Error, ValueError):
        return _refuse_token()
    if not isinstance(payload, dict) or set(payload) != {"s", "k", "id"}:
        return _refuse_token()
    pk, key = payload["id"], payload["k"]
    if type(pk) is not int or not 0 < pk < 2**63:
        return _refuse_token()
    if payload["s"] != search:
        return _refuse_token("This pageToken belongs to a search with other parameters; start again without it.")
    if isinstance(key, str):
        try:
            moment = dt.datetime.fromisoformat(key)
        except ValueError:
            return _refuse_token()
        if moment.tzinfo is None:
            return _refuse_token()
        return moment, pk
    # Ranks are written as floats; an integer would have to be turned into one, and a huge one cannot be.
    if type(key) is not float or not math.isfinite(key):
        return _refuse_token()
    return key, pk


# The search ------------------------------------------------------------------------------------------------------


def matching_reviews(params: dict[str, Any], now: dt.datetime) -> VerdictQuerySet:
    """The current published versions the search finds, one per claim, in its order: best match first for a text
    search (VerdictQuerySet.search_approved, over the claim as approved), else the latest review first; the claim's
    id breaks ties. With their rating, their publisher and the keys of the claim as approved that the answer shows
    (APPROVED_KEYS, in `approved`): a page is one query, after newest_matching()'s for a text search."""
    conditions = [Q(rating__isnull=False)]  # a void (withdrawn) verdict reviews nothing
    if "languageCode" in params:
        # Validated: letters only. "en" finds en, en-US, en-GB, not eng or enm.
        conditions.append(Q(claim_snapshot__language__iregex=rf"^{params['languageCode']}(-|$)"))
    if "reviewPublisherSiteFilter" in params:
        conditions.append(publisher_site_q(params["reviewPublisherSiteFilter"]))
    if "maxAgeDays" in params:
        since = now - dt.timedelta(days=params["maxAgeDays"])
        conditions.append(Q(published_at__gte=since) | Q(approved_claim_date__gte=since.date().isoformat()))
    verdicts = Verdict.objects.approved()
    if params.get("query"):
        verdicts = verdicts.search_approved(params["query"])
        # As readers' search (ClaimQuerySet.search_approved): the most recently published matches are ranked, found
        # in bounded time unless a parameter narrows them (then among the narrowed).
        if len(conditions) > 1:
            newest = (
                verdicts.filter(*conditions)
                .order_by("-published_at", "-id")
                .values("id")[: querysets.SEARCH_CANDIDATES]
            )
        else:
            newest = Verdict.objects.newest_matching(params["query"], querysets.SEARCH_CANDIDATES)
        verdicts = verdicts.filter(pk__in=newest)
    else:
        # Served by verdict_published_idx, newest first.
        verdicts = verdicts.current().order_by("-published_at", "-claim_id")
    return (
        verdicts.filter(*conditions)
        .select_related("rating", "publisher")
        .only(
            "id",
            "claim_id",
            "published_at",
            "summary",
            "review_url",
            "textual_rating",
            "rating__label",
            "publisher__name",
            "publisher__homepage",
        )
        # jsonb_build_object: only these keys of the snapshot leave the database.
        .annotate(approved=JSONObject(**{key: KeyTransform(key, "claim_snapshot") for key in APPROVED_KEYS}))
    )


def publisher_site_q(site: str) -> Q:
    """Verdicts whose publisher is on the site, as claims.publishing.publisher_of tells the publisher: the imported
    review's publisher by its homepage (else the review's address); the desk's own by FACTCHECK_ORG_URL."""
    pattern = host_regex(site)
    imported = Q(publisher__isnull=False) & (
        (~Q(publisher__homepage="") & Q(publisher__homepage__iregex=pattern))
        | (Q(publisher__homepage="") & Q(review_url__iregex=pattern))
    )
    if site_matches(urlsplit(settings.FACTCHECK_ORG_URL).hostname or "", site):
        return imported | Q(publisher__isnull=True)
    return imported


def after(verdicts: VerdictQuerySet, position: tuple[float | dt.datetime, int], *, ranked: bool) -> VerdictQuerySet:
    """The rows after `position` (the sort key and claim id of the previous page's last row), in the search's order."""
    key, claim_id = position
    field = "rank" if ranked else "published_at"
    if ranked != isinstance(key, float):
        _refuse_token("This pageToken belongs to a search with other parameters; start again without it.")
    return verdicts.filter(Q(**{f"{field}__lt": key}) | Q(**{field: key, "claim_id__lt": claim_id}))


def rfc3339(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def claim_json(verdict: Verdict, request: Request) -> dict[str, Any]:
    """One claim, with its current review, in Google's shape; keys whose value is unknown are left out, as Google's
    service does."""
    approved = verdict.approved
    publisher = publisher_of(verdict)
    review = {
        "publisher": {"name": publisher.name, "site": publisher.site.removeprefix("www.")},
        "url": review_url(verdict, request),
        "title": verdict.summary,
        "reviewDate": rfc3339(verdict.published_at),
        "textualRating": verdict.textual_rating or verdict.rating.label,
        "languageCode": approved["language"],
    }
    out = {
        "text": approved["statement"],
        "claimant": (approved["claimant"] or {}).get("name"),
        "claimDate": f"{approved['claim_date']}T00:00:00Z" if approved["claim_date"] else None,
        "claimReview": [{key: value for key, value in review.items() if value}],
    }
    return {key: value for key, value in out.items() if value}


# Shapes, for the OpenAPI schema (names as in Google's discovery document) -----------------------------------------


class GooglePublisherSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The organisation that published the review.")
    site = serializers.CharField(help_text='Its host, without "www.", e.g. politifact.com.')


class GoogleClaimReviewSerializer(serializers.Serializer):
    publisher = GooglePublisherSerializer()
    url = serializers.URLField(help_text="Where the review is published.")
    title = serializers.CharField(required=False, help_text="The review's one-sentence summary, when it has one.")
    reviewDate = serializers.DateTimeField(help_text="When the review was published (RFC 3339).")
    textualRating = serializers.CharField(help_text='The rating in words, e.g. "Mostly false".')
    languageCode = serializers.CharField(help_text="The claim's language (BCP-47).")


class GoogleClaimSerializer(serializers.Serializer):
    text = serializers.CharField(help_text="The claim as approved with its current review.")
    claimant = serializers.CharField(required=False, help_text="Who made the claim, when known.")
    claimDate = serializers.DateTimeField(
        required=False, help_text="The day the claim was made, as midnight UTC (RFC 3339), when known."
    )
    claimReview = GoogleClaimReviewSerializer(many=True, help_text="Its current published review (one).")


class GoogleSearchResponseSerializer(serializers.Serializer):
    claims = GoogleClaimSerializer(many=True)
    nextPageToken = serializers.CharField(
        required=False, help_text="Pass as pageToken for the next page; absent on the last page."
    )


class GoogleFieldViolationSerializer(serializers.Serializer):
    field = serializers.CharField()
    description = serializers.CharField()


class GoogleErrorDetailSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="type.googleapis.com/google.rpc.BadRequest")
    fieldViolations = GoogleFieldViolationSerializer(many=True)

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields["@type"] = fields.pop("type")
        return fields


class GoogleErrorBodySerializer(serializers.Serializer):
    code = serializers.IntegerField(help_text="The HTTP status, repeated.")
    message = serializers.CharField(help_text="What is wrong, naming the parameter.")
    status = serializers.CharField(help_text="The google.rpc.Code name, e.g. INVALID_ARGUMENT.")
    details = GoogleErrorDetailSerializer(many=True, required=False)


class GoogleErrorSerializer(serializers.Serializer):
    """Google's error body (factcheck.errors.google_error)."""

    error = GoogleErrorBodySerializer()


# The view --------------------------------------------------------------------------------------------------------


class GoogleClaimSearchView(APIView):
    # Google's clients send their key as ?key=; ours work too (Authorization: Bearer), and anonymous readers.
    authentication_classes = [QueryKeyAuthentication, BasicAuthentication, SessionAuthentication]
    permission_classes = [AllowAny]

    def get_exception_handler(self) -> Any:
        return google_exception_handler

    @extend_schema(
        operation_id="google_claims_search",
        tags=["google"],
        summary="Search published fact-checks, as Google's Fact Check Tools API (v1alpha1) does",
        description="Google's `factchecktools.claims.search`, answered from our published verdicts: point a "
        "client of Google's API (e.g. google-api-python-client with `client_options={'api_endpoint': ...}`) at "
        "this site. Give `query` or `reviewPublisherSiteFilter`. Errors come in Google's shape, not the API's "
        "envelope. An API key may be sent as `?key=` (as Google's clients do) or as a Bearer header; without one "
        "the anonymous rate limit applies.",
        parameters=[
            SearchParameters,
            # Google's clients send these on every request; they change nothing here.
            OpenApiParameter("alt", OpenApiTypes.STR, enum=["json"], description="Only json."),
            OpenApiParameter("prettyPrint", OpenApiTypes.BOOL, description="Ignored: answers are compact."),
        ],
        responses={
            200: GoogleSearchResponseSerializer,
            400: OpenApiResponse(GoogleErrorSerializer, description="A parameter is invalid; the message names it."),
            401: OpenApiResponse(GoogleErrorSerializer, description="The API key is malformed, unknown or revoked."),
        },
    )
    def get(self, request: Request) -> Response:
        params = SearchParameters(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        if request.query_params.get("alt", "json") != "json":
            raise ValidationError({"alt": "Only json is offered."})
        size = data.get("pageSize", PAGE_SIZE_DEFAULT)
        ranked = bool(data.get("query"))

        verdicts = matching_reviews(data, timezone.now())
        if "position" in data:
            verdicts = after(verdicts, data["position"], ranked=ranked)
            start = 0
        else:
            start = data.get("offset", 0)
        # One row more than the page tells whether there is a next page, without counting.
        page = list(verdicts[start : start + size + 1])
        body: dict[str, Any] = {"claims": [claim_json(verdict, request) for verdict in page[:size]]}
        if len(page) > size:
            last = page[size - 1]
            key = last.rank if ranked else last.published_at
            body["nextPageToken"] = encode_page_token(fingerprint(data), key, last.claim_id)
        return Response(body)
