"""`reportgen progress`: arguments, table, JSON and exit codes.

Most tests replace intake with a fake returning a fixed Dataset; one runs the real intake on a
template filled in code.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from reportgen import intake
from reportgen.cli import run
from reportgen.errors import IntakeError, Problem
from reportgen.periods import Period, parse_period
from reportgen.plan import Plan, load_plan_file
from reportgen.progress import compute_progress
from reportgen.records import Dataset, TaskRecord, ValueRecord
from tests.support.intake_builders import write_plan

PLAN = {
    "id": "cli-plan",
    "title": "测试市计量发展实施方案",
    "issuer": "测试市人民政府",
    "source": "test.txt",
    "start": "2023-01-01",
    "end": "2025-12-31",
    "indicators": [
        {
            "id": "JN01",
            "name": "新建和升级社会公用计量标准",
            "unit": "项",
            "method": "cumulative",
            "targets": {2023: 60, 2024: 80, 2025: 100},
            "source_ref": "专栏1",
        },
        {
            "id": "ZS09",
            "name": "全市强检计量器具检定覆盖率",
            "unit": "%",
            "attribute": "约束性",
            "method": "level",
            "baseline": {"year": 2022, "value": 94},
            "targets": {2025: 97},
            "source_ref": "表 第9行",
        },
        {
            "id": "ZS01",
            "name": "参与或主持制省部级计量科研项目",
            "unit": "项/年",
            "method": "annual",
            "baseline": {"year": 2022, "value": 1},
            "targets": {2025: 2},
            "source_ref": "表 第1行",
        },
    ],
    "tasks": [
        {
            "id": "T01",
            "title": "加强计量标准建设[bold]",
            "lead": ["市市场监管局"],
            "cooperating": ["市科技局"],
            "source_ref": "二、1",
        }
    ],
}


def dataset_for(plan: Plan, period: Period) -> Dataset:
    cell = "填报_市市场监管局.xlsx:指标填报!H{}"
    values = {
        "JN01": ValueRecord("JN01", 65.0, cell.format(3)),
        "ZS09": ValueRecord("ZS09", 95.0, cell.format(4)),
        "ZS01": ValueRecord("ZS01", None, cell.format(5)),
    }
    task = TaskRecord(
        "T01", "填报_市市场监管局.xlsx:重点任务!D3", "市市场监管局", "推进中", "新建标准12项"
    )
    return Dataset(
        plan.id,
        period.key,
        values=values,
        tasks={"T01": [task]},
        warnings=[Problem("填报_市科技局.xlsx:指标填报!H4", "数值比上期下降")],
        missing_departments=["市财政局"],
    )


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    return write_plan(Plan.model_validate(PLAN), tmp_path)


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Plan, Period, list[Path]]]:
    """Replace intake with a fake that records its arguments and returns a fixed Dataset."""
    seen: list[tuple[Plan, Period, list[Path]]] = []

    def fake_load_dataset(plan: Plan, period: Period, paths: list[Path]) -> Dataset:
        seen.append((plan, period, list(paths)))
        return dataset_for(plan, period)

    monkeypatch.setattr(intake, "load_dataset", fake_load_dataset)
    monkeypatch.setenv("COLUMNS", "250")  # a wide table, so cells are not wrapped
    return seen


def progress_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    assert run(["progress", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_is_exactly_the_result(capsys, plan_file: Path, calls) -> None:
    data = progress_json(capsys, str(plan_file), "--period", "2024-H1", "--data", "returns")
    plan, period, paths = calls[0]
    expected = compute_progress(plan, dataset_for(plan, period), period).to_json()
    assert data == json.loads(json.dumps(expected, ensure_ascii=False))
    assert paths == [Path("returns")]
    assert (data["period"], data["as_of"]) == ("2024-H1", "2024-06-30")
    jinan = data["indicators"][0]
    # (65 − 60)/(80 − 60): c = 0.25; see tests/test_progress.py for the hand-worked figures
    assert (jinan["completion"], jinan["status"]) == (0.25, "严重滞后")
    assert data["indicators"][2]["status"] == "未填报"
    assert data["summary"]["binding_alerts"] == 1


def test_warnings_go_to_stderr_not_into_json(capsys, plan_file: Path, calls) -> None:
    code = run(["progress", str(plan_file), "--period", "2024-H1", "--data", "r", "--json"])
    out, err = capsys.readouterr()
    assert code == 0
    json.loads(out)
    assert "数值比上期下降" in err and "市财政局" in err


def test_as_of_and_lag_threshold(capsys, plan_file: Path, calls) -> None:
    data = progress_json(
        capsys,
        str(plan_file),
        "--period",
        "2024-Q2",
        "--as-of",
        "2024-06-20",
        "--lag-threshold",
        "30",
        "--data",
        "r",
    )
    assert calls[0][1] == parse_period("2024-Q2", "2024-06-20")
    assert data["as_of"] == "2024-06-20"
    # the Jinan gap is (172/366 − 0.25) × 100 = 22.0 pp: 滞后 once the threshold is 30
    assert data["indicators"][0]["status"] == "滞后"


def test_several_data_paths(capsys, plan_file: Path, calls) -> None:
    args = [str(plan_file), "--period", "2024-06", "--data", "a.xlsx", "--data", "dir", "b.xlsx"]
    progress_json(capsys, *args)
    assert calls[0][2] == [Path("a.xlsx"), Path("dir"), Path("b.xlsx")]


def test_table(capsys, plan_file: Path, calls) -> None:
    assert run(["progress", str(plan_file), "--period", "2024-H1", "--data", "r"]) == 0
    out = capsys.readouterr().out
    for text in (
        "测试市计量发展实施方案",
        "2024年上半年　统计截至2024年6月30日",
        "完成率",
        "序时进度",
        "25.0%",
        "落后24.7个百分点",  # (182/366 − 0.25) × 100 = 24.73
        "70项",  # 序时应达 69.945 项, a whole count
        "严重滞后",
        "滞后（约束性预警）",
        "80项（2024年）",
        "共 3 项指标",
        "加强计量标准建设[bold]",  # user text is not taken as rich markup
        "推进中",
    ):
        assert text in out, text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2024-13", "--data", "r"], "2024-W25"),
        (["--period", "2024-06", "--as-of", "2024-06-31", "--data", "r"], "2024-06-20"),
        (["--data", "r"], "--period"),
        (["--period", "2024-06"], "--data"),
        (["--period", "2024-06", "--data", "r", "--lag-threshold", "-1"], "--lag-threshold"),
        (["--period", "2024-06", "--data", "r", "--lag-threshold", "nan"], "--lag-threshold"),
    ],
)
def test_bad_arguments_exit_2(
    capsys, plan_file: Path, calls, args: list[str], message: str
) -> None:
    assert run(["progress", str(plan_file), *args]) == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert captured.out == ""
    assert calls == []


def test_unknown_plan_exit_2(capsys, calls) -> None:
    assert run(["progress", "no-such-plan", "--period", "2024-06", "--data", "r"]) == 2
    assert "no-such-plan" in capsys.readouterr().err


def test_intake_errors_are_all_shown(capsys, plan_file: Path, monkeypatch) -> None:
    problems = [Problem("a.xlsx:指标填报!H3", "不是数字"), Problem("b.xlsx", "不是本方案的模板")]

    def failing(plan: Plan, period: Period, paths: list[Path]) -> Dataset:
        raise IntakeError(problems)

    monkeypatch.setattr(intake, "load_dataset", failing)
    assert run(["progress", str(plan_file), "--period", "2024-06", "--data", "a.xlsx"]) == 2
    err = capsys.readouterr().err
    assert "a.xlsx:指标填报!H3" in err and "不是本方案的模板" in err


def test_subprocess_bad_period_no_traceback(plan_file: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "reportgen",
            "progress",
            str(plan_file),
            "--period",
            "2024-W60",
            "--data",
            "r",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "2024-W25" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_end_to_end_with_a_filled_template(capsys, plan_file: Path, tmp_path: Path) -> None:
    """The real intake: a template written for the plan, filled with openpyxl, read back."""
    folder = tmp_path / "returns"
    folder.mkdir()
    period = parse_period("2024-H1")
    book_path = intake.write_template(load_plan_file(plan_file), period, folder / "填报_全部.xlsx")
    book = openpyxl.load_workbook(book_path)
    book["指标填报"]["H2"] = 65  # JN01 (rows follow plan order); ZS01 in H4 left blank
    book["指标填报"]["H3"] = 95  # ZS09
    book["重点任务"]["E2"] = "推进中"
    book["重点任务"]["F2"] = "新建标准12项"
    book.save(book_path)
    data = progress_json(capsys, str(plan_file), "--period", "2024-H1", "--data", str(folder))
    jinan, coverage, research = data["indicators"]
    assert (jinan["actual"], jinan["completion"], jinan["status"]) == (65, 0.25, "严重滞后")
    assert jinan["source"].endswith("指标填报!H2")
    assert (coverage["actual"], coverage["binding_alert"]) == (95, True)
    assert (research["actual"], research["status"]) == (None, "未填报")
    assert (data["tasks"][0]["status"], data["tasks"][0]["progress"]) == ("推进中", "新建标准12项")
