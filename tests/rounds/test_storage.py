"""Rounds live in the archive database: schema version 2, upgraded once from version 1."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from reportgen.archive import Archive
from reportgen.archive import store as archive_store
from reportgen.archive.schema import MIGRATIONS, SCHEMA_VERSION
from reportgen.errors import ArchiveError
from reportgen.periods import parse_period
from reportgen.rounds import SqliteRounds, open_round
from tests.support.archive_builders import make_inputs, make_plan
from tests.support.round_builders import round_plan


def _tables(path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def _version(path) -> list[tuple[int]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT version FROM schema_version").fetchall()


@pytest.fixture
def release_archive(tmp_path, monkeypatch):
    """An archive written by the current release (schema version 1) with one snapshot."""
    path = tmp_path / "archive.sqlite"
    with monkeypatch.context() as patched:
        patched.setattr(archive_store, "MIGRATIONS", MIGRATIONS[:1])
        patched.setattr(archive_store, "SCHEMA_VERSION", 1)
        plan = make_plan()
        with Archive.open(path) as archive:
            archive.add(plan, *make_inputs(plan, "2024-Q1", {"I1": 50, "I2": 90.5, "I3": None}))
    assert _version(path) == [(1,)] and "rounds" not in _tables(path)
    return path


def test_release_archive_opens_upgrades_once_and_verifies(release_archive, tmp_path):
    assert SCHEMA_VERSION == 2
    with SqliteRounds(release_archive) as repo:
        opened = open_round(
            repo, round_plan(), parse_period("2024-Q2"), "2024-07-05", tmp_path / "t",
            today=date(2024, 6, 28),
        )  # fmt: skip
        assert repo.rounds() == [opened.round]
    assert _version(release_archive) == [(2,)]
    assert {"rounds", "round_returns"} <= _tables(release_archive)
    with Archive.open(release_archive) as archive:  # a second open: nothing left to migrate
        assert archive.verify() == []
        assert [i.period_key for i in archive.list()] == ["2024-Q1"]
    assert _version(release_archive) == [(2,)]
    with SqliteRounds(release_archive) as repo:
        assert [r.period for r in repo.rounds()] == ["2024-Q2"]


def test_returns_are_append_only(tmp_path):
    with SqliteRounds(tmp_path / "a.sqlite") as repo:
        open_round(
            repo, round_plan(), parse_period("2024-Q2"), "2024-07-05", tmp_path / "t",
            today=date(2024, 6, 28),
        )  # fmt: skip
    with sqlite3.connect(tmp_path / "a.sqlite") as conn, pytest.raises(sqlite3.IntegrityError):
        conn.execute("DELETE FROM rounds")


def test_readonly_archive_is_refused_untouched(release_archive):
    release_archive.chmod(0o444)
    try:
        with pytest.raises(ArchiveError, match="只读"):
            SqliteRounds(release_archive)
        assert _version(release_archive) == [(1,)]
    finally:
        release_archive.chmod(0o644)
