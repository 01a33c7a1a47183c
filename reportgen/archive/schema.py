"""The archive's tables: their migrations (component ``archive``) and their SQLAlchemy Core form.

The SQLite statements of step 1 are those of the first release, verbatim, so files it wrote
open unchanged. PostgreSQL gets the same tables from the same text with its own types
(``_postgres``): DOUBLE PRECISION for REAL (SQLite's REAL is 8 bytes), BIGINT ids and sizes,
and append-only triggers written in PL/pgSQL. Every table is append-only on both backends.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import BigInteger, Column, Float, Integer, MetaData, Table, Text

from reportgen.archive.guard import APPEND_ONLY
from reportgen.archive.migrate import Component, Step

_CHILD_KEY = "snapshot_id INTEGER NOT NULL REFERENCES snapshots(id), position INTEGER NOT NULL"
_TABLES = (
    "plans",
    "snapshots",
    "source_files",
    "reported_values",
    "task_reports",
    "indicator_results",
    "task_results",
    "warnings",
)


def _append_only(table: str) -> tuple[str, ...]:
    """SQLite triggers refusing UPDATE and DELETE: snapshots are immutable."""
    return tuple(
        f"CREATE TRIGGER {table}_no_{action} BEFORE {action.upper()} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
        for action in ("update", "delete")
    )


_V1 = (
    "CREATE TABLE schema_version (version INTEGER NOT NULL)",
    "INSERT INTO schema_version (version) VALUES (0)",
    "CREATE TABLE plans (hash TEXT PRIMARY KEY, plan_id TEXT NOT NULL, content TEXT NOT NULL)",
    """CREATE TABLE snapshots (
        id INTEGER PRIMARY KEY,
        plan_id TEXT NOT NULL,
        plan_title TEXT NOT NULL,
        plan_hash TEXT NOT NULL REFERENCES plans(hash),
        period TEXT NOT NULL,
        as_of TEXT NOT NULL,
        version INTEGER NOT NULL CHECK (version >= 1),
        created_at TEXT NOT NULL,
        note TEXT,
        missing_departments TEXT NOT NULL,
        previous_checksum TEXT NOT NULL,
        checksum TEXT NOT NULL,
        UNIQUE (plan_id, period, version))""",
    f"""CREATE TABLE source_files ({_CHILD_KEY},
        name TEXT NOT NULL, sha256 TEXT NOT NULL, size INTEGER NOT NULL, department TEXT,
        PRIMARY KEY (snapshot_id, position)) WITHOUT ROWID""",
    f"""CREATE TABLE reported_values ({_CHILD_KEY},
        indicator_id TEXT NOT NULL, value REAL, source TEXT NOT NULL, as_of TEXT,
        remark TEXT NOT NULL, department TEXT,
        PRIMARY KEY (snapshot_id, position)) WITHOUT ROWID""",
    f"""CREATE TABLE task_reports ({_CHILD_KEY},
        task_id TEXT NOT NULL, source TEXT NOT NULL, department TEXT, status TEXT,
        progress TEXT NOT NULL, problems TEXT NOT NULL, next_steps TEXT NOT NULL,
        PRIMARY KEY (snapshot_id, position)) WITHOUT ROWID""",
    f"""CREATE TABLE indicator_results ({_CHILD_KEY},
        indicator_id TEXT NOT NULL, name TEXT NOT NULL, category TEXT, unit TEXT NOT NULL,
        attribute TEXT NOT NULL, method TEXT NOT NULL, actual REAL, target REAL NOT NULL,
        target_year INTEGER NOT NULL, expected REAL NOT NULL, completion REAL,
        time_progress REAL NOT NULL, gap_pp REAL, status TEXT NOT NULL,
        binding_alert INTEGER NOT NULL, final_target REAL NOT NULL, final_completion REAL,
        projected_final REAL, at_risk INTEGER, source TEXT,
        PRIMARY KEY (snapshot_id, position)) WITHOUT ROWID""",
    f"""CREATE TABLE task_results ({_CHILD_KEY},
        task_id TEXT NOT NULL, title TEXT NOT NULL, lead TEXT NOT NULL, status TEXT,
        progress TEXT NOT NULL, problems TEXT NOT NULL, next_steps TEXT NOT NULL,
        PRIMARY KEY (snapshot_id, position)) WITHOUT ROWID""",
    f"""CREATE TABLE warnings ({_CHILD_KEY},
        location TEXT NOT NULL, message TEXT NOT NULL,
        PRIMARY KEY (snapshot_id, position)) WITHOUT ROWID""",
)

# A void marks a snapshot as withdrawn (who, why, when); voids form their own checksum chain.
_V2 = (
    """CREATE TABLE voids (
        id INTEGER PRIMARY KEY,
        snapshot_id INTEGER NOT NULL UNIQUE REFERENCES snapshots(id),
        voided_by TEXT NOT NULL,
        reason TEXT NOT NULL,
        created_at TEXT NOT NULL,
        previous_checksum TEXT NOT NULL,
        checksum TEXT NOT NULL)""",
)

PG_APPEND_ONLY_FUNCTION = (
    "CREATE OR REPLACE FUNCTION reportgen_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    f"$$ BEGIN RAISE EXCEPTION '{APPEND_ONLY}' USING ERRCODE = 'P0001'; END $$"
)


def _pg_append_only(table: str) -> tuple[str, ...]:
    """PostgreSQL triggers refusing UPDATE, DELETE (per row) and TRUNCATE."""
    return (
        f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION reportgen_append_only()",
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION reportgen_append_only()",
    )


_PG_TYPES = (
    (r"\bREAL\b", "DOUBLE PRECISION"),
    (r"\bid INTEGER PRIMARY KEY", "id BIGINT PRIMARY KEY"),
    (r"\bsnapshot_id INTEGER\b", "snapshot_id BIGINT"),
    (r"\bsize INTEGER\b", "size BIGINT"),
    (r"\) WITHOUT ROWID$", ")"),
)


def _postgres(statement: str) -> str:
    """A SQLite statement of this module in PostgreSQL's types."""
    for pattern, replacement in _PG_TYPES:
        statement = re.sub(pattern, replacement, statement)
    return statement


def _step(statements: tuple[str, ...], tables: tuple[str, ...], first: bool = False) -> Step:
    return Step(
        sqlite=statements + tuple(t for table in tables for t in _append_only(table)),
        postgresql=(
            *map(_postgres, statements),
            *((PG_APPEND_ONLY_FUNCTION,) if first else ()),
            *(t for table in tables for t in _pg_append_only(table)),
        ),
    )


ARCHIVE = Component("archive", (_step(_V1, _TABLES, first=True), _step(_V2, ("voids",))))
SCHEMA_VERSION = ARCHIVE.version
VOIDS_VERSION = 2  # the first schema version with the voids table

# -- the same tables for SQLAlchemy Core queries (tests check they match the migrations) -------

metadata = MetaData()


def _child(name: str, *columns: Column[Any]) -> Table:
    return Table(
        name,
        metadata,
        Column("snapshot_id", BigInteger, primary_key=True),
        Column("position", Integer, primary_key=True),
        *columns,
    )


def _text(*names: str) -> list[Column[Any]]:
    return [Column(n, Text) for n in names]


def _real(*names: str) -> list[Column[Any]]:
    return [Column(n, Float) for n in names]


plans = Table("plans", metadata, *_text("hash", "plan_id", "content"))
snapshots = Table(
    "snapshots",
    metadata,
    Column("id", BigInteger, primary_key=True),
    *_text("plan_id", "plan_title", "plan_hash", "period", "as_of"),
    Column("version", Integer),
    *_text("created_at", "note", "missing_departments", "previous_checksum", "checksum"),
)
source_files = _child(
    "source_files", *_text("name", "sha256"), Column("size", BigInteger), *_text("department")
)
reported_values = _child(
    "reported_values",
    *_text("indicator_id"),
    *_real("value"),
    *_text("source", "as_of", "remark", "department"),
)
task_reports = _child(
    "task_reports",
    *_text("task_id", "source", "department", "status", "progress", "problems", "next_steps"),
)
indicator_results = _child(
    "indicator_results",
    *_text("indicator_id", "name", "category", "unit", "attribute", "method"),
    *_real("actual", "target"),
    Column("target_year", Integer),
    *_real("expected", "completion", "time_progress", "gap_pp"),
    *_text("status"),
    Column("binding_alert", Integer),
    *_real("final_target", "final_completion", "projected_final"),
    Column("at_risk", Integer),
    *_text("source"),
)
task_results = _child(
    "task_results",
    *_text("task_id", "title", "lead", "status", "progress", "problems", "next_steps"),
)
warnings = _child("warnings", *_text("location", "message"))
voids = Table(
    "voids",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("snapshot_id", BigInteger),
    *_text("voided_by", "reason", "created_at", "previous_checksum", "checksum"),
)
# In the order a copy must insert them (parents first).
ALL_TABLES = (plans, snapshots, source_files, reported_values, task_reports, indicator_results,
              task_results, warnings, voids)  # fmt: skip
