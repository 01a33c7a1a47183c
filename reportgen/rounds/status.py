"""Where each department stands: 已报送 / 有错误 / 未报送 / 逾期, counted in working days."""

from __future__ import annotations

from datetime import date
from typing import Any

from reportgen.rounds.model import DepartmentStatus, Return, Round, RoundStatus
from reportgen.rounds.repository import RoundRepository
from reportgen.rounds.workdays import calendar_warning, weekday_date, workdays_between


def round_status(repo: RoundRepository, round_: Round, today: date | None = None) -> RoundStatus:
    """Every asked department's status on ``today``; the latest return of each one counts."""
    assert round_.id is not None
    day = today or date.today()
    by_department: dict[str, list[Return]] = {}
    for record in repo.returns(round_.id):
        by_department.setdefault(record.department, []).append(record)
    departments = tuple(
        department_status(round_, d, by_department.get(d, []), day) for d in round_.departments
    )
    warning = calendar_warning(round_.deadline, day)
    return RoundStatus(round_, day, departments, (warning,) if warning else ())


def department_status(
    round_: Round, department: str, returns: list[Return], today: date
) -> DepartmentStatus:
    """One department's status from its returns in the order received."""
    if not returns:
        overdue = workdays_between(round_.deadline, today)
        past = today > round_.deadline
        return DepartmentStatus(
            department, "逾期" if past else "未报送", None, late=past, overdue_workdays=overdue
        )
    latest = returns[-1]
    late = latest.received_at.date() > round_.deadline
    return DepartmentStatus(
        department,
        "已报送" if latest.ok else "有错误",
        latest,
        superseded=tuple(returns[:-1]),
        late=late,
    )


def status_json(status: RoundStatus) -> dict[str, Any]:
    """The `reportgen round status --json` structure."""
    round_ = status.round
    return {
        "plan_id": round_.plan_id,
        "period": round_.period,
        "deadline": round_.deadline.isoformat(),
        "deadline_label": weekday_date(round_.deadline),
        "today": status.today.isoformat(),
        "counts": status.counts(),
        "departments": [_department_json(d) for d in status.departments],
        "to_chase": [d.department for d in status.to_chase()],
        "warnings": list(status.warnings),
    }


def _department_json(entry: DepartmentStatus) -> dict[str, Any]:
    latest = entry.latest
    return {
        "department": entry.department,
        "status": entry.status,
        "late": entry.late,
        "overdue_workdays": entry.overdue_workdays,
        "latest": _return_json(latest) if latest else None,
        "superseded": [_return_json(r) for r in entry.superseded],
    }


def _return_json(record: Return) -> dict[str, Any]:
    return {
        "file": record.file_name,
        "path": record.path,
        "received_at": record.received_at.isoformat(timespec="seconds"),
        "sha256": record.sha256,
        "filler": record.filler,
        "phone": record.phone,
        "errors": len(record.errors),
        "warnings": len(record.warnings),
    }
