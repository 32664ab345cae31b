"""Rate limits: per API key (its own `rate`), per signed-in user (API_USER_RATE) and per anonymous address
(API_ANON_RATE), counted in PostgreSQL so every worker process and machine shares one count.

Algorithm: a fixed-window counter, one row per client, incremented by one atomic upsert per request
(RateCounterQuerySet.hit). Why not DRF's SimpleRateThrottle: it keeps a list of timestamps per client in the
cache and writes it back after reading it, so two processes serving one client at once each write their own list
and one request goes uncounted; under a burst most of them do. Why not Django's cache with `add`/`incr`: the
database cache's `incr` is the same read-modify-write (get, then set), and each cache write also counts the table
for culling, five or more queries per request. The upsert is exact under any concurrency and one query.
The cost of a fixed window is that a client can spend its allowance at the end of one window and again at the
start of the next (up to twice the rate over a short span around the boundary), which is acceptable for a limit
meant to keep one client from crowding out the others.

Retry-After says when the current window ends.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import math
import time
from functools import lru_cache
from typing import TYPE_CHECKING

from django.conf import settings
from rest_framework.throttling import BaseThrottle

from accounts.models import ApiKey, RateCounter
from accounts.rates import Rate, parse_rate

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView


@lru_cache(maxsize=256)
def _rate(text: str) -> Rate:
    return parse_rate(text)


class ApiRateThrottle(BaseThrottle):
    """One limit per request, whichever applies: the key's, the signed-in user's, or the client address's."""

    # Tests advance time by replacing this, never by sleeping.
    timer = staticmethod(time.time)

    def __init__(self) -> None:
        self._wait: float | None = None

    def bucket(self, request: Request) -> tuple[str, str | None]:
        """The counter's name and the rate that applies (None: not limited)."""
        if isinstance(request.auth, ApiKey):
            return f"key:{request.auth.prefix}", request.auth.rate
        user = request.user
        if user is not None and user.is_authenticated:
            return f"user:{user.pk}", settings.API_USER_RATE
        return f"addr:{self.client_address(request)}", settings.API_ANON_RATE

    def client_address(self, request: Request) -> str:
        """The client's address as DRF reads it (REMOTE_ADDR, or X-Forwarded-For past API_NUM_PROXIES proxies).

        An IPv6 client usually holds a whole /64, so its network is what is counted; otherwise a new address per
        request would escape the limit.
        """
        ident = self.get_ident(request) or "unknown"
        try:
            address = ipaddress.ip_address(ident)
        except ValueError:
            return ident[:64]
        if isinstance(address, ipaddress.IPv6Address):
            if address.ipv4_mapped is not None:
                return str(address.ipv4_mapped)
            return str(ipaddress.ip_network(f"{address}/64", strict=False))
        return str(address)

    def allow_request(self, request: Request, view: APIView) -> bool:
        name, rate_text = self.bucket(request)
        if rate_text is None:
            return True
        rate = _rate(rate_text)
        now = self.timer()
        start = math.floor(now / rate.seconds) * rate.seconds
        hit = RateCounter.objects.hit(
            f"{name}:{rate.seconds}",
            dt.datetime.fromtimestamp(start, tz=dt.UTC),
            dt.datetime.fromtimestamp(start + rate.seconds, tz=dt.UTC),
        )
        if hit.hits <= rate.count:
            return True
        # At least a second: DRF sends no Retry-After for a wait of zero.
        self._wait = max(1.0, hit.window_end.timestamp() - now)
        return False

    def wait(self) -> float | None:
        return self._wait
