"""Builders for the round tests: a plan with several departments, filling and reading returns."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

from reportgen.intake.layout import FILLER_LABEL, PHONE_LABEL
from reportgen.plan import Plan
from tests.support.intake_builders import plan_data

GROUP = "各区县政府"
DISTRICTS = ["甲区政府", "乙县政府"]


def round_plan(**changes: Any) -> Plan:
    """The intake test plan with its indicators spread over departments, a group and a placeholder.

    C1, L1 -> 市市场监管局 (L1 cooperating 市科技局); P1 -> 市科技局; A1 -> 各区县政府 (members);
    R1 -> 市政府有关部门 (placeholder: the coordinator, 市市场监管局, reports it).
    Tasks: T1 市市场监管局 + 市科技局; T2 市市场监管局 + 市经信局; T3 市人社局 + 各区县政府.
    """
    data = plan_data()
    leads = {
        "C1": (["市市场监管局"], []),
        "L1": (["市市场监管局"], ["市科技局"]),
        "P1": (["市科技局"], []),
        "A1": ([GROUP], []),
        "R1": (["市政府有关部门"], []),
    }
    for indicator in data["indicators"]:
        lead, cooperating = leads[indicator["id"]]
        indicator.update(lead=lead, cooperating=cooperating, departments_ref="表1")
    data["indicators"][1]["weekly"] = True
    data["tasks"][2]["cooperating"] = [GROUP]
    data["members"] = [{"name": GROUP, "members": DISTRICTS, "source_ref": "附件2"}]
    data.update(changes)
    return Plan.model_validate(data)


def _header_row(ws: Any, first: str) -> tuple[int, dict[str, int]]:
    for row in ws.iter_rows(min_row=1, max_row=10):
        texts = {c.value: c.column for c in row if isinstance(c.value, str)}
        if first in texts:
            return row[0].row, texts
    raise AssertionError(f"no header {first}")


def rows(path: Path, sheet: str = "指标填报") -> dict[str, dict[str, Any]]:
    """id -> {header: value} of a template's data sheet."""
    ws = openpyxl.load_workbook(path)[sheet]
    first = "指标编号" if sheet == "指标填报" else "任务编号"
    header, columns = _header_row(ws, first)
    found = {}
    for row in ws.iter_rows(min_row=header + 1, values_only=True):
        if row[0]:
            found[row[0]] = {h: row[c - 1] for h, c in columns.items()}
    return found


def fill_return(
    path: Path,
    values: dict[str, Any] | None = None,
    tasks: dict[str, str] | None = None,
    filler: str | None = "张三",
    phone: str | None = "0580-2281234",
    out: Path | None = None,
) -> Path:
    """Fill a round template like a department would (完成值, 进展状态, 填报人, 联系电话)."""
    book = openpyxl.load_workbook(path)
    for sheet, first, entries, column in (
        ("指标填报", "指标编号", values or {}, "完成值"),
        ("重点任务", "任务编号", tasks or {}, "进展状态"),
    ):
        ws = book[sheet]
        header, columns = _header_row(ws, first)
        for row in ws.iter_rows(min_row=header + 1):
            if row[0].value in entries:
                row[columns[column] - 1].value = entries[row[0].value]
    for ws in (book["指标填报"], book["重点任务"]):
        for row in ws.iter_rows(min_row=1, max_row=3):
            for cell in row:
                if cell.value in (FILLER_LABEL, PHONE_LABEL):
                    answer = filler if cell.value == FILLER_LABEL else phone
                    ws.cell(cell.row, cell.column + 1, answer)
    target = out or path
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)
    return target
