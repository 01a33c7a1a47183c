"""Opening a round: who is asked, by when, and one template per department.

Each department's template holds only what it reports (plan.units): the indicators it leads
(in a weekly round only those the plan marks weekly) and the tasks it leads or cooperates on,
with last period's archived value beside each input.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reportgen import fmt
from reportgen.archive import Archive
from reportgen.intake.layout import RoundSheet, indicators_for, tasks_for
from reportgen.periods import Period
from reportgen.plan import Plan
from reportgen.plan.units import (
    coordinating_department,
    expand_units,
    is_placeholder,
    reporting_units,
    unassigned,
    unresolved_groups,
)
from reportgen.rounds.model import Round, RoundError
from reportgen.rounds.repository import RoundRepository
from reportgen.rounds.workdays import Deadline, parse_deadline


@dataclass(frozen=True)
class OpenedRound:
    """A stored round, the template written for each department, and what to double-check."""

    round: Round
    templates: dict[str, Path]
    warnings: tuple[str, ...]


def asked_departments(plan: Plan, weekly: bool, chosen: list[str] | None = None) -> list[str]:
    """The departments a round asks: ``chosen`` (checked), else every unit with something to report."""
    known = [d for d in reporting_units(plan) if _has_items(plan, d, weekly)]
    if not chosen:
        return known
    asked = expand_units(plan, chosen)
    refused = [d for d in chosen if is_placeholder(d)]
    unknown = [d for d in asked if d not in known]
    listed = f"本轮可以填报的单位：{'、'.join(known) or '（无）'}。"
    if refused:
        raise RoundError(f"“{'、'.join(refused)}”不是具体单位，不能作为填报单位。{listed}")
    if unknown:
        raise RoundError(f"单位“{'、'.join(unknown)}”在本轮没有需要填报的指标或任务。{listed}")
    if not asked:
        raise RoundError(f"没有指定任何具体的填报单位。{listed}")
    return asked


def _has_items(plan: Plan, department: str, weekly: bool) -> bool:
    return bool(indicators_for(plan, department, weekly) or tasks_for(plan, department))


def previous_values(archive: Archive | None, plan: Plan, period: Period) -> dict[str, float | None]:
    """Last period's archived value of each indicator (empty without an archived last period)."""
    snapshot = archive.previous(plan.id, period) if archive else None
    if snapshot is None:
        return {}
    return {record.indicator_id: record.value for record in snapshot.values}


def plan_warnings(plan: Plan) -> list[str]:
    """What the office should know about the plan's departments before sending templates."""
    warnings = [
        f"方案中的“{g}”没有列出成员单位（members），本轮不向其收集；请在方案中补充成员名单。"
        for g in unresolved_groups(plan)
    ]
    fallback = coordinating_department(plan)
    ids = unassigned(plan)
    if ids and fallback:
        warnings.append(
            f"{'、'.join(ids)} 未写明具体牵头单位（或只写了“有关部门”），由{fallback}填报。"
        )
    return warnings


def open_round(
    repo: RoundRepository,
    plan: Plan,
    period: Period,
    deadline_text: str,
    out_dir: Path,
    *,
    departments: list[str] | None = None,
    previous: dict[str, float | None] | None = None,
    today: date | None = None,
) -> OpenedRound:
    """Check, write every department's template into ``out_dir``, then store the round."""
    opened = today or date.today()
    existing = repo.find_round(plan.id, period.key)
    if existing is not None:
        raise RoundError(
            f"方案“{plan.id}”{period.label}的填报已于{fmt.date_cn(existing.opened)}发起"
            f"（截止{fmt.date_cn(existing.deadline)}）。"
            "用 reportgen round status 查看进度，用 reportgen round collect 收取回执。"
        )
    weekly = period.kind == "week"
    deadline = parse_deadline(deadline_text, opened)
    asked = asked_departments(plan, weekly, departments)
    sheet = RoundSheet(
        deadline=deadline.label,
        previous_period=period.previous().label,
        previous=previous or {},
        weekly=weekly,
    )
    templates = _write_templates(plan, period, deadline, asked, sheet, out_dir)
    stored = repo.add_round(
        Round(
            plan_id=plan.id,
            plan_title=plan.title,
            plan_hash=plan.content_hash,
            period=period.key,
            opened=opened,
            deadline=deadline.day,
            deadline_text=deadline_text.strip(),
            departments=tuple(asked),
            weekly=weekly,
        ),
        plan,
    )
    warnings = [*deadline.warnings, *plan_warnings(plan)]
    if not previous:
        warnings.append(f"归档中没有{sheet.previous_period}的数据，“上期值”一列为空。")
    return OpenedRound(stored, templates, tuple(warnings))


def _write_templates(
    plan: Plan,
    period: Period,
    deadline: Deadline,
    departments: list[str],
    sheet: RoundSheet,
    out_dir: Path,
) -> dict[str, Path]:
    from reportgen.intake.template import write_template  # openpyxl is slow to import

    written = {}
    for department in departments:
        name = department.replace("/", "_").replace("\\", "_")
        out = out_dir / f"填报_{name}.xlsx"
        written[department] = write_template(
            plan, period, out, department, deadline.day, round_sheet=sheet
        )
    return written
