"""All SQL of the archive's snapshots, in SQLAlchemy Core: the same statements on both backends.

``SnapshotStore`` is the only class that queries the archive tables. Every add is one write
transaction; the new snapshot's id is the chain head's id + 1 and its version the highest of its
plan and period + 1, both guarded by unique keys: a concurrent writer that took them first makes
the transaction fail and run again (``Database.write``), so ids and versions stay contiguous and
the checksum chain stays linear under any number of writers.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from operator import attrgetter
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Row, Select, Table, func, select, text

from reportgen.archive import schema as t
from reportgen.archive.db import Database, queue_writers
from reportgen.archive.migrate import versions
from reportgen.archive.snapshot import ArchivedFile, Snapshot, SnapshotInfo, Void, lookup_keys, seal
from reportgen.errors import ArchiveError, Problem
from reportgen.progress import IndicatorProgress, TaskProgress
from reportgen.records import TaskRecord, ValueRecord


@dataclass(frozen=True)
class _Child:
    """A child table holding one tuple field of Snapshot: (sql column, dataclass field) pairs."""

    table: Table
    attribute: str
    cls: type
    columns: tuple[tuple[str, str], ...]

    @property
    def name(self) -> str:
        return self.table.name


def _columns(fields: str, **renamed: str) -> tuple[tuple[str, str], ...]:
    """(sql column, dataclass field) pairs from space-separated field names."""
    return tuple((renamed.get(f, f), f) for f in fields.split())


CHILD_TABLES = (
    _Child(t.source_files, "files", ArchivedFile, _columns("name sha256 size department")),
    _Child(
        t.reported_values,
        "values",
        ValueRecord,
        _columns("indicator_id value source as_of remark department"),
    ),
    _Child(
        t.task_reports,
        "tasks",
        TaskRecord,
        _columns("task_id source department status progress problems next_steps"),
    ),
    _Child(
        t.indicator_results,
        "indicators",
        IndicatorProgress,
        _columns(
            "id name category unit attribute method actual target target_year expected "
            "completion time_progress gap_pp status binding_alert final_target final_completion "
            "projected_final at_risk source",
            id="indicator_id",
        ),
    ),
    _Child(
        t.task_results,
        "task_progress",
        TaskProgress,
        _columns("id title lead status progress problems next_steps", id="task_id"),
    ),
    _Child(t.warnings, "warnings", Problem, _columns("where message", where="location")),
)
_INDICATORS = CHILD_TABLES[3]


def _optional_date(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _optional_bool(flag: int | None) -> bool | None:
    return None if flag is None else bool(flag)


def _optional_int(flag: bool | None) -> int | None:
    return None if flag is None else int(flag)


def _optional_iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _json_list(items: list[str]) -> str:
    return json.dumps(list(items), ensure_ascii=False)


_DECODE: dict[str, Callable[[Any], Any]] = {
    "as_of": _optional_date,
    "binding_alert": bool,
    "at_risk": _optional_bool,
    "lead": json.loads,
}
# Stored as text or integers, the same on both backends (SQLite's own forms).
_ENCODE: dict[str, Callable[[Any], Any]] = {
    "as_of": _optional_iso,
    "lead": _json_list,
    "binding_alert": int,
    "at_risk": _optional_int,
}


def _rows(child: _Child, snapshot_id: int, items: tuple[Any, ...]) -> list[dict[str, Any]]:
    fields = [f for _, f in child.columns]
    values = attrgetter(*fields)
    rows = []
    for position, item in enumerate(items):
        row: dict[str, Any] = {"snapshot_id": snapshot_id, "position": position}
        for (column, field), value in zip(child.columns, values(item), strict=True):
            encode = _ENCODE.get(field)
            row[column] = encode(value) if encode else value
        rows.append(row)
    return rows


_S = t.snapshots
_COUNT = (
    select(func.count())
    .where(t.indicator_results.c.snapshot_id == _S.c.id)
    .correlate(_S)
    .scalar_subquery()
)
_HEADER = (
    _S.c.id, _S.c.plan_id, _S.c.plan_title, _S.c.plan_hash, _S.c.period, _S.c.as_of,
    _S.c.version, _S.c.created_at, _S.c.note, _S.c.previous_checksum, _S.c.checksum,
)  # fmt: skip
_VOID = tuple(t.voids.c)
CHAIN_LOCK, _VOID_LOCK = 0x7265706F01, 0x7265706F02  # advisory lock keys (PostgreSQL)


class SnapshotStore:
    """An archive opened for reading, or for reading and appending."""

    def __init__(self, db: Database) -> None:
        self.db = db
        with db.read() as conn:
            self.schema_version = versions(conn).get("archive", 0)

    @classmethod
    def open(cls, target: str | Path | None, *, readonly: bool) -> SnapshotStore:
        """Open (and, unless ``readonly``, create or upgrade) the archive at ``target``."""
        db = Database.open(target, readonly=readonly, components=(t.ARCHIVE,))
        try:
            return cls(db)
        except BaseException:
            db.close()
            raise

    @property
    def has_voids(self) -> bool:
        return self.schema_version >= t.VOIDS_VERSION

    def close(self) -> None:
        self.db.close()

    def insert_snapshot(self, draft: Snapshot, plan_content: str) -> SnapshotInfo:
        """Append ``draft`` as the next version of its plan and period; return its header."""

        def work(conn: Connection) -> SnapshotInfo:
            queue_writers(conn, CHAIN_LOCK)
            info = draft.info
            version = conn.execute(
                select(func.coalesce(func.max(_S.c.version), 0) + 1).where(
                    _S.c.plan_id == info.plan_id, _S.c.period.in_(lookup_keys(info.period_key))
                )
            ).scalar_one()
            head = _head(conn)
            snapshot_id, previous = (head[0] + 1, head[1]) if head else (1, "")
            created = datetime.now(UTC).isoformat(timespec="microseconds")
            sealed = seal(draft, version, created, previous)
            self._insert(conn, snapshot_id, sealed, plan_content)
            return replace(sealed.info, id=snapshot_id, indicator_count=len(sealed.indicators))

        return self.db.write(work)

    def insert_void(self, info: SnapshotInfo, voided_by: str, reason: str) -> Void:
        """Mark a snapshot void (unique per snapshot; chained like snapshots)."""

        def work(conn: Connection) -> Void:
            queue_writers(conn, _VOID_LOCK)
            last = conn.execute(
                select(t.voids.c.id, t.voids.c.checksum).order_by(t.voids.c.id.desc()).limit(1)
            ).first()
            created = datetime.now(UTC).isoformat(timespec="microseconds")
            void = Void(info.id, voided_by, reason, created, last[1] if last else "")
            void = replace(void.sealed(info.checksum), id=last[0] + 1 if last else 1)
            conn.execute(t.voids.insert(), [_void_row(void)])
            return void

        return self.db.write(work)

    def snapshots(self, plan_id: str | None = None) -> list[SnapshotInfo]:
        """Headers in insertion order, optionally of one plan."""
        query = self._headers().order_by(_S.c.id)
        if plan_id is not None:
            query = query.where(_S.c.plan_id == plan_id)
        return self._infos(query)

    def latest(self, plan_id: str, period_key: str) -> SnapshotInfo | None:
        """The header of the highest version of a plan and period that is not void."""
        query = self._headers().where(
            _S.c.plan_id == plan_id, _S.c.period.in_(lookup_keys(period_key))
        )
        if self.has_voids:
            query = query.where(t.voids.c.id.is_(None))
        infos = self._infos(query.order_by(_S.c.version.desc()).limit(1))
        return infos[0] if infos else None

    def find(self, plan_id: str, period_key: str, version: int) -> SnapshotInfo | None:
        query = self._headers().where(
            _S.c.plan_id == plan_id,
            _S.c.period.in_(lookup_keys(period_key)),
            _S.c.version == version,
        )
        infos = self._infos(query)
        return infos[0] if infos else None

    def head(self) -> tuple[int, str] | None:
        """(id, checksum) of the newest snapshot: the head of the checksum chain."""
        with self.db.read() as conn:
            return _head(conn)

    def snapshot(self, info: SnapshotInfo) -> Snapshot:
        """The full snapshot, rebuilt from its rows (in one read transaction)."""
        found = self.snapshots_of([info])[0]
        if found is None:
            raise ArchiveError(
                Problem(
                    f"{info.plan_id} {info.period_key} 第{info.version}版",
                    "该快照的记录已损坏或被改动，无法读取。请运行 reportgen archive verify 并从备份恢复。",
                )
            )
        return found

    def snapshots_of(self, infos: Sequence[SnapshotInfo]) -> list[Snapshot | None]:
        """Full snapshots of ``infos`` in one read transaction and one query per table (pass a
        few hundred at a time); None for one whose stored rows cannot be decoded (tampered)."""
        ids = [i.id for i in infos]
        with self.db.read() as conn:
            rows = {c.attribute: _rows_of(conn, c, ids) for c in CHILD_TABLES}
            query = select(_S.c.id, _S.c.missing_departments).where(_S.c.id.in_(ids))
            missing = {int(row[0]): row[1] for row in conn.execute(query)}
        found: list[Snapshot | None] = []
        for info in infos:
            try:
                parts = {
                    c.attribute: tuple(_decoded(c, row) for row in rows[c.attribute][info.id])
                    for c in CHILD_TABLES
                }
                departments = tuple(json.loads(missing[info.id]))
            except (ValueError, TypeError, KeyError):
                found.append(None)
                continue
            found.append(Snapshot(info=info, missing_departments=departments, **parts))
        return found

    def indicators(self, snapshot_id: int) -> list[IndicatorProgress]:
        """Only the indicator results of one snapshot (for history)."""
        with self.db.read() as conn:
            rows = _rows_of(conn, _INDICATORS, [snapshot_id])[snapshot_id]
        return [_decoded(_INDICATORS, row) for row in rows]

    def voids(self) -> list[Void]:
        """Every void, in the order recorded."""
        if not self.has_voids:
            return []
        with self.db.read() as conn:
            rows = conn.execute(select(*_VOID).order_by(t.voids.c.id)).all()
        return [_void(row) for row in rows]

    def plan_contents(self) -> list[tuple[str, str]]:
        """(content hash, canonical plan JSON) of every archived plan."""
        with self.db.read() as conn:
            rows = conn.execute(select(t.plans.c.hash, t.plans.c.content).order_by(t.plans.c.hash))
            return [(row[0], row[1]) for row in rows]

    def plan_content(self, plan_hash: str) -> str | None:
        with self.db.read() as conn:
            query = select(t.plans.c.content).where(t.plans.c.hash == plan_hash)
            content: str | None = conn.execute(query).scalar()
            return content

    def orphan_problems(self) -> list[str]:
        """Rows whose parent row is gone (a snapshot or plan deleted behind the tool's back)."""
        links = [(c.table, c.table.c.snapshot_id, _S, _S.c.id) for c in CHILD_TABLES]
        links.append((_S, _S.c.plan_hash, t.plans, t.plans.c.hash))
        if self.has_voids:
            links.append((t.voids, t.voids.c.snapshot_id, _S, _S.c.id))
        found = []
        with self.db.read() as conn:
            for child, key, parent, parent_key in links:
                orphans = select(func.count()).select_from(
                    child.outerjoin(parent, key == parent_key)
                )
                if conn.execute(orphans.where(parent_key.is_(None))).scalar_one():
                    found.append(child.name)
        return [f"表 {name} 中有记录引用了不存在的快照或方案：有内容被删除过。" for name in found]

    def integrity_problems(self) -> list[str]:
        """SQLite's own page-level check (empty when sound); PostgreSQL checks its own pages."""
        if self.db.dialect != "sqlite":
            return []
        with self.db.read() as conn:
            messages = [row[0] for row in conn.execute(text("PRAGMA integrity_check"))]
        return [] if messages == ["ok"] else messages

    # -- internals ---------------------------------------------------------------------------

    def _headers(self) -> Select[Any]:
        if not self.has_voids:
            return select(*_HEADER, _COUNT)
        return select(*_HEADER, _COUNT, *_VOID).outerjoin_from(
            _S, t.voids, t.voids.c.snapshot_id == _S.c.id
        )

    def _infos(self, query: Select[Any]) -> list[SnapshotInfo]:
        with self.db.read() as conn:
            rows = conn.execute(query).all()
        return [_info(row, self.has_voids) for row in rows]

    def _insert(self, conn: Connection, snapshot_id: int, snapshot: Snapshot, content: str) -> None:
        info = snapshot.info
        conn.execute(_insert_plan(conn.dialect.name), [
            {"hash": info.plan_hash, "plan_id": info.plan_id, "content": content}
        ])  # fmt: skip
        conn.execute(
            _S.insert(),
            [
                {
                    "id": snapshot_id,
                    "plan_id": info.plan_id,
                    "plan_title": info.plan_title,
                    "plan_hash": info.plan_hash,
                    "period": info.period_key,
                    "as_of": info.as_of.isoformat(),
                    "version": info.version,
                    "created_at": info.created_at,
                    "note": info.note,
                    "missing_departments": _json_list(list(snapshot.missing_departments)),
                    "previous_checksum": info.previous_checksum,
                    "checksum": info.checksum,
                }
            ],
        )
        for child in CHILD_TABLES:
            rows = _rows(child, snapshot_id, getattr(snapshot, child.attribute))
            if rows:
                conn.execute(child.table.insert(), rows)


def _insert_plan(dialect: str) -> Any:
    """INSERT … ON CONFLICT DO NOTHING: a plan's content is stored once, by its hash."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(t.plans).on_conflict_do_nothing(index_elements=["hash"])
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(t.plans).on_conflict_do_nothing(index_elements=["hash"])


def _head(conn: Connection) -> tuple[int, str] | None:
    row = conn.execute(select(_S.c.id, _S.c.checksum).order_by(_S.c.id.desc()).limit(1)).first()
    return (int(row[0]), str(row[1])) if row else None


def _rows_of(conn: Connection, child: _Child, ids: list[int]) -> dict[int, list[Row[Any]]]:
    """The rows of ``child`` of the snapshots ``ids``, by snapshot, in position order."""
    table = child.table
    columns = [table.c.snapshot_id, *(table.c[c] for c, _ in child.columns)]
    query = (
        select(*columns)
        .where(table.c.snapshot_id.in_(ids))
        .order_by(table.c.snapshot_id, table.c.position)
    )
    grouped: dict[int, list[Row[Any]]] = defaultdict(list)
    for row in conn.execute(query):
        grouped[int(row[0])].append(row)
    return grouped


def _decoded(child: _Child, row: Row[Any]) -> Any:
    """One record from a row of ``_rows_of`` (ValueError/TypeError when a value was tampered)."""
    values = list(row[1:])
    for index, (_, field) in enumerate(child.columns):
        decode = _DECODE.get(field)
        if decode is not None:
            values[index] = decode(values[index])
    return child.cls(
        **{field: value for (_, field), value in zip(child.columns, values, strict=True)}
    )


def _void_row(void: Void) -> dict[str, Any]:
    return {c.name: getattr(void, c.name) for c in t.voids.c}


def _void(row: Sequence[Any]) -> Void:
    vid, snapshot_id, by, reason, created, previous, checksum = row
    return Void(int(snapshot_id), by, reason, created, previous, checksum, int(vid))


def _info(row: Row[Any], with_void: bool) -> SnapshotInfo:
    (sid, plan_id, title, plan_hash, period, as_of, version, created, note, previous, checksum,
     count) = row[:12]  # fmt: skip
    void = _void(row[12:]) if with_void and row[12] is not None else None
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
        id=int(sid),
        indicator_count=count,
        void=void,
    )
