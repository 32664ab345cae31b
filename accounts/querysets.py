"""The read vocabulary of accounts, and the rate counter's atomic increment."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import connections, models, router
from django.db.models import Q

if TYPE_CHECKING:
    from accounts.models import ApiKey

# PostgreSQL's integer; a counter stops there instead of overflowing into an error.
_MAX_HITS = 2_147_483_647


class ApiKeyQuerySet(models.QuerySet):
    def usable(self, now: dt.datetime) -> ApiKeyQuerySet:
        """Keys that authenticate now (their owner's state aside): not revoked, not expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)

    def for_authentication(self, prefix: str) -> ApiKey | None:
        """The key with this prefix, with what the authenticator reads about its owner, in one query."""
        return self.select_related("user", "client").filter(prefix=prefix).first()

    def with_owner(self) -> ApiKeyQuerySet:
        return self.select_related("user", "client")

    def of_owner(self, *, user: object | None = None, client: object | None = None) -> ApiKeyQuerySet:
        condition = Q()
        if user is not None:
            condition &= Q(user=user)
        if client is not None:
            condition &= Q(client=client)
        return self.filter(condition)


@dataclass(frozen=True)
class Hit:
    hits: int
    window_end: dt.datetime


class RateCounterQuerySet(models.QuerySet):
    def hit(self, key: str, window_start: dt.datetime, window_end: dt.datetime) -> Hit:
        """Count one request for `key` in the window [window_start, window_end) and return the window's count.

        One statement, atomic in PostgreSQL however many processes or machines count at once (no read-modify-write
        as with a cache's get and set). A request stamped with an older window than the stored one (a server whose
        clock lags) counts in the stored, newer window; a counter never moves back.
        """
        table = self.model._meta.db_table
        sql = f"""
            INSERT INTO {table} AS c (key, window_start, window_end, hits) VALUES (%s, %s, %s, 1)
            ON CONFLICT (key) DO UPDATE SET
                hits = CASE WHEN EXCLUDED.window_start > c.window_start THEN 1 ELSE LEAST(c.hits + 1, {_MAX_HITS}) END,
                window_start = GREATEST(c.window_start, EXCLUDED.window_start),
                window_end = GREATEST(c.window_end, EXCLUDED.window_end)
            RETURNING hits, window_end
        """  # noqa: S608 -- the table name is the model's, not input.
        with connections[router.db_for_write(self.model)].cursor() as cursor:
            cursor.execute(sql, [key, window_start, window_end])
            hits, end = cursor.fetchone()
        return Hit(hits, end)

    def ended(self, now: dt.datetime) -> RateCounterQuerySet:
        return self.filter(window_end__lte=now)
