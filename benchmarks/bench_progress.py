"""Benchmark: compute_progress on 1 000 and 10 000 indicators (target: 10 000 in ≤ 0.2 s).

Run: python benchmarks/bench_progress.py [--repeats 9]

Prints the median time of each size, the 10 000/1 000 ratio (10 = linear), and the ratio to a
floor measured in the same run: a bare loop doing, per indicator, the same six float divisions
and building one IndicatorProgress — the least any engine producing these records must do.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from functools import partial

from timing import interleaved, median

from reportgen.periods import parse_period
from reportgen.plan import Plan
from reportgen.progress import IndicatorProgress, compute_progress
from reportgen.records import Dataset, ValueRecord

SIZES = (1_000, 10_000)
TARGET_SECONDS = 0.2
AS_OF = "2024-06-30"
DAY, PREVIOUS_DAY, START_DAY = (
    date.fromisoformat(d).toordinal() for d in (AS_OF, "2023-12-31", "2022-12-31")
)


def _indicator(n: int) -> dict:
    """A mix of the four methods, with and without baselines, one to three targets."""
    kinds = [
        {"method": "cumulative", "targets": {2023: 60, 2024: 80, 2025: 100}},
        {"method": "level", "baseline": {"year": 2022, "value": 94}, "targets": {2025: 97}},
        {"method": "annual", "baseline": {"year": 2022, "value": 1}, "targets": {2025: 2}},
        {"method": "reverse", "baseline": {"year": 2022, "value": 10}, "targets": {2025: 7}},
    ]
    return {"id": f"I{n}", "name": f"指标{n}", "unit": "项", "source_ref": "表1", **kinds[n % 4]}


def build(size: int) -> tuple[Plan, Dataset]:
    plan = Plan.model_validate(
        {
            "id": "bench",
            "title": "基准测试方案",
            "issuer": "测试",
            "source": "bench",
            "start": "2023-01-01",
            "end": "2025-12-31",
            "indicators": [_indicator(n) for n in range(size)],
        }
    )
    values = {
        ind.id: ValueRecord(ind.id, None if n % 10 == 9 else 50.0 + n % 50, f"f.xlsx:S!H{n}")
        for n, ind in enumerate(plan.indicators)
    }
    return plan, Dataset(plan.id, "2024-H1", values=values)


def floor(size: int) -> None:
    """Six float divisions and one IndicatorProgress per indicator, nothing else."""
    for n in range(size):
        a = 50.0 + n % 50
        e = 60 + 20 * (DAY - PREVIOUS_DAY) / 366
        t, c, f = e / 80, a / 80, a / 100
        p = a * 1096 / (DAY - START_DAY) / 1.0
        IndicatorProgress(
            f"I{n}", "指标", None, "项", "预期性", "cumulative", a, 80.0, 2024, e, c, t,
            (t - c) * 100, "滞后", False, 100.0, f, p, False, "f.xlsx:S!H1",
        )  # fmt: skip


def runner(size: int) -> Callable[[], object]:
    """compute_progress on ``size`` indicators, as of AS_OF."""
    plan, dataset = build(size)
    return partial(compute_progress, plan, dataset, parse_period("2024-H1", AS_OF))


def measure(size: int, repeats: int) -> dict:
    """Interleaved medians of the floor and of compute_progress on ``size`` indicators."""
    base, ours = interleaved([partial(floor, size), runner(size)], repeats)
    return {"floor": median(base), "ours": median(ours)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    repeats = parser.parse_args().repeats
    medians: dict[int, float] = {}
    best: dict[int, float] = {}
    print(f"compute_progress as of {AS_OF}; {repeats} interleaved runs of engine and floor")
    print(
        f"{'indicators':>10} {'median s':>9} {'min s':>8} {'µs/ind':>7}"
        f" {'floor med':>9} {'floor min':>9} {'ratio med':>9} {'ratio min':>9}"
    )
    for size in SIZES:
        engine, base = interleaved([runner(size), partial(floor, size)], repeats, warmup=False)
        medians[size], best[size] = median(engine), min(engine)
        print(
            f"{size:>10} {medians[size]:>9.4f} {best[size]:>8.4f} {best[size] / size * 1e6:>7.2f}"
            f" {median(base):>9.4f} {min(base):>9.4f}"
            f" {medians[size] / median(base):>9.2f} {best[size] / min(base):>9.2f}"
        )
    small, large = SIZES
    print(
        f"linearity: time({large}) / time({small}) = {medians[large] / medians[small]:.2f} (median),"
        f" {best[large] / best[small]:.2f} (min); 10 = linear"
    )
    verdict = "OK" if best[large] <= TARGET_SECONDS else "over target"
    print(
        f"target: {large} indicators ≤ {TARGET_SECONDS} s → min {best[large]:.4f} s,"
        f" median {medians[large]:.4f} s: {verdict}"
    )


if __name__ == "__main__":
    main()
