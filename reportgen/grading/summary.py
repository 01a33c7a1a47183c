"""评议汇总.xlsx: the result table, every score with its reason, and every finding."""

from __future__ import annotations

import math
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from reportgen.grading import wording as W
from reportgen.grading.compute import GradingResult, Reason
from reportgen.grading.layout import EFFECT_NAMES, item_label
from reportgen.grading.model import Scheme
from reportgen.intake.layout import column_letter
from reportgen.intake.sheet_format import page_setup, text_width
from reportgen.intake.template import BORDER, CENTER, HEADER_FILL, LINE_POINTS, WRAP

MAX_WIDTH = 36
HEADER_WIDTH = 12


def write_summary(scheme: Scheme, result: GradingResult, out: Path) -> None:
    """Write the workbook to ``out`` (the caller makes it atomic)."""
    workbook = Workbook()
    _sheet(workbook.active, "评议结果", *_results(scheme, result))
    _sheet(workbook.create_sheet("评分明细"), "评分明细", *_scores(scheme, result))
    _sheet(workbook.create_sheet("情形认定"), "情形认定", *_findings(scheme, result))
    workbook.properties.creator = "reportgen"
    workbook.properties.title = f"{scheme.year}年度{scheme.subject}评议汇总"
    workbook.save(out)


def _lists_text(scheme: Scheme, lists: dict[str, tuple[Reason, ...]]) -> str:
    """'通报表扬：评议结果为A级；…' per list, one per line."""
    names = {r.id: r.name for r in scheme.lists}
    return "\n".join(f"{names[k]}：{'；'.join(r.text for r in v)}" for k, v in lists.items())


def _results(scheme: Scheme, result: GradingResult) -> tuple[list[str], list[list[object]]]:
    headers = [
        "名次",
        "单位",
        *(c.name for c in scheme.categories),
        "总分",
        "排名等级",
        "降级/否决等情形",
        "评议等级",
        "上年名次",
        "名次变化",
        "列入名单及理由",
        "未列入说明",
    ]
    rows: list[list[object]] = []
    for u in result.units:
        situations = [scheme.situation(f.situation_id) for f in u.findings]
        rows.append(
            [
                f"并列{u.place}" if u.tied else u.place,
                u.unit,
                *(float(u.subtotals[c.id]) for c in scheme.categories),
                float(u.total),
                u.ranked_grade,
                "\n".join(f"{s.name}（{s.clause}）" for s in situations),
                u.grade,
                u.previous_place,
                W.change(u.previous_place, u.place),
                _lists_text(scheme, u.lists),
                _lists_text(scheme, u.left_off),
            ]
        )
    return headers, rows


def _scores(scheme: Scheme, result: GradingResult) -> tuple[list[str], list[list[object]]]:
    headers = ["单位", "项目", "类别", "评分单位", "得分", "原因", "来源"]
    order = {u: n for n, u in enumerate(scheme.units)}
    items = {i.id: n for n, i in enumerate(scheme.items)}
    ranked = sorted(result.scores, key=lambda s: (order[s.unit], items[s.item_id]))
    rows: list[list[object]] = []
    for score in ranked:
        item = scheme.item(score.item_id)
        kind = scheme.kind_of(item)
        value = float(score.value)
        rows.append(
            [
                score.unit,
                item_label(item),
                scheme.category(item.category).name,
                item.scorer,
                -value if kind == "deduction" else value,
                score.reason,
                score.where,
            ]
        )
    return headers, rows


def _findings(scheme: Scheme, result: GradingResult) -> tuple[list[str], list[list[object]]]:
    headers = ["单位", "情形", "条款", "后果", "事实和依据", "来源"]
    names = {**EFFECT_NAMES, **{r.id: r.name for r in scheme.lists}}
    rows: list[list[object]] = []
    for unit in result.units:
        for finding in unit.findings:
            situation = scheme.situation(finding.situation_id)
            rows.append(
                [
                    unit.unit,
                    situation.name,
                    situation.clause,
                    names[situation.effect],
                    finding.facts,
                    finding.where,
                ]
            )
    return headers, rows


def _sheet(ws: Worksheet, title: str, headers: list[str], rows: list[list[object]]) -> None:
    ws.title = title
    ws.append(headers)
    for row in rows:
        ws.append(row)
    widths = [min(HEADER_WIDTH, text_width(h) + 2) for h in headers]
    for row in rows:
        for n, value in enumerate(row):
            longest = max((text_width(part) for part in str(value or "").split("\n")), default=0)
            widths[n] = min(MAX_WIDTH, max(widths[n], longest + 2))
    for n, width in enumerate(widths):
        ws.column_dimensions[column_letter(n)].width = width
    for cells in ws.iter_rows():
        for cell in cells:
            cell.border = BORDER
            cell.alignment = CENTER if cell.row == 1 else WRAP
            if cell.row == 1:
                cell.font = Font(bold=True)
                cell.fill = HEADER_FILL
        ws.row_dimensions[cells[0].row].height = LINE_POINTS * _lines(cells, widths)
    ws.freeze_panes = "C2" if title == "评议结果" else "B2"
    page_setup(ws, "landscape")
    ws.print_title_rows = "1:1"


def _lines(cells: tuple[Cell, ...], widths: list[int]) -> int:
    """How many lines the row's tallest cell wraps to (CJK characters count 2)."""
    return max(
        sum(
            max(1, math.ceil(text_width(part) / max(width - 2, 1)))
            for part in str(cell.value or "").split("\n")
        )
        for cell, width in zip(cells, widths, strict=True)
    )
