"""Pagination that never counts the table: cursors over a unique ordering."""

from __future__ import annotations

from rest_framework import pagination


class CursorPagination(pagination.CursorPagination):
    """Keyset pages: constant cost at any depth and stable while rows are added (no COUNT(*), no OFFSET)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = ("-created_at", "-id")
