"""Benchmark: the quarterly Word report for the 舟山 sample (9 indicators) and for 1 000 indicators.

Run: python benchmarks/bench_report.py [--repeats 5]

The floor, measured in the same run, is a bare docxtpl render of the same quarterly template with
the same context (the chart PNG drawn beforehand) saved to memory. Ratios show what reportgen adds
on top: building the context (sentences, rows), drawing the chart, escaping, atomic output.
"""

from __future__ import annotations

import argparse
import io
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import fields
from datetime import date
from pathlib import Path

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from reportgen.intake import load_dataset
from reportgen.periods import parse_period
from reportgen.plan import Plan, load_plan
from reportgen.progress import ProgressResult, compute_progress
from reportgen.records import Dataset, ValueRecord
from reportgen.render import ReportOptions, charts, render_report
from reportgen.render.context import Front, build_context
from reportgen.render.report import bar_data, template_path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "inputs" / "samples"
PERIOD = parse_period("2024-Q2")
OPTIONS = ReportOptions(date=date(2024, 7, 5))


def best(fn: Callable[[], object], repeats: int) -> float:
    """Median wall time of ``repeats`` runs (after one warm-up run)."""
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def big_result(count: int) -> ProgressResult:
    """The 舟山 plan's indicators repeated to ``count``, with values, through the real engine."""
    plan = load_plan("zhoushan-2023-metrology")
    data = plan.to_data()
    base = data["indicators"]
    data["indicators"] = [
        {**base[n % len(base)], "id": f"X{n:04d}", "name": f"{base[n % len(base)]['name']}{n}"}
        for n in range(count)
    ]
    big = Plan.model_validate(data)
    values = {
        i.id: ValueRecord(i.id, None if n % 11 == 0 else i.targets[i.final_year] * 0.9, "bench")
        for n, i in enumerate(big.indicators)
    }
    return compute_progress(big, Dataset(big.id, PERIOD.key, values), PERIOD)


def floor(result: ProgressResult, png: bytes | None) -> Callable[[], object]:
    """Bare docxtpl: same template, same context, chart PNG already drawn, saved to memory."""
    context = build_context(result, "quarterly", Front(date=OPTIONS.date))
    mapping = {f.name: getattr(context, f.name) for f in fields(context)}
    path = str(template_path("quarterly"))

    def run() -> None:
        tpl = DocxTemplate(path)
        chart = InlineImage(tpl, io.BytesIO(png), width=Mm(156)) if png else None
        tpl.render({**mapping, "chart": chart, "trend_chart": None}, autoescape=True)
        tpl.save(io.BytesIO())

    return run


def ours(result: ProgressResult, out: Path) -> Callable[[], object]:
    return lambda: render_report(result, "quarterly", out, OPTIONS)


def end_to_end(out: Path) -> Callable[[], object]:
    plan = load_plan("zhoushan-2023-metrology")

    def run() -> None:
        dataset = load_dataset(plan, PERIOD, [SAMPLES])
        render_report(compute_progress(plan, dataset, PERIOD), "quarterly", out, OPTIONS)

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    plan = load_plan("zhoushan-2023-metrology")
    sample = compute_progress(plan, load_dataset(plan, PERIOD, [SAMPLES]), PERIOD)
    thousand = big_result(1000)
    png = charts.completion_chart(bar_data(sample.indicators), ("完成率", "序时进度"))
    rows: list[tuple[str, float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "q.docx"
        small_floor = best(floor(sample, png), args.repeats)
        rows.append(
            ("舟山 9 项：render_report", best(ours(sample, out), args.repeats), small_floor)
        )
        rows.append(("舟山 9 项：读表+进度+报告", best(end_to_end(out), args.repeats), small_floor))
        big_floor = best(floor(thousand, None), max(1, args.repeats // 2))
        rows.append(
            (
                "1 000 项：render_report",
                best(ours(thousand, out), max(1, args.repeats // 2)),
                big_floor,
            )
        )
    chart_time = best(
        lambda: charts.completion_chart(bar_data(sample.indicators), ("完成率", "序时进度")),
        args.repeats,
    )
    print(f"{'场景':<28}{'用时 s':>10}{'地板 s':>10}{'倍数':>8}")
    for name, took, base in rows:
        print(f"{name:<28}{took:>10.3f}{base:>10.3f}{took / base:>8.2f}")
    print(f"其中绘制柱状图 {chart_time:.3f} s；峰值内存 {peak_mb():.0f} MB")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
