"""The 催报通知 as a GB/T 9704 公文 .docx, built on the reports' document skeleton (render.gbt9704)."""

from __future__ import annotations

from pathlib import Path

from reportgen import fmt
from reportgen.fileio import atomic_path
from reportgen.render.sentences import sub_heading
from reportgen.render.textclean import clean
from reportgen.rounds.remind import Reminder, item_lines, opening, requirement


def write_reminder(note: Reminder, out: Path | str) -> Path:
    """Write the notice to ``out`` atomically: title, 主送, body, 落款 and 成文日期."""
    from reportgen.render.gbt9704 import new_document, slim  # python-docx is slow to import

    doc = new_document()
    doc.core_properties.title = clean(note.title)
    doc.add_paragraph(clean(note.title), style="Title")
    doc.add_paragraph(clean("、".join(note.recipients)) + "：", style="主送")
    doc.add_paragraph(clean(opening(note)), style="Normal")
    doc.add_paragraph("一、需报送或更正的内容", style="Heading 1")
    for n, item in enumerate(note.items, 1):
        doc.add_paragraph(sub_heading(n, clean(item.department)), style="Heading 2")
        for line in item_lines(item):
            doc.add_paragraph(clean(line), style="Normal")
    doc.add_paragraph("二、报送要求", style="Heading 1")
    doc.add_paragraph(clean(requirement(note)), style="Normal")
    doc.add_paragraph("", style="Normal")
    doc.add_paragraph(clean(note.sender), style="落款")
    doc.add_paragraph(fmt.date_cn(note.today), style="成文日期")
    slim(doc)
    target = Path(out)
    with atomic_path(target) as tmp:
        doc.save(str(tmp))
    return target
