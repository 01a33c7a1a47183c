"""`reportgen plan list|show|validate`: output, JSON round trip, exit codes and messages."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from reportgen.cli import run
from reportgen.plan import load_plan, load_plan_file
from tests.support.paths import CATALOG as REPO_PLANS

CATALOG_FILES = sorted(REPO_PLANS.glob("*.yaml"))

GOOD = """\
id: cli-test
title: 命令行测试方案
issuer: 测试市人民政府
source: cli-test.txt
start: 2023-01-01
end: 2025-12-31
indicators:
  - id: C01
    name: 社会公用计量标准
    unit: 项
    method: cumulative
    targets: {2024: 5, 2025: 10}
    source_ref: 表1 第1行
tasks:
  - id: T01
    title: 加强计量标准建设
    lead: [市市场监管局]
    cooperating: [市科技局]
    source_ref: 二、（一）
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def as_json_data(value: object) -> object:
    """YAML data as JSON would carry it: dates as ISO text, mapping keys as text."""
    if isinstance(value, dict):
        return {str(k): as_json_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json_data(v) for v in value]
    return value.isoformat() if isinstance(value, date) else value


# ---- plan list -----------------------------------------------------------------------------------


def test_list_json_has_every_catalog_plan(capsys):
    assert run(["plan", "list", "--json"]) == 0
    listed = {p["id"]: p for p in json.loads(capsys.readouterr().out)}
    for path in CATALOG_FILES:
        plan = load_plan_file(path)
        assert listed[plan.id] == {
            "id": plan.id,
            "title": plan.title,
            "indicators": len(plan.indicators),
            "tasks": len(plan.tasks),
            "years": f"{plan.start.year}—{plan.end.year}",
        }


def test_list_includes_plans_from_reportgen_plans(tmp_path, monkeypatch, capsys):
    write(tmp_path, "cli-test.yaml", GOOD)
    monkeypatch.setenv("REPORTGEN_PLANS", str(tmp_path))
    assert run(["plan", "list", "--json"]) == 0
    ids = [p["id"] for p in json.loads(capsys.readouterr().out)]
    assert "cli-test" in ids and "zhoushan-2023-metrology" in ids


def test_list_table_shows_titles_and_counts(monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "240")
    assert run(["plan", "list"]) == 0
    out = capsys.readouterr().out
    for path in CATALOG_FILES:
        plan = load_plan_file(path)
        row = next(line for line in out.splitlines() if plan.id in line)
        assert plan.title in row
        assert f"{plan.start.year}—{plan.end.year}" in row


def test_list_table_never_truncates_ids(capsys):
    """At the default width of piped output (80 columns) the ids must still be whole:
    they are what the user types next."""
    assert run(["plan", "list"]) == 0
    out = capsys.readouterr().out
    for path in CATALOG_FILES:
        assert path.stem in out


# ---- plan show -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", CATALOG_FILES, ids=lambda p: p.stem)
def test_show_json_round_trips_to_the_yaml_structure(path, tmp_path, capsys):
    assert run(["plan", "show", path.stem, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    written = as_json_data(yaml.safe_load(path.read_text(encoding="utf-8")))
    # Every key written in the YAML comes back with the same value; the rest are defaults.
    for key, value in written.items():
        if key in ("indicators", "tasks"):
            assert len(shown[key]) == len(value)
            for shown_item, item in zip(shown[key], value, strict=True):
                assert {k: shown_item[k] for k in item} == item
        else:
            assert shown[key] == value
    # And the JSON is itself a valid plan file, equal to the YAML one.
    again = write(tmp_path, f"{path.stem}.json", json.dumps(shown, ensure_ascii=False))
    assert load_plan_file(again) == load_plan(path.stem)
    assert load_plan_file(again).content_hash == load_plan(path.stem).content_hash


def test_show_accepts_a_file_path(tmp_path, capsys):
    path = write(tmp_path, "mine.yaml", GOOD)
    assert run(["plan", "show", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["indicators"][0]["targets"] == {
        "2024": 5,
        "2025": 10,
    }


def test_show_table(monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "240")
    assert run(["plan", "show", "zhoushan-2023-metrology"]) == 0
    out = capsys.readouterr().out
    plan = load_plan("zhoushan-2023-metrology")
    assert plan.title in out and plan.doc_number in out
    row = next(line for line in out.splitlines() if "全市强检计量器具检定覆盖率" in line)
    assert "约束性" in row and "94（2022）" in row and "2025年 97" in row
    task = next(line for line in out.splitlines() if "支撑美丽舟山建设" in line)
    assert "市市场监管局" in task and "市发改委、市资源规划局" in task


def test_show_unknown_id_exits_2_in_chinese(capsys):
    assert run(["plan", "show", "no-such-plan"]) == 2
    captured = capsys.readouterr()
    assert "没有 id 为 no-such-plan 的方案" in captured.err
    assert "zhoushan-2023-metrology" in captured.err  # the message lists what exists
    assert "Traceback" not in captured.err + captured.out
    assert captured.out == ""


def test_show_missing_file_exits_2(tmp_path, capsys):
    assert run(["plan", "show", str(tmp_path / "nope.yaml")]) == 2
    err = capsys.readouterr().err
    assert "找不到方案文件" in err and "nope.yaml" in err


def test_show_broken_file_names_file_and_line(tmp_path, capsys):
    path = write(tmp_path, "bad.yaml", GOOD.replace("lead: [市市场监管局]", "lead: [市市场监管局"))
    assert run(["plan", "show", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "行" in err and "YAML 格式错误" in err


# ---- plan validate -------------------------------------------------------------------------------


def test_validate_ok_prints_one_line_per_file(capsys):
    assert run(["plan", "validate", *map(str, CATALOG_FILES)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(CATALOG_FILES)
    for line, path in zip(lines, CATALOG_FILES, strict=True):
        plan = load_plan_file(path)
        assert line.startswith("通过：") and str(path) in line
        assert f"{len(plan.indicators)} 个指标" in line and f"{len(plan.tasks)} 项任务" in line


def test_validate_lists_every_problem_of_every_file(tmp_path, capsys):
    good = write(tmp_path, "good.yaml", GOOD)
    many = write(
        tmp_path,
        "many.yaml",
        GOOD.replace("{2024: 5, 2025: 10}", "{2024: 5, 2030: 10}").replace(
            "id: T01", "id: C01\n    "
        )
        + "  - id: C01\n    title: 重复的任务\n    source_ref: 二、（二）\n",
    )
    gbk = tmp_path / "gbk.yaml"
    gbk.write_bytes(GOOD.encode("gb18030"))
    empty = write(tmp_path, "empty.yaml", "")
    assert run(["plan", "validate", str(good), str(many), str(gbk), str(empty)]) == 2
    captured = capsys.readouterr()
    assert captured.out.count("通过：") == 1 and "good.yaml" in captured.out
    errors = captured.err.splitlines()
    assert any("many.yaml" in e and "indicators[0].targets" in e and "2030" in e for e in errors)
    assert any("many.yaml" in e and "tasks[1].id" in e and "重复" in e for e in errors)
    assert any("gbk.yaml 第2行" in e and "UTF-8" in e for e in errors)
    assert any("empty.yaml 第1行" in e and "为空" in e for e in errors)
    assert "Traceback" not in captured.err


def test_validate_missing_file_exits_2(tmp_path, capsys):
    assert run(["plan", "validate", str(tmp_path / "nope.yaml")]) == 2
    assert "无法读取文件" in capsys.readouterr().err


def test_validate_without_files_is_a_usage_error(capsys):
    assert run(["plan", "validate"]) == 2


def test_validate_subprocess(tmp_path):
    """The installed command: exit codes and streams as a shell user sees them."""
    bad = write(tmp_path, "bad.yaml", GOOD.replace("method: cumulative", "method: 累计"))
    done = subprocess.run(
        [sys.executable, "-m", "reportgen", "plan", "validate", *map(str, CATALOG_FILES), str(bad)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout.count("通过：") == len(CATALOG_FILES)
    assert f"{bad} 第{GOOD.splitlines().index('    method: cumulative') + 1}行" in done.stderr
    assert "indicators[0].method" in done.stderr and "Traceback" not in done.stderr
