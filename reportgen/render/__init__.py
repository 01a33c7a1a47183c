"""Word 进展报告 in GB/T 9704 公文 format: weekly brief, quarterly report, mid-term evaluation.

The names below load on first use, so importing one submodule (``render.sentences``,
``render.oxml``) costs only that module, and a report never loads the template checker.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reportgen.render.context import REPORT_KINDS, ReportContext, ReportKind, build_context
    from reportgen.render.lint import lint_template
    from reportgen.render.report import RenderWarning, ReportOptions, render_report

_HOME = {
    "REPORT_KINDS": "context",
    "ReportContext": "context",
    "ReportKind": "context",
    "build_context": "context",
    "lint_template": "lint",
    "RenderWarning": "report",
    "ReportOptions": "report",
    "render_report": "report",
}
__all__ = [
    "REPORT_KINDS",
    "RenderWarning",
    "ReportContext",
    "ReportKind",
    "ReportOptions",
    "build_context",
    "lint_template",
    "render_report",
]


def __getattr__(name: str) -> object:
    """The public name ``name``, imported from its module the first time it is asked for."""
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{home}"), name)
