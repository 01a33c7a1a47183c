"""Rounds and returns in the archive database (SQLite file or PostgreSQL), via SQLAlchemy Core.

The "rounds" component (rounds/schema.py) is migrated when the database is opened for writing.
Ids are the next number under a unique key, inside the write transaction: a collision with a
concurrent writer makes ``Database.write`` run the work again (docs/archive.md).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, Row, func, select

from reportgen.archive import guard
from reportgen.archive.db import Database
from reportgen.archive.location import locate
from reportgen.archive.schema import plans
from reportgen.plan import Plan
from reportgen.rounds.model import Finding, Return, Round, RoundError
from reportgen.rounds.schema import ROUNDS, round_returns, rounds

_NO_ROUNDS = "还没有发起过填报轮次。请先用 reportgen round new 发起。"


class RoundStore:
    """The round repository in the archive database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @classmethod
    def open(cls, target: str | Path | None = None, *, readonly: bool = False) -> RoundStore:
        """Open the archive at ``target`` (default $REPORTGEN_ARCHIVE or outputs/archive.sqlite).

        Writable: the archive and rounds tables are created or upgraded. Read-only: an archive
        without rounds yet is a RoundError saying so.
        """
        location = locate(target)
        if readonly and location.path is not None and not location.path.exists():
            raise RoundError(_NO_ROUNDS)
        try:
            return cls(Database.open(target, readonly=readonly, components=(ROUNDS,)))
        except guard.Uninitialised:
            raise RoundError(_NO_ROUNDS) from None

    @property
    def location(self) -> str:
        """The archive file or database URL (password hidden), for messages."""
        return self.db.location.display

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> RoundStore:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def add_round(self, round_: Round, plan: Plan) -> Round:
        """Store a new round and its plan's content; return it with its id."""

        def work(conn: Connection) -> int:
            if _round_row(conn, round_.plan_id, round_.period) is not None:
                raise RoundError(f"方案“{round_.plan_id}”报告期 {round_.period} 的填报已发起。")
            known = select(plans.c.hash).where(plans.c.hash == plan.content_hash)
            if conn.execute(known).first() is None:
                row = {
                    "hash": plan.content_hash,
                    "plan_id": plan.id,
                    "content": plan.canonical_json,
                }
                conn.execute(plans.insert(), [row])
            new_id = _next_id(conn, rounds.c.id)
            conn.execute(rounds.insert(), [_round_values(round_, new_id)])
            return new_id

        return self._round_by_id(self.db.write(work))

    def find_round(self, plan_id: str, period: str) -> Round | None:
        """The round of a plan and period, if one was opened."""
        with self.db.read() as conn:
            row = _round_row(conn, plan_id, period)
        return _round(row) if row is not None else None

    def rounds(self, plan_id: str | None = None) -> list[Round]:
        """Every round opened, oldest first, optionally of one plan."""
        query = select(rounds).order_by(rounds.c.id)
        if plan_id:
            query = query.where(rounds.c.plan_id == plan_id)
        with self.db.read() as conn:
            return [_round(row) for row in conn.execute(query)]

    def plan_of(self, round_: Round) -> Plan:
        """The plan exactly as it was when the round was opened."""
        with self.db.read() as conn:
            content = conn.execute(
                select(plans.c.content).where(plans.c.hash == round_.plan_hash)
            ).scalar_one()
        return Plan.model_validate(json.loads(content))

    def add_return(self, record: Return) -> Return:
        """Store a received return; return it with its id."""

        def work(conn: Connection) -> int:
            new_id = _next_id(conn, round_returns.c.id)
            conn.execute(round_returns.insert(), [_return_values(record, new_id)])
            return new_id

        new_id = self.db.write(work)
        with self.db.read() as conn:
            row = conn.execute(select(round_returns).where(round_returns.c.id == new_id)).one()
        return _return(row)

    def returns(self, round_id: int) -> list[Return]:
        """Every return of a round in the order received."""
        query = (
            select(round_returns)
            .where(round_returns.c.round_id == round_id)
            .order_by(round_returns.c.id)
        )
        with self.db.read() as conn:
            return [_return(row) for row in conn.execute(query)]

    def _round_by_id(self, round_id: int) -> Round:
        with self.db.read() as conn:
            return _round(conn.execute(select(rounds).where(rounds.c.id == round_id)).one())


def _next_id(conn: Connection, column: Any) -> int:
    return int(conn.execute(select(func.coalesce(func.max(column), 0) + 1)).scalar_one())


def _round_row(conn: Connection, plan_id: str, period: str) -> Row[Any] | None:
    query = select(rounds).where(rounds.c.plan_id == plan_id, rounds.c.period == period)
    return conn.execute(query).first()


def _round_values(round_: Round, new_id: int) -> dict[str, Any]:
    return {
        "id": new_id,
        "plan_id": round_.plan_id,
        "plan_title": round_.plan_title,
        "plan_hash": round_.plan_hash,
        "period": round_.period,
        "weekly": int(round_.weekly),
        "opened": round_.opened.isoformat(),
        "deadline": round_.deadline.isoformat(),
        "deadline_text": round_.deadline_text,
        "departments": json.dumps(list(round_.departments), ensure_ascii=False),
        "created_at": datetime.now().astimezone().isoformat(timespec="seconds"),
    }


def _round(row: Row[Any]) -> Round:
    return Round(
        plan_id=row.plan_id,
        plan_title=row.plan_title,
        plan_hash=row.plan_hash,
        period=row.period,
        opened=date.fromisoformat(row.opened),
        deadline=date.fromisoformat(row.deadline),
        deadline_text=row.deadline_text,
        departments=tuple(json.loads(row.departments)),
        weekly=bool(row.weekly),
        created_at=row.created_at,
        id=int(row.id),
    )


def _return_values(record: Return, new_id: int) -> dict[str, Any]:
    problems = {
        "errors": [[f.where, f.message] for f in record.errors],
        "warnings": [[f.where, f.message] for f in record.warnings],
    }
    return {
        "id": new_id,
        "round_id": record.round_id,
        "department": record.department,
        "file_name": record.file_name,
        "path": record.path,
        "sha256": record.sha256,
        "size": record.size,
        "received_at": record.received_at.isoformat(timespec="seconds"),
        "filler": record.filler,
        "phone": record.phone,
        "error_count": len(record.errors),
        "warning_count": len(record.warnings),
        "problems": json.dumps(problems, ensure_ascii=False),
    }


def _return(row: Row[Any]) -> Return:
    found = json.loads(row.problems)
    return Return(
        round_id=int(row.round_id),
        department=row.department,
        file_name=row.file_name,
        path=row.path,
        sha256=row.sha256,
        size=int(row.size),
        received_at=datetime.fromisoformat(row.received_at),
        filler=row.filler,
        phone=row.phone,
        errors=tuple(Finding(w, m) for w, m in found["errors"]),
        warnings=tuple(Finding(w, m) for w, m in found["warnings"]),
        id=int(row.id),
    )
