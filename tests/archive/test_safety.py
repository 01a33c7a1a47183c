"""Archive safety across processes: SIGKILL inside an add, and four concurrent writers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from reportgen.archive import Archive
from tests.support.archive_builders import add, make_plan

TESTS = Path(__file__).resolve().parents[2]  # the repository root, for `import tests.support`

# The child pauses when SQLite is about to run a statement starting with argv[2] (via a trace
# callback on every archive connection), tells the parent, and waits to be killed.
PAUSING_CHILD = f"""
import sys, time
sys.path.insert(0, {str(TESTS)!r})
import reportgen.archive.store as store
from tests.support.archive_builders import add, make_plan
from reportgen.archive import Archive

def pause(statement):
    if statement.startswith(sys.argv[2]):
        print("paused", flush=True)
        time.sleep(120)

original = store._connect
def connect(path, mode):
    conn = original(path, mode)
    conn.set_trace_callback(pause)
    return conn
store._connect = connect

with Archive.open(sys.argv[1]) as archive:
    add(archive, make_plan(), "2024-Q2", {{"I1": 100, "I2": 80.0, "I3": 10}})
    archive.snapshots()
print("finished", flush=True)
"""

WRITER_CHILD = f"""
import sys
sys.path.insert(0, {str(TESTS)!r})
from tests.support.archive_builders import add, make_plan
from reportgen.archive import Archive

plan = make_plan()
with Archive.open(sys.argv[1]) as archive:
    versions = [add(archive, plan, "2024-Q2", {{"I1": n, "I2": 80.0, "I3": 10}}).version
                for n in range(int(sys.argv[2]))]
print(" ".join(map(str, versions)))
"""


def _kill_when_paused(path: Path, statement: str) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", PAUSING_CHILD, str(path), statement],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == "paused\n", f"child never reached {statement}"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("INSERT INTO indicator_results", 0),
        ("INSERT INTO warnings", 0),
        ("COMMIT", 0),
        ("SELECT id, plan_id", 1),  # after the add returned: it is all there
    ],
)
def test_sigkill_during_add_leaves_all_or_nothing(
    tmp_path: Path, statement: str, expected: int
) -> None:
    path = tmp_path / "archive.sqlite"
    with Archive.open(path) as archive:
        add(archive, make_plan(), "2024-Q1", {"I1": 90, "I2": 70.0, "I3": None})
    _kill_when_paused(path, statement)
    with Archive.open(path, readonly=True) as archive:
        assert archive.verify() == []
        assert [i.period_key for i in archive.snapshots()] == ["2024-Q1", *["2024-Q2"] * expected]
        if expected:
            assert len(archive.get("demo-plan", "2024-Q2").indicators) == 3
    with Archive.open(path) as archive:  # and it can still be written to
        assert add(archive, make_plan(), "2024-Q2", {"I1": 1}).version == expected + 1


def test_sigkill_while_creating_the_archive(tmp_path: Path) -> None:
    path = tmp_path / "archive.sqlite"
    _kill_when_paused(path, "CREATE TABLE snapshots")
    with Archive.open(path) as archive:
        assert archive.snapshots() == []
        assert add(archive, make_plan(), "2024-Q2", {"I1": 1}).version == 1
        assert archive.verify() == []


def test_four_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "archive.sqlite"  # created by whichever writer comes first
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER_CHILD, str(path), "50"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outputs = [w.communicate(timeout=300) for w in writers]
    assert [w.returncode for w in writers] == [0] * 4, [err for _, err in outputs]
    reported = sorted(int(v) for out, _ in outputs for v in out.split())
    assert reported == list(range(1, 201))
    with Archive.open(path, readonly=True) as archive:
        infos = archive.snapshots()
        assert len(infos) == 200
        assert sorted(i.version for i in infos) == list(range(1, 201))
        assert archive.verify() == []
