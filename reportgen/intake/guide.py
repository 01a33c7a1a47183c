"""The 填写说明 sheet: who fills what, how to enter each kind of figure, and a contact line."""

from __future__ import annotations

import math
from datetime import date

from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from reportgen import fmt
from reportgen.intake.layout import (
    GUIDE_SHEET,
    INDICATOR_SHEET,
    METHOD_ENTRY,
    METHOD_HELP,
    TASK_SHEET,
    TASK_STATUSES,
    RoundSheet,
    indicators_for,
    tasks_for,
)
from reportgen.intake.sheet_format import page_setup, text_width
from reportgen.periods import Period
from reportgen.plan import Plan

GUIDE_WIDTH = 100
_CONTACT = "填报人：＿＿＿＿＿＿＿　　审核人：＿＿＿＿＿＿＿　　联系电话：＿＿＿＿＿＿＿＿"
_ROUND_CONTACT = "请在数据表顶部的黄色格中填写填报人和联系电话，以便核实数据时联系。"


def write_guide(
    ws: Worksheet,
    plan: Plan,
    period: Period,
    department: str | None,
    deadline: date | None,
    round_sheet: RoundSheet | None = None,
) -> None:
    """Fill ``ws`` (renamed 填写说明) with the instructions, one paragraph per row."""
    ws.title = GUIDE_SHEET
    ws.column_dimensions["A"].width = GUIDE_WIDTH
    for row, (text, bold) in enumerate(
        guide_lines(plan, period, department, deadline, round_sheet), 1
    ):
        cell = ws.cell(row, 1, text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.font = Font(bold=bold, size=14 if row <= 2 else 11)
        lines = math.ceil(text_width(text) / (GUIDE_WIDTH - 4))
        ws.row_dimensions[row].height = max(1, lines) * (22 if row <= 2 else 16)
    page_setup(ws, "portrait")


def guide_lines(
    plan: Plan,
    period: Period,
    department: str | None,
    deadline: date | None,
    round_sheet: RoundSheet | None = None,
) -> list[tuple[str, bool]]:
    """(paragraph, bold) in reading order."""
    indicators = indicators_for(plan, department, round_sheet is not None and round_sheet.weekly)
    tasks = tasks_for(plan, department)
    year = period.year
    lines: list[tuple[str, bool]] = [
        (plan.title, True),
        (f"{period.label}实施进展填报表", True),
        (f"填报单位：{department or '各有关单位'}", False),
        (
            f"报告期：{period.label}（{fmt.date_cn(period.start)}至{fmt.date_cn(period.end)}）",
            False,
        ),
    ]
    if round_sheet is not None:
        lines.append((f"报送时间：请于{round_sheet.deadline}前报送。", False))
    elif deadline:
        lines.append((f"报送时间：请于{fmt.date_cn(deadline)}前报送。", False))
    scope = (
        f"本表列出{department}牵头或配合的 {len(tasks)} 项重点任务和需要填报的 {len(indicators)} 项指标。"
        if department
        else f"本表列出方案的全部 {len(indicators)} 项指标和 {len(tasks)} 项重点任务，各单位按职责分工填报。"
    )
    lines += [
        ("一、填报内容", True),
        (scope, False),
        (
            f"1.“{INDICATOR_SHEET}”表：只填写浅黄色的“完成值”“数据截至日期”“填报说明”三列。"
            "指标编号、名称、单位、目标等由方案生成，已锁定，请勿修改。",
            False,
        ),
        (
            f"2.“{TASK_SHEET}”表：在“进展状态”中选择{'、'.join(TASK_STATUSES)}之一，"
            "并填写“工作进展”“存在问题”“下步计划”。牵头单位填写总体进展，配合单位填写本单位承担的部分。",
            False,
        ),
        ("二、完成值怎么填", True),
        ("1. 只填数字，不带单位，如 12 或 95.5；单位见“单位”列。", False),
        ("2. 单位为“%”的指标填百分数的数值：95% 填 95。", False),
        ("3. 按指标类型填写（选中单元格时会显示提示）：", False),
    ]
    methods = list(dict.fromkeys(i.method for i in indicators))
    lines += [(f"　　{METHOD_ENTRY[m]}：{METHOD_HELP[m]}。", False) for m in methods]
    lines += [
        ("4. 暂无数据的请留空，并在“填报说明”中写明原因。留空表示“未填报”，不会按 0 计算。", False),
        (f"5. “数据截至日期”留空表示截至报告期末（{fmt.date_cn(period.end)}）。", False),
        (
            f"6. “本年目标”是方案为{year}年设定的目标；方案未设{year}年目标的，显示其后最近一个"
            "目标年份的目标，并在数值后注明年份，如“80（2025年）”。“基期值”“规划目标”后也注明了年份。",
            False,
        ),
        ("三、注意事项", True),
        (
            "1. 请直接在本文件中填写，不要增删行、修改编号或表头，也不要把内容复制到新文件，"
            "否则无法自动核对。可以调整列宽和行高。",
            False,
        ),
        ("2. 请保存为 Excel 工作簿（.xlsx）格式报送，文件名保持不变。", False),
        ("", False),
        (_CONTACT if round_sheet is None else _ROUND_CONTACT, False),
    ]
    if round_sheet is not None:
        lines.insert(
            -2,
            (
                f"3. “上期值”是{round_sheet.previous_period}归档的数值，供对照，已锁定；"
                "本期数值请填在右侧的“完成值”列。",
                False,
            ),
        )
    return lines
