"""Request rates such as "1000/hour": parsing, validation, and reading them from the environment.

No database and no models here, so the settings module can use it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured, ValidationError

from factcheck.env import env_str

PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
# The same pattern is the database's check constraint on ApiKey.rate; keep the two in step.
RATE_REGEX = r"^[1-9][0-9]{0,8}/(second|minute|hour|day)$"
OFF = frozenset({"off", "none"})


@dataclass(frozen=True)
class Rate:
    """At most `count` requests per `seconds`."""

    count: int
    seconds: int

    @property
    def period(self) -> str:
        return next(name for name, seconds in PERIODS.items() if seconds == self.seconds)

    def __str__(self) -> str:
        return f"{self.count}/{self.period}"


def parse_rate(text: str) -> Rate:
    """ "1000/hour" -> Rate(1000, 3600). Raises ValueError for anything else, naming the accepted form."""
    if not isinstance(text, str) or not re.fullmatch(RATE_REGEX, text):
        raise ValueError(
            f"{text!r} is not a rate: write a whole number of requests (1 to 999999999), a slash and one of "
            f"{', '.join(PERIODS)}, e.g. 1000/hour."
        )
    count, period = text.split("/")
    return Rate(int(count), PERIODS[period])


def validate_rate(value: str) -> None:
    """Model and form field validator."""
    try:
        parse_rate(value)
    except ValueError as error:
        raise ValidationError(str(error), code="invalid_rate") from None


def env_rate(
    name: str, default: str, *, allow_off: bool = False, environ: Mapping[str, str] | None = None
) -> str | None:
    """A rate from the environment, refused at start when malformed; "off" gives None where `allow_off`."""
    value = env_str(name, environ=environ)
    if value is None or value == "":
        value = default
    if allow_off and value.lower() in OFF:
        return None
    try:
        return str(parse_rate(value))
    except ValueError as error:
        hint = ' (or "off")' if allow_off else ""
        raise ImproperlyConfigured(f"{name}: {error}{hint}") from None
