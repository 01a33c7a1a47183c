"""Opening a SQLite archive file safely: checked before any write, never a special file.

A read-only connection in a folder where SQLite cannot create its -shm file falls back to a
private copy of the file and its pending write-ahead log, so the newest snapshots stay visible.
"""

from __future__ import annotations

import shutil
import sqlite3
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from reportgen.archive import guard

Connect = Callable[[], sqlite3.Connection]


def check_file(path: Path, *, readonly: bool) -> bool:
    """Whether ``path`` exists; refuse folders, pipes and devices before anything opens them."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        if readonly:
            raise guard.problem(path, "missing") from None
        return False
    except OSError as exc:
        raise guard.os_error(path, exc) from exc
    if stat.S_ISDIR(mode):
        raise guard.problem(path, "directory")
    if not stat.S_ISREG(mode):
        raise guard.problem(path, "special")
    return True


def connect(path: Path, mode: str) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit); ``mode`` is ro or rwc."""
    uri = f"{path.resolve().as_uri()}?mode={mode}"
    try:
        conn = sqlite3.connect(
            uri, uri=True, timeout=guard.BUSY_TIMEOUT_S, isolation_level=None,
            check_same_thread=False,
        )  # fmt: skip
        conn.execute(f"PRAGMA busy_timeout = {int(guard.BUSY_TIMEOUT_S * 1000)}")
        conn.execute("PRAGMA foreign_keys = ON")
        if mode == "rwc":
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
    except sqlite3.Error as exc:
        raise guard.sqlite_error(path, exc) from exc
    return conn


def shared_memory_possible(path: Path) -> bool:
    """Whether a plain read-only connection works (not on read-only media without a -shm)."""
    conn = connect(path, "ro")
    try:
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as exc:
        if "unable to open" not in str(exc):
            raise guard.sqlite_error(path, exc) from exc
        return False
    finally:
        conn.close()
    return True


class ReadonlyFile:
    """How to open ``path`` read-only; ``close`` removes the private copy, if one was made."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._copy: tempfile.TemporaryDirectory[str] | None = None
        self._target = path
        self._mode = "ro"
        if not shared_memory_possible(path):
            self._fall_back()

    def connect(self) -> sqlite3.Connection:
        return connect(self._target, self._mode)

    def close(self) -> None:
        if self._copy is not None:
            self._copy.cleanup()
            self._copy = None

    def _fall_back(self) -> None:
        """No -shm possible here: read a private copy when a WAL is pending, else the file."""
        wal = self.path.with_name(self.path.name + "-wal")
        if not (wal.exists() and wal.stat().st_size > 0):
            self._mode = "ro&immutable=1"
            return
        self._copy = tempfile.TemporaryDirectory(prefix="reportgen-archive-")
        self._target = Path(self._copy.name) / self.path.name
        try:
            shutil.copyfile(self.path, self._target)
            shutil.copyfile(wal, self._target.with_name(self._target.name + "-wal"))
        except OSError as exc:
            self.close()
            raise guard.pending_wal(self.path, exc) from exc


def schema_version(path: Path) -> int:
    """The archive schema version of an existing file, read without any write; error if not ours."""
    source = ReadonlyFile(path)
    conn = source.connect()
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not tables:
            return 0
        if "schema_version" not in tables:
            raise guard.problem(path, "foreign")
        return int(conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] or 0)
    except sqlite3.Error as exc:
        raise guard.sqlite_error(path, exc) from exc
    finally:
        conn.close()
        source.close()
