"""Word 进展报告 in GB/T 9704 公文 format: weekly brief, quarterly report, mid-term evaluation.

The names below load on first use, so importing one submodule (``render.sentences``,
``render.oxml``) costs only that module, and a report never loads the template checker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportgen.lazy import names_from

if TYPE_CHECKING:
    from reportgen.render.context import REPORT_KINDS, ReportContext, ReportKind, build_context
    from reportgen.render.lint import lint_template
    from reportgen.render.report import RenderWarning, ReportOptions, render_report

__getattr__ = names_from(
    __name__,
    {
        f"{__name__}.context": ("REPORT_KINDS", "ReportContext", "ReportKind", "build_context"),
        f"{__name__}.lint": ("lint_template",),
        f"{__name__}.report": ("RenderWarning", "ReportOptions", "render_report"),
    },
)
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
