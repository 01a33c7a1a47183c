"""check_files and load_dataset: round trip, many files, plans from _meta, inputs untouched."""

from __future__ import annotations

import json
import shutil

import openpyxl
import pytest

from reportgen.errors import IntakeError
from reportgen.fileio import sha256_file
from reportgen.intake import check_files, load_dataset
from tests.support.intake_builders import PERIOD, fill, filled, small_plan, template, write_plan


def test_round_trip(tmp_path):
    typed = {"H2": 12, "H3": 43, "H4": 95.5, "H5": 1, "H6": 0.45}
    path = filled(tmp_path, typed)
    dataset = load_dataset(small_plan(), PERIOD, [path])
    assert {k: r.value for k, r in dataset.values.items()} == {
        "C1": 12,
        "L1": 43,
        "P1": 95.5,
        "A1": 1,
        "R1": 0.45,
    }
    assert dataset.plan_id == "test-plan" and dataset.period == "2024-Q2"
    (source,) = dataset.files
    assert (source.name, source.department, source.sha256) == (
        path.name,
        "市科技局",
        sha256_file(path),
    )
    assert dataset.warnings == []


def test_json_shape(tmp_path):
    filled(tmp_path, {"H2": "多"})
    report = check_files([tmp_path], small_plan(), PERIOD)
    data = json.loads(json.dumps(report.to_json(), ensure_ascii=False))
    assert list(data) == ["files", "missing_departments", "records", "skipped"]
    (entry,) = data["files"]
    assert list(entry) == [
        "path", "department", "period", "ok", "errors", "warnings", "filler", "phone"
    ]  # fmt: skip
    assert (
        entry["ok"] is False and entry["department"] == "市科技局" and entry["period"] == "2024-Q2"
    )
    assert entry["errors"][0]["sheet"] == "指标填报" and entry["errors"][0]["cell"] == "H2"
    assert data["missing_departments"] == ["市市场监管局", "市人社局"]


def test_load_dataset_reports_every_problem_of_every_file(tmp_path):
    filled(tmp_path, {"H2": "很多", "H4": 120}, name="a.xlsx")
    filled(tmp_path, {"H3": -1}, name="b.xlsx")
    (tmp_path / "c.xlsx").write_bytes(b"")
    with pytest.raises(IntakeError) as info:
        load_dataset(small_plan(), PERIOD, [tmp_path])
    assert [p.where for p in info.value.problems] == [
        "a.xlsx 指标填报!H2",
        "a.xlsx 指标填报!H4",
        "b.xlsx 指标填报!H3",
        "c.xlsx",
    ]


def test_warnings_go_into_the_dataset(tmp_path):
    path = filled(tmp_path, {"H4": 0.96})
    dataset = load_dataset(small_plan(), PERIOD, [path])
    assert [p.where for p in dataset.warnings] == [f"{path.name} 指标填报!H4"]


def test_plan_and_period_from_meta_via_catalog(tmp_path, monkeypatch):
    plans = tmp_path / "plans"
    plans.mkdir()
    plan = small_plan()
    write_plan(plan, plans)
    monkeypatch.setenv("REPORTGEN_PLANS", str(plans))
    data = tmp_path / "data"
    data.mkdir()
    filled(data, {"H2": 5})
    report = check_files([data])
    assert report.ok and report.records == 1
    assert report.files[0].period == "2024-Q2" and report.datasets[0].plan_id == "test-plan"


def test_no_meta_and_no_plan_asks_for_plan(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["指标编号", "完成值"])
    path = tmp_path / "copy.xlsx"
    book.save(path)
    (result,) = check_files([path]).files
    assert "请用 --plan 指定方案" in result.errors[0].message


def test_unknown_plan_in_meta(tmp_path, monkeypatch):
    monkeypatch.setenv("REPORTGEN_PLANS", str(tmp_path))
    (result,) = check_files([filled(tmp_path, {})]).files
    assert "test-plan" in result.errors[0].message and "--plan" in result.errors[0].message


def test_same_file_name_in_two_folders_shows_paths(tmp_path):
    for folder in ("一", "二"):
        (tmp_path / folder).mkdir()
        filled(tmp_path / folder, {"H2": 1})
    report = check_files([tmp_path / "一", tmp_path / "二"], small_plan(), PERIOD)
    assert [f.display for f in report.files] == [
        str(tmp_path / "一" / "填报_市科技局.xlsx"),
        str(tmp_path / "二" / "填报_市科技局.xlsx"),
    ]


def test_folder_of_30_workbooks(tmp_path):
    first = filled(tmp_path, {"H2": 3, "H3": 41})
    fill(first, {"E2": "推进中", "F2": "按计划推进"}, sheet="重点任务")
    for n in range(1, 30):
        shutil.copy(first, tmp_path / f"填报_{n:02d}.xlsx")
    report = check_files([tmp_path], small_plan(), PERIOD)
    assert len(report.files) == 30 and report.ok
    (dataset,) = report.datasets
    assert len(dataset.files) == 30 and len(dataset.tasks["T1"]) == 30
    assert dataset.values["C1"].value == 3


def test_inputs_are_never_modified(tmp_path):
    good = filled(tmp_path, {"H2": 3}, name="good.xlsx")
    bad = filled(tmp_path, {"H2": "=1/0", "F3": 1}, name="bad.xlsx")
    copy = template(tmp_path, "plain.xlsx")
    before = {p: (sha256_file(p), p.stat().st_mtime_ns) for p in (good, bad, copy)}
    check_files([tmp_path], small_plan(), PERIOD)
    with pytest.raises(IntakeError):
        load_dataset(small_plan(), PERIOD, [tmp_path])
    assert {p: (sha256_file(p), p.stat().st_mtime_ns) for p in before} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.xlsx", "good.xlsx", "plain.xlsx"]


def test_plan_wide_work_is_done_once_per_plan_not_per_file_or_row(tmp_path, monkeypatch):
    """Which units report, and who leads: worked out once per plan, however many workbooks
    (named by file, so each needs them) and rows are checked."""
    from reportgen.plan import model

    calls: list[str] = []
    for name in ("reporting_units", "expand_units"):
        original = getattr(model, name)
        monkeypatch.setattr(
            model, name, lambda plan, *a, _f=original, _n=name: calls.append(_n) or _f(plan, *a)
        )
    for n in range(4):
        template(tmp_path, name=f"填报_{n}_市科技局.xlsx", department=None)
    report = check_files([tmp_path], small_plan(), PERIOD)
    assert [f.department for f in report.files] == ["市科技局"] * 4
    assert sorted(calls) == ["expand_units", "reporting_units"]
