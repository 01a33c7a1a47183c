"""Pure schedule arithmetic for one indicator: points, interval, shares, status and projection.

Dates are handled as ordinals (``date.toordinal()``) so the hot path is plain integer and float
arithmetic. The rules are those of issue 15; docs/progress.md explains them for planning offices.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from datetime import date
from itertools import pairwise
from typing import Literal, NamedTuple

from reportgen.plan import Indicator

Status = Literal["已完成", "进度正常", "滞后", "严重滞后", "未填报"]
TREND_POINTS = 4  # the level trend is fitted over at most this many periods (current included)
MIN_EARLIER = 2  # archived periods needed before the level trend replaces the current value


class Schedule(NamedTuple):
    """Where one as-of date falls in one indicator's schedule (``*_day`` are date ordinals).

    ``start_*`` is the start point s (projection origin, 规划期 start), ``previous`` is P and
    ``target`` is T, the first target point on or after the as-of date (after the last: the last).
    """

    start_value: float
    start_day: int
    previous: float
    previous_day: int
    target: float
    target_day: int
    target_year: int


class Projection(NamedTuple):
    """A projected final value with how it was made, or why there is none.

    ``method``: linear, annualized, trend, current or actual; ``reason`` (no value): no_data or
    not_started; ``bound``: upper, lower or actual when the value was cut to what the unit
    allows (actual: a cumulative total never falls); ``periods``: the points used.
    """

    value: float | None
    method: str | None
    reason: str | None = None
    periods: int = 0
    bound: str | None = None


def year_end(year: int) -> int:
    """The ordinal of 12-31 of ``year`` (= ``date(year, 12, 31).toordinal()``, by arithmetic)."""
    return 365 * year + year // 4 - year // 100 + year // 400


def annual_target(ind: Indicator, year: int) -> float:
    """T_y: the plan's target for ``year``, else linear by year between baseline and targets.

    Before the first anchor (baseline, or first target without one): the first anchor's value;
    after the last target year: the last target.
    """
    if year in ind.targets:
        return float(ind.targets[year])
    anchors = sorted(ind.targets.items())
    if ind.baseline is not None:
        anchors.insert(0, (ind.baseline.year, ind.baseline.value))
    if year <= anchors[0][0]:
        return float(anchors[0][1])
    for (year0, value0), (year1, value1) in pairwise(anchors):
        if year < year1:
            return value0 + (value1 - value0) * (year - year0) / (year1 - year0)
    return float(anchors[-1][1])


def schedule_at(ind: Indicator, plan_start: date, as_of: date) -> Schedule:
    """The current interval [P, T] of ``ind`` at ``as_of``, and its start point s.

    The start point is the baseline at its year end; without one, (day before plan start, 0) for
    cumulative and the first target itself for level and reverse (a level that applies from the
    start). Annual: P = (last year end, 0), T = (this year end, T_y), s = P.
    """
    method, targets, baseline = ind.method, ind.targets, ind.baseline
    if method == "annual":
        year = as_of.year
        last_day = year_end(year - 1)
        return Schedule(
            0.0, last_day, 0.0, last_day, annual_target(ind, year), year_end(year), year
        )
    years = sorted(targets)
    if baseline is not None:
        start_day, start = year_end(baseline.year), float(baseline.value)
    elif method == "cumulative":
        start_day, start = plan_start.toordinal() - 1, 0.0
    else:
        start_day, start = year_end(years[0]), float(targets[years[0]])
    # 12-31 of year y is on or after d exactly when y ≥ d.year; hi: after the last, the last
    index = bisect_left(years, as_of.year, 0, len(years) - 1)
    year = years[index]
    if index:
        prev_year = years[index - 1]
        prev_day, prev = year_end(prev_year), float(targets[prev_year])
    else:
        prev_day, prev = start_day, start
    return Schedule(start, start_day, prev, prev_day, float(targets[year]), year_end(year), year)


def elapsed_share(from_day: int, to_day: int, day: int) -> float:
    """days(from→day) / days(from→to), clamped to [0, 1]; a zero-length span counts as elapsed."""
    span = to_day - from_day
    if span <= 0:
        return 1.0
    return min(max((day - from_day) / span, 0.0), 1.0)


def time_progress(sched: Schedule, day: int) -> float:
    """f: the share of the current interval [P, T] elapsed at ``day``."""
    return elapsed_share(sched.previous_day, sched.target_day, day)


def expected_value(sched: Schedule, f: float) -> float:
    """e = P.v + (T.v − P.v) × f."""
    return sched.previous + (sched.target - sched.previous) * f


def is_met(value: float, target: float, reverse: bool) -> bool:
    """Target met: value ≥ T (reverse: value ≤ T)."""
    return value <= target if reverse else value >= target


def share(value: float, start: float, target: float) -> float | None:
    """(value − start) / (target − start); None when target = start (no progress to measure).

    The reverse form (start − value) / (start − target) is the same quotient: negating both
    sides of a float subtraction is exact, so one formula serves both directions.
    """
    if target == start:
        return None
    return (value - start) / (target - start)


def status_of(
    met: bool, completion: float | None, time_share: float, severe_gap_pp: float
) -> Status:
    """已完成 → 进度正常 (c ≥ f) → 滞后 (gap < threshold) → 严重滞后; flat target unmet: 滞后."""
    if met:
        return "已完成"
    if completion is None:
        return "滞后"
    if completion >= time_share:
        return "进度正常"
    if (time_share - completion) * 100 < severe_gap_pp:
        return "滞后"
    return "严重滞后"


def linear_projection(sched: Schedule, day: int, actual: float, final_day: int) -> Projection:
    """The straight line from the start point through (d, a), read at the final target's date."""
    if day >= final_day:
        return Projection(actual, "actual")
    if day <= sched.start_day:
        return Projection(None, None, "not_started")
    slope = (actual - sched.start_value) / (day - sched.start_day)
    return Projection(sched.start_value + slope * (final_day - sched.start_day), "linear")


def annualized_projection(sched: Schedule, day: int, actual: float) -> Projection:
    """This year's total if the pace so far holds: a ÷ (elapsed share of the year)."""
    elapsed = elapsed_share(sched.previous_day, sched.target_day, day)
    if elapsed >= 1.0:
        return Projection(actual, "actual")
    return Projection(actual / elapsed, "annualized")


def level_projection(
    history: Sequence[tuple[int, float]], day: int, actual: float, final_day: int
) -> Projection:
    """Least squares over the last ≤ 4 points (earlier periods + now) with ≥ 2 earlier periods;
    otherwise the current value. ``history`` holds (day ordinal, value) before ``day``."""
    if day >= final_day:
        return Projection(actual, "actual")
    if not history:
        return Projection(actual, "current", periods=1)
    earlier = sorted({d: v for d, v in history if d < day}.items())
    if len(earlier) < MIN_EARLIER:
        return Projection(actual, "current", periods=len(earlier) + 1)
    points = [*earlier, (day, actual)][-TREND_POINTS:]
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in points)
    return Projection(mean_y + sxy / sxx * (final_day - mean_x), "trend", periods=n)


def bounded(
    projection: Projection, low: float | None, high: float | None, low_name: str = "lower"
) -> Projection:
    """``projection`` cut to [low, high] (either may be None), noting which bound applied."""
    value = projection.value
    if value is None:
        return projection
    if high is not None and value > high:
        return projection._replace(value=high, bound="upper")
    if low is not None and value < low:
        return projection._replace(value=low, bound=low_name)
    return projection
