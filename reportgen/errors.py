"""User-facing error types: one per kind of user error, caught once in the CLI (exit 2)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, with where it is (file, sheet!cell or key path)."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}：{self.message}" if self.where else self.message


class ReportgenError(Exception):
    """A problem the user can fix; carries every problem found, not just the first."""

    def __init__(self, problems: str | Problem | Iterable[Problem]) -> None:
        if isinstance(problems, str):
            problems = [Problem("", problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class PlanError(ReportgenError):
    """A plan file that cannot be read or does not validate."""


class PeriodError(ReportgenError):
    """A period string or as-of date that cannot be parsed."""


class IntakeError(ReportgenError):
    """Filled workbooks that cannot be read or contain invalid values."""


class RenderError(ReportgenError):
    """A report template that cannot be rendered."""


class ArchiveError(ReportgenError):
    """An archive file that is unreadable, read-only, corrupt or tampered with."""


class LimitError(ReportgenError):
    """An input over a safety limit (size, rows, zip ratio, …)."""


class OutputError(ReportgenError):
    """An output path that cannot be written."""


class ResourceError(ReportgenError):
    """A built-in resource (template, catalog plan, sample) is missing from the installation."""


class GradingError(ReportgenError):
    """Scoring workbooks, findings or an archived 评议 result that cannot be used."""
