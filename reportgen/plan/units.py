"""Who reports what: real units behind the names a plan uses for departments.

A plan names departments three ways: a unit ("市科技局"), a group listed in ``Plan.members``
("各区县政府" -> the districts) and a placeholder ("市政府有关部门") that names nobody in
particular. Placeholders never report; groups report through their members; a group the plan
does not list is left out and reported by ``unresolved_groups``.

An indicator's value is reported by its lead units only (one figure per indicator); a task is
reported by its lead and cooperating units. Where a plan names no real lead, the plan's
coordinating department (the unit leading the most tasks and indicators) reports it.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reportgen.plan.model import Indicator, Plan, Task

_PLACEHOLDER = re.compile(r"有关|相关|其他|其它|各部门|各单位|等部门|等单位|^各级")
_GROUP = "各"  # a name starting so stands for a group of units


@cache  # a plan names a few dozen units, over and over
def is_placeholder(name: str) -> bool:
    """True for names such as 市政府有关部门, 各有关单位, 市直各部门: nobody in particular."""
    return bool(_PLACEHOLDER.search(name))


def expand_units(plan: Plan, names: list[str]) -> list[str]:
    """``names`` with groups replaced by their members and placeholders dropped, deduplicated."""
    groups = plan.groups
    units: list[str] = []
    for name in names:
        if name in groups:
            units += groups[name]
        elif not name.startswith(_GROUP) and not is_placeholder(name):
            units.append(name)
    return list(dict.fromkeys(units))


def unresolved_groups(plan: Plan) -> list[str]:
    """Group names (各区县政府 …) the plan uses without listing their members in ``members``."""
    groups = plan.groups
    names = [
        *(d for t in plan.tasks for d in (*t.lead, *t.cooperating)),
        *(d for i in plan.indicators for d in i.departments),
    ]
    return list(
        dict.fromkeys(
            n for n in names if n.startswith(_GROUP) and n not in groups and not is_placeholder(n)
        )
    )


def coordinating_department(plan: Plan) -> str | None:
    """The unit leading the most tasks and indicators (first mentioned on a tie), if any."""
    leads = [
        *(u for t in plan.tasks for u in expand_units(plan, t.lead)),
        *(u for i in plan.indicators for u in expand_units(plan, i.lead)),
    ]
    if not leads:
        return None
    counts = Counter(leads)
    return max(dict.fromkeys(leads), key=lambda u: counts[u])


def indicator_reporters(plan: Plan, indicator: Indicator) -> list[str]:
    """The units that report the indicator's value: its real leads, else the coordinator."""
    units = expand_units(plan, indicator.lead)
    fallback = plan.coordinator
    return units or ([fallback] if fallback else [])


def task_units(plan: Plan, task: Task) -> list[str]:
    """The units that report on a task: its real leads (else the coordinator), then cooperators."""
    leads = expand_units(plan, task.lead)
    fallback = plan.coordinator
    if not leads and fallback:
        leads = [fallback]
    return list(dict.fromkeys([*leads, *expand_units(plan, task.cooperating)]))


def unassigned(plan: Plan) -> list[str]:
    """Ids of indicators and tasks whose plan entry names no real lead (reported by the fallback)."""
    return [
        *(i.id for i in plan.indicators if not expand_units(plan, i.lead)),
        *(t.id for t in plan.tasks if not expand_units(plan, t.lead)),
    ]


def reporting_units(plan: Plan) -> list[str]:
    """Every unit that reports anything for the plan, leads before cooperating units."""
    reporters: dict[tuple[str, ...], list[str]] = {}  # leads as written -> the reporters
    units: list[str] = []
    for indicator in plan.indicators:  # thousands of indicators share a few lead lists
        leads = tuple(indicator.lead)
        if leads not in reporters:
            reporters[leads] = indicator_reporters(plan, indicator)
        units += reporters[leads]
    units += [u for t in plan.tasks for u in task_units(plan, t)]
    unique, leaders = list(dict.fromkeys(units)), set(plan.departments())
    return [u for u in unique if u in leaders] + [u for u in unique if u not in leaders]
