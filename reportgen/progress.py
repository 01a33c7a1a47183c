"""The progress engine: completion, 序时进度, status and projections for each indicator."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Literal

from reportgen.periods import Period
from reportgen.plan import Plan
from reportgen.records import Dataset

Status = Literal["已完成", "进度正常", "滞后", "严重滞后", "未填报"]
STATUSES: tuple[Status, ...] = ("已完成", "进度正常", "滞后", "严重滞后", "未填报")
LAGGING: tuple[Status, ...] = ("滞后", "严重滞后")


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
class ProgressResult:
    """Everything a report needs about one plan at one period."""

    plan: Plan
    period: Period
    indicators: list[IndicatorProgress]
    tasks: list[TaskProgress]

    @property
    def as_of(self) -> date:
        return self.period.as_of

    @property
    def summary(self) -> dict[str, int]:
        """Counts per status, plus total and binding_alerts."""
        counts = {s: sum(i.status == s for i in self.indicators) for s in STATUSES}
        alerts = sum(i.binding_alert for i in self.indicators)
        return {"total": len(self.indicators), **counts, "binding_alerts": alerts}

    def to_json(self) -> dict:
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
    """Progress of every indicator and task of ``plan`` at ``period.as_of``."""
    raise NotImplementedError
