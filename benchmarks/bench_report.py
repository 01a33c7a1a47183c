"""Benchmark: the quarterly Word report for the 舟山 sample (9 indicators) and for 1 000 indicators.

Run: python benchmarks/bench_report.py [--repeats 5]

The floor, measured in the same run (see floor.py), reads every cell of the same workbooks with
python-calamine and renders the same quarterly template with the same context (no chart)
with bare docxtpl. Ratios show what reportgen adds on top: checking the cells, computing
progress, building the context (sentences, rows), the native chart parts, atomic output.
Both sides run from workbooks to a .docx on disk.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import resource
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from types import SimpleNamespace

from bench_check import fill, write_plan
from floor import floor, parse_context
from timing import interleaved, median

from reportgen.intake import load_dataset, write_template
from reportgen.periods import parse_period
from reportgen.pipeline import make_report
from reportgen.plan import Indicator, Plan, load_plan
from reportgen.progress import ProgressResult, compute_progress
from reportgen.render import ReportOptions, charts
from reportgen.render.context import Front, build_context
from reportgen.render.report import bar_data, template_path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "reportgen" / "data" / "samples"
PLAN_ID = "zhoushan-2023-metrology"
PERIOD = parse_period("2024-Q2")
DATE = date(2024, 7, 5)
OPTIONS = ReportOptions(date=DATE)
LEGEND = ("完成率", "序时进度")


def sample_workbooks() -> list[Path]:
    return sorted(SAMPLES.glob("*.xlsx"))


def progress_of(plan: Plan, data: list[Path]) -> ProgressResult:
    """Progress for PERIOD from the returns in ``data`` (workbooks or folders)."""
    return compute_progress(plan, load_dataset(plan, PERIOD, data), PERIOD)


def sample_result() -> ProgressResult:
    return progress_of(load_plan(PLAN_ID), [SAMPLES])


def _floor_payload(result: ProgressResult) -> str:
    """The report's own context as JSON text."""
    context = build_context(result, "quarterly", Front(date=DATE))
    return json.dumps(dataclasses.asdict(context), ensure_ascii=False)


def floor_inputs(result: ProgressResult) -> SimpleNamespace:
    """The floor's context (read back from JSON as floor.py reads it)."""
    return parse_context(_floor_payload(result))


def write_floor_inputs(result: ProgressResult, folder: Path) -> Path:
    """context.json for a cold `python floor.py` run."""
    context_file = folder / "context.json"
    context_file.write_text(_floor_payload(result), encoding="utf-8")
    return context_file


def big_plan(count: int) -> Plan:
    """The 舟山 plan with its indicators repeated to ``count`` (ids X0000…)."""
    data = load_plan(PLAN_ID).to_data()
    base = data["indicators"]
    data["id"] = f"bench-{count}"
    data["indicators"] = [
        {**base[n % len(base)], "id": f"X{n:04d}", "name": f"{base[n % len(base)]['name']}{n}"}
        for n in range(count)
    ]
    return Plan.model_validate(data)


def big_input_paths(count: int, folder: Path) -> tuple[Path, Path]:
    """Where ``make_big_inputs`` writes the plan file and the filled workbook."""
    return folder / f"bench-{count}.yaml", folder / f"bench-{count}" / "填报_全部.xlsx"


def make_big_inputs(count: int, folder: Path) -> tuple[Path, Path]:
    """A plan file with ``count`` indicators and one filled workbook: 90% of each final target
    (whole for counts), every 11th left blank (未填报)."""
    plan = big_plan(count)
    plan_file, workbook = big_input_paths(count, folder)
    write_plan(plan, plan_file)
    targets = [_ninety_percent(i) for i in plan.indicators]
    write_template(plan, PERIOD, workbook)
    fill(workbook, lambda row: None if (row - 2) % 11 == 0 else targets[row - 2])
    return plan_file, workbook


def _ninety_percent(indicator: Indicator) -> float:
    value = indicator.targets[indicator.final_year] * 0.9
    return round(value) if indicator.is_integral else value


def report_runner(plan: Plan, workbooks: list[Path], out: Path) -> Callable[[], object]:
    """`reportgen report` in-process: read, check, progress, render (no archive)."""
    archive = out.parent / "no-archive.sqlite"
    return lambda: make_report(
        plan, PERIOD, workbooks, "quarterly", out=out, options=OPTIONS, archive=archive
    )


def floor_runner(plan: Plan, workbooks: list[Path], out: Path) -> Callable[[], object]:
    context = floor_inputs(progress_of(plan, workbooks))
    template = template_path("quarterly")
    return lambda: floor(workbooks, template, context, out)


def measure(plan: Plan, workbooks: list[Path], folder: Path, repeats: int) -> dict:
    """Interleaved medians of the floor and of make_report on the same workbooks."""
    base, ours = interleaved(
        [
            floor_runner(plan, workbooks, folder / "floor.docx"),
            report_runner(plan, workbooks, folder / "ours.docx"),
        ],
        repeats,
    )
    return {"floor": median(base), "ours": median(ours)}


def measure_chart(repeats: int) -> float:
    bars = bar_data(sample_result().indicators)
    return median(interleaved([lambda: charts.completion_chart(bars, LEGEND)], repeats)[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        plan_file, workbook = make_big_inputs(1000, folder)
        rows = [
            ("舟山 9 项：读表+进度+报告", measure(load_plan(PLAN_ID), sample_workbooks(), folder, args.repeats)),
            ("1 000 项：读表+进度+报告", measure(load_plan(plan_file), [workbook], folder, max(1, args.repeats // 2))),
        ]  # fmt: skip
    print(f"{'场景':<24}{'用时 s':>10}{'地板 s':>10}{'倍数':>8}")
    for name, m in rows:
        print(f"{name:<24}{m['ours']:>10.3f}{m['floor']:>10.3f}{m['ours'] / m['floor']:>8.2f}")
    chart = measure_chart(args.repeats)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"其中生成原生柱状图 {chart:.3f} s；峰值内存 {peak:.0f} MB")


if __name__ == "__main__":
    main()
