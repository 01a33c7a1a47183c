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
from python_calamine import CalamineWorkbook

from reportgen import fmt
from reportgen.compare import compare
from reportgen.errors import RenderError
from reportgen.render import ReportOptions, charts, render_report
from reportgen.render.context import Front, build_context
from reportgen.render.report import bar_data, trend_lines
from tests.support import pptx_charts
from tests.support import render_samples as rs
from tests.support.pdf_pages import needs_libreoffice, page_image, page_texts, to_pdf

C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


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


BARS = [
    charts.Bar("I1", "全市强检计量器具检定覆盖率（含县区）", 0.5, 0.4, "滞后"),
    charts.Bar("I2", 'R&D <经费> "投入"', None, 0.4),
    charts.Bar("I3", "注册计量师", 1.25, 0.4, "已完成"),
    charts.Bar("I4", "负增长", -0.3, 0.4, "严重滞后"),
]
LINES = [
    charts.Line("I1", "检定覆盖率", [0.2, None, 0.61]),
    charts.Line("I2", "R&D <投入>", [None, 0.3, 1.3]),
    *(charts.Line(f"X{n}", f"指标{n}", [0.1 * n, 0.05, None]) for n in range(9)),
]
PERIODS = ["2023年第四季度", "2024年第一季度", "2024年第二季度"]


def canonical(xml: bytes) -> bytes:
    return etree.tostring(etree.fromstring(xml), method="c14n")


def sheet_rows(workbook: bytes) -> tuple[list[list[object]], list[list[object]]]:
    """The chart workbook's cells as openpyxl and as calamine read them (blank: None, '')."""
    by_openpyxl = load_workbook(io.BytesIO(workbook)).active.iter_rows(values_only=True)
    by_calamine = CalamineWorkbook.from_filelike(io.BytesIO(workbook)).get_sheet_by_index(0)
    return [list(row) for row in by_openpyxl], by_calamine.to_python()


@pytest.mark.parametrize("bars", [BARS, BARS[:1], bar_data(rs.INDICATORS)])
def test_bar_chart_xml_is_what_python_pptx_writes(bars):
    chart = charts.completion_chart(bars, ("完成率", "序时进度"))
    expected = pptx_charts.completion_chart(bars, ("完成率", "序时进度"))
    assert canonical(chart.xml) == canonical(expected)


@pytest.mark.parametrize("lines", [LINES, LINES[:1]])
def test_trend_chart_xml_is_what_python_pptx_writes(lines):
    chart = charts.trend_chart(PERIODS, lines)
    assert canonical(chart.xml) == canonical(pptx_charts.trend_chart(PERIODS, lines))


def test_bar_workbook_holds_categories_series_and_values():
    chart = charts.completion_chart(BARS, ("完成率", "序时进度"))
    by_openpyxl, by_calamine = sheet_rows(chart.workbook)
    names = [charts.label(b.name) for b in BARS]
    assert by_openpyxl == [
        [None, "完成率", "序时进度"],
        *([n, b.completion, b.time_progress] for n, b in zip(names, BARS, strict=True)),
    ]
    assert by_calamine[0] == ["", "完成率", "序时进度"]
    assert [row[1] for row in by_calamine[1:]] == [0.5, "", 1.25, -0.3]
    assert load_workbook(io.BytesIO(chart.workbook)).active["B2"].number_format == "0.0%"


def test_trend_workbook_holds_periods_lines_and_values():
    chart = charts.trend_chart(PERIODS, LINES)
    by_openpyxl, by_calamine = sheet_rows(chart.workbook)
    assert by_openpyxl[0] == [None, *(charts.label(line.name) for line in LINES)]
    assert [row[0] for row in by_calamine[1:]] == PERIODS
    for column, line in enumerate(LINES, 1):
        assert [row[column] for row in by_openpyxl[1:]] == line.values


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
    (data,) = root.findall(f"{{{C}}}externalData")
    with zipfile.ZipFile(out) as package:
        rels = etree.fromstring(package.read("word/charts/_rels/chart1.xml.rels"))
    (target,) = [r.get("Target") for r in rels if r.get("Id") == data.get(f"{{{R}}}id")]
    assert target == "../embeddings/Microsoft_Excel_Worksheet1.xlsx"
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
