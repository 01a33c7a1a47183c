"""`reportgen report` end to end on the 舟山 sample, and `reportgen template lint`."""

from __future__ import annotations

import subprocess
import sys

from docx import Document

from reportgen.cli import run
from tests.support.paths import CATALOG, SAMPLES, TEMPLATES

PLAN = CATALOG / "zhoushan-2023-metrology.yaml"


def test_report_end_to_end_on_the_sample(tmp_path, isolated, capsys):
    code = run(
        ["report", str(PLAN), "--period", "2024-Q2", "--data", str(SAMPLES), "--kind", "quarterly",
         "--date", "2024-07-05", "--recipients", "各县（区）人民政府", "--summary-xlsx", "s.xlsx"]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0, out
    report = tmp_path / "outputs" / "舟山市计量发展规划实施方案_2024年第二季度进展报告.docx"
    assert f"已生成报告：{report.relative_to(tmp_path)}" in out
    assert (tmp_path / "s.xlsx").is_file()
    doc = Document(report)
    body = [p.text for p in doc.paragraphs]
    assert body[1] == "各县（区）人民政府："
    assert "2024年7月5日" in body
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "编号")
    assert [r.cells[0].text for r in table.rows[1:]] == [f"ZS0{n}" for n in range(1, 10)]


def test_report_to_a_chosen_path(tmp_path, capsys):
    out = tmp_path / "报告 1.docx"
    code = run(
        ["report", "zhoushan-2023-metrology", "--period", "2024-Q2", "--data", str(SAMPLES),
         "--kind", "quarterly", "-o", str(out)]
    )  # fmt: skip
    assert code == 0, capsys.readouterr()
    assert Document(out).paragraphs[0].text.endswith("进展情况的报告")


def test_weekly_for_a_quarter_exits_2_showing_the_week_form(tmp_path, capsys):
    code = run(["report", "zhoushan-2023-metrology", "--period", "2024-Q2", "--data",
                str(SAMPLES), "--kind", "weekly", "-o", str(tmp_path / "w.docx")])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2
    assert "周报的报告期必须是一周" in err and "--period 2024-W26" in err
    assert "Traceback" not in err and not (tmp_path / "w.docx").exists()


def test_unknown_kind_exits_2_before_reading_anything(tmp_path, capsys):
    code = run(["report", "zhoushan-2023-metrology", "--period", "2024-Q2", "--data",
                str(tmp_path), "--kind", "monthly"])  # fmt: skip
    assert code == 2
    assert "未知的报告类型" in capsys.readouterr().err


def test_missing_period_and_data(capsys):
    assert run(["report", "zhoushan-2023-metrology", "--data", "x"]) == 2
    assert "--period" in capsys.readouterr().err
    assert run(["report", "zhoushan-2023-metrology", "--period", "2024-Q2"]) == 2
    assert "--data" in capsys.readouterr().err


def test_template_lint_ok_and_broken(tmp_path, capsys):
    assert run(["template", "lint", str(TEMPLATES / "quarterly.docx")]) == 0
    assert "模板检查通过" in capsys.readouterr().out
    doc = Document()
    doc.add_paragraph("{{ title ")
    broken = tmp_path / "broken.docx"
    doc.save(broken)
    assert run(["template", "lint", str(broken)]) == 2
    err = capsys.readouterr().err
    assert "broken.docx 第1段" in err
    assert "共发现 1 个问题" in err


def test_template_lint_subprocess_has_no_traceback(tmp_path):
    bogus = tmp_path / "x.docx"
    bogus.write_text("no zip")
    code = "import reportgen.cli.report_cmd; from reportgen.cli import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", code, "template", "lint", str(bogus)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "不是有效的 Word 文档" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
