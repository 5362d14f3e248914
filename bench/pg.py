"""A throwaway PostgreSQL cluster for the benchmarks (as .ci/run starts one for the tests): the
machine's server binaries, an unprivileged user when run as root, a free port, removed on exit.
Unlike the CI cluster it keeps fsync and synchronous_commit on: commits are durable, as a
branch's would be."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from typing import Iterator


def server_bin() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: [int(x) for x in p.split("/")[-2].split(".") if x.isdigit()])
    if found:
        return found[-1]
    initdb = shutil.which("initdb")
    return os.path.dirname(initdb) if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _unprivileged() -> tuple[list[str], pwd.struct_passwd | None] | None:
    """How to run a server that refuses root (PostgreSQL, PgBouncer): as the `postgres` user when this
    is root, else as ourselves; None when root has no such user."""
    if os.geteuid() != 0:
        return [], None
    try:
        return ["runuser", "-u", "postgres", "--"], pwd.getpwnam("postgres")
    except KeyError:
        return None


def _folder(prefix: str, owner: pwd.struct_passwd | None) -> str:
    folder = tempfile.mkdtemp(prefix=prefix)
    os.chmod(folder, 0o755)
    if owner is not None:
        os.chown(folder, owner.pw_uid, owner.pw_gid)
    return folder


@contextmanager
def cluster(url: str | None = None) -> Iterator[str | None]:
    """A server URL: `url` if given (TELLER_BENCH_PG), else a new local cluster, else None."""
    if url:
        yield url
        return
    bindir = server_bin()
    if bindir is None:
        yield None
        return
    who = _unprivileged()
    if who is None:
        yield None
        return
    as_user, owner = who
    folder = _folder("teller-bench-pg-", owner)
    data = os.path.join(folder, "data")
    port = _free_port()
    run = {"cwd": folder, "check": True, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    try:
        subprocess.run([*as_user, f"{bindir}/initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
                        "--locale=C.UTF-8"], **run)
        subprocess.run([*as_user, f"{bindir}/pg_ctl", "-D", data, "-l", os.path.join(folder, "server.log"), "-w", "-o",
                        f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c max_connections=300 "
                        "-c shared_buffers=256MB", "start"], **run)
    except (OSError, subprocess.CalledProcessError):
        shutil.rmtree(folder, ignore_errors=True)
        yield None
        return
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_user, f"{bindir}/pg_ctl", "-D", data, "-m", "immediate", "stop"], cwd=folder,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(folder, ignore_errors=True)


def pgbouncer_bin() -> str | None:
    return shutil.which("pgbouncer") or next((p for p in ("/usr/sbin/pgbouncer", "/usr/bin/pgbouncer") if os.path.exists(p)), None)


@contextmanager
def bouncer(url: str, *, pool_size: int = 20, max_clients: int = 400) -> Iterator[str | None]:
    """Debian's `pgbouncer` in transaction pooling in front of the server at `url` (as .ci/run starts it
    for the tests): at most `pool_size` server connections per database, however many clients. Yields
    the URL through it (any database name on the server), or None without a pgbouncer binary."""
    from sqlalchemy.engine import make_url

    binary = pgbouncer_bin()
    if binary is None:
        yield None
        return
    target = make_url(url)
    who = _unprivileged()
    if who is None:
        yield None
        return
    as_user, owner = who
    folder = _folder("teller-bench-bouncer-", owner)
    port = _free_port()
    ini = os.path.join(folder, "pgbouncer.ini")
    with open(os.path.join(folder, "users.txt"), "w") as f:
        f.write(f'"{target.username or "postgres"}" ""\n')
    with open(ini, "w") as f:
        f.write(bouncer_ini(folder, port, target.host or "127.0.0.1", target.port or 5432, pool_size, max_clients))
    if owner is not None:
        for name in (ini, os.path.join(folder, "users.txt")):
            os.chown(name, owner.pw_uid, owner.pw_gid)
    proc = subprocess.Popen([*as_user, binary, ini], cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        through = target.set(host="127.0.0.1", port=port).render_as_string(hide_password=False)
        _wait_for(through)
        yield through
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(folder, ignore_errors=True)


def bouncer_ini(folder: str, port: int, host: str, server_port: int, pool_size: int, max_clients: int) -> str:
    """The settings that matter for the counter (README, "A firm of many branches"): transaction
    pooling, a pool per database of `pool_size` server connections, room for every terminal."""
    return (
        "[databases]\n"
        f"* = host={host} port={server_port}\n"
        "[pgbouncer]\n"
        f"listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir = {folder}\n"
        f"auth_type = trust\nauth_file = {folder}/users.txt\nadmin_users = postgres\n"
        f"pool_mode = transaction\ndefault_pool_size = {pool_size}\nmin_pool_size = 0\nreserve_pool_size = 0\n"
        f"max_client_conn = {max_clients}\nmax_db_connections = {pool_size}\n"
        f"logfile = {folder}/pgbouncer.log\npidfile = {folder}/pgbouncer.pid\n"
    )


def _wait_for(url: str, seconds: float = 20) -> None:
    import time

    import psycopg

    deadline = time.monotonic() + seconds
    while True:
        try:
            with psycopg.connect(url, autocommit=True, connect_timeout=2, prepare_threshold=None) as conn:
                conn.execute("SELECT 1")
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def version(url: str) -> str:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute("SHOW server_version").fetchone()[0]


def fresh_database(url: str, name: str) -> str:
    """A new empty database on the server; returns its URL."""
    import psycopg
    from sqlalchemy.engine import make_url

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def fresh_schema(url: str, prefix: str) -> str:
    """A new empty schema on the server, named `prefix_<8 hex>`; returns the URL whose search_path is
    that schema (the store's tables go there, as a firm's branch schema would)."""
    import uuid

    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{name}"')
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{name}"
