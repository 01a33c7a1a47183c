"""Merging many departments' checked workbooks for one plan and period into one Dataset."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from reportgen import fmt
from reportgen.intake.result import FileResult, Issue
from reportgen.periods import Period
from reportgen.plan import Plan
from reportgen.records import CellRef, DataProblem, Dataset, TaskRecord, ValueRecord


@dataclass(frozen=True)
class Merged:
    """The merged Dataset, and the conflicts found, as errors of the file (by path) they are in.

    The per-file results merged are left as they were; ``with_conflicts`` gives them with
    these errors added.
    """

    dataset: Dataset
    conflicts: dict[Path, list[Issue]] = field(default_factory=dict)

    def with_conflicts(self, results: Sequence[FileResult]) -> list[FileResult]:
        """``results`` (new objects where errors were added)."""
        return [
            replace(r, errors=[*r.errors, *self.conflicts[r.path]])
            if r.path in self.conflicts
            else r
            for r in results
        ]


def merge(plan: Plan, period: Period, results: Sequence[FileResult]) -> Merged:
    """One Dataset from ``results`` (in order); conflicting values become errors of the later file.

    A value beats a blank; the same value from two files is fine. Every department the plan names
    as a lead that sent no file is listed in ``missing_departments``.
    """
    chosen: dict[str, tuple[ValueRecord, CellRef]] = {}
    conflicts: dict[Path, list[Issue]] = {}
    for result in results:
        for record in result.values:
            cell = result.value_cells[record.indicator_id]
            current = chosen.get(record.indicator_id)
            if current is None or _better_blank(record, current[0]):
                chosen[record.indicator_id] = (record, cell)
            elif record.value is not None and not same_value(record.value, current[0].value):
                issue = conflict(record, cell, *current)
                conflicts.setdefault(result.path, []).append(issue)
    reports: dict[str, list[TaskRecord]] = {}  # task id -> its reports, in file order
    for result in results:
        for report in result.tasks:
            reports.setdefault(report.task_id, []).append(report)
    submitted = {r.department for r in results}
    dataset = Dataset(
        plan_id=plan.id,
        period=period.key,
        values={i.id: chosen[i.id][0] for i in plan.indicators if i.id in chosen},
        tasks={t.id: reports[t.id] for t in plan.tasks if t.id in reports},
        files=[r.source for r in results if r.source],
        warnings=[p for r in results for p in r.problems(r.warnings)],
        missing_departments=[d for d in plan.departments() if d not in submitted],
        problems=[p for r in results for p in data_problems(r, r.warnings) if p.item],
    )
    return Merged(dataset, conflicts)


def data_problems(
    result: FileResult, issues: list[Issue], error: bool = False
) -> list[DataProblem]:
    """``issues`` of one workbook as rows of the 数据问题清单."""
    return [
        DataProblem(
            result.display, f"{i.sheet}!{i.cell}" if i.cell else i.sheet, i.item, i.message, error
        )
        for i in issues
    ]


def despite_errors(dataset: Dataset, results: list[FileResult]) -> Dataset:
    """``dataset`` with every value that has an error dropped (未填报), the errors listed.

    Tasks with an error keep no record either. The errors come first in ``problems``.
    """
    errors = [p for r in results for p in data_problems(r, r.errors, error=True)]
    bad = {p.item for p in errors}
    values = {k: v for k, v in dataset.values.items() if k not in bad}
    tasks = {k: v for k, v in dataset.tasks.items() if k not in bad}
    return replace(dataset, values=values, tasks=tasks, problems=[*errors, *dataset.problems])


def _better_blank(record: ValueRecord, current: ValueRecord) -> bool:
    """A value beats a blank; a blank with an explanation beats one without."""
    if current.value is not None:
        return False
    return record.value is not None or bool(record.remark and not current.remark)


def same_value(a: float, b: float | None) -> bool:
    return b is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def conflict(record: ValueRecord, cell: CellRef, earlier: ValueRecord, other: CellRef) -> Issue:
    """An error at ``record``'s cell that names the other cell and both values."""
    return Issue(
        cell.sheet,
        cell.cell,
        item=record.indicator_id,
        message=f"与 {other.where} 填报的值不一致（那里为 {fmt.number(earlier.value)}，这里为 "
        f"{fmt.number(record.value)}）。同一指标只能有一个数：请有关单位核实后只保留一个。",
    )


def record_count(dataset: Dataset) -> int:
    """Reported values (blanks not counted) plus task reports."""
    values = sum(r.value is not None for r in dataset.values.values())
    return values + sum(len(records) for records in dataset.tasks.values())
