"""The one module that touches WordprocessingML directly.

Small named functions over python-docx's lxml elements: East Asian fonts (``w:eastAsia``) and
their fallbacks in the font table, the document grid, page-number fields, table-row and cell
properties. Everything else in ``render`` speaks in report concepts and python-docx objects.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from docx.document import Document
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from lxml import etree

TWIPS_PER_PT = 20
GRID_UNITS_PER_PT = 4096  # w:charSpace is in 1/4096 pt
THEME_FONT_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
CHART_URI = "http://schemas.openxmlformats.org/drawingml/2006/chart"


def twips_from_mm(mm: float) -> int:
    """Millimetres -> twips (1/1440 inch), rounded to the nearest twip as Word stores them."""
    return round(mm / 25.4 * 1440)


def line_pitch(body_height_twips: int, lines: int) -> int:
    """w:linePitch (twips) that fits ``lines`` single-spaced lines in the body height.

    Word rounds down, so that ``lines`` lines really fit: 12756 twips / 22 -> 579.
    """
    return body_height_twips // lines


def char_space(body_width_twips: int, chars: int, font_pt: float) -> int:
    """w:charSpace for ``chars`` characters per line of the Normal font size.

    ECMA-376 17.6.5: (desired pitch - Normal font size) in points x 4096, rounded down so that
    ``chars`` characters fit: (8844 / 28 / 20 - 16) x 4096 = -848.5 -> -849.
    """
    pitch_pt = body_width_twips / chars / TWIPS_PER_PT
    return math.floor((pitch_pt - font_pt) * GRID_UNITS_PER_PT)


def set_doc_grid(sect_pr: etree._Element, pitch: int, space: int) -> None:
    """Give the section a line-and-character grid (Word: 指定行和字符网格)."""
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(pitch))
    grid.set(qn("w:charSpace"), str(space))


PPR_AFTER_SNAP = ("w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
                  "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
                  "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr",
                  "w:sectPr", "w:pPrChange")  # fmt: skip
RPR_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")
TRPR_AFTER_CANT_SPLIT = ("w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden",
                         "w:ins", "w:del", "w:trPrChange")  # fmt: skip


def _child(parent: etree._Element, tag: str, successors: tuple[str, ...]) -> etree._Element:
    """The ``tag`` child of ``parent``, created in schema order (Word rejects misordered XML)."""
    elem = parent.find(qn(tag))
    if elem is None:
        elem = OxmlElement(tag)
        after = next((c for c in parent if c.tag in {qn(t) for t in successors}), None)
        if after is None:
            parent.append(elem)
        else:
            after.addprevious(elem)
    return elem


RPR_AFTER_SPACING = ("w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u",
                     "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs",
                     "w:em", "w:lang", *RPR_AFTER_LANG)  # fmt: skip


def grid_as_condensed_text(document: Document) -> None:
    """Replace a squeezing character grid by a line grid plus the same squeeze as spacing.

    Word fits a 16 pt character into a 15.8 pt grid cell (28 per line); LibreOffice gives it
    two cells (14 per line). For LibreOffice's PDF export the character grid becomes a line
    grid and the default text gets the equivalent condensed spacing, rounded down to whole
    twips so the 28 characters still fit.
    """
    squeeze = 0
    for section in document.sections:
        grid = section._sectPr.find(qn("w:docGrid"))
        if grid is not None and grid.get(qn("w:type")) == "linesAndChars":
            space = int(grid.get(qn("w:charSpace"), "0"))
            if space < 0:
                grid.set(qn("w:type"), "lines")
                squeeze = min(squeeze, math.floor(space * TWIPS_PER_PT / GRID_UNITS_PER_PT))
    if squeeze:
        rpr, _ = doc_defaults(document.styles.element)
        _child(rpr, "w:spacing", RPR_AFTER_SPACING).set(qn("w:val"), str(squeeze))


def set_fonts(rpr: etree._Element, east_asia: str, latin: str) -> None:
    """Set East Asian and Latin fonts on a w:rPr, dropping theme fonts (they would win).

    ``w:hint="eastAsia"`` makes shared punctuation (“”：—) use the East Asian font.
    """
    fonts = rpr.get_or_add_rFonts()
    for attr in THEME_FONT_ATTRS:
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")


def doc_defaults(styles: etree._Element) -> tuple[etree._Element, etree._Element]:
    """The document-wide default w:rPr and w:pPr (w:docDefaults in styles.xml)."""
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    return rpr, ppr


def set_outline_level(ppr: etree._Element, level: int) -> None:
    """w:outlineLvl: the paragraph shows in Word's navigation pane at ``level`` (0 = top)."""
    ppr.get_or_add_outlineLvl().set(qn("w:val"), str(level))


def set_language(rpr: etree._Element, east_asia: str = "zh-CN", latin: str = "en-US") -> None:
    """w:lang, so Word applies Chinese line-breaking rules and proofing."""
    lang = _child(rpr, "w:lang", RPR_AFTER_LANG)
    lang.set(qn("w:val"), latin)
    lang.set(qn("w:eastAsia"), east_asia)


def set_theme_font_lang(settings: etree._Element, east_asia: str = "zh-CN") -> None:
    """w:themeFontLang: pick the theme's Chinese fonts for any theme-font text."""
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), east_asia)


def set_indent_chars(
    ppr: etree._Element, font_pt: float, first_line: int = 0, right: int = 0
) -> None:
    """Indents in hundredths of a character (w:firstLineChars="200" = 首行缩进2字符).

    The same indents in twips go alongside for applications that ignore the *Chars forms
    (LibreOffice without a character grid); Word uses the *Chars values when both are present.
    """
    ind = ppr.get_or_add_ind()
    for chars, attr in ((first_line, "firstLine"), (right, "right")):
        ind.set(qn(f"w:{attr}Chars"), str(chars))
        ind.set(qn(f"w:{attr}"), str(round(chars / 100 * font_pt * TWIPS_PER_PT)))


def set_snap_to_grid(ppr: etree._Element, snap: bool) -> None:
    """Whether the paragraph's lines snap to the document grid (tables and footers: no)."""
    _child(ppr, "w:snapToGrid", PPR_AFTER_SNAP).set(qn("w:val"), "1" if snap else "0")


def add_page_number(paragraph: Paragraph, before: str = "— ", after: str = " —") -> None:
    """Append ``— {PAGE} —`` to the paragraph: text, a PAGE field (begin/instr/separate/end)."""
    paragraph.add_run(before)
    _field_char(paragraph, "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    paragraph.add_run()._r.append(instr)
    _field_char(paragraph, "separate")
    paragraph.add_run("1")
    _field_char(paragraph, "end")
    paragraph.add_run(after)


def _field_char(paragraph: Paragraph, kind: str) -> None:
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    paragraph.add_run()._r.append(char)


def set_repeat_header(tr: etree._Element) -> None:
    """Repeat this row at the top of every page the table spans (w:tblHeader)."""
    _child(tr.get_or_add_trPr(), "w:tblHeader", TRPR_AFTER_CANT_SPLIT[2:])


def set_cant_split(tr: etree._Element) -> None:
    """Keep the row on one page (w:cantSplit)."""
    _child(tr.get_or_add_trPr(), "w:cantSplit", TRPR_AFTER_CANT_SPLIT)


def set_cell_shading(tc: etree._Element, fill: str) -> None:
    """Solid cell background (w:shd), ``fill`` as RRGGBB."""
    tc_pr = tc.get_or_add_tcPr()
    shd = _child(tc_pr, "w:shd", ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText",
                                  "w:vAlign", "w:hideMark"))  # fmt: skip
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)


def set_cell_margins(tbl: etree._Element, left: int, right: int) -> None:
    """Default left/right cell margins of a table, in twips (w:tblCellMar)."""
    margins = _child(tbl.tblPr, "w:tblCellMar", ("w:tblLook", "w:tblCaption", "w:tblDescription"))
    for side, value in (("w:left", left), ("w:right", right)):
        elem = _child(margins, side, ("w:bottom", "w:end", "w:right") if side == "w:left" else ())
        elem.set(qn("w:w"), str(value))
        elem.set(qn("w:type"), "dxa")


def clear_cell_width(tc: etree._Element) -> None:
    """Drop the cell's own width (w:tcW) so the table grid decides it; no empty w:tcPr left."""
    tc_pr = tc.tcPr
    if tc_pr is None:
        return
    for width in tc_pr.findall(qn("w:tcW")):
        tc_pr.remove(width)
    if len(tc_pr) == 0:
        tc.remove(tc_pr)


def add_table_style(
    styles: etree._Element, style_id: str, name: str, based_on: str, v_align: str
) -> None:
    """A custom table style ``based_on`` another whose cells are vertically aligned ``v_align``.

    Carried once by the style (w:style/w:tcPr/w:vAlign), not repeated in every cell.
    """
    style = OxmlElement("w:style")
    style.set(qn("w:type"), "table")
    style.set(qn("w:customStyle"), "1")
    style.set(qn("w:styleId"), style_id)
    for tag, value in (("w:name", name), ("w:basedOn", based_on), ("w:uiPriority", "59")):
        _sub(style, tag).set(qn("w:val"), value)
    _sub(style, "w:qFormat")
    _sub(style, "w:tblPr")
    _sub(_sub(style, "w:tcPr"), "w:vAlign").set(qn("w:val"), v_align)
    styles.append(style)


@dataclass(frozen=True)
class FontFallback:
    """A font-table entry: the GB name, names to try when it is missing, and its metrics class."""

    name: str
    alternates: tuple[str, ...]
    panose: str
    family: str = "modern"
    pitch: str = "fixed"
    charset: str = "86"  # GB2312


def add_font_fallbacks(font_table_xml: bytes, fonts: list[FontFallback]) -> bytes:
    """Return the font table (word/fontTable.xml) with entries for ``fonts`` (w:altName etc.).

    Word and WPS try each w:altName in turn when the font is missing, then fall back on the
    charset / panose metrics, so 仿宋_GB2312 falls back to 仿宋 (FangSong) rather than a Latin font.
    """
    root = parse_xml(font_table_xml)
    for font in fonts:
        for old in root.findall(qn("w:font")):
            if old.get(qn("w:name")) == font.name:
                root.remove(old)
        root.append(_font_element(font))
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _font_element(font: FontFallback) -> etree._Element:
    elem = OxmlElement("w:font")
    elem.set(qn("w:name"), font.name)
    for tag, value in (
        ("w:altName", ",".join(font.alternates)),
        ("w:panose1", font.panose),
        ("w:charset", font.charset),
        ("w:family", font.family),
        ("w:pitch", font.pitch),
    ):
        child = OxmlElement(tag)
        child.set(qn("w:val"), value)
        elem.append(child)
    return elem


# ---------------------------------------------------------------- charts


def replace_with_chart(
    p: etree._Element, rid: str, size_emu: tuple[int, int], shape_id: int, name: str
) -> None:
    """Empty the paragraph ``p`` and give it one run holding the chart ``rid`` inline.

    ``w:drawing/wp:inline`` with ``a:graphicData uri=".../chart"`` and ``c:chart r:id`` is how
    Word itself places a chart in the text flow.
    """
    for child in [c for c in p if c.tag != qn("w:pPr")]:
        p.remove(child)
    inline = OxmlElement("wp:inline")
    for side in ("distT", "distB", "distL", "distR"):
        inline.set(side, "0")
    extent = _sub(inline, "wp:extent")
    extent.set("cx", str(size_emu[0]))
    extent.set("cy", str(size_emu[1]))
    doc_pr = _sub(inline, "wp:docPr")
    doc_pr.set("id", str(shape_id))
    doc_pr.set("name", name)
    _sub(inline, "wp:cNvGraphicFramePr")
    data = _sub(_sub(inline, "a:graphic"), "a:graphicData")
    data.set("uri", CHART_URI)
    _sub(data, "c:chart").set(qn("r:id"), rid)
    run = _sub(p, "w:r")
    _sub(run, "w:drawing").append(inline)


def _sub(parent: etree._Element, tag: str) -> etree._Element:
    child = OxmlElement(tag)
    parent.append(child)
    return child
