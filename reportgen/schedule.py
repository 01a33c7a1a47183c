"""Pure schedule arithmetic for one indicator: points, expected value, shares, status, projection.

Dates are handled as ordinals (``date.toordinal()``) so the hot path is plain integer and float
arithmetic. The rules are those of issue 5; docs/progress.md explains them for planning offices.
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import date
from itertools import pairwise
from typing import Literal, NamedTuple

from reportgen.plan import Indicator

Status = Literal["已完成", "进度正常", "滞后", "严重滞后", "未填报"]


class Schedule(NamedTuple):
    """Where one as-of date falls in one indicator's schedule (``*_day`` are date ordinals).

    ``start_*`` is the start point with value s (the projection origin), ``previous`` is P and
    ``target`` is T, the first target point on or after the as-of date (after the last: the last).
    """

    start_value: float
    start_day: int
    previous: float
    previous_day: int
    target: float
    target_day: int
    target_year: int


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
    """The schedule interval (P, T) of ``ind`` that contains ``as_of``, and its start point.

    s is the baseline value, else 0; annual: always 0. The start point is the baseline at year
    end; without one, (day before plan start, 0) for cumulative and the first target itself for
    level and reverse. A reverse indicator without a baseline also takes s = its first target
    (a ceiling that applies from the start): from s = 0, every rise would count as progress.
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
        s = float(baseline.value)
        start_day, start = year_end(baseline.year), s
    elif method == "cumulative":
        s = 0.0
        start_day, start = plan_start.toordinal() - 1, s
    else:
        start_day, start = year_end(years[0]), float(targets[years[0]])
        s = start if method == "reverse" else 0.0
    # 12-31 of year y is on or after d exactly when y ≥ d.year; hi: after the last, the last
    index = bisect_left(years, as_of.year, 0, len(years) - 1)
    year = years[index]
    if index:
        prev_year = years[index - 1]
        prev_day, prev = year_end(prev_year), float(targets[prev_year])
    else:
        prev_day, prev = start_day, start
    return Schedule(s, start_day, prev, prev_day, float(targets[year]), year_end(year), year)


def expected_value(sched: Schedule, day: int) -> float:
    """e = P + (T − P) × (days from P to d) / (days from P to T), clamped to [P, T].

    A zero-length interval (P and T on the same day) gives T.
    """
    span = sched.target_day - sched.previous_day
    elapsed = day - sched.previous_day
    if elapsed >= span:
        return sched.target
    if elapsed <= 0:
        return sched.previous
    return sched.previous + (sched.target - sched.previous) * elapsed / span


def is_met(value: float, target: float, reverse: bool) -> bool:
    """Target met: value ≥ T (reverse: value ≤ T)."""
    return value <= target if reverse else value >= target


def share(value: float, start: float, target: float, reverse: bool) -> float:
    """(value − s) / (T − s); for T = s: 1 when ``value`` meets T, else 0.

    The reverse form (s − value) / (s − T) is the same quotient: negating both sides of a
    float subtraction is exact, so one formula serves both directions.
    """
    if target == start:
        return 1.0 if is_met(value, target, reverse) else 0.0
    return (value - start) / (target - start)


def status_of(met: bool, completion: float, time_progress: float, severe_gap_pp: float) -> Status:
    """已完成 → 进度正常 (c ≥ t) → 滞后 (gap < threshold) → 严重滞后, in that order."""
    if met:
        return "已完成"
    if completion >= time_progress:
        return "进度正常"
    if (time_progress - completion) * 100 < severe_gap_pp:
        return "滞后"
    return "严重滞后"


def projected_final(
    sched: Schedule, annual: bool, day: int, actual: float, final_day: int
) -> float | None:
    """The value expected at the final target's date if the trend since the start holds.

    Annual: a ÷ (elapsed fraction of the year). Otherwise the straight line from
    (start point, s) through (d, a), read at the final target's date; on or after that date
    the actual value itself; None while no day has elapsed since the start point.
    """
    if annual:
        return actual * (sched.target_day - sched.previous_day) / (day - sched.previous_day)
    if day >= final_day:
        return actual
    if day <= sched.start_day:
        return None
    slope = (actual - sched.start_value) / (day - sched.start_day)
    return sched.start_value + slope * (final_day - sched.start_day)
