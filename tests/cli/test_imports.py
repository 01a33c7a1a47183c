"""A plain `reportgen report` imports only what it uses (measured with ``python -X importtime``),
and prints plain lines without loading rich when its output goes to a pipe.

Every module costs start-up time on each run (our own are compiled from source when bytecode is
not written), so a module a report does not use must not be imported by it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from reportgen import api
from reportgen.cli import common
from reportgen.cli.common import print_error, print_line, print_notice
from reportgen.plan import load_plan_file
from tests.support.paths import CATALOG, SAMPLES

# Never needed by a report from a JSON plan read with calamine when no archive exists.
FORBIDDEN = (
    "yaml",  # JSON plan
    "openpyxl",  # calamine reads the workbooks
    "sqlalchemy",  # no archive
    "alembic",
    "fastapi",  # the web workbench
    "uvicorn",
    "starlette",
    "matplotlib",  # native charts
    "pptx",  # render.chartxml writes the chart XML and its workbook
    "xlsxwriter",
    "PIL",
    "urllib.request",  # nothing goes on the network
    "http.client",
    "ssl",
    "rich",  # output to a pipe: plain lines
    "multiprocessing",  # one report: no worker processes
    "concurrent.futures",
    "reportgen.web",
    "reportgen.extract",
    "reportgen.grading",
    "reportgen.rounds",
    "reportgen.archive.archive",  # the archive file does not exist
    "reportgen.archive.snapshot",
    "reportgen.archive.store",
    "reportgen.render.lint",  # built-in templates: no template check, no sandbox, no budget
    "reportgen.render.sandbox",
    "reportgen.render.template_rules",
    "reportgen.render.budget",
    "reportgen.render.pdf",  # no --pdf
    "reportgen.render.summary",  # no --summary-xlsx
    "reportgen.cli.intake_cmd",  # other commands
    "reportgen.cli.archive_cmd",
    "reportgen.cli.plan_cmd",
)
# ... nor by a weekly brief, which has no chart.
FORBIDDEN_WEEKLY = ("reportgen.render.chartxml",)


def imported_modules(stderr: str) -> set[str]:
    """The module names in ``-X importtime`` output."""
    return set(re.findall(r"^import time:\s+\d+ \|\s+\d+ \|\s+(\S+)$", stderr, re.MULTILINE))


def unwanted(modules: set[str], forbidden: tuple[str, ...]) -> list[str]:
    """The modules among ``modules`` that are, or are inside, one of ``forbidden``."""
    return sorted(m for m in modules for f in forbidden if m == f or m.startswith(f + "."))


def report_imports(tmp_path: Path, data: Path, period: str, kind: str) -> set[str]:
    """The modules a `reportgen report` of the sample plan (as JSON) imports, in a new process."""
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(load_plan_file(CATALOG / "zhoushan-2023-metrology.yaml").to_data(),
                               ensure_ascii=False), encoding="utf-8")  # fmt: skip
    env = {**os.environ, "REPORTGEN_ARCHIVE": str(tmp_path / "none.sqlite")}
    argv = [sys.executable, "-X", "importtime", "-m", "reportgen", "report", str(plan),
            "--period", period, "--data", str(data), "--kind", kind,
            "-o", str(tmp_path / "r.docx")]  # fmt: skip
    done = subprocess.run(argv, capture_output=True, text=True, cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
    assert not (tmp_path / "none.sqlite").exists()
    modules = imported_modules(done.stderr)
    assert "reportgen.render.report" in modules  # the measurement works
    return modules


def test_unwanted_finds_modules_and_their_submodules():
    modules = {"pptx", "pptx.chart.data", "pptxt", "sslx", "reportgen.render.report"}
    assert unwanted(modules, ("pptx", "ssl")) == ["pptx", "pptx.chart.data"]


def test_plain_quarterly_report_imports_nothing_it_does_not_use(tmp_path):
    modules = report_imports(tmp_path, SAMPLES, "2024-Q2", "quarterly")
    assert "reportgen.render.chartxml" in modules  # it has a chart
    assert unwanted(modules, FORBIDDEN) == []


@pytest.mark.slow
def test_plain_weekly_report_imports_nothing_it_does_not_use(tmp_path):
    blank = api.make_template(CATALOG / "zhoushan-2023-metrology.yaml", "2024-W26",
                              tmp_path / "填报_市市场监管局.xlsx")  # fmt: skip
    modules = report_imports(tmp_path, blank, "2024-W26", "weekly")
    assert "reportgen.render.brief" in modules
    assert unwanted(modules, FORBIDDEN + FORBIDDEN_WEEKLY) == []


def test_lines_to_a_pipe_are_plain_text(capsys, monkeypatch):
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    print_notice("[bold]不是标记[/] :warning:")
    print_error("缺少 --data")
    print_line("已生成报告：a [b].docx")
    captured = capsys.readouterr()
    assert captured.err == "提示：[bold]不是标记[/] :warning:\n错误：缺少 --data\n"
    assert captured.out == "已生成报告：a [b].docx\n"


def test_labels_are_coloured_on_a_terminal(capsys, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    fresh = common.LazyConsole(stderr=True, highlight=False, soft_wrap=True)  # reads FORCE_COLOR
    monkeypatch.setattr(common, "err_console", fresh)
    print_notice("[x]")
    assert capsys.readouterr().err == "\x1b[33m提示\x1b[0m：[x]\n"
