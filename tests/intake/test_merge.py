"""Merging departments' workbooks: conflicts name both cells, blanks never win, who is missing."""

from __future__ import annotations

from pathlib import Path

from reportgen.intake import check_files
from reportgen.intake.merge import merge
from reportgen.intake.result import FileResult
from reportgen.records import CellRef, ValueRecord
from tests.support.intake_builders import PERIOD, fill, filled, small_plan, template


def test_conflict_lists_both_cells(tmp_path):
    filled(tmp_path, {"H2": 3}, name="填报_市科技局.xlsx")
    filled(tmp_path, {"H2": 4}, name="填报_市经信局.xlsx")
    report = check_files([tmp_path], small_plan(), PERIOD)
    assert [str(p) for p in report.errors] == [
        "填报_市经信局.xlsx 指标填报!H2：与 填报_市科技局.xlsx 指标填报!H2 填报的值不一致"
        "（那里为 3，这里为 4）。同一指标只能有一个数：请有关单位核实后只保留一个。"
    ]


def test_same_value_twice_and_value_beats_blank(tmp_path):
    filled(tmp_path, {"H2": 3, "H3": None}, name="a.xlsx")
    filled(tmp_path, {"H2": 3.0, "H3": 41}, name="b.xlsx")
    report = check_files([tmp_path], small_plan(), PERIOD)
    assert report.ok
    (dataset,) = report.datasets
    assert dataset.values["C1"].source == "a.xlsx:指标填报!H2"
    assert dataset.values["L1"].value == 41 and dataset.values["L1"].source == "b.xlsx:指标填报!H3"
    assert dataset.value_of("P1") is None


def test_blank_with_explanation_is_kept(tmp_path):
    filled(tmp_path, {}, name="a.xlsx")
    filled(tmp_path, {"J4": "数据待省局核定"}, name="b.xlsx")
    (dataset,) = check_files([tmp_path], small_plan(), PERIOD).datasets
    record = dataset.values["P1"]
    assert (record.value, record.remark, record.source) == (
        None,
        "数据待省局核定",
        "b.xlsx:指标填报!H4",
    )


def test_tasks_from_several_departments_and_missing_departments(tmp_path):
    fill(filled(tmp_path, {}), {"E2": "推进中", "F2": "科技局部分"}, sheet="重点任务")
    lead = template(tmp_path, "填报_市市场监管局.xlsx", department="市市场监管局")
    fill(lead, {"E2": "推进中", "F2": "总体进展"}, sheet="重点任务")
    report = check_files([tmp_path], small_plan(), PERIOD)
    (dataset,) = report.datasets
    assert [(r.department, r.progress) for r in dataset.tasks["T1"]] == [
        ("市市场监管局", "总体进展"),
        ("市科技局", "科技局部分"),
    ]
    assert dataset.missing_departments == ["市人社局"]
    assert report.missing_departments == ["市人社局"]
    assert report.records == 2
    assert [f.department for f in dataset.files] == ["市市场监管局", "市科技局"]


def test_records_count_values_not_blanks(tmp_path):
    filled(tmp_path, {"H2": 1, "H3": 40, "H4": "暂无"})
    assert check_files([tmp_path], small_plan(), PERIOD).records == 2


def test_cell_references_keep_odd_names_whole():
    cell = CellRef("c:/a b/x.xlsx", "S!1", "A2")
    assert str(cell) == "c:/a b/x.xlsx:S!1!A2"
    assert cell.where == "c:/a b/x.xlsx S!1!A2"


def test_merging_leaves_the_file_results_it_was_handed_as_they_were():
    cells = [CellRef(f"{name}.xlsx", "指标填报", "H2") for name in "ab"]
    results = [
        FileResult(Path(cell.file), cell.file, values=[ValueRecord("C1", value, str(cell))],
                   value_cells={"C1": cell})
        for cell, value in zip(cells, (3.0, 4.0), strict=True)
    ]  # fmt: skip
    merged = merge(small_plan(), PERIOD, results)
    assert [r.errors for r in results] == [[], []]
    first, second = merged.with_conflicts(results)
    assert first is results[0] and second is not results[1]
    (issue,) = second.errors
    assert (issue.sheet, issue.cell) == ("指标填报", "H2") and "a.xlsx 指标填报!H2" in issue.message
    assert merged.dataset.values["C1"].value == 3.0
