"""One open archive database, SQLite file or PostgreSQL server, through SQLAlchemy Core.

``Database.open(target, components=…)`` picks the backend from the location, refuses what is
not an archive before writing anything, and brings the components' schemas up to date.
``read()`` is one read transaction (a consistent view); ``write(work)`` runs ``work`` in one
write transaction and, when it collides with a concurrent writer on a unique key, rolls back
and runs it again: concurrent writers are ordered by the database's constraints, never by
reading first and hoping. On SQLite ``BEGIN IMMEDIATE`` already serialises writers.
"""

from __future__ import annotations

import contextlib
import random
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from reportgen.archive import guard
from reportgen.archive import sqlite as sqlite_file
from reportgen.archive.location import Location, locate
from reportgen.errors import ArchiveError, Problem

if TYPE_CHECKING:
    from pathlib import Path

    from sqlalchemy import Connection, Engine
    from sqlalchemy.exc import DBAPIError

    from reportgen.archive.migrate import Component

T = TypeVar("T")
CONNECT_TIMEOUT_S = 10
_RETRIED_STATES = ("23505", "40001", "40P01")  # unique violation, serialization, deadlock


class Database:
    """An open archive database; use ``open`` to get one and ``close`` (or ``with``) after."""

    def __init__(self, location: Location, engine: Engine, readonly: bool) -> None:
        self.location = location
        self.readonly = readonly
        self._engine = engine
        self._immediate = False
        self._cleanup: Callable[[], None] | None = None
        if engine.dialect.name == "sqlite":
            from sqlalchemy import event

            event.listen(engine, "begin", self._begin_sqlite)
        with self._errors():
            self._conn = engine.connect()

    @classmethod
    def open(
        cls, target: str | Path | None, *, readonly: bool, components: Iterable[Component]
    ) -> Database:
        """Open the archive at ``target`` (see ``locate``) with ``components`` migrated."""
        from reportgen.archive import migrate

        location = locate(target)
        if location.backend == "sqlite":
            db = _open_sqlite(location, readonly)
        else:
            db = cls(location, _postgres_engine(location.url, readonly), readonly)
        try:
            migrate.prepare(db, components)
        except BaseException:
            db.close()
            raise
        return db

    @property
    def dialect(self) -> str:
        return self._engine.dialect.name

    def close(self) -> None:
        self._conn.close()
        self._engine.dispose()
        if self._cleanup is not None:
            self._cleanup()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def read(self) -> Iterator[Connection]:
        """One read transaction."""
        with self._errors(), self._conn.begin():
            yield self._conn

    def write(self, work: Callable[[Connection], T]) -> T:
        """``work`` in one write transaction, run again after a unique-key collision."""
        if self.readonly:
            raise ArchiveError(Problem(self.location.display, "归档以只读方式打开，不能写入。"))
        deadline = time.monotonic() + guard.BUSY_TIMEOUT_S
        attempt = 0
        from sqlalchemy.exc import DBAPIError

        while True:
            try:
                return self._write_once(work)
            except DBAPIError as exc:
                if not _collision(exc) or time.monotonic() > deadline:
                    raise self.error(exc) from exc
            attempt += 1
            time.sleep(random.uniform(0, min(0.002 * attempt, 0.05)))

    def error(self, exc: DBAPIError) -> ArchiveError:
        """A database error as an ArchiveError naming this archive."""
        import sqlite3

        orig: Any = exc.orig
        if isinstance(orig, sqlite3.Error):
            return guard.sqlite_error(self.location.display, orig)
        return guard.server_error(
            self.location.display, getattr(orig, "sqlstate", None), str(orig or exc)
        )

    def _write_once(self, work: Callable[[Connection], T]) -> T:
        self._immediate = True
        try:
            with self._conn.begin():
                return work(self._conn)
        finally:
            self._immediate = False

    def _begin_sqlite(self, conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if self._immediate else "BEGIN")

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        from sqlalchemy.exc import DBAPIError

        try:
            yield
        except DBAPIError as exc:
            raise self.error(exc) from exc


def queue_writers(conn: Connection, key: int) -> None:
    """Make concurrent writers of one chain wait their turn instead of colliding and retrying.

    On PostgreSQL a transaction-scoped advisory lock on ``key`` (READ COMMITTED: the statements
    after it see what the previous writer committed). SQLite's BEGIN IMMEDIATE already queues.
    Only an optimisation: the unique keys and ``write``'s retry keep the data right without it.
    """
    if conn.dialect.name == "postgresql":
        from sqlalchemy import func, select

        conn.execute(select(func.pg_advisory_xact_lock(key)))


def _collision(exc: DBAPIError) -> bool:
    """A conflict with a concurrent writer that a fresh attempt resolves."""
    state = getattr(exc.orig, "sqlstate", None)
    if state is not None:
        return state in _RETRIED_STATES
    return "UNIQUE constraint failed" in str(exc.orig)


def _open_sqlite(location: Location, readonly: bool) -> Database:
    """Checked read-only first (not ours, too new, special file): a bad file is never written."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import StaticPool

    path = location.path
    assert path is not None
    exists = sqlite_file.check_file(path, readonly=readonly)
    if exists:
        sqlite_file.schema_version(path)
    if readonly:
        source = sqlite_file.ReadonlyFile(path)
        creator: Callable[[], Any] = source.connect
        cleanup: Callable[[], None] | None = source.close
    else:
        guard.check_writable(path)

        def creator() -> Any:
            return sqlite_file.connect(path, "rwc")

        cleanup = None
    engine = create_engine("sqlite+pysqlite://", creator=creator, poolclass=StaticPool)
    try:
        db = Database(location, engine, readonly)
    except BaseException:
        if cleanup is not None:
            cleanup()
        raise
    db._cleanup = cleanup
    return db


def _postgres_engine(url: str, readonly: bool) -> Engine:
    from sqlalchemy import create_engine
    from sqlalchemy.exc import ArgumentError
    from sqlalchemy.pool import NullPool

    try:
        engine = create_engine(
            url,
            poolclass=NullPool,
            connect_args={"connect_timeout": CONNECT_TIMEOUT_S, "application_name": "reportgen"},
        )
    except (ArgumentError, ValueError) as exc:
        raise ArchiveError(
            f"无法识别的数据库地址（{exc}）。格式：postgresql://用户@主机:端口/数据库。"
        ) from exc
    if readonly:
        engine = engine.execution_options(postgresql_readonly=True)
    return engine
