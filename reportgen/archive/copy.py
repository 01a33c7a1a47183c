"""Moving a whole archive between backends (SQLite ⇄ PostgreSQL), row for row, then verified.

Rows are copied as stored — ids, versions, timestamps and checksums unchanged — in one write
transaction on the destination, which must hold no snapshots yet. The copy is then verified in
full and its chain compared with the source's, snapshot by snapshot.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, func, select

from reportgen.archive import guard
from reportgen.archive import schema as t
from reportgen.archive.db import queue_writers
from reportgen.archive.location import Location, locate
from reportgen.archive.store import CHAIN_LOCK, SnapshotStore
from reportgen.archive.verify import verify_store
from reportgen.errors import ArchiveError, Problem

BATCH_ROWS = 2000


@dataclass(frozen=True)
class CopyReport:
    """What was copied: snapshot and void counts, and the chain head both sides now share."""

    snapshots: int
    voids: int
    head: str | None


def copy_archive(source: str | Path | None, destination: str | Path) -> CopyReport:
    """Copy every row of ``source`` into the empty archive ``destination`` and verify it."""
    if _same(locate(source), locate(destination)):
        raise ArchiveError(
            Problem(locate(destination).display, "源归档和目标归档是同一个，未做任何修改。")
        )
    src = SnapshotStore.open(source, readonly=True)
    try:
        dst = SnapshotStore.open(destination, readonly=False)
        try:
            return _copy(src, dst)
        finally:
            dst.close()
    finally:
        src.close()


def _copy(src: SnapshotStore, dst: SnapshotStore) -> CopyReport:
    here = dst.db.location.display
    tables = [table for table in t.ALL_TABLES if table is not t.voids or src.has_voids]

    def work(conn: Connection) -> None:
        queue_writers(conn, CHAIN_LOCK)
        for table in t.ALL_TABLES:
            if conn.execute(select(func.count()).select_from(table)).scalar_one():
                raise guard.problem(here, "not_empty")
        with src.db.read() as reader:
            for table in tables:
                _copy_table(reader, conn, table)

    dst.db.write(work)
    problems = verify_store(dst, here, [])
    problems += _compare(src, dst, here)
    if problems:
        raise ArchiveError(
            [
                Problem(here, "复制后的校验未通过（目标归档已写入，请勿使用，删除后重新复制）："),
                *problems,
            ]
        )
    head = dst.head()
    return CopyReport(
        len(dst.snapshots()), len(dst.voids()), f"{head[0]}:{head[1]}" if head else None
    )


def _copy_table(reader: Connection, writer: Connection, table: Table) -> None:
    key = [c for c in table.primary_key.columns] or list(table.columns)[:1]
    rows = reader.execution_options(yield_per=BATCH_ROWS).execute(select(table).order_by(*key))
    for batch in rows.partitions():
        chunk: list[dict[str, Any]] = [dict(row._mapping) for row in batch]
        writer.execute(table.insert(), chunk)


def _compare(src: SnapshotStore, dst: SnapshotStore, here: str) -> list[Problem]:
    def chain(store: SnapshotStore) -> list[tuple[int, str, str]]:
        return [(i.id, i.previous_checksum, i.checksum) for i in store.snapshots()]

    voids_match = [v.checksum for v in src.voids()] == [v.checksum for v in dst.voids()]
    if chain(src) == chain(dst) and voids_match:
        return []
    return [Problem(here, "目标归档的快照或作废记录与源归档不一致。")]


def _same(a: Location, b: Location) -> bool:
    if a.path is not None and b.path is not None:
        return a.path.resolve() == b.path.resolve()
    return a.url == b.url
