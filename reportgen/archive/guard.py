"""Checks and messages about the archive itself: permissions, damage, schema versions, servers.

No SQL here (that is in store.py, schema.py and migrate.py); these turn file states and database
errors (sqlite3 or PostgreSQL) into ArchiveError with a Chinese message that says what to do.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Literal

from reportgen.errors import ArchiveError, Problem
from reportgen.fileio import os_reason

BUSY_TIMEOUT_S = 30.0
APPEND_ONLY = "reportgen archive is append-only"
Situation = Literal["directory", "special", "missing", "uninitialised", "foreign", "not_empty"]
_MESSAGES: dict[Situation, str] = {
    "directory": "这是一个目录，不是归档文件。请指定 .sqlite 文件路径。",
    "special": "这不是普通文件（可能是管道、设备或套接字），不能用作归档，未做任何读写。"
    "请用 --archive 指定 .sqlite 文件路径或 postgresql:// 地址。",
    "missing": "归档文件不存在。请先用 reportgen archive add 归档一期数据，或用 --archive 指定归档位置。",
    "uninitialised": "归档尚未初始化。请先运行一次 reportgen archive add（或 reportgen archive upgrade）。",
    "foreign": "这是一个数据库，但不是 reportgen 归档，未做任何修改。请用 --archive 指定正确的归档。",
    "not_empty": "目标归档中已有快照，未做任何修改。archive copy 只复制到空的归档。",
}


class Uninitialised(ArchiveError):
    """An archive with no tables yet: read-only callers treat it as having no snapshots."""


def problem(where: Path | str, situation: Situation) -> ArchiveError:
    """The error for an archive that cannot be used in this ``situation``."""
    kind = Uninitialised if situation == "uninitialised" else ArchiveError
    return kind(Problem(str(where), _MESSAGES[situation]))


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


def too_new(where: str, component: str, version: int, supported: int) -> ArchiveError:
    """The error for a schema written by a newer reportgen (never downgraded or overwritten)."""
    return ArchiveError(
        Problem(
            where,
            f"归档中“{component}”部分的结构版本为 {version}，由更新版本的 reportgen 创建"
            f"（本程序支持到版本 {supported}），未做任何修改。请升级 reportgen 后再使用。",
        )
    )


def os_error(path: Path, exc: OSError) -> ArchiveError:
    return ArchiveError(
        Problem(str(path), f"无法读取归档文件（{os_reason(exc)}）。请检查路径和权限。")
    )


def pending_wal(path: Path, exc: OSError) -> ArchiveError:
    """A read-only archive whose write-ahead log cannot be read: refuse rather than hide it."""
    return ArchiveError(
        Problem(
            str(path),
            f"归档位于只读位置，且有尚未合并的预写日志（{path.name}-wal），"
            f"无法读取（{os_reason(exc)}）。为避免漏掉最新的快照，未读取归档。"
            "请把归档文件连同 -wal 文件复制到可写的目录后再查看。",
        )
    )


def sqlite_error(path: Path | str, exc: sqlite3.Error) -> ArchiveError:
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
    elif APPEND_ONLY in text:
        message = (
            "归档只能追加，不能修改或删除已有记录。要作废一个快照，请用 reportgen archive void。"
        )
    else:
        message = f"读写归档文件失败（{text}）。请检查文件和目录权限。"
    return ArchiveError(Problem(str(path), message))


# PostgreSQL SQLSTATE classes and codes -> what to tell the operator
_SERVER_MESSAGES = (
    ("08", "无法连接 PostgreSQL 服务器（{detail}）。请检查地址、端口、用户名、密码和网络。"),
    ("28", "PostgreSQL 拒绝登录（{detail}）。请检查用户名和密码（或 pg_hba.conf）。"),
    ("3D", "PostgreSQL 中没有这个数据库（{detail}）。请先由管理员 createdb 创建。"),
    ("42501", "数据库用户没有所需权限（{detail}）。应用账号需有 SELECT、INSERT 权限；"
     "建表和升级须由属主账号运行 reportgen archive upgrade。"),
    ("P0001", "归档只能追加，不能修改或删除已有记录。要作废一个快照，请用 reportgen archive void。"),
    ("53", "PostgreSQL 服务器资源不足（{detail}）。请联系数据库管理员。"),
    ("57", "PostgreSQL 服务器拒绝了操作或正在关闭（{detail}）。请稍后重试。"),
)  # fmt: skip


# libpq reports a refused connection without a SQLSTATE: classify it by its text
_CONNECT_FAILURES = (
    ("does not exist", "3D000"),
    ("password authentication failed", "28P01"),
    ("no pg_hba.conf entry", "28000"),
    ("permission denied", "42501"),
)


def server_error(where: str, sqlstate: str | None, detail: str) -> ArchiveError:
    """A PostgreSQL error, by SQLSTATE, as an ArchiveError that says what to do."""
    if sqlstate is None:
        sqlstate = next((code for text, code in _CONNECT_FAILURES if text in detail), None)
        detail = detail.rsplit("FATAL:", 1)[-1]
    detail = detail.strip().splitlines()[0] if detail.strip() else "无详细信息"
    for prefix, message in _SERVER_MESSAGES:
        if sqlstate is not None and sqlstate.startswith(prefix):
            return ArchiveError(Problem(where, message.format(detail=detail)))
    if sqlstate is None:  # no answer from a server at all
        return ArchiveError(Problem(where, _SERVER_MESSAGES[0][1].format(detail=detail)))
    return ArchiveError(
        Problem(where, f"PostgreSQL 报错（{sqlstate}：{detail}）。请联系数据库管理员。")
    )
