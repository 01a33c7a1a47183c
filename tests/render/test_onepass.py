"""The one-pass path writes docxtpl's XML (canonically), with table rows never parsed."""

from __future__ import annotations

import warnings
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2 import Environment
from lxml import etree

from reportgen.compare import compare
from reportgen.records import DataProblem
from reportgen.render import ReportOptions, onepass, render_report, rowsplice
from reportgen.render import report as report_module
from reportgen.render.context import Front, build_context
from tests.support import render_samples as rs

HOSTILE = [
    "A&B <c> \"引号\" '单引号'",
    "两行\n第二行\r\n第三行",
    "制表\t符",
    "{_{ x }_} {_% if %_} {{ y }} {% z %}",
    "表情😀与生僻字𠀀",
    "控制\x01\x0b字符\ufffe孤立\ud800代理",
    "很长的名称" * 400,
]


def _canonical(path: Path) -> dict[str, object]:
    """Every XML part (not docProps: they carry times) in canonical form (C14N 2.0), and the
    zip entries in order (name, compression, permissions)."""
    with zipfile.ZipFile(path) as docx:
        names = [n for n in docx.namelist() if n.endswith((".xml", ".rels"))]
        entries = [(i.filename, i.compress_type, i.external_attr) for i in docx.infolist()]
        return {
            "entries": entries,
            **{
                name: etree.tostring(etree.fromstring(docx.read(name)), method="c14n2")
                for name in names
                if not name.startswith("docProps/")
            },
        }


def _hostile_result(kind: str):
    """The sample result with every text a table shows replaced by hostile ones."""
    sample = rs.many(3 * len(HOSTILE))
    indicators = [
        replace(ind, name=HOSTILE[n % len(HOSTILE)], unit=HOSTILE[(n + 1) % len(HOSTILE)][:20])
        for n, ind in enumerate(sample.indicators)
    ]
    problems = tuple(
        DataProblem(text[:30], f"B{n}", f"X{n:04d}", text) for n, text in enumerate(HOSTILE)
    )
    period = rs.WEEK if kind == "weekly" else rs.PERIOD
    return replace(sample, indicators=indicators, period=period, data_problems=problems)


def _report(folder: Path, kind: str, name: str, hostile: bool) -> Path:
    weekly = kind == "weekly"
    result = (
        _hostile_result(kind) if hostile else rs.result(period=rs.WEEK if weekly else rs.PERIOD)
    )
    history = [("2023-Q4", result.indicators), ("2024-Q1", result.indicators)]
    comparison = compare(result, history=history) if kind == "midterm" else compare(result)
    options = ReportOptions(date=date(2024, 7, 5), with_table=weekly)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return render_report(result, kind, folder / name, options, comparison)


@pytest.mark.parametrize("hostile", [False, True], ids=["sample", "hostile"])
@pytest.mark.parametrize("kind", ["weekly", "quarterly", "midterm"])
def test_builtin_report_same_xml_as_docxtpl(tmp_path, monkeypatch, kind, hostile):
    monkeypatch.setattr(rowsplice, "BATCH", 7)  # many batches: tabs carried across them
    fast = _canonical(_report(tmp_path, kind, "fast.docx", hostile))
    monkeypatch.setattr(onepass, "OnePassTemplate", DocxTemplate)
    assert _canonical(_report(tmp_path, kind, "full.docx", hostile)) == fast


def _rendered_template(result, kind: str = "quarterly"):
    """The built-in template rendered, before charts, layout and saving."""
    template = report_module.template_path(kind)
    tpl = report_module._open(template, builtin=True)
    context = build_context(result, kind, Front(None, None, None, date(2024, 7, 5), False))
    mapping, _ = report_module.context_mapping(context, result)
    report_module.render(tpl, mapping, template.name, sandboxed=False)
    return tpl


def _annex_tables(doc):
    by_text = {t.rows[0].cells[0].text: t for t in doc.tables}
    return by_text["编号"], by_text["填报文件"]


def _no_joined_copy(part):
    raise AssertionError("the document XML was joined into one copy instead of streamed")


def test_table_rows_are_never_parsed(tmp_path, monkeypatch):
    problems = tuple(DataProblem("填报.xlsx", f"H{n}", "", "问题") for n in range(40))
    result = replace(rs.many(300), data_problems=problems)
    tpl = _rendered_template(result)
    for table in _annex_tables(tpl.docx):
        tbl = table._tbl
        assert len(tbl.tr_lst) == 1  # the header; the rows are text until saved
        marks = [c for c in tbl if isinstance(c, etree._ProcessingInstruction)]
        assert [m.target for m in marks] == ["reportgen-rows"]
    elements = sum(1 for _ in tpl.docx.element.body.iter(qn("w:tc")))
    assert elements == 14  # the two header rows
    monkeypatch.setattr(onepass.SplicedDocumentPart, "blob", property(_no_joined_copy))
    tpl.save(tmp_path / "q.docx")
    indicators, problem_table = _annex_tables(Document(tmp_path / "q.docx"))
    assert [r.cells[0].text for r in indicators.rows[1:]] == [f"X{n:04d}" for n in range(300)]
    assert [r.cells[1].text for r in problem_table.rows[1:]] == [f"H{n}" for n in range(40)]


def test_saved_report_opens_with_every_row(tmp_path):
    result = replace(rs.many(1200), data_problems=(DataProblem("a.xlsx", "C3", "X0001", "空"),))
    out = _report_of(tmp_path, result)
    indicators, problems = _annex_tables(Document(out))
    assert len(indicators.rows) == 1201
    assert indicators.rows[-1].cells[0].text == "X1199"
    assert indicators.rows[1].cells[3].text == "97\n2025年"  # a line feed became a w:br
    assert [c.text for c in problems.rows[1].cells] == ["a.xlsx", "C3", "X0001 注册计量师1", "空"]
    with zipfile.ZipFile(out) as docx:
        etree.fromstring(docx.read("word/document.xml"))  # well-formed


def _report_of(folder: Path, result) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return render_report(result, "quarterly", folder / "q.docx", ReportOptions())


def test_only_plain_row_loops_are_spliced():
    for kind in ("weekly", "quarterly", "midterm"):
        tpl = _rendered_template(rs.result(period=rs.WEEK if kind == "weekly" else rs.PERIOD))
        assert isinstance(tpl.docx.part, onepass.SplicedDocumentPart)
    source = (
        '<w:tbl><w:tblGrid><w:gridCol w:w="1"/></w:tblGrid>'
        "{% for r in rows %}<w:tr><w:tc><w:p><w:r><w:t>{{ r }}</w:t></w:r></w:p></w:tc></w:tr>"
        "{% endfor %}</w:tbl>"
    )
    assert "{% block reportgen_rows_0 scoped %}" in rowsplice.with_row_blocks(source)
    for changed in (
        source.replace("<w:t>{{ r }}", "<w:t>\n{{ r }}"),  # a line feed of the template
        source.replace("<w:t>{{ r }}</w:t>", '<w:t w:x="{{ r }}"/>'),  # in an attribute
        source.replace("{{ r }}", "{% for c in r %}{{ c }}{% endfor %}"),  # a loop inside
        source.replace("</w:tblGrid>", '<w:gridCol w:w="1"/></w:tblGrid>'),  # grid unfilled
        source.replace("</w:tblGrid>", "</w:tblGrid>{{ x }}"),  # another tag in the table
    ):
        assert "{% block" not in rowsplice.with_row_blocks(changed), changed


CELLS = (
    ("{%tc for c in cols %}", "{{ c }}", "{%tc endfor %}"),
    ("{%tr for r in rows %}", "", ""),
    ("{{ r }}", "{{ r }}", "{{ text }}"),
    ("{%tr endfor %}", "", ""),
)
PLAIN_ROWS = (
    ("{%tr for r in rows %}", "", ""),
    ("{{ r }}", "{{ text }}", "{{ text }}"),
    ("{%tr endfor %}", "", ""),
)


def _template(path: Path, rows: tuple[tuple[str, str, str], ...]) -> Path:
    doc = Document()
    doc.add_paragraph("{{ text }}")
    table = doc.add_table(rows=len(rows), cols=3)
    for row, texts in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    doc.save(path)
    return path


@pytest.mark.parametrize("rows", [CELLS, PLAIN_ROWS], ids=["cell loop", "row loop"])
@pytest.mark.parametrize("text", ["一行", "两行\n第二行", "制表\t符", "分页\f之后", "a{_", "{_{"])
def test_listing_and_loops_as_docxtpl(tmp_path, monkeypatch, rows, text):
    monkeypatch.setattr(rowsplice, "BATCH", 3)
    source = _template(tmp_path / "t.docx", rows)
    context = {"text": text, "cols": ["甲", "乙", "丙", "丁", "戊"], "rows": ["1", "{", "3"]}
    outputs = []
    for cls in (onepass.OnePassTemplate, DocxTemplate):
        tpl = cls(str(source))
        tpl.render(context, jinja_env=Environment(autoescape=True), autoescape=True)
        tpl.save(tmp_path / f"{cls.__name__}.docx")
        outputs.append(_canonical(tmp_path / f"{cls.__name__}.docx")["word/document.xml"])
    assert outputs[0] == outputs[1]
    assert b"w:br" in outputs[0] or "\n" not in text
