"""`report --allow-errors` and its library form: error cells count as 未填报, listed in an annex."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from reportgen import api
from reportgen.cli import run
from reportgen.errors import IntakeError
from tests.support.paths import SAMPLES

PLAN = "zhoushan-2023-metrology"
FILE = "填报_市市场监管局.xlsx"


@pytest.fixture
def returns(tmp_path: Path) -> Path:
    """The 舟山 2024-Q2 sample with ZS04 (个) given as 2.5 in H5: an error."""
    folder = tmp_path / "returns"
    shutil.copytree(SAMPLES, folder, ignore=shutil.ignore_patterns("2024-Q1"))
    book = openpyxl.load_workbook(folder / FILE)
    book["指标填报"]["H5"] = 2.5
    book.save(folder / FILE)
    return folder


def annex_rows(path: Path) -> list[list[str]]:
    table = next(t for t in Document(path).tables if t.rows[0].cells[0].text == "填报文件")
    return [[c.text for c in row.cells] for row in table.rows[1:]]


def test_library_drafts_with_the_error_cell_as_not_reported(returns: Path, tmp_path: Path):
    with pytest.raises(IntakeError, match="指标填报!H5"):  # without the flag: unchanged
        api.report(PLAN, "2024-Q2", [returns], output=tmp_path / "a.docx")
    run_ = api.report(PLAN, "2024-Q2", [returns], output=tmp_path / "b.docx", allow_errors=True)
    by_id = {i.id: i for i in run_.result.indicators}
    assert (by_id["ZS04"].actual, by_id["ZS04"].status) == (None, "未填报")
    assert by_id["ZS02"].actual == 80  # the other cells are used
    assert by_id["ZS04"].projection_reason == "invalid"
    body = [p.text for p in Document(run_.out).paragraphs]
    said = [t for t in body if "国家级、省级产业计量测试中心" in t]
    assert said and all("本期填报数据有误，已按未填报处理" in t for t in said)  # never 未报送
    assert run_.notices[0].startswith("填报表中有1处错误，相关数据已按未填报处理")
    ((file, cell, item, problem),) = annex_rows(run_.out)
    assert (file, cell, item) == (FILE, "指标填报!H5", "ZS04 国家级、省级产业计量测试中心")
    assert problem.startswith("指标 ZS04（国家级、省级产业计量测试中心）的单位是“个”，只能填整数")
    assert problem.endswith("（本项数据未采用，按未填报处理）")


def test_cli_exits_0_with_one_warning_line(returns: Path, tmp_path: Path, capsys):
    out = tmp_path / "q.docx"
    args = ["report", PLAN, "--period", "2024-Q2", "--data", str(returns), "-o", str(out)]
    assert run(args) == 2 and not out.exists()
    assert "指标填报!H5" in capsys.readouterr().err
    assert run([*args, "--allow-errors"]) == 0
    captured = capsys.readouterr()
    assert captured.err.count("按未填报处理") == 1
    body = [p.text for p in Document(out).paragraphs]
    assert "数据问题清单" in body and "　　　数据问题清单" in body  # annex and its 附件 line


def test_no_annex_without_problems(tmp_path: Path):
    run_ = api.report(PLAN, "2024-Q2", [SAMPLES], output=tmp_path / "q.docx", allow_errors=True)
    assert not run_.result.data_problems
    assert "数据问题清单" not in [p.text for p in Document(run_.out).paragraphs]


def test_check_warns_about_a_cumulative_value_below_the_archived_one(tmp_path: Path, capsys):
    from reportgen.periods import parse_period
    from tests.support.intake_builders import filled, small_plan, write_plan

    plan_file = write_plan(small_plan(), tmp_path)
    q1, q2 = tmp_path / "q1", tmp_path / "q2"
    q1.mkdir(), q2.mkdir()
    before = filled(q1, {"H2": 65}, period=parse_period("2024-Q1"))  # C1 累计 65项 in Q1
    archive = tmp_path / "archive.sqlite"
    api.add_to_archive(plan_file, "2024-Q1", [before], archive)
    after = filled(q2, {"H2": 62})  # 62项 in Q2
    args = ["check", str(after), "--plan", str(plan_file), "--period", "2024-Q2"]
    assert run([*args, "--archive", str(archive)]) == 0
    out = capsys.readouterr().out
    assert (
        "指标填报!H2：指标 C1（累计新建社会公用计量标准）是累计值，本期 62项 低于上期归档的 65项"
        in out
    )
    assert run(args) == 0
    assert "低于上期" not in capsys.readouterr().out
