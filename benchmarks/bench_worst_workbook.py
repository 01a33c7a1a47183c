"""Benchmark: `reportgen check` on the largest legal 指标填报 sheet by each limit (issue 14).

Run: python benchmarks/bench_worst_workbook.py [--repeat 3] [--case rows ...] [--keep DIR]
Each case (tests/support/hostile_workbooks.worst_data_sheets, plus the 11 MB workbook with an
unread 附表) is written once, then checked by a fresh `python -m reportgen check` process under
/usr/bin/time -v, interleaved; prints the medians of CPU seconds, wall seconds and peak RSS per
case against the budget (3 s, 400 MB). Not a test: the machine is shared, read CPU first.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.support.hostile_workbooks import heavy_legal, worst_data_sheets  # noqa: E402
from tests.support.paths import SAMPLES  # noqa: E402

SAMPLE = SAMPLES / "填报_市市场监管局.xlsx"
CHECK = ["check", "--plan", "zhoushan-2023-metrology", "--period", "2024-Q2"]
BUDGET_SECONDS, BUDGET_MB = 3.0, 400.0


def cases() -> dict[str, object]:
    valid = SAMPLE.read_bytes()
    made: dict[str, object] = {"unread_extra_sheet": lambda: heavy_legal(valid)}
    made.update(worst_data_sheets(valid))
    return made


def measure(path: Path) -> tuple[float, float, float, int]:
    """(CPU s, wall s, peak MB, exit code) of one `reportgen check` process."""
    argv = ["/usr/bin/time", "-v", sys.executable, "-m", "reportgen", CHECK[0], str(path)]
    done = subprocess.run(
        [*argv, *CHECK[1:]], capture_output=True, text=True, cwd=REPO, check=False
    )
    report = done.stderr
    user = float(re.search(r"User time \(seconds\): ([\d.]+)", report)[1])
    system = float(re.search(r"System time \(seconds\): ([\d.]+)", report)[1])
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", report)
    seconds = int(wall[1] or 0) * 3600 + int(wall[2]) * 60 + float(wall[3])
    peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", report)[1]) / 1024
    return user + system, seconds, peak, done.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--case", action="append", help="only these cases")
    parser.add_argument("--keep", type=Path, help="write (and reuse) the workbooks here")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="worst-"))
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, make in cases().items():
        if args.case and name not in args.case:
            continue
        path = folder / f"{name}.xlsx"
        if not path.exists():
            path.write_bytes(make())  # type: ignore[operator]
        paths[name] = path
    runs: dict[str, list[tuple[float, float, float, int]]] = {n: [] for n in paths}
    for _ in range(args.repeat):
        for name, path in paths.items():
            runs[name].append(measure(path))
    print(f"load average {os.getloadavg()[0]:.1f}; medians of {args.repeat} runs")
    print(
        f"{'case':<20}{'MB on disk':>11}{'CPU s':>8}{'wall s':>8}{'peak MB':>9}{'exit':>6}  budget"
    )
    for name, results in runs.items():
        cpu, wall, peak = (statistics.median(r[i] for r in results) for i in range(3))
        ok = cpu <= BUDGET_SECONDS and peak <= BUDGET_MB
        size = paths[name].stat().st_size / 1024 / 1024
        print(
            f"{name:<20}{size:>11.1f}{cpu:>8.2f}{wall:>8.2f}{peak:>9.0f}"
            f"{results[-1][3]:>6}  {'ok' if ok else 'OVER'}"
        )


if __name__ == "__main__":
    main()
