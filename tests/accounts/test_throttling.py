"""Rate limits per key, per signed-in user and per anonymous address: 429 with Retry-After past them.

Time is a clock the tests move (ApiRateThrottle.timer), never a sleep.
"""

from __future__ import annotations

import datetime as dt
import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import RateCounter
from accounts.throttling import ApiRateThrottle
from tests.accounts.conftest import bearer
from tests.accounts.factories import issue_key

pytestmark = pytest.mark.django_db

URL = "/api/v1/sources/"
# A minute boundary (and an hour's): windows start here.
T0 = 1_800_000_000.0


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock(T0 + 15)
    monkeypatch.setattr(ApiRateThrottle, "timer", staticmethod(clock))
    return clock


def _throttled(response, retry_after: int) -> None:
    assert response.status_code == 429, response.content
    assert response["Retry-After"] == str(retry_after)
    body = response.json()
    assert (body["status"], body["code"]) == (429, "throttled")
    assert f"Expected available in {retry_after} second" in body["detail"]


def test_a_key_gets_its_own_rate_then_429_until_the_window_ends(clock):
    client = bearer(issue_key(rate="3/minute").key)

    assert [client.get(URL).status_code for _ in range(3)] == [200, 200, 200]
    _throttled(client.get(URL), retry_after=45)

    clock.now = T0 + 59.5
    _throttled(client.get(URL), retry_after=1)

    clock.now = T0 + 60
    assert client.get(URL).status_code == 200


def test_keys_are_counted_apart_from_each_other_and_from_their_address(clock, settings):
    settings.API_ANON_RATE = "1/minute"
    first, second = bearer(issue_key(rate="1/hour").key), bearer(issue_key(rate="2/hour").key)

    assert first.get(URL).status_code == 200
    _throttled(first.get(URL), retry_after=3600 - 15)
    assert [second.get(URL).status_code for _ in range(3)] == [200, 200, 429]
    # The same address without a key has its own allowance.
    assert APIClient().get(URL).status_code == 200


def test_anonymous_readers_are_limited_per_address(clock, settings):
    settings.API_ANON_RATE = "2/minute"
    client = APIClient()

    assert [client.get(URL, REMOTE_ADDR="203.0.113.5").status_code for _ in range(2)] == [200, 200]
    _throttled(client.get(URL, REMOTE_ADDR="203.0.113.5"), retry_after=45)
    assert client.get(URL, REMOTE_ADDR="203.0.113.6").status_code == 200

    clock.now = T0 + 60
    assert client.get(URL, REMOTE_ADDR="203.0.113.5").status_code == 200


def test_a_forged_forwarded_for_header_does_not_buy_a_fresh_allowance(clock, settings):
    settings.API_ANON_RATE = "1/minute"
    client = APIClient()

    assert client.get(URL, REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 200
    assert client.get(URL, REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 429


def test_behind_a_proxy_the_address_it_forwarded_is_counted(clock, settings):
    settings.API_ANON_RATE = "1/minute"
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    client = APIClient()

    # The proxy (10.0.0.1) appends the address it saw; whatever the client put before it is ignored.
    assert client.get(URL, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.1").status_code == 200
    assert client.get(URL, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="2.2.2.2, 198.51.100.1").status_code == 429
    assert client.get(URL, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 200


def test_an_ipv6_reader_is_counted_per_64_network(clock, settings):
    settings.API_ANON_RATE = "1/minute"
    client = APIClient()

    assert client.get(URL, REMOTE_ADDR="2001:db8:1:2::1").status_code == 200
    assert client.get(URL, REMOTE_ADDR="2001:db8:1:2:ffff::9").status_code == 429
    assert client.get(URL, REMOTE_ADDR="2001:db8:1:3::1").status_code == 200


def test_signed_in_users_have_their_own_rate(clock, settings, editor_client):
    settings.API_ANON_RATE = "1/minute"
    settings.API_USER_RATE = "2/minute"

    assert [editor_client.get(URL).status_code for _ in range(2)] == [200, 200]
    _throttled(editor_client.get(URL), retry_after=45)


def test_a_limit_set_to_off_does_not_limit(clock, settings):
    settings.API_ANON_RATE = None
    client = APIClient()

    assert {client.get(URL).status_code for _ in range(5)} == {200}
    assert not RateCounter.objects.exists()


def test_a_lagging_clock_counts_in_the_newer_window_instead_of_resetting_it():
    window = dt.datetime(2027, 1, 1, 12, 1, tzinfo=dt.UTC)
    minute = dt.timedelta(minutes=1)
    RateCounter.objects.hit("addr:x:60", window, window + minute)

    late = RateCounter.objects.hit("addr:x:60", window - minute, window)

    assert (late.hits, late.window_end) == (2, window + minute)
    assert RateCounter.objects.hit("addr:x:60", window + minute, window + 2 * minute).hits == 1


def test_concurrent_requests_are_each_counted_exactly_once():
    # Real concurrency on PostgreSQL: each thread has its own connection and commits on its own (outside this
    # test's transaction), as separate worker processes would. Every request must see a different count.
    window = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    key, seen, errors = "test:concurrency:60", [], []

    def requests() -> None:
        try:
            seen.extend(RateCounter.objects.hit(key, window, window + dt.timedelta(minutes=1)).hits for _ in range(25))
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    def clean_up() -> None:
        RateCounter.objects.filter(key=key).delete()
        connection.close()

    threads = [threading.Thread(target=requests) for _ in range(8)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        cleaner = threading.Thread(target=clean_up)
        cleaner.start()
        cleaner.join()

    assert errors == []
    assert sorted(seen) == list(range(1, 201))


def test_ended_counters_are_purged():
    now = timezone.now()
    RateCounter.objects.hit("addr:old:60", now - dt.timedelta(minutes=2), now - dt.timedelta(minutes=1))
    RateCounter.objects.hit("addr:current:3600", now - dt.timedelta(minutes=1), now + dt.timedelta(minutes=59))
    out = io.StringIO()

    call_command("purge_rate_counters", stdout=out)

    assert list(RateCounter.objects.values_list("key", flat=True)) == ["addr:current:3600"]
    assert "Deleted 1 ended rate counter" in out.getvalue()
