"""Charts: print-resolution PNGs; without a CJK font, ids on the axis and a warning."""

from __future__ import annotations

import struct
import warnings
from datetime import date

import pytest
from docx import Document

from reportgen.compare import compare
from reportgen.render import RenderWarning, ReportOptions, charts, render_report
from reportgen.render.context import Front, build_context
from reportgen.render.report import bar_data, trend_lines
from tests.support import render_samples as rs


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    return struct.unpack(">II", data[16:24])


def test_bar_chart_fills_the_text_block_at_print_resolution():
    width, height = png_size(
        charts.completion_chart(bar_data(rs.INDICATORS), ("完成率", "序时进度"))
    )
    # 156 mm at 200 dpi = 6.14 in x 200 = 1228 px
    assert width == round(156 / 25.4 * charts.DPI)
    assert height > 300


def test_bar_data_is_skipped_for_long_plans():
    assert len(bar_data(rs.INDICATORS)) == 5
    assert bar_data(rs.many(charts.MAX_BARS + 1).indicators) == []


def test_trend_lines_put_risky_indicators_first():
    comparison = compare(rs.result(), history=[("2024-Q1", rs.INDICATORS)])
    ctx = build_context(rs.result(), "midterm", Front(date=date(2024, 7, 5)), comparison)
    lines = trend_lines(rs.INDICATORS, ctx.trend)
    assert [line.id for line in lines[:2]] == ["I1", "I4"]  # at risk
    png_size(charts.trend_chart(ctx.trend.periods, lines))


def test_labels_are_ids_without_a_cjk_font():
    assert charts._label("ZS01", "全市强检计量器具检定覆盖率", cjk=False) == "ZS01"
    assert (
        charts._label("ZS01", "全市强检计量器具检定覆盖率（含县区）", cjk=True)
        == "全市强检计量器具检定覆盖率…"
    )
    assert charts._label("ZS01", "a\nb", cjk=True) == "a b"


def test_missing_cjk_font_warns_and_captions_say_ids(tmp_path, monkeypatch):
    monkeypatch.setattr(charts, "cjk_font", lambda: None)
    with pytest.warns(RenderWarning, match="未找到可用的中文字体"):
        out = render_report(rs.result(), "quarterly", tmp_path / "q.docx", ReportOptions())
    body = [p.text for p in Document(out).paragraphs]
    assert "图1　主要指标完成率（深色）与序时进度（浅色）对比（纵轴为指标编号）" in body


@pytest.mark.skipif(charts.cjk_font() is None, reason="没有安装中文字体（如 fonts-noto-cjk）")
def test_no_warning_when_a_cjk_font_exists(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error", RenderWarning)
        out = render_report(rs.result(), "quarterly", tmp_path / "q.docx", ReportOptions())
    assert "图1　主要指标完成率与序时进度对比" in [p.text for p in Document(out).paragraphs]


def test_mathtext_in_names_is_drawn_as_text(monkeypatch):
    monkeypatch.setattr(charts, "cjk_font", lambda: "DejaVu Sans")
    bars = [charts.Bar("A", "$\\frac{1}{0", 0.5, 0.4)]
    png_size(charts.completion_chart(bars, ("$x", "$y")))


def test_cjk_font_is_never_the_last_resort_font():
    assert charts.NOT_REAL_GLYPHS.search("Last Resort High-Efficiency")
    found = charts.cjk_font()
    assert found is None or not charts.NOT_REAL_GLYPHS.search(found)
