"""A GB/T 9704-2012 公文 document skeleton: page, styles, document grid, page numbers, fonts.

``new_document()`` returns an empty python-docx Document with everything a 公文 needs set in its
XML; ``reportgen.render.build_templates`` fills it with the report templates and ``slim`` drops
what python-docx's default package carries and a finished template does not use (most of its 173
styles, the latent-style list, stylesWithEffects, customXml, webSettings, unused numbering): every
report loads and saves less.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import XmlPart
from docx.oxml.ns import nsmap, qn
from docx.shared import Pt, Twips
from docx.styles.style import ParagraphStyle
from lxml import etree

from reportgen.render import oxml
from reportgen.render.oxml import FontFallback

# GB/T 9704-2012: A4, 版心 156 mm x 225 mm, 22 lines x 28 characters of 3号 (16 pt) 仿宋.
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
LINES, CHARS = 22, 28
LATIN = "Times New Roman"
BODY, TITLE, HEI, KAI, SONG = "仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312", "宋体"
BODY_PT, TITLE_PT, PAGE_NUMBER_PT, TABLE_PT, NOTE_PT = 16, 22, 14, 10.5, 12
FOOTER_MM = 23  # 页码一字线上距版心下边缘 7 mm: 35 - 7 - 14 pt (4.9 mm) ≈ 23 mm
HEADER_FILL = "D9D9D9"
CELL_MARGIN = 57  # twips (1 mm) left and right: room for numbers in narrow columns

CENTER, LEFT, RIGHT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT
# name, style id, East Asian font, size, alignment, right indent (chars/100), snaps to the grid
CUSTOM_STYLES = [
    ("主送", "Recipients", BODY, BODY_PT, LEFT, 0, True),
    ("落款", "Signature", BODY, BODY_PT, RIGHT, 400, True),  # 右空四字
    ("成文日期", "IssueDate", BODY, BODY_PT, RIGHT, 200, True),  # 右空二字
    ("附件标识", "AttachmentLabel", HEI, BODY_PT, LEFT, 0, True),
    ("图片", "Figure", BODY, BODY_PT, CENTER, 0, False),
    ("表注", "TableNote", BODY, NOTE_PT, LEFT, 0, False),
    ("表格文字", "TableText", BODY, TABLE_PT, CENTER, 0, False),
    ("表头文字", "TableHeader", HEI, TABLE_PT, CENTER, 0, False),
]

# The 公文 style set ``new_document`` defines: every template keeps it, used or not, so a drafter
# restyling one finds the same styles (一级至三级标题, 主送, 落款 …) in all three.
STYLE_NAMES = (
    *("Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Caption", "Footer"),
    *(custom[0] for custom in CUSTOM_STYLES),
)

# Parts of python-docx's default package no template needs: Word 2010's copy of the styles,
# an empty bibliography (customXml) and web-view settings.
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
UNUSED_PARTS = (STYLES_WITH_EFFECTS, RT.CUSTOM_XML, RT.WEB_SETTINGS)
# Where a part names a style (content parts), where a style names another, numbered paragraphs.
_W = {"w": nsmap["w"]}
_STYLE_REFS = etree.XPath(
    ".//w:pStyle/@w:val | .//w:rStyle/@w:val | .//w:tblStyle/@w:val"
    " | .//w:numStyleLink/@w:val | .//w:styleLink/@w:val",
    namespaces=_W,
    smart_strings=False,
)
_STYLE_LINKS = etree.XPath(
    "w:basedOn/@w:val | w:next/@w:val | w:link/@w:val", namespaces=_W, smart_strings=False
)
_NUMBERED = etree.XPath("boolean(.//w:numPr)", namespaces=_W)

FALLBACKS = [
    FontFallback(BODY, ("仿宋", "FangSong", "STFangsong"), "02010609030101010101"),
    FontFallback(KAI, ("楷体", "KaiTi", "STKaiti"), "02010609030101010101"),
    FontFallback(HEI, ("SimHei", "STHeiti", "Heiti SC"), "02010609060101010101"),
    FontFallback(
        TITLE,
        ("方正小标宋_GBK", "华文中宋", "STZhongsong", "宋体", "SimSun"),
        "02000000000000000000",
        family="script",
        pitch="variable",
    ),
    FontFallback(SONG, ("SimSun", "Songti SC"), "02010600030101010101", pitch="variable"),
]


def _reset(style: ParagraphStyle) -> None:
    """Drop the default template's look (theme fonts, colours, spacing) from a style."""
    for tag in ("w:pPr", "w:rPr"):
        for old in style.element.findall(qn(tag)):
            style.element.remove(old)


def _style(
    doc: DocumentObject,
    name: str,
    east_asia: str,
    size: float,
    *,
    style_id: str | None = None,
    bold: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = None,
    indent: int = 0,
    right: int = 0,
    snap: bool = True,
    latin: str = LATIN,
) -> ParagraphStyle:
    """A paragraph style with East Asian + Latin fonts, size, alignment, indents in chars/100."""
    style: ParagraphStyle
    try:
        style = doc.styles[name]
    except KeyError:
        style = doc.styles.add_style(name, 1)
        style.style_id = style_id
        style.base_style = doc.styles["Normal"]
    _reset(style)
    style.font.size = Pt(size)
    style.font.bold = bold
    oxml.set_fonts(style.element.get_or_add_rPr(), east_asia, latin)
    fmt = style.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    if align is not None:
        fmt.alignment = align
    ppr = style.element.get_or_add_pPr()
    oxml.set_indent_chars(ppr, size, first_line=indent, right=right)
    if not snap:
        oxml.set_snap_to_grid(ppr, False)
    return style


def _styles(doc: DocumentObject) -> None:
    rpr, ppr = oxml.doc_defaults(doc.styles.element)
    oxml.set_fonts(rpr, BODY, LATIN)
    oxml.set_language(rpr)
    rpr.sz_val = Pt(BODY_PT)
    ppr.spacing_after = Twips(0)
    ppr.spacing_line, ppr.spacing_lineRule = Twips(240), WD_LINE_SPACING.MULTIPLE
    normal = _style(doc, "Normal", BODY, BODY_PT, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=200)
    normal.paragraph_format.widow_control = True  # no single line of a paragraph alone
    title = _style(doc, "Title", TITLE, TITLE_PT, align=CENTER, snap=False)
    title.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    title.paragraph_format.line_spacing = Twips(oxml.line_pitch(_body_twips()[1], LINES))
    title.paragraph_format.space_after = title.paragraph_format.line_spacing
    _style(doc, "Subtitle", KAI, BODY_PT, align=CENTER)
    for level, font, bold in ((1, HEI, False), (2, KAI, False), (3, BODY, True)):
        heading = _style(doc, f"Heading {level}", font, BODY_PT, bold=bold, indent=200)
        heading.paragraph_format.keep_with_next = True
        oxml.set_outline_level(heading.element.get_or_add_pPr(), level - 1)
    _style(doc, "Caption", KAI, NOTE_PT + 2, align=CENTER)
    _style(doc, "Footer", SONG, PAGE_NUMBER_PT, snap=False, latin=SONG)
    for name, style_id, font, size, align, right, snap in CUSTOM_STYLES:
        _style(doc, name, font, size, style_id=style_id, align=align, right=right, snap=snap)
    doc.styles["附件标识"].paragraph_format.page_break_before = True
    figure = doc.styles["图片"].paragraph_format
    figure.keep_with_next = True  # the caption stays with its chart
    figure.space_before = Pt(6)


def _body_twips() -> tuple[int, int]:
    """(width, height) of the text block in twips, from the page and margins as Word stores them."""
    width = oxml.twips_from_mm(PAGE_MM[0])
    width -= oxml.twips_from_mm(MARGINS_MM["left"]) + oxml.twips_from_mm(MARGINS_MM["right"])
    height = oxml.twips_from_mm(PAGE_MM[1])
    height -= oxml.twips_from_mm(MARGINS_MM["top"]) + oxml.twips_from_mm(MARGINS_MM["bottom"])
    return width, height


def _page(doc: DocumentObject) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Twips(oxml.twips_from_mm(v)) for v in PAGE_MM)
    for side, mm in MARGINS_MM.items():
        setattr(section, f"{side}_margin", Twips(oxml.twips_from_mm(mm)))
    section.footer_distance = Twips(oxml.twips_from_mm(FOOTER_MM))
    width, height = _body_twips()
    oxml.set_doc_grid(
        section._sectPr, oxml.line_pitch(height, LINES), oxml.char_space(width, CHARS, BODY_PT)
    )
    doc.settings.odd_and_even_pages_header_footer = True
    oxml.set_theme_font_lang(doc.settings.element)
    # 单页码居右空一字，双页码居左空一字。
    for footer, align, side in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right_indent"),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left_indent"),
    ):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.style = doc.styles["Footer"]
        paragraph.alignment = align
        setattr(paragraph.paragraph_format, side, Pt(PAGE_NUMBER_PT))
        oxml.add_page_number(paragraph)
    font_table = next(r.target_part for r in doc.part.rels.values() if r.reltype == RT.FONT_TABLE)
    font_table._blob = oxml.add_font_fallbacks(font_table.blob, FALLBACKS)


def _drop_thumbnail(doc: DocumentObject) -> None:
    """python-docx's default package carries a JPEG thumbnail of a blank page: not ours."""
    rels = doc.part.package.rels
    for rid in [rid for rid, rel in rels.items() if rel.reltype == RT.THUMBNAIL]:
        rels.pop(rid)


def _closure(styles: etree._Element, ids: Iterable[str]) -> set[str]:
    """``ids``, the default styles and every style they lead to by basedOn, next or link."""
    by_id = {str(style.get(qn("w:styleId"))): style for style in styles.iter(qn("w:style"))}
    todo = [*ids, *(i for i, style in by_id.items() if style.get(qn("w:default")) == "1")]
    used: set[str] = set()
    while todo:
        style_id = todo.pop()
        if style_id in used or style_id not in by_id:
            continue
        used.add(style_id)
        todo += _STYLE_LINKS(by_id[style_id])
    return used


def slim(doc: DocumentObject, keep: Collection[str] = ()) -> None:
    """Keep only the styles the document's parts use, STYLE_NAMES and the style ids ``keep``
    (with their chains and the defaults); drop the latent-style list, UNUSED_PARTS and unused
    numbering."""
    _drop_parts(doc, UNUSED_PARTS)
    styles = doc.styles.element
    numbering = [r.target_part for r in doc.part.rels.values() if r.reltype == RT.NUMBERING]
    content = [part.element for part in _xml_parts(doc) if part not in numbering]
    gongwen = [doc.styles[name].style_id for name in STYLE_NAMES]
    used = _closure(styles, [*keep, *gongwen, *_referenced(content)])
    kept = [s for s in styles.iter(qn("w:style")) if s.get(qn("w:styleId")) in used]
    if any(_NUMBERED(element) for element in (*content, *kept)):
        used |= _closure(styles, _referenced(part.element for part in numbering))
    else:
        _drop_parts(doc, (RT.NUMBERING,))
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:styleId")) not in used:
            styles.remove(style)
    for latent in styles.findall(qn("w:latentStyles")):
        styles.remove(latent)


def _xml_parts(doc: DocumentObject) -> list[XmlPart]:
    """The package's XML parts, but styles.xml."""
    styles = doc.styles.element
    parts = doc.part.package.iter_parts()
    return [p for p in parts if isinstance(p, XmlPart) and p.element is not styles]


def _referenced(elements: Iterable[etree._Element]) -> set[str]:
    return {value for element in elements for value in _STYLE_REFS(element)}


def _drop_parts(doc: DocumentObject, reltypes: Collection[str]) -> None:
    """Drop the document's relationships of ``reltypes`` (and so, on save, their parts)."""
    rels = doc.part.rels
    for rid in [rid for rid, rel in rels.items() if rel.reltype in reltypes]:
        rels.pop(rid)


def new_document() -> DocumentObject:
    """An empty document with the 公文 page, styles, grid, footers and font fallbacks."""
    doc = Document()
    _drop_thumbnail(doc)
    body = doc.element.body
    for paragraph in body.findall(qn("w:p")):
        body.remove(paragraph)
    _styles(doc)
    _page(doc)
    return doc
