"""`manage.py createuser` and `manage.py apikey create|list|revoke`."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from accounts.keys import secret_matches, split_key
from accounts.models import ApiClient, ApiKey
from factcheck.roles import roles_of
from tests.accounts.factories import issue_key

pytestmark = pytest.mark.django_db

STRONG = "plover-quartz-87-lantern"


class Terminal(io.StringIO):
    """Standard input that is a terminal, not a pipe."""

    def isatty(self) -> bool:
        return True


def run(*args: str, stdin: io.StringIO | None = None) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    options = {"stdin": stdin} if stdin is not None else {}
    call_command(*args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


@pytest.fixture(autouse=True)
def _no_password_in_the_environment(monkeypatch):
    monkeypatch.delenv("FACTCHECK_PASSWORD", raising=False)


# createuser


def test_createuser_reads_the_password_piped_to_it():
    out, _ = run(
        "createuser", "nina", "--role", "editor", "--email", "nina@example.org", stdin=io.StringIO(f"{STRONG}\n")
    )

    user = get_user_model().objects.get(username="nina")
    assert user.check_password(STRONG)
    assert user.is_staff
    assert user.email == "nina@example.org"
    assert roles_of(user) == {"editor"}
    assert "Created editor nina" in out
    assert STRONG not in out


def test_createuser_reads_the_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("FACTCHECK_PASSWORD", STRONG)

    run("createuser", "fred", "--role", "fact-checker", stdin=Terminal())

    user = get_user_model().objects.get(username="fred")
    assert user.check_password(STRONG)
    assert roles_of(user) == {"fact-checker"}


def test_createuser_refuses_to_run_without_a_password_source():
    with pytest.raises(CommandError, match="No password given: set FACTCHECK_PASSWORD or pipe"):
        run("createuser", "nina", "--role", "editor", stdin=Terminal())
    assert not get_user_model().objects.exists()


@pytest.mark.parametrize(
    ("piped", "message"), [("\n", "The password from standard input is empty"), ("password\n", "too common")]
)
def test_createuser_refuses_an_empty_or_weak_password(piped, message):
    with pytest.raises(CommandError, match=message):
        run("createuser", "nina", "--role", "editor", stdin=io.StringIO(piped))
    assert not get_user_model().objects.exists()


def test_createuser_refuses_an_unknown_role_and_a_taken_name(editor):
    with pytest.raises(CommandError, match="invalid choice: 'admin'"):
        run("createuser", "nina", "--role", "admin", stdin=io.StringIO(STRONG))
    with pytest.raises(CommandError, match="already exists"):
        run("createuser", editor.username, "--role", "editor", stdin=io.StringIO(STRONG))


# apikey create


def test_apikey_create_prints_the_key_once_and_stores_only_its_digest():
    out, err = run("apikey", "create", "--client", "Daily Newsroom", "--name", "website", "--rate", "500/hour")

    key = out.strip()
    parts = split_key(key)
    api_key = ApiKey.objects.get()
    assert api_key.prefix == parts.prefix
    assert secret_matches(parts.secret, api_key.secret_hash)
    assert parts.secret not in str(ApiKey.objects.values().get())
    assert (api_key.client.name, api_key.name, api_key.rate) == ("Daily Newsroom", "website", "500/hour")
    # Stdout holds the key alone; what goes with it is on stderr, without the secret.
    assert out == f"{key}\n"
    assert "Created API client Daily Newsroom" in err
    assert f"Key fck_{parts.prefix} for client Daily Newsroom" in err
    assert "cannot be shown again" in err
    assert parts.secret not in err


def test_apikey_create_reuses_a_client_named_in_any_case(newsroom):
    _, err = run("apikey", "create", "--client", newsroom.name.upper())

    assert ApiClient.objects.get() == newsroom
    assert ApiKey.objects.get().client == newsroom
    assert "Created API client" not in err


def test_apikey_create_for_a_user_acts_as_that_user(editor):
    run("apikey", "create", "--user", editor.username, "--expires-in-days", "30")

    api_key = ApiKey.objects.get()
    assert api_key.user == editor
    assert (api_key.expires_at - api_key.created_at).days == 30


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--user", "nobody"], "No user 'nobody'"),
        (["--client", "X", "--rate", "lots"], "is not a rate"),
        (["--client", "X", "--expires-in-days", "0"], "from 1 to 3650 days"),
    ],
)
def test_apikey_create_refuses_bad_arguments(args, message):
    with pytest.raises(CommandError, match=message):
        run("apikey", "create", *args)
    assert not ApiKey.objects.exists()


def test_apikey_create_needs_exactly_one_owner(editor):
    with pytest.raises(CommandError, match="one of the arguments --user --client is required"):
        run("apikey", "create")
    with pytest.raises(CommandError, match="not allowed with argument"):
        run("apikey", "create", "--user", editor.username, "--client", "X")


# apikey list and revoke


def test_apikey_list_shows_prefixes_owners_and_states_but_no_secrets(editor, newsroom):
    active = issue_key(client=newsroom, name="website")
    revoked = issue_key(user=editor, name="scripts")
    run("apikey", "revoke", revoked.api_key.prefix)

    out, _ = run("apikey", "list")

    lines = out.splitlines()
    assert lines[0].split()[:4] == ["key", "owner", "name", "status"]
    assert f"fck_{active.api_key.prefix}" in lines[1]
    assert "client Daily Newsroom" in lines[1]
    assert "active" in lines[1]
    assert f"fck_{revoked.api_key.prefix}" in lines[2]
    assert f"user {editor.username}" in lines[2]
    assert "revoked" in lines[2]
    for issued in (active, revoked):
        assert issued.key not in out
        assert issued.api_key.secret_hash not in out


def test_apikey_list_narrows_to_one_owner(editor, newsroom):
    mine, theirs = issue_key(user=editor), issue_key(client=newsroom)

    out, _ = run("apikey", "list", "--client", "daily newsroom")

    assert str(theirs.api_key) in out
    assert str(mine.api_key) not in out


@pytest.mark.parametrize("spelling", ["prefix", "marked", "whole key"])
def test_apikey_revoke_takes_the_prefix_in_any_spelling(newsroom_key, spelling):
    prefix = newsroom_key.api_key.prefix
    given = {"prefix": prefix, "marked": f"fck_{prefix}", "whole key": newsroom_key.key}[spelling]

    out, _ = run("apikey", "revoke", given)

    assert ApiKey.objects.get().revoked_at is not None
    assert f"Revoked fck_{prefix} (client Daily Newsroom)" in out


def test_apikey_revoke_twice_says_so_and_an_unknown_prefix_is_an_error(newsroom_key):
    run("apikey", "revoke", newsroom_key.api_key.prefix)

    out, _ = run("apikey", "revoke", newsroom_key.api_key.prefix)
    assert "was already revoked" in out

    with pytest.raises(CommandError, match="No API key with prefix 'zzzzzzzz'"):
        run("apikey", "revoke", "zzzzzzzz")


def test_createuser_reads_stdin_when_the_variable_is_set_but_empty(monkeypatch):
    monkeypatch.setenv("FACTCHECK_PASSWORD", "")

    run("createuser", "nina", "--role", "editor", stdin=io.StringIO(STRONG))

    assert get_user_model().objects.get(username="nina").check_password(STRONG)
