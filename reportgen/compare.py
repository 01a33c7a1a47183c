"""Comparing periods: 较上期 changes and completion history, worked out once per (plan, period).

Pure functions over IndicatorProgress, below both render and archive:

- ``indicator_changes`` backs ``Archive.diff`` (``reportgen archive diff``) and a report's
  较上期 columns and phrases;
- ``History`` backs ``archive history``; ``completion_series`` turns archived periods plus the
  current result into the midterm report's trend;
- ``compare`` builds the one ``Comparison`` the pipeline hands to render for a (plan, period).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from reportgen.periods import Period
from reportgen.progress import IndicatorProgress, ProgressResult
from reportgen.schedule import Status

# One archived period as compare needs it: its key and its indicators' figures.
PastPeriod = tuple[str, Sequence[IndicatorProgress]]


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

    def before(self, period: Period) -> list[PastPeriod]:
        """The points that started before ``period``, as (period key, indicators)."""
        return [
            (p.period.key, tuple(p.indicators.values()))
            for p in self.points
            if p.period.start < period.start
        ]

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


# ---------------------------------------------------------------- one report's comparison


@dataclass(frozen=True)
class CompletionSeries:
    """Completion per period for each indicator of the current result, oldest period first.

    ``periods`` are period keys and end with the current period; ``completion`` maps every
    indicator id of the current result to one value per period (None where it was missing).
    """

    periods: tuple[str, ...]
    completion: Mapping[str, tuple[float | None, ...]]

    def last(self, count: int) -> CompletionSeries:
        """Only the latest ``count`` periods."""
        return CompletionSeries(
            self.periods[-count:], {i: v[-count:] for i, v in self.completion.items()}
        )


@dataclass(frozen=True)
class Comparison:
    """What a report shows beyond the current period.

    ``changes`` is None when there is no archive to compare with (the report says 无上期数据);
    otherwise it has an entry for every indicator of the current result (the change is None
    where the previous period lacks the indicator). ``series`` is None when no history was
    asked for or none exists.
    """

    changes: Mapping[str, IndicatorChange] | None = None
    series: CompletionSeries | None = None
    since: Period | None = None  # the archived period 较上期 compares with

    def change(self, indicator_id: str) -> IndicatorChange | None:
        """The indicator's change (None without an archive or when it was not compared)."""
        return self.changes.get(indicator_id) if self.changes is not None else None


NO_COMPARISON = Comparison()


def compare(
    result: ProgressResult,
    previous: Iterable[IndicatorProgress] | None = None,
    history: Sequence[PastPeriod] | None = None,
    since: Period | None = None,
) -> Comparison:
    """The comparison of ``result`` with the previous period and the archived ``history``.

    ``previous`` is None when there is no archive, an empty iterable when the archive has no
    previous period; ``history`` lists archived periods (oldest first) before the current one.
    """
    changes = None
    if previous is not None:
        before = {i.id: i for i in previous}
        changes = {i.id: indicator_change(before.get(i.id), i) for i in result.indicators}
    series = completion_series(result, history) if history is not None else None
    return Comparison(changes, series, since)


def completion_series(result: ProgressResult, history: Sequence[PastPeriod]) -> CompletionSeries:
    """Completion over ``history`` plus the current period (not doubled when already in it)."""
    periods = [(key, {i.id: i.completion for i in indicators}) for key, indicators in history]
    if not any(key == result.period.key for key, _ in periods):
        periods.append((result.period.key, {i.id: i.completion for i in result.indicators}))
    completion = {i.id: tuple(values.get(i.id) for _, values in periods) for i in result.indicators}
    return CompletionSeries(tuple(key for key, _ in periods), completion)
