"""Domain exceptions raised by services, mapped to HTTP statuses by factcheck.errors."""

from __future__ import annotations


class Conflict(Exception):
    """The action does not fit the object's current state (a stale or illegal transition): HTTP 409."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
