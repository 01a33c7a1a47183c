"""Where an archive lives: a SQLite file (a path or ``sqlite:///…``) or a PostgreSQL database.

Parsing a location imports nothing heavy: SQLAlchemy is loaded only when a database is opened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from reportgen.errors import ArchiveError, Problem
from reportgen.locations import ARCHIVE_ENV, default_archive, outputs_dir

ENV_VAR = ARCHIVE_ENV
DEFAULT_PATH = outputs_dir() / "archive.sqlite"
Backend = Literal["sqlite", "postgresql"]

_POSTGRES = re.compile(r"(?i)postgres(?:ql)?(?:\+psycopg)?:(/*)(.*)", re.S)
_SQLITE = re.compile(r"(?i)sqlite:///(.+)", re.S)
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]+)://")


@dataclass(frozen=True)
class Location:
    """A SQLite file (``path``) or a PostgreSQL database (``url``, password included)."""

    backend: Backend
    path: Path | None = None
    url: str = ""

    @property
    def display(self) -> str:
        """For messages: the file path, or the URL with its password hidden."""
        if self.path is not None:
            return str(self.path)
        return _hide_password(self.url.replace("postgresql+psycopg:", "postgresql:", 1))


def locate(target: str | Path | None = None) -> Location:
    """``target`` if given, else $REPORTGEN_ARCHIVE, else outputs/archive.sqlite."""
    text = str(target) if target else default_archive()
    postgres = _POSTGRES.fullmatch(text)
    if postgres:
        slashes, rest = postgres.groups()
        # a Path turns "postgresql://host/db" into "postgresql:/host/db" and "postgresql:///db"
        # into "postgresql:/db": restore the authority (no "/" before the query: no host given)
        hostless = len(slashes) >= 3 or (len(slashes) == 1 and "/" not in rest.split("?")[0])
        authority = "///" if hostless else "//"
        return Location("postgresql", url=f"postgresql+psycopg:{authority}{rest}")
    sqlite = _SQLITE.fullmatch(text)
    if sqlite:
        return Location("sqlite", path=Path(sqlite[1]))
    scheme = _SCHEME.match(text)
    if scheme and len(scheme[1]) > 1:  # not a Windows drive letter
        raise ArchiveError(
            Problem(
                _hide_password(text),
                f"不支持的归档地址类型“{scheme[1]}”。请使用文件路径、sqlite:///路径 "
                "或 postgresql://用户@主机/数据库。",
            )
        )
    return Location("sqlite", path=Path(text))


def _hide_password(url: str) -> str:
    return re.sub(r"(://[^/@:]*:)[^/@]*@", r"\1***@", url)
