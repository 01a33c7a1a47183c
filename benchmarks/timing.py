"""Timing helpers shared by the benchmarks: interleaved runs, medians, child processes' peak RSS."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path


def interleaved(
    funcs: Sequence[Callable[[], object]], repeats: int, warmup: bool = True
) -> list[list[float]]:
    """Seconds of each of ``funcs`` over ``repeats`` rounds, run in turn so that load from other
    processes hits each alike; one untimed round first when ``warmup``."""
    if warmup:
        for func in funcs:
            func()
    times: list[list[float]] = [[] for _ in funcs]
    for _ in range(repeats):
        for func, bucket in zip(funcs, times, strict=True):
            start = time.perf_counter()
            func()
            bucket.append(time.perf_counter() - start)
    return times


def median(times: Sequence[float]) -> float:
    return statistics.median(times)


@dataclass(frozen=True)
class ChildRun:
    """One child process: its wall time, CPU time (its own and its children's), peak RSS (MB),
    exit code and output."""

    seconds: float
    cpu_seconds: float
    rss_mb: float
    code: int
    stdout: str
    stderr: str


def run_child(argv: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> ChildRun:
    """Run ``argv`` through ``launch.py`` and return its wall time, CPU time and own peak RSS.

    ru_maxrss of a child covers the largest of it and its own waited-for children, so a process
    pool's workers are included as the largest single process, not as a sum. The launcher keeps
    the benchmark's own memory out of the figure (see launch.py).
    """
    out_path, err_path = cwd / ".child.out", cwd / ".child.err"
    result_path = cwd / ".child.json"
    launcher = [sys.executable, str(Path(__file__).with_name("launch.py")), str(result_path)]
    with out_path.open("wb") as out, err_path.open("wb") as err:
        subprocess.run([*launcher, *argv], cwd=cwd, env=env, stdout=out, stderr=err, check=True)
    measured = json.loads(result_path.read_text(encoding="utf-8"))
    return ChildRun(
        measured["seconds"],
        measured["cpu_seconds"],
        measured["rss_mb"],
        measured["code"],
        out_path.read_text(encoding="utf-8", errors="replace"),
        err_path.read_text(encoding="utf-8", errors="replace"),
    )
