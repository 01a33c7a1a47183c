"""The progress engine against values worked out by hand (day counts in the comments).

Definitions (issue 15): current interval [P, T]; f = days(P→d)/days(P→T) clamped; e = P.v +
(T.v − P.v) × f; c = (a − P.v)/(T.v − P.v); 差距 = (f − c) × 100; when T.v = P.v: 已完成 or 滞后.

Day counts used below (all dates at year end unless written out):
  2022-12-31 → 2023-02-28:  59     2023-12-31 → 2024-02-29:  60 (leap February)
  2023-12-31 → 2024-06-30: 182     2023-12-31 → 2024-07-01: 183     2023-12-31 → 2024-12-31: 366
  2022-12-31 → 2024-06-30: 547     2022-12-31 → 2025-12-31: 1096    2023-12-31 → 2025-12-31: 731
  2023-06-30 → 2024-06-30: 366     2024-06-30 → 2025-12-31: 549
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportgen.periods import parse_period
from reportgen.plan import Plan
from reportgen.progress import IndicatorProgress, ProgressResult, compute_progress
from reportgen.records import Dataset, TaskRecord, ValueRecord
from reportgen.schedule import annual_target, year_end

APPROX = {"rel": 1e-12, "abs": 1e-12}


def indicator(
    method: str,
    targets: dict[int, float],
    baseline: tuple[int, float] | None = None,
    *,
    id: str = "X1",
    unit: str = "项",
    attribute: str = "预期性",
) -> dict:
    data = {
        "id": id,
        "name": f"指标{id}",
        "unit": unit,
        "attribute": attribute,
        "method": method,
        "targets": targets,
        "source_ref": "表1",
    }
    if baseline:
        data["baseline"] = {"year": baseline[0], "value": baseline[1]}
    return data


def make_plan(
    *indicators: dict,
    start: str = "2023-01-01",
    end: str = "2025-12-31",
    tasks: tuple[dict, ...] = (),
    severe_gap_pp: float = 20,
) -> Plan:
    return Plan.model_validate(
        {
            "id": "test-plan",
            "title": "测试方案",
            "issuer": "测试市人民政府",
            "source": "test.txt",
            "start": start,
            "end": end,
            "indicators": list(indicators),
            "tasks": list(tasks),
            "thresholds": {"severe_gap_pp": severe_gap_pp},
        }
    )


def compute(
    plan: Plan,
    values: dict[str, float | None],
    as_of: str,
    tasks: dict[str, list[TaskRecord]] | None = None,
    severe_gap_pp: float | None = None,
    history: dict[str, list[tuple[date, float]]] | None = None,
) -> ProgressResult:
    period = parse_period(as_of[:4], as_of)
    records = {
        k: ValueRecord(k, v, f"填报.xlsx:指标填报!H{n + 3}")
        for n, (k, v) in enumerate(values.items())
    }
    dataset = Dataset(plan.id, period.key, values=records, tasks=tasks or {})
    return compute_progress(plan, dataset, period, severe_gap_pp=severe_gap_pp, history=history)


def one(plan: Plan, actual: float | None, as_of: str, **kw) -> IndicatorProgress:
    return compute(plan, {"X1": actual}, as_of, **kw).indicators[0]


JINAN = make_plan(indicator("cumulative", {2023: 60, 2024: 80, 2025: 100}))
COVERAGE = make_plan(
    indicator("level", {2025: 97}, (2022, 94), unit="%", attribute="约束性"),
)
RESEARCH = make_plan(indicator("annual", {2025: 2}, (2022, 1), unit="项/年"))
SATISFIED = make_plan(indicator("level", {2025: 95}, unit="%"))  # 济南 JN09: no baseline
REVERSE = make_plan(indicator("reverse", {2025: 7}, (2022, 10), unit="吨"))


# --- the worked examples -----------------------------------------------------------


def test_jinan_public_standards_cumulative_without_baseline() -> None:
    got = one(JINAN, 65, "2024-06-30")
    # P = (2023-12-31, 60), T = (2024-12-31, 80); f = 182/366 = 0.4973
    assert (got.interval_start_date, got.interval_start_value) == (date(2023, 12, 31), 60)
    assert (got.target, got.target_year) == (80, 2024)
    assert got.time_progress == pytest.approx(182 / 366, **APPROX)
    # e = 60 + (80 − 60) × 182/366 = 69.945 ≈ 69.9
    assert got.expected == pytest.approx(60 + 20 * 182 / 366, **APPROX)
    # c = (65 − 60)/(80 − 60) = 25%; 差距 = (0.4973 − 0.25) × 100 = 24.73 pp ≥ 20 → 严重滞后
    assert got.completion == 0.25
    assert got.gap_pp == pytest.approx((182 / 366 - 0.25) * 100, **APPROX)
    assert got.gap_pp == pytest.approx(24.727, abs=1e-3)
    assert got.status == "严重滞后"
    assert not got.binding_alert  # 预期性
    # plan: s = 0 at (2022-12-31); 规划目标完成率 65/100; 规划期时间进度 547/1096
    assert (got.final_target, got.final_completion) == (100, 0.65)
    assert got.plan_time_progress == pytest.approx(547 / 1096, **APPROX)
    # projection: the line from (2022-12-31, 0) through (2024-06-30, 65): 65 × 1096/547 = 130.2
    assert got.projected_final == pytest.approx(65 * 1096 / 547, **APPROX)
    assert (got.projection_method, got.projection_note) == ("linear", "按规划起点以来的平均进度")
    assert got.at_risk is False
    assert got.integral  # 项
    assert got.source == "填报.xlsx:指标填报!H3"


def test_zhoushan_coverage_single_final_target_with_baseline() -> None:
    got = one(COVERAGE, 95, "2024-06-30")
    # P = start = (2022-12-31, 94), T = (2025-12-31, 97): f = 547/1096 = 0.4991 (the plan period)
    assert (got.interval_start_date, got.interval_start_value) == (date(2022, 12, 31), 94)
    assert got.time_progress == pytest.approx(547 / 1096, **APPROX)
    assert got.plan_time_progress == got.time_progress
    # e = 94 + 3 × 0.4991 = 95.497; c = (95 − 94)/3 = 1/3; 差距 16.58 pp < 20 → 滞后, 约束性预警
    assert got.expected == pytest.approx(94 + 3 * 547 / 1096, **APPROX)
    assert got.completion == pytest.approx(1 / 3, **APPROX)
    assert got.gap_pp == pytest.approx((547 / 1096 - 1 / 3) * 100, **APPROX)
    assert (got.status, got.binding_alert) == ("滞后", True)
    assert got.final_completion == pytest.approx(1 / 3, **APPROX)
    # level without archived history: the current value, never a line from 0 or the baseline
    assert (got.projected_final, got.projection_method) == (95, "current")
    assert got.projection_note == "仅一期数据，按当前水平"
    assert got.at_risk is True  # 95 < 97
    assert not got.integral


def test_level_projection_follows_archived_trend() -> None:
    # history on the line v(d) = 95 − m × days(d → 2024-06-30), m = 0.5/182 per day:
    # 2023-06-30 (366 days before): 95 − 366m; 2023-12-31 (182 days before): 94.5
    m = 0.5 / 182
    history = {"X1": [(date(2023, 6, 30), 95 - 366 * m), (date(2023, 12, 31), 94.5)]}
    got = compute(COVERAGE, {"X1": 95}, "2024-06-30", history=history).indicators[0]
    # least squares through collinear points is the line: 95 + 549m = 96.508 at 2025-12-31
    assert got.projected_final == pytest.approx(95 + 549 * m, rel=1e-12)
    assert (got.projection_method, got.projection_note) == ("trend", "按近3期趋势")
    assert got.at_risk is True  # 96.5 < 97


def test_level_trend_uses_last_four_points_and_stays_within_100() -> None:
    # five earlier quarters rising 2 points a quarter; only the last 3 + now are fitted
    days = [date(2023, 3, 31), date(2023, 6, 30), date(2023, 9, 30), date(2023, 12, 31)]
    history = {"X1": [(date(2022, 12, 31), 10.0)] + [(d, 90 + 2 * n) for n, d in enumerate(days)]}
    got = compute(COVERAGE, {"X1": 99}, "2024-06-30", history=history).indicators[0]
    # the fitted line rises ~1.6 points a quarter: far above 100 by 2025 → cut to 100
    assert got.projected_final == 100
    assert got.projection_note == "按近4期趋势，已按不超过100%计"
    assert got.at_risk is False


def test_level_with_one_earlier_period_keeps_the_current_value() -> None:
    history = {"X1": [(date(2023, 12, 31), 90.0)]}
    got = compute(COVERAGE, {"X1": 95}, "2024-06-30", history=history).indicators[0]
    assert (got.projected_final, got.projection_note) == (95, "仅两期数据，按当前水平")


def test_zhoushan_research_projects_annual_count() -> None:
    got = one(RESEARCH, 1, "2024-06-30")
    # T_2024 = 1 + (2 − 1) × 2/3 = 5/3 (shown as 2项); P = (2023-12-31, 0)
    assert (got.target, got.target_year) == (pytest.approx(5 / 3, **APPROX), 2024)
    assert (got.interval_start_date, got.interval_start_value) == (date(2023, 12, 31), 0)
    # f = 182/366 = 0.4973 (share of the year); e = 5/3 × f = 0.829
    assert got.time_progress == pytest.approx(182 / 366, **APPROX)
    assert got.expected == pytest.approx(5 / 3 * 182 / 366, **APPROX)
    # c = 1 ÷ 5/3 = 0.6 ≥ f → 进度正常
    assert got.completion == pytest.approx(0.6, **APPROX)
    assert got.status == "进度正常"
    # projection a ÷ f = 366/182 = 2.011 (shown floored: 2项) ≥ 2
    assert got.projected_final == pytest.approx(366 / 182, **APPROX)
    assert (got.projection_method, got.at_risk, got.integral) == ("annualized", False, True)
    assert got.final_completion == 0.5  # s = 0 for annual: 1 of the final 2项/年
    assert got.plan_time_progress == got.time_progress  # each year starts afresh


@pytest.mark.parametrize(
    ("actual", "status", "at_risk"), [(96, "已完成", False), (92.7, "滞后", True)]
)
def test_level_rate_without_baseline(actual: float, status: str, at_risk: bool) -> None:
    got = one(SATISFIED, actual, "2024-06-30")
    # start point = the target itself (2025-12-31, 95) = P = T: T.v = P.v, the level applies
    # from the start: zero-length interval, f = 1, e = 95; no c and no 差距
    assert (got.interval_start_value, got.target, got.expected, got.time_progress) == (
        95,
        95,
        95,
        1,
    )
    assert (got.completion, got.gap_pp, got.final_completion) == (None, None, None)
    assert got.status == status
    # the shortfall in the unit: 95 − 92.7 = 2.3 (shown “低于目标2.3个百分点”)
    assert got.shortfall == (None if status == "已完成" else pytest.approx(2.3, **APPROX))
    assert (got.projected_final, got.projection_method, got.at_risk) == (actual, "current", at_risk)


def test_level_without_baseline_later_years_measure_from_the_previous_target() -> None:
    plan = make_plan(indicator("level", {2023: 80, 2024: 85, 2025: 90}, unit="%"))  # 济南 JN07
    got = one(plan, 83, "2024-06-30")
    # P = (2023-12-31, 80), T = (2024-12-31, 85): f = 182/366; c = (83 − 80)/5 = 0.6 ≥ f
    assert got.completion == pytest.approx(0.6, **APPROX)
    assert got.status == "进度正常"
    # s = 80 (the first target): 规划目标完成率 (83 − 80)/(90 − 80) = 0.3; 规划期 731 days
    assert got.final_completion == pytest.approx(0.3, **APPROX)
    assert got.plan_time_progress == pytest.approx(182 / 731, **APPROX)
    assert got.projected_final == 83  # the current level, not a line from 0


@pytest.mark.parametrize(
    ("actual", "completion", "status", "at_risk"),
    [
        # P = (2022-12-31, 10), T = (2025-12-31, 7): f = 547/1096 = 0.4991, e = 10 − 3f = 8.503
        (
            8.5,
            0.5,
            "进度正常",
            False,
        ),  # c = (10 − 8.5)/(10 − 7) = 0.5; proj 10 − 1.5 × 2.0037 = 6.99
        (8.6, 1.4 / 3, "滞后", True),  # c = 0.4667, 差距 3.24; proj 10 − 1.4 × 2.0037 = 7.19 > 7
        (11, -1 / 3, "严重滞后", True),  # worse than the baseline: c = −1/3, 差距 83.2
        (7, 1.0, "已完成", False),  # a ≤ T
        (6, 4 / 3, "已完成", False),  # beyond target: c = 4/3 reported as is
    ],
)
def test_reverse_indicator(actual: float, completion: float, status: str, at_risk: bool) -> None:
    got = one(REVERSE, actual, "2024-06-30")
    assert got.expected == pytest.approx(10 - 3 * 547 / 1096, **APPROX)
    assert got.time_progress == pytest.approx(547 / 1096, **APPROX)
    assert got.completion == pytest.approx(completion, **APPROX)
    assert got.gap_pp == pytest.approx((547 / 1096 - completion) * 100, **APPROX)
    assert got.status == status
    assert got.projected_final == pytest.approx(10 - (10 - actual) * 1096 / 547, **APPROX)
    assert got.at_risk is at_risk


@pytest.mark.parametrize(("actual", "status"), [(4, "已完成"), (5, "已完成"), (6, "滞后")])
def test_reverse_without_baseline_is_a_ceiling_from_the_start(actual: float, status: str) -> None:
    plan = make_plan(indicator("reverse", {2025: 5}, unit="起"))
    got = one(plan, actual, "2024-06-30")
    # start = P = T = (2025-12-31, 5): T.v = P.v → met or 滞后 (差距 null, shortfall 6 − 5 = 1起)
    assert (got.expected, got.time_progress, got.completion, got.gap_pp) == (5, 1, None, None)
    assert got.status == status
    assert got.shortfall == (None if actual <= 5 else actual - 5)
    # the reverse line starts at the start point, which is still ahead: no projection yet
    assert (got.projected_final, got.projection_reason) == (None, "not_started")


def test_reverse_without_baseline_several_targets() -> None:
    plan = make_plan(indicator("reverse", {2023: 10, 2025: 8}, unit="吨"))
    got = one(plan, 9.5, "2024-06-30")
    # P = (2023-12-31, 10), T = (2025-12-31, 8): f = 182/731 = 0.249; c = 0.5/2 = 0.25 ≥ f
    assert got.time_progress == pytest.approx(182 / 731, **APPROX)
    assert got.completion == 0.25
    assert got.status == "进度正常"
    # line from (2023-12-31, 10) through (2024-06-30, 9.5): 10 − 0.5 × 731/182 = 7.99 ≤ 8
    assert got.projected_final == pytest.approx(10 - 0.5 * 731 / 182, **APPROX)
    assert got.at_risk is False


@pytest.mark.parametrize(
    ("actual", "severe", "status"), [(50, None, "已完成"), (49, None, "滞后"), (30, 5, "滞后")]
)
def test_flat_targets_have_no_gap(actual: float, severe: float | None, status: str) -> None:
    plan = make_plan(indicator("cumulative", {2025: 50}, (2022, 50)))
    got = one(plan, actual, "2024-06-30", severe_gap_pp=severe)
    # T.v = P.v = 50: f = 547/1096 as usual, but c and 差距 are undefined; a miss is 滞后
    assert got.time_progress == pytest.approx(547 / 1096, **APPROX)
    assert (got.completion, got.gap_pp, got.status) == (None, None, status)
    assert got.shortfall == (None if actual >= 50 else 50 - actual)


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2021, 1),  # before the baseline year: the baseline value
        (2022, 1),  # the baseline year itself
        (2023, 1 + 1 / 3),  # 1 + (2 − 1) × 1/3
        (2024, 1 + 2 / 3),  # 1 + (2 − 1) × 2/3
        (2025, 2),  # the given target
        (2026, 2),  # after the last target: the last target
    ],
)
def test_annual_target_interpolates_by_year(year: int, expected: float) -> None:
    assert annual_target(RESEARCH.indicators[0], year) == pytest.approx(expected, **APPROX)


def test_annual_target_between_given_targets_and_without_baseline() -> None:
    ind = make_plan(indicator("annual", {2023: 10, 2025: 20})).indicators[0]
    assert annual_target(ind, 2022) == 10  # no baseline: the first target before it
    assert annual_target(ind, 2024) == 15  # 10 + (20 − 10) × 1/2
    assert annual_target(ind, 2025) == 20


# --- projections: bounds and reasons ------------------------------------------------------


def test_cumulative_projection_never_below_the_value_reached() -> None:
    plan = make_plan(indicator("cumulative", {2025: 100}, (2022, 50), unit="亿元"))
    got = one(plan, 40, "2024-06-30")
    # line from (2022-12-31, 50) through (2024-06-30, 40): 50 − 10 × 1096/547 = 29.96 → 40
    assert got.projected_final == 40
    assert got.projection_note == "按规划起点以来的平均进度，已按不低于当前值计"


def test_percent_and_count_projections_stay_in_range() -> None:
    steep = make_plan(indicator("level", {2025: 97}, (2022, 10), unit="%"))
    rising = {"X1": [(date(2023, 12, 31), 50.0), (date(2024, 3, 31), 80.0)]}
    got = compute(steep, {"X1": 99}, "2024-06-30", history=rising).indicators[0]
    assert got.projected_final == 100
    falling = make_plan(indicator("reverse", {2025: 0}, (2022, 20), unit="个"))
    got = one(falling, 2, "2024-06-30")  # 20 − 18 × 1096/547 = −16.07 → 0
    assert (got.projected_final, got.projection_note) == (
        0,
        "按规划起点以来的平均进度，已按不低于0计",
    )


def test_no_projection_reasons() -> None:
    assert one(JINAN, None, "2024-06-30").projection_reason == "no_data"
    got = one(JINAN, 0, "2022-06-30")  # before the start point: no day elapsed
    assert (got.projected_final, got.projection_reason, got.at_risk) == (None, "not_started", None)
    assert one(JINAN, 65, "2024-06-30").projection_reason is None


# --- dates outside the plan, leap years ---------------------------------------------------


def test_value_above_target_is_done_and_completion_exceeds_one() -> None:
    got = one(JINAN, 90, "2024-06-30")
    # 90 ≥ T = 80: 已完成; c = (90 − 60)/20 = 1.5; 规划目标完成率 90/100 = 0.9
    assert got.status == "已完成"
    assert got.completion == 1.5
    assert got.final_completion == 0.9


@pytest.mark.parametrize("as_of", ["2022-06-30", "2022-12-31"])
def test_as_of_before_plan_start(as_of: str) -> None:
    got = one(JINAN, 0, as_of)
    # T = first target (2023-12-31, 60), P = start point (2022-12-31, 0); no day elapsed:
    # f = 0 (clamped), e = 0; c = 0 ≥ 0 → 进度正常; no trend yet → no projection
    assert (got.target, got.target_year, got.expected, got.time_progress) == (60, 2023, 0, 0)
    assert (got.completion, got.status) == (0, "进度正常")
    assert (got.projected_final, got.at_risk) == (None, None)
    assert (got.final_completion, got.plan_time_progress) == (0, 0)


def test_first_day_of_plan_is_already_measured() -> None:
    got = one(JINAN, 0, "2023-01-01")
    # one day of 365 elapsed: f = 1/365, c = 0 → 差距 = 100/365 = 0.27 pp → 滞后
    assert got.time_progress == pytest.approx(1 / 365, **APPROX)
    assert got.gap_pp == pytest.approx(100 / 365, **APPROX)
    assert got.status == "滞后"
    assert got.projected_final == 0  # 0 + 0 × 1096/1


def test_level_before_baseline_date() -> None:
    got = one(COVERAGE, 94, "2022-06-30")
    # d before P = (2022-12-31, 94): f = 0, e = 94; c = 0 ≥ 0 → 进度正常
    assert (got.expected, got.time_progress, got.completion) == (94, 0, 0)
    assert got.status == "进度正常"
    assert (got.projected_final, got.projection_method) == (94, "current")


@pytest.mark.parametrize(
    ("actual", "status", "at_risk"), [(95, "严重滞后", True), (100, "已完成", False)]
)
def test_as_of_after_plan_end(actual: float, status: str, at_risk: bool) -> None:
    got = one(JINAN, actual, "2026-03-31")
    # after the last target: P = (2024-12-31, 80), T = (2025-12-31, 100); f = 1, e = 100
    assert (got.target, got.target_year, got.expected, got.time_progress) == (100, 2025, 100, 1)
    # c = (95 − 80)/20 = 0.75; 差距 25 pp → 严重滞后; the projection is the value itself
    assert got.completion == (actual - 80) / 20
    assert got.status == status
    assert (got.projected_final, got.projection_method, got.at_risk) == (actual, "actual", at_risk)


def test_annual_after_plan_end_uses_last_target() -> None:
    got = one(RESEARCH, 1, "2026-03-31")
    # T_2026 = last target 2; 2025-12-31 → 2026-03-31 = 90 days of 365
    assert (got.target, got.target_year) == (2, 2026)
    assert got.time_progress == pytest.approx(90 / 365, **APPROX)
    assert got.completion == 0.5


def test_leap_day_cumulative() -> None:
    got = one(JINAN, 62, "2024-02-29")
    # P = (2023-12-31, 60), T = (2024-12-31, 80): f = 60/366 = 0.164; e = 60 + 20f
    assert got.expected == pytest.approx(60 + 20 * 60 / 366, **APPROX)
    assert got.time_progress == pytest.approx(60 / 366, **APPROX)
    # c = 2/20 = 0.1; 差距 6.39 pp → 滞后
    assert got.completion == pytest.approx(0.1, **APPROX)
    assert got.status == "滞后"
    # projection: 62 × 1096 / (365 + 60) = 159.9
    assert got.projected_final == pytest.approx(62 * 1096 / 425, **APPROX)


def test_leap_day_annual_and_year_end() -> None:
    plan = make_plan(indicator("annual", {2023: 4, 2024: 4}))
    leap = one(plan, 1, "2024-02-29")
    # 60 days of 366: f = 60/366; projection 1 × 366/60 = 6.1 ≥ 4
    assert leap.time_progress == pytest.approx(60 / 366, **APPROX)
    assert leap.projected_final == pytest.approx(366 / 60, **APPROX)
    # non-leap: 2023-02-28 is day 59 of 365
    assert one(plan, 1, "2023-02-28").time_progress == pytest.approx(59 / 365, **APPROX)
    # 2024-12-31: 366 of 366 → the whole target is due; the year's value is final
    year_end = one(plan, 3, "2024-12-31")
    assert (year_end.expected, year_end.time_progress, year_end.projected_final) == (4, 1, 3)
    assert year_end.status == "严重滞后"  # c = 3/4, 差距 = (1 − 0.75) × 100 = 25 ≥ 20


# --- status boundaries, for every method --------------------------------------------------
# One-year plan 2024; as of 2024-07-01 = day 183 of 366, so f = 183/366 = 0.5 exactly and
# e = P + (T − P)/2. Cumulative/level/annual: P = 0, T = 100; reverse: P = 100, T = 0.

HALF_YEAR = "2024-07-01"
BOUNDARY_PLANS = {
    "cumulative": make_plan(
        indicator("cumulative", {2024: 100}, (2023, 0)), start="2024-01-01", end="2024-12-31"
    ),
    "level": make_plan(
        indicator("level", {2024: 100}, (2023, 0)), start="2024-01-01", end="2024-12-31"
    ),
    "annual": make_plan(indicator("annual", {2024: 100}), start="2024-01-01", end="2024-12-31"),
    "reverse": make_plan(
        indicator("reverse", {2024: 0}, (2023, 100)), start="2024-01-01", end="2024-12-31"
    ),
}
# (progress made, status): progress 50 means a = 50 (reverse: a = 100 − 50 = 50 left)
BOUNDARIES = [
    (100, "已完成"),  # a = T exactly
    (99.99, "进度正常"),  # c = 0.9999 ≥ 0.5, target not met
    (50, "进度正常"),  # c = 0.5 = t exactly: c ≥ t
    (49.99, "滞后"),  # c = 0.4999, gap 0.01 pp
    (30.01, "滞后"),  # gap = (0.5 − 0.3001) × 100 = 19.99 pp < 20
    (30, "严重滞后"),  # gap = (0.5 − 0.3) × 100 = 20.0 exactly: not < 20
    (-10, "严重滞后"),  # behind the start: c = −0.1
]


@pytest.mark.parametrize("method", list(BOUNDARY_PLANS))
@pytest.mark.parametrize(("progress", "status"), BOUNDARIES)
def test_status_boundaries(method: str, progress: float, status: str) -> None:
    actual = 100 - progress if method == "reverse" else progress
    got = one(BOUNDARY_PLANS[method], actual, HALF_YEAR)
    assert (got.expected, got.time_progress) == (50, 0.5)
    assert got.completion == pytest.approx(progress / 100, **APPROX)
    assert got.status == status


def test_gap_of_exactly_twenty_points() -> None:
    got = one(BOUNDARY_PLANS["cumulative"], 30, HALF_YEAR)
    assert got.gap_pp == 20.0  # (0.5 − 0.3) × 100 is exactly 20.0 in binary floats


def test_missing_value_is_not_reported_not_zero() -> None:
    plan = BOUNDARY_PLANS["cumulative"]
    blank = compute(plan, {"X1": None}, HALF_YEAR).indicators[0]
    absent = compute(plan, {}, HALF_YEAR).indicators[0]
    for got in (blank, absent):
        assert got.status == "未填报"
        assert (got.actual, got.completion, got.gap_pp) == (None, None, None)
        assert (got.final_completion, got.projected_final, got.at_risk) == (None, None, None)
        assert got.projection_reason == "no_data"
        assert (got.expected, got.time_progress) == (50, 0.5)  # the schedule is still known
    assert blank.source == "填报.xlsx:指标填报!H3"  # the blank cell is still named
    assert absent.source is None


def test_threshold_from_plan_and_overridden_by_argument() -> None:
    # a = 25: c = 0.25, gap = (0.5 − 0.25) × 100 = 25.0 exactly
    strict = BOUNDARY_PLANS["cumulative"]
    lenient = make_plan(
        indicator("cumulative", {2024: 100}, (2023, 0)),
        start="2024-01-01",
        end="2024-12-31",
        severe_gap_pp=30,
    )
    assert one(strict, 25, HALF_YEAR).status == "严重滞后"  # 25 ≥ 20 (default)
    assert one(lenient, 25, HALF_YEAR).status == "滞后"  # 25 < 30 (plan)
    assert one(lenient, 25, HALF_YEAR, severe_gap_pp=25).status == "严重滞后"  # 25 ≥ 25 (argument)
    assert one(strict, 25, HALF_YEAR, severe_gap_pp=25.5).status == "滞后"  # 25 < 25.5


@pytest.mark.parametrize(
    ("attribute", "actual", "alert"),
    [
        ("约束性", 40, True),  # 滞后
        ("约束性", 10, True),  # 严重滞后
        ("约束性", 60, False),  # 进度正常
        ("约束性", None, False),  # 未填报 is not an alert
        ("预期性", 10, False),  # 严重滞后 but not binding
    ],
)
def test_binding_alert(attribute: str, actual: float | None, alert: bool) -> None:
    plan = make_plan(
        indicator("cumulative", {2024: 100}, (2023, 0), attribute=attribute),
        start="2024-01-01",
        end="2024-12-31",
    )
    assert one(plan, actual, HALF_YEAR).binding_alert is alert


# --- tasks --------------------------------------------------------------------------------

TASKS = (
    {
        "id": "T1",
        "title": "加强计量标准建设",
        "lead": ["市市场监管局"],
        "cooperating": ["市科技局", "市发改委"],
        "source_ref": "二、1",
    },
    {"id": "T2", "title": "提升计量创新驱动动力", "lead": ["市科技局"], "source_ref": "二、2"},
)
TASK_PLAN = make_plan(indicator("cumulative", {2025: 10}), tasks=TASKS)


def record(dept: str | None, status: str | None, progress: str = "", **kw: str) -> TaskRecord:
    return TaskRecord("T1", f"{dept}.xlsx:重点任务!C4", dept, status, progress, **kw)


def tasks_of(records: list[TaskRecord]) -> list:
    return compute(TASK_PLAN, {}, "2024-06-30", tasks={"T1": records}).tasks


def test_tasks_in_plan_order_unreported_task_is_empty() -> None:
    tasks = tasks_of([record("市市场监管局", "推进中", "已新建标准10项。")])
    assert [t.id for t in tasks] == ["T1", "T2"]
    assert (tasks[0].status, tasks[0].progress, tasks[0].lead) == (
        "推进中",
        "已新建标准10项。",
        ["市市场监管局"],
    )
    assert (tasks[1].status, tasks[1].progress, tasks[1].problems, tasks[1].next_steps) == (
        None,
        "",
        "",
        "",
    )


def test_task_lead_status_wins_and_texts_are_labelled_lead_first() -> None:
    (task, _) = tasks_of(
        [
            record("市科技局", "滞后", "立项2项；", problems="经费不足"),
            record("市市场监管局", "已完成", "  已新建标准10项。", next_steps="巩固成果。"),
        ]
    )
    assert task.status == "已完成"
    assert task.progress == "【市市场监管局】已新建标准10项；【市科技局】立项2项"
    assert task.problems == "【市科技局】经费不足"
    assert task.next_steps == "【市市场监管局】巩固成果。"


@pytest.mark.parametrize(
    ("statuses", "merged"),
    [
        (["推进中", "未启动"], "未启动"),
        (["已完成", "滞后", "推进中"], "滞后"),
        (["已完成", "推进中"], "推进中"),
        (["已完成", None], "已完成"),
        ([None, None], None),
    ],
)
def test_task_status_most_severe_without_lead_status(
    statuses: list[str | None], merged: str | None
) -> None:
    depts = ["市科技局", "市发改委", "市财政局"]
    records = [record("市市场监管局", None, "正在统计")] + [
        record(d, s) for d, s in zip(depts, statuses, strict=False)
    ]
    assert tasks_of(records)[0].status == merged


# --- result and JSON ----------------------------------------------------------------------

JSON_INDICATOR_KEYS = [
    "id",
    "name",
    "unit",
    "attribute",
    "method",
    "actual",
    "target",
    "target_year",
    "expected",
    "completion",
    "time_progress",
    "gap_pp",
    "status",
    "binding_alert",
    "final_target",
    "final_completion",
    "projected_final",
    "at_risk",
    "source",
    "plan_time_progress",
    "projection_method",
    "projection_note",
    "projection_reason",
    "integral",
    "interval_start",
    "plan_completion",
]


def test_json_structure_and_summary() -> None:
    plan = make_plan(
        indicator("cumulative", {2023: 60, 2024: 80, 2025: 100}, id="A"),
        indicator("level", {2025: 97}, (2022, 94), id="B", unit="%", attribute="约束性"),
        indicator("annual", {2025: 2}, (2022, 1), id="C", unit="项/年"),
        indicator("cumulative", {2025: 10}, id="D"),
        tasks=TASKS,
    )
    result = compute(plan, {"A": 90, "B": 95, "C": 1, "Z": 5}, "2024-06-30")
    data = json.loads(json.dumps(result.to_json(), ensure_ascii=False))
    assert list(data) == [
        "plan",
        "period",
        "period_label",
        "as_of",
        "indicators",
        "tasks",
        "summary",
    ]
    assert (data["plan"], data["period"], data["period_label"], data["as_of"]) == (
        "test-plan",
        "2024",
        "2024年度",
        "2024-06-30",
    )
    assert [list(i) for i in data["indicators"]] == [JSON_INDICATOR_KEYS] * 4
    assert [i["status"] for i in data["indicators"]] == ["已完成", "滞后", "进度正常", "未填报"]
    assert list(data["tasks"][0]) == [
        "id",
        "title",
        "lead",
        "status",
        "progress",
        "problems",
        "next_steps",
    ]
    assert data["summary"] == {
        "total": 4,
        "已完成": 1,
        "进度正常": 1,
        "滞后": 1,
        "严重滞后": 0,
        "未填报": 1,
        "binding_alerts": 1,
    }
    a = data["indicators"][0]
    assert a["completion"] == 1.5  # unrounded: (90 − 60)/(80 − 60)
    assert a["interval_start"] == {"date": "2023-12-31", "value": 60}
    assert a["plan_completion"] == a["final_completion"] == 0.9
    assert a["plan_time_progress"] == pytest.approx(547 / 1096, **APPROX)
    assert (a["projection_method"], a["integral"]) == ("linear", True)
    b = data["indicators"][1]
    assert (b["projection_note"], b["integral"]) == ("仅一期数据，按当前水平", False)
    assert data["indicators"][3]["projection_reason"] == "no_data"


# --- properties ---------------------------------------------------------------------------

GOODNESS = {"已完成": 0, "进度正常": 1, "滞后": 2, "严重滞后": 3}
values = st.integers(min_value=0, max_value=1000)


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    method = draw(st.sampled_from(["cumulative", "level", "annual", "reverse"]))
    years = draw(st.lists(st.integers(2023, 2027), min_size=1, max_size=3, unique=True))
    targets = {y: draw(values) for y in years}
    baseline = draw(st.one_of(st.none(), st.tuples(st.just(2022), values)))
    return make_plan(indicator(method, targets, baseline), end="2027-12-31")


as_of_dates = st.dates(date(2021, 1, 1), date(2029, 12, 31)).map(date.isoformat)


@settings(max_examples=200, deadline=None)
@given(plans(), as_of_dates, values, values, st.sampled_from([None, 5, 20, 150]))
def test_status_is_monotone_in_actual(
    plan: Plan, as_of: str, low: int, high: int, severe: float | None
) -> None:
    low, high = sorted((low, high))
    worse = one(plan, low, as_of, severe_gap_pp=severe)
    better = one(plan, high, as_of, severe_gap_pp=severe)
    if plan.indicators[0].method == "reverse":
        worse, better = better, worse
    assert GOODNESS[better.status] <= GOODNESS[worse.status]


@settings(max_examples=200, deadline=None)
@given(plans(), as_of_dates)
def test_completion_is_exactly_one_at_target(plan: Plan, as_of: str) -> None:
    blank = one(plan, None, as_of)
    got = one(plan, blank.target, as_of)
    flat = blank.interval_start_value == blank.target
    assert got.completion == (None if flat else 1.0)
    assert got.status == "已完成"


@pytest.mark.parametrize("year", [1, 1899, 1900, 2000, 2023, 2024, 2100, 2400, 9998])
def test_year_end_ordinal_arithmetic(year: int) -> None:
    assert year_end(year) == date(year, 12, 31).toordinal()


def test_category_is_kept_for_reports_but_not_in_json() -> None:
    plan = make_plan({**indicator("cumulative", {2025: 10}), "category": "科技创新"})
    result = compute(plan, {"X1": 5}, "2024-06-30")
    assert result.indicators[0].category == "科技创新"
    assert "category" not in result.to_json()["indicators"][0]
