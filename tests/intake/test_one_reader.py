"""One reader (issue 14): the size checks measure exactly the part calamine loads, resolved the
same way, so no workbook can make calamine allocate past the limits (a Rust abort that killed
the whole batch); a heavy but legal workbook is checked quickly, its unused sheets unread."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from reportgen.intake import check_files
from reportgen.intake.reader import read_workbook
from reportgen.intake.validate import MAX_LISTED_ERRORS, MAX_LISTED_UNKNOWN
from reportgen.limits import Limits
from reportgen.periods import parse_period
from reportgen.plan import load_plan
from tests.support.hostile_workbooks import (
    heavy_data_sheet,
    heavy_legal,
    reader_mutations,
    worst_data_sheets,
)
from tests.support.paths import REPO, SAMPLES

SAMPLE = SAMPLES / "填报_市市场监管局.xlsx"
CASES = reader_mutations(SAMPLE.read_bytes())
CHECK = ["check", "--plan", "zhoushan-2023-metrology", "--period", "2024-Q2"]
# Peak memory from VmHWM: ru_maxrss would start at the parent's size (kept across exec).
CHILD = (
    "import json, re, resource, sys; from reportgen.cli import run; code = run(sys.argv[1:]); "
    "usage = resource.getrusage(resource.RUSAGE_SELF); "
    "peak = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()); "
    "print(json.dumps({'code': code, 'cpu': usage.ru_utime + usage.ru_stime, "
    "'peak_mb': int(peak[1]) / 1024}))"
)


def check_in_child(*paths: Path) -> tuple[int, str, dict]:
    """`reportgen check` in a child process: an abort there cannot take the tests down."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, *CHECK[:1], *map(str, paths), *CHECK[1:]],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )
    lines = done.stdout.strip().splitlines()
    figures = json.loads(lines[-1]) if lines and lines[-1].startswith("{") else {}
    return done.returncode, done.stdout + done.stderr, figures


def write(folder: Path, name: str) -> Path:
    data = CASES[name][0]
    path = folder / name
    path.write_bytes(data() if callable(data) else data)
    return path


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_divergent_part_is_measured_and_refused(tmp_path, name):
    code, shown, _ = check_in_child(write(tmp_path, name))
    assert code == 0, shown  # the child ran to its end (no abort)
    assert "Traceback" not in shown
    assert f"✗ {name}" in shown, shown


def test_one_bad_file_does_not_stop_the_batch(tmp_path):
    bad = write(tmp_path, "lowercase_far_column.xlsx")
    good = tmp_path / SAMPLE.name
    good.write_bytes(SAMPLE.read_bytes())
    _, shown, figures = check_in_child(bad, good)
    assert figures.get("code") == 2, shown
    assert f"✓ {SAMPLE.name}" in shown and "列，超过上限" in shown


@pytest.mark.slow
def test_heavy_legal_workbook_is_checked_within_budget(tmp_path):
    path = tmp_path / "填报_市市场监管局.xlsx"
    path.write_bytes(heavy_legal(SAMPLE.read_bytes()))
    assert path.stat().st_size > 10 * 1024 * 1024
    _, shown, figures = check_in_child(path)
    assert figures.get("code") == 0, shown
    assert figures["cpu"] < 3.0, figures
    assert figures["peak_mb"] < 400, figures


def test_unused_sheets_are_never_read(tmp_path):
    path = tmp_path / "heavy.xlsx"
    path.write_bytes(heavy_legal(SAMPLE.read_bytes(), rows=300_000, columns=1))
    raw = read_workbook(path, path.name, Limits())  # 附表 is over max_rows, but unread
    assert "附表" in raw.sheets
    assert raw.sheets["指标填报"].rows
    with pytest.raises(Exception, match="超过上限"):
        raw.sheets["附表"]


def _result(tmp_path, data: bytes):
    path = tmp_path / SAMPLE.name
    path.write_bytes(data)
    return check_files([path], load_plan("zhoushan-2023-metrology"), parse_period("2024-Q2"))


def test_rows_not_in_the_plan_are_listed_then_summarised(tmp_path):
    data = heavy_data_sheet(SAMPLE.read_bytes(), 500, 8, lambda ref, r, c: "")
    (result,) = _result(tmp_path, data).files
    unknown = [e for e in result.errors if "不在方案" in e.message]
    assert [e.cell for e in unknown[:MAX_LISTED_UNKNOWN]] == [f"A{r}" for r in range(11, 21)]
    assert "“X11”" in unknown[0].message
    summary = unknown[MAX_LISTED_UNKNOWN]
    assert (summary.sheet, summary.cell) == ("指标填报", "A21:A510")
    assert "另有 490 行的指标编号不在方案" in summary.message and "“X510”" in summary.message
    assert len(unknown) == MAX_LISTED_UNKNOWN + 1
    assert result.values  # the sample's own rows are still read


def test_errors_past_the_cap_are_counted_in_one_line(tmp_path):
    def text_value(ref: str, row: int, column: int) -> str:
        return f'<c r="{ref}" t="inlineStr"><is><t>很多</t></is></c>' if column == 7 else ""

    data = heavy_data_sheet(SAMPLE.read_bytes(), 500, 8, text_value, ident=lambda r: "")
    (result,) = _result(tmp_path, data).files
    sheet_errors = [e for e in result.errors if e.sheet == "指标填报"]
    assert len(sheet_errors) == MAX_LISTED_ERRORS + 1
    assert sheet_errors[0].cell == "A11" and "指标编号”是空的" in sheet_errors[0].message
    assert sheet_errors[-1].message == "另有 300 处问题未列出，请先修正以上问题。"


@pytest.mark.slow
@pytest.mark.parametrize("case", ["rows", "columns", "formulas", "shared_strings", "long_strings"])
def test_largest_legal_data_sheet_is_checked_within_budget(tmp_path, case):
    path = tmp_path / "填报_市市场监管局.xlsx"
    path.write_bytes(worst_data_sheets(SAMPLE.read_bytes())[case]())
    _, shown, figures = check_in_child(path)
    assert figures.get("code") == 2, shown  # every extra row is an error
    assert "另有" in shown
    assert figures["cpu"] < 3.0, figures
    assert figures["peak_mb"] < 400, figures
