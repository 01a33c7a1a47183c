"""Who reports what: placeholders, member groups, indicator leads and the catalog's department data."""

from __future__ import annotations

import re

import pytest

from reportgen.errors import PlanError
from reportgen.plan import Plan, load_plan
from reportgen.plan.units import (
    coordinating_department,
    expand_units,
    indicator_reporters,
    is_placeholder,
    reporting_units,
    task_units,
    unassigned,
    unresolved_groups,
)
from tests.support.intake_builders import plan_data
from tests.support.seeds import CATALOG_IDS, SEEDS, needs_seeds


def _plan(**changes) -> Plan:
    data = plan_data()
    data.update(changes)
    return Plan.model_validate(data)


@pytest.mark.parametrize(
    "name", ["市政府有关部门", "各有关单位", "市直各部门", "相关部门", "各级政府", "其他有关单位"]
)
def test_placeholders(name):
    assert is_placeholder(name)


@pytest.mark.parametrize("name", ["市科技局", "各区县政府", "国网青岛供电公司", "市委军民融合办"])
def test_not_placeholders(name):
    assert not is_placeholder(name)


def test_group_expands_to_its_members_and_placeholders_drop_out():
    plan = _plan(
        members=[
            {"name": "各区县政府", "members": ["历下区政府", "市中区政府"], "source_ref": "附件"}
        ]
    )
    names = ["市科技局", "各区县政府", "市政府有关部门", "市科技局"]
    assert expand_units(plan, names) == ["市科技局", "历下区政府", "市中区政府"]


def test_unlisted_group_is_reported_not_expanded():
    data = plan_data()
    data["tasks"][0]["cooperating"] = ["各县（区）政府", "市政府有关部门"]
    plan = Plan.model_validate(data)
    assert unresolved_groups(plan) == ["各县（区）政府"]
    assert task_units(plan, plan.tasks[0]) == ["市市场监管局"]


def test_indicator_value_comes_from_its_lead_only():
    data = plan_data()
    data["indicators"][0].update(lead=["市人社局"], cooperating=["市科技局"])
    plan = Plan.model_validate(data)
    first = plan.indicators[0]
    assert first.departments == ["市人社局", "市科技局"]
    assert indicator_reporters(plan, first) == ["市人社局"]


def test_placeholder_lead_falls_to_the_coordinating_department():
    data = plan_data()
    data["tasks"][2]["lead"] = ["市政府有关部门"]
    for indicator in data["indicators"]:
        indicator["lead"] = []
    plan = Plan.model_validate(data)
    assert coordinating_department(plan) == "市市场监管局"
    assert task_units(plan, plan.tasks[2]) == ["市市场监管局"]
    assert indicator_reporters(plan, plan.indicators[0]) == ["市市场监管局"]
    assert unassigned(plan) == [*(i.id for i in plan.indicators), "T3"]
    assert "市政府有关部门" not in reporting_units(plan)


def test_member_list_must_name_real_units():
    with pytest.raises(PlanError, match=r"members\[0\]\.members\[1\]"):
        _plan(
            members=[
                {"name": "各区县政府", "members": ["历下区政府", "有关部门"], "source_ref": "x"}
            ]
        )


# ---- the catalog -------------------------------------------------------------------------------

_TASK_REF = re.compile(r"^任务 (T\d+)（")


@pytest.mark.parametrize("plan_id", CATALOG_IDS)
def test_every_catalog_indicator_has_a_real_lead_with_its_reason(plan_id):
    plan = load_plan(plan_id)
    tasks = {t.id: t for t in plan.tasks}
    for indicator in plan.indicators:
        assert indicator.lead and not any(is_placeholder(d) for d in indicator.lead), indicator.id
        assert indicator.departments_ref, indicator.id
        derived = _TASK_REF.match(indicator.departments_ref)
        if derived:  # the source is silent: the lead of the task the indicator belongs to
            assert indicator.lead == tasks[derived[1]].lead[:1], indicator.id
            assert "所属任务的牵头单位" in (plan.note or "")
    assert "市政府有关部门" not in reporting_units(plan)
    assert "市政府有关部门" not in plan.departments()  # never listed as 尚未报送


@needs_seeds
def test_shandong_lead_is_named_by_the_source():
    plan = load_plan("shandong-2013-metrology")
    text = (SEEDS / plan.source).read_text(encoding="utf-8")
    assert "省质监局会同有关部门" in text and "由质监部门牵头" in text
    assert {tuple(i.lead) for i in plan.indicators} == {("省质监局",)}
    assert {i.departments_ref for i in plan.indicators} == {"三、（一）（四）"}
