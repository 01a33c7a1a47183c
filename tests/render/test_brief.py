"""The weekly brief: what is new this week, what needs attention, next week; two pages at most."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from docx import Document

from reportgen.compare import compare
from reportgen.errors import PeriodError
from reportgen.plan import load_plan
from reportgen.render import ReportOptions, brief, render_report
from reportgen.render.report import check_period
from tests.support import render_samples as rs
from tests.support.pdf_pages import many_to_pdf, needs_libreoffice, page_texts
from tests.support.weekly_data import weekly_result

CATALOG = ("jinan-2023-metrology", "qingdao-2023-metrology", "shandong-2013-metrology",
           "zhoushan-2023-metrology")  # fmt: skip


def test_weekly_needs_a_week_and_shows_the_form():
    check_period("weekly", rs.WEEK)
    check_period("quarterly", rs.PERIOD)
    with pytest.raises(PeriodError, match=r"--period 2024-W26 这样的形式（2024年第26周"):
        check_period("weekly", rs.PERIOD)


def test_only_new_figures_are_progress_when_an_archive_exists():
    result = rs.result(period=rs.WEEK)
    previous = [replace(i, actual=i.actual) for i in rs.INDICATORS]
    previous[1] = replace(previous[1], actual=44.0)  # 注册计量师 changed since
    comparison = compare(result, previous=previous)
    assert [i.id for i in brief.new_figures(result, comparison)] == ["I2"]
    text = brief.progress_items(result, comparison)[0].text
    assert text.startswith("指标方面：注册计量师46人（较上期增加2人），完成率120.0%")
    assert [i.id for i in brief.new_figures(result, compare(result))] == ["I1", "I2", "I3", "I4"]


def test_attention_is_one_line_each_and_silent_departments_once():
    items = brief.attention_items(rs.result(period=rs.WEEK))
    assert [i.text[:7] for i in items[:2]] == ["进度严重滞后的", "进度滞后的指标"]
    assert items[-1].text == (
        "本周有1项指标数据、1项重点任务进展未报送（涉及市市场监管局、市人力社保局）。"
    )


def test_first_clause_is_short_and_plain():
    assert brief.first_clause("【市科技局】立项2项。另有3项在审。") == "市科技局立项2项。"
    assert len(brief.first_clause("长" * 200)) == brief.CLAUSE_CHARS + 1


def test_brief_sections_and_no_table_unless_asked(tmp_path):
    options = ReportOptions(date=date(2024, 7, 1))
    out = render_report(rs.result(period=rs.WEEK), "weekly", tmp_path / "w.docx", options)
    document = Document(str(out))
    body = [p.text for p in document.paragraphs]
    assert body[0] == "测试市计量发展规划实施方案进展周报"
    assert body[1] == "2024年第26周（6月24日—6月30日）"
    assert [t for t in body if t[:2] in ("一、", "二、", "三、")] == [
        "一、本周主要进展", "二、需关注事项", "三、下周安排"
    ]  # fmt: skip
    assert "1.加强计量标准建设：新建社会公用计量标准2项。" in body
    assert not document.tables
    options = replace(options, with_table=True)
    out = render_report(rs.result(period=rs.WEEK), "weekly", tmp_path / "t.docx", options)
    assert len(Document(str(out)).tables) == 1


@pytest.mark.slow
@needs_libreoffice
def test_weekly_brief_of_each_catalog_plan_fits_two_pages(tmp_path):
    week = rs.WEEK
    docs = [
        render_report(weekly_result(load_plan(p), week), "weekly", tmp_path / f"{p}.docx")
        for p in CATALOG
    ]
    for plan_id, pdf in zip(CATALOG, many_to_pdf(docs, tmp_path), strict=True):
        pages = page_texts(pdf)
        assert len(pages) <= 2, plan_id
        assert "三、下周安排" in "".join(pages)
