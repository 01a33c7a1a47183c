"""`reportgen round new|collect|status|remind|list`: a thin CLI over reportgen.rounds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reportgen.cli import run
from tests.support.intake_builders import write_plan
from tests.support.round_builders import fill_return, round_plan


@pytest.fixture
def workspace(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("REPORTGEN_ARCHIVE", str(tmp_path / "archive.sqlite"))
    return tmp_path


def _new(plan_file: Path, *extra: str) -> int:
    argv = ["round", "new", str(plan_file), "--period", "2024-Q2", "--deadline", "5个工作日"]
    return run([*argv, "--date", "2024-06-28", "-o", "tpl", *extra])


def test_round_from_new_to_remind(workspace, capsys):
    plan_file = write_plan(round_plan(), workspace)
    assert _new(plan_file, "--departments", "市科技局、市经信局") == 0
    out = capsys.readouterr().out
    assert "报送截止 2024年7月5日（星期五）（5个工作日），共 2 个单位" in out
    assert _new(plan_file) == 2
    assert "已于2024年6月28日发起" in capsys.readouterr().err

    fill_return(
        workspace / "tpl" / "填报_市科技局.xlsx", {"P1": 95}, out=workspace / "in" / "a.xlsx"
    )
    assert run(["round", "collect", "in"]) == 0
    assert "✓ 登记 a.xlsx（市科技局）：通过" in capsys.readouterr().out

    assert run(["round", "status", "--date", "2024-07-08", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert {d["department"]: d["status"] for d in status["departments"]} == {
        "市科技局": "已报送",
        "市经信局": "逾期",
    }
    assert status["to_chase"] == ["市经信局"] and status["counts"]["逾期"] == 1

    assert run(["round", "remind", "--date", "2024-07-08", "-o", "催报.docx"]) == 0
    assert "（1 个单位）" in capsys.readouterr().out
    assert (workspace / "催报.docx").is_file()
    assert (workspace / "催报.txt").read_text(encoding="utf-8").startswith("【催报】市经信局：")

    assert run(["round", "list"]) == 0
    assert "test-plan 2024-Q2" in capsys.readouterr().out


def test_collect_refuses_files_of_another_round_with_exit_2(workspace, capsys):
    plan_file = write_plan(round_plan(), workspace)
    assert _new(plan_file) == 0
    argv = ["round", "new", str(plan_file), "--period", "2024-Q3", "--deadline", "2024-10-15"]
    assert run([*argv, "--date", "2024-09-27", "-o", "q3"]) == 0
    capsys.readouterr()
    stray = fill_return(workspace / "q3" / "填报_市科技局.xlsx", {"P1": 95})
    assert run(["round", "collect", str(stray), "--plan", "test-plan", "--period", "2024-Q2"]) == 2
    assert "✗ 拒收 填报_市科技局.xlsx：本表是报告期 2024-Q3 的填报表" in capsys.readouterr().out


def test_no_round_yet_is_a_clear_error(workspace, capsys):
    assert run(["round", "status"]) == 2
    assert "请先用 reportgen round new 发起" in capsys.readouterr().err


def test_bad_deadline_leaves_nothing(workspace, capsys):
    plan_file = write_plan(round_plan(), workspace)
    assert _new(plan_file, "--deadline", "下周") == 2
    assert "无法识别的截止时间" in capsys.readouterr().err
    assert not (workspace / "tpl").exists()


def test_check_shows_the_filler_and_phone(workspace, capsys):
    plan_file = write_plan(round_plan(), workspace)
    assert _new(plan_file, "--departments", "市科技局") == 0
    path = fill_return(workspace / "tpl" / "填报_市科技局.xlsx", {"P1": 95}, filler="王五")
    assert run(["check", str(path), "--plan", str(plan_file), "--period", "2024-Q2"]) == 0
    assert "填报人　王五　联系电话　0580-2281234" in capsys.readouterr().out
