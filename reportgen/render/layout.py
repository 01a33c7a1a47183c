"""Finishing a rendered report: title line breaks, the signature block, document properties.

GB/T 9704-2012 §7.3.5.2 (unsealed documents): the 署名 goes one blank line below the body or the
附件说明, 右空二字; the 成文日期 on the next line, its first character two characters right of
the 署名's first. When the date is longer, the date is 右空二字 and the 署名 moves left to keep
that offset. Both stay on one page with at least two body lines above them (keep-with-next
from the last body paragraph down, widow control), so a page never holds only the signature.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from docx.document import Document
from docx.oxml.ns import nsmap, qn
from docx.text.paragraph import Paragraph
from lxml import etree

from reportgen.render import oxml, titles
from reportgen.render.gbt9704 import BODY_PT, CHARS

SIGNATURE_STYLE, DATE_STYLE, TITLE_STYLE = "Signature", "IssueDate", "Title"
RIGHT_SPACE = 2.0  # 右空二字
DATE_SHIFT = 2.0  # the date's first character, right of the signature's first
ATTACHMENT_NOTE = "附件"


@dataclass(frozen=True)
class SignatureIndents:
    """Right indents, in characters, of the 署名 and 成文日期 lines."""

    signature: float
    date: float


def signature_indents(signer: str, date_text: str, chars: int = CHARS) -> SignatureIndents:
    """§7.3.5.2 placement of the 署名 and 成文日期 on a line of ``chars`` characters."""
    name, day = titles.width(signer), titles.width(date_text)
    start = chars - RIGHT_SPACE - name
    date_start = start + DATE_SHIFT
    if date_start + day > chars - RIGHT_SPACE:  # the date is the longer: it is 右空二字
        date_start = chars - RIGHT_SPACE - day
        start = date_start - DATE_SHIFT
    start = max(start, 0.0)
    return SignatureIndents(chars - start - name, chars - date_start - day)


def finish(document: Document, title: str, signer: str, kind_name: str) -> None:
    """Break the title into its lines, place and bind the signature block, set properties."""
    break_title_paragraph(document, title)
    place_signature(document)
    set_properties(document, title, signer, kind_name)


# The body's paragraphs of one style, found by libxml2 (a report has 10 000 paragraphs and more).
_STYLED = etree.XPath("./w:p[w:pPr/w:pStyle/@w:val = $style]", namespaces={"w": nsmap["w"]})


def _paragraphs(document: Document, style_id: str) -> Iterator[Paragraph]:
    for p in _STYLED(document.element.body, style=style_id):
        yield Paragraph(p, document.part)


def break_title_paragraph(document: Document, title: str) -> None:
    """The first Title paragraph reading ``title``: one run per line, line breaks between."""
    for paragraph in _paragraphs(document, TITLE_STYLE):
        if paragraph.text != title:
            continue
        lines = titles.break_title(title)
        if len(lines) > 1:
            for run in paragraph.runs[1:]:
                run._r.getparent().remove(run._r)
            first = paragraph.runs[0]
            first.text = lines[0]
            for line in lines[1:]:
                first.add_break()
                first.add_text(line)
        return


def place_signature(document: Document) -> None:
    """Indents of the 署名 and 成文日期 from their texts; keep them with the body above."""
    signatures = list(_paragraphs(document, SIGNATURE_STYLE))
    dates = list(_paragraphs(document, DATE_STYLE))
    if len(signatures) != 1 or len(dates) != 1:
        return  # a user template without (or with several) signature blocks: leave it
    signature, day = signatures[0], dates[0]
    indents = signature_indents(signature.text, day.text)
    for paragraph, right in ((signature, indents.signature), (day, indents.date)):
        ppr = paragraph._p.get_or_add_pPr()
        oxml.set_indent_chars(ppr, BODY_PT, first_line=0, right=round(right * 100))
        paragraph.paragraph_format.keep_together = True
    signature.paragraph_format.keep_with_next = True
    _keep_body_above(signature)


def _keep_body_above(signature: Paragraph) -> None:
    """keep-with-next from the last body paragraph (above any 附件说明 and blank lines) down."""
    element = signature._p.getprevious()
    while element is not None and element.tag == qn("w:p"):
        paragraph = Paragraph(element, signature._parent)
        paragraph.paragraph_format.keep_with_next = True
        text = paragraph.text.strip()
        if text and not text.startswith(ATTACHMENT_NOTE):
            paragraph.paragraph_format.widow_control = True  # >= 2 of its lines come along
            return
        element = element.getprevious()


def set_properties(document: Document, title: str, signer: str, kind_name: str) -> None:
    """File properties: the report's title, the drafting office, the real creation time."""
    now = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    props = document.core_properties
    props.title = title
    props.author = props.last_modified_by = signer
    props.created = props.modified = now
    props.revision = 1
    props.category = kind_name
    props.comments = ""
    props.subject = ""
    props.keywords = ""
