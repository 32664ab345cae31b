"""Request guards that apply to every view, the admin's included."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse

from factcheck.errors import GOOGLE_PREFIX, envelope, google_error


class RejectNulBytesMiddleware:
    """Answer 400 to a query string with a NUL byte, which PostgreSQL cannot take in any text value.

    Forms and serializers already refuse NUL in what they validate; this covers the parameters views pass to the
    database unvalidated (admin list filters, autocomplete terms).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return self._refuse(request, key.replace("\x00", ""))
        return self.get_response(request)

    def _refuse(self, request: HttpRequest, parameter: str) -> HttpResponse:
        message = "Query parameters cannot contain NUL bytes."
        errors = [{"field": parameter, "code": "null_characters", "message": message}]
        if request.path.startswith(GOOGLE_PREFIX):
            return JsonResponse(google_error(400, errors), status=400)
        if request.path.startswith("/api/"):
            return JsonResponse(envelope(400, "invalid", errors), status=400)
        return HttpResponseBadRequest(message)
