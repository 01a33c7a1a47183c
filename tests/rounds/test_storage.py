"""Rounds live in the archive database as the "rounds" component, on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import Connection, create_engine, inspect, text

from reportgen.archive import Archive
from reportgen.archive.schema import ARCHIVE
from reportgen.errors import ArchiveError
from reportgen.periods import parse_period
from reportgen.rounds import RoundError, RoundStore, collect, open_round, round_status
from reportgen.rounds.schema import ROUNDS, metadata
from tests.support.archive_builders import add, make_plan
from tests.support.postgres import is_postgres
from tests.support.round_builders import fill_return, round_plan

CST = timezone(timedelta(hours=8))


@contextmanager
def _sql(target: str) -> Iterator[Connection]:
    url = target if is_postgres(target) else f"sqlite:///{target}"
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.begin() as conn:
            yield conn
    finally:
        engine.dispose()


def _versions(target: str) -> dict[str, int]:
    with _sql(target) as conn:
        rows = conn.execute(text("SELECT component, version FROM schema_migrations"))
        return {name: int(version) for name, version in rows}


def _tables(target: str) -> set[str]:
    with _sql(target) as conn:
        return set(inspect(conn).get_table_names())


def _open_round(repo, folder):
    return open_round(
        repo, round_plan(), parse_period("2024-Q2"), "2024-07-05", folder, today=date(2024, 6, 28)
    )


@pytest.fixture
def release_archive(target: str) -> str:
    """An archive as the current release writes it: one snapshot, no rounds tables."""
    with Archive.open(target) as archive:
        add(archive, make_plan(), "2024-Q1", {"I1": 50, "I2": 90.5, "I3": None})
    assert "rounds" not in _tables(target)
    return target


def test_release_archive_opens_upgrades_once_and_verifies(release_archive, tmp_path):
    before = _versions(release_archive)
    with RoundStore.open(release_archive) as repo:
        opened = _open_round(repo, tmp_path / "t")
        assert repo.rounds() == [opened.round]
    assert _versions(release_archive) == {**before, "rounds": ROUNDS.version}
    with RoundStore.open(release_archive) as repo:  # opened again: nothing left to migrate
        assert [r.period for r in repo.rounds()] == ["2024-Q2"]
    assert _versions(release_archive) == {**before, "rounds": ROUNDS.version}
    with Archive.open(release_archive, readonly=True) as archive:
        assert [i.period_key for i in archive.snapshots()] == ["2024-Q1"]
        assert archive.verify() == []


def test_first_release_file_gets_both_upgrades_in_one_open(tmp_path):
    path = tmp_path / "first.sqlite"
    conn = sqlite3.connect(path)
    for statement in ARCHIVE.steps[0].sqlite:
        conn.execute(statement)
    conn.execute("UPDATE schema_version SET version = 1")
    conn.commit()
    conn.close()
    with RoundStore.open(path) as repo:
        assert repo.rounds() == []
    assert _versions(str(path)) == {"archive": ARCHIVE.version, "rounds": ROUNDS.version}
    with Archive.open(path, readonly=True) as archive:
        assert archive.verify() == []


def test_tables_match_the_queries_model(target):
    RoundStore.open(target).close()
    with _sql(target) as conn:
        found = inspect(conn)
        for table in metadata.sorted_tables:
            columns = [c["name"] for c in found.get_columns(table.name)]
            assert columns == [c.name for c in table.columns], table.name


def test_a_round_end_to_end_on_each_backend(target, tmp_path):
    with RoundStore.open(target) as repo:
        opened = _open_round(repo, tmp_path / "t")
        path = fill_return(opened.templates["市科技局"], {"P1": 95})
        (received,) = collect(repo, opened.round, [path], now=datetime(2024, 7, 2, tzinfo=CST))
        assert received.record.id == 1 and received.record.received_at.tzinfo is not None
        status = round_status(repo, opened.round, date(2024, 7, 3))
        assert [d.status for d in status.departments if d.department == "市科技局"] == ["已报送"]
        with pytest.raises(RoundError, match="已发起"):
            repo.add_round(opened.round, round_plan())


@pytest.mark.parametrize("statement", ["DELETE FROM rounds", "UPDATE round_returns SET phone = ''"])
def test_rounds_and_returns_are_append_only(target, tmp_path, statement):
    with RoundStore.open(target) as repo:
        opened = _open_round(repo, tmp_path / "t")
        collect(repo, opened.round, [fill_return(opened.templates["市科技局"], {"P1": 95})])
    with pytest.raises(Exception, match="append-only"), _sql(target) as conn:
        conn.execute(text(statement))


def test_newer_rounds_schema_is_refused_untouched(tmp_path):
    path = tmp_path / "a.sqlite"
    RoundStore.open(path).close()
    with _sql(str(path)) as conn:
        conn.execute(text("UPDATE schema_migrations SET version = 9 WHERE component = 'rounds'"))
    before = path.read_bytes()
    with pytest.raises(ArchiveError, match="更新版本"):
        RoundStore.open(path)
    assert path.read_bytes() == before


def test_reading_before_any_round_says_so(tmp_path):
    with pytest.raises(RoundError, match="还没有发起过填报轮次"):
        RoundStore.open(tmp_path / "none.sqlite", readonly=True)
    Archive.open(tmp_path / "old.sqlite").close()  # an archive without the rounds tables
    with pytest.raises(RoundError, match="还没有发起过填报轮次"):
        RoundStore.open(tmp_path / "old.sqlite", readonly=True)
