"""Reading the two sheets of a scoring workbook: 评分 (scores) and 情形认定 (findings).

Every problem is an Issue pinned to its cell, naming the unit and the item and what to enter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reportgen import fmt
from reportgen.errors import Problem
from reportgen.grading.compute import Finding, Score
from reportgen.grading.layout import (
    FINDING_COLUMNS,
    FINDING_SHEET,
    HEADER_ROWS,
    REASON_NAMES,
    SCORE_NAMES,
    SCORE_SHEET,
    item_label,
    label_id,
    needs_reason,
    score_column,
)
from reportgen.grading.model import SCORE_PLACES, Item, Scheme, decimal
from reportgen.intake.layout import cell_ref
from reportgen.intake.reader import SheetData
from reportgen.intake.result import Issue
from reportgen.intake.values import CellValueError, cell_text, parse_number

POINTS_UNIT = "分"


@dataclass
class ScoreSheet:
    """One scoring workbook after reading: its member unit, scores, findings and problems."""

    path: Path
    display: str
    scorer: str | None = None
    scores: list[Score] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def problems(self, issues: list[Issue]) -> list[Problem]:
        return [Problem(i.where(self.display), i.message) for i in issues]

    def to_json(self) -> dict[str, object]:
        return {
            "path": str(self.path),
            "scorer": self.scorer,
            "ok": self.ok,
            "scores": len(self.scores),
            "findings": len(self.findings),
            "errors": [i.to_json() for i in self.errors],
            "warnings": [i.to_json() for i in self.warnings],
        }


# ---------------------------------------------------------------- 评分


def read_scores(scheme: Scheme, scorer: str, sheet: SheetData, result: ScoreSheet) -> None:
    columns = _item_columns(scheme, scorer, sheet, result)
    rows = _unit_rows(scheme, sheet, result)
    for unit, row in rows.items():
        for item, column in columns.items():
            score = _read_score(scheme, sheet, row, column, unit, item, result)
            if score is not None:
                result.scores.append(score)


def _cell(sheet: SheetData, row: int, column: int) -> object:
    if row < len(sheet.rows) and column < len(sheet.rows[row]):
        return sheet.rows[row][column]
    return None


def _item_columns(
    scheme: Scheme, scorer: str, sheet: SheetData, result: ScoreSheet
) -> dict[Item, int]:
    """Each of the scorer's items -> its score column, found by the id in the header row."""
    header = sheet.rows[0] if sheet.rows else []
    found: dict[str, tuple[int, str]] = {}
    for column in range(1, len(header), 2):
        text = cell_text(header[column])
        if text:
            found[label_id(text)] = (column, text)
    columns: dict[Item, int] = {}
    for index, item in enumerate(scheme.items_of(scorer)):
        if item.id not in found:
            result.errors.append(
                Issue(
                    SCORE_SHEET,
                    cell_ref(0, score_column(index)),
                    f"缺少项目“{item_label(item)}”的列。评议方案可能已修改，"
                    "请用 reportgen grade template 重新生成评分表并转填。",
                )
            )
            continue
        column, text = found[item.id]
        if text != item_label(item):
            result.errors.append(
                Issue(
                    SCORE_SHEET,
                    cell_ref(0, column),
                    f"表头“{text}”与现行评议方案的“{item_label(item)}”不一致（名称或分值已修改）。"
                    "请用 reportgen grade template 重新生成评分表并转填。",
                )
            )
            continue
        columns[item] = column
    mine = {i.id for i in scheme.items_of(scorer)}
    for item_id, (column, text) in found.items():
        if item_id not in mine:
            result.errors.append(
                Issue(
                    SCORE_SHEET,
                    cell_ref(0, column),
                    f"“{text}”不是{scorer}评分的项目，请删除该列或改用正确的评分表。",
                )
            )
    return columns


def _unit_rows(scheme: Scheme, sheet: SheetData, result: ScoreSheet) -> dict[str, int]:
    """Each unit assessed -> its row; unknown, repeated and missing units are errors."""
    rows: dict[str, int] = {}
    for row in range(HEADER_ROWS, len(sheet.rows)):
        name = cell_text(_cell(sheet, row, 0))
        if not name:
            continue
        if name not in scheme.units:
            result.errors.append(
                Issue(
                    SCORE_SHEET,
                    cell_ref(row, 0),
                    f"“{name}”不是本次评议的对象，请删除该行或改正单位名称。",
                )
            )
        elif name in rows:
            result.errors.append(
                Issue(
                    SCORE_SHEET,
                    cell_ref(row, 0),
                    f"{name}出现了两次（另见 {cell_ref(rows[name], 0)}），请删除重复的行。",
                )
            )
        else:
            rows[name] = row
    for unit in scheme.units:
        if unit not in rows:
            result.errors.append(
                Issue(
                    SCORE_SHEET,
                    "",
                    f"缺少{unit}的行。请用 reportgen grade template 重新生成评分表并转填。",
                )
            )
    return rows


def _read_score(
    scheme: Scheme,
    sheet: SheetData,
    row: int,
    column: int,
    unit: str,
    item: Item,
    result: ScoreSheet,
) -> Score | None:
    kind = scheme.kind_of(item)
    what = SCORE_NAMES[kind]
    ref = cell_ref(row, column)
    subject = f"{unit} · {item_label(item)}"

    def fail(message: str, cell: str = ref) -> None:
        result.errors.append(Issue(SCORE_SHEET, cell, f"{subject}：{message}"))

    flags = sheet.flags
    if flags is not None and ref in flags.errors:
        fail(f"{what}是错误值 {flags.errors[ref]}。请改为数字。")
        return None
    if flags is not None and ref in flags.formulas:
        fail(f"{what}是没有计算结果的公式。请在 Excel/WPS 中打开并保存，或直接填写数字。")
        return None
    try:
        value = parse_number(_cell(sheet, row, column), POINTS_UNIT)
    except CellValueError as exc:
        fail(str(exc))
        return None
    if value is None:
        empty = f"满分 {item.points:g}" if kind in ("base", "instant") else "0"
        fail(
            f"未填写{what}。请填写 0 到 {item.points:g} 之间的数字（没有扣分或加减分的填 {empty}）。"
        )
        return None
    exact = decimal(value)
    if not 0 <= value <= item.points:
        hint = "减分项填扣减的分数（正数），" if kind == "deduction" and value < 0 else ""
        fail(f"{what} {fmt.number(value)} 超出范围。{hint}请填写 0 到 {item.points:g} 之间的数字。")
        return None
    if exact != round(exact, SCORE_PLACES):
        fail(f"{what} {exact} 的小数超过两位。请保留至多两位小数，如 7.25。")
        return None
    reason = cell_text(_cell(sheet, row, column + 1))
    if needs_reason(kind, value, item.points) and not reason:
        fail(
            f"{what} {fmt.number(value)} 需要写明{REASON_NAMES[kind]}。请在“{REASON_NAMES[kind]}”列填写事实和依据。",
            cell_ref(row, column + 1),
        )
        return None
    return Score(unit, item.id, exact, reason, f"{result.display} {SCORE_SHEET}!{ref}")


# ---------------------------------------------------------------- 情形认定


def read_findings(scheme: Scheme, sheet: SheetData, result: ScoreSheet) -> None:
    situations = {s.id: s for s in scheme.situations}
    unit_column = FINDING_COLUMNS["被评议单位"]
    situation_column = FINDING_COLUMNS["情形"]
    facts_column = FINDING_COLUMNS["事实和依据"]
    for row in range(1, len(sheet.rows)):
        unit = cell_text(_cell(sheet, row, unit_column))
        label = cell_text(_cell(sheet, row, situation_column))
        facts = cell_text(_cell(sheet, row, facts_column))
        if not (unit or label or facts):
            continue
        problems = []
        if unit not in scheme.units:
            problems.append(
                (
                    unit_column,
                    f"“{unit}”不是本次评议的对象。请从下拉列表中选择被评议单位。"
                    if unit
                    else "缺少被评议单位。请从下拉列表中选择。",
                )
            )
        if label_id(label) not in situations:
            problems.append(
                (
                    situation_column,
                    f"“{label}”不是评议方案中的情形。请从下拉列表中选择。"
                    if label
                    else "缺少情形。请从下拉列表中选择。",
                )
            )
        if not facts:
            problems.append((facts_column, "缺少事实和依据。请写明发现的问题、时间和认定依据。"))
        for column, message in problems:
            result.errors.append(Issue(FINDING_SHEET, cell_ref(row, column), message))
        if not problems:
            where = f"{result.display} {FINDING_SHEET}!{cell_ref(row, situation_column)}"
            result.findings.append(Finding(unit, label_id(label), facts, where))
