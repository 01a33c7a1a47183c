"""`reportgen archive …`: tables, JSON, exit codes (archives built with the library)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from reportgen import intake
from reportgen.archive import Archive
from reportgen.cli import run
from reportgen.periods import Period
from reportgen.plan import Plan
from tests.support.archive_builders import add, make_inputs, make_plan
from tests.support.intake_builders import write_plan
from tests.support.paths import SAMPLES
from tests.support.postgres import pg_cluster, tamper, target

__all__ = ["pg_cluster", "target"]  # fixtures: every archive command on both backends


@pytest.fixture(autouse=True)
def wide_console(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "250")  # rich reads it on every print; setattr would stick


@pytest.fixture
def path(target: str) -> str:
    """An archive (on each backend) with 2024-Q1 (I3 未填报), 2024-Q2 in two versions, and week
    2024-W10."""
    plan = make_plan()
    with Archive.open(target) as archive:
        add(archive, plan, "2024-Q1", {"I1": 80, "I2": 70.0, "I3": None})
        add(archive, plan, "2024-Q2", {"I1": 100, "I2": 66.5, "I3": 12})
        add(archive, plan, "2024-Q2", {"I1": 110, "I2": 66.5, "I3": 12}, note="补报<b>")
        add(archive, plan, "2024-W10", {"I1": 70, "I2": 69.0, "I3": None})
    return target


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(["archive", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_list_table_and_json(capsys, path: str) -> None:
    code, out, _ = cli(capsys, "list", "--archive", str(path))
    assert code == 0
    for text in (
        "方案",
        "报告期",
        "版本",
        "2024年第一季度",
        "2024年第二季度",
        "补报<b>",
        "共 4 个快照",
    ):
        assert text in out, text
    code, out, _ = cli(capsys, "list", "demo-plan", "--archive", str(path), "--json")
    listed = [(i["period_key"], i["version"], i["indicator_count"]) for i in json.loads(out)]
    assert listed == [("2024-W10", 1, 3), ("2024-Q1", 1, 3), ("2024-Q2", 1, 3), ("2024-Q2", 2, 3)]
    code, out, _ = cli(capsys, "list", "other-plan", "--archive", str(path), "--json")
    assert (code, json.loads(out)) == (0, [])


def test_archive_from_environment(capsys, path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORTGEN_ARCHIVE", str(path))
    code, out, _ = cli(capsys, "list", "--json")
    assert code == 0 and len(json.loads(out)) == 4


def test_show_latest_and_a_version(capsys, path: str) -> None:
    code, out, _ = cli(capsys, "show", "demo-plan", "2024-Q2", "--archive", str(path))
    assert code == 0
    for text in (
        "2024年第二季度　第2版",
        "统计截至2024年6月30日",
        "备注：补报<b>",
        "110项",  # I1 actual
        "55.0%",  # 110 / 200
        "70.0%",  # I2: 66.5 / 95
        "填报_市市场监管局.xlsx:指标填报!H5",
        "12,345",  # file size
        "完善计量标准体系",
        "未报送部门：市发展改革委",
    ):
        assert text in out, text
    code, out, _ = cli(
        capsys, "show", "demo-plan", "2024-Q2", "--version", "1", "--archive", str(path), "--json"
    )
    data = json.loads(out)
    assert (data["info"]["version"], data["values"][0]["value"]) == (1, 100.0)
    assert data == Archive.open(path, readonly=True).get("demo-plan", "2024-Q2", 1).to_json()


def test_diff_table_and_json(capsys, path: str) -> None:
    code, out, _ = cli(capsys, "diff", "demo-plan", "2024-Q1", "2024-Q2", "--archive", str(path))
    assert code == 0
    for text in (
        "+30项",  # I1 80 -> 110
        "40.0%",
        "55.0%",
        "+15.0个百分点",  # completion 40% -> 55%
        "-3.5个百分点",  # I2 (a % indicator) 70 -> 66.5
        "-3.7个百分点",  # completion 73.68…% -> 70%
        "未填报 → 进度正常",  # I3
    ):
        assert text in out, text
    code, out, _ = cli(
        capsys, "diff", "demo-plan", "2024-Q2@1", "2024-Q2", "--archive", str(path), "--json"
    )
    changes = {c["id"]: c for c in json.loads(out)}
    assert changes["I1"]["value_change"] == 10
    assert changes["I1"]["completion_change_pp"] == pytest.approx(5.0)


def test_history_grid_one_indicator_and_kind(capsys, path: str) -> None:
    code, out, _ = cli(capsys, "history", "demo-plan", "--archive", str(path))
    assert code == 0
    assert out.index("2024年第10周") < out.index("2024年第一季度") < out.index("2024年第二季度")
    assert "80项（40.0%）" in out and "110项（55.0%）" in out and "未填报" in out
    code, out, _ = cli(
        capsys,
        "history",
        "demo-plan",
        "--indicator",
        "I3",
        "--period-kind",
        "quarter",
        "--archive",
        str(path),
    )
    assert code == 0 and "第10周" not in out
    assert "未填报" in out and "12家" in out and "30.0%" in out
    code, out, _ = cli(
        capsys, "history", "demo-plan", "--period-kind", "quarter", "--archive", str(path), "--json"
    )
    assert [p["period"] for p in json.loads(out)["periods"]] == ["2024-Q1", "2024-Q2"]
    code, _, err = cli(
        capsys, "history", "demo-plan", "--period-kind", "decade", "--archive", str(path)
    )
    assert code == 2 and "quarter" in err


def test_export(capsys, path: str, tmp_path: str) -> None:
    code, out, _ = cli(
        capsys, "export", "demo-plan", "-o", str(tmp_path / "x.xlsx"), "--archive", str(path)
    )
    assert code == 0 and "已导出 4 个快照" in out
    assert openpyxl.load_workbook(tmp_path / "x.xlsx")["快照清单"].max_row == 5
    code, _, _ = cli(
        capsys, "export", "demo-plan", "-o", str(tmp_path / "x.json"), "--archive", str(path)
    )
    assert len(json.loads((tmp_path / "x.json").read_text("utf-8"))["snapshots"]) == 4
    code, _, err = cli(
        capsys, "export", "demo-plan", "-o", str(tmp_path / "x.txt"), "--archive", str(path)
    )
    assert code == 2 and ".xlsx 或 .json" in err


def _tamper(path: str) -> None:
    tamper(path, "UPDATE reported_values SET value = 999 WHERE snapshot_id = 1 AND position = 0")


def test_verify(capsys, path: str) -> None:
    code, out, _ = cli(capsys, "verify", "--archive", str(path))
    assert code == 0 and "校验通过：4 个快照" in out
    _tamper(path)
    code, _, err = cli(capsys, "verify", "--archive", str(path))
    assert code == 2
    assert "demo-plan 2024-Q1 第1版" in err and "校验和不符" in err and "发现 1 个问题" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "demo-plan", "2024-Q3"], "已归档的报告期：2024-W10、2024-Q1、2024-Q2"),
        (["show", "demo-plan", "2024-Q2", "--version", "5"], "没有第5版"),
        (["show", "nope", "2024-Q2"], "已归档的方案：demo-plan"),
        (["show", "demo-plan", "2024-13"], "2024-W25"),
        (["diff", "demo-plan", "2024-Q1", "2024-Q4"], "没有报告期 2024-Q4"),
    ],
)
def test_user_errors_exit_2(capsys, path: str, args: list[str], message: str) -> None:
    code, _, err = cli(capsys, *args, "--archive", str(path))
    assert code == 2 and message in err and "Traceback" not in err


def test_missing_and_corrupt_archives_exit_2(capsys, tmp_path: str) -> None:
    code, _, err = cli(capsys, "list", "--archive", str(tmp_path / "none.sqlite"))
    assert code == 2 and "归档文件不存在" in err
    assert not (tmp_path / "none.sqlite").exists()
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"not a database" * 100)
    for args in (["list"], ["verify"]):
        code, _, err = cli(capsys, *args, "--archive", str(bad))
        assert code == 2 and "已损坏" in err
    assert bad.read_bytes() == b"not a database" * 100


def test_verify_subprocess_exit_code(path: str) -> None:
    _tamper(path)
    # the same entry point as `reportgen`, with the archive commands registered
    code = "import sys; from reportgen.cli import archive_cmd, main; main()"
    done = subprocess.run(
        [sys.executable, "-c", code, "archive", "verify", "--archive", str(path)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert "校验和不符" in done.stderr and "Traceback" not in done.stderr


# -- archive add (intake replaced by a fake; progress computed for real) ----------------------


@pytest.fixture
def plan_file(tmp_path: str) -> Path:
    return write_plan(make_plan(), tmp_path)


def test_add_archives_intake_and_progress(
    capsys, tmp_path: str, plan_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[Period, list[Path]]] = []

    def fake_load_dataset(plan: Plan, period: Period, paths: list[Path]):
        seen.append((period, list(paths)))
        return make_inputs(plan, period.key, {"I1": 120, "I2": 90.0, "I3": None})[1]

    monkeypatch.setattr(intake, "load_dataset", fake_load_dataset)
    archive = tmp_path / "new" / "archive.sqlite"
    args = ["add", str(plan_file), "--period", "2024-Q2", "--as-of", "2024-06-20"]
    code, out, err = cli(capsys, *args, "--data", "a.xlsx", "dir", "--archive", str(archive))
    assert code == 0, err
    assert "第1版" in out and "3 个指标" in out
    assert "数值偏大" in err and "以下部门尚未报送：市发展改革委" in err
    assert seen[0][1] == [Path("a.xlsx"), Path("dir")]
    code, out, _ = cli(
        capsys, *args, "--data", "a.xlsx", "--note", "补报", "--archive", str(archive)
    )
    assert code == 0 and "第2版" in out
    with Archive.open(archive, readonly=True) as opened:
        snapshot = opened.get("demo-plan", "2024-Q2")
        assert snapshot.info.as_of.isoformat() == "2024-06-20" and snapshot.info.note == "补报"
        assert snapshot.value_records()["I1"].value == 120
        figures = snapshot.indicator_progress()
        assert figures["I3"].status == "未填报" and figures["I1"].actual == 120
        assert opened.verify() == []
    code, _, err = cli(
        capsys, "add", str(plan_file), "--period", "2024-Q2", "--archive", str(archive)
    )
    assert code == 2 and "--data" in err


def test_add_real_sample_returns(capsys, tmp_path: str) -> None:
    """The whole path: real intake and compute_progress on the sample workbooks (2024-Q2)."""
    archive = str(tmp_path / "archive.sqlite")
    args = ["add", "zhoushan-2023-metrology", "--period", "2024-Q2", "--data", str(SAMPLES)]
    code, out, err = cli(capsys, *args, "--archive", archive)
    assert code == 0, err
    assert "第1版" in out and "9 个指标" in out
    with Archive.open(archive, readonly=True) as opened:
        snapshot = opened.get("zhoushan-2023-metrology", "2024-Q2")
        assert len(snapshot.files) == len(list(SAMPLES.glob("*.xlsx")))
        assert all(v.source.startswith("填报_") for v in snapshot.values)
        assert opened.verify() == []
