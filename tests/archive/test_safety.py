"""Archive safety across processes, on both backends: SIGKILL inside an add, concurrent writers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from reportgen.archive import Archive
from tests.support.archive_builders import add, make_plan

ROOT = Path(__file__).parents[2]

# The child pauses when the archive is about to run a statement starting with argv[2] (or to
# commit, for "COMMIT"), via SQLAlchemy events on every engine, tells the parent, and waits.
PAUSING_CHILD = f"""
import sys, time
sys.path.insert(0, {str(ROOT)!r})
from sqlalchemy import Engine, event
from reportgen.archive import Archive
from tests.support.archive_builders import add, make_plan

def pause():
    print("paused", flush=True)
    time.sleep(120)

def before(conn, cursor, statement, *args):
    if statement.startswith(sys.argv[2]):
        pause()

event.listen(Engine, "before_cursor_execute", before)
if sys.argv[2] == "COMMIT":
    event.listen(Engine, "commit", lambda conn: pause())

with Archive.open(sys.argv[1]) as archive:
    add(archive, make_plan(), "2024-Q2", {{"I1": 100, "I2": 80.0, "I3": 10}})
    archive.snapshots()
print("finished", flush=True)
"""

WRITER_CHILD = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
from reportgen.archive import Archive
from tests.support.archive_builders import add, make_plan

if sys.argv[3:] == ["unqueued"]:  # no advisory lock: only the unique keys and retries
    import reportgen.archive.store as store
    store.queue_writers = lambda conn, key: None
plan = make_plan()
with Archive.open(sys.argv[1]) as archive:
    versions = [add(archive, plan, "2024-Q2", {{"I1": n, "I2": 80.0, "I3": 10}}).version
                for n in range(int(sys.argv[2]))]
print(" ".join(map(str, versions)))
"""


def _kill_when_paused(target: str, statement: str) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", PAUSING_CHILD, target, statement],
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
        ("SELECT snapshots.id, snapshots.plan_id", 1),  # after the add returned: all there
    ],
)
def test_sigkill_during_add_leaves_all_or_nothing(
    target: str, statement: str, expected: int
) -> None:
    with Archive.open(target) as archive:
        add(archive, make_plan(), "2024-Q1", {"I1": 90, "I2": 70.0, "I3": None})
    _kill_when_paused(target, statement)
    with Archive.open(target, readonly=True) as archive:
        assert archive.verify() == []
        assert [i.period_key for i in archive.snapshots()] == ["2024-Q1", *["2024-Q2"] * expected]
        if expected:
            assert len(archive.get("demo-plan", "2024-Q2").indicators) == 3
    with Archive.open(target) as archive:  # and it can still be written to
        assert add(archive, make_plan(), "2024-Q2", {"I1": 1}).version == expected + 1


def test_sigkill_while_creating_the_archive(target: str) -> None:
    _kill_when_paused(target, "CREATE TABLE snapshots")
    with Archive.open(target) as archive:
        assert archive.snapshots() == []
        assert add(archive, make_plan(), "2024-Q2", {"I1": 1}).version == 1
        assert archive.verify() == []


def _concurrent_writers(target: str, processes: int, adds: int, *options: str) -> None:
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER_CHILD, target, str(adds), *options],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(processes)
    ]
    outputs = [w.communicate(timeout=900) for w in writers]
    assert [w.returncode for w in writers] == [0] * processes, [err for _, err in outputs]
    total = processes * adds
    reported = sorted(int(v) for out, _ in outputs for v in out.split())
    assert reported == list(range(1, total + 1))
    with Archive.open(target, readonly=True) as archive:
        infos = archive.snapshots()
        assert sorted(i.version for i in infos) == list(range(1, total + 1))
        assert sorted(i.id for i in infos) == list(range(1, total + 1))
        assert archive.verify() == []


@pytest.mark.slow
def test_four_concurrent_writers_lose_nothing(target: str) -> None:
    _concurrent_writers(target, 4, 50)  # the archive is created by whichever writer comes first


@pytest.mark.slow
@pytest.mark.parametrize("target", ["postgresql"], indirect=True)
def test_sixteen_writers_on_postgresql_lose_nothing(target: str) -> None:
    _concurrent_writers(target, 16, 50)


@pytest.mark.slow
@pytest.mark.parametrize("target", ["postgresql"], indirect=True)
def test_unique_keys_and_retries_alone_keep_versions_contiguous(target: str) -> None:
    _concurrent_writers(target, 4, 25, "unqueued")
