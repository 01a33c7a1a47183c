"""The signature block (GB/T 9704-2012 §7.3.5), title lines, attachment page, file properties."""

from __future__ import annotations

import warnings
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from docx import Document
from docx.oxml.ns import qn

from reportgen.render import RenderWarning, ReportOptions, render_report
from reportgen.render.gbt9704 import CHARS
from reportgen.render.layout import signature_indents
from reportgen.render.titles import width
from tests.support import render_samples as rs
from tests.support.pdf_pages import many_to_pdf, needs_libreoffice, page_texts


def test_signature_right_two_and_date_two_right_of_its_first_character():
    indents = signature_indents("舟山市市场监督管理局", "2024年7月5日")
    assert indents.signature == 2  # 右空二字
    sig_start = CHARS - 2 - width("舟山市市场监督管理局")
    date_start = CHARS - indents.date - width("2024年7月5日")
    assert date_start - sig_start == 2


def test_longer_date_is_right_two_and_the_signature_moves_left():
    indents = signature_indents("某局", "2024年12月25日")
    assert indents.date == 2
    sig_start = CHARS - indents.signature - width("某局")
    date_start = CHARS - 2 - width("2024年12月25日")
    assert date_start - sig_start == 2


DAY = date(2024, 7, 5)


def _paragraph(document, style_id):
    return next(p for p in document.paragraphs if p._p.style == style_id)


def test_signature_paragraphs_carry_keep_settings_and_computed_indents(tmp_path):
    options = ReportOptions(date=datetime(2024, 7, 5).date())
    out = render_report(rs.result(), "quarterly", tmp_path / "q.docx", options)
    document = Document(str(out))
    signature, day = _paragraph(document, "Signature"), _paragraph(document, "IssueDate")
    assert signature.text == "测试市市场监督管理局"
    assert signature.paragraph_format.keep_with_next and signature.paragraph_format.keep_together
    assert day.paragraph_format.keep_together
    expected = signature_indents(signature.text, day.text)
    for paragraph, right in ((signature, expected.signature), (day, expected.date)):
        ind = paragraph._p.pPr.find(qn("w:ind"))
        assert ind.get(qn("w:rightChars")) == str(round(right * 100))
    # one blank line between the 附件说明 and the signature; keep-with-next up to the body
    body = document.paragraphs
    n = body.index(next(p for p in body if p._p is signature._p))
    assert body[n - 1].text == "" and body[n - 2].text.startswith("附件：")
    kept = [p.paragraph_format.keep_with_next for p in body[n - 4 : n]]
    assert all(kept) and body[n - 4].text.strip()


def test_attachment_title_on_line_three(tmp_path):
    out = render_report(rs.result(), "quarterly", tmp_path / "q.docx", ReportOptions())
    body = Document(str(out)).paragraphs
    label = next(n for n, p in enumerate(body) if p.text == "附件")
    assert body[label + 1].text == "" and body[label + 2].text == "主要指标完成情况表"
    assert body[label + 2].style.name == "Title"


def test_core_properties_name_the_report_office_and_now(tmp_path):
    out = render_report(rs.result(), "quarterly", tmp_path / "q.docx", ReportOptions())
    props = Document(str(out)).core_properties
    assert props.title == "关于测试市计量发展规划实施方案2024年第二季度进展情况的报告"
    assert props.author == props.last_modified_by == "测试市市场监督管理局"
    created = props.created.replace(tzinfo=UTC)
    assert abs(datetime.now(UTC) - created) < timedelta(minutes=5)
    assert "python-docx" not in (props.comments or "")


def test_missing_reporting_office_warns_and_shows_a_placeholder(tmp_path):
    result = rs.result()
    result = replace(result, plan=replace(result.plan, reporting_office=""))
    with pytest.warns(RenderWarning, match="未写明起草单位"):
        out = render_report(result, "quarterly", tmp_path / "q.docx", ReportOptions())
    assert _paragraph(Document(str(out)), "Signature").text == "（起草单位）"
    with warnings.catch_warnings():
        warnings.simplefilter("error", RenderWarning)
        out = render_report(result, "quarterly", tmp_path / "q2.docx", ReportOptions(issuer="办"))
    assert _paragraph(Document(str(out)), "Signature").text == "办"


def test_title_is_broken_into_lines_outside_spans(tmp_path):
    out = render_report(rs.result(), "quarterly", tmp_path / "q.docx", ReportOptions())
    title = Document(str(out)).paragraphs[0]
    assert title.text == "关于测试市计量发展规划实施方案\n2024年第二季度进展情况的报告"
    assert len(title._p.findall(".//" + qn("w:br"))) == 1


@pytest.mark.slow
@needs_libreoffice
def test_signature_and_date_share_a_page_at_every_position(tmp_path):
    """Body lengths shifted a line at a time, so the block falls on every line of a page."""
    docs = []
    for lines in range(0, 24):
        task = replace(rs.TASKS[0], next_steps="推" * (28 * lines + 6))
        result = rs.result(tasks=[task, *rs.TASKS[1:]])
        out = tmp_path / f"q{lines}.docx"
        docs.append(render_report(result, "quarterly", out, ReportOptions(date=DAY)))
    for pdf_path in many_to_pdf(docs, tmp_path):
        pages = [[line.strip() for line in page.splitlines()] for page in page_texts(pdf_path)]
        signed = [n for n, page in enumerate(pages) if "测试市市场监督管理局" in page]
        dated = [n for n, page in enumerate(pages) if "2024 年 7 月 5 日" in page]
        assert len(signed) == 1 and signed == dated, pdf_path
        page = [line for line in pages[signed[0]] if line]
        body = page[: page.index("测试市市场监督管理局")]
        body = [line for line in body if not line.startswith("附件")]
        assert len(body) >= 2, page  # at least two body lines above the block
