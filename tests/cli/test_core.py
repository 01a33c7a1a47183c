"""The CLI's error contract: user errors exit 2 in Chinese, internal errors never show a traceback."""

from __future__ import annotations

import gc
import json
import subprocess
import sys

import pytest

from reportgen import api, cli
from reportgen.cli import run


def _boom() -> list:
    raise RuntimeError("坏了")


def test_user_error_exits_2_with_message(capsys):
    assert run(["plan", "show", "no-such-plan"]) == 2
    err = capsys.readouterr().err
    assert "没有 id 为 no-such-plan 的方案" in err
    assert "Traceback" not in err


def test_internal_error_is_short_without_debug(monkeypatch, capsys):
    monkeypatch.setattr(api, "list_plans", _boom)
    assert run(["plan", "list"]) == 1
    err = capsys.readouterr().err
    assert "内部错误（RuntimeError）" in err and "--debug" in err
    assert "Traceback" not in err


def test_debug_shows_traceback(monkeypatch, capsys):
    monkeypatch.setattr(api, "list_plans", _boom)
    assert run(["--debug", "plan", "list"]) == 1
    assert "Traceback" in capsys.readouterr().err


def test_usage_error_exits_2(capsys):
    assert run(["no-such-command"]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_version_subprocess():
    done = subprocess.run(
        [sys.executable, "-m", "reportgen", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert done.stdout.startswith("reportgen ")


def test_source_text_is_never_taken_as_rich_markup(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "250")
    source = tmp_path / "方案.txt"
    source.write_text(
        "某市计量发展实施方案\n一、重点任务\n"
        "（一）加强[/]计量标准建设。统筹规划社会公用计量标准建设。（市市场监管局牵头，市科技局配合）\n",
        encoding="utf-8",
    )
    assert run(["plan", "extract", str(source), "-o", str(tmp_path / "p.yaml")]) == 0
    captured = capsys.readouterr()
    assert "加强[/]计量标准建设" in captured.out
    assert "Traceback" not in captured.err and "内部错误" not in captured.err


def test_plan_show_prints_brackets_literally(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "250")
    from reportgen.plan import load_plan

    data = load_plan("zhoushan-2023-metrology").to_data()
    data["indicators"][0]["name"] = "[b]加粗[/b] 指标"
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert run(["plan", "show", str(path)]) == 0
    assert "[b]加粗[/b]" in capsys.readouterr().out.replace("\n", "")


@pytest.mark.parametrize(
    ("argv", "tuned"),
    [(["report", "x"], True), (["--debug", "check"], True), (["serve", "--port", "9"], False)],
)
def test_the_collector_runs_seldom_except_in_the_server(monkeypatch, argv, tuned):
    calls = []
    monkeypatch.setattr(gc, "set_threshold", lambda *t: calls.append(t))
    cli.tune_collector(argv)
    assert calls == ([cli.GC_THRESHOLDS] if tuned else [])
