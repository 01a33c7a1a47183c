"""The checked-in templates are exactly what the build script makes; old-style copies still work."""

from __future__ import annotations

import posixpath
import subprocess
import sys
import zipfile

import pytest
from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Mm
from lxml import etree

from reportgen.render import ReportOptions, render_report
from reportgen.render.build_templates import RENDERER_STYLES
from reportgen.render.build_templates import TEMPLATES as BUILDERS
from reportgen.render.context import FILLS, NO_FILL
from reportgen.render.gbt9704 import STYLE_NAMES, new_document, slim
from tests.support import render_samples as rs
from tests.support.paths import TEMPLATES


def test_templates_match_the_build_script(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "reportgen.render.build_templates", "--out", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    for kind in ("weekly", "quarterly", "midterm"):
        with (
            zipfile.ZipFile(tmp_path / f"{kind}.docx") as built,
            zipfile.ZipFile(TEMPLATES / f"{kind}.docx") as checked_in,
        ):
            assert built.namelist() == checked_in.namelist(), kind
            for name in built.namelist():
                assert built.read(name) == checked_in.read(name), (
                    f"{kind}.docx {name}：请重新运行 scripts/build_templates.py"
                )


def _old_style_template(path):
    """A user template made from the pre-lean templates: every data cell shaded by cellbg, with
    its own width and vertical alignment."""
    doc = Document()
    doc.add_paragraph("{{ title }}")
    texts = [
        ("编号", "指标"),
        ("{%tr for row in rows %}", ""),
        ("{% cellbg row.fill %}{{ row.id }}", "{% cellbg row.fill %}{{ row.name }}"),
        ("{%tr endfor %}", ""),
    ]
    table = doc.add_table(rows=4, cols=2, style="Table Grid")
    for row, values in zip(table.rows, texts, strict=True):
        for cell, text in zip(row.cells, values, strict=True):
            cell.text, cell.width = text, Mm(40)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    doc.save(path)
    return path


def test_user_templates_in_the_old_style_keep_working(tmp_path):
    options = ReportOptions(template=_old_style_template(tmp_path / "old.docx"))
    out = render_report(rs.result(), "quarterly", tmp_path / "q.docx", options)
    rows = Document(out).tables[0].rows[1:]
    fills = {
        row.cells[0].text: {tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) for tc in row._tr.tc_lst}
        for row in rows
    }
    assert fills == {
        "I1": {FILLS["滞后"]},
        "I2": {FILLS["已完成"]},
        "I3": {NO_FILL},
        "I4": {FILLS["严重滞后"]},
        "I5": {FILLS["未填报"]},
    }


# Where a part names a style, and where a style names another.
NAMING = ("w:pStyle", "w:rStyle", "w:tblStyle", "w:numStyleLink", "w:styleLink")
LINKS = ("w:basedOn", "w:next", "w:link")


def _xml_parts(path):
    with zipfile.ZipFile(path) as package:
        return {
            name: etree.fromstring(package.read(name))
            for name in package.namelist()
            if name.endswith((".xml", ".rels"))
        }


def _named(root, tags):
    return {e.get(qn("w:val")) for tag in tags for e in root.iter(qn(tag))}


def _reachable(styles, start):
    """``start``, the default styles and what they lead to by basedOn, next and link."""
    by_id = {s.get(qn("w:styleId")): s for s in styles.iter(qn("w:style"))}
    todo = [*start, *(i for i, s in by_id.items() if s.get(qn("w:default")) == "1")]
    seen = set()
    while todo:
        style_id = todo.pop()
        if style_id not in seen:
            seen.add(style_id)
            todo += _named(by_id[style_id], LINKS)
    return seen


@pytest.mark.parametrize("kind", BUILDERS)
def test_templates_define_every_style_they_name_and_no_other(kind):
    parts = _xml_parts(TEMPLATES / f"{kind}.docx")
    styles = parts.pop("word/styles.xml")
    defined = {s.get(qn("w:styleId")) for s in styles.iter(qn("w:style"))}
    named = set().union(*(_named(root, NAMING) for root in parts.values()))
    by_name = Document(TEMPLATES / f"{kind}.docx").styles
    kept = {by_name[name].style_id for name in STYLE_NAMES} | set(RENDERER_STYLES)
    assert named | kept | _named(styles, LINKS) <= defined
    assert defined == _reachable(styles, named | kept)  # and nothing more
    assert styles.find(qn("w:latentStyles")) is None


@pytest.mark.parametrize("kind", BUILDERS)
def test_templates_hold_only_parts_they_use(kind):
    with zipfile.ZipFile(TEMPLATES / f"{kind}.docx") as package:
        names = set(package.namelist())
    parts = _xml_parts(TEMPLATES / f"{kind}.docx")
    targets = {
        posixpath.normpath(posixpath.join(posixpath.dirname(posixpath.dirname(rels)), t))
        for rels, root in parts.items()
        if rels.endswith(".rels")
        for t in (r.get("Target") for r in root)
    }
    rels = {n for n in names if n.endswith(".rels")}
    assert names - targets == {"[Content_Types].xml", *rels}  # every part is related to
    unused = ("stylesWithEffects", "customXml", "webSettings", "thumbnail")
    assert not [n for n in names if any(u in n for u in unused)]
    numbered = any(root.find(f".//{qn('w:numPr')}") is not None for root in parts.values())
    assert ("word/numbering.xml" in names) == numbered
    types = parts["[Content_Types].xml"]
    overrides = {o.get("PartName").lstrip("/") for o in types if o.get("PartName")}
    assert overrides <= names


def test_slim_keeps_numbering_and_list_styles_a_document_uses(tmp_path):
    doc = new_document()
    doc.add_paragraph("一", style="List Number")
    slim(doc)
    doc.save(tmp_path / "list.docx")
    parts = _xml_parts(tmp_path / "list.docx")
    defined = {s.get(qn("w:styleId")) for s in parts["word/styles.xml"].iter(qn("w:style"))}
    assert {"ListNumber", "ListBullet"} <= defined  # the numbering part names both
    assert "Quote" not in defined and "word/numbering.xml" in parts
