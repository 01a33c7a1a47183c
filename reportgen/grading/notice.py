"""The 评议结果通报: a GB/T 9704 公文 built on render's document skeleton (python-docx).

一、评议结果 (grades, 降级/否决 with their clauses), one section per list (通报表扬, 约谈 …)
with each unit's reasons, the 整改 requirement of 第十条, 落款, and the ranking table as 附件.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from docx.document import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm
from docx.table import Table

from reportgen import fmt
from reportgen.grading import wording as W
from reportgen.grading.compute import GradingResult, UnitResult
from reportgen.grading.model import GRADE_EFFECTS, Scheme
from reportgen.render import layout, oxml
from reportgen.render.gbt9704 import (
    CELL_MARGIN,
    HEADER_FILL,
    MARGINS_MM,
    PAGE_MM,
    new_document,
    slim,
)

NUMERALS = "一二三四五六七八九十"
KIND_NAME = "评议结果通报"
FIXED_MM = {"名次": 15, "单位": 20, "总分": 14, "等级": 10, "较上年": 13}
TEXT_WIDTH_MM = PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]


@dataclass(frozen=True)
class NoticeFront:
    """The 通报's date (成文日期; the 整改 deadline counts from it)."""

    date: date


def notice_title(scheme: Scheme) -> str:
    return f"关于{scheme.year}年度{scheme.subject}评议结果的通报"


def attachment_title(scheme: Scheme) -> str:
    return f"{scheme.year}年度{scheme.subject}评议结果"


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day (1月31日 + 1 -> 2月28/29日)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def build_notice(scheme: Scheme, result: GradingResult, front: NoticeFront) -> Document:
    """The whole 通报 as a python-docx Document."""
    doc = new_document()
    doc.add_paragraph(notice_title(scheme), style="Title")
    doc.add_paragraph(f"{scheme.recipients}：", style="主送")
    doc.add_paragraph(_intro(scheme))
    sections = [("评议结果", _result_paragraphs(scheme, result))]
    for rule in scheme.lists:
        sections.append((rule.name, _list_paragraphs(scheme, result, rule.id)))
    sections.append(("整改要求", [_rectification(scheme, front.date)]))
    for number, (heading, paragraphs) in enumerate(sections):
        doc.add_paragraph(f"{NUMERALS[number]}、{heading}", style="Heading 1")
        for text in paragraphs:
            doc.add_paragraph(text)
    _closing(doc, scheme, front.date)
    _attachment(doc, scheme, result)
    layout.finish(doc, notice_title(scheme), scheme.organizer, KIND_NAME)
    slim(doc)
    return doc


def _intro(scheme: Scheme) -> str:
    number = f"（{scheme.doc_number}）" if scheme.doc_number else ""
    return (
        f"根据《{scheme.measures}》{number}和《{scheme.title}》，{scheme.organizer_short}"
        f"会同{scheme.authority_short}相关成员单位，对{scheme.year}年度{scheme.subject}"
        f"进行了评议。经{scheme.authority_short}审定，现将评议结果通报如下。"
    )


def _result_paragraphs(scheme: Scheme, result: GradingResult) -> list[str]:
    rules = scheme.grading
    share = rules.top.share
    top = f"{share.numerator}/{share.denominator}"
    first = (
        f"本年度共评议{len(result.units)}个单位。按总分排名，位于前{top}"
        f"（第{result.top_count}名及以前，得分相同的并列同一名次）且无降级和否决情形的评为"
        f"{rules.top.grade}级，其余无降级和否决情形的评为{rules.rest}级。评议结果为："
    )
    groups = []
    for level in rules.levels:
        names = [u.unit for u in result.units if u.grade == level]
        if names:
            groups.append(f"{level}级{len(names)}个：{W.joined(names)}")
    lines = [first + "；".join(groups) + "。"]
    lines += [_grade_change(scheme, u) for u in result.units if u.grade != u.ranked_grade]
    lines.append("各单位得分、名次和等级见附件。")
    return lines


def _grade_change(scheme: Scheme, unit: UnitResult) -> str:
    """'某区存在评议中弄虚作假（第八条第二款第（三）项）情形，评议等级由A级下调为B级。'"""
    vetoes = unit.with_effect(scheme, "veto")
    situations = [scheme.situation(f.situation_id) for f in vetoes or unit.findings]
    causes = W.joined(
        [W.situation_reason(s.name, s.clause) for s in situations if s.effect in GRADE_EFFECTS]
    )
    if vetoes:
        return f"{unit.unit}存在{causes}情形，评议等级为{unit.grade}级。"
    return f"{unit.unit}存在{causes}情形，评议等级由{unit.ranked_grade}级下调为{unit.grade}级。"


def _list_paragraphs(scheme: Scheme, result: GradingResult, list_id: str) -> list[str]:
    rule = next(r for r in scheme.lists if r.id == list_id)
    units = result.on_list(list_id)
    if not units:
        return [f"本年度没有符合《{scheme.measures}》{rule.clause}{rule.name}规定的单位。"]
    lines = [f"根据《{scheme.measures}》{rule.clause}，下列{len(units)}个单位{rule.action}："]
    for number, unit in enumerate(units, start=1):
        reasons = "；".join(r.text for r in unit.lists[list_id])
        lines.append(f"{number}. {unit.unit}：{reasons}。")
    return lines


def _rectification(scheme: Scheme, day: date) -> str:
    rule = scheme.rectification
    deadline = fmt.date_cn(add_months(day, rule.within_months))
    copy = f"，并抄送{rule.copy_to}" if rule.copy_to else ""
    return (
        f"根据《{scheme.measures}》{rule.clause}，各单位应当在本通报印发后{rule.within_months}个月内"
        f"（{deadline}前）向{rule.report_to}作出书面报告，对通报的问题提出整改措施和时限{copy}。"
        f"{scheme.organizer_short}将会同相关成员单位督促完成通报问题整改，对评议排名靠后的单位加强指导。"
    )


def _closing(doc: Document, scheme: Scheme, day: date) -> None:
    """附件说明, one blank line, 署名 and 成文日期 (placed by render's layout.finish)."""
    doc.add_paragraph()
    doc.add_paragraph(f"附件：{attachment_title(scheme)}")
    doc.add_paragraph()
    doc.add_paragraph(scheme.organizer, style="落款")
    doc.add_paragraph(fmt.date_cn(day), style="成文日期")


# ---------------------------------------------------------------- 附件: the ranking table


def table_columns(scheme: Scheme) -> list[tuple[str, float]]:
    """(header, width mm): place, unit, one column per category, total, grade, change."""
    categories = [c.short or c.name for c in scheme.categories]
    fixed = sum(FIXED_MM.values())
    each = (TEXT_WIDTH_MM - fixed) / len(categories)
    return [
        ("名次", FIXED_MM["名次"]),
        ("单位", FIXED_MM["单位"]),
        *((name, each) for name in categories),
        ("总分", FIXED_MM["总分"]),
        ("等级", FIXED_MM["等级"]),
        ("较上年", FIXED_MM["较上年"]),
    ]


def table_rows(scheme: Scheme, result: GradingResult) -> list[list[str]]:
    return [
        [
            f"并列{u.place}" if u.tied else str(u.place),
            u.unit,
            *(W.score(u.subtotals[c.id]) for c in scheme.categories),
            W.score(u.total),
            u.grade,
            W.change(u.previous_place, u.place) or "—",
        ]
        for u in result.units
    ]


def _attachment(doc: Document, scheme: Scheme, result: GradingResult) -> None:
    doc.add_paragraph("附件", style="附件标识")
    doc.add_paragraph()  # the title goes on line 3
    doc.add_paragraph(attachment_title(scheme), style="Title")
    columns = table_columns(scheme)
    rows = table_rows(scheme, result)
    table = doc.add_table(rows=1 + len(rows), cols=len(columns), style="Table Grid")
    _format_table(table, [w for _, w in columns])
    for cell, (header, _) in zip(table.rows[0].cells, columns, strict=True):
        cell.paragraphs[0].style = doc.styles["表头文字"]
        cell.paragraphs[0].add_run(header)
        oxml.set_cell_shading(cell._tc, HEADER_FILL)
    for row, values in zip(table.rows[1:], rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.paragraphs[0].style = doc.styles["表格文字"]
            cell.paragraphs[0].add_run(value)
    oxml.set_repeat_header(table.rows[0]._tr)
    previous = result.previous
    since = f"较{previous.year}年度（{previous.source}）" if previous else "较上年度"
    doc.add_paragraph(
        f"注：名次按总分排列，得分相同的并列同一名次；减分以负数列出。“较上年”为名次{since}的变化，"
        "↑为前移，↓为后移，“—”为无上年度名次。",
        style="表注",
    )


def _format_table(table: Table, widths_mm: list[float]) -> None:
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    oxml.set_cell_margins(table._tbl, CELL_MARGIN, CELL_MARGIN)
    for row in table.rows:
        oxml.set_cant_split(row._tr)
        for cell in row.cells:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)
