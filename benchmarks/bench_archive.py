"""Benchmark: archive 1 000 snapshots (9 indicators each), then list, read and verify them.

Run: python benchmarks/bench_archive.py [--snapshots 1000] [--repeats 5]

The floor, measured in the same run, is bare sqlite3 writing exactly the same rows into the same
schema with the same settings (WAL, synchronous=FULL), one BEGIN IMMEDIATE … COMMIT per snapshot,
and `SELECT * FROM snapshots` for the listing. Ratios show what the archive adds on top (dataclasses,
canonical JSON + sha256, version numbering, the chain link). Peak RSS is of the whole process.
"""

from __future__ import annotations

import argparse
import resource
import sqlite3
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from timing import interleaved, median

from reportgen.archive import Archive
from reportgen.archive.schema import ARCHIVE
from reportgen.archive.store import CHILD_TABLES
from reportgen.periods import Period, parse_period
from reportgen.plan import Plan
from reportgen.progress import IndicatorProgress, ProgressResult, TaskProgress
from reportgen.records import Dataset, SourceFile, TaskRecord, ValueRecord

INDICATORS = 9
WEEKS = 250  # 1 000 snapshots = 250 weeks × 4 versions


def build_plan() -> Plan:
    return Plan.model_validate(
        {
            "id": "bench",
            "title": "基准测试方案",
            "issuer": "测试",
            "source": "bench",
            "start": "2023-01-01",
            "end": "2025-12-31",
            "indicators": [
                {"id": f"I{n}", "name": f"指标{n}", "unit": "项", "method": "cumulative",
                 "targets": {2025: 100 + n}, "source_ref": "表1"}
                for n in range(INDICATORS)
            ],
            "tasks": [{"id": f"T{n}", "title": f"任务{n}", "source_ref": "二"} for n in range(4)],
        }
    )  # fmt: skip


def build_inputs(plan: Plan, n: int) -> tuple[Period, Dataset, ProgressResult]:
    """Snapshot ``n``: week n % WEEKS from 2006-W01, values varying with ``n``."""
    period = parse_period(f"{2006 + (n % WEEKS) // 52}-W{(n % WEEKS) % 52 + 1:02d}")
    cell = "填报_市市场监管局.xlsx:指标填报!H{}"
    values = {
        i.id: ValueRecord(i.id, None if k == 8 else float(n % 90 + k), cell.format(k + 5))
        for k, i in enumerate(plan.indicators)
    }
    tasks = {
        t.id: [TaskRecord(t.id, "填报_市市场监管局.xlsx:重点任务!E5", "市市场监管局", "推进中", "按计划推进")]
        for t in plan.tasks
    }  # fmt: skip
    files = [
        SourceFile(f"/in/{d}.xlsx", f"{d}.xlsx", "ab" * 32, 40_000, d) for d in ("甲", "乙", "丙")
    ]
    dataset = Dataset(plan.id, period.key, values, tasks, files)
    indicators = [
        IndicatorProgress(
            i.id, i.name, None, i.unit, i.attribute, i.method, v.value, i.final_target, 2025,
            i.final_target / 2, None if v.value is None else v.value / i.final_target, 0.5, 1.5,
            "进度正常" if v.value is not None else "未填报", False, i.final_target, None, None,
            None, v.source,
        )
        for i, v in zip(plan.indicators, values.values(), strict=True)
    ]  # fmt: skip
    progress = [TaskProgress(t.id, t.title, [], "推进中", "按计划推进", "", "") for t in plan.tasks]
    return period, dataset, ProgressResult(plan, period, indicators, progress)


def archive_all(
    path: Path, inputs: list[tuple[Period, Dataset, ProgressResult]], plan: Plan
) -> None:
    with Archive.open(path) as archive:
        for period, dataset, result in inputs:
            archive.add(plan, period, dataset, result)


def stored_rows(path: Path) -> list[dict[str, list[tuple]]]:
    """Every snapshot's rows, table by table, as the archive stored them."""
    conn = sqlite3.connect(path)
    tables = ["plans", "snapshots", *(t.name for t in CHILD_TABLES)]
    by_snapshot: dict[int, dict[str, list[tuple]]] = defaultdict(lambda: defaultdict(list))
    by_snapshot[1]["plans"] = conn.execute("SELECT * FROM plans").fetchall()
    for table in tables[1:]:
        key = "id" if table == "snapshots" else "snapshot_id"
        for row in conn.execute(f"SELECT * FROM {table} ORDER BY {key}"):
            by_snapshot[row[0]][table].append(row)
    conn.close()
    return [by_snapshot[k] for k in sorted(by_snapshot)]


def floor_insert(path: Path, snapshots: list[dict[str, list[tuple]]]) -> None:
    """The same rows, same schema and settings, one transaction per snapshot, bare sqlite3."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    for statement in ARCHIVE.steps[0].sqlite:
        conn.execute(statement)
    for tables in snapshots:
        conn.execute("BEGIN IMMEDIATE")
        for table, rows in tables.items():
            marks = ", ".join("?" * len(rows[0]))
            conn.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
        conn.execute("COMMIT")
    conn.close()


def timed_both(func: Callable[[], object]) -> tuple[float, float]:
    """(wall, CPU) seconds: wall time includes waiting for fsync, which varies from run to run."""
    wall, cpu = time.perf_counter(), time.process_time()
    func()
    return time.perf_counter() - wall, time.process_time() - cpu


def floor_list(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("SELECT * FROM snapshots ORDER BY id").fetchall()
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snapshots", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    plan = build_plan()
    inputs = [build_inputs(plan, n) for n in range(args.snapshots)]
    with tempfile.TemporaryDirectory() as tmp:
        path, floor_path = Path(tmp) / "archive.sqlite", Path(tmp) / "floor.sqlite"
        add_s, add_cpu = timed_both(lambda: archive_all(path, inputs, plan))
        rows = stored_rows(path)
        floor_s, floor_cpu = timed_both(lambda: floor_insert(floor_path, rows))
        with Archive.open(path, readonly=True) as archive:
            lists, floor_lists, gets = interleaved(
                [
                    archive.snapshots,
                    lambda: floor_list(floor_path),
                    lambda: archive.get("bench", "2006-W10"),
                ],
                args.repeats,
            )
            count = len(archive.snapshots())
            history_s = timed_both(lambda: archive.history("bench"))[0]
            verify_s = timed_both(archive.verify)[0]
        size_mb = path.stat().st_size / 1e6
    list_s, floor_list_s, get_s = median(lists), median(floor_lists), median(gets)
    n, ms = args.snapshots, 1000
    lines = [
        f"snapshots: {count} × {INDICATORS} indicators; archive file {size_mb:.1f} MB",
        f"add wall: {add_s:6.3f} s ({add_s / n * ms:.2f} ms each)  floor {floor_s:.3f} s  "
        f"ratio {add_s / floor_s:.2f}",
        f"add CPU:  {add_cpu:6.3f} s  floor {floor_cpu:.3f} s  ratio {add_cpu / floor_cpu:.2f}",
        f"list:     {list_s * ms:6.1f} ms  floor {floor_list_s * ms:.1f} ms  "
        f"ratio {list_s / floor_list_s:.2f}",
        f"get:      {get_s * ms:6.2f} ms (one full snapshot)",
        f"history:  {history_s * ms:6.1f} ms ({count // 4} periods)",
        f"verify:   {verify_s:6.3f} s (every checksum recomputed from the rows)",
        f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB",
    ]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
