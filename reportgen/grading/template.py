"""The scoring workbook a member unit fills in (openpyxl): only its items, one row per unit.

Sheets: 填写说明, 评分 (score and reason per item, the score validated against the item's
points), 情形认定 (降级/否决 and other situations, by drop-down), and veryHidden _choices and
_meta. Only the yellow cells are editable (sheet protection without password).
"""

from __future__ import annotations

import math
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from reportgen.errors import GradingError
from reportgen.fileio import atomic_path
from reportgen.grading.layout import (
    CHOICES_SHEET,
    FINDING_HEADERS,
    FINDING_SHEET,
    GUIDE_SHEET,
    HEADER_ROWS,
    META_SHEET,
    REASON_NAMES,
    SCORE_NAMES,
    SCORE_SHEET,
    TEMPLATE_VERSION,
    UNIT_HEADER,
    finding_rows,
    item_label,
    score_column,
    situation_label,
)
from reportgen.grading.model import Item, Scheme
from reportgen.intake.layout import cell_ref, column_letter
from reportgen.intake.sheet_format import page_setup, protect_for_printing, text_width
from reportgen.intake.template import (
    BORDER,
    CENTER,
    EDIT_FILL,
    HEADER_FILL,
    LINE_POINTS,
    UNLOCKED,
    WRAP,
)
from reportgen.locations import outputs_dir

UNIT_WIDTH, SCORE_WIDTH, REASON_WIDTH = 14, 9, 28
FINDING_WIDTHS = (14, 36, 60)
GUIDE_WIDTH = 60
PROMPT_MAX = 255  # Excel refuses longer input messages
CONTACT = "评分人：＿＿＿＿＿＿＿　　审核人：＿＿＿＿＿＿＿　　联系电话：＿＿＿＿＿＿＿＿"


def default_template_path(scheme: Scheme, scorer: str) -> Path:
    """outputs/grading/<scheme>/<year>/评分_<scorer>.xlsx"""
    name = scorer.replace("/", "_").replace("\\", "_")
    return outputs_dir() / "grading" / scheme.id / str(scheme.year) / f"评分_{name}.xlsx"


def write_template(scheme: Scheme, scorer: str, out: Path) -> Path:
    """Write ``scorer``'s scoring workbook to ``out`` atomically and return the path."""
    workbook = make_template(scheme, scorer)
    with atomic_path(out) as tmp:
        workbook.save(tmp)
    return Path(out)


def make_template(scheme: Scheme, scorer: str) -> Workbook:
    """The scoring workbook of member unit ``scorer`` (GradingError for a unit that scores nothing)."""
    items = scheme.items_of(scorer)
    if not items:
        raise GradingError(
            f"评议方案中没有由“{scorer}”评分的项目。评分单位：{'、'.join(scheme.scorers())}。"
        )
    workbook = Workbook()
    _guide(workbook.active, scheme, scorer, items)
    _score_sheet(workbook.create_sheet(SCORE_SHEET), scheme, items)
    _choices(workbook.create_sheet(CHOICES_SHEET), scheme)
    _finding_sheet(workbook.create_sheet(FINDING_SHEET), scheme)
    _meta(workbook.create_sheet(META_SHEET), scheme, scorer)
    workbook.properties.creator = "reportgen"
    workbook.properties.title = f"{scheme.title}评分表（{scorer}）"
    return workbook


# ---------------------------------------------------------------- 填写说明


def guide_lines(scheme: Scheme, scorer: str, items: list[Item]) -> list[tuple[str, bool]]:
    """(paragraph, bold) in reading order."""
    lines: list[tuple[str, bool]] = [
        (scheme.title, True),
        (f"评分表（评分单位：{scorer}）", True),
        (
            f"依据：《{scheme.measures}》{f'（{scheme.doc_number}）' if scheme.doc_number else ''}",
            False,
        ),
        ("一、评分项目", True),
    ]
    for item in items:
        kind = scheme.kind_of(item)
        lines.append((f"{item_label(item)}〔{SCORE_NAMES[kind]}〕{item.criteria}", False))
    lines += [
        ("二、怎么填", True),
        (
            f"1.“{SCORE_SHEET}”表每行一个被评议单位，每个项目两列：只填浅黄色单元格。"
            "得分填 0 到该项分值之间的数字，最多两位小数；没有扣分的填满分。",
            False,
        ),
        (
            "2. 加分项填加的分数，减分项填扣减的分数（正数，如扣 2 分填 2）；没有加分或扣分的填 0。",
            False,
        ),
        (
            "3. 得分低于满分、有加分或有扣分的，必须在右侧原因列写明事实和依据。"
            "留空表示“未评分”，不按 0 计算，汇总时会逐格指出。",
            False,
        ),
        (
            f"4.“{FINDING_SHEET}”表：发现降级、否决等情形的，每行填一个单位和一种情形"
            "（从下拉列表选择），并写明事实和依据。没有发现的不填。各情形的条款和原文如下：",
            False,
        ),
    ]
    lines += [
        (f"　　{situation_label(scheme, s)}（{s.clause}）：{s.text}。", False)
        for s in scheme.situations
    ]
    lines += [
        ("三、注意事项", True),
        ("请直接在本文件中填写，不要增删行列、修改表头或单位名称，以 .xlsx 格式报送。", False),
        ("", False),
        (CONTACT, False),
    ]
    return lines


def _guide(ws: Worksheet, scheme: Scheme, scorer: str, items: list[Item]) -> None:
    ws.title = GUIDE_SHEET
    ws.column_dimensions["A"].width = GUIDE_WIDTH
    for row, (text, bold) in enumerate(guide_lines(scheme, scorer, items), 1):
        cell = ws.cell(row, 1, text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.font = Font(bold=bold, size=14 if row <= 2 else 11)
        lines = math.ceil(text_width(text) / (GUIDE_WIDTH - 4))
        ws.row_dimensions[row].height = max(1, lines) * (22 if row <= 2 else 16)
    page_setup(ws, "portrait")


# ---------------------------------------------------------------- 评分


def _score_sheet(ws: Worksheet, scheme: Scheme, items: list[Item]) -> None:
    _header_cell(ws, 1, 1, UNIT_HEADER)
    ws.merge_cells(start_row=1, start_column=1, end_row=HEADER_ROWS, end_column=1)
    ws.column_dimensions["A"].width = UNIT_WIDTH
    for index, item in enumerate(items):
        column = score_column(index) + 1  # 1-based
        kind = scheme.kind_of(item)
        _header_cell(ws, 1, column, item_label(item))
        _header_cell(ws, 1, column + 1, None)
        ws.merge_cells(start_row=1, start_column=column, end_row=1, end_column=column + 1)
        _header_cell(ws, 2, column, SCORE_NAMES[kind])
        _header_cell(ws, 2, column + 1, REASON_NAMES[kind])
        ws.column_dimensions[column_letter(column - 1)].width = SCORE_WIDTH
        ws.column_dimensions[column_letter(column)].width = REASON_WIDTH
        ws.add_data_validation(_score_rule(scheme, item, column, len(scheme.units)))
    ws.row_dimensions[1].height = 3 * LINE_POINTS
    for row, unit in enumerate(scheme.units, start=HEADER_ROWS + 1):
        name = ws.cell(row, 1, unit)
        name.border, name.alignment = BORDER, CENTER
        for column in range(2, 2 + 2 * len(items)):
            cell = ws.cell(row, column)
            cell.border, cell.alignment = BORDER, WRAP
            cell.protection, cell.fill = UNLOCKED, EDIT_FILL
        ws.row_dimensions[row].height = 2 * LINE_POINTS
    protect_for_printing(ws, f"B{HEADER_ROWS + 1}", f"1:{HEADER_ROWS}")


def _score_rule(scheme: Scheme, item: Item, column: int, units: int) -> DataValidation:
    kind = scheme.kind_of(item)
    what = SCORE_NAMES[kind]
    rule = DataValidation(
        type="decimal",
        operator="between",
        formula1="0",
        formula2=f"{item.points:g}",
        allow_blank=True,
        showErrorMessage=True,
        showInputMessage=True,
        promptTitle=f"{what}（0—{item.points:g}分）"[:32],
        prompt=f"{item.criteria}低于满分或有加减分的，请在右侧写明原因。"[:PROMPT_MAX],
        errorTitle=f"{what}无效",
        error=f"请填写 0 到 {item.points:g} 之间的数字，最多两位小数，不要带“分”字。",
    )
    first, last = HEADER_ROWS, HEADER_ROWS + units - 1  # zero-based rows
    rule.add(f"{cell_ref(first, column - 1)}:{cell_ref(last, column - 1)}")
    return rule


# ---------------------------------------------------------------- 情形认定 and hidden sheets


def _choices(ws: Worksheet, scheme: Scheme) -> None:
    """Column A the units, column B the situations: the sources of the drop-downs."""
    for row, unit in enumerate(scheme.units, start=1):
        ws.cell(row, 1, unit)
    for row, situation in enumerate(scheme.situations, start=1):
        ws.cell(row, 2, situation_label(scheme, situation))
    ws.sheet_state = "veryHidden"
    ws.protection.enable()


def _finding_sheet(ws: Worksheet, scheme: Scheme) -> None:
    for column, (text, width) in enumerate(zip(FINDING_HEADERS, FINDING_WIDTHS, strict=True), 1):
        _header_cell(ws, 1, column, text)
        ws.column_dimensions[column_letter(column - 1)].width = width
    rows = finding_rows(scheme)
    for row in range(2, rows + 2):
        for column in range(1, len(FINDING_HEADERS) + 1):
            cell = ws.cell(row, column)
            cell.border, cell.alignment = BORDER, WRAP
            cell.protection, cell.fill = UNLOCKED, EDIT_FILL
        ws.row_dimensions[row].height = 2 * LINE_POINTS
    for letter, count, title in (
        ("A", len(scheme.units), "被评议单位"),
        ("B", len(scheme.situations), "情形"),
    ):
        if not count:
            continue
        choice = DataValidation(
            type="list",
            formula1=f"{CHOICES_SHEET}!${letter}$1:${letter}${count}",
            allow_blank=True,
            showErrorMessage=True,
            showInputMessage=True,
            promptTitle=title,
            prompt=f"请从下拉列表中选择{title}。",
            errorTitle=f"{title}无效",
            error=f"请从下拉列表中选择{title}。",
        )
        choice.add(f"{letter}2:{letter}{rows + 1}")
        ws.add_data_validation(choice)
    protect_for_printing(ws, "A2", "1:1")


def _meta(ws: Worksheet, scheme: Scheme, scorer: str) -> None:
    for row in (
        ("scheme_id", scheme.id),
        ("year", scheme.year),
        ("scheme_hash", scheme.content_hash),
        ("scorer", scorer),
        ("template_version", TEMPLATE_VERSION),
    ):
        ws.append(row)
    ws.sheet_state = "veryHidden"
    ws.protection.enable()


def _header_cell(ws: Worksheet, row: int, column: int, text: str | None) -> None:
    cell = ws.cell(row, column, text)
    cell.font = Font(bold=True)
    cell.fill = HEADER_FILL
    cell.border = BORDER
    cell.alignment = CENTER
