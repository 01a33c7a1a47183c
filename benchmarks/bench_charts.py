"""Quarterly report cold and warm, this tree against an older commit (issue 16: native charts).

Run: python benchmarks/bench_charts.py [--before REF] [--repeats 7]

The older commit is exported (``git archive``) to a temporary folder and put first on
PYTHONPATH, so both trees run with this environment's libraries (the older one needs
matplotlib installed: ``pip install matplotlib``). Runs alternate between the two trees so that
load from other processes hits both alike. Cold: a fresh ``python -m reportgen report``
process with bytecode already compiled; warm: ``make_report`` repeated in one process.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from timing import median, run_child

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "reportgen" / "data" / "samples"
ARGS = ["zhoushan-2023-metrology", "--period", "2024-Q2", "--kind", "quarterly",
        "--date", "2024-07-05"]  # fmt: skip
WARM = """
import statistics, sys, time
from datetime import date
from pathlib import Path
from reportgen.periods import parse_period
from reportgen.pipeline import make_report
from reportgen.plan import load_plan
from reportgen.render import ReportOptions
files = sorted(Path(sys.argv[1]).glob("*.xlsx"))
plan, period = load_plan("zhoushan-2023-metrology"), parse_period("2024-Q2")
options = ReportOptions(date=date(2024, 7, 5))
times = []
for n in range(int(sys.argv[3]) + 1):
    start = time.perf_counter()
    make_report(plan, period, files, "quarterly", Path(sys.argv[2]), options,
                archive=Path(sys.argv[2]).with_suffix(".sqlite"))
    times.append(time.perf_counter() - start)
print(statistics.median(times[1:]))
"""


def export(ref: str, folder: Path) -> Path:
    """The tree of ``ref`` under ``folder`` (reportgen package only)."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref, "reportgen"], capture_output=True, check=True
    ).stdout
    target = folder / "before"
    target.mkdir()
    tar_path = folder / "before.tar"
    tar_path.write_bytes(archive)
    with tarfile.open(tar_path) as tar:
        tar.extractall(target, filter="data")
    return target


def env_for(tree: Path, cache: Path) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(tree), PYTHONPYCACHEPREFIX=str(cache))
    env["REPORTGEN_ARCHIVE"] = str(cache / "none.sqlite")
    return env


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", default="595f8d1")
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        trees = {"before": export(args.before, folder), "after": ROOT}
        cold: dict[str, list[float]] = {name: [] for name in trees}
        rss: dict[str, float] = {}
        data = [str(p) for p in sorted(SAMPLES.glob("*.xlsx"))]
        for n in range(args.repeats + 1):
            for name, tree in trees.items():
                out = folder / f"{name}.docx"
                argv = [sys.executable, "-m", "reportgen", "report", *ARGS, "-o", str(out), *data]
                run = run_child(argv, folder, env_for(tree, folder / f"cache-{name}"))
                if run.code != 0:
                    raise SystemExit(f"{name}: {run.stderr}")
                if n:  # the first round compiles bytecode
                    cold[name].append(run.seconds)
                rss[name] = run.rss_mb
        for name, tree in trees.items():
            out = folder / f"w-{name}.docx"
            warm = subprocess.run(
                [sys.executable, "-c", WARM, str(SAMPLES), str(out), str(args.repeats)],
                env=env_for(tree, folder / f"cache-{name}"),
                capture_output=True,
                text=True,
                check=True,
            )
            print(
                f"{name:6}  cold {median(cold[name]):.3f} s  warm {float(warm.stdout) * 1000:.1f} ms"
                f"  peak RSS {rss[name]:.0f} MB"
            )


if __name__ == "__main__":
    main()
