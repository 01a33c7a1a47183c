"""A chart's two parts written directly: the ``c:chartSpace`` XML and its embedded workbook.

The XML is the one python-pptx writes for the same clustered-bar or line chart once styled
(tests/render/test_charts.py builds both and compares them), and the workbook holds the same
cells as the one python-pptx has XlsxWriter write: categories in column A from row 2, one
series per column from B with its name in row 1, values as numbers in ``VALUE_FORMAT``. Written
as text, they cost a fraction of a millisecond; python-pptx and XlsxWriter took about 80 ms to
import. ``charts`` decides what a chart shows; this module only knows how to write it.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SHEET = "Sheet1"
BAR_AXES = ("-2068027336", "-2113994440")  # the axis ids python-pptx gives its charts
LINE_AXES = ("2118791784", "2140495176")
EMU_PER_PT = 12700
WORKBOOK_RID = "rId1"  # the chart part's relationship to its workbook (its only one)


@dataclass(frozen=True)
class Series:
    """One series: its name, values (None = no value) and colours.

    ``fill`` colours a bar series, ``point_fills`` each of its bars, ``line`` a line series
    (the line and its markers); ``labels`` shows each value on its bar.
    """

    name: str
    values: Sequence[float | None]
    fill: str = ""
    point_fills: Sequence[str] = ()
    line: str = ""
    labels: bool = False


@dataclass(frozen=True)
class Look:
    """What every chart shares: number formats, fonts, gridlines and the value axis scale."""

    value_format: str  # the workbook's and the data labels' number format
    axis_format: str
    font: str
    font_pt: float
    label_pt: float
    gridlines: str  # colour
    line_pt: float
    minimum: float
    maximum: float
    major_unit: float


def bar_chart(categories: Sequence[str], series: Sequence[Series], look: Look) -> bytes:
    """Horizontal clustered bars, first category on top, the value axis at the bottom."""
    body = "".join(_series(n, s, categories, look) for n, s in enumerate(series))
    plot = (
        f'<c:barChart><c:barDir val="bar"/><c:grouping val="clustered"/>{body}'
        f'<c:gapWidth val="40"/>{_axis_ids(BAR_AXES)}</c:barChart>'
        + _category_axis(BAR_AXES, "maxMin", "l")
        + _value_axis(BAR_AXES, "b", "max", look)
    )
    legend = '<c:legend><c:legendPos val="b"/><c:overlay val="0"/></c:legend>'
    return _chart_space(plot, legend + '<c:dispBlanksAs val="gap"/>', look)


def line_chart(categories: Sequence[str], series: Sequence[Series], look: Look) -> bytes:
    """Straight lines with markers, categories (periods) left to right."""
    body = "".join(_series(n, s, categories, look) for n, s in enumerate(series))
    plot = (
        f'<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>{body}'
        f'<c:marker val="1"/><c:smooth val="0"/>{_axis_ids(LINE_AXES)}</c:lineChart>'
        + _category_axis(LINE_AXES, "minMax", "b")
        + _value_axis(LINE_AXES, "l", "autoZero", look)
    )
    legend = '<c:legend><c:legendPos val="b"/><c:layout/><c:overlay val="0"/></c:legend>'
    tail = '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/><c:showDLblsOverMax val="0"/>'
    return _chart_space(plot, legend + tail, look)


def _chart_space(plot: str, after_plot: str, look: Look) -> bytes:
    font = _text(look.font)
    text = (
        f'<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="{_size(look.font_pt)}">'
        f'<a:latin typeface="{font}"/><a:ea typeface="{font}"/></a:defRPr></a:pPr>'
        '<a:endParaRPr lang="en-US"/></a:p></c:txPr>'
    )
    xml = (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        f'<c:chartSpace xmlns:c="{C_NS}" xmlns:a="{A_NS}" xmlns:r="{R_NS}">'
        '<c:date1904 val="0"/><c:chart><c:autoTitleDeleted val="0"/>'
        f"<c:plotArea>{plot}</c:plotArea>{after_plot}</c:chart>{text}"
        f'<c:externalData r:id="{WORKBOOK_RID}"><c:autoUpdate val="0"/></c:externalData>'
        "</c:chartSpace>"
    )
    return xml.encode()


def _series(n: int, series: Series, categories: Sequence[str], look: Look) -> str:
    column = _column(n)
    last = len(categories) + 1
    parts = [
        f'<c:ser><c:idx val="{n}"/><c:order val="{n}"/><c:tx><c:strRef>'
        f"<c:f>{SHEET}!${column}$1</c:f>{_strings([series.name])}</c:strRef></c:tx>"
    ]
    if series.fill:
        parts.append(f"<c:spPr>{_fill(series.fill)}</c:spPr>")
    if series.line:
        width = round(look.line_pt * EMU_PER_PT)
        parts.append(f'<c:spPr><a:ln w="{width}">{_fill(series.line)}</a:ln></c:spPr>')
        parts.append(f"<c:marker><c:spPr>{_fill(series.line)}</c:spPr></c:marker>")
    for idx, colour in enumerate(series.point_fills):
        parts.append(f'<c:dPt><c:idx val="{idx}"/><c:spPr>{_fill(colour)}</c:spPr></c:dPt>')
    if series.labels:
        parts.append(_data_labels(look))
    parts.append(
        f"<c:cat><c:strRef><c:f>{SHEET}!$A$2:$A${last}</c:f>{_strings(categories)}"
        f"</c:strRef></c:cat><c:val><c:numRef><c:f>{SHEET}!${column}$2:${column}${last}</c:f>"
        f"<c:numCache><c:formatCode>{_text(look.value_format)}</c:formatCode>"
        f"{_points(series.values)}</c:numCache></c:numRef></c:val>"
    )
    if series.line:
        parts.append('<c:smooth val="0"/>')
    parts.append("</c:ser>")
    return "".join(parts)


def _data_labels(look: Look) -> str:
    flags = (("LegendKey", 0), ("Val", 1), ("CatName", 0), ("SerName", 0), ("Percent", 0),
             ("BubbleSize", 0), ("LeaderLines", 1))  # fmt: skip
    shown = "".join(f'<c:show{name} val="{value}"/>' for name, value in flags)
    return (
        f'<c:dLbls><c:numFmt formatCode="{_text(look.value_format)}" sourceLinked="0"/>'
        f'<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="{_size(look.label_pt)}">'
        f'<a:ea typeface="{_text(look.font)}"/></a:defRPr></a:pPr></a:p></c:txPr>'
        f'<c:dLblPos val="outEnd"/>{shown}</c:dLbls>'
    )


def _category_axis(ids: tuple[str, str], orientation: str, position: str) -> str:
    return (
        f'<c:catAx><c:axId val="{ids[0]}"/><c:scaling><c:orientation val="{orientation}"/>'
        f'</c:scaling><c:delete val="0"/><c:axPos val="{position}"/>'
        '<c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
        f'<c:crossAx val="{ids[1]}"/><c:crosses val="autoZero"/><c:auto val="1"/>'
        '<c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>'
    )


def _value_axis(ids: tuple[str, str], position: str, crosses: str, look: Look) -> str:
    return (
        f'<c:valAx><c:axId val="{ids[1]}"/><c:scaling><c:max val="{look.maximum}"/>'
        f'<c:min val="{look.minimum}"/></c:scaling><c:delete val="0"/>'
        f'<c:axPos val="{position}"/><c:majorGridlines><c:spPr><a:ln>{_fill(look.gridlines)}'
        f'</a:ln></c:spPr></c:majorGridlines><c:numFmt formatCode="{_text(look.axis_format)}"'
        ' sourceLinked="0"/><c:majorTickMark val="out"/><c:minorTickMark val="none"/>'
        f'<c:tickLblPos val="nextTo"/><c:crossAx val="{ids[0]}"/><c:crosses val="{crosses}"/>'
        f'<c:majorUnit val="{look.major_unit}"/></c:valAx>'
    )


def _axis_ids(ids: tuple[str, str]) -> str:
    return f'<c:axId val="{ids[0]}"/><c:axId val="{ids[1]}"/>'


def _strings(texts: Sequence[str]) -> str:
    points = "".join(f'<c:pt idx="{n}"><c:v>{_text(t)}</c:v></c:pt>' for n, t in enumerate(texts))
    return f'<c:strCache><c:ptCount val="{len(texts)}"/>{points}</c:strCache>'


def _points(values: Sequence[float | None]) -> str:
    points = "".join(
        f'<c:pt idx="{n}"><c:v>{v}</c:v></c:pt>' for n, v in enumerate(values) if v is not None
    )
    return f'<c:ptCount val="{len(values)}"/>{points}'


def _fill(colour: str) -> str:
    return f'<a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>'


def _size(points: float) -> int:
    """A font size in DrawingML's hundredths of a point."""
    return round(points * 100)


def _column(n: int) -> str:
    """Series ``n``'s worksheet column: B, C, … (a chart has at most a few dozen series)."""
    return chr(ord("B") + n)


def _text(text: str) -> str:
    """``text`` escaped for XML content and double-quoted attributes."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


# ---------------------------------------------------------------- the embedded workbook

S_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "application/vnd.openxmlformats-"
HEAD = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
WORKBOOK_PARTS = (
    ("worksheet", "worksheets/sheet1.xml"),
    ("styles", "styles.xml"),
    ("sharedStrings", "sharedStrings.xml"),
)


def workbook(categories: Sequence[str], series: Sequence[Series], value_format: str) -> bytes:
    """The chart's data as a one-sheet .xlsx: what 编辑数据 opens in Word, WPS and LibreOffice."""
    strings = [s.name for s in series] + list(categories)
    header = "".join(f'<c r="{_column(n)}1" t="s"><v>{n}</v></c>' for n in range(len(series)))
    rows = [f'<row r="1">{header}</row>']
    for r, _ in enumerate(categories, 2):
        cells = [f'<c r="A{r}" t="s"><v>{len(series) + r - 2}</v></c>']
        for n, s in enumerate(series):
            value = s.values[r - 2]
            if value is not None:
                cells.append(f'<c r="{_column(n)}{r}" s="1"><v>{value!r}</v></c>')
        rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    shared = "".join(f"<si><t>{_text(s)}</t></si>" for s in strings)
    parts = {
        "[Content_Types].xml": _content_types(),
        "_rels/.rels": _rels([("officeDocument", "xl/workbook.xml")]),
        "xl/workbook.xml": f'<workbook xmlns="{S_NS}" xmlns:r="{DOC_RELS}"><sheets>'
        f'<sheet name="{SHEET}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": _rels(WORKBOOK_PARTS),
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{S_NS}"><sheetData>{"".join(rows)}'
        "</sheetData></worksheet>",
        "xl/styles.xml": _styles(value_format),
        "xl/sharedStrings.xml": f'<sst xmlns="{S_NS}" count="{len(strings)}" '
        f'uniqueCount="{len(strings)}">{shared}</sst>',
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, xml in parts.items():
            package.writestr(name, HEAD + xml)
    return buffer.getvalue()


def _content_types() -> str:
    sheet = f"{PKG}officedocument.spreadsheetml"
    overrides = (
        ("/xl/workbook.xml", f"{sheet}.sheet.main+xml"),
        ("/xl/worksheets/sheet1.xml", f"{sheet}.worksheet+xml"),
        ("/xl/styles.xml", f"{sheet}.styles+xml"),
        ("/xl/sharedStrings.xml", f"{sheet}.sharedStrings+xml"),
    )
    listed = "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides)
    return (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Default Extension="rels" ContentType="{PKG}package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{listed}</Types>'
    )


def _rels(targets: Sequence[tuple[str, str]]) -> str:
    listed = "".join(
        f'<Relationship Id="rId{n}" Type="{DOC_RELS}/{kind}" Target="{target}"/>'
        for n, (kind, target) in enumerate(targets, 1)
    )
    return (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{listed}</Relationships>"
    )


def _styles(value_format: str) -> str:
    """Style 0 plain, style 1 the values' number format (custom format id 164)."""
    return (
        f'<styleSheet xmlns="{S_NS}"><numFmts count="1">'
        f'<numFmt numFmtId="164" formatCode="{_text(value_format)}"/></numFmts>'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
        '</fonts><fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border>'
        "<left/><right/><top/><bottom/><diagonal/></border></borders>"
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        '</cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"'
        ' xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0"'
        ' applyNumberFormat="1"/></cellXfs><cellStyles count="1">'
        '<cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
    )
