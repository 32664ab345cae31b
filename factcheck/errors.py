"""One error envelope for every API error.

    {"status": 400, "code": "invalid", "detail": "statement: This field is required.",
     "errors": [{"field": "statement", "code": "required", "message": "This field is required."}]}

`field` is a dotted path into the request body or the query parameter's name; it is null for errors that concern
the request as a whole. Database constraint violations that slip past validation (a race between two writers)
become 409 with the constraint's own message, never a 500.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from factcheck.constraints import constraint_message
from factcheck.exceptions import Conflict

# The Google Fact Check Tools-compatible API's paths (claims.api.google), which answer errors in Google's shape.
GOOGLE_PREFIX = "/v1alpha1/"


def _flatten(detail: Any, path: str | None = None) -> list[dict[str, Any]]:
    if isinstance(detail, dict):
        out: list[dict[str, Any]] = []
        for key, value in detail.items():
            # Keys are field names, or list indexes (DRF keys a list's item errors by index, 0 included).
            field = None if key in ("non_field_errors", "__all__") else str(key)
            out.extend(_flatten(value, path if field is None else f"{path}.{field}" if path else field))
        return out
    if isinstance(detail, list):
        if all(isinstance(item, (dict, list)) for item in detail) and detail:
            out = []
            for index, item in enumerate(detail):
                out.extend(_flatten(item, f"{path}.{index}" if path else str(index)))
            return out
        return [entry for item in detail for entry in _flatten(item, path)]
    code = getattr(detail, "code", None) or "invalid"
    return [{"field": path, "code": str(code), "message": str(detail)}]


def envelope(status_code: int, code: str, errors: list[dict[str, Any]], detail: str | None = None) -> dict[str, Any]:
    if detail is None:
        detail = "; ".join(f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in errors)
    return {"status": status_code, "code": code, "detail": detail, "errors": errors}


# google.rpc.Code names of the HTTP statuses, as Google's APIs put them in `error.status`.
GOOGLE_STATUS = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    405: "UNIMPLEMENTED",
    406: "INVALID_ARGUMENT",
    409: "ABORTED",
    412: "FAILED_PRECONDITION",
    415: "INVALID_ARGUMENT",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    501: "UNIMPLEMENTED",
    503: "UNAVAILABLE",
}


def google_error(status_code: int, errors: list[dict[str, Any]], detail: str | None = None) -> dict[str, Any]:
    """The error body of Google's APIs, for the Google-compatible search (claims.api.google), whose clients parse
    it (googleapiclient's HttpError reads `error.message`):

        {"error": {"code": 400, "message": "pageSize: ...", "status": "INVALID_ARGUMENT",
                   "details": [{"@type": "type.googleapis.com/google.rpc.BadRequest",
                                "fieldViolations": [{"field": "pageSize", "description": "..."}]}]}}

    `errors` are our envelope's; the parameters at fault are named in the message and, as Google does, as
    field violations.
    """
    body: dict[str, Any] = {
        "code": status_code,
        "message": envelope(status_code, "", errors, detail)["detail"],
        "status": GOOGLE_STATUS.get(status_code, "FAILED_PRECONDITION" if status_code < 500 else "INTERNAL"),
    }
    violations = [{"field": e["field"], "description": e["message"]} for e in errors if e["field"]]
    if violations:
        body["details"] = [{"@type": "type.googleapis.com/google.rpc.BadRequest", "fieldViolations": violations}]
    return {"error": body}


def google_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """exception_handler(), answered in Google's error shape (google_error)."""
    response = exception_handler(exc, context)
    if response is not None:
        response.data = google_error(response.status_code, response.data["errors"], response.data["detail"])
    return response


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Conflict):
        set_rollback()
        return Response(
            envelope(409, "conflict", [{"field": None, "code": "conflict", "message": exc.message}]),
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, IntegrityError):
        message = constraint_message(exc) or "The change conflicts with data already stored."
        set_rollback()
        return Response(
            envelope(409, "conflict", [{"field": None, "code": "conflict", "message": message}]),
            status=status.HTTP_409_CONFLICT,
        )
    elif isinstance(exc, DataError):
        set_rollback()
        return Response(
            envelope(400, "invalid", [{"field": None, "code": "invalid", "message": "A value is out of range."}]),
            status=status.HTTP_400_BAD_REQUEST,
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    assert isinstance(exc, exceptions.APIException)
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        code = "invalid"
    else:
        code = exc.get_codes() if isinstance(exc.get_codes(), str) else exc.default_code
        errors = [{"field": None, "code": str(code), "message": str(exc.detail)}]
    response.data = envelope(response.status_code, str(code), errors)
    return response


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django-level 404 (a URL no view matches): the envelope on API paths, the usual page elsewhere."""
    if request.path.startswith(GOOGLE_PREFIX):
        message = "Not found: the Google-compatible API answers GET /v1alpha1/claims:search only."
        return JsonResponse(google_error(404, [{"field": None, "code": "not_found", "message": message}]), status=404)
    if request.path.startswith("/api/"):
        return JsonResponse(
            envelope(404, "not_found", [{"field": None, "code": "not_found", "message": "Not found."}]), status=404
        )
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith(GOOGLE_PREFIX):
        error = {"field": None, "code": "server_error", "message": "Internal server error."}
        return JsonResponse(google_error(500, [error]), status=500)
    if request.path.startswith("/api/"):
        body = envelope(
            500, "server_error", [{"field": None, "code": "server_error", "message": "Internal server error."}]
        )
        return JsonResponse(body, status=500)
    return defaults.server_error(request)
