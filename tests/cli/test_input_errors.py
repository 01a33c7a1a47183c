"""Input errors are exit 2, always (issue 14): an over-long output name, an as-of date before
the period, a vanishingly small target, deep nesting in a template — never an internal error."""

from __future__ import annotations

import re

from docx import Document

from reportgen.cli import run
from tests.support.paths import CATALOG, SAMPLES, TEMPLATES

PLAN = "zhoushan-2023-metrology"
REPORT = ["report", PLAN, "--period", "2024-Q2", "--data", str(SAMPLES)]


def refused(argv: list[str], capsys, *words: str) -> str:
    code = run(argv)
    err = capsys.readouterr().err
    assert code == 2, err
    assert "内部错误" not in err and "Traceback" not in err
    for word in words:
        assert word in err, err
    return err


def test_over_long_output_name(tmp_path, capsys):
    long = tmp_path / ("长" * 100 + ".docx")
    refused([*REPORT, "-o", str(long)], capsys, "过长")
    assert not list(tmp_path.iterdir())


def test_over_long_summary_name(tmp_path, capsys):
    argv = [*REPORT, "-o", str(tmp_path / "r.docx"), "--summary-xlsx", str(tmp_path / ("汇" * 90))]
    refused(argv, capsys, "过长")
    assert not list(tmp_path.iterdir())


def test_as_of_before_the_period(tmp_path, capsys):
    argv = [*REPORT, "--as-of", "0001-01-01", "-o", str(tmp_path / "r.docx")]
    refused(argv, capsys, "0001-01-01", "早于")


def test_vanishing_target(tmp_path, capsys):
    text = (CATALOG / f"{PLAN}.yaml").read_text(encoding="utf-8")
    plan = tmp_path / "plan.yaml"
    plan.write_text(re.sub(r"targets: \{2025: 2\}", "targets: {2025: 1.0e-300}", text, count=1))
    refused(["plan", "validate", str(plan)], capsys, "数值过小")


def test_deep_nesting_in_a_template(tmp_path, capsys):
    doc = Document(TEMPLATES / "quarterly.docx")
    doc.add_paragraph("{{ " + "(" * 500 + "1" + ")" * 500 + " }}")
    template = tmp_path / "deep.docx"
    doc.save(template)
    argv = [*REPORT, "--template", str(template), "-o", str(tmp_path / "r.docx")]
    refused(argv, capsys, "deep.docx", "嵌套")
    assert not (tmp_path / "r.docx").exists()
