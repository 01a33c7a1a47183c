"""``--summary-xlsx``: the merged figures and progress as a formatted workbook.

Numbers stay numbers (so the office can sort and filter), rounded by ``reportgen.fmt`` exactly as
the report shows them; texts are written as text (never as formulas, whatever they start with).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from reportgen import fmt
from reportgen.progress import STATUSES, IndicatorProgress, ProgressResult, TaskProgress
from reportgen.render import sentences as S
from reportgen.render.context import FILLS
from reportgen.render.textclean import clean

MAX_CELL_CHARS = 32_767
HEADER_FILL = "D9D9D9"
PERCENT_FORMAT = "0.0%"

Getter = Callable[[Any], Any]
INDICATOR_COLUMNS: list[tuple[str, float, Getter, str | None]] = [
    ("编号", 10, lambda i: i.id, None),
    ("类别", 14, lambda i: i.category or "", None),
    ("指标", 36, lambda i: i.name, None),
    ("单位", 8, lambda i: i.unit, None),
    ("属性", 8, lambda i: i.attribute, None),
    ("目标年份", 10, lambda i: i.target_year, None),
    ("目标", 10, lambda i: _value(fmt.whole_up(i.target, i.integral)), None),
    ("完成值", 10, lambda i: _value(i.actual), None),
    ("序时应达值", 12, lambda i: _value(fmt.whole_up(i.expected, i.integral)), None),
    ("完成率", 10, lambda i: _ratio(i.completion), PERCENT_FORMAT),
    ("序时进度", 10, lambda i: _ratio(i.time_progress), PERCENT_FORMAT),
    ("差距（个百分点）", 16, lambda i: _points(i.gap_pp), "0.0"),
    ("状态", 10, lambda i: i.status, None),
    ("约束性预警", 12, lambda i: "是" if i.binding_alert else "", None),
    ("规划目标", 10, lambda i: _value(i.final_target), None),
    ("规划完成率", 12, lambda i: _ratio(i.final_completion), PERCENT_FORMAT),
    ("预计期末值", 12, lambda i: _value(fmt.whole_down(i.projected_final, i.integral)), None),
    ("预测方法", 20, lambda i: i.projection_note, None),
    ("能否完成规划目标", 16, lambda i: _risk(i.at_risk), None),
    ("数据来源", 40, lambda i: i.source or "", None),
]
TASK_COLUMNS: list[tuple[str, float, Getter, str | None]] = [
    ("编号", 8, lambda t: t.id, None),
    ("重点任务", 30, lambda t: t.title, None),
    ("牵头单位", 18, lambda t: "、".join(t.lead), None),
    ("进展状态", 10, lambda t: S.task_status_text(t), None),
    ("工作进展", 60, lambda t: t.progress, None),
    ("存在问题", 40, lambda t: t.problems, None),
    ("下步计划", 40, lambda t: t.next_steps, None),
]


def _value(value: float | None) -> float | None:
    return None if value is None else float(fmt.round_half_up(value, fmt.VALUE_PLACES))


def _ratio(ratio: float | None) -> float | None:
    """The ratio rounded as ``fmt.percent`` rounds it (one decimal of %, scaled in Decimal)."""
    if ratio is None:
        return None
    return float(fmt.percent_value(ratio).scaleb(-2))


def _points(pp: float | None) -> float | None:
    return None if pp is None else float(fmt.round_half_up(pp, fmt.PERCENT_PLACES))


def _risk(at_risk: bool | None) -> str:
    return fmt.MISSING if at_risk is None else ("有风险" if at_risk else "可以完成")


def write_summary(result: ProgressResult, path: Path) -> None:
    """Write sheets 汇总, 指标完成情况 and 重点任务 to ``path`` (the caller makes it atomic)."""
    from openpyxl import Workbook

    book = Workbook()
    _summary_sheet(book.active, result)
    indicators = book.create_sheet("指标完成情况")
    _table(indicators, INDICATOR_COLUMNS, result.indicators)
    _shade_status(indicators, result.indicators)
    _table(book.create_sheet("重点任务"), TASK_COLUMNS, result.tasks)
    book.save(path)


def _summary_sheet(sheet: Any, result: ProgressResult) -> None:
    from openpyxl.styles import Font

    sheet.title = "汇总"
    counts = result.summary
    rows: list[tuple[str, Any]] = [
        ("方案", result.plan.title),
        ("报告期", result.period.label),
        ("统计截至", fmt.date_cn(result.as_of)),
        ("指标总数", counts["total"]),
        *((status, counts[status]) for status in STATUSES),
        ("约束性指标预警", counts["binding_alerts"]),
        ("重点任务数", len(result.tasks)),
    ]
    for n, (label, value) in enumerate(rows, 1):
        sheet.cell(n, 1, label).font = Font(bold=True)
        _put(sheet.cell(n, 2), value)
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 60


def _table(
    sheet: Any,
    columns: Sequence[tuple[str, float, Getter, str | None]],
    items: list[IndicatorProgress] | list[TaskProgress],
) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    header_fill = PatternFill("solid", fgColor=HEADER_FILL)
    for col, (title, width, _, _) in enumerate(columns, 1):
        cell = sheet.cell(1, col, title)
        cell.font, cell.fill = Font(bold=True), header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(col)].width = width
    wrap = Alignment(vertical="top", wrap_text=True)
    for row, item in enumerate(items, 2):
        for col, (_, _, get, number_format) in enumerate(columns, 1):
            cell = sheet.cell(row, col)
            _put(cell, get(item))
            cell.alignment = wrap
            if number_format:
                cell.number_format = number_format
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"


def _shade_status(sheet: Any, indicators: list[IndicatorProgress]) -> None:
    from openpyxl.styles import Font, PatternFill

    status_col = next(n for n, c in enumerate(INDICATOR_COLUMNS, 1) if c[0] == "状态")
    for row, ind in enumerate(indicators, 2):
        cell = sheet.cell(row, status_col)
        if ind.status in FILLS:
            cell.fill = PatternFill("solid", fgColor=FILLS[ind.status])
        if ind.binding_alert:
            cell.font = Font(bold=True)


def _put(cell: Any, value: Any) -> None:
    """Numbers as numbers; text cleaned, capped at Excel's cell limit, and never a formula."""
    if isinstance(value, str):
        cell.value = clean(value)[:MAX_CELL_CHARS]
        cell.data_type = "s"
    else:
        cell.value = value
