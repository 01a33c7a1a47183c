"""Reading rules, one test per accept and reject rule, each naming the exact cell."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest

from reportgen.intake import check_files
from reportgen.intake.result import FileResult
from reportgen.periods import parse_period
from tests.support.intake_builders import (
    PERIOD,
    fill,
    filled,
    plan_data,
    set_cached_value,
    small_plan,
)

FILE = "填报_市科技局.xlsx"


def check_one(path, plan=None, period=PERIOD) -> FileResult:
    (result,) = check_files([path], plan or small_plan(), period).files
    return result


def values(result: FileResult) -> dict[str, float | None]:
    return {r.indicator_id: r.value for r in result.values}


def errors(result: FileResult) -> list[str]:
    return [str(p) for p in result.problems(result.errors)]


def only_error(result: FileResult, cell: str) -> str:
    (problem,) = result.problems(result.errors)
    assert problem.where == f"{FILE} {cell}", problem
    return problem.message


# -- accepted ----------------------------------------------------------------------------


def test_numbers_and_tolerated_text(tmp_path):
    path = filled(
        tmp_path, {"H2": "１２", "H3": "1,234 人", "H4": "85％", "H5": " 2项 ", "H6": 0.4}
    )
    result = check_one(path)
    assert result.ok, errors(result)
    assert values(result) == {"C1": 12, "L1": 1234, "P1": 85, "A1": 2, "R1": 0.4}


def test_percent_formatted_cell(tmp_path):
    path = filled(tmp_path, {"H4": 0.955}, formats={"H4": "0.0%"})
    result = check_one(path)
    assert values(result)["P1"] == 95.5 and result.ok and not result.warnings


def test_formula_by_cached_value(tmp_path):
    path = filled(tmp_path, {"H2": "=5+7"})
    set_cached_value(path, "H2", "12")
    result = check_one(path)
    assert result.ok, errors(result)
    assert values(result)["C1"] == 12


@pytest.mark.parametrize("blank", [None, "—", "-", "/", "无", "暂无"])
def test_blanks_are_not_reported_never_zero(tmp_path, blank):
    result = check_one(filled(tmp_path, {"H2": blank, "J2": "统计中"}))
    assert result.ok
    record = next(r for r in result.values if r.indicator_id == "C1")
    assert record.value is None and record.remark == "统计中"


def test_reverse_indicator_may_be_negative(tmp_path):
    result = check_one(filled(tmp_path, {"H6": -0.1}))
    assert result.ok and values(result)["R1"] == -0.1


def test_rows_matched_by_id_not_position(tmp_path):
    path = filled(tmp_path, {"H2": 3, "H3": 41})
    book = openpyxl.load_workbook(path)
    ws = book["指标填报"]
    ws.protection.sheet = False
    first, second = [[c.value for c in ws[r]] for r in (2, 3)]
    for column, (a, b) in enumerate(zip(first, second, strict=True), start=1):
        ws.cell(2, column, b)
        ws.cell(3, column, a)
    ws.row_dimensions[4].hidden = True
    ws.delete_rows(6)
    book.save(path)
    result = check_one(path)
    assert result.ok, errors(result)
    assert values(result) == {"L1": 41, "C1": 3, "P1": None, "A1": None}
    assert next(r for r in result.values if r.indicator_id == "C1").source.endswith("!H3")


def test_as_of_date_and_remark(tmp_path):
    result = check_one(filled(tmp_path, {"H2": 3, "I2": date(2024, 6, 20), "J2": "含新建2项"}))
    record = next(r for r in result.values if r.indicator_id == "C1")
    assert (record.as_of, record.remark, record.department) == (
        date(2024, 6, 20),
        "含新建2项",
        "市科技局",
    )
    assert record.source == f"{FILE}:指标填报!H2"


# -- rejected ----------------------------------------------------------------------------


def test_text_that_is_not_a_number(tmp_path):
    message = only_error(check_one(filled(tmp_path, {"H3": "约40人"})), "指标填报!H3")
    assert "不是数字" in message and "填报说明" in message


def test_unit_suffix_that_does_not_match(tmp_path):
    message = only_error(check_one(filled(tmp_path, {"H2": "12个"})), "指标填报!H2")
    assert "单位“个”" in message and "项" in message


def test_negative_value(tmp_path):
    message = only_error(check_one(filled(tmp_path, {"H2": -3})), "指标填报!H2")
    assert "不能为负数" in message


def test_percent_over_100(tmp_path):
    message = only_error(check_one(filled(tmp_path, {"H4": 101})), "指标填报!H4")
    assert "不能超过 100" in message


def test_formula_without_cached_value(tmp_path):
    message = only_error(check_one(filled(tmp_path, {"H5": "=1+1"})), "指标填报!H5")
    assert "打开并保存" in message


def test_formula_error_value(tmp_path):
    message = only_error(check_one(filled(tmp_path, {"H2": "#DIV/0!"})), "指标填报!H2")
    assert "#DIV/0!" in message


def test_date_typed_as_value(tmp_path):
    message = only_error(check_one(filled(tmp_path, {"H2": date(2024, 6, 30)})), "指标填报!H2")
    assert "日期" in message and "常规" in message


def test_bad_as_of_date(tmp_path):
    message = only_error(check_one(filled(tmp_path, {"H2": 1, "I2": "6月底"})), "指标填报!I2")
    assert "2024-06-30" in message


def test_as_of_outside_the_period_is_an_error(tmp_path):
    result = check_one(filled(tmp_path, {"H2": 1, "I2": date(2023, 12, 31)}))
    message = only_error(result, "指标填报!I2")
    assert message.startswith("指标 C1（累计新建社会公用计量标准）：数据截至日期 2023-12-31")
    assert "不在报告期" in message and "C1" not in values(result)


# -- plausibility (issue 15): errors and warnings name the cell and the indicator ----------


@pytest.mark.parametrize(
    ("cell", "typed", "label", "unit"),
    [
        ("H2", 2.5, "指标 C1（累计新建社会公用计量标准）", "项"),
        ("H3", "40.5人", "指标 L1（注册计量师）", "人"),
        ("H5", 1.5, "指标 A1（参与省部级计量科研项目）", "项"),  # 项/年 counts 项
    ],
)
def test_fraction_for_a_count_is_an_error(tmp_path, cell, typed, label, unit):
    message = only_error(check_one(filled(tmp_path, {cell: typed})), f"指标填报!{cell}")
    assert message.startswith(f"{label}的单位是“{unit}”，只能填整数")


def test_integral_false_in_the_plan_allows_fractions(tmp_path):
    data = plan_data()
    data["indicators"][1]["integral"] = False  # 注册计量师 in 万人, say
    result = check_one(filled(tmp_path, {"H3": 40.5}), small_plan(data))
    assert result.ok and values(result)["L1"] == 40.5


@pytest.mark.parametrize(
    ("typed", "fragment"),
    [
        (11, "“11”不是日期（在日期格式的单元格里显示为 1900-01-11）"),  # typed into the template
        ("11", "“11”不是有效的日期"),  # as text
    ],
)
def test_as_of_that_is_not_a_date_in_the_period(tmp_path, typed, fragment):
    message = only_error(check_one(filled(tmp_path, {"H2": 1, "I2": typed})), "指标填报!I2")
    assert message.startswith("指标 C1（累计新建社会公用计量标准）：") and fragment in message


def warnings_of(result: FileResult) -> list[tuple[str, str]]:
    return [(p.where, p.message) for p in result.problems(result.warnings)]


def test_cumulative_value_below_the_archived_one(tmp_path):
    path = filled(tmp_path, {"H2": 62})
    (result,) = check_files([path], small_plan(), PERIOD, lambda plan, period: {"C1": 65}).files
    assert result.ok and values(result)["C1"] == 62
    ((where, message),) = warnings_of(result)
    assert where == f"{FILE} 指标填报!H2"
    assert message.startswith("指标 C1（累计新建社会公用计量标准）是累计值，本期 62项 低于上期")
    assert "65项" in message
    assert check_one(path).warnings == []  # without an archive there is nothing to compare


def test_reverse_indicator_above_its_baseline(tmp_path):
    result = check_one(filled(tmp_path, {"H6": 0.6}))
    ((where, message),) = warnings_of(result)
    assert where == f"{FILE} 指标填报!H6"
    assert message.startswith("指标 R1（万元产值综合能耗）是逆向指标")
    assert "0.6吨标准煤" in message and "基期值 0.5吨标准煤" in message


def test_value_more_than_ten_times_the_target(tmp_path):
    result = check_one(filled(tmp_path, {"H3": 451, "H2": 100}))  # L1: 45人; C1: 10项 × 10
    ((where, message),) = warnings_of(result)
    assert where == f"{FILE} 指标填报!H3"
    assert message.startswith("指标 L1（注册计量师）的完成值 451人 超过目标 45人 的10倍")


def test_task_progress_without_status(tmp_path):
    path = fill(filled(tmp_path, {}), {"F2": "完成调研"}, sheet="重点任务")
    result = check_one(path)
    assert result.ok
    ((where, message),) = warnings_of(result)
    assert where == f"{FILE} 重点任务!E2"
    assert message.startswith("任务 T1（加强计量标准建设）填写了工作进展，但进展状态未填")
    (task,) = result.tasks
    assert (task.status, task.progress) == (None, "完成调研")


def test_small_percent_is_a_warning(tmp_path):
    result = check_one(filled(tmp_path, {"H4": 0.95}))
    assert result.ok and values(result)["P1"] == 0.95
    (warning,) = result.problems(result.warnings)
    assert warning.where == f"{FILE} 指标填报!H4" and "请填写 95" in warning.message


@pytest.mark.parametrize(
    ("cell", "typed", "fragment"),
    [
        ("F2", 12, "“本年目标”与方案不一致：方案为10，表中为“12”"),
        ("G3", 50, "“规划目标”与方案不一致：方案为45"),
        ("E4", None, "“基期值”与方案不一致：方案为94，表中为空白"),
        ("C5", "项", "“单位”与方案不一致"),
        ("B2", "新建计量标准", "“指标名称”与方案不一致"),
    ],
)
def test_changed_locked_cell(tmp_path, cell, typed, fragment):
    message = only_error(check_one(filled(tmp_path, {cell: typed})), f"指标填报!{cell}")
    assert fragment in message and "重新生成模板" in message


def test_duplicate_ids_name_both_cells(tmp_path):
    result = check_one(filled(tmp_path, {"A3": "C1"}))
    assert only_error(result, "指标填报!A3").startswith("指标编号“C1”重复出现（另见 指标填报!A2）")


def test_unknown_id(tmp_path):
    message = only_error(check_one(filled(tmp_path, {"A7": "X9", "H7": 3})), "指标填报!A7")
    assert "“X9”不在方案" in message


def test_value_in_a_row_without_id(tmp_path):
    message = only_error(check_one(filled(tmp_path, {"A3": None, "H3": 41})), "指标填报!A3")
    assert "“指标编号”是空的" in message


def test_row_without_id_and_input_is_ignored(tmp_path):
    result = check_one(filled(tmp_path, {"A3": None, "B3": None}))
    assert result.ok and "L1" not in values(result)


def test_invalid_task_status(tmp_path):
    path = fill(filled(tmp_path, {}), {"E2": "进行中", "F2": "正在推进"}, sheet="重点任务")
    message = only_error(check_one(path), "重点任务!E2")
    assert "已完成、推进中、未启动、滞后" in message


def test_tasks_are_read(tmp_path):
    path = fill(
        filled(tmp_path, {}),
        {"E2": "推进中", "F2": "完成调研", "H2": "三季度验收"},
        sheet="重点任务",
    )
    (task,) = check_one(path).tasks
    assert (task.task_id, task.status, task.progress, task.problems, task.next_steps) == (
        "T1",
        "推进中",
        "完成调研",
        "",
        "三季度验收",
    )
    assert task.source == f"{FILE}:重点任务!A2" and task.department == "市科技局"


# -- the workbook's identity --------------------------------------------------------------


def test_workbook_for_another_period(tmp_path):
    result = check_one(filled(tmp_path, {"H2": 1}), period=parse_period("2024-Q3"))
    (problem,) = result.problems(result.errors)
    assert problem.where == FILE  # the whole file, never the hidden _meta sheet
    assert "2024-Q2" in problem.message and "2024-Q3" in problem.message


def test_workbook_for_another_plan(tmp_path):
    data = plan_data()
    data["id"] = "other-plan"
    result = check_one(filled(tmp_path, {"H2": 1}), plan=small_plan(data))
    assert errors(result) == [
        f"{FILE}：本表是方案“test-plan”的填报表，不是方案“other-plan”的。"
        "请确认文件是否发错，或用 --plan 指定正确的方案。"
    ]


def test_plan_changed_but_compatible_is_a_warning(tmp_path):
    path = filled(tmp_path, {"H2": 1})
    data = plan_data()
    data["title"] = "测试市计量发展实施方案（修订）"
    data["indicators"][0]["name"] = "新建社会公用计量标准（累计）"
    result = check_one(path, plan=small_plan(data))
    assert result.ok
    where = {p.where: p.message for p in result.problems(result.warnings)}
    assert "可以继续使用" in where[FILE]
    assert "指标名称" in where[f"{FILE} 指标填报!B2"]


def test_plan_changed_targets_is_an_error(tmp_path):
    path = filled(tmp_path, {"H2": 1})
    data = plan_data()
    data["indicators"][1]["targets"] = {2025: 48}
    result = check_one(path, plan=small_plan(data))
    where = {p.where: p.message for p in result.problems(result.errors)}
    assert set(where) == {f"{FILE} 指标填报!F3", f"{FILE} 指标填报!G3", FILE}
    assert "重新生成模板" in where[FILE]


def test_missing_meta_falls_back_to_headers(tmp_path):
    source = openpyxl.load_workbook(filled(tmp_path, {"H2": 7, "H4": 95}))["指标填报"]
    copy = openpyxl.Workbook()
    copy.active.title = "Sheet1"
    for row in source.iter_rows(values_only=True):
        copy.active.append(row)
    path = tmp_path / "舟山_市科技局_复制.xlsx"
    copy.save(path)
    (result,) = check_files([path], small_plan(), PERIOD).files
    assert result.ok and result.department == "市科技局"
    assert {r.indicator_id: r.value for r in result.values}["C1"] == 7
    assert result.values[0].source == "舟山_市科技局_复制.xlsx:Sheet1!H2"
    meta, tasks = result.warnings
    assert (meta.sheet, meta.cell) == ("", "") and "已按表头识别" in meta.message
    assert tasks.sheet == "重点任务" and "任务进展未读取" in tasks.message


def test_missing_indicator_sheet(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["随便", "什么"])
    path = tmp_path / "x.xlsx"
    book.save(path)
    (result,) = check_files([path], small_plan(), PERIOD).files
    assert any(e.sheet == "指标填报" and "没有找到" in e.message for e in result.errors)
