"""A command line a clerk can read: Chinese help and usage errors, the forms people type,
consoles that cannot print every character, tables that wrap at 80 columns."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.core import TyperGroup

from reportgen.archive import Archive
from reportgen.cli import COMMAND_MODULES, load_commands, run
from reportgen.cli.common import app
from reportgen.cli.i18n import display_width, wrap
from tests.support.archive_builders import add, make_plan
from tests.support.paths import REPO, SAMPLES

PLAN = "zhoushan-2023-metrology"
# Words that are ours, not the framework's: product and format names in our own texts.
ALLOWED = {
    "reportgen",
    "help",
    "id",
    "ids",
    "Excel",
    "Word",
    "WPS",
    "LibreOffice",
    "PDF",
    "JSON",
    "SQLite",
}


def _tree() -> Iterator[tuple[list[str], typer.core.TyperCommand | TyperGroup]]:
    load_commands([])
    root = typer.main.get_command(app)

    def walk(command: object, path: list[str]) -> Iterator[tuple[list[str], object]]:
        yield path, command
        for name, sub in getattr(command, "commands", {}).items():
            yield from walk(sub, [*path, name])

    yield from walk(root, [])  # type: ignore[misc]


COMMANDS = list(_tree())


def _our_words(command: object) -> set[str]:
    """ASCII words our own texts use in this command: its help, option names, defaults."""
    texts = [str(getattr(command, "help", "") or "")]
    for param in getattr(command, "params", []):
        texts += [str(getattr(param, "help", "") or ""), *param.opts, *param.secondary_opts]
        texts.append(str(param.default))
    for name, sub in getattr(command, "commands", {}).items():
        texts += [name, str(getattr(sub, "help", "") or "")]
    return set(re.findall(r"[A-Za-z]+", " ".join(texts)))


def _english(text: str, command: object, argv: list[str]) -> set[str]:
    """ASCII words in ``text`` that neither we nor the user (``argv``) wrote."""
    typed = set(re.findall(r"[A-Za-z]+", " ".join(argv)))
    allowed = ALLOWED | _our_words(command) | typed
    return {w for w in re.findall(r"[A-Za-z]{2,}", text) if w not in allowed}


def _invocations(path: list[str], command: object) -> list[list[str]]:
    calls = [[*path, "--help"], [*path, "--no-such-option"]]
    if isinstance(command, TyperGroup):
        calls += [[*path, "no-such-command"], path]
    elif any(p.required for p in getattr(command, "params", [])):
        calls.append(path)  # a required argument or option missing
    return calls


@pytest.mark.parametrize(
    ("path", "command"), COMMANDS, ids=[" ".join(p) or "reportgen" for p, _ in COMMANDS]
)
def test_help_and_usage_errors_have_no_framework_english(path, command, capsys) -> None:
    for argv in _invocations(path, command):
        code = run(argv)
        out, err = capsys.readouterr()
        assert code in (0, 2), (argv, code, err)
        assert "Traceback" not in out + err
        assert not _english(out + err, command, argv), (argv, out + err)
        if not argv or argv[-1] != "--help":
            assert "错误" in err or "用法" in out + err, argv


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (
            ["report", PLAN, "--perod", "2024-Q2"],
            "没有 --perod 这个选项。您要输入的是不是：--pdf、--period",
        ),
        (["report"], "缺少参数“方案”"),
        (["report", PLAN, "--period"], "选项 --period 后面需要给出一个值"),
        (["report", PLAN, "--workers", "abc"], "选项 --workers 的值“abc”无效：必须是整数"),
        (["report", PLAN, "--workers", "0"], "不能小于 1"),
        (["nope"], "没有“nope”这个命令"),
        (["plan", "show", PLAN, "extra"], "多余的参数：extra"),
        (["template", "make", PLAN], "缺少选项 --period（报告期）"),
        (["archive", "list", "--json", "x", "y"], "多余的参数"),
    ],
)
def test_usage_errors_say_what_to_do_in_chinese(argv, says, capsys) -> None:
    assert run(argv) == 2
    err = capsys.readouterr().err
    assert says in err and "--help 查看全部参数和选项" in err


def test_metavars_are_chinese(capsys) -> None:
    run(["report", "--help"])
    out = capsys.readouterr().out
    assert "用法：reportgen report [选项] 方案 [文件…]" in out
    for text in ("--period 报告期", "--data 文件…", "--date 日期", "--workers 进程数", "（≥1）"):
        assert text in out
    assert "<" not in out and "list[" not in out


# ---------------------------------------------------------------- the forms people type


@pytest.mark.parametrize(
    ("typed", "echo"),
    [
        (["--period", "2024年第二季度"], "“2024年第二季度”按 2024-Q2（2024年第二季度）处理"),
        (["--period", "2024Q2"], "“2024Q2”按 2024-Q2（2024年第二季度）处理"),
        (["--period", "2024年二季度"], "“2024年二季度”按 2024-Q2（2024年第二季度）处理"),
    ],
)
def test_periods_as_typed_are_echoed(typed, echo, capsys) -> None:
    assert run(["progress", "舟山", *typed, "--data", str(SAMPLES), "--json"]) == 0
    err = capsys.readouterr().err
    assert echo in err and "“舟山”按方案 zhoushan-2023-metrology 处理" in err


def test_dates_and_kinds_as_typed(tmp_path: Path, capsys) -> None:
    out = tmp_path / "季度.docx"
    argv = ["report", PLAN, "--period", "2024-Q2", "--data", str(SAMPLES), "--kind", "季度",
            "--date", "2024年7月5日", "--archive", str(tmp_path / "a.sqlite"), "-o", str(out)]  # fmt: skip
    assert run(argv) == 0
    err = capsys.readouterr().err
    assert "“季度”按报告类型 quarterly 处理" in err and "“2024年7月5日”按 2024-07-05 处理" in err
    assert out.is_file()


def test_ambiguous_plan_lists_candidates(capsys) -> None:
    assert run(["plan", "show", "计量"]) == 2
    err = capsys.readouterr().err
    assert "“计量”对应多个方案" in err
    for plan_id in ("jinan-2023-metrology", "qingdao-2023-metrology", PLAN):
        assert plan_id in err


def test_unknown_plan_names_the_catalog(capsys) -> None:
    assert run(["plan", "show", "上海"]) == 2
    assert "标题和发文单位中也找不到“上海”" in capsys.readouterr().err


def test_switch_and_location_never_share_a_name(capsys) -> None:
    """`report --store` archives; `--archive` is the archive's location in every command."""
    load_commands([])
    root = typer.main.get_command(app)
    flags, paths = set(), set()
    for path, command in COMMANDS:
        if not path:
            continue  # the program's own --version/--debug switches stand before any command
        for param in getattr(command, "params", []):
            (flags if getattr(param, "is_flag", False) else paths).update(param.opts)
    assert not flags & paths, flags & paths
    assert "--archive-path" not in paths and "--archive" in paths and root is not None


# ---------------------------------------------------------------- any console


def _run_gbk(argv: list[str], cwd: Path) -> tuple[int, bytes]:
    env = {**os.environ, "PYTHONIOENCODING": "gbk", "COLUMNS": "100"}
    done = subprocess.run(
        [sys.executable, "-m", "reportgen", *argv], cwd=cwd, env=env, capture_output=True,
        timeout=300, check=False,
    )  # fmt: skip
    return done.returncode, done.stdout + done.stderr


@pytest.mark.slow
@pytest.mark.parametrize(
    "argv",
    [
        ["demo"],
        ["check", str(SAMPLES)],
        ["progress", PLAN, "--period", "2024-Q2", "--data", str(SAMPLES)],
        ["report", PLAN, "--period", "2024-Q2", "--data", str(SAMPLES), "-o", "r.docx"],
        ["plan", "list"],
        ["plan", "show", "济南"],
        ["archive", "--help"],
        ["round", "--help"],
    ],
    ids=lambda argv: " ".join(argv[:2]),
)
def test_a_gbk_console_never_crashes(argv: list[str], tmp_path: Path) -> None:
    code, output = _run_gbk(argv, tmp_path)
    text = output.decode("gbk")  # everything printed is valid GBK
    assert code == 0, text
    assert "内部错误" not in text and "UnicodeEncodeError" not in text


def test_symbols_fall_back_where_the_console_cannot_encode_them(tmp_path: Path) -> None:
    script = "import sys; from reportgen.cli.common import make_streams_safe, console; " \
             "make_streams_safe(); print('✓ 已报送 ✗ 有错误 → 下一步'); console.print('▲ 滞后')"  # fmt: skip
    env = {**os.environ, "PYTHONIOENCODING": "gbk"}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          check=True, cwd=REPO)  # fmt: skip
    assert done.stdout.decode("gbk").splitlines() == ["OK 已报送 x 有错误 → 下一步", "▲ 滞后"]


# ---------------------------------------------------------------- 80 columns


def _column(text: str, index: int) -> str:
    """Everything printed in column ``index`` of a rich table, rows and folds joined."""
    parts = [
        line.split("│")[index + 1].strip() for line in text.splitlines() if line.startswith("│")
    ]
    return "".join(parts)


@pytest.fixture
def narrow(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("TTY_COMPATIBLE", "1")  # rich: draw tables although captured
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "dumb")  # ... and without styles (bold) a console made now would add


def test_archive_list_and_diff_wrap_at_80_columns(tmp_path: Path, narrow, capsys) -> None:
    plan = make_plan(
        "jinan-2023-metrology-long-identifier", "济南市计量发展规划实施方案（2023—2025年）"
    )
    target = str(tmp_path / "a.sqlite")
    with Archive.open(target) as archive:
        add(archive, plan, "2024-Q1", {"I1": 80, "I2": 70.0, "I3": None}, note="第一季度正式报送")
        add(archive, plan, "2024-Q2", {"I1": 110, "I2": 66.5, "I3": 12}, note="补报")
    assert run(["archive", "list", "--archive", target]) == 0
    out = capsys.readouterr().out
    assert "…" not in out
    assert all(display_width(line) <= 80 for line in out.splitlines())
    assert _column(out, 0) == plan.id * 2
    assert _column(out, 6) == "第一季度正式报送补报"
    assert run(["archive", "diff", plan.id, "2024-Q1", "2024-Q2", "--archive", target]) == 0
    out = capsys.readouterr().out
    assert "…" not in out and all(display_width(line) <= 80 for line in out.splitlines())
    assert _column(out, 1) == "指标I1指标I2指标I3"


def test_help_wraps_chinese_at_the_width() -> None:
    lines = wrap(
        "报告期，如 2024-W25、2024-06、2024-Q2、2024-H1、2024；可重复给出，一次生成多期。", 30
    )
    assert all(display_width(line) <= 30 for line in lines)
    assert not any(line.startswith(("，", "。", "、", "；")) for line in lines)
    assert (
        "".join(lines).replace(" ", "")
        == "报告期，如2024-W25、2024-06、2024-Q2、2024-H1、2024；可重复给出，一次生成多期。"
    )


def test_every_command_module_builds_chinese_groups() -> None:
    for module in COMMAND_MODULES:
        source = (REPO / "reportgen" / "cli" / f"{module}.py").read_text(encoding="utf-8")
        assert "typer.Typer(" not in source, f"{module}: build groups with cli.i18n.App"


# ---------------------------------------------------------------- batch outputs


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("汇总_{报告期}.xlsx", ["汇总_2024年第一季度.xlsx", "汇总_2024年第二季度.xlsx"]),
        ("{plan}-{period}.xlsx", [f"{PLAN}-2024-Q1.xlsx", f"{PLAN}-2024-Q2.xlsx"]),
        ("汇总.xlsx", ["汇总_舟山市计量发展规划实施方案_2024年第一季度汇总.xlsx",
                      "汇总_舟山市计量发展规划实施方案_2024年第二季度汇总.xlsx"]),
        ("汇总表", ["舟山市计量发展规划实施方案_2024年第一季度汇总.xlsx",
                   "舟山市计量发展规划实施方案_2024年第二季度汇总.xlsx"]),
    ],
)  # fmt: skip
def test_summary_xlsx_of_a_batch_is_a_folder_or_a_name_pattern(
    given: str, expected: list[str], tmp_path: Path, capsys
) -> None:
    argv = ["report", PLAN, "--period", "2024-Q1", "--period", "2024-Q2", "--kind", "季度",
            "--data", str(SAMPLES), str(SAMPLES / "2024-Q1"), "-o", str(tmp_path / "out"),
            "--summary-xlsx", str(tmp_path / "s" / given), "--archive", str(tmp_path / "a.sqlite")]  # fmt: skip
    assert run(argv) == 0, capsys.readouterr().err
    folder = tmp_path / "s" / given if not given.endswith(".xlsx") else tmp_path / "s"
    assert sorted(p.name for p in folder.iterdir()) == expected
