"""API views for claims, verdicts, questions and rating scales.

Views only declare what to read (querysets narrowed to what the user may see), how to filter and order it, and
which service writes. PUT is not offered: clients change objects with PATCH. Claim and verdict details carry an
ETag; a PATCH of a claim, like every workflow step (claims.api.workflow), needs it back in If-Match.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from claims import csvexport
from claims.api import readers
from claims.api.claimreview import ClaimReviewActions
from claims.api.crossref import QuestionDetailSerializer
from claims.api.filters import ClaimFilterSet, QuestionFilterSet, RatingScaleFilterSet, VerdictFilterSet
from claims.api.related import RelatedClaimsActions
from claims.api.serializers import (
    FOR_READERS,
    ClaimDetailSerializer,
    ClaimListSerializer,
    ClaimWriteSerializer,
    QuestionSerializer,
    QuestionWriteSerializer,
    RatingScaleSerializer,
    VerdictSerializer,
)
from claims.api.workflow import (
    AS_OF,
    AS_OF_RESPONSES,
    IF_MATCH,
    PRECONDITION_RESPONSES,
    ClaimWorkflowActions,
    parse_as_of,
)
from claims.crossref.question import question_view
from claims.models import Claim, Question, RatingScale, Verdict
from claims.services import claim_create, claim_parts_set, claim_update, question_create, question_update
from factcheck.preconditions import check_if_none_match, etag_for, etag_of, lock_matching
from factcheck.roles import is_desk_member

# ?format= on the claims list only (URL_FORMAT_OVERRIDE stays off: elsewhere an unknown format must not be a 404).
LIST_FORMATS = ("json", "csv")
CSV = "text/csv; charset=utf-8"


def _conditional(request: Request, obj: Claim | Verdict, data: Any) -> Response:
    """A detail response with the object's ETag, or 304 when the client's If-None-Match already names it."""
    etag = etag_for(obj)
    if check_if_none_match(request, etag):
        return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
    return Response(data, headers={"ETag": etag})


class ClaimViewSet(
    ClaimWorkflowActions,
    ClaimReviewActions,
    RelatedClaimsActions,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Claims. Readers see published claims only (any other id answers 404), each as the second person approved it
    with the version shown: the desk's later edits reach them with the next published version. The desk sees every
    claim, live, and writes.

    Pages are keyset cursors: follow `next` and `previous`. The default order is newest first; `ordering` may name
    created_at, updated_at, claim_date or id, with - for descending (claims without a date come last either way).
    With `q`, results come best match first, then newest, and the cursor pages over (rank, id) like over any other
    order: every match appears exactly once from the first page to the last, as long as the matching claims are
    not edited meanwhile (true of any order over a column that can change). Readers' searches rank the most
    recently published matches (500, after the other filters); a version published while a client pages may move
    an older match out of them.

    The desk finds its own work with `assignee=me` and, for editors, `awaiting_review=true`.
    """

    # Paging by rank is exact because ClaimQuerySet.search() gives the rank as a float8: the value read from the
    # page's last row compares equal to itself in SQL, which a float4 rank would not.
    filterset_class = ClaimFilterSet
    ordering_fields = ("created_at", "updated_at", "claim_date", "id")
    ordering = ("-created_at", "-id")

    def get_queryset(self) -> QuerySet[Claim]:
        if self.action == "retrieve":
            as_of = self._as_of()
            return Claim.objects.visible_to(self.request.user, as_of=as_of).for_api_detail(self.request.user, as_of)
        if self.action == "list" and not is_desk_member(self.request.user):
            # Joined to the version shown, which readers' filters and search read (the CSV export's list).
            return Claim.objects.shown_rows().for_api_list(self.request.user)
        claims = Claim.objects.visible_to(self.request.user)
        if self.action == "list":
            return claims.for_api_list(self.request.user)
        return claims

    @extend_schema(
        description="Claims, a page at a time (JSON), or with `format=csv` all of them that match the filters, as "
        "one streamed CSV file: id, url, statement, claimant, claim_date, language, tags, status, rating, "
        "rating_label, bucket, published_at, summary, publisher, review_url (claims.csvexport). Readers get the "
        "published claims as approved, the desk live rows, in both formats.",
        parameters=[
            OpenApiParameter(
                "format",
                str,
                enum=list(LIST_FORMATS),
                default="json",
                description="json (paginated) or csv (every matching claim, streamed, no pagination).",
            )
        ],
        responses={
            (200, "application/json"): ClaimListSerializer(many=True),
            (200, "text/csv"): OpenApiTypes.STR,
        },
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        wanted = request.query_params.get("format", "json")
        if wanted not in LIST_FORMATS:
            raise ValidationError({"format": [f"Unknown format {wanted!r}: use one of {', '.join(LIST_FORMATS)}."]})
        if wanted == "json":
            if not is_desk_member(request.user):
                return self._readers_page()
            return super().list(request, *args, **kwargs)
        # The whole filtered result (no pagination), in the list's order, as the list's serializer shows it.
        claims = self.filter_queryset(self.get_queryset())
        response = StreamingHttpResponse(csvexport.stream(claims, self.get_serializer_context()), content_type=CSV)
        response["Content-Disposition"] = 'attachment; filename="claims.csv"'
        return response

    def _readers_page(self) -> Response:
        # Readers' pages are read as rows and built by claims.api.readers, in the shape ClaimListSerializer declares.
        if readers.is_default_list(self.request.query_params):
            # No ?ordering=: the view's `ordering`, which is the SQL's (tests/claims/test_readers_fast.py).
            rows = self.paginator.paginate_rows(readers.default_list_rows, Claim.objects.all(), self.request, self)
        else:
            # Filtered or searched: the page's keys first, then its rows by id (readers.page_rows).
            claims = self.filter_queryset(Claim.objects.shown_rows())
            rows = readers.page_rows(self.paginate_queryset(readers.key_rows(claims)))
        return self.get_paginated_response(readers.list_items(rows, self.request))

    def get_serializer_context(self) -> dict[str, Any]:
        # Readers are served each claim as it was approved with the version they see, never its live rows.
        return {**super().get_serializer_context(), FOR_READERS: not is_desk_member(self.request.user)}

    def _as_of(self) -> Any:
        if not hasattr(self, "_as_of_value"):
            self._as_of_value = parse_as_of(self.request)
        return self._as_of_value

    def get_serializer_class(self) -> type[BaseSerializer]:
        if self.action == "list":
            return ClaimListSerializer
        if self.action in ("create", "partial_update"):
            return ClaimWriteSerializer
        return ClaimDetailSerializer

    @extend_schema(
        description="A claim with its current verdict, chains, values, evidence and verdict versions, and its ETag "
        "(to send back in If-Match when changing it; If-None-Match with it answers 304). Readers get the claim as it "
        "was approved with the current version; the desk its live rows and workflow status. With `as_of`, "
        "`current_verdict` and `verdicts` are what was published at that time, and readers get the claim as approved "
        "with that version (and no ETag is sent).",
        parameters=[AS_OF],
        responses={200: ClaimDetailSerializer, **AS_OF_RESPONSES},
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not is_desk_member(request.user):
            return self._readers_detail(kwargs[self.lookup_url_kwarg or self.lookup_field])
        claim = self.get_object()
        data = ClaimDetailSerializer(claim, context=self.get_serializer_context()).data
        if self._as_of() is not None:
            # A view of the past is not the claim's current representation, which is what the ETag names.
            return Response(data)
        return _conditional(request, claim, data)

    def _readers_detail(self, lookup: str) -> Response:
        # Read as rows in one query and built by claims.api.readers, in the shape ClaimDetailSerializer declares.
        as_of = self._as_of()  # a bad as_of is a 400 whatever the id
        try:
            pk = int(lookup)
        except ValueError:
            raise Http404 from None
        rows = readers.detail_rows(pk, as_of)
        data = readers.detail(pk, rows, self.request)
        if data is None:
            raise Http404
        if as_of is not None:
            return Response(data)
        etag = etag_of(Claim._meta.label_lower, pk, rows[0]["claim__updated_at"])
        if check_if_none_match(self.request, etag):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
        return Response(data, headers={"ETag": etag})

    @extend_schema(request=ClaimWriteSerializer, responses={201: ClaimDetailSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields, parts = serializer.split()
        with transaction.atomic():
            claim = claim_create(actor=request.user, **fields)
            claim_parts_set(claim=claim, actor=request.user, **parts)
        return self._detail(claim, status.HTTP_201_CREATED)

    @extend_schema(
        description="Change the fields sent (and replace chains or values, add evidence). Requires If-Match with the "
        "claim's ETag: 428 without it, 412 when the claim changed since it was read.",
        request=ClaimWriteSerializer,
        responses={200: ClaimDetailSerializer, **PRECONDITION_RESPONSES},
        parameters=[IF_MATCH],
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        with transaction.atomic():
            # Locked from the ETag check to the write: of two clients sending one ETag, the second gets 412.
            claim = lock_matching(request, self.get_queryset(), pk=kwargs[self.lookup_url_kwarg or self.lookup_field])
            self.check_object_permissions(request, claim)
            serializer = self.get_serializer(claim, data=request.data)
            serializer.is_valid(raise_exception=True)
            fields, parts = serializer.split()
            claim_update(claim=claim, actor=request.user, **fields)
            claim_parts_set(claim=claim, actor=request.user, **parts)
        return self._detail(claim, status.HTTP_200_OK)

    def _detail(self, claim: Claim, status_code: int) -> Response:
        claim = Claim.objects.for_api_detail(self.request.user).get(pk=claim.pk)
        data = ClaimDetailSerializer(claim, context=self.get_serializer_context()).data
        headers = {"ETag": etag_for(claim)}
        if status_code == status.HTTP_201_CREATED:
            headers["Location"] = data["url"]
        return Response(data, status=status_code, headers=headers)


class VerdictViewSet(viewsets.ReadOnlyModelViewSet):
    """Verdict versions. Readers see every published version (superseded ones too); the desk also sees drafts."""

    serializer_class = VerdictSerializer
    filterset_class = VerdictFilterSet
    ordering_fields = ("published_at", "updated_at", "id")
    ordering = ("-published_at", "-id")

    def get_queryset(self) -> QuerySet[Verdict]:
        return Verdict.objects.visible_to(self.request.user).for_api()

    @extend_schema(description="One version, with its ETag (If-None-Match with it answers 304).")
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        verdict = self.get_object()
        return _conditional(request, verdict, self.get_serializer(verdict).data)


class QuestionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """What quantity and date claims answer."""

    filterset_class = QuestionFilterSet
    ordering_fields = ("text", "created_at", "updated_at", "id")
    ordering = ("text", "id")

    def get_queryset(self) -> QuerySet[Question]:
        return Question.objects.for_api()

    def get_serializer_class(self) -> type[BaseSerializer]:
        if self.action in ("create", "partial_update"):
            return QuestionWriteSerializer
        return QuestionSerializer

    @extend_schema(
        description="A question with every answer to it: each claim with who it comes from (its chains and their "
        "original speakers), its value as an interval and its current verdict; the relations among the answers "
        "(contradicts, supports, supersedes...); and the answers' independent origins, with circular reporting "
        "flagged. Readers get the published claims as approved and the relations an editor confirmed; the desk "
        "every claim, live, and every relation, suggestions included.",
        responses={200: QuestionDetailSerializer},
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        question = self.get_object()
        brief = QuestionSerializer(question, context=self.get_serializer_context()).data
        return Response({**brief, **question_view(question, user=request.user, request=request)})

    @extend_schema(request=QuestionWriteSerializer, responses={201: QuestionSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        question = question_create(actor=request.user, **serializer.validated_data)
        return self._read(question, status.HTTP_201_CREATED)

    @extend_schema(request=QuestionWriteSerializer, responses={200: QuestionSerializer})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        question = self.get_object()
        serializer = self.get_serializer(question, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        question = question_update(question=question, actor=request.user, **serializer.validated_data)
        return self._read(question, status.HTTP_200_OK)

    def _read(self, question: Question, status_code: int) -> Response:
        data = QuestionSerializer(question, context=self.get_serializer_context()).data
        headers = {"Location": data["url"]} if status_code == status.HTTP_201_CREATED else None
        return Response(data, status=status_code, headers=headers)


class RatingScaleViewSet(viewsets.ReadOnlyModelViewSet):
    """Rating scales and their ratings, truest first. Read-only: scales change through migrations and the admin."""

    serializer_class = RatingScaleSerializer
    filterset_class = RatingScaleFilterSet
    ordering_fields = ("name", "id")
    ordering = ("name", "id")

    def get_queryset(self) -> QuerySet[RatingScale]:
        return RatingScale.objects.for_api()
