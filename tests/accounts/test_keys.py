"""The key format, its digest, and rates: plain functions, no database."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError

from accounts.keys import (
    PREFIX_LENGTH,
    SECRET_LENGTH,
    KeyParts,
    MalformedKey,
    hash_secret,
    new_prefix,
    new_secret,
    prefix_of,
    secret_matches,
    split_key,
)
from accounts.rates import Rate, env_rate, parse_rate, validate_rate


def test_a_key_splits_into_its_public_prefix_and_its_secret():
    parts = KeyParts(new_prefix(), new_secret())

    assert parts.full.startswith(f"fck_{parts.prefix}_")
    assert split_key(parts.full) == parts
    assert len(parts.prefix) == PREFIX_LENGTH
    assert len(parts.secret) == SECRET_LENGTH


def test_new_secrets_differ_and_use_only_letters_and_digits():
    secrets = {new_secret() for _ in range(50)}

    assert len(secrets) == 50
    assert all(secret.isalnum() and secret.isascii() for secret in secrets)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "fck_",
        "fck_abcdefgh",
        "fck_abcdefgh_short",
        "fck_ABCDEFGH_" + "a" * SECRET_LENGTH,  # the prefix is lowercase
        "xyz_abcdefgh_" + "a" * SECRET_LENGTH,
        "fck_abcdefgh_" + "a" * (SECRET_LENGTH + 1),
        "fck_abcdefgh_" + "a" * (SECRET_LENGTH - 1) + "-",
        " fck_abcdefgh_" + "a" * SECRET_LENGTH,
    ],
)
def test_it_refuses_a_malformed_key(text):
    with pytest.raises(MalformedKey, match="An API key looks like fck_"):
        split_key(text)


def test_the_digest_is_sha256_of_the_secret_and_compares_only_to_its_own():
    secret = new_secret()

    assert hash_secret(secret) == hashlib.sha256(secret.encode()).hexdigest()
    assert secret_matches(secret, hash_secret(secret))
    assert not secret_matches(secret, hash_secret(new_secret()))
    assert not secret_matches(secret, None)


def test_commands_accept_a_prefix_in_any_of_its_spellings():
    assert prefix_of("abcdefgh") == "abcdefgh"
    assert prefix_of("fck_abcdefgh") == "abcdefgh"
    assert prefix_of(" fck_abcdefgh_" + "a" * SECRET_LENGTH) == "abcdefgh"


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("1000/hour", Rate(1000, 3600)),
        ("1/second", Rate(1, 1)),
        ("120/minute", Rate(120, 60)),
        ("5/day", Rate(5, 86400)),
    ],
)
def test_it_reads_a_rate(text, rate):
    assert parse_rate(text) == rate
    assert str(rate) == text


@pytest.mark.parametrize("text", ["", "1000", "0/hour", "-1/hour", "10/week", "10/h", "1000 / hour", "1e3/hour"])
def test_it_refuses_a_malformed_rate(text):
    with pytest.raises(ValueError, match=r"e\.g\. 1000/hour"):
        parse_rate(text)
    with pytest.raises(ValidationError):
        validate_rate(text)


def test_a_rate_setting_defaults_reads_off_and_refuses_nonsense_naming_the_variable():
    assert env_rate("API_ANON_RATE", "120/minute", environ={}) == "120/minute"
    assert env_rate("API_ANON_RATE", "120/minute", allow_off=True, environ={"API_ANON_RATE": "off"}) is None
    with pytest.raises(ImproperlyConfigured, match=r"API_KEY_DEFAULT_RATE: 'off' is not a rate"):
        env_rate("API_KEY_DEFAULT_RATE", "1000/hour", environ={"API_KEY_DEFAULT_RATE": "off"})
    with pytest.raises(ImproperlyConfigured, match=r'API_ANON_RATE: .* \(or "off"\)'):
        env_rate("API_ANON_RATE", "120/minute", allow_off=True, environ={"API_ANON_RATE": "lots"})
