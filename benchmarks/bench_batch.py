"""Benchmark: 100 reports in one `reportgen report` process (target ≤ 15 s on 2 cores).

Run: python benchmarks/bench_batch.py [--repeats 1]

The inputs are 50 weekly returns of the 舟山 plan (2024-W01 … 2024-W50, one all-departments
workbook each, made with write_template and filled with openpyxl); the batch asks for the weekly
brief and the quarterly-style report (with its chart) of every week: 100 reports. Timed as a cold
process, imports and the progress bar included, once with the default workers and once with
``--workers 1``. Importing this module loads nothing of reportgen (run.py measures from a lean
process, see there).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from timing import median, run_child

PLAN_ID = "zhoushan-2023-metrology"
WEEKS = 50
KINDS = ("weekly", "quarterly")
REPORTS = WEEKS * len(KINDS)
TARGET_SECONDS = 15.0


def periods() -> list[str]:
    return [f"2024-W{week:02d}" for week in range(1, WEEKS + 1)]


def make_inputs(folder: Path) -> Path:
    """One filled workbook per week in ``folder``/data; values drift from week to week."""
    from bench_check import fill

    from reportgen.intake import write_template
    from reportgen.periods import parse_period
    from reportgen.plan import load_plan

    plan = load_plan(PLAN_ID)
    data = folder / "data"
    for week, key in enumerate(periods()):
        path = write_template(plan, parse_period(key), data / f"填报_{key}.xlsx")
        fill(path, lambda row, week=week: 40 + (row * 7 + week) % 60)
    return data


def argv(data: Path, out: Path, workers: int | None = None) -> list[str]:
    """The `reportgen report` command line of the batch."""
    command = [sys.executable, "-m", "reportgen", "report", PLAN_ID, "--data", str(data)]
    for key in periods():
        command += ["--period", key]
    for kind in KINDS:
        command += ["--kind", kind]
    command += ["-o", str(out), "--date", "2024-07-05", "--archive", str(out / "none.sqlite")]
    return command + (["--workers", str(workers)] if workers else [])


def measure(
    folder: Path,
    data: Path,
    repeats: int,
    workers: int | None = None,
    env: dict[str, str] | None = None,
) -> dict:
    """Median wall and CPU seconds and the largest peak RSS of the batch run as a cold process."""
    command = argv(data, folder / "out", workers)
    runs = [run_child(command, folder, env) for _ in range(repeats)]
    failed = [r for r in runs if r.code != 0]
    if failed:
        raise RuntimeError(f"batch failed ({failed[0].code}): {failed[0].stderr[-2000:]}")
    written = len(list((folder / "out").rglob("*.docx")))
    if written != REPORTS:
        raise RuntimeError(f"batch wrote {written} reports, expected {REPORTS}")
    return {
        "ours": median([r.seconds for r in runs]),
        "cpu": median([r.cpu_seconds for r in runs]),
        "rss_mb": max(r.rss_mb for r in runs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        data = make_inputs(folder)
        for workers in (None, 1):
            m = measure(folder, data, args.repeats, workers)
            name = "default workers" if workers is None else f"--workers {workers}"
            print(
                f"{REPORTS} reports, {name:<16} {m['ours']:6.2f} s "
                f"({m['ours'] / REPORTS * 1000:.0f} ms each; CPU {m['cpu']:.1f} s), "
                f"peak RSS {m['rss_mb']:.0f} MB, "
                f"target ≤ {TARGET_SECONDS:.0f} s: {'met' if m['ours'] <= TARGET_SECONDS else 'MISSED'}"
            )


if __name__ == "__main__":
    main()
