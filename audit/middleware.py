"""Who and where for every change made while serving a request, as context for the audit triggers."""

from __future__ import annotations

import functools
from typing import Any

import pghistory
from django.http import HttpRequest
from pghistory import config
from pghistory.middleware import HistoryMiddleware

from accounts.models import ApiKey


def actor_context(user: Any) -> dict[str, Any]:
    """The user's id and name for the context; both None for anonymous requests."""
    if user is None or not getattr(user, "is_authenticated", False) or getattr(user, "pk", None) is None:
        return {"user": None, "username": None}
    return {"user": user.pk, "username": user.get_username()}


class _UserIntoContext:
    """Puts a user set on the request after the middleware ran into the context.

    DRF authenticates in the view (Basic, Bearer keys), after every middleware ran, and then sets request.user (and
    request.auth, the API key) on the Django request as well; a login or logout sets the user too. Each of those
    moments updates the context, so the writes that follow carry the user, and the key, that really made them.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        # Called as a function, pghistory.context adds to the context the middleware entered.
        if name == "user":
            pghistory.context(**actor_context(value))
        elif name == "auth" and isinstance(value, ApiKey):
            # Which key made the change: its public name (fck_<prefix>), never the secret.
            pghistory.context(api_key=str(value))
        super().__setattr__(name, value)


@functools.cache
def _with_user_into_context(request_class: type[HttpRequest]) -> type[HttpRequest]:
    return type(request_class.__name__, (_UserIntoContext, request_class), {})


class AuditContextMiddleware(HistoryMiddleware):
    """pghistory's HistoryMiddleware, recording the user's name and the request method too.

    Goes after AuthenticationMiddleware. pghistory's own middleware records only the user's id and the path, and
    swaps the request's class for its own to follow request.user; this one follows it with the name as well.
    """

    def get_context(self, request: HttpRequest) -> dict[str, Any]:
        return {**actor_context(getattr(request, "user", None)), "url": request.path, "method": request.method}

    def __call__(self, request: HttpRequest) -> Any:
        if request.method not in config.middleware_methods():
            return self.get_response(request)
        with pghistory.context(**self.get_context(request)):
            request.__class__ = _with_user_into_context(type(request))
            return self.get_response(request)
