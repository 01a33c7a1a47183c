"""A 填报 round (plan + period + deadline + departments asked) and the returns it receives."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from reportgen.errors import ReportgenError

Status = Literal["已报送", "有错误", "未报送", "逾期"]
STATUSES: tuple[Status, ...] = ("已报送", "有错误", "未报送", "逾期")


class RoundError(ReportgenError):
    """A round that cannot be opened, found or collected into."""


@dataclass(frozen=True)
class Round:
    """One collection: who is asked for which plan and period, and by when."""

    plan_id: str
    plan_title: str
    plan_hash: str
    period: str  # period key: 2024-Q2, 2024-W27 …
    opened: date
    deadline: date
    deadline_text: str  # as given: '2024-07-05' or '5个工作日'
    departments: tuple[str, ...]
    weekly: bool = False
    created_at: str = ""
    id: int | None = None

    @property
    def where(self) -> str:
        """'zhoushan-2023-metrology 2024-Q2' (for messages)."""
        return f"{self.plan_id} {self.period}"


@dataclass(frozen=True)
class Finding:
    """An error or warning found in a return, with its place ('指标填报!I7')."""

    where: str
    message: str


@dataclass(frozen=True)
class Return:
    """One workbook received from a department (never changed; a later one supersedes it)."""

    round_id: int
    department: str
    file_name: str
    path: str
    sha256: str
    size: int
    received_at: datetime
    filler: str | None
    phone: str | None
    errors: tuple[Finding, ...] = ()
    warnings: tuple[Finding, ...] = ()
    id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class DepartmentStatus:
    """Where one department stands in a round."""

    department: str
    status: Status
    latest: Return | None  # the return that counts (the latest)
    superseded: tuple[Return, ...] = ()  # earlier returns, oldest first
    late: bool = False  # returned (or still missing) after the deadline
    overdue_workdays: int = 0  # working days past the deadline, for 逾期

    @property
    def to_chase(self) -> bool:
        return self.status != "已报送"


@dataclass(frozen=True)
class RoundStatus:
    """Every department's status on ``today``, with counts and the list to chase."""

    round: Round
    today: date
    departments: tuple[DepartmentStatus, ...]
    warnings: tuple[str, ...] = field(default=())

    def counts(self) -> dict[Status, int]:
        return {s: sum(d.status == s for d in self.departments) for s in STATUSES}

    def to_chase(self) -> list[DepartmentStatus]:
        return [d for d in self.departments if d.to_chase]
