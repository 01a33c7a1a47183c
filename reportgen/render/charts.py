"""Native Word charts: completion vs 序时进度 (bars) and completion over periods (lines).

A chart is a DrawingML ``c:chartSpace`` part with its data in an embedded workbook, so
编辑数据 works in Word and WPS and LibreOffice draws it in the PDF. This module decides what a
chart shows (bars, colours, labels, scale); ``chartxml`` writes both parts as text, the same
XML python-pptx writes for the chart (a test compares them), without loading python-pptx and
XlsxWriter (about 80 ms of a quarterly report). ``embed`` adds the parts to the .docx through
python-docx's OPC layer. Nothing is drawn here, so no font or imaging library is needed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from docx.document import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from docx.text.paragraph import Paragraph

from reportgen.render import oxml

if TYPE_CHECKING:
    from reportgen.render.chartxml import Look

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
GRID_COLOUR = "D9D9D9"
LINE_PT = 1.5
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
    from reportgen.render import chartxml

    categories = [label(b.name) for b in bars]
    done = chartxml.Series(
        legend[0],
        [b.completion for b in bars],
        point_fills=[STATUS_COLOURS.get(b.status, OTHER_COLOUR) for b in bars],
        labels=True,
    )
    due = chartxml.Series(legend[1], [b.time_progress for b in bars], fill=TIME_COLOUR)
    values = [b.completion or 0.0 for b in bars] + [b.time_progress for b in bars]
    look = _look(min(0.0, *values), max(1.0, *values))
    return NativeChart(
        chartxml.bar_chart(categories, [done, due], look),
        chartxml.workbook(categories, [done, due], PERCENT_LABEL),
        BAR_BASE_MM + BAR_MM * len(bars),
        "完成率与序时进度",
    )


def trend_chart(periods: Sequence[str], lines: Sequence[Line]) -> NativeChart:
    """Completion (%) over the archived periods, one line with markers per indicator."""
    from reportgen.render import chartxml

    series = [
        chartxml.Series(label(line.name), line.values, line=LINE_COLOURS[n % len(LINE_COLOURS)])
        for n, line in enumerate(lines)
    ]
    values = [v for line in lines for v in line.values if v is not None] or [0.0]
    look = _look(min(0.0, *values), max(1.0, *values))
    return NativeChart(
        chartxml.line_chart(periods, series, look),
        chartxml.workbook(periods, series, PERCENT_LABEL),
        TREND_MM,
        "完成率变化趋势",
    )


def _look(low: float, high: float) -> Look:
    """Fonts, formats and gridlines of both charts; the value axis in %, from 0 (or below, for
    negative completion) to a round top >= 100%, a gridline every 20%."""
    from reportgen.render.chartxml import Look

    return Look(
        value_format=PERCENT_LABEL,
        axis_format=PERCENT_AXIS,
        font=FONT,
        font_pt=FONT_PT,
        label_pt=LABEL_PT,
        gridlines=GRID_COLOUR,
        line_pt=LINE_PT,
        minimum=math.floor(low * 5) / 5,
        maximum=math.ceil(high * 1.1 * 5) / 5,
        major_unit=0.2,
    )


# ---------------------------------------------------------------- into the .docx


def embed(document: Document, paragraph: Paragraph, chart: NativeChart) -> None:
    """Replace ``paragraph``'s text by ``chart``: chart part + embedded workbook + inline drawing."""
    package = document.part.package
    workbook = Part(
        package.next_partname("/word/embeddings/Microsoft_Excel_Worksheet%d.xlsx"),
        CT.SML_SHEET,
        chart.workbook,
        package,
    )
    part = Part(package.next_partname("/word/charts/chart%d.xml"), CT.DML_CHART, chart.xml, package)
    part.relate_to(workbook, RT.PACKAGE)  # a new part's first relationship: rId1, as the XML says
    rid = document.part.relate_to(part, RT.CHART)
    shape_id = document.part.next_id
    size = (WIDTH_MM * EMU_PER_MM, round(chart.height_mm * EMU_PER_MM))
    oxml.replace_with_chart(paragraph._p, rid, size, shape_id, chart.name)
