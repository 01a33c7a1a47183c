"""What checking produces: problems pinned to cells, per-file results and the check report."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportgen.errors import Problem
from reportgen.records import CellRef, Dataset, SourceFile, TaskRecord, ValueRecord


@dataclass(frozen=True)
class Issue:
    """One error or warning in a workbook; ``sheet``/``cell`` are empty for whole-file problems.

    ``item`` is the id of the indicator or task whose row the cell is in ('' for none).
    """

    sheet: str
    cell: str
    message: str
    item: str = ""

    def where(self, display: str) -> str:
        """'填报_市科技局.xlsx 指标填报!H7' (or less when sheet/cell are unknown)."""
        if self.sheet and self.cell:
            return f"{display} {self.sheet}!{self.cell}"
        return f"{display} {self.sheet}".rstrip()

    def to_json(self) -> dict[str, str]:
        return {"sheet": self.sheet, "cell": self.cell, "message": self.message}


@dataclass
class FileResult:
    """One workbook after checking: its records (only meaningful when ``ok``) and problems."""

    path: Path
    display: str
    plan_id: str | None = None
    period: str | None = None
    department: str | None = None
    source: SourceFile | None = None
    values: list[ValueRecord] = field(default_factory=list)
    value_cells: dict[str, CellRef] = field(default_factory=dict)  # indicator id -> its cell
    tasks: list[TaskRecord] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    filler: str | None = None  # 填报人, from a round template's own cell
    phone: str | None = None  # 联系电话

    @property
    def ok(self) -> bool:
        return not self.errors

    def problems(self, issues: list[Issue]) -> list[Problem]:
        return [Problem(i.where(self.display), i.message) for i in issues]

    def to_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "department": self.department,
            "period": self.period,
            "ok": self.ok,
            "errors": [i.to_json() for i in self.errors],
            "warnings": [i.to_json() for i in self.warnings],
            "filler": self.filler,
            "phone": self.phone,
        }


@dataclass
class CheckReport:
    """Every file checked, the departments that sent nothing, and the number of records."""

    files: list[FileResult]
    missing_departments: list[str]
    records: int
    datasets: list[Dataset] = field(default_factory=list)  # one per (plan, period) found
    skipped: list[Problem] = field(default_factory=list)  # folder entries not read, and why

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.files)

    @property
    def errors(self) -> list[Problem]:
        return [p for f in self.files for p in f.problems(f.errors)]

    def to_json(self) -> dict[str, Any]:
        """The `reportgen check --json` structure."""
        return {
            "files": [f.to_json() for f in self.files],
            "missing_departments": self.missing_departments,
            "records": self.records,
            "skipped": [{"file": p.where, "reason": p.message} for p in self.skipped],
        }
