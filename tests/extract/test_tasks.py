"""Tasks and their departments in the three conventions (and what is not one)."""

from __future__ import annotations

import pytest

from reportgen.extract.tasks import parse_departments
from reportgen.extract.text import normalise
from tests.support.extract_support import HEAD
from tests.support.extract_support import extract_text as _extract
from tests.support.extract_support import messages as _messages


@pytest.mark.parametrize(
    ("clause", "lead", "cooperating"),
    [
        ("市市场监管局、市科技局依职责分工负责", ["市市场监管局"], ["市科技局"]),
        ("市市场监管局负责", ["市市场监管局"], []),
        (
            "市市场监管局牵头,市科技局、市工业和信息化局配合",
            ["市市场监管局"],
            ["市科技局", "市工业和信息化局"],
        ),
        ("市市场监管局牵头，市政府有关部门依职责分工负责", ["市市场监管局"], ["市政府有关部门"]),
        ("责任单位：市市场监管局、市人社局，列第一位的为牵头单位", ["市市场监管局"], ["市人社局"]),
        (
            "责任部门：市市场监管局、市发改委。列第一位的为牵头单位，下同",
            ["市市场监管局"],
            ["市发改委"],
        ),
        (
            "牵头单位：市发展改革委；配合单位：市财政局、市统计局",
            ["市发展改革委"],
            ["市财政局", "市统计局"],
        ),
        ("责任单位：市财政局、市统计局（牵头）", ["市统计局"], ["市财政局"]),
        (
            "各区县政府及代管镇、街道的功能区管理机构，市政府有关部门依职责分工负责",
            ["各区县政府及代管镇、街道的功能区管理机构"],
            ["市政府有关部门"],
        ),
    ],
)
def test_department_conventions(clause, lead, cooperating):
    parsed = parse_departments(normalise(clause), first_leads=False)
    assert parsed is not None
    assert (list(parsed.lead), list(parsed.cooperating)) == (lead, cooperating)


def test_tasks_use_the_level_that_carries_departments(tmp_path):
    body = HEAD + (
        "一、工作目标\n\n到2025年，体系建立。\n\n二、重点任务\n\n"
        "（一）强化能力提升。\n\n"
        "1.加强标准建设。统筹规划标准。（责任单位：市市场监管局、市发改委。列第一位的为牵头单位，下同）\n\n"
        "2.加强机构建设。深化改革。（责任单位：市市场监管局、市财政局）\n\n"
        "（二）完善监管。\n\n"
        "1.推进执法。\n\n（1）严查违法。\n\n（2）加强队伍。（市市场监管局牵头，市公安局配合）\n\n"
        "三、保障措施\n\n（一）加强组织领导。各部门要高度重视。（市政府有关部门负责）\n"
    )
    plan = _extract(tmp_path, body).plan
    assert [(t.title, t.lead, t.cooperating, t.source_ref) for t in plan.tasks] == [
        ("加强标准建设", ["市市场监管局"], ["市发改委"], "二、（一）1."),
        ("加强机构建设", ["市市场监管局"], ["市财政局"], "二、（一）2."),
        ("推进执法", ["市市场监管局"], ["市公安局"], "二、（二）1."),
    ]
    assert "严查违法" in plan.tasks[2].text and "牵头" not in plan.tasks[2].text


def test_department_text_in_no_known_convention_keeps_the_task_without_lead(tmp_path):
    body = (
        HEAD
        + "一、重点任务\n\n（一）加强宣传。开展宣传。（市委宣传部、市文旅局）\n\n（二）加强培训。开展培训。\n"
    )
    extraction = _extract(tmp_path, body)
    first, second = extraction.plan.tasks
    assert first.lead == [] and second.lead == []
    messages = _messages(extraction)
    assert "无法判断牵头单位" in messages and "没有写责任单位" in messages


def test_task_text_spans_broken_lines_and_a_department_line_of_its_own(tmp_path):
    body = HEAD + (
        "一、重点任务\n\n（一）服务企业发展。强化计量在研发、设\n\n计、试验中的作用。\n\n"
        "（市市场监管局、市工业和信息化局依职责分工负责）\n\n专栏1 服务企业\n\n计量能力建设。提升位次。\n"
    )
    task = _extract(tmp_path, body).plan.tasks[0]
    assert task.text == "强化计量在研发、设计、试验中的作用。"
    assert (task.lead, task.cooperating) == (["市市场监管局"], ["市工业和信息化局"])
