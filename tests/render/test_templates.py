"""The checked-in templates are exactly what the build script makes; old-style copies still work."""

from __future__ import annotations

import subprocess
import sys
import zipfile

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Mm

from reportgen.render import ReportOptions, render_report
from reportgen.render.context import FILLS, NO_FILL
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
