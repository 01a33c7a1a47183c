"""Word 进展报告 in GB/T 9704 公文 format: weekly brief, quarterly report, mid-term evaluation."""

from reportgen.render.context import REPORT_KINDS, ReportContext, ReportKind, build_context
from reportgen.render.lint import lint_template
from reportgen.render.report import RenderWarning, ReportOptions, render_report

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
