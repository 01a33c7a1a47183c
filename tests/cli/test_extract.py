"""`reportgen plan extract`: writes a draft that `plan validate` accepts; bad input exits 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from reportgen.cli import run
from reportgen.plan import load_plan_file

PLAN_TEXT = (
    "某市人民政府办公室文件\n\n某政办发〔2023〕9号\n\n某市计量发展实施方案\n\n"
    "一、工作目标\n\n到2025年，新建社会公用计量标准50项以上。\n\n"
    "序号\t指标名称\t2022年\t2025年\t属性\n1\t检定覆盖率（%）\t90\t95\t约束性\n\n"
    "二、重点任务\n\n（一）加强标准建设。统筹规划。（市市场监管局牵头，市科技局配合）\n"
)


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "某市方案.txt"
    path.write_text(PLAN_TEXT, encoding="gb18030")
    return path


def test_extract_writes_a_draft_that_validates(tmp_path, source, capsys):
    out = tmp_path / "drafts" / "draft.yaml"
    assert run(["plan", "extract", str(source), "-o", str(out), "--id", "some-city-2023"]) == 0
    captured = capsys.readouterr()
    assert "已写入草稿" in captured.out and "检定覆盖率" in captured.out and "高" in captured.out
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# 草稿：") and "id: some-city-2023" in text
    assert run(["plan", "validate", str(out)]) == 0
    plan = load_plan_file(out)
    assert [i.name for i in plan.indicators] == ["新建社会公用计量标准", "检定覆盖率"]
    assert plan.tasks[0].lead == ["市市场监管局"]
    assert source.read_text(encoding="gb18030") == PLAN_TEXT  # the source is never touched


def test_default_output_is_outputs_plans_id(tmp_path, source, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert run(["plan", "extract", str(source), "--id", "city-plan"]) == 0
    assert (tmp_path / "outputs" / "plans" / "city-plan.yaml").is_file()


def test_warnings_are_printed_for_review(tmp_path, capsys):
    path = tmp_path / "notargets.txt"
    path.write_text("一、重点任务\n\n（一）加强宣传。开展宣传。\n", encoding="utf-8")
    assert run(["plan", "extract", str(path), "-o", str(tmp_path / "x.yaml")]) == 0
    err = capsys.readouterr().err
    assert "待核对" in err and "没有找到带年份的数字目标" in err


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("junk.txt", b"\x00\x9f\x92\x96PNG\x00" * 100, "无法识别的文件内容"),
        ("empty.txt", b"", "文件为空"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "无法作为 Word"),
        ("old.doc", b"\xd0\xcf\x11\xe0", "另存为 .docx"),
    ],
)
def test_bad_input_exits_2_naming_the_file(tmp_path, capsys, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    out = tmp_path / "out.yaml"
    assert run(["plan", "extract", str(path), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert message in err and name in err and "Traceback" not in err
    assert not out.exists()


def test_missing_file_and_bad_id_exit_2(tmp_path, source, capsys):
    assert run(["plan", "extract", str(tmp_path / "nope.txt")]) == 2
    assert "找不到源文件" in capsys.readouterr().err
    assert run(["plan", "extract", str(source), "--id", "Bad ID"]) == 2
    assert "方案 id" in capsys.readouterr().err


def test_output_over_the_source_is_refused(source, capsys):
    assert run(["plan", "extract", str(source), "-o", str(source)]) == 2
    assert "输入文件" in capsys.readouterr().err
    assert source.read_text(encoding="gb18030") == PLAN_TEXT


def test_extract_in_a_subprocess(tmp_path, source):
    out = tmp_path / "sub.yaml"
    code = (
        "import sys, reportgen.cli.extract_cmd; from reportgen.cli import run; "
        "sys.exit(run(sys.argv[1:]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "plan", "extract", str(source), "-o", str(out)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert out.is_file() and "已写入草稿" in done.stdout
