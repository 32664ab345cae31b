"""Settings come from the environment, refuse bad values, and pass Django's deployment checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from factcheck.env import env_bool, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "k" * 20 + "-production-like-secret-with-enough-entropy-" + "x" * 20,
    "DJANGO_ALLOWED_HOSTS": "factcheck.example.org",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://factcheck.example.org",
    "DATABASE_URL": "postgres://factcheck:secret@db.example.org:5432/factcheck",
}


def _run_django(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "LOCAL_PG_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_passes_with_production_like_variables():
    result = _run_django(["check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"DJANGO_SECRET_KEY": ""}, "DJANGO_SECRET_KEY is required"),
        ({"DATABASE_URL": ""}, "DATABASE_URL is required"),
        ({"DATABASE_URL": "sqlite:///db.sqlite3"}, "must be a PostgreSQL URL"),
        ({"DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG must be one of"),
        ({"DJANGO_SECURE_HSTS_SECONDS": "a year"}, "DJANGO_SECURE_HSTS_SECONDS must be a whole number"),
        ({"DJANGO_CSRF_TRUSTED_ORIGINS": "factcheck.example.org"}, "DJANGO_CSRF_TRUSTED_ORIGINS entries"),
        ({"LOCAL_PG_PORT": "70000"}, "LOCAL_PG_PORT must be at most 65535"),
    ],
)
def test_it_refuses_to_start_with_a_bad_value(override, message):
    result = _run_django(["check"], {**PRODUCTION_ENV, **override})
    assert result.returncode != 0
    assert message in result.stderr


def test_debug_without_a_database_url_uses_the_local_cluster():
    env = {"DJANGO_DEBUG": "true", "LOCAL_PG_PORT": "54400"}
    result = _run_django(
        ["shell", "-c", "from django.conf import settings; print(settings.DATABASES['default']['PORT'])"], env
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "54400"


def test_env_bool_reads_the_usual_spellings_and_refuses_others():
    assert env_bool("X", environ={"X": "Yes"}) is True
    assert env_bool("X", environ={"X": "off"}) is False
    assert env_bool("X", default=True, environ={}) is True
    with pytest.raises(ImproperlyConfigured, match="X must be one of"):
        env_bool("X", environ={"X": "2"})


def test_env_int_enforces_bounds():
    assert env_int("N", 5, environ={}) == 5
    assert env_int("N", 5, minimum=1, environ={"N": " 7 "}) == 7
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("N", 5, minimum=1, environ={"N": "0"})


def test_env_list_drops_blank_items():
    assert env_list("L", environ={"L": "a.org, ,b.org,"}) == ["a.org", "b.org"]
    assert env_list("L", default=["x"], environ={}) == ["x"]


def test_env_str_refuses_nul_bytes():
    with pytest.raises(ImproperlyConfigured, match="NUL"):
        env_str("S", environ={"S": "a\x00b"})
