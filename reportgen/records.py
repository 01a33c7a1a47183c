"""Validated records: what intake hands to progress and the archive, with every value's cell."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from reportgen.errors import Problem


@dataclass(frozen=True)
class SourceFile:
    """A workbook that was read: its name, fingerprint and the department that filled it."""

    path: str
    name: str
    sha256: str
    size: int
    department: str | None


@dataclass(frozen=True)
class CellRef:
    """A cell of a returned workbook: file (as displayed), sheet and cell ('H7')."""

    file: str
    sheet: str
    cell: str

    def __str__(self) -> str:
        """'填报_市科技局.xlsx:指标填报!H7': the form records keep and the archive stores."""
        return f"{self.file}:{self.sheet}!{self.cell}"

    @property
    def where(self) -> str:
        """'填报_市科技局.xlsx 指标填报!H7': the form messages show."""
        return f"{self.file} {self.sheet}!{self.cell}"


@dataclass(frozen=True)
class ValueRecord:
    """One indicator's reported value (None = 未填报), with its cell as ``file:sheet!cell``."""

    indicator_id: str
    value: float | None
    source: str
    as_of: date | None = None
    remark: str = ""
    department: str | None = None


@dataclass(frozen=True)
class TaskRecord:
    """One department's report on one key task (重点任务 sheet row)."""

    task_id: str
    source: str
    department: str | None = None
    status: str | None = None
    progress: str = ""
    problems: str = ""
    next_steps: str = ""


@dataclass(frozen=True)
class DataProblem:
    """A problem of one returned cell, for the report's 数据问题清单 (file, cell, item, problem).

    ``item`` is the indicator or task id ('' when the problem concerns no single row);
    ``error`` marks a value that was not used (treated as 未填报) when drafting despite errors.
    """

    file: str
    cell: str
    item: str
    message: str
    error: bool = False


@dataclass(frozen=True)
class Dataset:
    """All returned workbooks for one plan and period, merged and validated."""

    plan_id: str
    period: str
    values: dict[str, ValueRecord] = field(default_factory=dict)
    tasks: dict[str, list[TaskRecord]] = field(default_factory=dict)
    files: list[SourceFile] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    missing_departments: list[str] = field(default_factory=list)
    problems: list[DataProblem] = field(default_factory=list)

    def value_of(self, indicator_id: str) -> float | None:
        """The reported value, or None when not reported (blank is never zero)."""
        record = self.values.get(indicator_id)
        return record.value if record else None
