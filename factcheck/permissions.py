"""Who may do what: the desk (fact-checkers and editors) versus everyone else."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rest_framework.permissions import SAFE_METHODS, BasePermission

from factcheck.roles import is_desk_member

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView


class ReadOnlyOrStaff(BasePermission):
    """Anyone may read (querysets narrow what they see); only the desk writes."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return request.method in SAFE_METHODS or is_desk_member(request.user)
