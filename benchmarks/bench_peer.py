"""Side by side: the table floor, the Node peer and reportgen, paired, at 12 … 10 000 indicators.

Run: python benchmarks/bench_peer.py [--runs 9] [--sizes 12,1000,5000,10000] [--no-readme]
                                     [--baseline SRC] [--batch-runs 3]

Every workload is one cold process per tool, from the same filled 填报 workbook to a .docx:
- floor: ``floor_table.py`` — openpyxl read + a bare docxtpl table render of the same rows;
- peer: ``peer/peer.js`` — exceljs read + docxtemplater render (installed here with npm);
- reportgen: ``python -m reportgen report PLAN.json --kind weekly|quarterly …``.
The three run in turn (floor, peer, reportgen, floor, peer, …) after one warm-up round, so drift
in the machine's speed hits each alike; ratios are taken pair by pair (reportgen's run i against
the other's run i) and their median quoted. Peak memory is each process's ``ru_maxrss``.
``--baseline SRC`` adds an earlier reportgen (a source tree, e.g. ``git archive main``, run with
``PYTHONPATH=SRC``) to the same rounds, so before/after ratios are paired
too. The 100-report
batch (see bench_batch.py) runs after the workloads, reportgen and the baseline in turn.
The results table, the CPU per added indicator (the slope between sizes) and growth charts replace the section between the
``peer:start``/``peer:end`` markers in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from timing import ChildRun, run_child

HERE = Path(__file__).resolve().parent
PEER = HERE / "peer"
README = HERE / "README.md"
START, END = "<!-- peer:start -->", "<!-- peer:end -->"
SIZES = (12, 1000, 5000, 10000)
PERIODS = {"weekly": "2024-W26", "quarterly": "2024-Q2"}
COLUMNS = ("id", "name", "unit", "attribute", "baseline", "target", "final", "actual",
           "completion", "status")  # fmt: skip
HEADERS = (
    "编号",
    "指标",
    "单位",
    "属性",
    "基期值",
    "本年目标",
    "规划目标",
    "完成值",
    "完成率",
    "状态",
)


@dataclass(frozen=True)
class Workload:
    size: int
    kind: str
    plan: Path
    workbook: Path


@dataclass(frozen=True)
class Result:
    workload: Workload
    runs: dict[str, list[ChildRun]]

    def median(self, tool: str, field: str) -> float:
        return statistics.median(getattr(run, field) for run in self.runs[tool])

    def ratio(self, tool: str, other: str, field: str) -> float:
        """Median of reportgen's run i over ``other``'s run i."""
        pairs = zip(self.runs[tool], self.runs[other], strict=True)
        return statistics.median(getattr(a, field) / getattr(b, field) for a, b in pairs)


def plan_data(size: int) -> dict[str, object]:
    """A plan of ``size`` indicators (mixed methods and units) for one department."""
    methods = ("cumulative", "level", "annual", "reverse")
    indicators = [
        {
            "id": f"B{n:05d}",
            "name": f"基准测试指标{n:05d}：某项工作的完成数量或比例",
            "unit": "%" if n % 5 == 0 else "项",
            "attribute": "约束性" if n % 7 == 0 else "预期性",
            "method": methods[n % 4],
            "baseline": {"year": 2022, "value": 40},
            "targets": {"2024": 60, "2025": 80},
            "source_ref": f"表1 第{n}行",
        }
        for n in range(1, size + 1)
    ]
    task = {"id": "T01", "title": "重点任务", "lead": ["市基准局"], "source_ref": "二、1."}
    return {
        "id": f"bench-{size}",
        "title": "基准测试实施方案",
        "issuer": "基准测试办公室",
        "source": "generated",
        "start": "2023-01-01",
        "end": "2025-12-31",
        "indicators": indicators,
        "tasks": [task],
    }


def make_workload(folder: Path, size: int, kind: str) -> Workload:
    """The plan as JSON and one filled workbook for ``kind``'s period."""
    from bench_check import fill

    from reportgen.intake import write_template
    from reportgen.periods import parse_period
    from reportgen.plan import Plan

    data = plan_data(size)
    plan_file = folder / f"bench-{size}.json"
    if not plan_file.exists():
        plan_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    plan = Plan.model_validate(data)
    workbook = write_template(
        plan, parse_period(PERIODS[kind]), folder / f"填报_{size}_{kind}.xlsx"
    )
    fill(workbook, lambda row: 30 + row % 40)
    return Workload(size, kind, plan_file, workbook)


def table_template(path: Path, title: str, rows: list[list[str]]) -> Path:
    """A .docx with ``title`` and a table: the header row, then ``rows`` (cells left of a short
    row stay empty)."""
    from docx import Document

    doc = Document()
    doc.add_paragraph(title)
    table = doc.add_table(rows=1, cols=len(HEADERS))
    for cell, header in zip(table.rows[0].cells, HEADERS, strict=True):
        cell.text = header
    for values in rows:
        for cell, value in zip(table.add_row().cells, values, strict=False):
            cell.text = value
    doc.save(path)
    return path


def make_templates(folder: Path) -> tuple[Path, Path]:
    """The same one-table report as a docxtpl template (floor) and a docxtemplater one (peer)."""
    floor_row = [f"{{{{ r.{c} }}}}" for c in COLUMNS]
    floor = table_template(
        folder / "floor.docx", "{{ title }}",
        [["{%tr for r in rows %}"], floor_row, ["{%tr endfor %}"]],
    )  # fmt: skip
    peer_row = [f"{{{c}}}" for c in COLUMNS]  # docxtemplater repeats the row holding the loop
    peer_row[0], peer_row[-1] = "{#rows}{id}", "{status}{/rows}"
    return floor, table_template(folder / "peer.docx", "{title}", [peer_row])


# Output names: never the templates' (floor.docx, peer.docx), which a run would overwrite.
OUTPUTS = {"floor": "out-floor.docx", "peer": "out-peer.docx"}


def commands(work: Workload, floor_tpl: Path, peer_tpl: Path, out: Path) -> dict[str, list[str]]:
    python = sys.executable
    argvs = {
        "floor": [python, str(HERE / "floor_table.py"), str(work.workbook), str(floor_tpl),
                  str(out / OUTPUTS["floor"])],
        "peer": ["node", str(PEER / "peer.js"), str(work.workbook), str(peer_tpl),
                 str(out / OUTPUTS["peer"])],
        "reportgen": [python, "-m", "reportgen", "report", str(work.plan), "--period",
                      PERIODS[work.kind], "--data", str(work.workbook), "--kind", work.kind,
                      "-o", str(out / f"reportgen-{work.kind}.docx"), "--date", "2024-07-05",
                      "--archive", str(out / "none.sqlite")],
    }  # fmt: skip
    if BASELINE:
        argvs["before"] = before_argv(argvs["reportgen"])
    return argvs


BASELINE: dict[str, str] = {}  # PYTHONPATH of the earlier reportgen, when measured


def before_argv(argv: list[str]) -> list[str]:
    """``argv`` for the baseline: trees before issue 13 named the archive location
    ``--archive-path``."""
    cli = Path(BASELINE["src"], "reportgen", "cli")
    old = any("--archive-path" in f.read_text(encoding="utf-8") for f in cli.glob("*.py"))
    return ["--archive-path" if arg == "--archive" and old else arg for arg in argv]


def env_of(tool: str) -> dict[str, str] | None:
    """The baseline runs with its source tree first on the path; the others as they are."""
    return {**os.environ, "PYTHONPATH": BASELINE["src"]} if tool == "before" else None


def measure(work: Workload, templates: tuple[Path, Path], out: Path, runs: int) -> Result:
    """``runs`` rounds of floor, peer, reportgen in turn after one warm-up round."""
    argvs = commands(work, *templates, out)
    results: dict[str, list[ChildRun]] = {tool: [] for tool in argvs}
    for round_ in range(runs + 1):
        for tool, argv in argvs.items():
            run = run_child(argv, out, env_of(tool))
            if run.code != 0:
                raise RuntimeError(f"{tool} {work.size} {work.kind} failed: {run.stderr[-1500:]}")
            if round_:
                results[tool].append(run)
        if not round_:
            check_tables(work, out)
    return Result(work, results)


def check_tables(work: Workload, out: Path) -> None:
    """RuntimeError unless the floor's and the peer's documents hold a row per indicator (a
    harness that rendered less would flatter them)."""
    last = f"B{work.size:05d}".encode()
    for tool, name in OUTPUTS.items():
        with zipfile.ZipFile(out / name) as docx:
            xml = docx.read("word/document.xml")
        if xml.count(b"<w:tr") < work.size or last not in xml:
            raise RuntimeError(f"{tool} {work.size} {work.kind}: the table lacks rows")


def ensure_peer() -> None:
    """Install the peer's npm packages (exceljs, docxtemplater, pizzip) when missing."""
    if not shutil.which("node") or not shutil.which("npm"):
        sys.exit("node and npm are needed for the peer (apt-get install nodejs npm)")
    if not (PEER / "node_modules" / "docxtemplater").is_dir():
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent"], cwd=PEER,
                       check=True)  # fmt: skip


def table(results: list[Result]) -> str:
    lines = [
        "| workload | floor | peer | reportgen | reportgen / floor | reportgen / peer "
        "| peak MiB floor / peer / reportgen | reportgen / peer memory "
        "| reportgen CPU per added indicator | reportgen / before (time, memory) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        w = r.workload
        mem = [r.median(t, "rss_mb") for t in ("floor", "peer", "reportgen")]
        lines.append(
            f"| {w.kind}, {w.size:,} | {r.median('floor', 'seconds'):.2f} s "
            f"| {r.median('peer', 'seconds'):.2f} s | {r.median('reportgen', 'seconds'):.2f} s "
            f"| {r.ratio('reportgen', 'floor', 'seconds'):.2f} "
            f"| {r.ratio('reportgen', 'peer', 'seconds'):.2f} "
            f"| {mem[0]:.0f} / {mem[1]:.0f} / {mem[2]:.0f} "
            f"| {r.ratio('reportgen', 'peer', 'rss_mb'):.2f} "
            f"| {_marginal_text(results, r)} "
            f"| {_before(r)} |"
        )
    return "\n".join(lines)


def marginal_cpu(results: list[Result], r: Result, tool: str = "reportgen") -> float | None:
    """CPU ms per indicator added since the next smaller size of the same kind (None for the
    smallest): the slope of CPU against size, free of the fixed start-up cost."""
    smaller = [o for o in results if o.workload.kind == r.workload.kind
               and o.workload.size < r.workload.size]  # fmt: skip
    if not smaller:
        return None
    prev = max(smaller, key=lambda o: o.workload.size)
    added = r.workload.size - prev.workload.size
    return (r.median(tool, "cpu_seconds") - prev.median(tool, "cpu_seconds")) / added * 1000


def _marginal_text(results: list[Result], r: Result) -> str:
    value = marginal_cpu(results, r)
    return "—" if value is None else f"{value:.3f} ms"


def flatness(results: list[Result]) -> str:
    """One line per kind: the marginal CPU per indicator of each size step and the spread of
    those from 1 000 up (the issue asks for ±15%)."""
    lines = []
    for kind in PERIODS:
        steps = [(r.workload.size, marginal_cpu(results, r)) for r in results
                 if r.workload.kind == kind and r.workload.size > 1000]  # fmt: skip
        values = [v for _, v in steps if v is not None]
        if len(values) < 2:
            continue
        mid = statistics.median(values)
        spread = max(abs(v / mid - 1) for v in values) * 100
        parts = ", ".join(f"to {size:,}: {v:.3f} ms" for size, v in steps if v is not None)
        lines.append(f"- {kind}: CPU per added indicator {parts}; within ±{spread:.0f}% of "
                     f"their median")  # fmt: skip
    return "\n".join(lines)


def _before(r: Result) -> str:
    if "before" not in r.runs:
        return "—"
    seconds = r.ratio("reportgen", "before", "seconds")
    return f"{seconds:.2f}, {r.ratio('reportgen', 'before', 'rss_mb'):.2f} (before {r.median('before', 'seconds'):.2f} s)"


def batch(runs: int) -> str:
    """The 100-report batch, reportgen and the baseline in turn; one table row per tool."""
    import bench_batch

    rows = ["| 100 reports in one command | wall (median) | CPU | peak MiB |", "|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        data = bench_batch.make_inputs(folder)
        tools = ["reportgen", *(["before"] if BASELINE else [])]
        results: dict[str, list[ChildRun]] = {tool: [] for tool in tools}
        for _ in range(runs):
            for tool in tools:
                shutil.rmtree(folder / "out", ignore_errors=True)
                argv = bench_batch.argv(data, folder / "out")
                argv = before_argv(argv) if tool == "before" else argv
                run = run_child(argv, folder, env_of(tool))
                if run.code != 0:
                    raise RuntimeError(f"batch {tool} failed: {run.stderr[-1500:]}")
                results[tool].append(run)
    for tool, tool_runs in results.items():
        med = {f: statistics.median(getattr(r, f) for r in tool_runs)
               for f in ("seconds", "cpu_seconds", "rss_mb")}  # fmt: skip
        rows.append(f"| {tool} | {med['seconds']:.2f} s | {med['cpu_seconds']:.1f} s "
                    f"| {med['rss_mb']:.0f} |")  # fmt: skip
    if BASELINE:
        pairs = zip(results["reportgen"], results["before"], strict=True)
        ratio = statistics.median(a.seconds / b.seconds for a, b in pairs)
        rows.append(f"\nreportgen / before, paired median: {ratio:.2f}")
    return "\n".join(rows)


def growth_chart(results: list[Result], kind: str = "quarterly") -> str:
    """A Mermaid line chart of wall seconds against size for ``kind``: floor, peer, reportgen
    (in that order; xychart has no legend, so the caption names them)."""
    sizes = sorted({r.workload.size for r in results if r.workload.kind == kind})
    by_size = {r.workload.size: r for r in results if r.workload.kind == kind}
    lines = [
        f"Seconds against indicators, {kind} (lines top to bottom in the legend order: floor, "
        "peer, reportgen):",
        "",
        "```mermaid",
        "xychart-beta",
        f'  title "Wall seconds, {kind}"',
        f"  x-axis [{', '.join(str(s) for s in sizes)}]",
        '  y-axis "seconds"',
    ]
    for tool in ("floor", "peer", "reportgen"):
        series = [by_size[s].median(tool, "seconds") for s in sizes]
        lines.append(f"  line [{', '.join(f'{v:.2f}' for v in series)}]")
    lines.append("```")
    return "\n".join(lines)


def write_readme(text: str) -> None:
    readme = README.read_text(encoding="utf-8")
    if START not in readme:
        readme += f"\n{START}\n{END}\n"
    head, rest = readme.split(START, 1)
    tail = rest.split(END, 1)[1]
    README.write_text(f"{head}{START}\n{text}\n{END}{tail}", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--no-readme", action="store_true")
    parser.add_argument("--baseline", type=Path, help="source tree of an earlier reportgen")
    parser.add_argument("--batch-runs", type=int, default=3, help="0: no batch")
    args = parser.parse_args()
    if args.baseline:
        BASELINE["src"] = str(args.baseline.resolve())
    ensure_peer()
    sizes = [int(s) for s in args.sizes.split(",")]
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        templates = make_templates(folder)
        for size in sizes:
            for kind in PERIODS:
                work = make_workload(folder, size, kind)
                result = measure(work, templates, folder, args.runs)
                results.append(result)
                print(table([result]).splitlines()[-1], flush=True)
    load = os.getloadavg()
    text = (
        f"{len(results)} workloads, {args.runs} paired runs each, {os.cpu_count()} cores, "
        f"load at the end {load[0]:.1f}.\n\n"
        f"{table(results)}\n\n{flatness(results)}\n\n"
        f"{growth_chart(results, 'weekly')}\n\n{growth_chart(results)}"
    )
    if args.batch_runs:
        text += f"\n\n{batch(args.batch_runs)}"
    print(text)
    if not args.no_readme:
        write_readme(text)


if __name__ == "__main__":
    main()
