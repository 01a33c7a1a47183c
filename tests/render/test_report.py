"""Rendered reports, opened with python-docx: GB/T 9704 format, rows, shading, sentences, safety."""

from __future__ import annotations

import re
import shutil
import tempfile
import warnings
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportgen.compare import compare
from reportgen.errors import RenderError
from reportgen.render import ReportOptions, render_report
from reportgen.render.context import FILLS
from reportgen.render.pdf import find_soffice
from tests.support import gongwen
from tests.support import render_samples as rs
from tests.support.paths import TEMPLATES

OPTIONS = ReportOptions(date=date(2024, 7, 5), recipients="各县（区）人民政府")
KINDS = ("weekly", "quarterly", "midterm")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("reports")
    history = [("2023-Q4", rs.INDICATORS), ("2024-Q1", rs.INDICATORS)]
    comparisons = {
        "midterm": compare(rs.result(), history=history),
        "other": compare(rs.result(), previous=rs.previous().values()),
    }
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for kind in KINDS:
            comparison = comparisons["midterm" if kind == "midterm" else "other"]
            weekly = kind == "weekly"
            result = rs.result(period=rs.WEEK if weekly else rs.PERIOD)
            options = replace(OPTIONS, with_table=weekly)  # the brief's optional table
            out[kind] = render_report(result, kind, folder / f"{kind}.docx", options, comparison)
    return out


def texts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def indicator_rows(doc) -> dict[str, list]:
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "编号")
    return {row.cells[0].text: row for row in table.rows[1:]}


# ---------------------------------------------------------------- GB/T 9704 format


@pytest.mark.parametrize("kind", KINDS)
def test_page_size_and_margins_in_twips(rendered, kind):
    gongwen.check_page_and_margins(Document(rendered[kind]))


@pytest.mark.parametrize("kind", KINDS)
def test_document_grid_22_lines_28_chars(rendered, kind):
    gongwen.check_grid(Document(rendered[kind]))


@pytest.mark.parametrize("kind", KINDS)
def test_body_title_and_heading_fonts(rendered, kind):
    gongwen.check_fonts(Document(rendered[kind]))


@pytest.mark.parametrize("kind", KINDS)
def test_page_numbers_odd_right_even_left(rendered, kind):
    gongwen.check_page_numbers(Document(rendered[kind]))


def test_font_table_names_fallbacks(rendered):
    gongwen.check_font_fallbacks(rendered["quarterly"])


# ---------------------------------------------------------------- content


@pytest.mark.parametrize("kind", ["weekly", "quarterly"])
def test_each_indicator_row_shows_completion_and_status(rendered, kind):
    rows = indicator_rows(Document(rendered[kind]))
    expected = {
        "I1": ("33.3%", "▲滞后", "+0.5", "+16.7"),
        "I2": ("120.0%", "已完成", "+2", "+40.0"),
        "I3": ("50.0%", "进度正常", "0", "0"),
        "I4": ("20.0%", "▲▲严重滞后", "0", "0"),
        "I5": ("—", "未填报", "—", "—"),
    }
    for ind_id, (completion, status, change, change_pp) in expected.items():
        cells = [c.text for c in rows[ind_id].cells]
        assert cells[5] == completion
        assert cells[6] == "49.9%"
        assert cells[7] == status
        assert cells[8:] == [change, change_pp]


def _fills(row) -> set[str | None]:
    """Each cell's fill; None for a cell without shading (rows without a status colour)."""
    shadings = [tc.find(f"{qn('w:tcPr')}/{qn('w:shd')}") for tc in row._tr.tc_lst]
    return {None if shd is None else shd.get(qn("w:fill")) for shd in shadings}


@pytest.mark.parametrize("kind", KINDS)
def test_rows_are_shaded_by_status(rendered, kind):
    rows = indicator_rows(Document(rendered[kind]))
    assert _fills(rows["I1"]) == {FILLS["滞后"]}
    assert _fills(rows["I4"]) == {FILLS["严重滞后"]}
    assert _fills(rows["I2"]) == {FILLS["已完成"]}
    assert _fills(rows["I3"]) == {None}


@pytest.mark.parametrize("kind", KINDS)
def test_table_header_repeats_and_rows_do_not_split(rendered, kind):
    table = next(t for t in Document(rendered[kind]).tables if t.rows[0].cells[0].text == "编号")
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in table.rows)


def _bold_runs(paragraph) -> str:
    return "".join(r.text for r in paragraph.runs if r.bold)


@pytest.mark.parametrize("kind", KINDS)
def test_binding_alert_is_bold(rendered, kind):
    doc = Document(rendered[kind])
    status = indicator_rows(doc)["I1"].cells[5 if kind == "midterm" else 7].paragraphs[0]
    assert _bold_runs(status) == "▲滞后"
    assert (
        _bold_runs(indicator_rows(doc)["I4"].cells[5 if kind == "midterm" else 7].paragraphs[0])
        == ""
    )
    alert = next(p for p in doc.paragraphs if p.text.startswith("约束性指标全市强检"))
    assert _bold_runs(alert) == alert.text


def test_quarterly_sentences_one_per_status(rendered):
    body = texts(Document(rendered["quarterly"]))
    for sentence in (
        "全市强检计量器具检定覆盖率达到95%（较上期提高0.5个百分点），2025年目标为97%（序时应达"
        "95.5%），当期完成率33.3%，低于时间进度16.6个百分点，进度滞后。"
        "该指标为约束性指标，须采取有力措施确保完成。",
        "注册计量师达到46人（较上期增加2人），已完成2025年目标（45人）。",
        "计量技术机构达到9家（与上期持平），2025年目标为10家（序时应达9家），当期完成率50.0%，"
        "超过时间进度0.1个百分点。",
        "诚信计量示范单位达到120家（与上期持平），2025年目标为200家（序时应达150家），"
        "当期完成率20.0%，低于时间进度29.9个百分点，"
        "进度严重滞后。",
        "主持编制地方检定规程本期未报送数据。",
    ):
        assert sentence in body


def test_quarterly_structure(rendered):
    body = texts(Document(rendered["quarterly"]))
    assert body[0] == "关于测试市计量发展规划实施方案\n2024年第二季度进展情况的报告"
    assert body[1] == "各县（区）人民政府："
    headings = [t for t in body if re.match(r"^[一二三四五]、", t)]
    assert headings == [
        "一、总体进展情况",
        "二、主要指标完成情况",
        "三、重点任务推进情况",
        "四、存在的问题",
        "五、下一步工作安排",
    ]
    assert "附件：主要指标完成情况表" in body
    assert body.index("测试市市场监督管理局") + 1 == body.index("2024年7月5日")
    assert "图1　主要指标完成率与序时进度对比" in body or any("图1" in t for t in body)
    assert "{{" not in "".join(body) and "{%" not in "".join(body)


def test_weekly_is_short_and_lists_shortfalls_first(rendered):
    doc = Document(rendered["weekly"])
    body = texts(doc)
    assert body[1] == "2024年第26周（6月24日—6月30日）"
    attention = body[body.index("二、需关注事项") + 1]
    assert attention.startswith("进度严重滞后的指标1项：诚信计量示范单位（完成率20.0%")
    assert not doc.inline_shapes  # no chart in the weekly brief


def test_midterm_projection_risk_and_trend(rendered):
    doc = Document(rendered["midterm"])
    body = texts(doc)
    assert body[0] == "测试市计量发展规划实施方案\n中期评估报告（初稿）"
    assert any(t.startswith("约束性指标全市强检计量器具检定覆盖率：按目前进度推算") for t in body)
    trend = next(t for t in doc.tables if t.rows[0].cells[0].text == "指标")
    assert [c.text for c in trend.rows[0].cells] == ["指标", "2023-Q4", "2024-Q1", "2024-Q2"]
    assert len(doc.inline_shapes) == 2  # bar chart and trend chart


def test_midterm_without_history_says_so(tmp_path):
    out = render_report(rs.result(), "midterm", tmp_path / "m.docx", OPTIONS)
    body = texts(Document(out))
    assert any(t.startswith("目前尚无往期存档数据") for t in body)
    assert not [t for t in Document(out).tables if t.rows[0].cells[0].text == "指标"]


def test_weekly_without_previous_says_no_data(tmp_path):
    options = replace(OPTIONS, with_table=True)
    out = render_report(rs.result(period=rs.WEEK), "weekly", tmp_path / "w.docx", options)
    cells = [c.text for c in indicator_rows(Document(out))["I1"].cells]
    assert cells[8:] == ["无上期数据", "无上期数据"]


def test_many_indicators_skip_the_chart(tmp_path):
    out = render_report(rs.many(60), "quarterly", tmp_path / "q.docx", OPTIONS)
    doc = Document(out)
    assert not doc.inline_shapes
    assert len(indicator_rows(doc)) == 60


# ---------------------------------------------------------------- safety


def test_unknown_kind_is_refused(tmp_path):
    with pytest.raises(RenderError, match="未知的报告类型"):
        render_report(rs.result(), "monthly", tmp_path / "x.docx", OPTIONS)
    assert not list(tmp_path.iterdir())


def _user_template(tmp_path, extra: str) -> Path:
    doc = Document(TEMPLATES / "weekly.docx")
    doc.add_paragraph(extra)
    path = tmp_path / "user.docx"
    doc.save(path)
    return path


@pytest.mark.parametrize(
    "attack", ["{{ ''.__class__ }}", "{{ rows.__class__.__mro__ }}", "{{ title.__init__ }}"]
)
def test_sandbox_refuses_dunder_access(tmp_path, attack):
    options = ReportOptions(template=_user_template(tmp_path, attack))
    out = tmp_path / "out.docx"
    with pytest.raises(RenderError, match="不允许"):
        render_report(rs.result(period=rs.WEEK), "weekly", out, options)
    assert not out.exists()


def test_user_template_renders_in_the_sandbox(tmp_path):
    path = tmp_path / "mine.docx"
    shutil.copy(TEMPLATES / "quarterly.docx", path)
    out = render_report(rs.result(), "quarterly", tmp_path / "q.docx", ReportOptions(template=path))
    assert indicator_rows(Document(out))["I1"].cells[7].text == "▲滞后"


def test_broken_user_template_is_refused_with_location(tmp_path):
    options = ReportOptions(template=_user_template(tmp_path, "{{ title "))
    with pytest.raises(RenderError) as caught:
        render_report(rs.result(period=rs.WEEK), "weekly", tmp_path / "o.docx", options)
    assert any("段" in p.where and "缺少结束符号" in p.message for p in caught.value.problems)


def test_not_a_docx_template(tmp_path):
    bogus = tmp_path / "t.docx"
    bogus.write_bytes(b"not a zip")
    with pytest.raises(RenderError, match="不是有效的 Word 文档"):
        render_report(
            rs.result(period=rs.WEEK), "weekly", tmp_path / "o.docx", ReportOptions(template=bogus)
        )


def test_failed_render_leaves_nothing_and_keeps_existing_output(tmp_path, monkeypatch):
    out = tmp_path / "report.docx"
    out.write_bytes(b"previous report")

    def fail(*_args):
        raise OSError("disk full")

    monkeypatch.setattr("reportgen.render.summary.write_summary", fail)
    options = ReportOptions(summary_xlsx=tmp_path / "s.xlsx")
    with pytest.raises(OSError):
        render_report(rs.result(period=rs.WEEK), "weekly", out, options)
    assert out.read_bytes() == b"previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.docx"]


def test_pdf_without_libreoffice_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr("reportgen.render.pdf.find_soffice", lambda: None)
    with pytest.raises(RenderError, match=r"未找到 LibreOffice.*apt-get install"):
        render_report(
            rs.result(period=rs.WEEK), "weekly", tmp_path / "w.docx", ReportOptions(pdf=True)
        )
    assert not list(tmp_path.iterdir())


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) 未安装")
def test_pdf_through_libreoffice_even_with_hostile_text(tmp_path):
    nasty = "<w:p>&amp;{{ title }}{%p if x %}{_{ a }_}\x00\x0b\r\n\t😀\u202e" + "长" * 10_000
    tasks = [replace(rs.TASKS[0], progress=nasty, title=nasty[:40])]
    indicators = [replace(rs.INDICATORS[0], name=nasty[:60]), *rs.INDICATORS[1:]]
    options = ReportOptions(pdf=True)
    out = render_report(rs.result(indicators, tasks), "quarterly", tmp_path / "q.docx", options)
    pdf = out.with_suffix(".pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["q.docx", "q.pdf"]


# ---------------------------------------------------------------- hostile text

ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
NASTY = st.sampled_from(
    ["<w:p>", "&amp;", "&", "{{ title }}", "{%p if x %}", "{_{ a }_}", "%_}", "]]>", "\x00\x0b\x1f",
     "\r\n", "\t", "😀👩‍💻", "\u202e", "\ufffe", "长" * 10_000, "$\\frac{1}{0}$", "'\""]
)  # fmt: skip
TEXT = st.lists(st.one_of(st.text(max_size=40), NASTY), max_size=4).map("".join)


def _expected(text: str) -> str:
    """What must come back: the text minus XML-illegal characters, CR/CRLF as line breaks."""
    return ILLEGAL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=TEXT.filter(lambda t: _expected(t).strip()), progress=TEXT, title=TEXT)
def test_any_user_text_gives_a_valid_docx(name, progress, title):
    indicators = [replace(rs.INDICATORS[0], name=name)]
    tasks = [replace(rs.TASKS[0], progress=progress, title=title)]
    with tempfile.TemporaryDirectory() as tmp:
        out = render_report(
            rs.result(indicators, tasks), "quarterly", Path(tmp) / "q.docx", OPTIONS
        )
        doc = Document(out)
        paragraphs = [p.text for p in doc.paragraphs]
        cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    everything = "\n".join(paragraphs + cells)
    assert _expected(name) in cells
    if _expected(progress).strip():
        assert _expected(progress).strip() in everything
    if _expected(progress).strip():
        assert f"1.{_expected(title).strip()}" in everything
