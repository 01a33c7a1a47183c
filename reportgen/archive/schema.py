"""The archive's SQLite schema, as numbered migrations (schema version N = first N applied).

A released migration is never edited: a change to the schema is a new entry at the end.
"""

from __future__ import annotations

_CHILD_KEY = "snapshot_id INTEGER NOT NULL REFERENCES snapshots(id), position INTEGER NOT NULL"
_TABLES = (
    "plans",
    "snapshots",
    "source_files",
    "reported_values",
    "task_reports",
    "indicator_results",
    "task_results",
    "warnings",
)


def _append_only(table: str) -> tuple[str, ...]:
    """Triggers refusing UPDATE and DELETE: snapshots are immutable."""
    return tuple(
        f"CREATE TRIGGER {table}_no_{action} BEFORE {action.upper()} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, 'reportgen archive is append-only'); END"
        for action in ("update", "delete")
    )


_V1 = (
    "CREATE TABLE schema_version (version INTEGER NOT NULL)",
    "INSERT INTO schema_version (version) VALUES (0)",
    "CREATE TABLE plans (hash TEXT PRIMARY KEY, plan_id TEXT NOT NULL, content TEXT NOT NULL)",
    """CREATE TABLE snapshots (
        id INTEGER PRIMARY KEY,
        plan_id TEXT NOT NULL,
        plan_title TEXT NOT NULL,
        plan_hash TEXT NOT NULL REFERENCES plans(hash),
        period TEXT NOT NULL,
        as_of TEXT NOT NULL,
        version INTEGER NOT NULL CHECK (version >= 1),
        created_at TEXT NOT NULL,
        note TEXT,
        missing_departments TEXT NOT NULL,
        previous_checksum TEXT NOT NULL,
        checksum TEXT NOT NULL,
        UNIQUE (plan_id, period, version))""",
    f"""CREATE TABLE source_files ({_CHILD_KEY},
        name TEXT NOT NULL, sha256 TEXT NOT NULL, size INTEGER NOT NULL, department TEXT,
        PRIMARY KEY (snapshot_id, position)) WITHOUT ROWID""",
    f"""CREATE TABLE reported_values ({_CHILD_KEY},
        indicator_id TEXT NOT NULL, value REAL, source TEXT NOT NULL, as_of TEXT,
        remark TEXT NOT NULL, department TEXT,
        PRIMARY KEY (snapshot_id, position)) WITHOUT ROWID""",
    f"""CREATE TABLE task_reports ({_CHILD_KEY},
        task_id TEXT NOT NULL, source TEXT NOT NULL, department TEXT, status TEXT,
        progress TEXT NOT NULL, problems TEXT NOT NULL, next_steps TEXT NOT NULL,
        PRIMARY KEY (snapshot_id, position)) WITHOUT ROWID""",
    f"""CREATE TABLE indicator_results ({_CHILD_KEY},
        indicator_id TEXT NOT NULL, name TEXT NOT NULL, category TEXT, unit TEXT NOT NULL,
        attribute TEXT NOT NULL, method TEXT NOT NULL, actual REAL, target REAL NOT NULL,
        target_year INTEGER NOT NULL, expected REAL NOT NULL, completion REAL,
        time_progress REAL NOT NULL, gap_pp REAL, status TEXT NOT NULL,
        binding_alert INTEGER NOT NULL, final_target REAL NOT NULL, final_completion REAL,
        projected_final REAL, at_risk INTEGER, source TEXT,
        PRIMARY KEY (snapshot_id, position)) WITHOUT ROWID""",
    f"""CREATE TABLE task_results ({_CHILD_KEY},
        task_id TEXT NOT NULL, title TEXT NOT NULL, lead TEXT NOT NULL, status TEXT,
        progress TEXT NOT NULL, problems TEXT NOT NULL, next_steps TEXT NOT NULL,
        PRIMARY KEY (snapshot_id, position)) WITHOUT ROWID""",
    f"""CREATE TABLE warnings ({_CHILD_KEY},
        location TEXT NOT NULL, message TEXT NOT NULL,
        PRIMARY KEY (snapshot_id, position)) WITHOUT ROWID""",
    *(trigger for table in _TABLES for trigger in _append_only(table)),
)

# MIGRATIONS[n] brings the schema from version n to version n + 1.
MIGRATIONS: tuple[tuple[str, ...], ...] = (_V1,)
SCHEMA_VERSION = len(MIGRATIONS)
