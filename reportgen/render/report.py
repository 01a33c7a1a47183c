"""``render_report``: a ProgressResult -> a 公文-format .docx (plus optional PDF and workbook).

The steps: pick and check the template, build the context, draw the charts, render with docxtpl
(user templates in the autoescaping Jinja2 sandbox; the built-in ones with their text escaped
in the context), then write every output atomically.
"""

from __future__ import annotations

import secrets
import warnings
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from docx.oxml.ns import nsmap, qn
from docx.text.paragraph import Paragraph
from jinja2 import Environment, StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError
from lxml import etree

from reportgen.compare import NO_COMPARISON, Comparison
from reportgen.errors import PeriodError, Problem, RenderError, ResourceError
from reportgen.fileio import atomic_path
from reportgen.locations import REINSTALL, resource_path
from reportgen.periods import Period, parse_period
from reportgen.progress import LAGGING, IndicatorProgress, ProgressResult
from reportgen.render import charts, layout, titles
from reportgen.render import sentences as S
from reportgen.render.compiled import builtin_environment
from reportgen.render.context import (
    IMAGE_NAMES,
    REPORT_KINDS,
    Front,
    ReportContext,
    ReportKind,
    Trend,
    build_context,
)
from reportgen.render.plain import plain
from reportgen.render.textclean import clean

CHART_KINDS = ("quarterly", "midterm")
HELP = "可用的变量见 docs/report.md；运行 reportgen template lint 模板.docx 可检查模板。"


class RenderWarning(UserWarning):
    """Something the user should know about a report that was still produced."""


@dataclass(frozen=True)
class ReportOptions:
    """How to render: template, front matter, extra outputs."""

    template: Path | UserTemplate | None = None
    title: str | None = None
    issuer: str | None = None
    recipients: str | None = None
    date: date | None = None
    pdf: bool = False
    summary_xlsx: Path | None = None
    with_table: bool = False  # weekly brief: the full indicator table as an attachment


def template_path(kind: ReportKind, template: UserTemplate | None = None) -> Path:
    """The user's template, or the built-in one for ``kind``."""
    return template.path if template is not None else resource_path("templates", f"{kind}.docx")


def render_report(
    result: ProgressResult,
    kind: ReportKind,
    out: Path,
    options: ReportOptions | None = None,
    comparison: Comparison = NO_COMPARISON,
) -> Path:
    """Render the ``kind`` report of ``result`` to ``out`` (atomically); return ``out``.

    ``comparison`` (see reportgen.compare) supplies the 较上期 columns and the midterm trend.

    Raises RenderError (nothing written) for an unknown kind, a broken or unsafe template, or a
    requested PDF without LibreOffice. Emits RenderWarning when charts fall back to ids.
    """
    options = options or ReportOptions()
    kind = report_kind(kind)
    check_period(kind, result.period)
    out = Path(out)
    checked = user_template(options.template) if options.template is not None else None
    template = template_path(kind, checked)
    soffice = _require_soffice() if options.pdf else None
    front = Front(
        options.title, options.issuer, options.recipients, options.date, options.with_table
    )
    context = build_context(result, kind, front, comparison, builtin=checked is None)
    tpl = _open(template, builtin=checked is None)
    mapping, slots = context_mapping(context, result, escaped=checked is None)
    render(tpl, mapping, template.name, sandboxed=checked is not None)
    place_charts(tpl, slots, template.name)
    layout.finish(tpl.docx, context.title, context.issuer, titles.KIND_NAMES[kind])
    if context.issuer == S.NO_REPORTING_OFFICE:
        warnings.warn(S.no_reporting_office(result.plan.id), RenderWarning, stacklevel=2)
    if soffice is not None and (notice := _font_notice()):
        warnings.warn(notice, RenderWarning, stacklevel=2)
    with ExitStack() as stack:
        docx_tmp = stack.enter_context(atomic_path(out))
        tpl.save(docx_tmp)
        if soffice is not None:
            from reportgen.render.pdf import convert_to_pdf  # --pdf only

            convert_to_pdf(
                docx_tmp, stack.enter_context(atomic_path(out.with_suffix(".pdf"))), soffice
            )
        if options.summary_xlsx is not None:
            from reportgen.render.summary import write_summary  # --summary-xlsx only

            write_summary(result, stack.enter_context(atomic_path(options.summary_xlsx)))
    return out


def _require_soffice() -> str:
    """LibreOffice for --pdf (RenderError without it); render.pdf loads only for a PDF."""
    from reportgen.render.pdf import require_soffice

    return require_soffice()


def _font_notice() -> str | None:
    """The fonts LibreOffice would substitute in the PDF (None when all are installed)."""
    from reportgen.render.pdf import font_notice

    return font_notice()


def check_period(kind: str, period: Period) -> None:
    """PeriodError unless a weekly brief covers one ISO week (the right form is shown)."""
    if kind != "weekly" or period.kind == "week":
        return
    year, week, _ = period.as_of.isocalendar()
    example = parse_period(f"{year}-W{week:02d}")
    raise PeriodError(
        f"周报的报告期必须是一周，当前为“{period.label}”（{period.key}）。"
        f"请用 --period {example.key} 这样的形式（{example.label}）；"
        "季度、半年、年度报告请用 --kind quarterly。"
    )


# What people call each report kind (besides its own name), as typed on the command line.
REPORT_KIND_ALIASES: dict[str, ReportKind] = {
    "周报": "weekly", "周": "weekly", "week": "weekly", "每周": "weekly", "周简报": "weekly",
    "季度": "quarterly", "季报": "quarterly", "季度报告": "quarterly", "季度进展报告": "quarterly",
    "quarter": "quarterly", "进展报告": "quarterly",
    "中期": "midterm", "中期评估": "midterm", "中期评估报告": "midterm", "mid-term": "midterm",
}  # fmt: skip


def report_kind(name: str) -> ReportKind:
    """``name`` as a report kind (its own name or a Chinese one: 周报、季度、中期评估 …);
    RenderError unless it is one of the three."""
    cleaned = name.strip().lower()
    for kind in REPORT_KINDS:
        if cleaned == kind:
            return kind
    if cleaned in REPORT_KIND_ALIASES:
        return REPORT_KIND_ALIASES[cleaned]
    raise RenderError(
        f"未知的报告类型“{name}”。可选：weekly（周报）、quarterly（季度进展报告）、"
        "midterm（中期评估报告初稿），也可以直接写 周报、季度、中期评估。"
    )


@dataclass(frozen=True)
class UserTemplate:
    """A user's Word template that passed ``lint_template``, at one version of the file.

    Check it once where a run starts (``UserTemplate.check``) and hand it to every report of
    the run; a file edited since (new size or modification time) is checked again.
    """

    path: Path
    version: tuple[int, int]

    @classmethod
    def check(cls, path: Path) -> UserTemplate:
        """RenderError listing every broken tag of the template (see ``lint_template``)."""
        path = Path(path)
        from reportgen.render.lint import lint_template  # user templates only

        problems = lint_template(path)  # raises its own "找不到模板文件"
        if problems:
            raise RenderError(
                [*problems, Problem(path.name, "模板有上述问题，未生成报告。请修改模板后重试。")]
            )
        return cls(path, _version(path))

    def current(self) -> UserTemplate:
        """This template, or a fresh check when the file changed since."""
        try:
            unchanged = _version(self.path) == self.version
        except OSError:
            unchanged = False
        return self if unchanged else UserTemplate.check(self.path)


def _version(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def user_template(template: Path | UserTemplate) -> UserTemplate:
    """``template`` checked (a path) or still current (an already checked template)."""
    if isinstance(template, UserTemplate):
        return template.current()
    return UserTemplate.check(template)


def _open(path: Path, builtin: bool) -> Any:
    """The docxtpl template, opened for rendering.

    A built-in template that will not open is a damaged installation (ResourceError), never an
    internal error; a user template was opened by its check already.
    """
    from docxtpl import DocxTemplate

    from reportgen.render.onepass import OnePassTemplate

    tpl = OnePassTemplate(str(path)) if builtin else DocxTemplate(str(path))
    try:
        tpl.init_docx()
    except Exception as exc:  # python-docx raises several types for a file that is no .docx
        reason = f"（{type(exc).__name__}）"
        if builtin:
            raise ResourceError(f"内置报告模板 {path.name} 已损坏{reason}。{REINSTALL}") from None
        raise RenderError(
            Problem(path.name, f"无法打开模板{reason}，请确认它是 .docx 文件。")
        ) from None
    return tpl


# ---------------------------------------------------------------- context with charts


@dataclass(frozen=True)
class ChartSlot:
    """Where a chart goes: the template prints ``marker`` alone in a paragraph."""

    name: str
    marker: str
    chart: charts.NativeChart


def context_mapping(
    context: ReportContext, result: ProgressResult, escaped: bool = False
) -> tuple[dict[str, Any], list[ChartSlot]]:
    """The dict docxtpl renders (the context's fields as plain data) and the charts to place.

    A chart variable holds a plain marker string (unguessable per render), never a library
    object: after rendering, ``place_charts`` swaps each marker paragraph for its chart.
    ``escaped``: the text comes XML-escaped, for a template rendered without autoescaping.
    """
    slots: list[ChartSlot] = []
    if context.kind in CHART_KINDS:
        context, slots = _with_charts(context, result)
    mapping = vars(plain(context, escaped))
    markers = {slot.name: slot.marker for slot in slots}
    return {**mapping, **{name: markers.get(name, "") for name in IMAGE_NAMES}}, slots


def _with_charts(
    context: ReportContext, result: ProgressResult
) -> tuple[ReportContext, list[ChartSlot]]:
    """The charts the report has room for; number their captions."""
    slots: list[ChartSlot] = []
    bars = bar_data(result.indicators)
    if bars:
        chart = charts.completion_chart(bars, S.CHART_LEGEND)
        slots.append(ChartSlot("chart", _marker(), chart))
        context = replace(context, chart_caption=S.CHART_CAPTION.format(n=len(slots)))
    if context.trend is not None:
        lines = trend_lines(result.indicators, context.trend)
        chart = charts.trend_chart(context.trend.periods, lines)
        slots.append(ChartSlot("trend_chart", _marker(), chart))
        context = replace(context, trend_caption=S.TREND_CAPTION.format(n=len(slots)))
    return context, slots


def _marker() -> str:
    return f"〔reportgen-chart-{secrets.token_hex(8)}〕"


def place_charts(tpl: Any, slots: Sequence[ChartSlot], name: str) -> None:
    """Swap each chart's marker paragraph for the chart; RenderError if it is not alone there."""
    if not slots:
        return
    document = tpl.docx
    by_marker = {slot.marker: slot for slot in slots}
    found = [
        (next(t.iterancestors(qn("w:p"))), slot)
        for t in _texts_containing(document.element.body, list(by_marker))
        for marker, slot in by_marker.items()
        if marker in t.text
    ]
    for p, slot in found:
        paragraph = Paragraph(p, document.part)
        if paragraph.text.strip() != slot.marker:
            raise RenderError(
                Problem(
                    name, f"模板中的 {{{{ {slot.name} }}}} 必须单独占一段，不能和文字写在一起。"
                )
            )
        charts.embed(document, paragraph, slot.chart)


def _texts_containing(body: Any, markers: list[str]) -> list[Any]:
    """The ``w:t`` elements holding any of ``markers``, in document order (found by libxml2)."""
    test = " or ".join(f"contains(., $m{n})" for n in range(len(markers)))
    find = etree.XPath(f".//w:t[{test}]", namespaces={"w": nsmap["w"]})
    texts: list[Any] = find(body, **{f"m{n}": marker for n, marker in enumerate(markers)})
    return texts


def bar_data(indicators: Sequence[IndicatorProgress]) -> list[charts.Bar]:
    """Bars for the completion chart; none above ``charts.MAX_BARS`` (the table has them all)."""
    if not indicators or len(indicators) > charts.MAX_BARS:
        return []
    return [
        charts.Bar(i.id, clean(i.name), i.completion, i.time_progress, i.status) for i in indicators
    ]


def trend_lines(indicators: Sequence[IndicatorProgress], trend: Trend) -> list[charts.Line]:
    """At most ``charts.MAX_LINES`` lines: at-risk and lagging indicators first, then plan order."""
    ranked = sorted(indicators, key=lambda i: (not i.at_risk, i.status not in LAGGING))
    return [
        charts.Line(i.id, clean(i.name), trend.series[i.id]) for i in ranked[: charts.MAX_LINES]
    ]


# ---------------------------------------------------------------- rendering


def environment(sandboxed: bool) -> Environment:
    """Strict Jinja2 environment: the autoescaping sandbox for templates from users.

    The built-in templates share one environment that compiles each template part once per
    process and keeps the compiled code in the user's cache folder between processes
    (``reportgen.render.compiled``). It does not escape: their context comes escaped
    (``context_mapping(escaped=True)``), which spares a call of markupsafe per printed value
    (about 40% of rendering a large report).
    """
    if sandboxed:
        from reportgen.render.sandbox import SafeSandbox  # user templates only

        return SafeSandbox(autoescape=True, undefined=StrictUndefined)
    return builtin_environment()


def render(tpl: Any, mapping: dict[str, Any], name: str, sandboxed: bool) -> None:
    """docxtpl render with Jinja errors turned into RenderError naming the template.

    A user template's own faults (an operation on the wrong type, a division by zero, nesting
    too deep, a budget exceeded) are its errors too: RenderError, never a crash.
    """
    try:
        tpl.render(mapping, jinja_env=environment(sandboxed), autoescape=sandboxed)
    except Exception as exc:
        problem = template_fault(exc, sandboxed)
        if problem is None:
            raise
        raise RenderError(Problem(name, problem)) from None


def template_fault(exc: Exception, sandboxed: bool) -> str | None:
    """What went wrong in the template, for the user; None for a fault of reportgen's own.

    Only a sandboxed (user) template can exceed a budget: render.budget loads only for those.
    """
    if sandboxed:
        from reportgen.render.budget import BudgetExceeded

        if isinstance(exc, BudgetExceeded):
            return f"模板超出了生成时允许的用量（{exc}），已停止。请简化模板中的运算和循环。"
    if isinstance(exc, SecurityError):
        return f"模板试图访问不允许的属性或方法，已拒绝（{exc}）。{HELP}"
    if isinstance(exc, UndefinedError):
        return f"模板使用了未定义的变量或属性（{exc.message}）。{HELP}"
    if isinstance(exc, TemplateSyntaxError):
        return f"模板语法错误（{exc.message}）。{HELP}"
    if isinstance(exc, TemplateError):
        return f"模板无法生成报告（{exc}）。{HELP}"
    if isinstance(exc, OverflowError | MemoryError | RecursionError):
        return (
            f"模板的运算量过大或嵌套过深，已停止（{type(exc).__name__}）。"
            "请简化模板中的运算、循环和宏。"
        )
    if sandboxed and isinstance(exc, TypeError | ValueError | ArithmeticError | LookupError):
        return f"模板中的运算出错（{type(exc).__name__}: {exc}）。{HELP}"
    return None
