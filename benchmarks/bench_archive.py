"""Benchmark: archive 1 000 snapshots (9 indicators each), then list, read and verify them,
on SQLite and on PostgreSQL (a throwaway cluster, as the tests start one).

Run: python benchmarks/bench_archive.py [--snapshots 1000] [--repeats 5] [--backend both]

The floor, measured in the same run, is the bare driver (sqlite3 / psycopg) writing exactly the
same rows into the same schema, one transaction per snapshot (SQLite: WAL, synchronous=FULL,
BEGIN IMMEDIATE), and `SELECT * FROM snapshots` for the listing. Ratios show what the archive adds
on top (SQLAlchemy Core, dataclasses, canonical JSON + sha256, version numbering, the chain link
and its lock). The PostgreSQL cluster runs with fsync=off (a test cluster): its add figures are
CPU and round trips, not disk. Peak RSS is of the whole process.
"""

from __future__ import annotations

import argparse
import resource
import sqlite3
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from timing import interleaved, median

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.support.postgres
from reportgen.archive import Archive
from reportgen.archive.schema import ARCHIVE
from reportgen.archive.store import CHILD_TABLES
from reportgen.periods import Period, parse_period
from reportgen.plan import Plan
from reportgen.progress import IndicatorProgress, ProgressResult, TaskProgress
from reportgen.records import Dataset, SourceFile, TaskRecord, ValueRecord
from tests.support.postgres import fresh_database, start_cluster, stop_cluster
from tests.support.render_samples import of_plan

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
    return period, dataset, of_plan(plan, period, indicators, progress)


def archive_all(
    target: str, inputs: list[tuple[Period, Dataset, ProgressResult]], plan: Plan
) -> None:
    with Archive.open(target) as archive:
        for period, dataset, result in inputs:
            archive.add(plan, period, dataset, result)


TABLES = ["plans", "snapshots", *(t.name for t in CHILD_TABLES)]


def stored_rows(target: str) -> list[dict[str, list[tuple]]]:
    """Every snapshot's rows, table by table, as the archive stored them."""
    conn = _driver(target)
    by_snapshot: dict[int, dict[str, list[tuple]]] = defaultdict(lambda: defaultdict(list))
    by_snapshot[1]["plans"] = conn.execute("SELECT * FROM plans").fetchall()
    for table in TABLES[1:]:
        key = "id" if table == "snapshots" else "snapshot_id"
        for row in conn.execute(f"SELECT * FROM {table} ORDER BY {key}"):
            by_snapshot[row[0]][table].append(tuple(row))
    conn.close()
    return [by_snapshot[k] for k in sorted(by_snapshot)]


def _driver(target: str):  # sqlite3 or psycopg connection
    if target.startswith("postgresql"):
        import psycopg

        return psycopg.connect(target)
    return sqlite3.connect(target)


def floor_insert(target: str, snapshots: list[dict[str, list[tuple]]]) -> None:
    """The same rows, same schema and settings, one transaction per snapshot, bare driver."""
    postgres = target.startswith("postgresql")
    if postgres:
        import psycopg

        conn = psycopg.connect(target, autocommit=True)
        steps, mark = ARCHIVE.steps[0].postgresql, "%s"
    else:
        conn = sqlite3.connect(target, isolation_level=None)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        steps, mark = ARCHIVE.steps[0].sqlite, "?"
    for statement in steps:
        conn.execute(statement)
    cursor = conn.cursor()
    for tables in snapshots:
        conn.execute("BEGIN" if postgres else "BEGIN IMMEDIATE")
        for table, rows in tables.items():
            marks = ", ".join([mark] * len(rows[0]))
            cursor.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
        conn.execute("COMMIT")
    conn.close()


def timed_both(func: Callable[[], object]) -> tuple[float, float]:
    """(wall, CPU) seconds: wall time includes waiting for fsync, which varies from run to run."""
    wall, cpu = time.perf_counter(), time.process_time()
    func()
    return time.perf_counter() - wall, time.process_time() - cpu


def floor_list(conn) -> None:  # an open sqlite3 / psycopg connection, as the archive's is
    conn.execute("SELECT * FROM snapshots ORDER BY id").fetchall()
    conn.rollback()


@contextmanager
def targets(backend: str, folder: Path) -> Iterator[tuple[str, str]]:
    """(archive, floor) locations on ``backend``."""
    if backend == "sqlite":
        yield str(folder / "archive.sqlite"), str(folder / "floor.sqlite")
        return
    cluster, reason = start_cluster()
    if cluster is None:
        raise SystemExit(f"PostgreSQL: {reason}")
    try:
        with fresh_database(cluster) as archive, fresh_database(cluster) as floor:
            yield archive, floor
    finally:
        stop_cluster(cluster)


def measure(backend: str, args: argparse.Namespace, plan: Plan, inputs: list) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp, targets(backend, Path(tmp)) as (target, floor):
        add_s, add_cpu = timed_both(lambda: archive_all(target, inputs, plan))
        rows = stored_rows(target)
        floor_s, floor_cpu = timed_both(lambda: floor_insert(floor, rows))
        floor_conn = _driver(floor)
        with Archive.open(target, readonly=True) as archive:
            lists, floor_lists, gets = interleaved(
                [
                    archive.snapshots,
                    lambda: floor_list(floor_conn),
                    lambda: archive.get("bench", "2006-W10"),
                ],
                args.repeats,
            )
            count = len(archive.snapshots())
            history_s = timed_both(lambda: archive.history("bench"))[0]
            verify_s = timed_both(archive.verify)[0]
        floor_conn.close()
    list_s, floor_list_s, get_s = median(lists), median(floor_lists), median(gets)
    n, ms = args.snapshots, 1000
    return [
        f"[{backend}] snapshots: {count} × {INDICATORS} indicators",
        f"add wall: {add_s:6.3f} s ({add_s / n * ms:.2f} ms each)  floor {floor_s:.3f} s  "
        f"ratio {add_s / floor_s:.2f}",
        f"add CPU:  {add_cpu:6.3f} s  floor {floor_cpu:.3f} s  ratio {add_cpu / floor_cpu:.2f}",
        f"list:     {list_s * ms:6.1f} ms  floor {floor_list_s * ms:.1f} ms  "
        f"ratio {list_s / floor_list_s:.2f}",
        f"get:      {get_s * ms:6.2f} ms (one full snapshot)",
        f"history:  {history_s * ms:6.1f} ms ({count // 4} periods)",
        f"verify:   {verify_s:6.3f} s (every checksum recomputed from the rows)",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snapshots", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    plan = build_plan()
    inputs = [build_inputs(plan, n) for n in range(args.snapshots)]
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    lines = [line for backend in backends for line in measure(backend, args, plan, inputs)]
    lines.append(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
