"""Rounds and returns in the archive's SQLite file (the "rounds" component, rounds/schema.py)."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from reportgen.archive import Archive, archive_path
from reportgen.archive.guard import BUSY_TIMEOUT_S, archive_error
from reportgen.errors import ArchiveError, Problem
from reportgen.plan import Plan
from reportgen.rounds.model import Finding, Return, Round
from reportgen.rounds.schema import BOOKKEEPING, COMPONENT, STEPS, VERSION

_ROUND_COLUMNS = (
    "id, plan_id, plan_title, plan_hash, period, weekly, opened, deadline, deadline_text, "
    "departments, created_at"
)
_RETURN_COLUMNS = (
    "id, round_id, department, file_name, path, sha256, size, received_at, filler, phone, problems"
)


class SqliteRounds:
    """The round repository in the archive database (created or upgraded on open)."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = archive_path(path)
        Archive.open(self.path).close()  # creates the file or upgrades the archive, checked
        try:
            self._conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
            self._conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as exc:
            raise archive_error(self.path, exc) from exc
        try:
            self._migrate()
        except BaseException:
            self._conn.close()
            raise

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> SqliteRounds:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def add_round(self, round_: Round, plan: Plan) -> Round:
        """Store a new round and its plan's content; return it with its id."""
        created = datetime.now().astimezone().isoformat(timespec="seconds")
        with self._transaction():
            self._conn.execute(
                "INSERT OR IGNORE INTO plans (hash, plan_id, content) VALUES (?, ?, ?)",
                (plan.content_hash, plan.id, plan.canonical_json),
            )
            cursor = self._conn.execute(
                f"INSERT INTO rounds ({_ROUND_COLUMNS}) VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    round_.plan_id,
                    round_.plan_title,
                    round_.plan_hash,
                    round_.period,
                    int(round_.weekly),
                    round_.opened.isoformat(),
                    round_.deadline.isoformat(),
                    round_.deadline_text,
                    json.dumps(list(round_.departments), ensure_ascii=False),
                    created,
                ),
            )
        return self._round_by_id(_row_id(cursor))

    def find_round(self, plan_id: str, period: str) -> Round | None:
        """The round of a plan and period, if one was opened."""
        rows = self._query(
            f"SELECT {_ROUND_COLUMNS} FROM rounds WHERE plan_id = ? AND period = ?",
            (plan_id, period),
        )
        return _round(rows[0]) if rows else None

    def rounds(self, plan_id: str | None = None) -> list[Round]:
        """Every round opened, oldest first, optionally of one plan."""
        where, params = ("WHERE plan_id = ?", (plan_id,)) if plan_id else ("", ())
        rows = self._query(f"SELECT {_ROUND_COLUMNS} FROM rounds {where} ORDER BY id", params)
        return [_round(row) for row in rows]

    def plan_of(self, round_: Round) -> Plan:
        """The plan exactly as it was when the round was opened."""
        (content,) = self._query("SELECT content FROM plans WHERE hash = ?", (round_.plan_hash,))[0]
        return Plan.model_validate(json.loads(content))

    def add_return(self, record: Return) -> Return:
        """Store a received return; return it with its id."""
        problems = {
            "errors": [[f.where, f.message] for f in record.errors],
            "warnings": [[f.where, f.message] for f in record.warnings],
        }
        with self._transaction():
            cursor = self._conn.execute(
                "INSERT INTO round_returns (round_id, department, file_name, path, sha256, size, "
                "received_at, filler, phone, error_count, warning_count, problems) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    record.round_id,
                    record.department,
                    record.file_name,
                    record.path,
                    record.sha256,
                    record.size,
                    record.received_at.isoformat(timespec="seconds"),
                    record.filler,
                    record.phone,
                    len(record.errors),
                    len(record.warnings),
                    json.dumps(problems, ensure_ascii=False),
                ),
            )
        return self._returns("WHERE id = ?", (_row_id(cursor),))[0]

    def returns(self, round_id: int) -> list[Return]:
        """Every return of a round in the order received."""
        return self._returns("WHERE round_id = ? ORDER BY id", (round_id,))

    # -- internals ---------------------------------------------------------------------------

    def _migrate(self) -> None:
        """Bring the rounds tables to VERSION in one transaction; refuse a newer database."""
        with self._transaction():
            self._conn.execute(BOOKKEEPING)
            row = self._conn.execute(
                "SELECT version FROM schema_migrations WHERE component = ?", (COMPONENT,)
            ).fetchone()
            found = row[0] if row else 0
            if found > VERSION:
                raise ArchiveError(
                    Problem(
                        str(self.path),
                        f"归档文件中填报轮次的结构版本为 {found}，由更新版本的 reportgen 创建"
                        f"（本程序支持到版本 {VERSION}），未做任何修改。请升级 reportgen 后再使用。",
                    )
                )
            for step in STEPS[found:]:
                for statement in step:
                    self._conn.execute(statement)
            if found < VERSION:
                self._conn.execute(
                    "DELETE FROM schema_migrations WHERE component = ?", (COMPONENT,)
                )
                self._conn.execute(
                    "INSERT INTO schema_migrations (component, version) VALUES (?, ?)",
                    (COMPONENT, VERSION),
                )

    def _round_by_id(self, round_id: int) -> Round:
        rows = self._query(f"SELECT {_ROUND_COLUMNS} FROM rounds WHERE id = ?", (round_id,))
        return _round(rows[0])

    def _returns(self, where: str, params: tuple[Any, ...]) -> list[Return]:
        rows = self._query(f"SELECT {_RETURN_COLUMNS} FROM round_returns {where}", params)
        return [_return(row) for row in rows]

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        try:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise archive_error(self.path, exc) from exc

    def _query(self, sql: str, params: tuple[Any, ...]) -> list[Any]:
        try:
            return self._conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise archive_error(self.path, exc) from exc


def _row_id(cursor: sqlite3.Cursor) -> int:
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def _round(row: tuple[Any, ...]) -> Round:
    (rid, plan_id, title, plan_hash, period, weekly, opened, deadline, deadline_text,
     departments, created) = row  # fmt: skip
    return Round(
        plan_id=plan_id,
        plan_title=title,
        plan_hash=plan_hash,
        period=period,
        opened=date.fromisoformat(opened),
        deadline=date.fromisoformat(deadline),
        deadline_text=deadline_text,
        departments=tuple(json.loads(departments)),
        weekly=bool(weekly),
        created_at=created,
        id=rid,
    )


def _return(row: tuple[Any, ...]) -> Return:
    (rid, round_id, department, file_name, path, sha256, size, received, filler, phone,
     problems) = row  # fmt: skip
    found = json.loads(problems)
    return Return(
        round_id=round_id,
        department=department,
        file_name=file_name,
        path=path,
        sha256=sha256,
        size=size,
        received_at=datetime.fromisoformat(received),
        filler=filler,
        phone=phone,
        errors=tuple(Finding(w, m) for w, m in found["errors"]),
        warnings=tuple(Finding(w, m) for w, m in found["warnings"]),
        id=rid,
    )
