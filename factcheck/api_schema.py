"""OpenAPI: the error envelope (factcheck.errors) as one component, attached to every operation that can fail."""

from __future__ import annotations

from typing import Any

from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


class ErrorItem(serializers.Serializer):
    field = serializers.CharField(
        allow_null=True,
        help_text="Dotted path into the request body (attributions.0.hops.1.source) or the query parameter's name; "
        "null when the error concerns the request as a whole.",
    )
    code = serializers.CharField(help_text="Machine-readable reason, e.g. required, invalid, does_not_exist.")
    message = serializers.CharField()


class ErrorEnvelope(serializers.Serializer):
    """The body of every error response."""

    status = serializers.IntegerField(help_text="The HTTP status, repeated.")
    code = serializers.CharField(help_text="invalid, not_found, not_authenticated, permission_denied, conflict, ...")
    detail = serializers.CharField(help_text="All the errors in one human-readable line.")
    errors = ErrorItem(many=True)


class AutoSchema(openapi.AutoSchema):
    """Documents the error responses each operation can give, all with the ErrorEnvelope body."""

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        for status_code, description in self._error_responses().items():
            if status_code not in responses:
                responses[status_code] = self._get_response_for_code(
                    OpenApiResponse(ErrorEnvelope, description=description), status_code, direction=direction
                )
        return responses

    def _error_responses(self) -> dict[str, str]:
        errors: dict[str, str] = {}
        is_detail = "{" in self.path
        if self.method in WRITE_METHODS:
            errors["400"] = "The request is invalid; each error names the field."
            errors["401"] = "No valid credentials were given."
            errors["403"] = "Only desk members may write."
        elif not is_detail:
            errors["400"] = "A query parameter (filter, ordering, page_size or cursor) is invalid."
        if is_detail:
            errors["404"] = "No such object, or it is not published."
        if self.method in WRITE_METHODS:
            errors["409"] = "The change conflicts with the data already stored."
        return errors
