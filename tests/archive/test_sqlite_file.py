"""SQLite archive files: opened safely, never written when bad, read-only media, special files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reportgen.archive import Archive, archive_path
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
