"""The rounds' tables in the archive database, as the versioned steps of the "rounds" component.

Laid out like the archive store's per-component migrations (docs/archive.md): the component's
version is kept in ``schema_migrations(component, version)``, created if missing, and every
released step is kept verbatim. The archive's own tables and ``schema_version`` are untouched,
so older reportgen releases still open the file.
"""

from __future__ import annotations

COMPONENT = "rounds"
BOOKKEEPING = (
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "component TEXT PRIMARY KEY, version INTEGER NOT NULL)"
)


def _append_only(table: str) -> tuple[str, ...]:
    """Triggers refusing UPDATE and DELETE: rounds and returns are a record, never rewritten."""
    return tuple(
        f"CREATE TRIGGER {table}_no_{action} BEFORE {action.upper()} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, 'reportgen archive is append-only'); END"
        for action in ("update", "delete")
    )


_STEP_1 = (
    """CREATE TABLE rounds (
        id INTEGER PRIMARY KEY,
        plan_id TEXT NOT NULL,
        plan_title TEXT NOT NULL,
        plan_hash TEXT NOT NULL REFERENCES plans(hash),
        period TEXT NOT NULL,
        weekly INTEGER NOT NULL,
        opened TEXT NOT NULL,
        deadline TEXT NOT NULL,
        deadline_text TEXT NOT NULL,
        departments TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (plan_id, period))""",
    """CREATE TABLE round_returns (
        id INTEGER PRIMARY KEY,
        round_id INTEGER NOT NULL REFERENCES rounds(id),
        department TEXT NOT NULL,
        file_name TEXT NOT NULL,
        path TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        received_at TEXT NOT NULL,
        filler TEXT,
        phone TEXT,
        error_count INTEGER NOT NULL,
        warning_count INTEGER NOT NULL,
        problems TEXT NOT NULL)""",
    "CREATE INDEX round_returns_by_round ON round_returns (round_id, department, id)",
    *(trigger for table in ("rounds", "round_returns") for trigger in _append_only(table)),
)

# STEPS[n] brings the rounds component from version n to n + 1.
STEPS: tuple[tuple[str, ...], ...] = (_STEP_1,)
VERSION = len(STEPS)
