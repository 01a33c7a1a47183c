"""Writing the 填报 workbook departments fill in (openpyxl).

Sheets: 填写说明 (instructions), 指标填报 (one row per indicator), 重点任务 (one row per task) and
a veryHidden _meta. Only the yellow columns are editable (sheet protection without password);
完成值 has number validation and a per-method input message; 进展状态 is a dropdown.
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from reportgen.errors import IntakeError
from reportgen.fileio import atomic_path
from reportgen.fmt import is_percent_unit
from reportgen.intake.guide import write_guide
from reportgen.intake.layout import (
    ALL_DEPARTMENTS,
    FILLER_LABEL,
    INDICATOR_EDITABLE,
    INDICATOR_SHEET,
    META_SHEET,
    META_WEEKLY,
    METHOD_ENTRY,
    METHOD_HELP,
    PHONE_LABEL,
    PREVIOUS_HEADER,
    ROUND_TOP_ROWS,
    TASK_COLUMNS,
    TASK_EDITABLE,
    TASK_HEADERS,
    TASK_SHEET,
    TASK_STATUSES,
    TEMPLATE_VERSION,
    RoundSheet,
    cell_ref,
    column_letter,
    indicator_headers,
    indicators_for,
    named_departments,
    tasks_for,
    year_target,
)
from reportgen.intake.sheet_format import protect_for_printing, text_width
from reportgen.locations import outputs_dir
from reportgen.periods import Period
from reportgen.plan import Indicator, Plan, Task

INDICATOR_WIDTHS = (10, 32, 8, 8, 14, 16, 16, 12, 14, 30)
PREVIOUS_WIDTH = 12
PREVIOUS_FILL = PatternFill("solid", fgColor="F2F2F2")
TASK_WIDTHS = (9, 24, 14, 22, 11, 44, 30, 30)
_THIN = Side(style="thin", color="808080")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
EDIT_FILL = PatternFill("solid", fgColor="FFF2CC")
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
UNLOCKED = Protection(locked=False)
LINE_POINTS = 15  # row height per wrapped line
_EXCEL_EPOCH = date(1899, 12, 30)
_PROMPT_MAX = 255  # Excel refuses longer input messages (repair prompt)
_PRINT_HEADER_MAX = 200  # Excel limits a header section to 255 characters with its codes


def default_template_path(plan: Plan, period: Period, department: str | None) -> Path:
    """outputs/<plan>/<period>/填报_<department or 全部>.xlsx"""
    name = (department or ALL_DEPARTMENTS).replace("/", "_").replace("\\", "_")
    return outputs_dir() / plan.id / period.key / f"填报_{name}.xlsx"


def write_template(
    plan: Plan,
    period: Period,
    out: Path,
    department: str | None = None,
    deadline: date | None = None,
    round_sheet: RoundSheet | None = None,
) -> Path:
    """Write the template to ``out`` atomically and return the path."""
    workbook = make_template(plan, period, department, deadline, round_sheet)
    with atomic_path(out) as tmp:
        workbook.save(tmp)
    return Path(out)


def make_template(
    plan: Plan,
    period: Period,
    department: str | None = None,
    deadline: date | None = None,
    round_sheet: RoundSheet | None = None,
) -> Workbook:
    """The 填报 workbook for ``plan`` and ``period`` (only ``department``'s rows when given).

    With ``round_sheet`` (a 填报 round): a heading block with plan, department, period and
    deadline above each data sheet and in its print header, 填报人/联系电话 cells, and last
    period's archived values in a locked 上期值 column.
    """
    if department is not None and department not in named_departments(plan):
        known = "、".join(named_departments(plan)) or "（方案未列出任何单位）"
        raise IntakeError(f"方案“{plan.id}”中没有单位“{department}”。方案涉及的单位：{known}。")
    weekly = round_sheet is not None and round_sheet.weekly
    indicators = indicators_for(plan, department, weekly)
    tasks = tasks_for(plan, department)
    workbook = Workbook()
    guide = workbook.active
    write_guide(guide, plan, period, department, deadline, round_sheet)
    sheets = (workbook.create_sheet(INDICATOR_SHEET), workbook.create_sheet(TASK_SHEET))
    top = 0
    if round_sheet is not None:
        top = ROUND_TOP_ROWS
        contact_sheet = sheets[0] if indicators or not tasks else sheets[1]
        for ws in sheets:
            _heading(ws, plan, period, department, round_sheet, ws is contact_sheet)
    _indicator_sheet(sheets[0], indicators, period, round_sheet)
    _task_sheet(sheets[1], tasks, top)
    _meta_sheet(workbook.create_sheet(META_SHEET), plan, period, department, weekly)
    workbook.properties.creator = "reportgen"
    workbook.properties.title = f"{plan.title}（{period.label}）填报表"
    return workbook


def _indicator_sheet(
    ws: Worksheet, indicators: list[Indicator], period: Period, round_sheet: RoundSheet | None
) -> None:
    headers = indicator_headers(round_sheet)
    columns = {header: column for column, header in enumerate(headers)}
    widths = list(INDICATOR_WIDTHS)
    if round_sheet is not None:
        widths.insert(columns[PREVIOUS_HEADER], PREVIOUS_WIDTH)
    top = ROUND_TOP_ROWS if round_sheet is not None else 0
    _header(ws, headers, tuple(widths), top)
    for row, ind in enumerate(indicators, start=top + 2):
        target_year, target = year_target(ind, period.year)
        base = ind.baseline
        values: dict[str, object] = {
            "指标编号": ind.id,
            "指标名称": ind.name,
            "单位": ind.unit,
            "属性": ind.attribute,
            "基期值": base.value if base else None,
            "本年目标": target,
            "规划目标": ind.final_target,
        }
        if round_sheet is not None:
            values[PREVIOUS_HEADER] = round_sheet.previous.get(ind.id)
        _data_row(ws, row, tuple(values.get(h) for h in headers), headers, INDICATOR_EDITABLE)

        def cell(header: str, row: int = row) -> Cell:
            return ws.cell(row, columns[header] + 1)

        if base:
            cell("基期值").number_format = _with_year(base.year)
        if target_year != period.year:
            cell("本年目标").number_format = _with_year(target_year)
        cell("规划目标").number_format = _with_year(ind.final_year)
        cell("数据截至日期").number_format = "yyyy-mm-dd"
        if round_sheet is not None:
            cell(PREVIOUS_HEADER).fill = PREVIOUS_FILL
        ws.row_dimensions[row].height = _height(ind.name, widths[columns["指标名称"]])
    _value_validations(ws, indicators, period, columns["完成值"], top)
    if indicators:
        day = DataValidation(
            type="date",
            operator="greaterThanOrEqual",
            formula1=str((date(period.start.year - 1, 1, 1) - _EXCEL_EPOCH).days),
            allow_blank=True,
            showErrorMessage=True,
            showInputMessage=True,
            promptTitle="数据截至日期",
            prompt=f"填写数据统计截至的日期，如 {period.end.isoformat()}；留空表示截至报告期末。",
            errorTitle="日期无效",
            error="请按 2024-06-30 的格式填写日期。",
        )
        day.add(_column_range(columns["数据截至日期"], len(indicators), top))
        ws.add_data_validation(day)
    _finish(ws, f"C{top + 2}", top)


def _column_range(column: int, rows: int, top: int = 0) -> str:
    """The first ``rows`` data cells of zero-based ``column`` below the header: 'I2:I9'."""
    return f"{cell_ref(top + 1, column)}:{cell_ref(top + rows, column)}"


def _with_year(year: int) -> str:
    """Show 80 as '80（2025年）' while the cell keeps the number 80."""
    return f'General"（{year}年）"'


def _value_validations(
    ws: Worksheet, indicators: list[Indicator], period: Period, column: int, top: int
) -> None:
    """完成值: a number ≥ 0 (≤ 100 for %), with what to enter for the indicator's method."""
    groups: dict[tuple[bool, str, str], list[str]] = {}
    for row, ind in enumerate(indicators, start=top + 1):  # zero-based, below the header
        key = (is_percent_unit(ind.unit), ind.method, _prompt(ind, period))
        groups.setdefault(key, []).append(cell_ref(row, column))
    for (percent, method, prompt), cells in groups.items():
        rule = DataValidation(
            type="decimal",
            operator="between" if percent else "greaterThanOrEqual",
            formula1="0",
            formula2="100" if percent else None,
            allow_blank=True,
            showErrorMessage=True,
            showInputMessage=True,
            promptTitle=f"填写{METHOD_ENTRY[method]}",
            prompt=prompt,
            errorTitle="完成值无效",
            error=(
                "请填写 0 到 100 之间的数字（95% 填 95）。暂无数据请留空。"
                if percent
                else "请填写不小于 0 的数字，不要带单位。暂无数据请留空。"
            ),
        )
        for cell in cells:
            rule.add(cell)
        ws.add_data_validation(rule)


def _prompt(ind: Indicator, period: Period) -> str:
    unit = "百分数的数值，95% 填 95" if is_percent_unit(ind.unit) else f"以“{ind.unit}”计的数字"
    text = (
        f"填写{METHOD_ENTRY[ind.method]}：{METHOD_HELP[ind.method]}。只填{unit}，暂无数据请留空。"
    )
    return text[:_PROMPT_MAX]


def _task_sheet(ws: Worksheet, tasks: list[Task], top: int) -> None:
    _header(ws, TASK_HEADERS, TASK_WIDTHS, top)
    for row, task in enumerate(tasks, start=top + 2):
        values = (
            task.id,
            task.title,
            "、".join(task.lead),
            "、".join(task.cooperating),
            None,
            None,
            None,
            None,
        )
        _data_row(ws, row, values, TASK_HEADERS, TASK_EDITABLE)
        ws.row_dimensions[row].height = max(
            4 * LINE_POINTS,
            _height("、".join(task.cooperating), TASK_WIDTHS[TASK_COLUMNS["配合单位"]]),
        )
    if tasks:
        status = DataValidation(
            type="list",
            formula1='"{}"'.format(",".join(TASK_STATUSES)),
            allow_blank=True,
            showErrorMessage=True,
            showInputMessage=True,
            promptTitle="进展状态",
            prompt="请从下拉列表中选择：" + "、".join(TASK_STATUSES),
            errorTitle="进展状态无效",
            error="请从下拉列表中选择：" + "、".join(TASK_STATUSES),
        )
        status.add(_column_range(TASK_COLUMNS["进展状态"], len(tasks), top))
        ws.add_data_validation(status)
    _finish(ws, f"C{top + 2}", top)


def _meta_sheet(
    ws: Worksheet, plan: Plan, period: Period, department: str | None, weekly: bool
) -> None:
    rows: tuple[tuple[str, object], ...] = (
        ("plan_id", plan.id),
        ("plan_hash", plan.content_hash),
        ("period", period.key),
        ("department", department or ALL_DEPARTMENTS),
        ("template_version", TEMPLATE_VERSION),
    )
    if weekly:
        rows += ((META_WEEKLY, 1),)
    for row in rows:
        ws.append(row)
    ws.sheet_state = "veryHidden"
    ws.protection.enable()


def _header(ws: Worksheet, headers: tuple[str, ...], widths: tuple[int, ...], top: int) -> None:
    for column, (text, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = ws.cell(top + 1, column, text)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = CENTER
        ws.column_dimensions[column_letter(column - 1)].width = width
    ws.row_dimensions[top + 1].height = 2 * LINE_POINTS


def _data_row(
    ws: Worksheet,
    row: int,
    values: tuple[object, ...],
    headers: tuple[str, ...],
    editable: tuple[str, ...],
) -> None:
    for column, (value, header) in enumerate(zip(values, headers, strict=True), start=1):
        cell = ws.cell(row, column, value)
        cell.border = BORDER
        cell.alignment = WRAP
        if header in editable:
            cell.protection = UNLOCKED
            cell.fill = EDIT_FILL


def _height(text: str, width: int) -> float:
    """Row height for ``text`` wrapped in a column ``width`` characters wide (CJK = 2)."""
    return max(2, math.ceil(text_width(text) / max(width - 2, 1))) * LINE_POINTS


def _finish(ws: Worksheet, freeze: str, top: int) -> None:
    """The shared protection and print set-up, header row ``top + 1`` repeated, centred."""
    protect_for_printing(ws, freeze, f"{top + 1}:{top + 1}")
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5


def _heading(
    ws: Worksheet,
    plan: Plan,
    period: Period,
    department: str | None,
    round_sheet: RoundSheet,
    contact: bool,
) -> None:
    """Plan, department, period and deadline above the table and in the print header.

    On the sheet the department fills first (``contact``), 填报人 and 联系电话 get their own
    editable cells, found again by label when the return is read.
    """
    unit = department or "各有关单位"
    title = ws.cell(1, 1, plan.title)
    title.font = Font(bold=True, size=14)
    line = (
        f"填报单位：{unit}　　报告期：{period.label}　　"
        f"报送截止：{round_sheet.deadline}　　上期值：{round_sheet.previous_period}归档数"
    )
    ws.cell(2, 1, line).font = Font(bold=True)
    if contact:
        for column, label in ((1, FILLER_LABEL), (4, PHONE_LABEL)):
            ws.cell(3, column, label).font = Font(bold=True)
            ws.cell(3, column, label).alignment = CENTER
            entry = ws.cell(3, column + 1)
            entry.protection = UNLOCKED
            entry.fill = EDIT_FILL
            entry.border = BORDER
            entry.number_format = "@"
    for row in (1, 2, 3):
        ws.row_dimensions[row].height = 22
    header = f"{plan.title}　{period.label}　{unit}　截止{round_sheet.deadline}"
    ws.oddHeader.center.text = header.replace("&", "&&")[:_PRINT_HEADER_MAX]
    ws.oddHeader.center.size = 9
