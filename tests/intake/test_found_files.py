"""Nothing dropped silently (issue 14): every entry of a --data folder is read or listed with
why it was not; names that are not UTF-8 are shown readably and stored losslessly; special
files (named pipes, devices) are refused up front instead of hanging."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reportgen.cli import run
from reportgen.intake import check_files
from reportgen.intake.reader import display_name, escaped_text
from reportgen.periods import parse_period
from reportgen.plan import load_plan
from tests.support.paths import REPO, SAMPLES

PLAN = "zhoushan-2023-metrology"
SAMPLE = SAMPLES / "填报_市市场监管局.xlsx"
GBK_NAME = os.fsdecode("填报_市科技局.xlsx".encode("gbk"))  # as unzip leaves it on Linux


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(SAMPLE, data / SAMPLE.name)
    (data / "填报_市科技局.xlsb").write_bytes(b"PK binary workbook")
    (data / "填报_市财政局.csv").write_text("指标编号,完成值\n", encoding="utf-8")
    (data / "~$填报_市市场监管局.xlsx").write_bytes(b"\0" * 165)
    (data / "说明.txt").write_text("readme", encoding="utf-8")
    os.mkfifo(data / "填报_管道.xlsx")
    return data


def test_every_skipped_entry_is_listed_with_its_reason(folder):
    report = check_files([folder], load_plan(PLAN), parse_period("2024-Q2"))
    skipped = {p.where: p.message for p in report.skipped}
    assert set(skipped) == {
        "填报_市科技局.xlsb",
        "填报_市财政局.csv",
        "~$填报_市市场监管局.xlsx",
        "说明.txt",
        "填报_管道.xlsx",
    }
    assert ".xlsb" in skipped["填报_市科技局.xlsb"]
    assert "临时文件" in skipped["~$填报_市市场监管局.xlsx"]
    assert "命名管道" in skipped["填报_管道.xlsx"]
    assert [f.display for f in report.files] == [SAMPLE.name]
    assert report.datasets[0].warnings[-len(skipped) :] == report.skipped


def test_check_and_report_say_which_files_were_not_read(folder, tmp_path, capsys):
    assert run(["check", str(folder), "--plan", PLAN, "--period", "2024-Q2"]) == 0
    assert "未读取　填报_市科技局.xlsb" in capsys.readouterr().out
    argv = ["report", PLAN, "--period", "2024-Q2", "--data", str(folder)]
    assert run([*argv, "-o", str(tmp_path / "r.docx")]) == 0
    assert "填报_市科技局.xlsb" in capsys.readouterr().err


def test_json_lists_skipped_files(folder, capsys):
    assert run(["check", str(folder), "--plan", PLAN, "--period", "2024-Q2", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["skipped"]
    assert {"file": "说明.txt", "reason": listed[-1]["reason"]} in listed


def test_a_folder_of_only_skipped_files_says_why(tmp_path, capsys):
    (tmp_path / "填报.xlsb").write_bytes(b"x")
    assert run(["check", str(tmp_path), "--plan", PLAN, "--period", "2024-Q2"]) == 2
    err = capsys.readouterr().err
    assert "没有找到要检查的表格文件" in err and "填报.xlsb" in err


def test_gbk_file_name_is_shown_readably_and_archived(tmp_path, capsys):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(SAMPLE, data / GBK_NAME)
    out, archive = tmp_path / "r.docx", tmp_path / "a.sqlite"
    argv = ["report", PLAN, "--period", "2024-Q2", "--data", str(data), "-o", str(out)]
    assert run([*argv, "--store", "--archive", str(archive)]) == 0, capsys.readouterr()
    assert out.is_file()
    assert run(["check", str(data), "--plan", PLAN, "--period", "2024-Q2"]) == 0
    assert "填报_市科技局.xlsx" in capsys.readouterr().out


def test_names_escape_losslessly():
    odd = [os.fsdecode(b"\xff\xfe.xlsx"), os.fsdecode(b"a\\\xff.xlsx"), os.fsdecode(b"a\\xff.xlsx")]
    escaped = [escaped_text(name) for name in odd]
    assert len(set(escaped)) == len(odd)  # different names never share an escape
    for text in escaped:
        text.encode("utf-8")
    assert escaped_text("普通.xlsx") == "普通.xlsx"
    assert display_name(Path(GBK_NAME)) == "填报_市科技局.xlsx"


@pytest.mark.parametrize("argv", [["plan", "validate"], ["plan", "show"]])
def test_special_files_are_refused_not_waited_on(tmp_path, argv):
    pipe = tmp_path / "plan.yaml"
    os.mkfifo(pipe)
    for target in (str(pipe), "/dev/zero"):
        code = "import sys; from reportgen.cli import run; sys.exit(run(sys.argv[1:]))"
        done = subprocess.run(
            [sys.executable, "-c", code, *argv, target],
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=30,
            check=False,
        )
        assert done.returncode == 2, done.stderr
        assert "不是普通文件" in done.stderr
