"""Comparing periods: per-indicator change between two sets of figures, and history over periods.

Pure functions over IndicatorProgress: ``indicator_changes`` backs ``Archive.diff``
(``reportgen archive diff``); ``History`` backs ``archive history`` and the midterm report's
quarterly table. A report's 较上期 columns are worked out in render/context.py from the previous
snapshot's figures, not here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from reportgen.periods import Period
from reportgen.progress import IndicatorProgress
from reportgen.schedule import Status


@dataclass(frozen=True)
class IndicatorChange:
    """One indicator from ``before`` to ``after``; a change is None when either side is missing.

    ``value_change`` is in the indicator's unit; ``completion_change_pp`` in percentage points
    (completion 0.80 -> 0.85 is +5.0). A status is None when the indicator is absent on that side.
    """

    id: str
    name: str
    unit: str
    actual_before: float | None
    actual_after: float | None
    value_change: float | None
    completion_before: float | None
    completion_after: float | None
    completion_change_pp: float | None
    status_before: Status | None
    status_after: Status | None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _difference(before: float | None, after: float | None) -> float | None:
    return None if before is None or after is None else after - before


def indicator_change(
    before: IndicatorProgress | None, after: IndicatorProgress | None
) -> IndicatorChange:
    """The change of one indicator (at least one side must be given)."""
    named = after or before
    if named is None:
        raise ValueError("indicator_change needs at least one side")
    actual = (before.actual if before else None, after.actual if after else None)
    completion = (before.completion if before else None, after.completion if after else None)
    completion_change = _difference(*completion)
    return IndicatorChange(
        id=named.id,
        name=named.name,
        unit=named.unit,
        actual_before=actual[0],
        actual_after=actual[1],
        value_change=_difference(*actual),
        completion_before=completion[0],
        completion_after=completion[1],
        completion_change_pp=None if completion_change is None else completion_change * 100,
        status_before=before.status if before else None,
        status_after=after.status if after else None,
    )


def indicator_changes(
    before: Iterable[IndicatorProgress], after: Iterable[IndicatorProgress]
) -> list[IndicatorChange]:
    """Every indicator in ``after`` (in its order), then those only in ``before``."""
    old = {i.id: i for i in before}
    new = {i.id: i for i in after}
    ids = [*new, *(i for i in old if i not in new)]
    return [indicator_change(old.get(i), new.get(i)) for i in ids]


@dataclass(frozen=True)
class HistoryPoint:
    """One archived period (its latest version) with every indicator's figures."""

    period: Period
    version: int
    indicators: dict[str, IndicatorProgress]


@dataclass(frozen=True)
class History:
    """Indicator × period: the latest version of each archived period, in period order."""

    plan_id: str
    points: tuple[HistoryPoint, ...]

    def indicator_ids(self) -> list[str]:
        """Every indicator id, in order of first appearance."""
        return list(dict.fromkeys(i for p in self.points for i in p.indicators))

    def names(self) -> dict[str, str]:
        """Indicator id -> name (the latest period's name wins)."""
        return {i: p.indicators[i].name for p in self.points for i in p.indicators}

    def series(self, indicator_id: str) -> list[tuple[Period, IndicatorProgress | None]]:
        """One indicator over the periods (None where a period lacks it)."""
        return [(p.period, p.indicators.get(indicator_id)) for p in self.points]

    def to_json(self) -> dict[str, Any]:
        return {
            "plan": self.plan_id,
            "periods": [
                {
                    "period": p.period.key,
                    "period_label": p.period.label,
                    "as_of": p.period.as_of.isoformat(),
                    "version": p.version,
                    "indicators": {i: _json(v) for i, v in p.indicators.items()},
                }
                for p in self.points
            ],
        }


def _json(progress: IndicatorProgress) -> dict[str, Any]:
    return {k: v for k, v in asdict(progress).items() if k != "id"}


def period_order(period: Period) -> tuple[int, int]:
    """Sort key: by end date; when two end together the shorter first (2024-Q4 before 2024)."""
    return period.end.toordinal(), -period.start.toordinal()
