"""PostgreSQL specifics: the application role (SELECT, INSERT only), TRUNCATE, URLs, servers."""

from __future__ import annotations

import psycopg
import pytest

from reportgen.archive import Archive
from reportgen.archive.location import locate
from reportgen.errors import ArchiveError
from tests.support.archive_builders import add, make_plan
from tests.support.postgres import Cluster, admin, fresh_database, raw


def _database(url: str) -> str:
    return url.split("/")[3].split("?")[0]


def test_application_role_reads_and_appends_but_cannot_change_or_create(
    pg_cluster: Cluster,
) -> None:
    with fresh_database(pg_cluster) as owner_url:
        name = _database(owner_url)
        role = f"app_{name}"
        admin(pg_cluster, f"CREATE ROLE {role} LOGIN")
        app_url = pg_cluster.url(name, user=role)
        with pytest.raises(ArchiveError, match="archive upgrade"):
            Archive.open(app_url)  # no CREATE right: the owner must create the tables
        with Archive.open(owner_url) as archive:  # `archive upgrade` as the owner
            add(archive, make_plan(), "2024-Q1", {"I1": 1})
        admin(
            pg_cluster,
            f"GRANT USAGE ON SCHEMA public TO {role}",
            f"GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA public TO {role}",
            database=name,
        )
        with Archive.open(app_url) as archive:
            assert add(archive, make_plan(), "2024-Q1", {"I1": 2}).version == 2
            assert archive.verify() == []
        for statement in ("UPDATE snapshots SET note = 'x'", "DELETE FROM warnings"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                raw(app_url, statement)
        admin(pg_cluster, f"DROP OWNED BY {role}", database=name)
    admin(pg_cluster, f"DROP ROLE {role}")


def test_truncate_is_refused_even_for_the_owner(pg_cluster: Cluster) -> None:
    with fresh_database(pg_cluster) as url:
        with Archive.open(url) as archive:
            add(archive, make_plan(), "2024-Q1", {"I1": 1})
        with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
            raw(url, "TRUNCATE snapshots CASCADE")


def test_unreachable_server_and_missing_database_exit_with_a_message(
    pg_cluster: Cluster,
) -> None:
    with pytest.raises(ArchiveError, match="没有这个数据库"):
        Archive.open(pg_cluster.url("no_such_database"))
    with pytest.raises(ArchiveError, match="无法连接 PostgreSQL") as caught:
        Archive.open("postgresql://someone:secret@/x?host=/nonexistent&port=1")
    assert "secret" not in str(caught.value)


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("postgresql://u@db.example:5432/reportgen", "postgresql+psycopg://u@db.example:5432/reportgen"),
        ("postgres://u@h/d", "postgresql+psycopg://u@h/d"),
        ("postgresql:///d?host=/run/postgresql", "postgresql+psycopg:///d?host=/run/postgresql"),
        ("postgresql:/u@h/d", "postgresql+psycopg://u@h/d"),  # what pathlib makes of a URL
        ("postgresql:/d?host=/run/pg", "postgresql+psycopg:///d?host=/run/pg"),  # likewise
    ],
)  # fmt: skip
def test_postgresql_url_forms(text: str, url: str) -> None:
    assert locate(text).url == url and locate(text).path is None


def test_other_url_forms() -> None:
    assert locate("sqlite:///rel/a.sqlite").path is not None
    assert str(locate("sqlite:////abs/a.sqlite").path) == "/abs/a.sqlite"
    assert locate("postgresql://u:pw@h/d").display == "postgresql://u:***@h/d"
    with pytest.raises(ArchiveError, match="不支持的归档地址类型"):
        locate("mysql://u@h/d")
