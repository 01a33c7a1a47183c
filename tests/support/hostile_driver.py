"""The child-process side of the hostile corpus runner (tests/test_hostile.py).

``python -c "...; from hostile_driver import drive; drive()"`` reads a JSON list of jobs on
stdin, runs each through ``reportgen.cli.run`` in this one process with stdout/stderr captured,
a per-job SIGALRM timeout and an address-space cap, and prints one JSON line per job.
"""

from __future__ import annotations

import contextlib
import io
import json
import resource
import signal
import sys
from pathlib import Path
from time import perf_counter

from reportgen.fileio import sha256_file


class CaseTimeout(BaseException):
    """Raised by SIGALRM inside a job that runs too long (a BaseException: nothing catches it)."""


def _on_alarm(signum: int, frame: object) -> None:
    raise CaseTimeout


def _fingerprints(paths: list[str]) -> dict[str, str]:
    return {p: sha256_file(p) for p in paths if Path(p).is_file()}


def _reset_peak() -> None:
    """Start a new resident-set high-water mark (Linux: write 5 to clear_refs)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _peak_mb() -> float:
    """Peak resident memory since ``_reset_peak``, in MB.

    VmHWM belongs to this process's own memory map. ru_maxrss is only the fallback: on Linux it
    starts at the parent's resident size at spawn (kept across exec), not at this process's.
    """
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _run_job(job: dict, timeout_s: int) -> dict:
    """One CLI run in this process, with its output captured, timed and checked."""
    from reportgen.cli import run
    from reportgen.cli.common import state

    state.debug = False
    outdir = Path(job["outdir"])
    outdir.mkdir(parents=True, exist_ok=True)
    before = _fingerprints(job["inputs"])
    out, err = io.StringIO(), io.StringIO()
    _reset_peak()
    start = perf_counter()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            signal.alarm(timeout_s)
            try:
                code: int | str = run(job["argv"])
            finally:
                signal.alarm(0)
    except CaseTimeout:
        code = "timeout"
    seconds, peak = perf_counter() - start, _peak_mb()
    after = _fingerprints(job["inputs"])
    return {
        "id": job["id"],
        "outdir": job["outdir"],
        "code": code,
        "seconds": round(seconds, 3),
        "peak_mb": round(peak, 1),
        "stdout": out.getvalue()[:20_000],
        "stderr": err.getvalue()[:20_000],
        "outputs": sorted(str(p.relative_to(outdir)) for p in outdir.rglob("*")),
        "inputs_changed": sorted(p for p in before if after.get(p) != before[p]),
    }


def drive(limit_mb: int = 2048, timeout_s: int = 20) -> None:
    """Child-process entry point: run the JSON list of jobs on stdin, print one JSON line each.

    A job is {"id", "argv", "outdir", "inputs": [paths hashed before and after]}. The address
    space is capped at ``limit_mb`` so a runaway job fails fast instead of swapping.
    """
    limit = limit_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    signal.signal(signal.SIGALRM, _on_alarm)
    real_stdout = sys.stdout
    for job in json.load(sys.stdin):
        print(
            json.dumps(_run_job(job, timeout_s), ensure_ascii=False), file=real_stdout, flush=True
        )
