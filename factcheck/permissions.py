"""Who may do what: the desk (fact-checkers and editors) versus everyone else."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rest_framework.permissions import SAFE_METHODS, BasePermission

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
    from rest_framework.request import Request
    from rest_framework.views import APIView


def is_desk_member(user: AbstractBaseUser | AnonymousUser | None) -> bool:
    """Staff accounts are the desk: they see unpublished work and may write."""
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)


class ReadOnlyOrStaff(BasePermission):
    """Anyone may read (querysets narrow what they see); only the desk writes."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return request.method in SAFE_METHODS or is_desk_member(request.user)
