"""A throwaway PostgreSQL cluster for tests: initdb + pg_ctl under a temporary folder.

The server listens only on a unix socket in that folder (no TCP port to collide on), with
trust authentication. As root the cluster runs as the ``postgres`` system user (PostgreSQL
refuses to run as root). ``start_cluster`` returns None with a reason where no server can be had.
"""

from __future__ import annotations

import glob
import os
import pwd
import random
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

SUPERUSER = "postgres"


@dataclass(frozen=True)
class Cluster:
    folder: Path
    socket_dir: Path
    port: int
    run_as: str | None

    def url(self, database: str, user: str = SUPERUSER) -> str:
        return f"postgresql://{user}@/{database}?host={self.socket_dir}&port={self.port}"

    def dsn(self, database: str = "postgres", user: str = SUPERUSER) -> str:
        return f"dbname={database} user={user} host={self.socket_dir} port={self.port}"


def _bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _run(cluster_user: str | None, *args: str) -> None:
    command = ["runuser", "-u", cluster_user, "--", *args] if cluster_user else list(args)
    subprocess.run(command, check=True, capture_output=True, text=True, timeout=120)


def start_cluster() -> tuple[Cluster | None, str]:
    """A running cluster, or None and why not."""
    bin_dir = _bin_dir()
    if bin_dir is None:
        return (
            None,
            "PostgreSQL 服务器程序（initdb）未安装：运行 .ci/system-packages 安装（或 apt-get install postgresql）",
        )
    run_as = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(SUPERUSER)
        except KeyError:
            return None, "以 root 运行但没有 postgres 系统用户，无法启动 PostgreSQL"
        run_as = SUPERUSER
    folder = Path(tempfile.mkdtemp(prefix="reportgen-pg-"))
    folder.chmod(0o755)
    socket_dir = folder / "socket"
    socket_dir.mkdir()
    if run_as:
        entry = pwd.getpwnam(run_as)
        for path in (folder, socket_dir):
            os.chown(path, entry.pw_uid, entry.pw_gid)
    cluster = Cluster(folder, socket_dir, random.randint(20000, 60000), run_as)
    data = folder / "data"
    try:
        _run(run_as, str(bin_dir / "initdb"), "-D", str(data), "-U", SUPERUSER,
             "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")  # fmt: skip
        options = (
            f"-k {socket_dir} -p {cluster.port} -c listen_addresses='' -c fsync=off "
            "-c max_connections=60 -c shared_buffers=32MB"
        )
        _run(run_as, str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options,
             "-l", str(folder / "log"), "-w", "start")  # fmt: skip
    except (subprocess.SubprocessError, OSError) as exc:
        shutil.rmtree(folder, ignore_errors=True)
        detail = getattr(exc, "stderr", "") or str(exc)
        return None, f"无法启动临时 PostgreSQL：{detail.strip()[:300]}"
    _watch(cluster, bin_dir)
    return cluster, ""


def _watch(cluster: Cluster, bin_dir: Path) -> None:
    """Stop the cluster and remove its folder once this process is gone, however it ended
    (a test session killed by a timeout must not leave a server running)."""
    stop = ["pg_ctl", "-D", str(cluster.folder / "data"), "-m", "immediate", "stop"]
    stop[0] = str(bin_dir / "pg_ctl")
    if cluster.run_as:
        stop = ["runuser", "-u", cluster.run_as, "--", *stop]
    script = (
        f"while kill -0 {os.getpid()} 2>/dev/null; do sleep 2; done; "
        f"{shlex.join(stop)} >/dev/null 2>&1; rm -rf {shlex.quote(str(cluster.folder))}"
    )
    subprocess.Popen(
        ["sh", "-c", script],
        start_new_session=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def stop_cluster(cluster: Cluster) -> None:
    bin_dir = _bin_dir()
    assert bin_dir is not None
    _run(cluster.run_as, str(bin_dir / "pg_ctl"), "-D", str(cluster.folder / "data"),
         "-m", "immediate", "stop")  # fmt: skip
    shutil.rmtree(cluster.folder, ignore_errors=True)


def admin(cluster: Cluster, *statements: str, database: str = "postgres") -> None:
    """Run statements as the superuser, each in autocommit (CREATE DATABASE needs it)."""
    import psycopg

    with psycopg.connect(cluster.dsn(database), autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)  # type: ignore[arg-type]


_counter = iter(range(1, 1_000_000))


@contextmanager
def fresh_database(cluster: Cluster) -> Iterator[str]:
    """A new empty database; its URL."""
    name = f"archive_{os.getpid()}_{next(_counter)}"
    admin(cluster, f"CREATE DATABASE {name}")
    try:
        yield cluster.url(name)
    finally:
        admin(cluster, f"DROP DATABASE {name} WITH (FORCE)")


def is_postgres(target: str) -> bool:
    return target.startswith("postgresql")


def tamper(target: str, *statements: str) -> None:
    """What someone with direct access to the database could do: get past the append-only
    triggers (drop them on SQLite; replica mode on PostgreSQL), then run ``statements``."""
    if is_postgres(target):
        import psycopg

        with psycopg.connect(target) as conn:
            conn.execute("SET session_replication_role = replica")
            for statement in statements:
                conn.execute(statement)  # type: ignore[arg-type]
        return
    import sqlite3

    conn = sqlite3.connect(target)
    triggers = conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall()
    for (name,) in triggers:
        conn.execute(f"DROP TRIGGER {name}")
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def raw(target: str, statement: str) -> None:
    """Run one statement directly, with the triggers in place (expected to be refused)."""
    if is_postgres(target):
        import psycopg

        with psycopg.connect(target) as conn:
            conn.execute(statement)  # type: ignore[arg-type]
        return
    import sqlite3

    conn = sqlite3.connect(target)
    try:
        conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """One throwaway PostgreSQL cluster for the test session (skips where none can be had)."""
    cluster, reason = start_cluster()
    if cluster is None:
        pytest.skip(reason)
    yield cluster
    stop_cluster(cluster)


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An archive location that does not exist yet, on each backend."""
    if request.param == "sqlite":
        yield str(tmp_path / "archive.sqlite")
        return
    cluster = request.getfixturevalue("pg_cluster")
    with fresh_database(cluster) as url:
        yield url
