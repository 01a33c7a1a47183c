"""The one-pass path writes exactly the XML docxtpl's full path writes."""

from __future__ import annotations

import warnings
import zipfile
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docxtpl import DocxTemplate
from jinja2 import Environment

from reportgen.compare import compare
from reportgen.render import ReportOptions, onepass, render_report
from tests.support import render_samples as rs


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as docx:
        names = [n for n in docx.namelist() if not n.startswith("docProps/")]
        # the XML parts; an embedded chart workbook carries its creation time
        return {name: docx.read(name) for name in names if name.endswith((".xml", ".rels"))}


def _report(folder: Path, kind: str, name: str) -> dict[str, bytes]:
    weekly = kind == "weekly"
    result = rs.result(period=rs.WEEK if weekly else rs.PERIOD)
    options = ReportOptions(date=date(2024, 7, 5), with_table=weekly)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = render_report(result, kind, folder / name, options, compare(result))
    return _parts(out)


@pytest.mark.parametrize("kind", ["weekly", "quarterly", "midterm"])
def test_builtin_report_same_xml_as_docxtpl(tmp_path, monkeypatch, kind):
    fast = _report(tmp_path, kind, "fast.docx")
    monkeypatch.setattr(onepass, "OnePassTemplate", DocxTemplate)
    assert _report(tmp_path, kind, "full.docx") == fast


CELLS = (
    ("{%tc for c in cols %}", "{{ c }}", "{%tc endfor %}"),
    ("{%tr for r in rows %}", "", ""),
    ("{{ r }}", "{{ r }}", "{{ text }}"),
    ("{%tr endfor %}", "", ""),
)


def _template(path: Path) -> Path:
    doc = Document()
    doc.add_paragraph("{{ text }}")
    table = doc.add_table(rows=4, cols=3)
    for row, texts in zip(table.rows, CELLS, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    doc.save(path)
    return path


@pytest.mark.parametrize("text", ["一行", "两行\n第二行", "制表\t符", "分页\f之后"])
def test_listing_and_cell_loops_as_docxtpl(tmp_path, text):
    source = _template(tmp_path / "t.docx")
    context = {"text": text, "cols": ["甲", "乙", "丙", "丁", "戊"], "rows": ["1", "2"]}
    outputs = []
    for cls in (onepass.OnePassTemplate, DocxTemplate):
        tpl = cls(str(source))
        tpl.render(context, jinja_env=Environment(autoescape=True), autoescape=True)
        tpl.save(tmp_path / f"{cls.__name__}.docx")
        outputs.append(_parts(tmp_path / f"{cls.__name__}.docx")["word/document.xml"])
    assert outputs[0] == outputs[1]
    assert b"w:br" in outputs[0] or "\n" not in text
