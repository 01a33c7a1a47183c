"""Schema migrations: a first-release archive upgrades once and verifies; tables match the code."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, event, inspect

from reportgen.archive import Archive
from reportgen.archive.db import Database
from reportgen.archive.migrate import Component, Step
from reportgen.archive.schema import ARCHIVE, SCHEMA_VERSION, metadata
from reportgen.archive.store import SnapshotStore
from reportgen.errors import ArchiveError
from tests.support.archive_builders import add, make_plan
from tests.support.postgres import is_postgres


def _first_release_archive(path: Path) -> list[str]:
    """An archive exactly as the first release wrote it (schema version 1, no bookkeeping
    table); the checksums of its snapshots."""
    conn = sqlite3.connect(path)
    for statement in ARCHIVE.steps[0].sqlite:
        conn.execute(statement)
    conn.execute("UPDATE schema_version SET version = 1")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.commit()
    conn.close()
    with Database.open(path, readonly=False, components=()) as db:
        store = SnapshotStore(db)
        archive = Archive(store)
        plan = make_plan()
        for key in ("2024-Q1", "2024-Q2", "2024-Q2"):
            add(archive, plan, key, {"I1": 10, "I2": 50.0, "I3": None})
        return [i.checksum for i in archive.snapshots()]


@contextmanager
def _ddl_statements() -> Iterator[list[str]]:
    seen: list[str] = []

    def record(conn: object, cursor: object, statement: str, *args: object) -> None:
        if statement.lstrip().upper().startswith(("CREATE", "ALTER", "DROP")):
            seen.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", record)


def test_first_release_archive_reads_then_upgrades_once_and_verifies(tmp_path: Path) -> None:
    path = tmp_path / "archive.sqlite"
    checksums = _first_release_archive(path)
    with Archive.open(path, readonly=True) as archive:  # read-only: read as it is, not upgraded
        assert [i.checksum for i in archive.snapshots()] == checksums and archive.verify() == []
        assert archive.get("demo-plan", "2024-Q2").info.version == 2
    with _ddl_statements() as ddl, Archive.open(path) as archive:
        assert [s.split("(")[0].strip() for s in ddl][:2] == [
            "CREATE TABLE IF NOT EXISTS schema_migrations",
            "CREATE TABLE voids",
        ]
        assert archive.verify() == [] and [i.checksum for i in archive.snapshots()] == checksums
        assert add(archive, make_plan(), "2024-Q2", {"I1": 1}).version == 3
    with _ddl_statements() as ddl, Archive.open(path) as archive:
        assert ddl == [] and archive.verify() == []
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]
    conn.close()


def test_tables_match_the_queries_model(target: str) -> None:
    """Every column the Core model names exists in the migrated database, on both backends."""
    Archive.open(target).close()
    url = target if is_postgres(target) else f"sqlite:///{target}"
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        found = inspect(engine)
        for table in metadata.sorted_tables:
            columns = [c["name"] for c in found.get_columns(table.name)]
            assert columns == [c.name for c in table.columns], table.name
    finally:
        engine.dispose()


NOTES = Component(
    "notes",
    (
        Step(
            sqlite=("CREATE TABLE notes (snapshot_id INTEGER REFERENCES snapshots(id), body TEXT)",),
            postgresql=("CREATE TABLE notes (snapshot_id BIGINT REFERENCES snapshots(id), body TEXT)",),
        ),
    ),
    requires=(ARCHIVE,),
)  # fmt: skip


def test_another_component_adds_its_tables_after_those_it_requires(target: str) -> None:
    with Database.open(target, readonly=False, components=(NOTES,)) as db, db.read() as conn:
        assert {"snapshots", "notes"} <= set(inspect(conn).get_table_names())
    with Database.open(target, readonly=False, components=(NOTES,)):
        pass  # current: nothing to do
    with pytest.raises(ArchiveError, match="“notes”部分的结构版本为 1"):
        Database.open(target, readonly=True, components=(Component("notes", ()),))


def test_importing_the_archive_loads_neither_sqlalchemy_nor_alembic() -> None:
    code = (
        "import sys, reportgen.archive, reportgen.compare; "
        "print(sorted(m for m in ('sqlalchemy', 'alembic', 'psycopg') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
