"""Native Word charts: completion vs 序时进度 (bars) and completion over periods (lines).

A chart is a DrawingML ``c:chartSpace`` part with its data in an embedded workbook, so
编辑数据 works in Word and WPS and LibreOffice draws it in the PDF. python-pptx writes both
(its ``ChartXmlWriter`` for the XML, its XlsxWriter-based workbook writer for the data) and
styles the chart through its chart API; ``embed`` adds the parts to the .docx through
python-docx's OPC layer. Nothing is drawn here, so no font or imaging library is needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from docx.document import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part, XmlPart
from docx.text.paragraph import Paragraph

from reportgen.render import oxml

EMU_PER_MM = 36000
WIDTH_MM = 156  # the text block of a GB/T 9704 page
MAX_BARS = 40
MAX_LINES = 10
LABEL_CHARS = 14
BAR_BASE_MM, BAR_MM = 20, 6.5  # chart height: legend and axis, plus each indicator
TREND_MM = 80
FONT = "仿宋_GB2312"
FONT_PT = 10.5  # 五号, as the attachment table
LABEL_PT = 9
PERCENT_AXIS = "0%"
PERCENT_LABEL = "0.0%"  # one decimal, as fmt.percent
STATUS_COLOURS = {
    "已完成": "3A7D44",
    "进度正常": "2F5597",
    "滞后": "E08A00",
    "严重滞后": "C00000",
}
OTHER_COLOUR = "7F7F7F"
TIME_COLOUR = "BFBFBF"
LINE_COLOURS = ("2F5597", "C00000", "3A7D44", "E08A00", "7030A0",
                "00808C", "7F6000", "D05CA0", "404040", "5B9BD5")  # fmt: skip


@dataclass(frozen=True)
class Bar:
    """One indicator in the bar chart (ratios, 1.0 = 100%)."""

    id: str
    name: str
    completion: float | None
    time_progress: float
    status: str = ""


@dataclass(frozen=True)
class Line:
    """One indicator's completion per period (ratios; None = not reported)."""

    id: str
    name: str
    values: list[float | None]


@dataclass(frozen=True)
class NativeChart:
    """A chart ready to embed: chartSpace XML, its workbook, its size on the page."""

    xml: bytes
    workbook: bytes
    height_mm: float
    name: str


def label(name: str) -> str:
    """An axis or legend label: the name on one line, shortened to LABEL_CHARS."""
    name = " ".join(name.split())
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"


def completion_chart(bars: Sequence[Bar], legend: tuple[str, str]) -> NativeChart:
    """Horizontal bars per indicator: completion (status colour, labelled) and 序时进度 (grey)."""
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION

    data = CategoryChartData(number_format=PERCENT_LABEL)
    data.categories = [label(b.name) for b in bars]
    data.add_series(legend[0], [b.completion for b in bars])
    data.add_series(legend[1], [b.time_progress for b in bars])
    chart, space = _new(XL_CHART_TYPE.BAR_CLUSTERED, data)
    plot = chart.plots[0]
    plot.gap_width, plot.overlap = 40, 0
    done, due = plot.series
    for point, bar in zip(done.points, bars, strict=True):
        _fill(point.format, STATUS_COLOURS.get(bar.status, OTHER_COLOUR))
    _fill(due.format, TIME_COLOUR)
    done.data_labels.show_value = True
    done.data_labels.number_format = PERCENT_LABEL
    done.data_labels.number_format_is_linked = False
    done.data_labels.position = XL_LABEL_POSITION.OUTSIDE_END
    done.data_labels.font.size = _pt(LABEL_PT)
    chart.category_axis.reverse_order = True  # first indicator on top, as in the table
    _value_axis_crosses_at_max(space)  # keeps the % axis at the bottom of the reversed bars
    values = [b.completion or 0.0 for b in bars] + [b.time_progress for b in bars]
    _percent_axis(chart, min(0.0, *values), max(1.0, *values))
    return _finish(chart, space, data, BAR_BASE_MM + BAR_MM * len(bars), "完成率与序时进度")


def trend_chart(periods: Sequence[str], lines: Sequence[Line]) -> NativeChart:
    """Completion (%) over the archived periods, one line with markers per indicator."""
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE

    data = CategoryChartData(number_format=PERCENT_LABEL)
    data.categories = list(periods)
    for line in lines:
        data.add_series(label(line.name), line.values)
    chart, space = _new(XL_CHART_TYPE.LINE_MARKERS, data)
    for n, series in enumerate(chart.plots[0].series):
        colour = LINE_COLOURS[n % len(LINE_COLOURS)]
        series.smooth = False
        series.format.line.color.rgb = _rgb(colour)
        series.format.line.width = _pt(1.5)
        _fill(series.marker.format, colour)
    values = [v for line in lines for v in line.values if v is not None] or [0.0]
    _percent_axis(chart, min(0.0, *values), max(1.0, *values))
    return _finish(chart, space, data, TREND_MM, "完成率变化趋势")


def _new(chart_type: Any, data: Any) -> tuple[Any, Any]:
    """python-pptx's chartSpace for ``data`` and its Chart proxy (no part: styling only)."""
    from pptx.chart.chart import Chart
    from pptx.oxml import parse_xml

    space = parse_xml(data.xml_bytes(chart_type))
    return Chart(space, None), space


def _finish(chart: Any, space: Any, data: Any, height_mm: float, name: str) -> NativeChart:
    """Legend, fonts (East Asian too) and gridlines common to both charts; serialise."""
    from lxml import etree
    from pptx.enum.chart import XL_LEGEND_POSITION

    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    chart.font.size = _pt(FONT_PT)
    chart.font.name = FONT
    for text in space.iter(f"{{{oxml.DRAWINGML}}}defRPr"):
        oxml.set_drawing_east_asian_font(text, FONT)
    chart.value_axis.has_major_gridlines = True
    chart.value_axis.major_gridlines.format.line.color.rgb = _rgb("D9D9D9")
    xml = etree.tostring(space, xml_declaration=True, encoding="UTF-8", standalone=True)
    return NativeChart(bytes(xml), data.xlsx_blob, height_mm, name)


def _value_axis_crosses_at_max(space: Any) -> None:
    """The value axis crosses the category axis at its end (python-pptx sets only the reverse)."""
    from pptx.enum.chart import XL_AXIS_CROSSES

    for axis in space.valAx_lst:
        axis._remove_crosses()
        axis._remove_crossesAt()
        axis._add_crosses(val=XL_AXIS_CROSSES.MAXIMUM)


def _percent_axis(chart: Any, low: float, high: float) -> None:
    """Value axis in %, from 0 (or below, for negative completion) to a round top >= 100%."""
    import math

    axis = chart.value_axis
    axis.tick_labels.number_format = PERCENT_AXIS
    axis.tick_labels.number_format_is_linked = False
    axis.minimum_scale = math.floor(low * 5) / 5
    axis.maximum_scale = math.ceil(high * 1.1 * 5) / 5
    axis.major_unit = 0.2


def _fill(fmt: Any, colour: str) -> None:
    fmt.fill.solid()
    fmt.fill.fore_color.rgb = _rgb(colour)


def _rgb(colour: str) -> Any:
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(colour)


def _pt(size: float) -> Any:
    from pptx.util import Pt

    return Pt(size)


# ---------------------------------------------------------------- into the .docx


def embed(document: Document, paragraph: Paragraph, chart: NativeChart) -> None:
    """Replace ``paragraph``'s text by ``chart``: chart part + embedded workbook + inline drawing."""
    from pptx.oxml import parse_xml

    package = document.part.package
    workbook = Part(
        package.next_partname("/word/embeddings/Microsoft_Excel_Worksheet%d.xlsx"),
        CT.SML_SHEET,
        chart.workbook,
        package,
    )
    space = parse_xml(chart.xml)
    part = XmlPart(package.next_partname("/word/charts/chart%d.xml"), CT.DML_CHART, space, package)
    space.get_or_add_externalData().rId = part.relate_to(workbook, RT.PACKAGE)
    rid = document.part.relate_to(part, RT.CHART)
    shape_id = document.part.next_id
    size = (WIDTH_MM * EMU_PER_MM, round(chart.height_mm * EMU_PER_MM))
    oxml.replace_with_chart(paragraph._p, rid, size, shape_id, chart.name)
