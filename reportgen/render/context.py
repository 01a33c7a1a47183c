"""The template context: report concepts (rows, items, groups, trend) built from a ProgressResult.

Everything the templates show is a string here, already formatted; the template only places it.
User-supplied text is cleaned of characters XML cannot carry (see ``textclean``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import date
from typing import Any, Literal, TypeVar

from reportgen import fmt
from reportgen.compare import NO_COMPARISON, Comparison, CompletionSeries, IndicatorChange
from reportgen.progress import IndicatorProgress, ProgressResult, TaskProgress
from reportgen.render import brief, sections, titles
from reportgen.render import sentences as S
from reportgen.render.sections import Group, Item
from reportgen.render.textclean import clean

ReportKind = Literal["weekly", "quarterly", "midterm"]
REPORT_KINDS: tuple[ReportKind, ...] = ("weekly", "quarterly", "midterm")
FILLS = {"严重滞后": "F4B6B6", "滞后": "FDD9A8", "已完成": "C6E6BE", "未填报": "E0E0E0"}
NO_FILL = "auto"
MAX_TREND_PERIODS = 8


@dataclass(slots=True)
class Row:
    """One indicator's row in the attachment table (all cells as displayed).

    Not frozen, like ``Item``: one is made per indicator, and a frozen data class's
    ``__init__`` (one ``object.__setattr__`` per field) costs five times as much.
    """

    id: str
    name: str
    unit: str
    target: str
    actual: str
    completion: str
    time_progress: str
    status: str
    fill: str
    bold: bool
    change_value: str
    change_completion: str
    final_target: str
    final_completion: str
    projected: str


@dataclass(frozen=True)
class TrendLine:
    """One indicator's completion in each period of the trend table, as displayed."""

    name: str
    cells: list[str]


@dataclass(frozen=True)
class Trend:
    """Completion per archived period: table cells as text, plus the raw series for the chart."""

    intro: str
    periods: list[str]
    lines: list[TrendLine]
    series: dict[str, list[float | None]] = field(repr=False)


@dataclass(frozen=True)
class ProblemRow:
    """One row of the annex 数据问题清单: file, cell, indicator or task, problem."""

    file: str
    cell: str
    item: str
    message: str


@dataclass(frozen=True)
class ReportContext:
    """Everything a report template may use (the names are the template's variables)."""

    kind: ReportKind
    title: str
    subtitle: str
    recipients: str
    intro: str
    issuer: str
    date: str
    period: str
    as_of: str
    plan_title: str
    summary: str
    groups: list[Group]
    attention: list[Item]
    tasks: list[Item]
    problems: list[Item]
    next_steps: list[Item]
    projections: list[Item]
    at_risk: list[Item]
    trend: Trend | None
    trend_note: str
    rows: list[Row]
    table_note: str
    legend: str
    attachment_title: str
    chart_caption: str
    trend_caption: str
    highlights: list[Item]
    next_week: list[Item]
    compared_with: str
    with_table: bool
    data_problems: list[ProblemRow] = field(default_factory=list)
    data_problems_title: str = S.DATA_PROBLEMS_TITLE


# Names the templates can use: the context fields plus the images added at render time.
IMAGE_NAMES = ("chart", "trend_chart")
CONTEXT_NAMES = frozenset(f.name for f in fields(ReportContext)) | set(IMAGE_NAMES)


@dataclass(frozen=True)
class Front:
    """Front-matter choices from the caller (None = the default)."""

    title: str | None = None
    issuer: str | None = None
    recipients: str | None = None
    date: date | None = None
    with_table: bool = False  # the weekly brief's optional attachment table


# The lists of the context (the costly part on a large plan: sentences and table rows) and
# those each built-in template shows (tests/render/test_context.py checks them against the
# templates); the weekly brief shows ``rows`` only as its optional attachment.
LISTS = frozenset(
    {
        "groups", "attention", "tasks", "problems", "next_steps", "projections", "at_risk",
        "rows", "highlights", "next_week", "data_problems",
    }
)  # fmt: skip
_SECTIONS = frozenset({"groups", "tasks", "problems", "next_steps", "rows", "data_problems"})
BUILTIN_LISTS: dict[ReportKind, frozenset[str]] = {
    "weekly": frozenset({"attention", "highlights", "next_week", "rows", "data_problems"}),
    "quarterly": _SECTIONS,
    "midterm": _SECTIONS | {"projections", "at_risk"},
}


def builtin_lists(kind: ReportKind, with_table: bool) -> frozenset[str]:
    """The lists the built-in template of ``kind`` shows."""
    shown = BUILTIN_LISTS[kind]
    return shown if with_table or kind != "weekly" else shown - {"rows"}


def build_context(
    result: ProgressResult,
    kind: ReportKind,
    front: Front,
    comparison: Comparison = NO_COMPARISON,
    builtin: bool = False,
) -> ReportContext:
    """The template context for one report of ``kind``; ``comparison`` gives 较上期 and trend.

    ``builtin``: the built-in template of ``kind`` renders it, so the lists it does not show
    are left empty (``builtin_lists``); a user template may use every list.
    """
    result = cleaned_result(result)
    plan, period = result.plan, result.period
    indicators = result.indicators
    midterm, weekly = kind == "midterm", kind == "weekly"
    shown = builtin_lists(kind, front.with_table) if builtin else LISTS
    trend = build_trend(result, comparison.series) if midterm else None
    return ReportContext(
        kind=kind,
        title=clean(front.title) or titles.report_title(kind, short_title(result), period.label),
        subtitle=period.label if kind == "weekly" else "",
        recipients=clean(front.recipients or ""),
        intro=S.intro(kind, plan.title, period.label, plan.start, result.as_of),
        issuer=signer(result, front),
        date=fmt.date_cn(front.date or date.today()),
        period=period.label,
        as_of=fmt.date_cn(result.as_of),
        plan_title=plan.title,
        summary=sections.summary(result, midterm),
        groups=sections.groups(indicators, midterm, _change_phrases(indicators, comparison))
        if "groups" in shown
        else [],
        attention=brief.attention_items(result) if "attention" in shown else [],
        tasks=sections.task_items(result.tasks) if "tasks" in shown else [],
        problems=sections.problems(result) if "problems" in shown else [],
        next_steps=sections.next_steps(result, midterm) if "next_steps" in shown else [],
        projections=sections.projections(result) if midterm and "projections" in shown else [],
        at_risk=sections.at_risk(result) if midterm and "at_risk" in shown else [],
        trend=trend,
        trend_note="" if trend else S.NO_TREND,
        rows=[row(i, plan.final_years.get(i.id, i.target_year), comparison) for i in indicators]
        if "rows" in shown
        else [],
        table_note=S.table_note(result.as_of),
        legend=S.legend(result.severe_gap_pp),
        attachment_title=S.ATTACHMENT_TITLE,
        chart_caption="",
        trend_caption="",
        highlights=brief.progress_items(result, comparison)
        if weekly and "highlights" in shown
        else [],
        next_week=brief.next_week_items(result) if weekly and "next_week" in shown else [],
        compared_with=brief.compared_with(comparison),
        with_table=front.with_table,
        data_problems=problem_rows(result) if "data_problems" in shown else [],
    )


def problem_rows(result: ProgressResult) -> list[ProblemRow]:
    """The annex rows: each problem with its indicator or task named ('JN03 名称')."""
    names = {i.id: i.name for i in result.indicators} | {t.id: t.title for t in result.tasks}
    return [
        ProblemRow(
            clean(p.file),
            clean(p.cell),
            S.item_label(p.item, names),
            clean(p.message + (S.NOT_USED if p.error else "")),
        )
        for p in result.data_problems
    ]


def short_title(result: ProgressResult) -> str:
    """The plan's short title, or one derived from its full title and issuer."""
    plan = result.plan
    return plan.short_title or titles.short_title(plan.title, plan.issuer)


def signer(result: ProgressResult, front: Front) -> str:
    """Who signs: the caller's choice, else the plan's drafting office, else a placeholder."""
    return clean(front.issuer or "") or result.plan.reporting_office or S.NO_REPORTING_OFFICE


def cleaned_result(result: ProgressResult) -> ProgressResult:
    """The result with every free text (titles, names, task texts) cleaned for XML."""
    plan = result.plan
    plan = replace(
        plan,
        title=clean(plan.title),
        issuer=clean(plan.issuer),
        short_title=clean(plan.short_title),
        reporting_office=clean(plan.reporting_office),
    )
    indicators = [_cleaned(i, ("name", "unit", "category")) for i in result.indicators]
    tasks = [
        replace(
            _cleaned(t, ("title", "status", "progress", "problems", "next_steps")),
            lead=[clean(d) for d in t.lead],
        )
        for t in result.tasks
    ]
    return replace(result, plan=plan, indicators=indicators, tasks=tasks)


_Text = TypeVar("_Text", IndicatorProgress, TaskProgress)


def _cleaned(obj: _Text, names: tuple[str, ...]) -> _Text:
    """``obj`` with the texts ``names`` cleaned; ``obj`` itself when they are clean already."""
    changed: dict[str, Any] = {}
    for name in names:
        text = getattr(obj, name)
        if text and (cleaned := clean(text)) != text:
            changed[name] = cleaned
    return replace(obj, **changed) if changed else obj


# ---------------------------------------------------------------- table rows and 较上期


def row(ind: IndicatorProgress, final_year: int, comparison: Comparison = NO_COMPARISON) -> Row:
    change_value, change_completion = _change_cells(comparison, ind.id)
    return Row(
        id=ind.id,
        name=ind.name,
        unit=ind.unit,
        target=S.target_cell(ind.target, ind.target_year, ind.integral),
        actual=fmt.number(ind.actual),
        completion=fmt.percent(ind.completion),
        time_progress=fmt.percent(ind.time_progress),
        status=S.status_text(ind.status),
        fill=FILLS.get(ind.status, NO_FILL),
        bold=ind.binding_alert,
        change_value=change_value,
        change_completion=change_completion,
        final_target=S.target_cell(ind.final_target, final_year, ind.integral),
        final_completion=fmt.percent(ind.final_completion),
        projected=S.projected_cell(ind),
    )


def _change_cells(comparison: Comparison, indicator_id: str) -> tuple[str, str]:
    """The 较上期 cells of value and completion ('+5', '-0.5', '0'): 无上期数据 without an
    archive, '—' without figures."""
    if comparison.changes is None:
        return S.NO_PREVIOUS, S.NO_PREVIOUS
    change = comparison.changes.get(indicator_id)
    if change is None:
        return S.change_cell(None, fmt.VALUE_PLACES), S.change_cell(None, fmt.PERCENT_PLACES)
    return (
        S.change_cell(change.value_change, fmt.VALUE_PLACES),
        S.change_cell(change.completion_change_pp, fmt.PERCENT_PLACES),
    )


def _change_phrases(indicators: list[IndicatorProgress], comparison: Comparison) -> dict[str, str]:
    """Each indicator's 较上期 phrase for its sentence ('' without one)."""
    return {i.id: _change_phrase(i, comparison.change(i.id)) for i in indicators}


def _change_phrase(ind: IndicatorProgress, change: IndicatorChange | None) -> str:
    if change is None or change.value_change is None:
        return ""
    return S.change_phrase(change.value_change, ind.unit)


# ---------------------------------------------------------------- trend (midterm)


def build_trend(result: ProgressResult, series: CompletionSeries | None) -> Trend | None:
    """Completion over the latest archived periods and the current one; None below two periods."""
    if series is None:
        return None
    series = series.last(MAX_TREND_PERIODS)
    if len(series.periods) < 2:
        return None
    values = {i.id: list(series.completion.get(i.id, ())) for i in result.indicators}
    lines = [TrendLine(i.name, [fmt.percent(v) for v in values[i.id]]) for i in result.indicators]
    labels = [clean(label) for label in series.periods]
    return Trend(S.trend_intro(len(labels)), labels, lines, values)
