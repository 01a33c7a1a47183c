"""Benchmark: `check` on 30 filled workbooks of 50 indicators (target ≤ 0.6 s).

Run: python benchmarks/bench_check.py [--repeat 5]
Prints the best of N interleaved runs (after one untimed warm-up) for reportgen's check_files and
the floor (python-calamine reading every cell of the same 30 files, the fastest raw read
available) and the ratio, plus openpyxl's read-only mode for comparison and a cold `reportgen
check` process. Workbooks are generated from a plan built in code.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import yaml
from floor import read_all as floor  # the fastest raw read: calamine, every cell
from timing import interleaved, median, run_child

from reportgen.intake import check_files, write_template
from reportgen.periods import parse_period
from reportgen.plan import Plan

FILES = 30
INDICATORS = 50
TASKS = 14
PERIOD = parse_period("2024-Q2")


def bench_plan() -> Plan:
    """A plan with 50 indicators (mixed methods and units) and 14 tasks across 30 departments."""
    departments = [f"第{n:02d}局" for n in range(1, FILES + 1)]
    methods = ("cumulative", "level", "annual", "reverse")
    indicators = [
        {
            "id": f"B{n:02d}",
            "name": f"基准测试指标{n:02d}：某项工作的完成数量或比例",
            "unit": "%" if n % 5 == 0 else "项",
            "attribute": "约束性" if n % 7 == 0 else "预期性",
            "method": methods[n % 4],
            "baseline": {"year": 2022, "value": 40},
            "targets": {2024: 60, 2025: 80},
            "source_ref": f"表1 第{n}行",
        }
        for n in range(1, INDICATORS + 1)
    ]
    tasks = [
        {
            "id": f"T{n:02d}",
            "title": f"重点任务{n:02d}",
            "lead": [departments[0]],
            "cooperating": departments[1 + n : 4 + n],
            "source_ref": f"二、{n}.",
        }
        for n in range(1, TASKS + 1)
    ]
    return Plan.model_validate(
        {
            "id": "bench-plan",
            "title": "基准测试方案",
            "issuer": "基准测试办公室",
            "source": "generated",
            "start": "2023-01-01",
            "end": "2025-12-31",
            "indicators": indicators,
            "tasks": tasks,
        }
    )


def make_files(plan: Plan, folder: Path) -> list[Path]:
    """30 department workbooks, every 完成值 and task row filled."""
    departments = sorted({d for t in plan.tasks for d in (*t.lead, *t.cooperating)})
    paths = []
    for n in range(FILES):
        department = departments[n % len(departments)]
        path = write_template(plan, PERIOD, folder / f"填报_{n:02d}_{department}.xlsx", department)
        paths.append(fill(path, lambda row: 30 + row % 20))
    return paths


def write_plan(plan: Plan, path: Path) -> Path:
    """``plan`` as a YAML plan file at ``path``, as `reportgen … --plan FILE` reads it."""
    path.write_text(yaml.safe_dump(plan.to_data(), allow_unicode=True), encoding="utf-8")
    return path


def fill(path: Path, value: Callable[[int], float]) -> Path:
    """Fill a template in place: 完成值 ``value(row)`` and a remark per indicator, every task."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    sheet = book["指标填报"]
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row, 8, value(row))
        sheet.cell(row, 10, "数据来源：统计年报")
    tasks = book["重点任务"]
    for row in range(2, tasks.max_row + 1):
        tasks.cell(row, 5, "推进中")
        tasks.cell(row, 6, "按计划推进，已完成阶段性工作。" * 5)
    book.save(path)
    return path


def runner(folder: Path) -> Callable[[], object]:
    """`reportgen check` in-process on the workbooks in ``folder``."""
    plan = bench_plan()
    return lambda: check_files([folder], plan, PERIOD)


def measure(folder: Path, repeats: int) -> dict:
    """Interleaved medians of the calamine floor and of check_files on the workbooks in ``folder``."""
    paths = sorted(folder.glob("*.xlsx"))
    base, ours = interleaved([lambda: floor(paths), runner(folder)], repeats)
    return {"floor": median(base), "ours": median(ours)}


def openpyxl_read_only(paths: list[Path]) -> None:
    """For comparison: openpyxl read-only, values of every cell."""
    import openpyxl

    for path in paths:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        for sheet in book.worksheets:
            for _ in sheet.iter_rows(values_only=True):
                pass
        book.close()


def cold_cli(folder: Path, plan_file: Path, cwd: Path) -> float:
    """`reportgen check FOLDER --plan … --period 2024-Q2` in a fresh process (imports included),
    run in ``cwd`` (where its captured output goes; not ``folder``)."""
    argv = [sys.executable, "-m", "reportgen", "check", str(folder), "--plan", str(plan_file)]
    done = run_child([*argv, "--period", PERIOD.key], cwd)
    if done.code != 0:
        raise RuntimeError(f"reportgen check failed:\n{done.stderr[-3000:]}")
    return done.seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    plan = bench_plan()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        folder = work / "data"
        folder.mkdir()
        paths = make_files(plan, folder)
        plan_file = write_plan(plan, work / "bench-plan.yaml")
        report = check_files([folder], plan, PERIOD)
        assert report.ok and len(report.files) == FILES, report.errors[:3]
        base, ours = map(min, interleaved([lambda: floor(paths), runner(folder)], args.repeat))
        opx = min(interleaved([lambda: openpyxl_read_only(paths)], max(1, args.repeat // 2))[0])
        cold = min(cold_cli(folder, plan_file, work) for _ in range(3))
    print(f"{FILES} workbooks × {INDICATORS} indicators, best of {args.repeat}")
    print(f"floor (calamine, all cells)       {base * 1000:8.1f} ms")
    print(f"reportgen check_files             {ours * 1000:8.1f} ms   {ours / base:5.2f}× floor")
    print(f"openpyxl read-only (values only)  {opx * 1000:8.1f} ms   {opx / base:5.2f}× floor")
    print(f"reportgen check, cold process     {cold * 1000:8.1f} ms   (imports included)")
    print(f"target ≤ 600 ms: {'met' if ours <= 0.6 else 'MISSED'}")


if __name__ == "__main__":
    main()
