"""The rate-limit and key settings are read from the environment and refuse bad values at start."""

from __future__ import annotations

import pytest

from tests.test_settings import PRODUCTION_ENV, _run_django


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"API_ANON_RATE": "lots"}, "API_ANON_RATE: 'lots' is not a rate"),
        ({"API_USER_RATE": "100/week"}, "API_USER_RATE: '100/week' is not a rate"),
        ({"API_KEY_DEFAULT_RATE": "off"}, "API_KEY_DEFAULT_RATE: 'off' is not a rate"),
        ({"API_KEY_DEFAULT_DAYS": "0"}, "API_KEY_DEFAULT_DAYS must be at least 1"),
        ({"API_NUM_PROXIES": "-1"}, "API_NUM_PROXIES must be at least 0"),
    ],
)
def test_it_refuses_to_start_with_a_bad_rate_limit_setting(override, message):
    result = _run_django(["check"], {**PRODUCTION_ENV, **override})

    assert result.returncode != 0
    assert message in result.stderr


def test_rates_can_be_turned_off_and_are_read_as_given():
    env = {**PRODUCTION_ENV, "API_ANON_RATE": "off", "API_USER_RATE": "30/second"}
    code = "from django.conf import settings; print(settings.API_ANON_RATE, settings.API_USER_RATE)"

    result = _run_django(["shell", "-c", code], env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "None 30/second"
