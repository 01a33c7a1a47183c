"""Who reports what stays linear in the plan's size."""

from __future__ import annotations

from reportgen.plan import Plan
from reportgen.plan import model as plan_model
from reportgen.plan.units import coordinating_department, reporting_units
from tests.support.intake_builders import plan_data


def test_coordinator_is_worked_out_once_per_plan(monkeypatch):
    data = plan_data()
    for indicator in data["indicators"]:
        indicator["lead"] = []  # every indicator falls to the coordinating department
    plan = Plan.model_validate(data)
    calls: list[str | None] = []

    def counted(p: Plan) -> str | None:
        calls.append(coordinating_department(p))
        return calls[-1]

    monkeypatch.setattr(plan_model, "coordinating_department", counted)
    units = reporting_units(plan)
    assert calls == [coordinating_department(plan)]
    assert units[0] == calls[0]
