"""SQLite archive files: opened safely, never written when bad, read-only media, special files."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reportgen.archive import Archive, archive_path
from reportgen.archive import sqlite as sqlite_file
from reportgen.archive.schema import SCHEMA_VERSION
from reportgen.errors import ArchiveError
from reportgen.plan import Plan
from tests.support.archive_builders import add, make_plan


@pytest.fixture
def plan() -> Plan:
    return make_plan()


@pytest.fixture
def filled(tmp_path: Path, plan: Plan) -> Path:
    path = tmp_path / "archive.sqlite"
    with Archive.open(path) as archive:
        for key, value in (("2024-Q1", 80), ("2024-Q2", 100), ("2024-Q2", 101), ("2024-Q3", 120)):
            add(archive, plan, key, {"I1": value, "I2": 80.0, "I3": 10})
    return path


def _snapshot_bytes(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(path.parent.iterdir()) if p.is_file()}


def test_read_only_file_is_refused_and_untouched(filled: Path, plan: Plan) -> None:
    before = _snapshot_bytes(filled)
    filled.chmod(0o444)
    try:
        with pytest.raises(ArchiveError, match="只读") as caught:
            Archive.open(filled)
        assert caught.value.problems[0].where == str(filled)
        with Archive.open(filled, readonly=True) as archive:  # reading still works
            assert len(archive.snapshots()) == 4
            with pytest.raises(ArchiveError, match="只读"):
                add(archive, plan, "2024-Q4", {"I1": 1})
    finally:
        filled.chmod(0o644)
    assert _snapshot_bytes(filled)[filled.name] == before[filled.name]


def test_read_only_folder_is_refused(filled: Path) -> None:
    folder = filled.parent
    folder.chmod(0o555)
    try:
        with pytest.raises(ArchiveError, match="目录是只读的"):
            Archive.open(filled)
        with pytest.raises(ArchiveError, match="只读"):
            Archive.open(folder / "new.sqlite")
    finally:
        folder.chmod(0o755)
    assert not (folder / "new.sqlite").exists()


@pytest.mark.parametrize(
    "content",
    [b"this is not a database\n" * 100, b"SQLite format 3\x00" + b"\xff" * 4000],
    ids=["text", "damaged-header"],
)
def test_corrupt_file_is_refused_and_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "archive.sqlite"
    path.write_bytes(content)
    for readonly in (False, True):
        with pytest.raises(ArchiveError, match="已损坏"):
            Archive.open(path, readonly=readonly)
    assert path.read_bytes() == content


def test_truncated_archive_is_refused(filled: Path) -> None:
    with Archive.open(filled):
        pass  # checkpoint the WAL into the main file on close
    data = filled.read_bytes()
    filled.write_bytes(data[: len(data) // 2])
    with (
        pytest.raises(ArchiveError, match="已损坏"),
        Archive.open(filled, readonly=True) as archive,
    ):
        archive.verify()
    assert filled.read_bytes() == data[: len(data) // 2]


def test_foreign_database_and_newer_schema_are_refused(tmp_path: Path, filled: Path) -> None:
    foreign = tmp_path / "other.sqlite"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE customers (name TEXT)")
    conn.commit()
    conn.close()
    before = foreign.read_bytes()
    with pytest.raises(ArchiveError, match="不是 reportgen 归档"):
        Archive.open(foreign)
    assert foreign.read_bytes() == before
    conn = sqlite3.connect(filled)
    conn.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION + 1,))
    conn.commit()
    conn.close()
    with pytest.raises(ArchiveError, match="更新版本的 reportgen"):
        Archive.open(filled)
    with pytest.raises(ArchiveError, match="更新版本的 reportgen"):
        Archive.open(filled, readonly=True)


def test_missing_archive(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match="归档文件不存在"):
        Archive.open(tmp_path / "none.sqlite", readonly=True)
    assert Archive.open_existing(tmp_path / "none.sqlite") is None
    Archive.open(tmp_path / "new.sqlite").close()
    existing = Archive.open_existing(tmp_path / "new.sqlite")
    assert existing is not None and existing.snapshots() == []
    existing.close()
    assert not (tmp_path / "none.sqlite").exists()
    with pytest.raises(ArchiveError, match="是一个目录"):
        Archive.open(tmp_path)


def test_archive_path_resolution(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("REPORTGEN_ARCHIVE", raising=False)
    assert archive_path() == Path("outputs/archive.sqlite")
    monkeypatch.setenv("REPORTGEN_ARCHIVE", str(tmp_path / "env.sqlite"))
    assert archive_path() == tmp_path / "env.sqlite"
    assert archive_path(tmp_path / "explicit.sqlite") == tmp_path / "explicit.sqlite"


def test_new_archive_uses_wal_and_records_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "archive.sqlite"
    Archive.open(path).close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert conn.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]
    conn.close()


# -- special files, read-only media with a pending WAL, short-year keys, 10 000 snapshots -----


def test_a_named_pipe_given_as_archive_is_refused_at_once(tmp_path: Path) -> None:
    pipe = tmp_path / "archive.sqlite"
    os.mkfifo(pipe)
    for readonly in (False, True):
        with pytest.raises(ArchiveError, match="不是普通文件"):
            Archive.open(pipe, readonly=readonly)  # would block forever if opened
    with pytest.raises(ArchiveError, match="不是普通文件"):
        Archive.open_existing(pipe)
    assert code_of(["archive", "list", "--archive", str(pipe)]) == 2


def code_of(args: list[str]) -> int:
    done = subprocess.run(
        [sys.executable, "-m", "reportgen", *args], capture_output=True, text=True, timeout=60
    )
    assert "Traceback" not in done.stderr
    return done.returncode


def _pending_wal_copy(source: Path, folder: Path) -> None:
    """Copy ``source`` and its write-ahead log while a writer still holds them (WAL not merged)."""
    keeper = sqlite3.connect(source)  # a second connection: closing the archive keeps the WAL
    keeper.execute("SELECT COUNT(*) FROM snapshots").fetchone()
    with Archive.open(source) as archive:
        add(archive, make_plan(), "2024-Q4", {"I1": 150})
    for suffix in ("", "-wal"):
        shutil.copyfile(f"{source}{suffix}", folder / f"archive.sqlite{suffix}")
    keeper.close()


@pytest.mark.parametrize("pending", [True, False], ids=["pending-wal", "merged"])
def test_read_only_media_shows_the_newest_snapshot(
    filled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pending: bool
) -> None:
    """Where SQLite cannot create its -shm file (read-only media; simulated, as root writes
    anywhere), a pending WAL is read from a private copy, never ignored."""
    folder = tmp_path / "media"
    folder.mkdir()
    _pending_wal_copy(filled, folder)
    if not pending:
        (folder / "archive.sqlite-wal").unlink()
        with Archive.open(filled):
            pass  # merged: the source has all five snapshots in its main file
        shutil.copyfile(filled, folder / "archive.sqlite")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    monkeypatch.setattr(sqlite_file, "shared_memory_possible", lambda path: False)
    with Archive.open(folder / "archive.sqlite", readonly=True) as archive:
        assert len(archive.snapshots()) == 5 and archive.verify() == []
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # nothing written


def test_snapshots_stored_under_short_year_keys_stay_readable(tmp_path: Path) -> None:
    """Keys written before four-digit years ('5-Q2' for year 5) are read and numbered on."""
    path = tmp_path / "archive.sqlite"
    plan = make_plan()
    with Archive.open(path) as archive:
        add(archive, plan, "2024-Q1", {"I1": 1})
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO snapshots (id, plan_id, plan_title, plan_hash, period, as_of, version, "
        "created_at, note, missing_departments, previous_checksum, checksum) "
        "SELECT 2, plan_id, plan_title, plan_hash, '5-Q2', '0005-06-30', 1, created_at, note, "
        "missing_departments, checksum, 'x' FROM snapshots WHERE id = 1"
    )
    conn.commit()
    conn.close()
    with Archive.open(path) as archive:
        assert [i.period.key for i in archive.snapshots()] == ["0005-Q2", "2024-Q1"]
        assert archive.get(plan.id, "0005-Q2").info.period_key == "5-Q2"
        assert add(archive, plan, "0005-Q2", {"I1": 2}).version == 2
        assert [i.version for i in archive.snapshots()] == [1, 2, 1]


def test_listing_ten_thousand_snapshots_takes_under_a_second(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "archive.sqlite"
    with Archive.open(path) as archive:
        add(archive, make_plan(), "2024-Q1", {"I1": 1})
    conn = sqlite3.connect(path)  # 9 999 more headers, written directly: only the listing is timed
    conn.execute(
        "WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < 10000) "
        "INSERT INTO snapshots SELECT i, plan_id, plan_title, plan_hash, "
        "printf('%04d-W%02d', 2000 + i / 52, i % 52 + 1), as_of, 1, created_at, note, "
        "missing_departments, previous_checksum, checksum FROM n, snapshots WHERE id = 1"
    )
    conn.commit()
    conn.close()
    from reportgen.cli import run

    run(["archive", "list", "--archive", str(path)])  # warm: imports, caches of the first call
    capsys.readouterr()
    started = time.process_time()  # CPU: wall time on a loaded shared machine says little
    assert run(["archive", "list", "--archive", str(path)]) == 0
    elapsed = time.process_time() - started
    out = capsys.readouterr().out
    assert out.count("\n") == 10002 and out.endswith("共 10000 个快照。\n")
    assert elapsed < 1.0, f"{elapsed:.2f} s"
