"""The rounds' tables in the archive database: component ``rounds`` and its SQLAlchemy Core form.

Migrated by the archive's per-component mechanism (reportgen.archive.migrate, docs/archive.md):
released steps are never edited, a change is a new step. Both tables are append-only on both
backends; a later return supersedes an earlier one by being later, never by an update.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Column, Integer, MetaData, Table, Text

from reportgen.archive.migrate import Component, Step
from reportgen.archive.schema import ARCHIVE
from reportgen.archive.schema import _append_only as sqlite_append_only  # as docs/archive.md says
from reportgen.archive.schema import _pg_append_only as pg_append_only

_ROUNDS = """CREATE TABLE rounds (
    id {id} PRIMARY KEY,
    plan_id TEXT NOT NULL,
    plan_title TEXT NOT NULL,
    plan_hash TEXT NOT NULL REFERENCES plans(hash),
    period TEXT NOT NULL,
    weekly INTEGER NOT NULL,
    opened TEXT NOT NULL,
    deadline TEXT NOT NULL,
    deadline_text TEXT NOT NULL,
    departments TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (plan_id, period))"""
_RETURNS = """CREATE TABLE round_returns (
    id {id} PRIMARY KEY,
    round_id {id} NOT NULL REFERENCES rounds(id),
    department TEXT NOT NULL,
    file_name TEXT NOT NULL,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size {id} NOT NULL,
    received_at TEXT NOT NULL,
    filler TEXT,
    phone TEXT,
    error_count INTEGER NOT NULL,
    warning_count INTEGER NOT NULL,
    problems TEXT NOT NULL)"""
_INDEX = "CREATE INDEX round_returns_by_round ON round_returns (round_id, department, id)"
_TABLES = ("rounds", "round_returns")


def _statements(id_type: str) -> tuple[str, ...]:
    return (_ROUNDS.format(id=id_type), _RETURNS.format(id=id_type), _INDEX)


ROUNDS = Component(
    "rounds",
    (
        Step(
            sqlite=(*_statements("INTEGER"), *(s for t in _TABLES for s in sqlite_append_only(t))),
            postgresql=(*_statements("BIGINT"), *(s for t in _TABLES for s in pg_append_only(t))),
        ),
    ),
    requires=(ARCHIVE,),
)  # fmt: skip

# -- the same tables for SQLAlchemy Core queries (tests check they match the migrations) -------

metadata = MetaData()


def _text(*names: str) -> list[Column[Any]]:
    return [Column(n, Text) for n in names]


rounds = Table(
    "rounds",
    metadata,
    Column("id", BigInteger, primary_key=True),
    *_text("plan_id", "plan_title", "plan_hash", "period"),
    Column("weekly", Integer),
    *_text("opened", "deadline", "deadline_text", "departments", "created_at"),
)
round_returns = Table(
    "round_returns",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("round_id", BigInteger),
    *_text("department", "file_name", "path", "sha256"),
    Column("size", BigInteger),
    *_text("received_at", "filler", "phone"),
    Column("error_count", Integer),
    Column("warning_count", Integer),
    *_text("problems"),
)
