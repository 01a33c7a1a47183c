"""All SQL of the archive: an append-only SQLite store of snapshots.

``SqliteStore`` is the only class that talks to the database; another engine would provide the
same methods. Every write is one ``BEGIN IMMEDIATE`` transaction (all or nothing, even when the
process is killed), and versions are numbered inside it, so concurrent writers never collide.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from operator import attrgetter
from pathlib import Path
from typing import Any

from reportgen.archive import guard
from reportgen.archive.schema import MIGRATIONS, SCHEMA_VERSION
from reportgen.archive.snapshot import ArchivedFile, Snapshot, SnapshotInfo, seal
from reportgen.errors import Problem
from reportgen.progress import IndicatorProgress, TaskProgress
from reportgen.records import TaskRecord, ValueRecord


@dataclass(frozen=True)
class _Table:
    """A child table holding one tuple field of Snapshot: (sql column, dataclass field) pairs."""

    name: str
    attribute: str
    cls: type
    columns: tuple[tuple[str, str], ...]


def _columns(fields: str, **renamed: str) -> tuple[tuple[str, str], ...]:
    """(sql column, dataclass field) pairs from space-separated field names."""
    return tuple((renamed.get(f, f), f) for f in fields.split())


CHILD_TABLES = (
    _Table("source_files", "files", ArchivedFile, _columns("name sha256 size department")),
    _Table(
        "reported_values",
        "values",
        ValueRecord,
        _columns("indicator_id value source as_of remark department"),
    ),
    _Table(
        "task_reports",
        "tasks",
        TaskRecord,
        _columns("task_id source department status progress problems next_steps"),
    ),
    _Table(
        "indicator_results",
        "indicators",
        IndicatorProgress,
        _columns(
            "id name category unit attribute method actual target target_year expected "
            "completion time_progress gap_pp status binding_alert final_target final_completion "
            "projected_final at_risk source",
            id="indicator_id",
        ),
    ),
    _Table(
        "task_results",
        "task_progress",
        TaskProgress,
        _columns("id title lead status progress problems next_steps", id="task_id"),
    ),
    _Table("warnings", "warnings", Problem, _columns("where message", where="location")),
)
_INDICATORS = CHILD_TABLES[3]
_HEADER = (
    "id, plan_id, plan_title, plan_hash, period, as_of, version, created_at, note, "
    "previous_checksum, checksum, "
    "(SELECT COUNT(*) FROM indicator_results r WHERE r.snapshot_id = s.id)"
)


def _optional_date(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _optional_bool(flag: int | None) -> bool | None:
    return None if flag is None else bool(flag)


_DECODE = {
    "as_of": _optional_date,
    "binding_alert": bool,
    "at_risk": _optional_bool,
    "lead": json.loads,
}


def _optional_iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _json_list(items: list[str]) -> str:
    return json.dumps(list(items), ensure_ascii=False)


# Fields sqlite3 cannot store as they are (booleans it stores as 0/1 itself).
_ENCODE = {"as_of": _optional_iso, "lead": _json_list}


def _rows(table: _Table, snapshot_id: int, items: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    fields = [f for _, f in table.columns]
    values = attrgetter(*fields)
    encoders = [(n + 2, _ENCODE[f]) for n, f in enumerate(fields) if f in _ENCODE]
    rows = []
    for position, item in enumerate(items):
        row = [snapshot_id, position, *values(item)]
        for index, encode in encoders:
            row[index] = encode(row[index])
        rows.append(tuple(row))
    return rows


class SqliteStore:
    """An archive file opened for reading, or for reading and appending."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path

    @classmethod
    def open(cls, path: Path, *, readonly: bool) -> SqliteStore:
        """Open ``path``; check it read-only first, so a bad file is never written to."""
        if path.is_dir():
            raise guard.problem(path, "directory")
        if path.exists():
            version = _inspect(path)
        elif readonly:
            raise guard.problem(path, "missing")
        else:
            version = 0
        if readonly:
            if version < SCHEMA_VERSION:
                raise guard.problem(path, "uninitialised")
            return cls(_connect_readonly(path), path)
        guard.check_writable(path)
        store = cls(_connect(path, "rwc"), path)
        store._migrate()
        return store

    def close(self) -> None:
        self._conn.close()

    def insert_snapshot(self, draft: Snapshot, plan_content: str) -> SnapshotInfo:
        """Append ``draft`` as the next version of its plan and period; return its header."""
        info = draft.info
        with self._transaction():
            version = self._one(
                "SELECT COALESCE(MAX(version), 0) + 1 FROM snapshots WHERE plan_id = ? AND period = ?",
                (info.plan_id, info.period_key),
            )
            last = self._conn.execute("SELECT checksum FROM snapshots ORDER BY id DESC LIMIT 1")
            previous = (last.fetchone() or ("",))[0]
            created = datetime.now(UTC).isoformat(timespec="microseconds")
            sealed = seal(draft, version, created, previous)
            snapshot_id = self._insert(sealed, plan_content)
        return replace(sealed.info, id=snapshot_id, indicator_count=len(sealed.indicators))

    def snapshots(self, plan_id: str | None = None) -> list[SnapshotInfo]:
        """Headers in insertion order, optionally of one plan."""
        where, params = ("WHERE plan_id = ?", (plan_id,)) if plan_id is not None else ("", ())
        rows = self._query(f"SELECT {_HEADER} FROM snapshots s {where} ORDER BY id", params)
        return [_info(row) for row in rows]

    def latest(self, plan_id: str, period_key: str) -> SnapshotInfo | None:
        """The header of the highest version of a plan and period."""
        rows = self._query(
            f"SELECT {_HEADER} FROM snapshots s WHERE plan_id = ? AND period = ? "
            "ORDER BY version DESC LIMIT 1",
            (plan_id, period_key),
        )
        return _info(rows[0]) if rows else None

    def find(self, plan_id: str, period_key: str, version: int) -> SnapshotInfo | None:
        rows = self._query(
            f"SELECT {_HEADER} FROM snapshots s WHERE plan_id = ? AND period = ? AND version = ?",
            (plan_id, period_key, version),
        )
        return _info(rows[0]) if rows else None

    def snapshot(self, info: SnapshotInfo) -> Snapshot:
        """The full snapshot, rebuilt from its rows."""
        parts = {t.attribute: tuple(self._children(t, info.id)) for t in CHILD_TABLES}
        return Snapshot(info=info, missing_departments=self._missing(info.id), **parts)

    def indicators(self, snapshot_id: int) -> list[IndicatorProgress]:
        """Only the indicator results of one snapshot (for history)."""
        return list(self._children(_INDICATORS, snapshot_id))

    def plan_contents(self) -> list[tuple[str, str]]:
        """(content hash, canonical plan JSON) of every archived plan."""
        return self._query("SELECT hash, content FROM plans ORDER BY hash", ())

    def plan_content(self, plan_hash: str) -> str | None:
        rows = self._query("SELECT content FROM plans WHERE hash = ?", (plan_hash,))
        return rows[0][0] if rows else None

    def orphan_problems(self) -> list[str]:
        """Rows whose parent row is gone (a snapshot or plan deleted behind the tool's back)."""
        tables = sorted({row[0] for row in self._query("PRAGMA foreign_key_check", ())})
        return [f"表 {t} 中有记录引用了不存在的快照或方案：有内容被删除过。" for t in tables]

    def integrity_problems(self) -> list[str]:
        """SQLite's own page-level check; empty when the file is sound."""
        messages = [row[0] for row in self._query("PRAGMA integrity_check", ())]
        return [] if messages == ["ok"] else messages

    # -- internals ---------------------------------------------------------------------------

    def _insert(self, snapshot: Snapshot, plan_content: str) -> int:
        info = snapshot.info
        self._conn.execute(
            "INSERT OR IGNORE INTO plans (hash, plan_id, content) VALUES (?, ?, ?)",
            (info.plan_hash, info.plan_id, plan_content),
        )
        cursor = self._conn.execute(
            "INSERT INTO snapshots (plan_id, plan_title, plan_hash, period, as_of, version, "
            "created_at, note, missing_departments, previous_checksum, checksum) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                info.plan_id,
                info.plan_title,
                info.plan_hash,
                info.period_key,
                info.as_of.isoformat(),
                info.version,
                info.created_at,
                info.note,
                json.dumps(list(snapshot.missing_departments), ensure_ascii=False),
                info.previous_checksum,
                info.checksum,
            ),
        )
        snapshot_id = cursor.lastrowid
        for table in CHILD_TABLES:
            columns = ", ".join(c for c, _ in table.columns)
            marks = ", ".join("?" * (len(table.columns) + 2))
            self._conn.executemany(
                f"INSERT INTO {table.name} (snapshot_id, position, {columns}) VALUES ({marks})",
                _rows(table, snapshot_id, getattr(snapshot, table.attribute)),
            )
        return snapshot_id

    def _children(self, table: _Table, snapshot_id: int) -> Iterator[Any]:
        columns = ", ".join(c for c, _ in table.columns)
        rows = self._query(
            f"SELECT {columns} FROM {table.name} WHERE snapshot_id = ? ORDER BY position",
            (snapshot_id,),
        )
        fields = [f for _, f in table.columns]
        decoders = [(n, _DECODE[f]) for n, f in enumerate(fields) if f in _DECODE]
        for row in rows:
            values = list(row)
            for index, decode in decoders:
                values[index] = decode(values[index])
            yield table.cls(**dict(zip(fields, values, strict=True)))

    def _missing(self, snapshot_id: int) -> tuple[str, ...]:
        text = self._one("SELECT missing_departments FROM snapshots WHERE id = ?", (snapshot_id,))
        return tuple(json.loads(text))

    def _migrate(self) -> None:
        with self._transaction():
            current = _schema_version(self._conn)
            if current > SCHEMA_VERSION:
                raise guard.too_new(self.path, current)
            for migration in MIGRATIONS[current:]:
                for statement in migration:
                    self._conn.execute(statement)
            if current < SCHEMA_VERSION:
                self._conn.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION,))

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        with self._errors():
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise guard.archive_error(self.path, exc) from exc

    def _query(self, sql: str, params: tuple[Any, ...]) -> list[Any]:
        with self._errors():
            return self._conn.execute(sql, params).fetchall()

    def _one(self, sql: str, params: tuple[Any, ...]) -> Any:
        return self._query(sql, params)[0][0]


def _info(row: tuple[Any, ...]) -> SnapshotInfo:
    (sid, plan_id, title, plan_hash, period, as_of, version, created, note, previous, checksum,
     count) = row  # fmt: skip
    return SnapshotInfo(
        plan_id=plan_id,
        plan_title=title,
        plan_hash=plan_hash,
        period_key=period,
        as_of=date.fromisoformat(as_of),
        version=version,
        created_at=created,
        note=note,
        previous_checksum=previous,
        checksum=checksum,
        id=sid,
        indicator_count=count,
    )


# -- opening safely ----------------------------------------------------------------------------


def _connect(path: Path, mode: str) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit); ``mode`` is ro or rwc."""
    uri = f"{path.resolve().as_uri()}?mode={mode}"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=guard.BUSY_TIMEOUT_S, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout = {int(guard.BUSY_TIMEOUT_S * 1000)}")
        conn.execute("PRAGMA foreign_keys = ON")
        if mode == "rwc":
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
    except sqlite3.Error as exc:
        raise guard.archive_error(path, exc) from exc
    return conn


def _connect_readonly(path: Path) -> sqlite3.Connection:
    """Read-only; in a read-only folder (no -shm file possible) fall back to immutable mode."""
    conn = _connect(path, "ro")
    try:
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as exc:
        conn.close()
        if "unable to open" not in str(exc):
            raise guard.archive_error(path, exc) from exc
        conn = _connect(path, "ro&immutable=1")
    return conn


def _inspect(path: Path) -> int:
    """The schema version of an existing file, read without any write; error if not ours."""
    conn = _connect_readonly(path)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not tables:
            return 0
        if "schema_version" not in tables:
            raise guard.problem(path, "foreign")
        version = _schema_version(conn)
    except sqlite3.Error as exc:
        raise guard.archive_error(path, exc) from exc
    finally:
        conn.close()
    if version > SCHEMA_VERSION:
        raise guard.too_new(path, version)
    return version


def _schema_version(conn: sqlite3.Connection) -> int:
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'schema_version'").fetchone()
    if not exists:
        return 0
    row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
    return row[0] or 0
