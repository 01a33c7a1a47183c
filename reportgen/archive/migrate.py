"""Versioned schema migrations, per component, on SQLite and PostgreSQL (no Alembic needed).

A component (the archive's snapshots; later rounds, returns, grading results) owns some tables
and a tuple of ``Step``s: step n brings its schema from version n to n + 1, with the statements
for each backend. Released steps are never edited; a change is a new step at the end.
The version of each component is kept in ``schema_migrations``; the archive's is mirrored in the
older ``schema_version`` table, so a release that predates this module refuses newer files.

Migrations run inside one write transaction (on PostgreSQL under an advisory lock, so processes
opening a new database at once create it once). Checking versions costs one query.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reportgen.archive import guard

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from reportgen.archive.db import Database

BOOKKEEPING = (
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "component TEXT PRIMARY KEY, version INTEGER NOT NULL)"
)
LEGACY_COMPONENT = "archive"  # the component whose version schema_version also holds
_LOCK_KEY = 0x7265706F  # pg_advisory_xact_lock key of reportgen's migrations


@dataclass(frozen=True)
class Step:
    """One schema change: the statements for SQLite and for PostgreSQL."""

    sqlite: tuple[str, ...]
    postgresql: tuple[str, ...]

    def statements(self, dialect: str) -> tuple[str, ...]:
        return self.postgresql if dialect == "postgresql" else self.sqlite


@dataclass(frozen=True)
class Component:
    """A named set of tables with its migrations; ``requires`` are migrated first."""

    name: str
    steps: tuple[Step, ...]
    requires: tuple[Component, ...] = field(default=())

    @property
    def version(self) -> int:
        return len(self.steps)


def ordered(components: Iterable[Component]) -> list[Component]:
    """The components and everything they require, each after its requirements."""
    result: list[Component] = []

    def visit(component: Component) -> None:
        for required in component.requires:
            visit(required)
        if all(c.name != component.name for c in result):
            result.append(component)

    for component in components:
        visit(component)
    return result


def versions(conn: Connection) -> dict[str, int]:
    """Component name -> schema version found in the database (absent = 0)."""
    from sqlalchemy import inspect, text

    tables = set(inspect(conn).get_table_names())
    found: dict[str, int] = {}
    if "schema_version" in tables:
        legacy = conn.execute(text("SELECT MAX(version) FROM schema_version")).scalar()
        found[LEGACY_COMPONENT] = int(legacy or 0)
    if "schema_migrations" in tables:
        rows = conn.execute(text("SELECT component, version FROM schema_migrations"))
        for name, version in rows:
            found[name] = max(found.get(name, 0), int(version))
    return found


def prepare(db: Database, components: Iterable[Component]) -> list[str]:
    """Check versions (too new: refuse); migrate what is behind unless read-only. Steps applied."""
    wanted = ordered(components)
    with db.read() as conn:
        current = versions(conn)
    for component in wanted:
        found = current.get(component.name, 0)
        if found > component.version:
            raise guard.too_new(db.location.display, component.name, found, component.version)
    behind = [c for c in wanted if current.get(c.name, 0) < c.version]
    if not behind:
        return []
    if db.readonly:
        if any(current.get(c.name, 0) == 0 for c in wanted):
            raise guard.problem(db.location.display, "uninitialised")
        return []  # an older schema is read as it is
    return db.write(lambda conn: _upgrade(conn, db.dialect, wanted))


def _upgrade(conn: Connection, dialect: str, components: list[Component]) -> list[str]:
    from sqlalchemy import text

    if dialect == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    current = versions(conn)  # again, now that this transaction holds the lock
    applied = []
    conn.exec_driver_sql(BOOKKEEPING)
    for component in components:
        found = current.get(component.name, 0)
        for number in range(found, component.version):
            for statement in component.steps[number].statements(dialect):
                conn.exec_driver_sql(statement)
            applied.append(f"{component.name} {number + 1}")
        if found < component.version:
            _record(conn, component)
    return applied


def _record(conn: Connection, component: Component) -> None:
    from sqlalchemy import text

    params = {"name": component.name, "version": component.version}
    conn.execute(text("DELETE FROM schema_migrations WHERE component = :name"), params)
    conn.execute(
        text("INSERT INTO schema_migrations (component, version) VALUES (:name, :version)"), params
    )
    if component.name == LEGACY_COMPONENT:
        conn.execute(text("UPDATE schema_version SET version = :version"), params)
