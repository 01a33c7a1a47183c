"""The CLI's error contract: user errors exit 2 in Chinese, internal errors never show a traceback."""

from __future__ import annotations

import subprocess
import sys

from reportgen.cli import plan_cmd, run


def _boom() -> list:
    raise RuntimeError("坏了")


def test_user_error_exits_2_with_message(capsys):
    assert run(["plan", "show", "no-such-plan"]) == 2
    err = capsys.readouterr().err
    assert "没有 id 为 no-such-plan 的方案" in err
    assert "Traceback" not in err


def test_internal_error_is_short_without_debug(monkeypatch, capsys):
    monkeypatch.setattr(plan_cmd, "list_plans", _boom)
    assert run(["plan", "list"]) == 1
    err = capsys.readouterr().err
    assert "内部错误（RuntimeError）" in err and "--debug" in err
    assert "Traceback" not in err


def test_debug_shows_traceback(monkeypatch, capsys):
    monkeypatch.setattr(plan_cmd, "list_plans", _boom)
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
