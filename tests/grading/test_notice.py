"""The 评议结果通报 (.docx): 公文 format, its sentences and table; the 评议汇总.xlsx."""

from __future__ import annotations

import re
from datetime import date

import openpyxl
import pytest
from docx import Document
from docx.oxml.ns import qn

from reportgen.grading import NoticeFront, compute, write_outputs
from reportgen.grading.notice import add_months
from tests.support import gongwen
from tests.support import grading_builders as gb
from tests.support.pdf_pages import needs_libreoffice, page_texts

DAY = date(2025, 1, 20)


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    folder = tmp_path_factory.mktemp("notice")
    scheme = gb.scheme()
    result = compute(scheme, gb.scores(), gb.findings(), gb.previous())
    return write_outputs(
        scheme, result, NoticeFront(DAY), folder / "通报.docx", folder / "评议汇总.xlsx"
    )


@pytest.fixture(scope="module")
def doc(written):
    return Document(written.notice)


def body(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def test_notice_is_a_gbt9704_document(written, doc):
    gongwen.check_page_and_margins(doc)
    gongwen.check_grid(doc)
    gongwen.check_fonts(doc)
    gongwen.check_page_numbers(doc)
    gongwen.check_font_fallbacks(written.notice)


def test_title_recipients_headings_and_signature(doc):
    text = body(doc)
    assert text[0].replace("\n", "") == "关于2024年度各区县食品安全工作评议结果的通报"
    assert "\n" in text[0]  # broken into balanced lines by render's layout.finish
    assert doc.paragraphs[1].style.name == "主送"
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["一、评议结果", "二、通报表扬", "三、约谈", "四、视情约谈", "五、整改要求"]
    signature = next(p for p in doc.paragraphs if p.style.name == "落款")
    assert signature.text == "济南市食品药品安全委员会办公室"
    assert next(p.text for p in doc.paragraphs if p.style.name == "成文日期") == "2025年1月20日"


def test_grades_and_their_changes_are_stated_with_clauses(doc):
    text = body(doc)
    assert any(
        "A级3个：市中区、天桥区、历城区；B级7个：历下区、长清区、章丘区、莱芜区、钢城区、平阴县、商河县；"
        "C级1个：济阳区；D级1个：槐荫区。" in t
        for t in text
    )
    assert (
        "历下区存在评议中弄虚作假（第八条第二款第（三）项）情形，评议等级由A级下调为B级。" in text
    )
    assert (
        "济阳区存在属地管理责任落实不到位（第八条第二款第（一）项）、掺杂掺假等违法犯罪处置不力"
        "（第八条第二款第（五）项）情形，评议等级由B级下调为C级。" in text
    )
    assert (
        "槐荫区存在瞒报谎报缓报食品安全事故（第八条第三款第（一）项）情形，评议等级为D级。" in text
    )


def test_lists_carry_each_units_reasons(doc):
    text = body(doc)
    assert "3. 历城区：评议结果为A级；名次较上年度前移3位（由第7名升至第4名）。" in text
    assert "4. 章丘区：工作成效突出（第十三条第一款第（三）项）。" in text
    assert "2. 钢城区：评议名列后3位（第10名）。" in text
    assert "1. 长清区：名次较上年度后移3位（由第3名降至第6名）。" in text
    assert not any("槐荫区：名次" in t for t in text)  # rose 2 places, but 否决: not commended


def test_rectification_deadline_one_month_after_the_notice(doc):
    assert any(
        "本通报印发后1个月内（2025年2月20日前）向市食药安委作出书面报告" in t for t in body(doc)
    )


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [(date(2025, 1, 31), 1, date(2025, 2, 28)), (date(2024, 12, 15), 1, date(2025, 1, 15))],
)
def test_add_months_keeps_the_day_or_takes_the_months_last(day, months, expected):
    assert add_months(day, months) == expected


def test_attachment_table_ranks_every_unit(doc):
    table = doc.tables[0]
    header = [c.text for c in table.rows[0].cells]
    assert header == [
        "名次", "单位", "基础工作", "重点工作", "安全状况", "即时性工作", "加分", "减分",
        "总分", "等级", "较上年",
    ]  # fmt: skip
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert [r[1] for r in rows] == gb.UNITS
    assert rows[0] == ["1", "历下区", "58", "38", "0", "15", "5", "-4", "112", "B", "持平"]
    assert rows[4][:2] == ["并列4", "历城区"] and rows[4][-3:] == ["101.25", "A", "↑3"]
    assert rows[5][-1] == "↓3"
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in table.rows)


def test_summary_workbook_has_results_scores_and_findings(written):
    book = openpyxl.load_workbook(written.summary)
    assert book.sheetnames == ["评议结果", "评分明细", "情形认定"]
    results = list(book["评议结果"].iter_rows(values_only=True))
    assert results[0][:2] == ("名次", "单位")
    huaiyin = next(r for r in results if r[1] == "槐荫区")
    assert huaiyin[-3:] == (
        "↑2",
        "约谈：评议结果为D级",
        "通报表扬：名次较上年度前移2位（由第5名升至第3名）；存在否决情形，不列入",
    )
    scores = list(book["评分明细"].iter_rows(values_only=True))
    assert len(scores) == 1 + 12 * 6
    assert scores[-1][:5] == ("商河县", "M1 食品安全事件（10分）", "减分项", "市食药安办", -3)
    assert len(list(book["情形认定"].iter_rows())) == 1 + len(gb.FINDINGS)


@pytest.mark.slow
@needs_libreoffice
def test_notice_converts_to_pdf_with_the_table_on_its_own_page(tmp_path):
    scheme = gb.scheme()
    result = compute(scheme, gb.scores(), gb.findings(), gb.previous())
    written = write_outputs(scheme, result, NoticeFront(DAY), tmp_path / "通报.docx", with_pdf=True)
    assert written.pdf is not None
    pages = [re.sub(r"\s", "", page) for page in page_texts(written.pdf)]
    assert pages[0].startswith("关于2024年度各区县食品安全工作评议结果的通报")
    assert pages[-1].startswith("附件2024年度各区县食品安全工作评议结果")
    assert pages[-1].count("并列4") == 2
    assert "济南市食品药品安全委员会办公室2025年1月20日" in pages[-2]
