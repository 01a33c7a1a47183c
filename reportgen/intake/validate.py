"""Checking one workbook against its plan and period, cell by cell.

Rows are matched by 指标编号/任务编号, never by position. Locked cells are compared with the plan:
numbers and units must match; names may differ only when the plan changed since the template
was made (then it is a warning). Every problem is collected, none stops the others.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from reportgen import fmt
from reportgen.fmt import is_percent_unit
from reportgen.intake.layout import (
    INDICATOR_EDITABLE,
    INDICATOR_SHEET,
    TASK_EDITABLE,
    TASK_SHEET,
    TASK_STATUSES,
    cell_ref,
    indicators_for,
    tasks_for,
    year_target,
)
from reportgen.intake.merge import same_value
from reportgen.intake.meta import (
    Meta,
    department_from_name,
    identity_errors,
    missing_meta_issue,
    plan_change_issue,
)
from reportgen.intake.notices import FALLEN_TOTAL, FAR_ABOVE_TARGET, REVERSE_ABOVE_BASELINE
from reportgen.intake.reader import RawWorkbook, SheetData, display_name, escaped_text
from reportgen.intake.result import FileResult, Issue
from reportgen.intake.table import Table, find_table
from reportgen.intake.values import (
    CellValueError,
    cell_text,
    is_blank,
    normalize_text,
    parse_day,
    parse_number,
    range_problem,
)
from reportgen.periods import Period
from reportgen.plan import Indicator, Plan, Task
from reportgen.records import CellRef, SourceFile, TaskRecord, ValueRecord

_NUMBER_TYPES = (int, float)  # cells whose value is a number as such (not bool, not text)
PLAUSIBLE_TARGET_MULTIPLE = 10  # a value above this many times the target is probably a slip
# Errors listed per sheet; the rest are counted in one closing line. A sheet of 100 000 wrong
# rows would otherwise print 100 000 messages (and spend seconds making them).
MAX_LISTED_ERRORS = 200
# Rows whose id is not in the plan listed one by one; the rest are summarised in one error.
MAX_LISTED_UNKNOWN = 10
_LOCKED_HINT = (
    "这一列是锁定的，不应修改：请改回方案中的内容，或用 reportgen template 重新生成模板后转填。"
)


def check_workbook(
    raw: RawWorkbook,
    plan: Plan,
    period: Period,
    meta: Meta | None,
    previous: Mapping[str, float] | None = None,
) -> FileResult:
    """Every problem of one workbook for ``plan``.

    ``previous`` holds the last archived period's values by indicator id: a cumulative value
    below its previous value is a warning.
    """
    result = FileResult(raw.path, raw.display, plan_id=plan.id, period=period.key)
    result.department = (meta.department if meta else None) or department_from_name(
        raw.path.stem, plan
    )
    result.source = SourceFile(
        path=escaped_text(str(raw.path)),  # storable even when the name is not UTF-8
        name=display_name(raw.path),
        sha256=raw.sha256,
        size=raw.size,
        department=result.department,
    )
    if meta is None:
        result.warnings.append(missing_meta_issue())
    else:
        result.errors += identity_errors(meta, plan, period)
        if result.errors:
            return result
    if result.department is None and plan.departments():
        result.warnings.append(
            Issue(
                "",
                "",
                "无法确定填报单位：请用按单位生成的模板（--department），"
                "或在文件名中写明单位名称，如 填报_市科技局.xlsx。",
            )
        )
    plan_changed = meta is not None and meta.plan_hash != plan.content_hash
    checker = Checker(
        raw,
        plan,
        period,
        result,
        strict_text=meta is not None and not plan_changed,
        previous=previous or {},
    )
    checker.weekly = meta is not None and meta.weekly
    checker.indicators()
    checker.tasks()
    checker.unlisted_errors()
    if meta is not None and plan_changed:
        issue = plan_change_issue(meta, consistent=checker.structural == 0)
        (result.warnings if checker.structural == 0 else result.errors).append(issue)
    return result


@dataclass
class Checker:
    """Checks the rows of one workbook; ``strict_text`` when its template came from this plan."""

    raw: RawWorkbook
    plan: Plan
    period: Period
    result: FileResult
    strict_text: bool
    previous: Mapping[str, float] = field(default_factory=dict)
    structural: int = 0  # unknown ids and changed targets: make a plan change an error
    weekly: bool = False  # a weekly round's template asks for weekly indicators only
    listed: dict[str, int] = field(default_factory=dict)  # errors per sheet, listed or not

    def error(self, sheet: str, cell: str, message: str, item: str = "") -> None:
        """Record an error; past MAX_LISTED_ERRORS for ``sheet`` it is only counted."""
        count = self.listed.get(sheet, 0) + 1
        self.listed[sheet] = count
        if count <= MAX_LISTED_ERRORS:
            self.result.errors.append(Issue(sheet, cell, self._named(message, item), item))

    def unlisted_errors(self) -> None:
        """One closing error per sheet that had more errors than were listed."""
        for sheet, count in self.listed.items():
            if count > MAX_LISTED_ERRORS:
                self.result.errors.append(
                    Issue(
                        sheet,
                        "",
                        f"另有 {count - MAX_LISTED_ERRORS} 处问题未列出，请先修正以上问题。",
                    )
                )

    def unknown_ids(self, table: Table, id_header: str, unknown: list[tuple[int, str]]) -> None:
        """Rows whose id is not in the plan: the first few one by one, the rest in one error."""
        what = id_header.removesuffix("编号")
        advice = "请勿修改或新增" + id_header
        advice += "；如需补充说明，请写在“填报说明”列。" if what == "指标" else "。"
        for number, ident in unknown[:MAX_LISTED_UNKNOWN]:
            self.error(
                table.sheet.name,
                table.ref(number, id_header),
                f"{id_header}“{ident}”不在方案“{self.plan.id}”中。{advice}",
            )
        rest = unknown[MAX_LISTED_UNKNOWN:]
        if rest:
            first, last = table.ref(rest[0][0], id_header), table.ref(rest[-1][0], id_header)
            self.error(
                table.sheet.name,
                f"{first}:{last}",
                f"另有 {len(rest)} 行的{id_header}不在方案“{self.plan.id}”中"
                f"（如“{rest[0][1]}”“{rest[-1][1]}”），这些行未读取。{advice}",
            )

    def warn(self, sheet: str, cell: str, message: str, item: str = "") -> None:
        self.result.warnings.append(Issue(sheet, cell, self._named(message, item), item))

    def _named(self, message: str, item: str) -> str:
        """``message`` led by the indicator or task it is about (id and name), once."""
        label = self._label(item)
        if not label or message.startswith(label) or f"{item}（" in message:
            return message
        return f"{label}：{message}"

    def _label(self, item: str) -> str | None:
        """'指标 C1（…）' / '任务 T1（…）' for an item id (made only for items with a problem)."""
        found = self.items.get(item)
        if isinstance(found, Task):
            return f"任务 {found.id}（{found.title}）"
        return indicator_label(found) if found is not None else None

    @cached_property
    def items(self) -> dict[str, Indicator | Task]:
        """Item id -> the plan's indicator or task (a task wins over an indicator of its id)."""
        return {**{i.id: i for i in self.plan.indicators}, **{t.id: t for t in self.plan.tasks}}

    def source(self, sheet: str, cell: str) -> str:
        return str(self.cell_ref(sheet, cell))

    def cell_ref(self, sheet: str, cell: str) -> CellRef:
        return CellRef(self.raw.display, sheet, cell)

    # -- indicators -------------------------------------------------------------------------

    def indicators(self) -> None:
        table = find_table(self.raw, INDICATOR_SHEET, "指标编号", "完成值")
        if table is None:
            self.error(INDICATOR_SHEET, "", _missing_table(INDICATOR_SHEET, "指标编号、完成值"))
            return
        self._merged(table, ("指标编号", *INDICATOR_EDITABLE))
        by_id = {i.id: i for i in self.plan.indicators}
        seen: set[str] = set()
        unknown: list[tuple[int, str]] = []
        for number, row, ident in self._rows(table, "指标编号", INDICATOR_EDITABLE):
            seen.add(ident)
            indicator = by_id.get(ident)
            if indicator is None:
                self.structural += 1
                unknown.append((number, ident))
                continue
            _, target = year_target(indicator, self.period.year)
            self._locked_indicator(table, number, row, indicator, target)
            self._value(table, number, row, indicator, target)
        self.unknown_ids(table, "指标编号", unknown)
        wanted = [i.id for i in indicators_for(self.plan, self.result.department, self.weekly)]
        self._missing_rows(table, "指标", [i for i in wanted if i not in seen])

    def _merged(self, table: Table, headers: tuple[str, ...]) -> None:
        """Merged cells over the data rows keep only their top-left value: the rest is lost."""
        watched = {table.columns[h] for h in headers if h in table.columns}
        for (top, left), (bottom, right) in table.sheet.merged:
            if bottom > table.header_row and any(left <= c <= right for c in watched):
                self.error(
                    table.sheet.name,
                    f"{cell_ref(top, left)}:{cell_ref(bottom, right)}",
                    "这些单元格被合并了。合并后只保留左上角单元格的内容，其余单元格的数据已丢失。"
                    "请取消合并，按模板逐格填写后再提交。",
                )

    def _missing_rows(self, table: Table, what: str, missing: list[str]) -> None:
        """Rows of the template deleted: their items count as 未填报, with a warning."""
        if missing:
            self.warn(
                table.sheet.name,
                "",
                f"表中缺少 {len(missing)} 个{what}的行（{'、'.join(missing)}），按未填报处理。"
                "请勿删除模板中的行；没有数据时保留该行、留空即可。",
            )

    def _rows(
        self, table: Table, id_header: str, editable: tuple[str, ...]
    ) -> Iterator[tuple[int, list[object], str]]:
        """(row number, row, id) for each data row with an id; flags duplicates and lost ids."""
        seen: dict[str, int] = {}  # id -> the row number it was first seen in
        name, rows, column = table.sheet.name, table.sheet.rows, table.columns[id_header]
        for number in range(table.header_row + 1, len(rows)):
            row = rows[number]
            ident = cell_text(row[column] if column < len(row) else None)
            if not ident:
                if any(not is_blank(table.get(row, h)) for h in editable if h in table.columns):
                    self.error(
                        name,
                        table.ref(number, id_header),
                        f"这一行填了内容，但“{id_header}”是空的，无法对应。请恢复{id_header}"
                        "（可从原模板复制），不要新增行。",
                    )
                continue
            if ident in seen:
                self.structural += 1
                first = table.ref(seen[ident], id_header)
                self.error(
                    name,
                    table.ref(number, id_header),
                    f"{id_header}“{ident}”重复出现（另见 {name}!{first}）。"
                    "每个编号只能填一行，请删除多余的一行。",
                )
                continue
            seen[ident] = number
            yield number, row, ident

    def _locked_indicator(
        self, table: Table, number: int, row: list[object], indicator: Indicator, this_year: float
    ) -> None:
        """The locked cells of one row against the plan (a cell holding exactly the plan's
        figure or text, the usual case, is settled by one comparison)."""
        baseline = indicator.baseline.value if indicator.baseline else None
        columns, width = table.columns, len(row)
        for header, value in (
            ("基期值", baseline),
            ("本年目标", this_year),
            ("规划目标", indicator.final_target),
        ):
            column = columns.get(header)
            raw = row[column] if column is not None and column < width else None
            if column is not None and (raw != value or raw.__class__ not in _NUMBER_TYPES):
                self._locked_number(table, number, row, header, value, indicator.unit)
        for header, text, strict in (
            ("单位", indicator.unit, True),
            ("指标名称", indicator.name, self.strict_text),
            ("属性", indicator.attribute, self.strict_text),
        ):
            column = columns.get(header)
            if column is not None and (row[column] if column < width else None) != text:
                self._locked_text(table, number, row, header, text, strict)

    def _locked_number(
        self,
        table: Table,
        number: int,
        row: list[object],
        header: str,
        expected: float | None,
        unit: str,
    ) -> None:
        raw = table.get(row, header)
        try:
            found = parse_number(raw, unit)
        except CellValueError:
            found = float("nan")
        if found is None and expected is None:
            return
        if found is not None and same_value(found, expected):
            return
        self.structural += 1
        shown = "空白" if is_blank(raw) else f"“{cell_text(raw)}”"
        planned = "空白" if expected is None else fmt.number(expected)
        self.error(
            table.sheet.name,
            table.ref(number, header),
            f"“{header}”与方案不一致：方案为{planned}，表中为{shown}。{_LOCKED_HINT}",
        )

    def _locked_text(
        self, table: Table, number: int, row: list[object], header: str, expected: str, strict: bool
    ) -> None:
        found = cell_text(table.get(row, header))
        if found == expected or _words(found) == _words(expected):
            return
        report = self.error if strict else self.warn
        if header == "单位":
            self.structural += 1
        report(
            table.sheet.name,
            table.ref(number, header),
            f"“{header}”与方案不一致：方案为“{expected}”，表中为“{found}”。{_LOCKED_HINT}",
        )

    def _value(
        self, table: Table, number: int, row: list[object], indicator: Indicator, target: float
    ) -> None:
        sheet = table.sheet.name
        ref = table.ref(number, "完成值")
        value, ok = self._number(table.sheet, ref, table.get(row, "完成值"), indicator, target)
        as_of, day_ok = self._day(table, number, row, indicator)
        if not (ok and day_ok):
            return
        if value is not None:
            self._plausible(sheet, ref, value, indicator, target)
        cell = self.cell_ref(sheet, ref)
        self.result.value_cells[indicator.id] = cell
        self.result.values.append(
            ValueRecord(
                indicator_id=indicator.id,
                value=value,
                source=str(cell),
                as_of=as_of,
                remark=cell_text(table.get(row, "填报说明")),
                department=self.result.department,
            )
        )

    def _number(
        self, sheet: SheetData, ref: str, raw: object, indicator: Indicator, target: float
    ) -> tuple[float | None, bool]:
        flags = sheet.flags
        if flags and ref in flags.formulas:
            self.error(
                sheet.name,
                ref,
                "这是公式，但文件中没有保存计算结果（文件可能由程序生成，未在 Excel/WPS 中打开过）。"
                "请用 Excel 或 WPS 打开并保存后再提交，或直接填写数字。",
                indicator.id,
            )
            return None, False
        if flags and ref in flags.errors:
            self.error(
                sheet.name,
                ref,
                f"公式的结果是错误值 {flags.errors[ref]}。请修正公式，或直接填写数字。",
                indicator.id,
            )
            return None, False
        try:
            value = parse_number(raw, indicator.unit, bool(flags and ref in flags.percent))
        except CellValueError as exc:
            self.error(sheet.name, ref, str(exc), indicator.id)
            return None, False
        if value is None:
            return None, True
        problem = range_problem(value, indicator.unit, allow_negative=indicator.method == "reverse")
        problem = problem or whole_problem(value, indicator)
        if problem:
            self.error(sheet.name, ref, problem, indicator.id)
            return None, False
        self._scale_warning(sheet.name, ref, value, indicator, target)
        return value, True

    def _scale_warning(
        self, sheet: str, ref: str, value: float, indicator: Indicator, target: float
    ) -> None:
        """0.95 typed for a % indicator whose target is 97 almost surely means 95%."""
        if 0 < value <= 1 < target and is_percent_unit(indicator.unit):
            self.warn(
                sheet,
                ref,
                f"百分比指标的完成值只有 {fmt.number(value)}（目标为 {fmt.number(target)}）。"
                f"如果要表示 {fmt.number(value * 100)}%，请填写 {fmt.number(value * 100)}。",
                indicator.id,
            )

    def _plausible(
        self, sheet: str, ref: str, value: float, indicator: Indicator, target: float
    ) -> None:
        """Warnings for values that are possible but unlikely (see ``plausibility_problems``)."""
        previous = self.previous.get(indicator.id)
        for message in plausibility_problems(value, indicator, target, previous):
            self.warn(sheet, ref, message, indicator.id)

    def _day(
        self, table: Table, number: int, row: list[object], indicator: Indicator
    ) -> tuple[date | None, bool]:
        """数据截至日期: blank (the period end) or a real date within the period, else an error."""
        if "数据截至日期" not in table.columns:
            return None, True
        try:
            day = parse_day(table.get(row, "数据截至日期"))
        except CellValueError as exc:
            ref = table.ref(number, "数据截至日期")
            self.error(table.sheet.name, ref, f"{indicator_label(indicator)}：{exc}", indicator.id)
            return None, False
        if day is not None and not self.period.start <= day <= self.period.end:
            self.error(
                table.sheet.name,
                table.ref(number, "数据截至日期"),
                f"{indicator_label(indicator)}：数据截至日期 {day.isoformat()} 不在报告期"
                f" {self.period.label}（{self.period.start.isoformat()} 至 "
                f"{self.period.end.isoformat()}）内。请填写报告期内的日期，或留空（表示报告期末）。",
                indicator.id,
            )
            return None, False
        return day, True

    # -- tasks ------------------------------------------------------------------------------

    def tasks(self) -> None:
        table = find_table(self.raw, TASK_SHEET, "任务编号", *TASK_EDITABLE[:1])
        if table is None:
            if self.plan.tasks:
                self.warn(TASK_SHEET, "", "没有找到“重点任务”工作表，本文件的任务进展未读取。")
            return
        self._merged(table, ("任务编号", *TASK_EDITABLE))
        by_id = {t.id: t for t in self.plan.tasks}
        seen: set[str] = set()
        unknown: list[tuple[int, str]] = []
        for number, row, ident in self._rows(table, "任务编号", TASK_EDITABLE):
            seen.add(ident)
            task = by_id.get(ident)
            if task is None:
                self.structural += 1
                unknown.append((number, ident))
                continue
            self._locked_task(table, number, row, task)
            self._task_record(table, number, row, task)
        self.unknown_ids(table, "任务编号", unknown)
        wanted = [t.id for t in tasks_for(self.plan, self.result.department)]
        self._missing_rows(table, "任务", [t for t in wanted if t not in seen])

    def _locked_task(self, table: Table, number: int, row: list[object], task: Task) -> None:
        for header, text in (
            ("任务", task.title),
            ("牵头单位", "、".join(task.lead)),
            ("配合单位", "、".join(task.cooperating)),
        ):
            if header in table.columns:
                self._locked_text(table, number, row, header, text, self.strict_text)

    def _task_record(self, table: Table, number: int, row: list[object], task: Task) -> None:
        texts = {h: cell_text(table.get(row, h)) for h in TASK_EDITABLE}
        if not any(texts.values()):
            return
        status = normalize_text(texts["进展状态"]) or None
        if status and status not in TASK_STATUSES:
            self.error(
                table.sheet.name,
                table.ref(number, "进展状态"),
                f"进展状态“{texts['进展状态']}”无效。请从下拉列表中选择："
                f"{'、'.join(TASK_STATUSES)}。",
                task.id,
            )
            return
        if status is None and texts["工作进展"]:
            self.warn(
                table.sheet.name,
                table.ref(number, "进展状态"),
                f"任务 {task.id}（{task.title}）填写了工作进展，但进展状态未填，报告中将写明"
                f"“进展状态未填”。请从下拉列表中选择：{'、'.join(TASK_STATUSES)}。",
                task.id,
            )
        self.result.tasks.append(
            TaskRecord(
                task_id=task.id,
                source=self.source(table.sheet.name, table.ref(number, "任务编号")),
                department=self.result.department,
                status=status,
                progress=texts["工作进展"],
                problems=texts["存在问题"],
                next_steps=texts["下步计划"],
            )
        )


def indicator_label(indicator: Indicator) -> str:
    """'指标 C1（累计新建社会公用计量标准）', the way every message about a value names it."""
    return f"指标 {indicator.id}（{indicator.name}）"


def whole_problem(value: float, indicator: Indicator) -> str | None:
    """A fraction for an indicator that counts things (项, 个, 家 …)."""
    if not indicator.is_integral or float(value).is_integer():
        return None
    unit = fmt.display_unit(indicator.unit)
    return (
        f"{indicator_label(indicator)}的单位是“{unit}”，只能填整数（填的是 "
        f"{fmt.number(value)}）。请填写整数个数，如 {math.floor(value)} 或 {math.ceil(value)}。"
    )


def plausibility_problems(
    value: float, indicator: Indicator, target: float, previous: float | None
) -> list[str]:
    """Why ``value`` looks wrong though possible: a fallen total, a reverse indicator above its
    baseline, more than 10× the target."""
    baseline = indicator.baseline
    if not (
        (previous is not None and value < previous)
        or (baseline is not None and value > baseline.value)
        or (target > 0 and value > PLAUSIBLE_TARGET_MULTIPLE * target)
    ):
        return []  # the usual case, settled before any text is made
    label, unit = indicator_label(indicator), indicator.unit
    problems = []
    if indicator.method == "cumulative" and previous is not None and value < previous:
        problems.append(
            f"{label}是累计值，本期 {fmt.quantity(value, unit)} 低于上期归档的 "
            f"{fmt.quantity(previous, unit)}。{FALLEN_TOTAL}，请核实。"
        )
    if indicator.method == "reverse" and baseline is not None and value > baseline.value:
        problems.append(
            f"{label}{REVERSE_ABOVE_BASELINE}，本期 {fmt.quantity(value, unit)} 已高于基期值 "
            f"{fmt.quantity(baseline.value, unit)}，请核实。"
        )
    if target > 0 and value > PLAUSIBLE_TARGET_MULTIPLE * target:
        problems.append(
            f"{label}的完成值 {fmt.quantity(value, unit)} 超过目标 {fmt.quantity(target, unit)} "
            f"的{PLAUSIBLE_TARGET_MULTIPLE}倍，{FAR_ABOVE_TARGET}。"
        )
    return problems


def _missing_table(name: str, headers: str) -> str:
    return (
        f"没有找到“{name}”工作表（或表头中缺少 {headers}）。"
        "请使用 reportgen template 生成的模板填报，不要删除工作表或修改表头。"
    )


def _words(text: str) -> list[str]:
    """Text compared loosely: width, spaces and list separators do not matter."""
    cleaned = normalize_text(text)
    for separator in ",，;；":
        cleaned = cleaned.replace(separator, "、")
    return [w for w in cleaned.split("、") if w]
