"""Every benchmark of issue 9 in one run: a table on stdout, the latest results in README.md.

Run: python benchmarks/run.py [--repeats 5] [--batch-repeats 3] [--no-readme]

Inputs are generated first, by a child process, in a temporary folder. Every measurement runs in
child processes: times are medians over ``--repeats`` runs after one untimed warm-up, compared
with a floor measured in the same run (in-process figures interleave the two, so that load from
other processes hits both alike); peak RSS (ru_maxrss from wait4) comes from a separate child
that does the work once. This process imports nothing of reportgen: a child's ru_maxrss starts
from its parent's size at fork. Children cache bytecode under the temporary folder
(PYTHONPYCACHEPREFIX), as an installed package would, even where PYTHONDONTWRITEBYTECODE is set.
A batch's peak RSS is that of its largest process (the parent or one worker).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import bench_batch  # loads nothing of reportgen
from timing import ChildRun, median, run_child

HERE = Path(__file__).resolve().parent
README = HERE / "README.md"
START, END = "<!-- results:start -->", "<!-- results:end -->"
RSS_TARGET_MB = 200
CHILDREN = ("sample", "check", "progress", "big")


@dataclass(frozen=True)
class Row:
    """One line of the results table (seconds; the floor and the target are optional)."""

    name: str
    seconds: float
    floor: float | None = None
    target: str = ""
    met: bool | None = None
    rss_mb: float | None = None

    def cells(self) -> list[str]:
        ratio = f"{self.seconds / self.floor:.2f}×" if self.floor else ""
        floor = _time(self.floor) if self.floor else ""
        verdict = {True: "met", False: "**missed**", None: ""}[self.met]
        rss = f"{self.rss_mb:.0f}" if self.rss_mb is not None else ""
        if self.rss_mb is not None and self.rss_mb > RSS_TARGET_MB:
            rss += " (over)"
        return [self.name, _time(self.seconds), floor, ratio, self.target, verdict, rss]


def _time(seconds: float) -> str:
    return f"{seconds:.3f} s" if seconds >= 1 else f"{seconds * 1000:.1f} ms"


# ---------------------------------------------------------------- child side


def child(name: str, work: Path, repeats: int) -> dict:
    """One in-process measurement (run in a child process by ``measure_in_child``): medians of
    reportgen and its floor, or with ``repeats`` 0 reportgen once, for its peak RSS alone."""
    import bench_check
    import bench_progress
    import bench_report

    from reportgen.plan import load_plan

    if name == "check":
        ours, measure = bench_check.runner(work / "check"), bench_check.measure
        args: tuple = (work / "check",)
    elif name == "progress":
        ours, measure, args = bench_progress.runner(10_000), bench_progress.measure, (10_000,)
    else:
        plan_file, workbook = bench_report.big_input_paths(1000, work)
        plan = load_plan(bench_report.PLAN_ID if name == "sample" else plan_file)
        workbooks = bench_report.sample_workbooks() if name == "sample" else [workbook]
        ours = bench_report.report_runner(plan, workbooks, work / f"{name}.docx")
        measure, args = bench_report.measure, (plan, workbooks, work)
    if repeats == 0:
        ours()
        return {}
    return measure(*args, repeats)


# ---------------------------------------------------------------- parent side


def prepare(work: Path, batch: bool) -> None:
    """Every input, generated once: 30 check workbooks, the 1 000-indicator plan, the batch,
    and the command lines of the cold runs (commands.json)."""
    import bench_check
    import bench_report

    (work / "check").mkdir()
    bench_check.make_files(bench_check.bench_plan(), work / "check")
    bench_report.make_big_inputs(1000, work)
    bench_report.write_floor_inputs(bench_report.sample_result(), work)
    if batch:
        bench_batch.make_inputs(work / "batch")
    (work / "commands.json").write_text(json.dumps(cold_commands(work)), encoding="utf-8")


def child_env(work: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPYCACHEPREFIX": str(work / "pycache")}


def run_script(work: Path, *args: str) -> ChildRun:
    """``python run.py ARGS --work WORK`` as a child process; RuntimeError if it fails."""
    argv = [sys.executable, str(HERE / "run.py"), *args, "--work", str(work)]
    done = run_child(argv, work, child_env(work))
    if done.code != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done


def measure_in_child(name: str, work: Path, repeats: int) -> tuple[dict, float]:
    """The timings of ``name`` and the peak RSS of a process that runs it once."""
    timed = run_script(work, "--child", name, "--repeats", str(repeats))
    once = run_script(work, "--child", name, "--repeats", "0")
    return json.loads(timed.stdout.strip().splitlines()[-1]), once.rss_mb


def cold_runs(commands: dict[str, list[str]], work: Path, repeats: int) -> dict[str, tuple]:
    """Median seconds and largest RSS of each command, run in turn; the first round untimed."""
    runs: dict[str, list] = {name: [] for name in commands}
    for _ in range(repeats + 1):
        for name, argv in commands.items():
            done = run_child(argv, work, child_env(work))
            if done.code != 0:
                raise RuntimeError(f"{name} failed:\n{done.stderr[-3000:]}")
            runs[name].append(done)
    return {
        name: (median([r.seconds for r in done[1:]]), max(r.rss_mb for r in done[1:]))
        for name, done in runs.items()
    }


def cold_commands(work: Path) -> dict[str, list[str]]:
    import bench_report

    from reportgen.render.report import template_path

    python = sys.executable
    report = [python, "-m", "reportgen", "report", bench_report.PLAN_ID, "--period", "2024-Q2"]
    report += ["--data", str(bench_report.SAMPLES), "-o", str(work / "cold.docx")]
    report += ["--date", "2024-07-05", "--archive", str(work / "none.sqlite")]
    floor = [python, str(HERE / "floor.py"), str(work / "context.json")]
    floor += [str(template_path("quarterly")), str(work / "floor-cold.docx")]
    return {
        "floor": floor + [str(p) for p in bench_report.sample_workbooks()],
        "report": report,
        "pass": [python, "-c", "pass"],
        "import reportgen": [python, "-c", "import reportgen"],
        "import reportgen.cli": [python, "-c", "import reportgen.cli"],
    }


def collect(work: Path, repeats: int, batch_repeats: int) -> list[Row]:
    """Every measurement; ``batch_repeats`` 0 leaves out the two batch runs."""
    measured = {name: measure_in_child(name, work, repeats) for name in CHILDREN}
    commands = json.loads((work / "commands.json").read_text(encoding="utf-8"))
    cold = cold_runs(commands, work, repeats)
    data, env = work / "batch" / "data", child_env(work)
    batch = {
        w: bench_batch.measure(work, data, batch_repeats, w, env) if batch_repeats else None
        for w in (None, 1)
    }
    (sample, sample_rss), (check, check_rss) = measured["sample"], measured["check"]
    (progress, progress_rss), (big, big_rss) = measured["progress"], measured["big"]
    bare, bare_rss = cold["pass"]
    rows = [
        Row("Floor: calamine read + bare docxtpl render (舟山 sample)", sample["floor"]),
        Row("Floor, cold process", cold["floor"][0], rss_mb=cold["floor"][1]),
        Row("`report` 舟山 quarterly, warm (make_report)", sample["ours"], sample["floor"],
            "≤ 2× floor", sample["ours"] <= 2 * sample["floor"], sample_rss),
        Row("`report` 舟山 quarterly, cold process", cold["report"][0], cold["floor"][0],
            "≤ 2× floor", cold["report"][0] <= 2 * cold["floor"][0], cold["report"][1]),
        Row("`check` 30 workbooks × 50 indicators", check["ours"], check["floor"],
            "≤ 0.6 s", check["ours"] <= 0.6, check_rss),
        Row("progress, 10 000 indicators", progress["ours"], progress["floor"],
            "≤ 0.2 s", progress["ours"] <= 0.2, progress_rss),
        Row("`report` quarterly, 1 000 indicators (read → docx)", big["ours"], big["floor"],
            rss_mb=big_rss),
        Row("`python -c pass` (interpreter start)", bare, rss_mb=bare_rss),
        Row("import reportgen (above interpreter start)", cold["import reportgen"][0] - bare,
            rss_mb=cold["import reportgen"][1]),
        Row("import reportgen.cli (above interpreter start)",
            cold["import reportgen.cli"][0] - bare, rss_mb=cold["import reportgen.cli"][1]),
    ]  # fmt: skip
    if batch[None] and batch[1]:
        parallel, serial = batch[None]["ours"], batch[1]["ours"]
        target = bench_batch.TARGET_SECONDS
        name = f"batch: {bench_batch.REPORTS} reports in one `report` command"
        rows[7:7] = [
            Row(f"{name} (CPU {batch[None]['cpu']:.1f} s)", parallel, None,
                f"≤ {target:.0f} s", parallel <= target, batch[None]["rss_mb"]),
            Row(f"{name}, `--workers 1` (CPU {batch[1]['cpu']:.1f} s)", serial,
                rss_mb=batch[1]["rss_mb"]),
        ]  # fmt: skip
    return rows


def table(rows: list[Row]) -> str:
    header = ["Measurement", "Median", "Floor", "Ratio", "Target", "Verdict", "Peak RSS MB"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row.cells()) + " |" for row in rows]
    return "\n".join(lines)


def machine(repeats: int, load: tuple[float, float, float]) -> str:
    cpu = platform.processor() or platform.machine()
    try:
        info = Path("/proc/cpuinfo").read_text()
        cpu = next(
            line.split(":", 1)[1].strip() for line in info.splitlines() if "model name" in line
        )
    except (OSError, StopIteration):
        pass
    return (
        f"{datetime.now():%Y-%m-%d %H:%M} · {platform.platform()} · {cpu} · "
        f"{os.cpu_count()} CPUs · Python {platform.python_version()} · medians of {repeats} · "
        f"load average at start {load[0]:.2f}"
    )


def write_readme(text: str) -> None:
    readme = README.read_text(encoding="utf-8")
    head, rest = readme.split(START, 1)
    _, tail = rest.split(END, 1)
    README.write_text(f"{head}{START}\n{text}\n{END}{tail}", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--batch-repeats", type=int, default=3, help="0: leave the batch out")
    parser.add_argument("--no-readme", action="store_true", help="only print the table")
    parser.add_argument("--child", choices=CHILDREN, help=argparse.SUPPRESS)
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.work, args.repeats)))
        return
    if args.prepare:
        prepare(args.work, batch=args.batch_repeats > 0)
        return
    load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="reportgen-bench-") as tmp:
        work = Path(tmp)
        print("generating inputs …", file=sys.stderr)
        run_script(work, "--prepare", "--batch-repeats", str(args.batch_repeats))
        print("measuring …", file=sys.stderr)
        rows = collect(work, args.repeats, args.batch_repeats)
    text = f"{machine(args.repeats, load)}\n\n{table(rows)}"
    print(text)
    if not args.no_readme:
        write_readme(text)


if __name__ == "__main__":
    main()
