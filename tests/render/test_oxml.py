"""The WordprocessingML helpers: grid arithmetic by hand, fonts, fields, table properties."""

from __future__ import annotations

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from reportgen.render import oxml


def test_twips_from_mm_rounds_like_word():
    # 37 mm = 37 / 25.4 * 1440 = 2097.6 -> 2098; 28 mm = 1587.4 -> 1587; A4 210 mm -> 11906
    assert oxml.twips_from_mm(37) == 2098
    assert oxml.twips_from_mm(28) == 1587
    assert oxml.twips_from_mm(210) == 11906
    assert oxml.twips_from_mm(297) == 16838


def test_line_pitch_fits_22_lines():
    # body height 16838 - 2098 - 1984 = 12756 twips; 12756 / 22 = 579.8 -> 579 (580 x 22 > 12756)
    assert oxml.line_pitch(12756, 22) == 579


def test_char_space_fits_28_characters():
    # body width 11906 - 1587 - 1474 = 8845 twips; pitch 8845 / 28 / 20 = 15.7946 pt;
    # (15.7946 - 16) x 4096 = -841.3 -> -842 (rounded down so 28 characters fit)
    assert oxml.char_space(8845, 28, 16) == -842
    # ECMA-376's own example: 11 pt Normal font, 21 pt pitch -> 40960
    assert oxml.char_space(21 * 20 * 10, 10, 11) == 40960


def test_set_doc_grid_writes_all_three_attributes():
    sect_pr = Document().sections[0]._sectPr
    oxml.set_doc_grid(sect_pr, 579, -842)
    grid = sect_pr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    assert grid.get(qn("w:linePitch")) == "579"
    assert grid.get(qn("w:charSpace")) == "-842"


def test_set_fonts_drops_theme_fonts_and_sets_east_asia():
    style = Document().styles["Heading 1"]  # has asciiTheme/eastAsiaTheme in the default template
    rpr = style.element.get_or_add_rPr()
    oxml.set_fonts(rpr, "黑体", "Times New Roman")
    fonts = rpr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "黑体"
    assert fonts.get(qn("w:ascii")) == fonts.get(qn("w:hAnsi")) == "Times New Roman"
    assert fonts.get(qn("w:hint")) == "eastAsia"
    assert not [a for a in fonts.attrib if a.endswith("Theme") or a.endswith("theme")]


def test_page_number_is_a_page_field_between_dashes():
    paragraph = Document().add_paragraph()
    oxml.add_page_number(paragraph)
    kinds = [c.get(qn("w:fldCharType")) for c in paragraph._p.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"]
    assert [t.text for t in paragraph._p.iter(qn("w:instrText"))] == [" PAGE "]
    assert paragraph.text == "— 1 —"


def test_row_properties_in_schema_order():
    table = Document().add_table(rows=1, cols=1)
    tr = table.rows[0]._tr
    oxml.set_repeat_header(tr)
    oxml.set_cant_split(tr)
    assert [c.tag for c in tr.trPr] == [qn("w:cantSplit"), qn("w:tblHeader")]


def test_snap_to_grid_goes_before_spacing():
    paragraph = Document().add_paragraph()
    paragraph.paragraph_format.space_after = 0
    ppr = paragraph._p.get_or_add_pPr()
    oxml.set_snap_to_grid(ppr, False)
    tags = [c.tag for c in ppr]
    assert tags.index(qn("w:snapToGrid")) < tags.index(qn("w:spacing"))
    assert ppr.find(qn("w:snapToGrid")).get(qn("w:val")) == "0"


def test_cell_shading_replaces_previous_fill():
    cell = Document().add_table(rows=1, cols=1).cell(0, 0)
    oxml.set_cell_shading(cell._tc, "FF0000")
    oxml.set_cell_shading(cell._tc, "00FF00")
    fills = [s.get(qn("w:fill")) for s in cell._tc.tcPr.iter(qn("w:shd"))]
    assert fills == ["00FF00"]


def test_cell_margins_in_order():
    table = Document().add_table(rows=1, cols=1)
    oxml.set_cell_margins(table._tbl, 57, 57)
    margins = table._tbl.tblPr.find(qn("w:tblCellMar"))
    assert [(c.tag, c.get(qn("w:w"))) for c in margins] == [
        (qn("w:left"), "57"),
        (qn("w:right"), "57"),
    ]


def test_font_fallbacks_in_font_table():
    fonts = [oxml.FontFallback("仿宋_GB2312", ("仿宋", "FangSong"), "02010609030101010101")]
    table = OxmlElement("w:fonts")
    old = OxmlElement("w:font")
    old.set(qn("w:name"), "仿宋_GB2312")
    table.append(old)
    from lxml import etree

    xml = oxml.add_font_fallbacks(etree.tostring(table), fonts)
    root = etree.fromstring(xml)
    entries = root.findall(qn("w:font"))
    assert len(entries) == 1
    assert entries[0].find(qn("w:altName")).get(qn("w:val")) == "仿宋,FangSong"
    assert entries[0].find(qn("w:charset")).get(qn("w:val")) == "86"
