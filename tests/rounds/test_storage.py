"""Rounds live in the archive database as the "rounds" component, added once to older files."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from reportgen.archive import Archive
from reportgen.errors import ArchiveError
from reportgen.periods import parse_period
from reportgen.rounds import SqliteRounds, open_round
from reportgen.rounds.schema import VERSION
from tests.support.archive_builders import make_inputs, make_plan
from tests.support.round_builders import round_plan


def _query(path, sql) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute(sql).fetchall()


def _tables(path) -> set[str]:
    return {r[0] for r in _query(path, "SELECT name FROM sqlite_master WHERE type='table'")}


@pytest.fixture
def release_archive(tmp_path):
    """An archive as the current release writes it: one snapshot, no rounds tables."""
    path = tmp_path / "archive.sqlite"
    plan = make_plan()
    with Archive.open(path) as archive:
        archive.add(plan, *make_inputs(plan, "2024-Q1", {"I1": 50, "I2": 90.5, "I3": None}))
    assert "rounds" not in _tables(path)
    return path


def _open_round(repo, tmp_path):
    return open_round(
        repo,
        round_plan(),
        parse_period("2024-Q2"),
        "2024-07-05",
        tmp_path / "t",
        today=date(2024, 6, 28),
    )


def test_release_archive_opens_upgrades_once_and_verifies(release_archive, tmp_path):
    archive_version = _query(release_archive, "SELECT version FROM schema_version")
    with SqliteRounds(release_archive) as repo:
        opened = _open_round(repo, tmp_path)
        assert repo.rounds() == [opened.round]
    assert {"rounds", "round_returns", "schema_migrations"} <= _tables(release_archive)
    migrations = "SELECT component, version FROM schema_migrations"
    assert _query(release_archive, migrations) == [("rounds", VERSION)]
    with SqliteRounds(release_archive) as repo:  # opened again: nothing left to migrate
        assert [r.period for r in repo.rounds()] == ["2024-Q2"]
    assert _query(release_archive, migrations) == [("rounds", VERSION)]
    # the archive's own schema is untouched: the release (and read-only opens) still read it
    assert _query(release_archive, "SELECT version FROM schema_version") == archive_version
    with Archive.open(release_archive, readonly=True) as archive:
        assert [i.period_key for i in archive.snapshots()] == ["2024-Q1"]
        assert archive.verify() == []


def test_rounds_and_returns_are_append_only(tmp_path):
    with SqliteRounds(tmp_path / "a.sqlite") as repo:
        _open_round(repo, tmp_path)
    with sqlite3.connect(tmp_path / "a.sqlite") as conn, pytest.raises(sqlite3.IntegrityError):
        conn.execute("DELETE FROM rounds")


def test_newer_rounds_schema_is_refused_untouched(release_archive):
    with SqliteRounds(release_archive):
        pass
    with sqlite3.connect(release_archive) as conn:
        conn.execute("UPDATE schema_migrations SET version = ?", (VERSION + 1,))
    before = release_archive.read_bytes()
    with pytest.raises(ArchiveError, match="由更新版本的 reportgen 创建"):
        SqliteRounds(release_archive)
    assert release_archive.read_bytes() == before


def test_readonly_archive_is_refused_untouched(release_archive):
    release_archive.chmod(0o444)
    try:
        with pytest.raises(ArchiveError, match="只读"):
            SqliteRounds(release_archive)
        assert "rounds" not in _tables(release_archive)
    finally:
        release_archive.chmod(0o644)
