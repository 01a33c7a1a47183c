"""``render_report``: a ProgressResult -> a 公文-format .docx (plus optional PDF and workbook).

The steps: pick and check the template, build the context, draw the charts, render with docxtpl
(autoescape on; the Jinja2 sandbox for user templates), then write every output atomically.
"""

from __future__ import annotations

import functools
import io
import warnings
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, fields, replace
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import (
    Environment,
    StrictUndefined,
    Template,
    TemplateError,
    TemplateSyntaxError,
    UndefinedError,
)
from jinja2.sandbox import SecurityError

from reportgen.compare import NO_COMPARISON, Comparison
from reportgen.errors import Problem, RenderError
from reportgen.fileio import atomic_path
from reportgen.locations import resource_path
from reportgen.progress import LAGGING, IndicatorProgress, ProgressResult
from reportgen.render import charts, pdf
from reportgen.render import sentences as S
from reportgen.render.context import (
    KINDS,
    Front,
    Kind,
    ReportContext,
    Trend,
    build_context,
)
from reportgen.render.lint import lint_template
from reportgen.render.plain import Placeholder, plain
from reportgen.render.sandbox import BudgetExceeded, SafeSandbox
from reportgen.render.summary import write_summary
from reportgen.render.textclean import clean, protect

CHART_KINDS = ("quarterly", "midterm")
HELP = "可用的变量见 docs/report.md；运行 reportgen template lint 模板.docx 可检查模板。"


class RenderWarning(UserWarning):
    """Something the user should know about a report that was still produced."""


@dataclass(frozen=True)
class ReportOptions:
    """How to render: template, front matter, extra outputs."""

    template: Path | None = None
    title: str | None = None
    issuer: str | None = None
    recipients: str | None = None
    date: date | None = None
    pdf: bool = False
    summary_xlsx: Path | None = None


def template_path(kind: Kind, template: Path | None = None) -> Path:
    """The user's template, or the built-in one for ``kind``."""
    return Path(template) if template is not None else resource_path("templates", f"{kind}.docx")


def render_report(
    result: ProgressResult,
    kind: Kind,
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
    check_kind(kind)
    out = Path(out)
    template = template_path(kind, options.template)
    user_template = options.template is not None
    if user_template:
        check_user_template(template)
    soffice = pdf.require_soffice() if options.pdf else None
    front = Front(options.title, options.issuer, options.recipients, options.date)
    context = build_context(result, kind, front, comparison)
    tpl = _open(template)
    mapping = context_mapping(tpl, context, result)
    render(tpl, mapping, template.name, sandboxed=user_template)
    with ExitStack() as stack:
        docx_tmp = stack.enter_context(atomic_path(out))
        tpl.save(docx_tmp)
        if soffice is not None:
            pdf.convert_to_pdf(
                docx_tmp, stack.enter_context(atomic_path(out.with_suffix(".pdf"))), soffice
            )
        if options.summary_xlsx is not None:
            write_summary(result, stack.enter_context(atomic_path(options.summary_xlsx)))
    return out


def check_kind(kind: str) -> None:
    """RenderError unless ``kind`` is one of the three report kinds."""
    if kind not in KINDS:
        raise RenderError(
            f"未知的报告类型“{kind}”。可选：weekly（周报）、quarterly（季度进展报告）、"
            "midterm（中期评估报告初稿）。"
        )


def check_user_template(path: Path) -> None:
    """RenderError listing every broken tag of a user template (see ``lint_template``).

    The result is remembered per file version (size and modification time), so a template
    checked before reading the workbooks, or used for many reports of a batch, is linted once.
    """
    try:
        stat = path.stat()
    except OSError:
        problems = lint_template(path)  # raises its own "找不到模板文件"
    else:
        problems = _lint_version(path, stat.st_size, stat.st_mtime_ns)
    if problems:
        raise RenderError(
            [*problems, Problem(path.name, "模板有上述问题，未生成报告。请修改模板后重试。")]
        )


@functools.lru_cache(maxsize=32)
def _lint_version(path: Path, size: int, mtime_ns: int) -> tuple[Problem, ...]:
    """``lint_template`` of one version of a file (the key includes its size and mtime)."""
    return tuple(lint_template(path))


def _open(path: Path):
    """The docxtpl template, opened for rendering."""
    from docxtpl import DocxTemplate

    return DocxTemplate(str(path))


# ---------------------------------------------------------------- context with images


def context_mapping(tpl, context: ReportContext, result: ProgressResult) -> dict[str, Any]:
    """The dict docxtpl renders: the context's fields (protected) as plain data, plus the
    charts as placeholders (the sandbox boundary: no library object reaches a template)."""
    chart, trend_chart = None, None
    if context.kind in CHART_KINDS:
        context, chart, trend_chart = _with_charts(tpl, context, result)
    mapping = {f.name: plain(protect(getattr(context, f.name))) for f in fields(context)}
    return {**mapping, "chart": chart, "trend_chart": trend_chart}


def _with_charts(tpl, context: ReportContext, result: ProgressResult):
    """Draw the charts the report has room for; number their captions."""
    from docx.shared import Mm
    from docxtpl import InlineImage

    def image(png: bytes) -> Placeholder:
        picture = InlineImage(tpl, io.BytesIO(png), width=Mm(charts.WIDTH_IN * 25.4))
        return Placeholder(picture.__html__)

    chart = trend_chart = None
    number = 0
    bars = bar_data(result.indicators)
    if bars:
        chart = image(charts.completion_chart(bars, S.CHART_LEGEND))
        number += 1
        caption = S.CHART_CAPTION if charts.cjk_font() else S.CHART_CAPTION_IDS
        context = replace(context, chart_caption=caption.format(n=number))
    if context.trend is not None:
        lines = trend_lines(result.indicators, context.trend)
        trend_chart = image(charts.trend_chart(context.trend.periods, lines))
        number += 1
        caption = S.TREND_CAPTION if charts.cjk_font() else S.TREND_CAPTION_IDS
        context = replace(context, trend_caption=caption.format(n=number))
    if (chart or trend_chart) and charts.cjk_font() is None:
        warnings.warn(S.NO_CJK_FONT, RenderWarning, stacklevel=3)
    return context, chart, trend_chart


def bar_data(indicators: Sequence[IndicatorProgress]) -> list[charts.Bar]:
    """Bars for the completion chart; none above ``charts.MAX_BARS`` (the table has them all)."""
    if not indicators or len(indicators) > charts.MAX_BARS:
        return []
    return [charts.Bar(i.id, clean(i.name), i.completion, i.time_progress) for i in indicators]


def trend_lines(indicators: Sequence[IndicatorProgress], trend: Trend) -> list[charts.Line]:
    """At most ``charts.MAX_LINES`` lines: at-risk and lagging indicators first, then plan order."""
    ranked = sorted(indicators, key=lambda i: (not i.at_risk, i.status not in LAGGING))
    return [
        charts.Line(i.id, clean(i.name), trend.series[i.id]) for i in ranked[: charts.MAX_LINES]
    ]


# ---------------------------------------------------------------- rendering


def environment(sandboxed: bool) -> Environment:
    """Autoescaping, strict Jinja2 environment; the sandbox for templates from users.

    The built-in templates share one environment that compiles each template part once per
    process (compiling is about a third of a report's time in a batch).
    """
    if sandboxed:
        return SafeSandbox(autoescape=True, undefined=StrictUndefined)
    return _builtin_environment()


class _CompiledOnce(Environment):
    """``from_string`` keeps the templates it compiled, by source (at most ``LIMIT``)."""

    LIMIT = 64

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._compiled: dict[str, Template] = {}

    def from_string(self, source, globals=None, template_class=None):
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        if source not in self._compiled:
            if len(self._compiled) >= self.LIMIT:
                self._compiled.clear()
            self._compiled[source] = super().from_string(source)
        return self._compiled[source]


@functools.cache
def _builtin_environment() -> Environment:
    return _CompiledOnce(autoescape=True, undefined=StrictUndefined)


def render(tpl, mapping: dict[str, Any], name: str, sandboxed: bool) -> None:
    """docxtpl render with Jinja errors turned into RenderError naming the template.

    A user template's own faults (an operation on the wrong type, a division by zero, nesting
    too deep, a budget exceeded) are its errors too: RenderError, never a crash.
    """
    try:
        tpl.render(mapping, jinja_env=environment(sandboxed), autoescape=True)
    except BudgetExceeded as exc:
        raise RenderError(
            Problem(
                name, f"模板超出了生成时允许的用量（{exc}），已停止。请简化模板中的运算和循环。"
            )
        ) from None
    except SecurityError as exc:
        raise RenderError(
            Problem(name, f"模板试图访问不允许的属性或方法，已拒绝（{exc}）。{HELP}")
        ) from None
    except UndefinedError as exc:
        raise RenderError(
            Problem(name, f"模板使用了未定义的变量或属性（{exc.message}）。{HELP}")
        ) from None
    except TemplateSyntaxError as exc:
        raise RenderError(Problem(name, f"模板语法错误（{exc.message}）。{HELP}")) from None
    except TemplateError as exc:
        raise RenderError(Problem(name, f"模板无法生成报告（{exc}）。{HELP}")) from None
    except (OverflowError, MemoryError, RecursionError) as exc:
        raise RenderError(
            Problem(
                name,
                f"模板的运算量过大或嵌套过深，已停止（{type(exc).__name__}）。"
                "请简化模板中的运算、循环和宏。",
            )
        ) from None
    except (TypeError, ValueError, ArithmeticError, LookupError) as exc:
        if not sandboxed:
            raise
        raise RenderError(
            Problem(name, f"模板中的运算出错（{type(exc).__name__}: {exc}）。{HELP}")
        ) from None
