"""The GB/T 9704 checks tests/render/test_report.py makes on reports, for other 公文 outputs.

A4 with 37/35/28/26 mm margins, a 22-line x 28-character grid, the 公文 fonts with fallbacks in
the font table, and odd/even page numbers as PAGE fields.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn

STYLE_FONTS = {
    "Normal": ("仿宋_GB2312", 16, None),
    "Title": ("方正小标宋简体", 22, None),
    "Heading 1": ("黑体", 16, False),
    "Heading 2": ("楷体_GB2312", 16, False),
    "Heading 3": ("仿宋_GB2312", 16, True),
    "Footer": ("宋体", 14, None),
}


def assert_gbt9704(path: Path) -> None:
    """Fail unless the .docx at ``path`` has the 公文 page, grid, fonts and page numbers."""
    doc = Document(path)
    section = doc.sections[0]
    assert (section.page_width.twips, section.page_height.twips) == (11906, 16838)  # A4
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert tuple(m.twips for m in margins) == (2098, 1984, 1587, 1474)  # 37 / 35 / 28 / 26 mm
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    assert grid.get(qn("w:linePitch")) == "579"
    assert grid.get(qn("w:charSpace")) == "-842"
    for name, (east_asia, size, bold) in STYLE_FONTS.items():
        style = doc.styles[name]
        assert style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == east_asia, name
        assert style.font.size.pt == size, name
        if bold is not None:
            assert bool(style.font.bold) is bold, name
    assert doc.settings.odd_and_even_pages_header_footer
    for footer, alignment in ((section.footer, 2), (section.even_page_footer, 0)):
        paragraph = footer.paragraphs[0]
        assert paragraph.text == "— 1 —" and paragraph.alignment == alignment
        assert [t.text for t in paragraph._p.iter(qn("w:instrText"))] == [" PAGE "]
    with zipfile.ZipFile(path) as package:
        fonts = package.read("word/fontTable.xml").decode()
    assert re.search(r'w:name="仿宋_GB2312">\s*<w:altName w:val="仿宋,FangSong', fonts)
    assert re.search(r'w:name="黑体">\s*<w:altName w:val="SimHei', fonts)
