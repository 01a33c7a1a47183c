"""Exporting one plan's snapshots to a JSON file or an Excel workbook (written atomically)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from reportgen.archive.snapshot import Snapshot
from reportgen.errors import OutputError, Problem
from reportgen.fileio import atomic_path, write_text

FORMAT = "reportgen-archive-export"
PERCENT = "0.0%"
SUFFIXES = (".xlsx", ".json")


def export_snapshots(
    plan_id: str, snapshots: Sequence[Snapshot], out: Path, chain_head: str | None
) -> Path:
    """Write ``snapshots`` to ``out`` (.json: everything; .xlsx: one sheet per kind of row).

    ``chain_head`` (the archive's head token at export time) is kept in the file, so the
    export doubles as a receipt for ``archive verify --head``."""
    suffix = out.suffix.lower()
    if suffix not in SUFFIXES:
        raise OutputError(
            Problem(str(out), "导出文件须以 .xlsx 或 .json 结尾。请修改 -o 指定的文件名。")
        )
    if suffix == ".json":
        data = {
            "format": FORMAT,
            "plan": plan_id,
            "chain_head": chain_head,
            "snapshots": [s.to_json() for s in snapshots],
        }
        return write_text(out, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    workbook = Workbook(write_only=True)
    for title, headers, rows in _sheets(snapshots):
        sheet = workbook.create_sheet(title)
        sheet.append(headers)
        for row in rows:
            sheet.append([_cell(sheet, value) for value in row])
    receipt = workbook.create_sheet("链头凭据")
    receipt.append(["链头凭据（用于 reportgen archive verify --head）"])
    receipt.append([_cell(receipt, chain_head or "")])
    with atomic_path(out) as tmp:
        workbook.save(tmp)
    return out


class _Percent(float):
    """A ratio to be shown as a percentage in Excel."""


def _pct(value: float | None) -> _Percent | None:
    return None if value is None else _Percent(value)


def _cell(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    """Text always as text (never a formula, no illegal characters); ratios as percentages."""
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"
        return cell
    if isinstance(value, _Percent):
        cell = WriteOnlyCell(sheet, value=float(value))
        cell.number_format = PERCENT
        return cell
    return value


def _listing(s: Snapshot) -> list[list[Any]]:
    i = s.info
    return [
        [i.as_of.isoformat(), i.created_at, i.plan_hash, i.note or "", len(s.indicators),
         len(s.files), i.checksum]
    ]  # fmt: skip


def _indicators(s: Snapshot) -> list[list[Any]]:
    return [
        [i.id, i.name, i.unit, i.actual, i.target, i.target_year, _pct(i.completion),
         _pct(i.time_progress), i.status, i.source or ""]
        for i in s.indicators
    ]  # fmt: skip


def _files(s: Snapshot) -> list[list[Any]]:
    return [[f.name, f.department or "", f.size, f.sha256] for f in s.files]


def _tasks(s: Snapshot) -> list[list[Any]]:
    return [
        [t.id, t.title, "、".join(t.lead), t.status or "", t.progress, t.problems, t.next_steps]
        for t in s.task_progress
    ]


# (sheet title, column headers after 报告期 and 版本, rows of one snapshot)
_SHEETS: tuple[tuple[str, str, Callable[[Snapshot], list[list[Any]]]], ...] = (
    ("快照清单", "截至日期 归档时间（UTC） 方案内容哈希 备注 指标数 来源文件数 校验和", _listing),
    ("指标", "编号 指标 单位 实际值 目标值 目标年份 完成率 序时进度 状态 来源单元格", _indicators),
    ("来源文件", "文件名 部门 字节数 SHA-256", _files),
    ("重点任务", "编号 任务 牵头单位 状态 进展 问题 下一步", _tasks),
)


def _sheets(snapshots: Sequence[Snapshot]) -> Iterator[tuple[str, list[str], list[list[Any]]]]:
    for title, headers, rows_of in _SHEETS:
        rows = [[s.info.period_key, s.info.version, *row] for s in snapshots for row in rows_of(s)]
        yield title, ["报告期", "版本", *headers.split()], rows
