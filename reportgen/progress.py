"""The progress engine: completion, 序时进度, status and projections for each indicator.

The arithmetic lives in reportgen.schedule; docs/progress.md states the rules for users.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import MISSING, asdict, dataclass, field, fields, replace
from datetime import date
from functools import lru_cache
from typing import Any, get_args

from reportgen import schedule
from reportgen.periods import Period
from reportgen.plan import Indicator, Plan, Task
from reportgen.records import DataProblem, Dataset, TaskRecord, ValueRecord
from reportgen.schedule import Status

STATUSES: tuple[Status, ...] = get_args(Status)
LAGGING: tuple[Status, ...] = ("滞后", "严重滞后")
TASK_SEVERITY = ("滞后", "未启动", "推进中", "已完成")  # most severe first
TEXT_JOINER = "；"
PROJECTION_NOTES = {
    "linear": "按规划起点以来的平均进度",
    "annualized": "按本年已过时间折算全年",
    "actual": "规划期已满，按实际值",
}
PERCENT_MAX = 100.0
BOUND_NOTES = {
    "upper": "，已按不超过100%计",
    "lower": "，已按不低于0计",
    "actual": "，已按不低于当前值计",
}


@dataclass(frozen=True)
class IndicatorProgress:
    """One indicator's figures at the as-of date (all ratios unrounded; 1.0 = 100%).

    ``target``/``expected``/``completion``/``time_progress``/``gap_pp`` are those of the current
    interval [P, T] (P = ``interval_start_*``); ``final_completion`` (= 规划目标完成率) and
    ``plan_time_progress`` those of [start point, final target]. Fields after ``source`` were
    added later and have defaults, so figures archived before them still load.
    """

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
    interval_start_date: date | None = None
    interval_start_value: float | None = None
    plan_time_progress: float | None = None
    projection_method: str | None = None
    projection_note: str = ""
    projection_reason: str | None = None
    integral: bool = False

    def archived(self) -> IndicatorProgress:
        """These figures as the archive keeps them: the fields after ``source`` at defaults."""
        return replace(self, **LATER_DEFAULTS)

    @property
    def shortfall(self) -> float | None:
        """How far the value is from the current target, in the unit (None when met or blank)."""
        if self.actual is None or self.status == "已完成":
            return None
        reverse = self.method == "reverse"
        return self.actual - self.target if reverse else self.target - self.actual


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
    short_title: str = ""
    reporting_office: str = ""

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
            short_title=plan.short_title or "",
            reporting_office=plan.reporting_office or "",
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
    data_problems: tuple[DataProblem, ...] = ()  # the returns' problems, for the report's annex

    @property
    def as_of(self) -> date:
        return self.period.as_of

    @property
    def summary(self) -> dict[str, int]:
        """Counts per status, plus total and binding_alerts."""
        counts: dict[str, int] = {s: sum(i.status == s for i in self.indicators) for s in STATUSES}
        alerts = sum(i.binding_alert for i in self.indicators)
        return {"total": len(self.indicators), **counts, "binding_alerts": alerts}

    def to_json(self) -> dict[str, Any]:
        """The `reportgen progress --json` structure (unrounded floats)."""
        indicators = [indicator_json(i) for i in self.indicators]
        return {
            "plan": self.plan.id,
            "period": self.period.key,
            "period_label": self.period.label,
            "as_of": self.as_of.isoformat(),
            "indicators": indicators,
            "tasks": [asdict(t) for t in self.tasks],
            "summary": self.summary,
        }


def indicator_json(ind: IndicatorProgress) -> dict[str, Any]:
    """One indicator of `progress --json`: the fields, P as ``interval_start`` {date, value}."""
    data = {k: v for k, v in asdict(ind).items() if k != "category"}
    day = data.pop("interval_start_date")
    value = data.pop("interval_start_value")
    data["interval_start"] = {"date": day.isoformat() if day else None, "value": value}
    data["plan_completion"] = ind.final_completion
    return data


def compute_progress(
    plan: Plan,
    dataset: Dataset,
    period: Period,
    severe_gap_pp: float | None = None,
    history: Mapping[str, Sequence[tuple[date, float]]] | None = None,
) -> ProgressResult:
    """Progress of every indicator and task of ``plan`` at ``period.as_of``.

    ``severe_gap_pp`` (the 严重滞后 threshold in percentage points) overrides
    ``plan.thresholds.severe_gap_pp``. ``history`` holds each indicator's archived values
    (date, value) of earlier periods: `level` projections follow their trend.
    """
    severe = plan.thresholds.severe_gap_pp if severe_gap_pp is None else severe_gap_pp
    start, as_of, values = plan.start, period.as_of, dataset.values
    past = history or {}
    invalid = {p.item for p in dataset.problems if p.error}
    indicators = [
        indicator_progress(
            ind,
            start,
            as_of,
            values.get(ind.id),
            severe,
            [(d.toordinal(), v) for d, v in past.get(ind.id, ())],
            ind.id in invalid,
        )
        for ind in plan.indicators
    ]
    tasks = [task_progress(task, dataset.tasks.get(task.id, [])) for task in plan.tasks]
    return ProgressResult(
        PlanFacts.of(plan), period, indicators, tasks, float(severe), tuple(dataset.problems)
    )


def indicator_progress(
    ind: Indicator,
    plan_start: date,
    as_of: date,
    record: ValueRecord | None,
    severe_gap_pp: float,
    history: Sequence[tuple[int, float]] = (),
    invalid: bool = False,
) -> IndicatorProgress:
    """One indicator's figures at ``as_of`` from its reported value (None = 未填报).

    ``history``: (day ordinal, value) of archived earlier periods, for `level` projections.
    ``invalid``: the value had an error and was left out (drafting despite errors).
    """
    reverse = ind.method == "reverse"
    sched = schedule.schedule_at(ind, plan_start, as_of)
    day = as_of.toordinal()
    f = schedule.time_progress(sched, day)
    final_target = float(ind.final_target)
    final_day = schedule.year_end(ind.final_year)
    actual = None if record is None or record.value is None else float(record.value)
    completion = gap_pp = final_completion = at_risk = None
    status: Status = "未填报"
    projection = schedule.Projection(None, None, "invalid" if invalid else "no_data")
    if actual is not None:
        completion = schedule.share(actual, sched.previous, sched.target)
        gap_pp = None if completion is None else (f - completion) * 100
        met = schedule.is_met(actual, sched.target, reverse)
        status = schedule.status_of(met, completion, f, severe_gap_pp)
        final_completion = schedule.share(actual, sched.start_value, final_target)
        projection = project(ind, sched, day, actual, final_day, history)
        if projection.value is not None:
            at_risk = not schedule.is_met(projection.value, final_target, reverse)
    return _indicator_progress(
        ind.id,
        ind.name,
        ind.category,
        ind.unit,
        ind.attribute,
        ind.method,
        actual,
        sched.target,
        sched.target_year,
        schedule.expected_value(sched, f),
        completion,
        f,
        gap_pp,
        status,
        ind.attribute == "约束性" and status in LAGGING,
        final_target,
        final_completion,
        projection.value,
        at_risk,
        record.source if record is not None else None,
        date.fromordinal(sched.previous_day),
        sched.previous,
        f if ind.method == "annual" else schedule.elapsed_share(sched.start_day, final_day, day),
        projection.method,
        projection_note(projection.method, projection.periods, projection.bound),
        projection.reason,
        ind.is_integral,
    )


def project(
    ind: Indicator,
    sched: schedule.Schedule,
    day: int,
    actual: float,
    final_day: int,
    history: Sequence[tuple[int, float]],
) -> schedule.Projection:
    """The final-year projection by the indicator's method, bounded by what its unit allows."""
    if ind.method == "annual":
        projection = schedule.annualized_projection(sched, day, actual)
    elif ind.method == "level":
        projection = schedule.level_projection(history, day, actual, final_day)
    else:
        projection = schedule.linear_projection(sched, day, actual, final_day)
    high = PERCENT_MAX if ind.is_percent else None
    if ind.method == "cumulative":  # never below what is already reached
        return schedule.bounded(projection, actual, high, "actual")
    floor_at_zero = ind.is_percent or ind.is_integral or ind.method != "reverse"
    return schedule.bounded(projection, 0.0 if floor_at_zero else None, high)


@lru_cache(maxsize=64)
def projection_note(method: str | None, periods: int, bound: str | None) -> str:
    """The note shown beside a projection: how it was made, and any bound applied."""
    if method is None:
        return ""
    if method == "trend":
        note = f"按近{periods}期趋势"
    elif method == "current":
        note = f"仅{'一两'[periods - 1]}期数据，按当前水平"
    else:
        note = PROJECTION_NOTES[method]
    if bound is not None:
        note += BOUND_NOTES[bound]
    return note


_FIELDS = tuple(f.name for f in fields(IndicatorProgress))
LATER_DEFAULTS = {f.name: f.default for f in fields(IndicatorProgress) if f.default is not MISSING}
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
    reported = [(r.department, r.status) for r in records if r.status]
    lead = [status for department, status in reported if department in task.lead]
    if lead:
        return lead[0]
    rank = {name: n for n, name in enumerate(TASK_SEVERITY)}
    return min((s for _, s in reported), key=lambda s: rank.get(s, len(rank)), default=None)


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
