"""The progress engine: completion, 序时进度, status and projections for each indicator.

The arithmetic lives in reportgen.schedule; docs/progress.md states the rules for users.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from typing import Any, get_args

from reportgen import schedule
from reportgen.periods import Period
from reportgen.plan import Indicator, Plan, Task
from reportgen.records import Dataset, TaskRecord, ValueRecord
from reportgen.schedule import Status

STATUSES: tuple[Status, ...] = get_args(Status)
LAGGING: tuple[Status, ...] = ("滞后", "严重滞后")
TASK_SEVERITY = ("滞后", "未启动", "推进中", "已完成")  # most severe first
TEXT_JOINER = "；"


@dataclass(frozen=True)
class IndicatorProgress:
    """One indicator's figures at the as-of date (all ratios unrounded; 1.0 = 100%)."""

    id: str
    name: str
    category: str | None
    unit: str
    attribute: str
    method: str
    actual: float | None
    target: float
    target_year: int
    expected: float
    completion: float | None
    time_progress: float
    gap_pp: float | None
    status: Status
    binding_alert: bool
    final_target: float
    final_completion: float | None
    projected_final: float | None
    at_risk: bool | None
    source: str | None


@dataclass(frozen=True)
class TaskProgress:
    """A key task with the reported progress texts merged across departments."""

    id: str
    title: str
    lead: list[str]
    status: str | None
    progress: str
    problems: str
    next_steps: str


@dataclass(frozen=True)
class PlanFacts:
    """What a report says about the plan itself, copied from it when progress is computed.

    ``final_years`` and ``leads`` map each indicator id to the year of its last target and to
    its lead departments.
    """

    id: str
    title: str
    issuer: str
    start: date
    end: date
    final_years: Mapping[str, int] = field(default_factory=dict)
    leads: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, plan: Plan) -> PlanFacts:
        return cls(
            plan.id,
            plan.title,
            plan.issuer,
            plan.start,
            plan.end,
            {i.id: i.final_year for i in plan.indicators},
            {i.id: tuple(i.lead) for i in plan.indicators},
        )


@dataclass(frozen=True)
class ProgressResult:
    """Everything a report shows about one plan at one period: the whole contract to render.

    ``severe_gap_pp`` is the 严重滞后 threshold actually applied to the statuses.
    """

    plan: PlanFacts
    period: Period
    indicators: list[IndicatorProgress]
    tasks: list[TaskProgress]
    severe_gap_pp: float

    @property
    def as_of(self) -> date:
        return self.period.as_of

    @property
    def summary(self) -> dict[str, int]:
        """Counts per status, plus total and binding_alerts."""
        counts = {s: sum(i.status == s for i in self.indicators) for s in STATUSES}
        alerts = sum(i.binding_alert for i in self.indicators)
        return {"total": len(self.indicators), **counts, "binding_alerts": alerts}

    def to_json(self) -> dict[str, Any]:
        """The `reportgen progress --json` structure (unrounded floats)."""
        indicators = [
            {k: v for k, v in asdict(i).items() if k != "category"} for i in self.indicators
        ]
        return {
            "plan": self.plan.id,
            "period": self.period.key,
            "period_label": self.period.label,
            "as_of": self.as_of.isoformat(),
            "indicators": indicators,
            "tasks": [asdict(t) for t in self.tasks],
            "summary": self.summary,
        }


def compute_progress(
    plan: Plan, dataset: Dataset, period: Period, severe_gap_pp: float | None = None
) -> ProgressResult:
    """Progress of every indicator and task of ``plan`` at ``period.as_of``.

    ``severe_gap_pp`` (the 严重滞后 threshold in percentage points) overrides
    ``plan.thresholds.severe_gap_pp``.
    """
    severe = plan.thresholds.severe_gap_pp if severe_gap_pp is None else severe_gap_pp
    start, as_of, values = plan.start, period.as_of, dataset.values
    indicators = [
        indicator_progress(ind, start, as_of, values.get(ind.id), severe) for ind in plan.indicators
    ]
    tasks = [task_progress(task, dataset.tasks.get(task.id, [])) for task in plan.tasks]
    return ProgressResult(PlanFacts.of(plan), period, indicators, tasks, float(severe))


def indicator_progress(
    ind: Indicator,
    plan_start: date,
    as_of: date,
    record: ValueRecord | None,
    severe_gap_pp: float,
) -> IndicatorProgress:
    """One indicator's figures at ``as_of`` from its reported value (None = 未填报)."""
    method, attribute, targets = ind.method, ind.attribute, ind.targets
    reverse = method == "reverse"
    sched = schedule.schedule_at(ind, plan_start, as_of)
    day = as_of.toordinal()
    s, target = sched.start_value, sched.target
    expected = schedule.expected_value(sched, day)
    time_progress = schedule.share(expected, s, target, reverse)
    final_year = max(targets)
    final_target = float(targets[final_year])
    actual = None if record is None or record.value is None else float(record.value)
    completion = gap_pp = final_completion = projected = at_risk = None
    status: Status = "未填报"
    if actual is not None:
        completion = schedule.share(actual, s, target, reverse)
        gap_pp = (time_progress - completion) * 100
        met = schedule.is_met(actual, target, reverse)
        status = schedule.status_of(met, completion, time_progress, severe_gap_pp)
        final_completion = schedule.share(actual, s, final_target, reverse)
        final_day = schedule.year_end(final_year)
        projected = schedule.projected_final(sched, method == "annual", day, actual, final_day)
        if projected is not None:
            at_risk = not schedule.is_met(projected, final_target, reverse)
    binding_alert = attribute == "约束性" and status in LAGGING
    source = record.source if record is not None else None
    return _indicator_progress(
        ind.id,
        ind.name,
        ind.category,
        ind.unit,
        attribute,
        method,
        actual,
        target,
        sched.target_year,
        expected,
        completion,
        time_progress,
        gap_pp,
        status,
        binding_alert,
        final_target,
        final_completion,
        projected,
        at_risk,
        source,
    )


_FIELDS = tuple(f.name for f in fields(IndicatorProgress))
_new = object.__new__


def _indicator_progress(*values: object) -> IndicatorProgress:
    """IndicatorProgress from its field values in order, without the frozen-dataclass __init__.

    That __init__ makes one object.__setattr__ call per field, a third of compute_progress's
    time on a large plan; filling __dict__ directly gives the same object (equality, hash,
    replace, pickling) in less than half the time. IndicatorProgress has no __post_init__.
    """
    progress = _new(IndicatorProgress)
    progress.__dict__.update(zip(_FIELDS, values, strict=True))
    return progress


def task_progress(task: Task, records: list[TaskRecord]) -> TaskProgress:
    """Merge the departments' reports on one task; lead departments come first."""
    order = {name: n for n, name in enumerate([*task.lead, *task.cooperating])}
    ordered = sorted(records, key=lambda r: order.get(r.department or "", len(order)))
    labelled = len({r.department for r in ordered}) > 1
    return TaskProgress(
        id=task.id,
        title=task.title,
        lead=list(task.lead),
        status=_task_status(task, ordered),
        progress=_joined([(r.department, r.progress) for r in ordered], labelled),
        problems=_joined([(r.department, r.problems) for r in ordered], labelled),
        next_steps=_joined([(r.department, r.next_steps) for r in ordered], labelled),
    )


def _task_status(task: Task, records: list[TaskRecord]) -> str | None:
    """The lead department's status if it gave one, else the most severe reported."""
    reported = [r for r in records if r.status]
    lead = [r.status for r in reported if r.department in task.lead]
    if lead:
        return lead[0]
    rank = {name: n for n, name in enumerate(TASK_SEVERITY)}
    return min((r.status for r in reported), key=lambda s: rank.get(s, len(rank)), default=None)


def _joined(texts: list[tuple[str | None, str]], labelled: bool) -> str:
    """Texts joined with "；", each as 【department】text when several departments reported.

    Trailing "；" is dropped from every part and a closing "。" from all but the last, so the
    joined text reads as one sentence list.
    """
    parts = []
    for department, text in texts:
        text = text.strip().rstrip("；;")
        if text:
            parts.append(f"【{department}】{text}" if labelled and department else text)
    return TEXT_JOINER.join([p.rstrip("。") for p in parts[:-1]] + parts[-1:])
