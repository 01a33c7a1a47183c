"""The reference for ``render.chartxml``: the same two charts built and styled with python-pptx.

This is how reportgen wrote its charts before it wrote the XML itself; the tests compare the
two (canonical XML), so python-pptx stays the judge of what a well-formed chart looks like.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from lxml import etree
from pptx.chart.chart import Chart
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_AXIS_CROSSES, XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.oxml import parse_xml
from pptx.util import Pt

from reportgen.render import charts
from reportgen.render.chartxml import WORKBOOK_RID

A = "http://schemas.openxmlformats.org/drawingml/2006/main"


def completion_chart(bars: Sequence[charts.Bar], legend: tuple[str, str]) -> bytes:
    """``charts.completion_chart``'s XML, as python-pptx writes it."""
    data = CategoryChartData(number_format=charts.PERCENT_LABEL)
    data.categories = [charts.label(b.name) for b in bars]
    data.add_series(legend[0], [b.completion for b in bars])
    data.add_series(legend[1], [b.time_progress for b in bars])
    chart, space = _new(XL_CHART_TYPE.BAR_CLUSTERED, data)
    plot = chart.plots[0]
    plot.gap_width, plot.overlap = 40, 0
    done, due = plot.series
    for point, bar in zip(done.points, bars, strict=True):
        _fill(point.format, charts.STATUS_COLOURS.get(bar.status, charts.OTHER_COLOUR))
    _fill(due.format, charts.TIME_COLOUR)
    done.data_labels.show_value = True
    done.data_labels.number_format = charts.PERCENT_LABEL
    done.data_labels.number_format_is_linked = False
    done.data_labels.position = XL_LABEL_POSITION.OUTSIDE_END
    done.data_labels.font.size = Pt(charts.LABEL_PT)
    chart.category_axis.reverse_order = True
    for axis in space.valAx_lst:  # the value axis at the bottom of the reversed bars
        axis._remove_crosses()
        axis._remove_crossesAt()
        axis._add_crosses(val=XL_AXIS_CROSSES.MAXIMUM)
    values = [b.completion or 0.0 for b in bars] + [b.time_progress for b in bars]
    _percent_axis(chart, min(0.0, *values), max(1.0, *values))
    return _finish(chart, space)


def trend_chart(periods: Sequence[str], lines: Sequence[charts.Line]) -> bytes:
    """``charts.trend_chart``'s XML, as python-pptx writes it."""
    data = CategoryChartData(number_format=charts.PERCENT_LABEL)
    data.categories = list(periods)
    for line in lines:
        data.add_series(charts.label(line.name), line.values)
    chart, space = _new(XL_CHART_TYPE.LINE_MARKERS, data)
    for n, series in enumerate(chart.plots[0].series):
        colour = charts.LINE_COLOURS[n % len(charts.LINE_COLOURS)]
        series.smooth = False
        series.format.line.color.rgb = RGBColor.from_string(colour)
        series.format.line.width = Pt(charts.LINE_PT)
        _fill(series.marker.format, colour)
    values = [v for line in lines for v in line.values if v is not None] or [0.0]
    _percent_axis(chart, min(0.0, *values), max(1.0, *values))
    return _finish(chart, space)


def _new(chart_type: Any, data: Any) -> tuple[Any, Any]:
    space = parse_xml(data.xml_bytes(chart_type))
    return Chart(space, None), space


def _finish(chart: Any, space: Any) -> bytes:
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    chart.font.size = Pt(charts.FONT_PT)
    chart.font.name = charts.FONT
    for text in space.iter(f"{{{A}}}defRPr"):  # East Asian text in the same font
        ea = etree.Element(f"{{{A}}}ea", typeface=charts.FONT)
        latin = text.find(f"{{{A}}}latin")
        if latin is not None:
            latin.addnext(ea)
        else:
            text.insert(0, ea)
    chart.value_axis.has_major_gridlines = True
    gridlines = chart.value_axis.major_gridlines.format.line
    gridlines.color.rgb = RGBColor.from_string(charts.GRID_COLOUR)
    space.get_or_add_externalData().rId = WORKBOOK_RID
    return bytes(etree.tostring(space, xml_declaration=True, encoding="UTF-8", standalone=True))


def _percent_axis(chart: Any, low: float, high: float) -> None:
    axis = chart.value_axis
    axis.tick_labels.number_format = charts.PERCENT_AXIS
    axis.tick_labels.number_format_is_linked = False
    axis.minimum_scale = math.floor(low * 5) / 5
    axis.maximum_scale = math.ceil(high * 1.1 * 5) / 5
    axis.major_unit = 0.2


def _fill(fmt: Any, colour: str) -> None:
    fmt.fill.solid()
    fmt.fill.fore_color.rgb = RGBColor.from_string(colour)
