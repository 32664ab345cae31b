"""The review workflow over the API: one POST action per step of claims.workflow.TRANSITIONS, the verdict versions
of a claim, and the desk's internal comments and review log.

Every step requires `If-Match` with the claim's ETag (428 without it, 412 when the claim changed since it was read)
and answers the claim as it now is, with its new ETag. The row stays locked from the ETag check to the write, so of
many clients acting on one ETag exactly one succeeds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from claims.api.serializers import ClaimDetailSerializer, VerdictSerializer
from claims.models import Claim, Comment, CorrectionKind, Rating, RatingScale, ReviewEvent, Verdict
from claims.models import TransitionName as T
from claims.services import (
    claim_assign,
    claim_dismiss,
    claim_draft,
    claim_mark_duplicate,
    claim_reopen,
    claim_triage,
    comment_add,
    verdict_approve,
    verdict_draft,
    verdict_publish,
    verdict_reject,
    verdict_submit,
    verdict_update,
)
from claims.workflow import TRANSITIONS
from factcheck.api_fields import IdRelatedField
from factcheck.api_schema import ErrorEnvelope
from factcheck.preconditions import lock_matching
from factcheck.roles import EDITOR, is_desk_member

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView

MAX_TEXT = 10_000

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="The claim's ETag as you last read it (from the ETag header of its detail or of the last step).",
)
AS_OF = OpenApiParameter(
    "as_of",
    OpenApiTypes.DATETIME,
    OpenApiParameter.QUERY,
    description="ISO 8601 date-time: answer with what was published at that time. Readers get 404 for a claim "
    "that was not published yet.",
)
AS_OF_RESPONSES = {400: OpenApiResponse(ErrorEnvelope, description="`as_of` is not an ISO 8601 date-time.")}
PRECONDITION_RESPONSES = {
    412: OpenApiResponse(ErrorEnvelope, description="The claim changed since you read it: fetch it and retry."),
    428: OpenApiResponse(ErrorEnvelope, description="If-Match is missing."),
}


def parse_as_of(request: Request) -> dt.datetime | None:
    """The `as_of` query parameter, or None; a 400 naming it when it is not an ISO 8601 date-time."""
    raw = request.query_params.get("as_of")
    if raw is None:
        return None
    try:
        return serializers.DateTimeField().to_internal_value(raw)
    except serializers.ValidationError as error:
        raise serializers.ValidationError({"as_of": error.detail}) from error


class DeskOnlyOrNotFound(BasePermission):
    """For a claim's internal parts (comments, review log): to anyone off the desk they do not exist."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not is_desk_member(request.user):
            raise exceptions.NotFound()
        return True


@contextmanager
def refusals_as_api_errors() -> Iterator[None]:
    # The services raise Django's PermissionDenied with a message saying why; the API's handler would replace that
    # message with DRF's generic one.
    try:
        yield
    except DjangoPermissionDenied as error:
        raise exceptions.PermissionDenied(str(error) or None) from error


# Request bodies ----------------------------------------------------------------------------------------------------


class StepSerializer(serializers.Serializer):
    comment = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=MAX_TEXT,
        help_text="Why, for the review log (desk only).",
    )


class RejectSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=MAX_TEXT, help_text="What the draft needs (required).")


class MarkDuplicateSerializer(StepSerializer):
    of = IdRelatedField(queryset=Claim.objects.all(), help_text="Id of the claim this one duplicates.")


class AssignSerializer(StepSerializer):
    assignee = serializers.SlugRelatedField(
        slug_field="username",
        queryset=get_user_model().objects.filter(is_active=True),
        help_text="Username of the desk member who researches the claim.",
    )


class RatedSerializer(StepSerializer):
    """A rating is named by its slug on a scale (by default the default scale)."""

    rating = serializers.SlugField(
        max_length=50, allow_null=True, required=False, help_text="Rating slug, e.g. false; null for a void version."
    )
    scale = serializers.SlugField(max_length=50, required=False, help_text="Slug of the rating scale; the default.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = dict(attrs)
        scale_slug = attrs.pop("scale", None)
        if "rating" not in attrs or attrs["rating"] is None:
            return attrs
        scales = RatingScale.objects.all()
        scale = scales.filter(slug=scale_slug).first() if scale_slug else scales.filter(is_default=True).first()
        if scale is None:
            raise serializers.ValidationError({"scale": [f"No rating scale {scale_slug!r}."]})
        rating = Rating.objects.filter(scale=scale, slug=attrs["rating"]).first()
        if rating is None:
            raise serializers.ValidationError({"rating": [f"No rating {attrs['rating']!r} on the scale {scale.slug}."]})
        attrs["rating"] = rating
        return attrs


class DraftSerializer(RatedSerializer):
    """The draft's fields; on a claim that has a draft, only the fields sent change."""

    summary = serializers.CharField(max_length=300, allow_blank=True, required=False)
    explanation = serializers.CharField(max_length=MAX_TEXT, allow_blank=True, required=False)
    correction_kind = serializers.ChoiceField(
        choices=CorrectionKind.choices, required=False, help_text="Only on versions after the first."
    )
    correction_note = serializers.CharField(max_length=MAX_TEXT, allow_blank=True, required=False)


class ReopenSerializer(RatedSerializer):
    """A correction: its kind and public note; rating, summary and explanation default to the current version's."""

    correction_kind = serializers.ChoiceField(choices=CorrectionKind.choices)
    correction_note = serializers.CharField(max_length=MAX_TEXT, help_text="Public: what changed and why.")
    summary = serializers.CharField(max_length=300, allow_blank=True, required=False)
    explanation = serializers.CharField(max_length=MAX_TEXT, allow_blank=True, required=False)


# Response bodies ---------------------------------------------------------------------------------------------------


class CommentSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True)

    class Meta:
        model = Comment
        fields = ("id", "author", "body", "created_at")
        read_only_fields = fields


class CommentWriteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Comment
        fields = ("body",)
        extra_kwargs = {"body": {"max_length": MAX_TEXT}}


class ReviewEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", read_only=True)
    verdict_version = serializers.IntegerField(source="verdict.version", allow_null=True, read_only=True)
    # Plain strings rather than a second and third copy of the claim status enum in the schema.
    from_status = serializers.CharField(read_only=True, help_text="The claim's status before: one of `status`.")
    to_status = serializers.CharField(read_only=True, help_text="The claim's status after: one of `status`.")

    class Meta:
        model = ReviewEvent
        fields = ("id", "transition", "from_status", "to_status", "actor", "verdict_version", "comment", "created_at")
        read_only_fields = fields


# The actions -------------------------------------------------------------------------------------------------------


def _step_action(name: T, request: type[serializers.Serializer]) -> Callable[[Callable[..., Any]], Any]:
    """@action and its OpenAPI documentation for a step, both read from the transition table."""
    step = TRANSITIONS[name]
    sources = ", ".join(sorted(step.sources))
    moves = f"moves it to `{step.target}`" if step.target else "leaves its status as it is"
    who = "Editors only." if step.role == EDITOR else "Fact-checkers and editors."

    def decorate(method: Callable[..., Any]) -> Any:
        method = action(
            detail=True,
            methods=["post"],
            url_path=step.verb,
            url_name=step.verb,
            filter_backends=[],
            pagination_class=None,
        )(method)
        return extend_schema(
            operation_id=f"claims_{step.name}",
            summary=step.label,
            description=f"{step.description}\n\nFor a claim that is {sources}; {moves}. {who} "
            "Requires If-Match with the claim's ETag; answers the claim with its new ETag. "
            "409 when the claim's state does not allow the step, saying why.",
            request=request,
            responses={200: ClaimDetailSerializer, **PRECONDITION_RESPONSES},
            parameters=[IF_MATCH],
        )(method)

    return decorate


class ClaimWorkflowActions:
    """Mixed into ClaimViewSet: the workflow steps, the verdict versions, comments and the review log of a claim."""

    def _step(
        self, request: Request, pk: str, name: T, body: type[serializers.Serializer], perform: Callable[..., Any]
    ) -> Response:
        step = TRANSITIONS[name]
        # Role before anything else: it does not depend on the claim, and the desk may know every claim exists.
        if not step.role_allows(request.user):
            raise exceptions.PermissionDenied(step.role_refusal())
        with transaction.atomic(), refusals_as_api_errors():
            claim = lock_matching(request, self.get_queryset(), pk=pk)
            serializer = body(data=request.data, context=self.get_serializer_context())
            serializer.is_valid(raise_exception=True)
            perform(claim, dict(serializer.validated_data))
        return self._detail(claim, status.HTTP_200_OK)

    @_step_action(T.TRIAGE, StepSerializer)
    def triage(self, request: Request, pk: str) -> Response:
        return self._step(
            request,
            pk,
            T.TRIAGE,
            StepSerializer,
            lambda claim, data: claim_triage(claim=claim, actor=request.user, **data),
        )

    @_step_action(T.DISMISS, StepSerializer)
    def dismiss(self, request: Request, pk: str) -> Response:
        return self._step(
            request,
            pk,
            T.DISMISS,
            StepSerializer,
            lambda claim, data: claim_dismiss(claim=claim, actor=request.user, **data),
        )

    @_step_action(T.MARK_DUPLICATE, MarkDuplicateSerializer)
    def mark_duplicate(self, request: Request, pk: str) -> Response:
        return self._step(
            request,
            pk,
            T.MARK_DUPLICATE,
            MarkDuplicateSerializer,
            lambda claim, data: claim_mark_duplicate(claim=claim, actor=request.user, **data),
        )

    @_step_action(T.ASSIGN, AssignSerializer)
    def assign(self, request: Request, pk: str) -> Response:
        return self._step(
            request,
            pk,
            T.ASSIGN,
            AssignSerializer,
            lambda claim, data: claim_assign(claim=claim, actor=request.user, **data),
        )

    @_step_action(T.DRAFT, DraftSerializer)
    def draft(self, request: Request, pk: str) -> Response:
        def perform(claim: Claim, data: dict[str, Any]) -> Verdict:
            existing = Verdict.objects.drafts().filter(claim=claim).first()
            if existing is None:
                return verdict_draft(claim=claim, author=request.user, **data)
            return verdict_update(verdict=existing, actor=request.user, **data)

        return self._step(request, pk, T.DRAFT, DraftSerializer, perform)

    @_step_action(T.SUBMIT, StepSerializer)
    def submit(self, request: Request, pk: str) -> Response:
        return self._step(
            request,
            pk,
            T.SUBMIT,
            StepSerializer,
            lambda claim, data: verdict_submit(
                verdict=claim_draft(claim=claim, transition=T.SUBMIT), actor=request.user, **data
            ),
        )

    @_step_action(T.APPROVE, StepSerializer)
    def approve(self, request: Request, pk: str) -> Response:
        return self._step(
            request,
            pk,
            T.APPROVE,
            StepSerializer,
            lambda claim, data: verdict_approve(
                verdict=claim_draft(claim=claim, transition=T.APPROVE), approver=request.user, **data
            ),
        )

    @_step_action(T.REJECT, RejectSerializer)
    def reject(self, request: Request, pk: str) -> Response:
        return self._step(
            request,
            pk,
            T.REJECT,
            RejectSerializer,
            lambda claim, data: verdict_reject(
                verdict=claim_draft(claim=claim, transition=T.REJECT), actor=request.user, **data
            ),
        )

    @_step_action(T.PUBLISH, StepSerializer)
    def publish(self, request: Request, pk: str) -> Response:
        return self._step(
            request,
            pk,
            T.PUBLISH,
            StepSerializer,
            lambda claim, data: verdict_publish(
                verdict=claim_draft(claim=claim, transition=T.PUBLISH), actor=request.user, **data
            ),
        )

    @_step_action(T.REOPEN, ReopenSerializer)
    def reopen(self, request: Request, pk: str) -> Response:
        return self._step(
            request,
            pk,
            T.REOPEN,
            ReopenSerializer,
            lambda claim, data: claim_reopen(claim=claim, actor=request.user, **data),
        )

    # Reading -------------------------------------------------------------------------------------------------------

    @extend_schema(
        summary="Verdict versions",
        description="Every version of the claim's verdict, newest first (readers: published versions only). "
        "With `as_of`, the version that was current at that time (none or one). Not paged: a claim has few.",
        parameters=[AS_OF],
        responses={200: VerdictSerializer(many=True), **AS_OF_RESPONSES},
    )
    @action(detail=True, methods=["get"], url_path="verdicts", filter_backends=[], pagination_class=None)
    def verdicts(self, request: Request, pk: str) -> Response:
        as_of = parse_as_of(request)
        claim = get_object_or_404(Claim.objects.visible_to(request.user, as_of=as_of), pk=pk)
        verdicts = Verdict.objects.visible_to(request.user).filter(claim=claim).for_api().order_by("-version")
        if as_of is not None:
            verdicts = verdicts.as_of(as_of)
        return Response(VerdictSerializer(verdicts, many=True, context=self.get_serializer_context()).data)

    @extend_schema(
        methods=["GET"],
        summary="Internal comments",
        description="The desk's comments on the claim, oldest first. Desk only: 404 for anyone else. Not paged.",
        responses=CommentSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary="Add an internal comment",
        description="Desk only: 404 for anyone else. Comments are not part of the claim, so its ETag stays.",
        request=CommentWriteSerializer,
        responses={201: CommentSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        permission_classes=[DeskOnlyOrNotFound],
        filter_backends=[],
        pagination_class=None,
    )
    def comments(self, request: Request, pk: str) -> Response:
        claim = get_object_or_404(Claim.objects.all(), pk=pk)
        if request.method == "POST":
            body = CommentWriteSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            with refusals_as_api_errors():
                comment = comment_add(claim=claim, author=request.user, body=body.validated_data["body"])
            return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)
        comments = Comment.objects.filter(claim=claim).select_related("author").order_by("created_at", "id")
        return Response(CommentSerializer(comments, many=True).data)

    @extend_schema(
        summary="Review log",
        description="Every workflow step taken on the claim, newest first. Desk only: 404 for anyone else. Not paged.",
        responses=ReviewEventSerializer(many=True),
    )
    @action(
        detail=True,
        methods=["get"],
        permission_classes=[DeskOnlyOrNotFound],
        filter_backends=[],
        pagination_class=None,
    )
    def events(self, request: Request, pk: str) -> Response:
        claim = get_object_or_404(Claim.objects.all(), pk=pk)
        events = (
            ReviewEvent.objects.filter(claim=claim).select_related("actor", "verdict").order_by("-created_at", "-id")
        )
        return Response(ReviewEventSerializer(events, many=True).data)
