"""Safety limits on inputs, checked before heavy work (zip bombs, huge files, huge sheets).

Defaults are generous for real use; each can be changed with an environment variable
(REPORTGEN_MAX_FILE_MB, REPORTGEN_MAX_ROWS, …, see ``ENV``).
"""

from __future__ import annotations

import os
import zipfile
import zlib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import IO, Any
from xml.parsers import expat

from reportgen.errors import LimitError, Problem

MB = 1024 * 1024
# Any figure (a target, a reported value) must be smaller than this: larger ones are typing
# mistakes, lose precision as floats and cannot be formatted.
MAX_ABS_VALUE = 1e15
# A plan figure that is not zero must be at least this large: a target such as 1e-300 is a
# typing mistake, and completion (value / target) would outgrow every number format.
MIN_ABS_VALUE = 1e-9
_PROLOG_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Limits:
    """Upper bounds on what one input may contain."""

    max_file_mb: float = 50
    max_sheets: int = 50
    max_rows: int = 100_000
    max_columns: int = 200
    max_uncompressed_mb: float = 150  # a 10 000-indicator workbook is under 10 MB
    max_compression_ratio: float = 200
    max_zip_entries: int = 10_000
    max_cell_chars: int = 32_767
    max_cells: int = 1_000_000  # rows x columns of a sheet's used area (memory, time)
    max_source_chars: int = 200_000  # plan extract: characters of a source document
    max_source_lines: int = 2_000  # plan extract: lines (.txt) or paragraphs (.docx)


ENV = {f.name: f"REPORTGEN_{f.name.upper()}" for f in fields(Limits)}


def current_limits() -> Limits:
    """The defaults, overridden by any REPORTGEN_MAX_* environment variables."""
    limits = Limits()
    for f in fields(Limits):
        raw = os.environ.get(ENV[f.name])
        if raw:
            try:
                value = float(raw) if f.type == "float" else int(raw)
            except ValueError:
                raise LimitError(f"环境变量 {ENV[f.name]}={raw} 不是有效的数字。") from None
            change: dict[str, Any] = {f.name: value}
            limits = replace(limits, **change)
    return limits


def check_file_size(path: Path, limits: Limits, name: str | None = None) -> None:
    """Refuse a file over ``max_file_mb`` before reading it; ``name`` (default the file name) is shown."""
    size = path.stat().st_size
    if size > limits.max_file_mb * MB:
        raise LimitError(
            Problem(
                name or path.name,
                f"文件过大（{size / MB:.1f} MB），超过上限 {limits.max_file_mb:g} MB。"
                f"请删除无关的工作表或图片后重试，或设置 {ENV['max_file_mb']} 调高上限。",
            )
        )


def check_zip(path: Path, limits: Limits) -> None:
    """Refuse a zip package (.xlsx/.docx) whose entries would expand too far.

    Raises zipfile.BadZipFile for a file that is not a zip at all; the caller words that.
    """
    with zipfile.ZipFile(path) as package:
        _check_entries(package.infolist(), path.name, limits)


def check_package(path: Path, limits: Limits) -> None:
    """All checks for a zip package (.xlsx/.docx) on disk before any library opens it.

    Size on disk, then ``check_package_zip``. Raises zipfile.BadZipFile for a file that is not a zip.
    """
    check_file_size(path, limits)
    with zipfile.ZipFile(path) as package:
        check_package_zip(package, path.name, limits)


def check_package_zip(package: zipfile.ZipFile, name: str, limits: Limits) -> None:
    """All checks for an open zip package; problems are reported under ``name``.

    Entries and expansion (as ``check_zip``), and no DTD in any XML part: entity declarations
    serve only entity-expansion ("billion laughs") and external-entity attacks, and Office never
    writes them. Raises zipfile.BadZipFile for entries that cannot be decompressed.
    """
    _check_entries(package.infolist(), name, limits)
    for entry in package.infolist():
        if not entry.is_dir() and _entry_declares_dtd(package, entry):
            raise LimitError(
                Problem(
                    name,
                    f"文件中的 {entry.filename} 含有 XML 文档类型或实体声明（DTD），"
                    "可能是恶意构造的文件，已拒绝读取。请确认文件来源，"
                    "用 Excel、WPS 或 Word 打开后重新保存再试。",
                )
            )


def _check_entries(entries: list[zipfile.ZipInfo], name: str, limits: Limits) -> None:
    """Entry count, total expanded size and per-entry compression ratio."""
    if len(entries) > limits.max_zip_entries:
        raise LimitError(
            Problem(
                name,
                f"文件包含 {len(entries)} 个部件，超过上限 {limits.max_zip_entries}，文件可能已损坏或被构造。",
            )
        )
    total = sum(e.file_size for e in entries)
    if total > limits.max_uncompressed_mb * MB:
        raise LimitError(
            Problem(
                name,
                f"文件解压后达 {total / MB:.0f} MB，超过上限 {limits.max_uncompressed_mb:g} MB"
                f"（可能是“压缩炸弹”）。请确认文件来源，或设置 {ENV['max_uncompressed_mb']} 调高上限。",
            )
        )
    for entry in entries:
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > MB and ratio > limits.max_compression_ratio:
            raise LimitError(
                Problem(
                    name,
                    f"文件中的 {entry.filename} 压缩比高达 {ratio:.0f} 倍（上限 {limits.max_compression_ratio:g}），"
                    "可能是“压缩炸弹”，已拒绝读取。请确认文件来源。",
                )
            )


def _entry_declares_dtd(package: zipfile.ZipFile, entry: zipfile.ZipInfo) -> bool:
    """``_declares_dtd`` for one entry; damaged, encrypted or unsupported entries are BadZipFile."""
    try:
        with package.open(entry) as stream:
            return _declares_dtd(stream)
    except (zlib.error, EOFError, OSError, RuntimeError, NotImplementedError) as exc:
        raise zipfile.BadZipFile(f"{entry.filename}: {exc}") from exc


class _Prolog(Exception):
    """Stops the prolog scan: True when a DTD was found, False at the root element."""

    def __init__(self, found: bool) -> None:
        self.found = found


def _declares_dtd(stream: IO[bytes]) -> bool:
    """True when the XML in ``stream`` has a DOCTYPE; reads only up to its root element."""
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = lambda *_: _stop(True)
    parser.EntityDeclHandler = lambda *_: _stop(True)
    parser.StartElementHandler = lambda *_: _stop(False)
    try:
        while chunk := stream.read(_PROLOG_CHUNK):
            parser.Parse(chunk, False)
    except _Prolog as stop:
        return stop.found
    except expat.ExpatError:
        return False  # not well-formed: the reader that parses it reports the damage
    return False


def _stop(found: bool) -> None:
    raise _Prolog(found)
