"""Merging many departments' checked workbooks for one plan and period into one Dataset."""

from __future__ import annotations

import math
from dataclasses import replace

from reportgen import fmt
from reportgen.intake.result import FileResult, Issue
from reportgen.periods import Period
from reportgen.plan import Plan
from reportgen.records import DataProblem, Dataset, ValueRecord


def merge(plan: Plan, period: Period, results: list[FileResult]) -> Dataset:
    """One Dataset from ``results`` (in order); conflicting values become errors of the later file.

    A value beats a blank; the same value from two files is fine. Every department the plan names
    as a lead that sent no file is listed in ``missing_departments``.
    """
    chosen: dict[str, ValueRecord] = {}
    for result in results:
        for record in result.values:
            current = chosen.get(record.indicator_id)
            if current is None or _better_blank(record, current):
                chosen[record.indicator_id] = record
            elif record.value is not None and not same_value(record.value, current.value):
                result.errors.append(conflict(record, current))
    tasks = {
        task.id: [r for result in results for r in result.tasks if r.task_id == task.id]
        for task in plan.tasks
    }
    submitted = {r.department for r in results}
    return Dataset(
        plan_id=plan.id,
        period=period.key,
        values={i.id: chosen[i.id] for i in plan.indicators if i.id in chosen},
        tasks={task_id: records for task_id, records in tasks.items() if records},
        files=[r.source for r in results if r.source],
        warnings=[p for r in results for p in r.problems(r.warnings)],
        missing_departments=[d for d in plan.departments() if d not in submitted],
        problems=[p for r in results for p in data_problems(r, r.warnings) if p.item],
    )


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


def conflict(record: ValueRecord, earlier: ValueRecord) -> Issue:
    """An error at ``record``'s cell that names the other cell and both values."""
    _, sheet, cell = split_source(record.source)
    other_file, other_sheet, other_cell = split_source(earlier.source)
    other = Issue(other_sheet, other_cell, "").where(other_file)
    return Issue(
        sheet,
        cell,
        item=record.indicator_id,
        message=f"与 {other} 填报的值不一致（那里为 {fmt.number(earlier.value)}，这里为 "
        f"{fmt.number(record.value)}）。同一指标只能有一个数：请有关单位核实后只保留一个。",
    )


def split_source(source: str) -> tuple[str, str, str]:
    """'填报_市科技局.xlsx:指标填报!H7' -> ('填报_市科技局.xlsx', '指标填报', 'H7')."""
    display, _, place = source.rpartition(":")
    sheet, _, cell = place.rpartition("!")
    return display, sheet, cell


def record_count(dataset: Dataset) -> int:
    """Reported values (blanks not counted) plus task reports."""
    values = sum(r.value is not None for r in dataset.values.values())
    return values + sum(len(records) for records in dataset.tasks.values())
