"""Excel 填报: templates departments fill in, and tolerant, cell-precise intake.

``check_files`` and ``load_dataset`` need only python-calamine; the template writer (openpyxl,
slow to import) is loaded on first use of ``make_template``/``write_template``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reportgen.intake.check import check_files, load_dataset
from reportgen.intake.result import CheckReport, FileResult, Issue

if TYPE_CHECKING:
    from reportgen.intake.template import default_template_path, make_template, write_template

_TEMPLATE_NAMES = ("default_template_path", "make_template", "write_template")

__all__ = [
    "CheckReport",
    "FileResult",
    "Issue",
    "check_files",
    "default_template_path",
    "load_dataset",
    "make_template",
    "write_template",
]


def __getattr__(name: str) -> Any:
    if name in _TEMPLATE_NAMES:
        from reportgen.intake import template

        return getattr(template, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
