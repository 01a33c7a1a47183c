"""The plan model and the plan-file loader: every validation rule, broken files, JSON, hashing.

Plan files are written by the tests (tmp_path); each expected line number is looked up in the
text the test wrote, so an error that names the wrong line fails.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest

from reportgen.errors import PlanError, Problem
from reportgen.plan import load_plan, load_plan_file

PLAN_HEAD = """\
id: test-plan
title: 测试市计量发展实施方案
issuer: 测试市人民政府办公室
doc_number: 测政办发〔2023〕1号
source: test-plan.txt
start: 2023-01-01
end: 2025-12-31
"""

GOOD_INDICATORS = """\
indicators:
  - id: A01
    name: 市级最高计量标准
    category: 支撑保障
    unit: 项
    attribute: 预期性
    method: level
    baseline: {year: 2022, value: 78}
    targets: {2025: 80}
    source_ref: 表1 第2行
  - id: A02
    name: 全市强检计量器具检定覆盖率
    category: null
    unit: "%"
    attribute: 约束性
    method: level
    baseline: {year: 2022, value: 94}
    targets: {2024: 95.5, 2025: 97}
    source_ref: 表1 第9行
"""

GOOD_TASKS = """\
tasks:
  - id: T01
    title: 加强计量标准建设
    text: 统筹规划全市社会公用计量标准建设。
    lead: [市市场监管局]
    cooperating: [市发改委, 市科技局]
    source_ref: 二、（一）1.
  - id: T02
    title: 加强计量人才队伍建设
    lead: [市人社局, 市市场监管局]
    cooperating: []
    source_ref: 二、（一）3.
"""

GOOD_PLAN = PLAN_HEAD + GOOD_INDICATORS + GOOD_TASKS


def write(tmp_path: Path, text: str, name: str = "plan.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, snippet: str, nth: int = 0) -> int:
    """1-based line of the ``nth`` line of ``text`` containing ``snippet``."""
    hits = [n for n, line in enumerate(text.splitlines(), 1) if snippet in line]
    return hits[nth]


def problems_of(path: Path) -> list[Problem]:
    with pytest.raises(PlanError) as info:
        load_plan_file(path)
    return info.value.problems


def find(problems: list[Problem], path: Path, key_path: str) -> Problem:
    """The problem at ``key_path`` of ``path`` (the where-text ends with the key path)."""
    hits = [p for p in problems if str(path) in p.where and p.where.endswith(f" {key_path}")]
    assert hits, f"no problem at {key_path}: {[str(p) for p in problems]}"
    return hits[0]


def assert_problem(
    problems: list[Problem], path: Path, key_path: str, line: int, *words: str
) -> None:
    problem = find(problems, path, key_path)
    assert f"第{line}行" in problem.where, str(problem)
    for word in words:
        assert word in problem.message, str(problem)


def broken(tmp_path: Path, old: str, new: str, nth: int = 0) -> tuple[Path, str]:
    """GOOD_PLAN with the ``nth`` occurrence of ``old`` replaced, written to a file."""
    parts = GOOD_PLAN.split(old)
    assert len(parts) > nth + 1, f"{old!r} occurs fewer than {nth + 1} times"
    text = old.join(parts[: nth + 1]) + new + old.join(parts[nth + 1 :])
    return write(tmp_path, text), text


# ---- a valid plan ----------------------------------------------------------------------------


def test_good_plan_loads_with_its_values(tmp_path):
    plan = load_plan_file(write(tmp_path, GOOD_PLAN))
    assert plan.id == "test-plan"
    assert (plan.start, plan.end) == (date(2023, 1, 1), date(2025, 12, 31))
    a01, a02 = plan.indicators
    assert a01.baseline.year == 2022 and a01.baseline.value == 78
    assert a02.targets == {2024: 95.5, 2025: 97}
    assert a02.attribute == "约束性" and a02.is_percent and not a01.is_percent
    assert (a02.first_target_year, a02.final_year, a02.final_target) == (2024, 2025, 97)
    assert plan.indicator("A02") is a02
    assert plan.tasks[0].cooperating == ["市发改委", "市科技局"]
    assert plan.departments() == ["市市场监管局", "市人社局"]
    assert plan.thresholds.severe_gap_pp == 20


# ---- one test per validation rule ------------------------------------------------------------


def test_duplicate_indicator_id(tmp_path):
    path, text = broken(tmp_path, "id: A02", "id: A01")
    assert_problem(problems_of(path), path, "indicators[1].id", line_of(text, "id: A01", 1), "重复")


def test_duplicate_task_id(tmp_path):
    path, text = broken(tmp_path, "id: T02", "id: T01")
    assert_problem(
        problems_of(path), path, "tasks[1].id", line_of(text, "id: T01", 1), "T01", "重复"
    )


@pytest.mark.parametrize("year", [2022, 2026])
def test_target_year_outside_plan_period(tmp_path, year):
    path, text = broken(tmp_path, "targets: {2024: 95.5, 2025: 97}", f"targets: {{{year}: 97}}")
    problems = problems_of(path)
    assert_problem(
        problems, path, "indicators[1].targets", line_of(text, f"{year}: 97"), str(year), "规划期"
    )


@pytest.mark.parametrize("year", [2024, 2025])
def test_baseline_year_not_before_first_target(tmp_path, year):
    path, text = broken(
        tmp_path, "baseline: {year: 2022, value: 94}", f"baseline: {{year: {year}, value: 94}}"
    )
    problems = problems_of(path)
    assert_problem(
        problems,
        path,
        "indicators[1].baseline.year",
        line_of(text, f"year: {year}"),
        "基期年份",
        "2024",
    )


@pytest.mark.parametrize("value", ['"80项"', '""', "true", ".nan", "[80]"])
def test_non_numeric_target(tmp_path, value):
    path, text = broken(tmp_path, "targets: {2025: 80}", f"targets: {{2025: {value}}}")
    problems = problems_of(path)
    assert_problem(problems, path, "indicators[0].targets[2025]", line_of(text, value), "数字")


def test_non_numeric_baseline_value(tmp_path):
    path, text = broken(tmp_path, "value: 78", "value: 七十八")
    problems = problems_of(path)
    assert_problem(problems, path, "indicators[0].baseline.value", line_of(text, "七十八"), "数字")


def test_non_numeric_target_year(tmp_path):
    path, text = broken(tmp_path, "targets: {2025: 80}", "targets: {二〇二五: 80}")
    problems = problems_of(path)
    assert_problem(
        problems, path, "indicators[0].targets.二〇二五", line_of(text, "二〇二五"), "整数"
    )


def test_unknown_method(tmp_path):
    path, text = broken(tmp_path, "method: level", "method: total", nth=1)
    problems = problems_of(path)
    assert_problem(
        problems,
        path,
        "indicators[1].method",
        line_of(text, "method: total"),
        "cumulative",
        "reverse",
    )


def test_unknown_attribute(tmp_path):
    path, text = broken(tmp_path, "attribute: 预期性", "attribute: 指导性")
    problems = problems_of(path)
    assert_problem(
        problems, path, "indicators[0].attribute", line_of(text, "指导性"), "预期性", "约束性"
    )


@pytest.mark.parametrize("unit", ['"%"', '"％"'])
def test_percent_target_over_100(tmp_path, unit):
    text = GOOD_PLAN.replace('unit: "%"', f"unit: {unit}").replace("2025: 97}", "2025: 101}")
    path = write(tmp_path, text)
    problems = problems_of(path)
    assert_problem(problems, path, "indicators[1].targets", line_of(text, "2025: 101"), "%", "100")


def test_percent_baseline_below_zero(tmp_path):
    path, text = broken(tmp_path, "value: 94", "value: -3")
    problems = problems_of(path)
    assert_problem(
        problems, path, "indicators[1].baseline.value", line_of(text, "value: -3"), "0 到 100"
    )


def test_unit_that_says_otherwise_allows_over_100(tmp_path):
    text = GOOD_PLAN.replace('unit: "%"', 'unit: "%（同比增长）"').replace(
        "2025: 97}", "2025: 120}"
    )
    plan = load_plan_file(write(tmp_path, text))
    assert plan.indicator("A02").final_target == 120


@pytest.mark.parametrize(
    ("old", "new", "key_path"),
    [
        ("name: 市级最高计量标准", 'name: ""', "indicators[0].name"),
        ("name: 全市强检计量器具检定覆盖率", 'name: "   "', "indicators[1].name"),
        ("title: 加强计量人才队伍建设", 'title: ""', "tasks[1].title"),
        ("title: 测试市计量发展实施方案", "title: ' '", "title"),
    ],
)
def test_empty_names(tmp_path, old, new, key_path):
    path, text = broken(tmp_path, old, new)
    assert_problem(problems_of(path), path, key_path, line_of(text, new), "不能为空")


def test_missing_name(tmp_path):
    path, text = broken(tmp_path, "    name: 市级最高计量标准\n", "")
    problems = problems_of(path)
    # A missing key is reported on the line of the mapping that lacks it.
    assert_problem(problems, path, "indicators[0].name", line_of(text, "- id: A01"), "缺少")


def test_unknown_key_is_named(tmp_path):
    path, text = broken(tmp_path, "unit: 项", "unit: 项\n    unti: 项")
    assert_problem(
        problems_of(path), path, "indicators[0].unti", line_of(text, "unti"), "不认识的键"
    )


def test_end_before_start(tmp_path):
    path, text = broken(tmp_path, "end: 2025-12-31", "end: 2022-12-31")
    assert_problem(problems_of(path), path, "end", line_of(text, "end: 2022"), "早于")


def test_every_problem_is_listed(tmp_path):
    text = (
        GOOD_PLAN.replace("id: A02", "id: A01")
        .replace("targets: {2025: 80}", "targets: {2027: 80}")
        .replace("2025: 97}", "2025: 197}")
        .replace("id: T02", "id: T01")
    )
    path = write(tmp_path, text)
    problems = problems_of(path)
    for key_path in (
        "indicators[1].id",
        "indicators[0].targets",
        "indicators[1].targets",
        "tasks[1].id",
    ):
        find(problems, path, key_path)
    assert len(problems) == 4


def test_every_type_problem_is_listed(tmp_path):
    text = GOOD_PLAN.replace("method: level", "method: stock").replace("value: 78", "value: 很多")
    path = write(tmp_path, text)
    problems = problems_of(path)
    for key_path in (
        "indicators[0].method",
        "indicators[1].method",
        "indicators[0].baseline.value",
    ):
        find(problems, path, key_path)


# ---- broken files ------------------------------------------------------------------------------


def test_yaml_syntax_error_names_file_and_line(tmp_path):
    text = GOOD_PLAN.replace("lead: [市市场监管局]", "lead: [市市场监管局", 1)
    path = write(tmp_path, text)
    (problem,) = problems_of(path)
    assert str(path) in problem.where
    # PyYAML reports an unclosed flow sequence where it notices it: the bad line or the next.
    bad = line_of(text, "lead: [市市场监管局")
    assert any(f"第{n}行" in problem.where for n in (bad, bad + 1)), str(problem)
    assert "YAML 格式错误" in problem.message


def test_tab_indentation_names_line(tmp_path):
    text = PLAN_HEAD + "indicators:\n\t- id: A01\n"
    path = write(tmp_path, text)
    (problem,) = problems_of(path)
    assert f"{path} 第{line_of(text, '- id: A01')}行" in problem.where


def test_gb18030_file_is_refused_with_line(tmp_path):
    path = tmp_path / "gbk.yaml"
    path.write_bytes(GOOD_PLAN.encode("gb18030"))
    (problem,) = problems_of(path)
    # The first non-ASCII character is on the title line.
    assert problem.where == f"{path} 第{line_of(GOOD_PLAN, 'title:')}行"
    assert "UTF-8" in problem.message


def test_utf8_bom_is_accepted(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD_PLAN.encode("utf-8"))
    assert load_plan_file(path).id == "test-plan"


@pytest.mark.parametrize("content", ["", "   \n\n", "# 只有注释\n"])
def test_empty_file(tmp_path, content):
    path = write(tmp_path, content)
    (problem,) = problems_of(path)
    assert problem.where == f"{path} 第1行"
    assert "内容" in problem.message


@pytest.mark.parametrize("content", ["- a\n- b\n", "仅一行文字\n", "42\n"])
def test_top_level_must_be_a_mapping(tmp_path, content):
    path = write(tmp_path, content)
    (problem,) = problems_of(path)
    assert problem.where == f"{path} 第1行"
    assert "映射" in problem.message


def test_missing_file_is_a_plan_error(tmp_path):
    path = tmp_path / "nope.yaml"
    (problem,) = problems_of(path)
    assert str(path) in problem.where and "无法读取" in problem.message


def test_duplicate_yaml_key_is_refused(tmp_path):
    path, text = broken(tmp_path, "targets: {2025: 80}", "targets: {2025: 80, 2025: 90}")
    (problem,) = problems_of(path)
    assert problem.where == f"{path} 第{line_of(text, '2025: 90')}行 indicators[0].targets[2025]"
    assert "两次" in problem.message


def test_yaml_anchors_are_refused(tmp_path):
    path, text = broken(
        tmp_path, "baseline: {year: 2022, value: 78}", "baseline: &b {year: 2022, value: 78}"
    )
    (problem,) = problems_of(path)
    assert f"第{line_of(text, '&b')}行" in problem.where and "锚点" in problem.message


def test_impossible_date_is_a_plan_error(tmp_path):
    path, text = broken(tmp_path, "start: 2023-01-01", "start: 2023-13-01")
    assert_problem(problems_of(path), path, "start", line_of(text, "2023-13-01"), "日期")


# ---- JSON plans and the interchange structure --------------------------------------------------


def test_json_plan_loads_and_equals_yaml(tmp_path):
    plan = load_plan_file(write(tmp_path, GOOD_PLAN))
    data = plan.to_data()
    assert data["start"] == "2023-01-01"
    assert data["indicators"][1]["targets"] == {"2024": 95.5, "2025": 97}
    json_path = write(tmp_path, json.dumps(data, ensure_ascii=False, indent=2), "plan.json")
    again = load_plan_file(json_path)
    assert again == plan
    assert again.content_hash == plan.content_hash


def test_json_syntax_error_names_line(tmp_path):
    text = '{\n  "id": "test-plan",\n  "title": \n}\n'
    path = write(tmp_path, text, "plan.json")
    (problem,) = problems_of(path)
    assert problem.where == f"{path} 第4行" and "JSON" in problem.message


def test_json_validation_error_names_key_path(tmp_path):
    data = load_plan_file(write(tmp_path, GOOD_PLAN)).to_data()
    data["indicators"][0]["targets"] = {"2030": 80}
    path = write(tmp_path, json.dumps(data, ensure_ascii=False), "plan.json")
    problem = find(problems_of(path), path, "indicators[0].targets")
    assert "2030" in problem.message


# ---- content hash --------------------------------------------------------------------------------


def test_content_hash_is_stable(tmp_path):
    first = load_plan_file(write(tmp_path, GOOD_PLAN))
    # Comments and layout do not change the content.
    second = load_plan_file(write(tmp_path, "# 注释\n" + GOOD_PLAN, "other.yaml"))
    assert first.content_hash == second.content_hash
    assert len(first.content_hash) == 64


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("targets: {2025: 80}", "targets: {2025: 81}"),
        ("targets: {2024: 95.5, 2025: 97}", "targets: {2024: 95.6, 2025: 97}"),
        ("cooperating: [市发改委, 市科技局]", "cooperating: [市科技局, 市发改委]"),
        ("attribute: 约束性", "attribute: 预期性"),
    ],
)
def test_content_hash_changes_with_content(tmp_path, old, new):
    before = load_plan_file(write(tmp_path, GOOD_PLAN))
    path, _ = broken(tmp_path, old, new)
    assert load_plan_file(path).content_hash != before.content_hash


@pytest.mark.parametrize("count", [0, 1, 1201])
def test_canonical_json_written_in_parts_is_the_whole_dump(tmp_path, count):
    """Large plans are written a few hundred indicators at a time: the same text, the same
    hash, whichever of the two is asked for first."""
    data = load_plan_file(write(tmp_path, GOOD_PLAN)).to_data()
    data["indicators"] = [
        {**data["indicators"][n % 2], "id": f"X{n}", "note": '"indicators": []'}
        for n in range(count)
    ]
    whole = json.dumps(data, ensure_ascii=False, sort_keys=True)
    path = write(tmp_path, json.dumps(data, ensure_ascii=False), "big.json")
    hashed_first, dumped_first = load_plan_file(path), load_plan_file(path)
    expected = hashlib.sha256(whole.encode("utf-8")).hexdigest()
    assert hashed_first.content_hash == expected and hashed_first.canonical_json == whole
    assert dumped_first.canonical_json == whole and dumped_first.content_hash == expected


# ---- load_plan: catalog id or path ---------------------------------------------------------------


def test_load_plan_by_path_and_by_catalog_id(tmp_path, monkeypatch):
    folder = tmp_path / "plans"
    folder.mkdir()
    path = write(folder, GOOD_PLAN, "test-plan.yaml")
    monkeypatch.setenv("REPORTGEN_PLANS", str(folder))
    assert load_plan(path) == load_plan("test-plan")


def test_load_plan_unknown_id_lists_known_ids():
    with pytest.raises(PlanError) as info:
        load_plan("no-such-plan")
    message = str(info.value)
    assert "no-such-plan" in message and "zhoushan-2023-metrology" in message


def test_load_plan_missing_path(tmp_path):
    with pytest.raises(PlanError) as info:
        load_plan(tmp_path / "missing.yaml")
    assert "找不到方案文件" in str(info.value)
