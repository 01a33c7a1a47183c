"""`reportgen template` (a group whose default command makes the workbook) and `reportgen check`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer

import reportgen.cli.intake_cmd as intake_cmd
from reportgen.cli import run
from tests.support.intake_builders import filled, small_plan, write_plan


@pytest.fixture
def plan_file(tmp_path) -> Path:
    return write_plan(small_plan(), tmp_path)


def test_template_default_command(tmp_path, plan_file, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run(["template", str(plan_file), "--period", "2024-Q2"]) == 0
    out = Path("outputs/test-plan/2024-Q2/填报_全部.xlsx")
    assert out.is_file()
    assert f"已生成填报模板：{out}" in capsys.readouterr().out


def test_template_make_with_options(tmp_path, plan_file):
    out = tmp_path / "x" / "科技局.xlsx"
    argv = ["template", "make", str(plan_file), "--period", "2024-Q2", "--department", "市科技局"]
    assert run([*argv, "--deadline", "2024-07-05", "-o", str(out)]) == 0
    assert out.is_file()


def test_template_options_first(tmp_path, plan_file):
    out = tmp_path / "a.xlsx"
    assert run(["template", "--period", "2024-Q2", str(plan_file), "-o", str(out)]) == 0
    assert out.is_file()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--period", "2024-Q9"], "无法识别的报告期"),
        (["--period", "2024-Q2", "--deadline", "7月5日"], "无法识别的日期"),
        (["--period", "2024-Q2", "--department", "市教育局"], "没有单位“市教育局”"),
    ],
)
def test_template_bad_arguments(tmp_path, plan_file, capsys, extra, message):
    assert run(["template", str(plan_file), *extra, "-o", str(tmp_path / "a.xlsx")]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "a.xlsx").exists()


def test_template_help_reads_in_chinese(capsys):
    assert run(["template", "--help"]) == 0
    out = capsys.readouterr().out
    assert "直接写 `reportgen template 方案 --period 报告期`" in out and "make" in out
    assert run(["template", "make", "--help"]) == 0
    out = capsys.readouterr().out
    assert "--department" in out and "报送截止日期" in out


@pytest.fixture
def probe_command():
    """A stand-in for subcommands other modules add (such as `template lint`)."""

    def probe(path: str) -> None:
        typer.echo(f"probe {path}")

    intake_cmd.template_app.command("probe")(probe)
    yield
    intake_cmd.template_app.registered_commands.pop()


def test_other_subcommands_still_reach_their_command(probe_command, capsys):
    assert run(["template", "probe", "T.docx"]) == 0
    assert capsys.readouterr().out == "probe T.docx\n"


def test_check_passes_with_warnings(tmp_path, plan_file, capsys):
    path = filled(tmp_path, {"H2": 3, "H4": 0.9})
    assert run(["check", str(path), "--plan", str(plan_file), "--period", "2024-Q2"]) == 0
    out = capsys.readouterr().out
    assert "✓ 填报_市科技局.xlsx（市科技局、2024-Q2）：通过，1 条警告" in out
    assert (
        "  警告　填报_市科技局.xlsx 指标填报!H4：指标 P1（强检计量器具检定覆盖率）：百分比指标的完成值只有 0.9"
        in out
    )
    assert "尚未报送的牵头单位：市市场监管局、市人社局。" in out


def test_check_errors_exit_2(tmp_path, capsys):
    filled(tmp_path, {"H2": "12个", "H3": "[bold]x[/]"})
    assert run(["check", str(tmp_path)]) == 2  # plan and period from _meta … not in catalog
    out = capsys.readouterr().out
    assert "✗ 填报_市科技局.xlsx" in out and "--plan" in out


def test_check_json(tmp_path, plan_file, capsys):
    filled(tmp_path, {"H2": "12个", "H3": "[bold]x[/]"})
    assert run(["check", str(tmp_path), "--plan", str(plan_file), "--json"]) == 2
    data = json.loads(capsys.readouterr().out)
    errors = data["files"][0]["errors"]
    assert [(e["sheet"], e["cell"]) for e in errors] == [("指标填报", "H2"), ("指标填报", "H3")]
    assert "“[bold]x[/]”不是数字" in errors[1]["message"]


def test_check_missing_folder_contents(tmp_path, capsys):
    assert run(["check", str(tmp_path)]) == 2
    assert "没有找到要检查的表格文件" in capsys.readouterr().err


def test_check_subprocess(tmp_path, plan_file):
    filled(tmp_path, {"H2": -1})
    done = subprocess.run(
        [sys.executable, "-m", "reportgen", "check", str(tmp_path), "--plan", str(plan_file)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert (
        "填报_市科技局.xlsx 指标填报!H2：指标 C1（累计新建社会公用计量标准）：完成值不能为负数"
        in done.stdout
    )
    assert "Traceback" not in done.stdout + done.stderr
