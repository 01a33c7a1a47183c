"""GB/T 9704 公文 checks on a .docx, shared by every test of a document reportgen writes
(progress reports, 评议结果通报): page and margins, grid, fonts with w:eastAsia, page numbers."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
from docx.document import Document
from docx.oxml.ns import qn
from docx.styles.style import BaseStyle
from lxml import etree

STYLE_FONTS = {
    "Normal": ("仿宋_GB2312", 16, None),
    "Title": ("方正小标宋简体", 22, None),
    "Heading 1": ("黑体", 16, False),
    "Heading 2": ("楷体_GB2312", 16, False),
    "Heading 3": ("仿宋_GB2312", 16, True),
    "Footer": ("宋体", 14, None),
}


def check_page_and_margins(doc: Document) -> None:
    """A4, margins 37 / 35 / 28 / 26 mm, in twips as Word stores them."""
    section = doc.sections[0]
    assert (section.page_width.twips, section.page_height.twips) == (11906, 16838)
    assert section.top_margin.twips == 2098
    assert section.bottom_margin.twips == 1984
    assert section.left_margin.twips == 1587
    assert section.right_margin.twips == 1474


def check_grid(doc: Document) -> None:
    """22 lines of 28 characters."""
    grid = doc.sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    assert grid.get(qn("w:linePitch")) == "579"
    assert grid.get(qn("w:charSpace")) == "-842"


def style_fonts(style: BaseStyle) -> etree._Element:
    return style.element.rPr.find(qn("w:rFonts"))


def check_fonts(doc: Document) -> None:
    """Body 仿宋_GB2312 3号, title 方正小标宋简体 2号, headings 黑体/楷体, page numbers 宋体 4号."""
    for name, (east_asia, size, bold) in STYLE_FONTS.items():
        style = doc.styles[name]
        assert style_fonts(style).get(qn("w:eastAsia")) == east_asia, name
        assert style.font.size.pt == size, name
        if bold is not None:
            assert bool(style.font.bold) is bold, name
    assert style_fonts(doc.styles["Normal"]).get(qn("w:ascii")) == "Times New Roman"
    assert doc.paragraphs[0].style.name == "Title"
    assert doc.styles["Title"].paragraph_format.alignment == 1  # centred


def check_page_numbers(doc: Document) -> None:
    """'— 1 —' PAGE fields, odd pages right, even pages left."""
    assert doc.settings.odd_and_even_pages_header_footer
    section = doc.sections[0]
    for footer, alignment in ((section.footer, 2), (section.even_page_footer, 0)):
        paragraph = footer.paragraphs[0]
        assert paragraph.text == "— 1 —"
        assert paragraph.alignment == alignment
        instructions = [t.text for t in paragraph._p.iter(qn("w:instrText"))]
        assert instructions == [" PAGE "]


def check_font_fallbacks(path: Path) -> None:
    """The font table names fallbacks for the GB fonts."""
    with zipfile.ZipFile(path) as package:
        fonts = package.read("word/fontTable.xml").decode()
    assert re.search(r'w:name="仿宋_GB2312">\s*<w:altName w:val="仿宋,FangSong', fonts)
    assert re.search(r'w:name="楷体_GB2312">\s*<w:altName w:val="楷体,KaiTi', fonts)
    assert re.search(r'w:name="黑体">\s*<w:altName w:val="SimHei', fonts)


def assert_gbt9704(path: Path) -> None:
    """Every check above on the .docx at ``path``."""
    doc = docx.Document(str(path))
    check_page_and_margins(doc)
    check_grid(doc)
    check_fonts(doc)
    check_page_numbers(doc)
    check_font_fallbacks(path)
