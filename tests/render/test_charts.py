"""Native charts: c:chartSpace parts whose embedded workbook holds the progress figures."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree
from openpyxl import load_workbook

from reportgen import fmt
from reportgen.compare import compare
from reportgen.errors import RenderError
from reportgen.render import ReportOptions, charts, render_report
from reportgen.render.context import Front, build_context
from reportgen.render.report import bar_data, trend_lines
from tests.support import render_samples as rs
from tests.support.pdf_pages import needs_libreoffice, page_image, page_texts, to_pdf

C = "http://schemas.openxmlformats.org/drawingml/2006/chart"


def chart_parts(path):
    """(chartSpace root, workbook rows) of every chart the document's body refers to."""
    document = Document(str(path))
    found = []
    for rel in document.part.rels.values():
        if rel.reltype == RT.CHART:
            part = rel.target_part
            root = etree.fromstring(part.blob)
            (package,) = [r.target_part for r in part.rels.values() if r.reltype == RT.PACKAGE]
            sheet = load_workbook(io.BytesIO(package.blob)).active
            found.append((root, [list(row) for row in sheet.iter_rows(values_only=True)]))
    return found


def test_bar_chart_is_chartspace_xml_with_the_figures_in_its_workbook():
    chart = charts.completion_chart(bar_data(rs.INDICATORS), ("完成率", "序时进度"))
    root = etree.fromstring(chart.xml)
    assert root.tag == f"{{{C}}}chartSpace"
    assert root.find(f".//{{{C}}}barChart") is not None
    rows = list(load_workbook(io.BytesIO(chart.workbook)).active.iter_rows(values_only=True))
    assert rows[0][1:] == ("完成率", "序时进度")
    assert [r[0] for r in rows[1:]] == [i.name for i in rs.INDICATORS]
    assert [r[1] for r in rows[1:]] == [i.completion for i in rs.INDICATORS]
    assert [r[2] for r in rows[1:]] == [i.time_progress for i in rs.INDICATORS]
    assert chart.height_mm == charts.BAR_BASE_MM + charts.BAR_MM * 5


def test_bar_colours_follow_status_and_axis_is_percent():
    chart = charts.completion_chart(bar_data(rs.INDICATORS), ("完成率", "序时进度"))
    root = etree.fromstring(chart.xml)
    points = root.findall(f".//{{{C}}}ser")[0].findall(f"{{{C}}}dPt")
    colours = [p.find(".//{*}srgbClr").get("val") for p in points]
    statuses = [i.status for i in rs.INDICATORS]
    assert colours == [charts.STATUS_COLOURS.get(s, charts.OTHER_COLOUR) for s in statuses]
    formats = {n.get("formatCode") for n in root.iter(f"{{{C}}}numFmt")}
    assert {charts.PERCENT_AXIS, charts.PERCENT_LABEL} <= formats
    assert {e.get("typeface") for e in root.iter("{*}ea")} == {charts.FONT}


def test_bar_data_is_skipped_for_long_plans():
    assert len(bar_data(rs.INDICATORS)) == 5
    assert bar_data(rs.many(charts.MAX_BARS + 1).indicators) == []


def test_labels_are_one_line_and_shortened():
    assert charts.label("全市强检计量器具检定覆盖率（含县区）") == "全市强检计量器具检定覆盖率…"
    assert charts.label("a\nb") == "a b"


def test_quarterly_report_holds_native_chart_and_no_pictures(tmp_path):
    out = render_report(rs.result(), "quarterly", tmp_path / "q.docx", ReportOptions())
    ((root, rows),) = chart_parts(out)
    assert root.tag == f"{{{C}}}chartSpace"
    assert root.find(f"{{{C}}}externalData") is not None
    assert [r[1] for r in rows[1:]] == [i.completion for i in rs.INDICATORS]
    names = zipfile.ZipFile(out).namelist()
    assert not [n for n in names if n.endswith((".png", ".jpeg", ".jpg", ".emf", ".gif"))]
    document = Document(str(out))
    assert "图1　主要指标完成率与序时进度对比" in [p.text for p in document.paragraphs]
    assert not any("reportgen-chart" in p.text for p in document.paragraphs)


def test_midterm_trend_chart_values_equal_the_series(tmp_path):
    comparison = compare(rs.result(), history=[("2024-Q1", rs.INDICATORS)])
    options = ReportOptions(date=date(2024, 7, 5))
    out = render_report(rs.result(), "midterm", tmp_path / "m.docx", options, comparison)
    _, trend = chart_parts(out)
    assert trend[0].find(f".//{{{C}}}lineChart") is not None
    ctx = build_context(rs.result(), "midterm", Front(date=date(2024, 7, 5)), comparison)
    lines = trend_lines(rs.INDICATORS, ctx.trend)
    assert [r[0] for r in trend[1][1:]] == ctx.trend.periods
    for column, line in enumerate(lines, 1):
        assert [r[column] for r in trend[1][1:]] == line.values


def test_trend_lines_put_risky_indicators_first():
    comparison = compare(rs.result(), history=[("2024-Q1", rs.INDICATORS)])
    ctx = build_context(rs.result(), "midterm", Front(date=date(2024, 7, 5)), comparison)
    lines = trend_lines(rs.INDICATORS, ctx.trend)
    assert [line.id for line in lines[:2]] == ["I1", "I4"]  # at risk


def test_chart_tag_must_stand_alone_in_a_user_template(tmp_path):
    template = tmp_path / "t.docx"
    document = Document()
    document.add_paragraph("图：{{ chart }}")
    document.save(str(template))
    with pytest.raises(RenderError, match="必须单独占一段"):
        render_report(rs.result(), "quarterly", tmp_path / "q.docx", ReportOptions(template))
    assert not (tmp_path / "q.docx").exists()


def test_user_template_places_the_chart_where_the_tag_stands(tmp_path):
    template = tmp_path / "t.docx"
    document = Document()
    document.add_paragraph("{{ title }}")
    document.add_paragraph("{{ chart }}")
    document.save(str(template))
    out = render_report(rs.result(), "quarterly", tmp_path / "q.docx", ReportOptions(template))
    assert len(chart_parts(out)) == 1


@pytest.mark.slow
@needs_libreoffice
def test_libreoffice_draws_the_chart_with_its_labels(tmp_path):
    from PIL import Image

    out = render_report(rs.result(), "quarterly", tmp_path / "q.docx", ReportOptions())
    pages = page_texts(to_pdf(out))
    caption = next(n for n, text in enumerate(pages, 1) if "主要指标完成率与序时进度对比" in text)
    assert caption == 1  # page 1 carries the 总体情况 and the chart
    text = pages[caption - 1]
    labels = [fmt.percent(i.completion) for i in rs.INDICATORS if i.completion is not None]
    for name in [i.name for i in rs.INDICATORS] + ["完成率", "序时进度", "100%", *labels]:
        assert name in text
    image = Image.open(page_image(tmp_path / "q.pdf", caption)).convert("RGB")
    pixels = image.tobytes()
    rgb = zip(pixels[0::3], pixels[1::3], pixels[2::3], strict=True)
    coloured = [p for p in rgb if max(p) - min(p) > 80]  # status-coloured bars
    assert len(coloured) > 200
