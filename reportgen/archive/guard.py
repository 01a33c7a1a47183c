"""Checks and messages about the archive file itself: permissions, damage, schema versions.

No SQL here (that is all in store.py and schema.py); these turn file states and sqlite3 errors
into ArchiveError with a Chinese message that says what to do.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Literal

from reportgen.archive.schema import SCHEMA_VERSION
from reportgen.errors import ArchiveError, Problem
from reportgen.fileio import os_reason

BUSY_TIMEOUT_S = 30.0
Situation = Literal["directory", "missing", "uninitialised", "foreign"]
_MESSAGES: dict[Situation, str] = {
    "directory": "这是一个目录，不是归档文件。请指定 .sqlite 文件路径。",
    "missing": "归档文件不存在。请先用 reportgen archive add 归档一期数据，或用 --archive 指定归档文件。",
    "uninitialised": "归档文件尚未初始化或结构版本过旧。请先运行一次 reportgen archive add 完成升级。",
    "foreign": "这是一个 SQLite 数据库，但不是 reportgen 归档文件，未做任何修改。"
    "请用 --archive 指定正确的归档文件。",
}


def problem(path: Path, situation: Situation) -> ArchiveError:
    """The error for a file that cannot be used as an archive in this ``situation``."""
    return ArchiveError(Problem(str(path), _MESSAGES[situation]))


def check_writable(path: Path) -> None:
    """Refuse a file or folder marked read-only (also when running as an administrator)."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ArchiveError(
            Problem(
                str(folder),
                f"无法创建归档目录（{os_reason(exc)}）。请用 --archive 指定可写的位置。",
            )
        ) from exc
    for target, what in ((path, "归档文件"), (folder, "归档文件所在目录")):
        if target.exists() and not _writable(target):
            raise ArchiveError(
                Problem(
                    str(target),
                    f"{what}是只读的，无法归档，文件未做任何修改。"
                    "请取消只读属性，或用 --archive 指定可写的位置。",
                )
            )


def _writable(target: Path) -> bool:
    return os.access(target, os.W_OK) and bool(target.stat().st_mode & 0o222)


def too_new(path: Path, version: int) -> ArchiveError:
    """The error for a schema written by a newer reportgen (never downgraded or overwritten)."""
    return ArchiveError(
        Problem(
            str(path),
            f"归档文件的结构版本为 {version}，由更新版本的 reportgen 创建"
            f"（本程序支持到版本 {SCHEMA_VERSION}），未做任何修改。请升级 reportgen 后再使用。",
        )
    )


def archive_error(path: Path, exc: sqlite3.Error) -> ArchiveError:
    """A sqlite3 error as an ArchiveError that says what happened and what to do."""
    text = str(exc)
    if "not a database" in text or "malformed" in text:
        message = "归档文件已损坏或不是 SQLite 数据库，未做任何修改。请从备份恢复，或用 --archive 指定其他文件。"
    elif "locked" in text or "busy" in text:
        message = f"归档文件被其他程序占用超过 {BUSY_TIMEOUT_S:.0f} 秒。请稍后重试。"
    elif "readonly" in text or "read-only" in text:
        message = "归档文件是只读的，无法写入。请取消只读属性，或用 --archive 指定可写的位置。"
    elif "full" in text:
        message = "磁盘空间已满，归档未完成（归档文件保持原样）。请清理磁盘后重试。"
    else:
        message = f"读写归档文件失败（{text}）。请检查文件和目录权限。"
    return ArchiveError(Problem(str(path), message))
