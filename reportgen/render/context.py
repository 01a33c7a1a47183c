"""The template context: report concepts (rows, items, groups, trend) built from a ProgressResult.

Everything the templates show is a string here, already formatted; the template only places it.
User-supplied text is cleaned of characters XML cannot carry (see ``textclean``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date
from typing import Any, Literal, Protocol

from reportgen import fmt
from reportgen.progress import IndicatorProgress, ProgressResult
from reportgen.render import sections
from reportgen.render import sentences as S
from reportgen.render.sections import Group, Item
from reportgen.render.textclean import clean

Kind = Literal["weekly", "quarterly", "midterm"]
KINDS: tuple[Kind, ...] = ("weekly", "quarterly", "midterm")
FILLS = {"严重滞后": "F4B6B6", "滞后": "FDD9A8", "已完成": "C6E6BE", "未填报": "E0E0E0"}
NO_FILL = "auto"
MAX_TREND_PERIODS = 8


class ProgressLike(Protocol):
    """What the trend needs from an archived period: its indicators' progress."""

    @property
    def indicators(self) -> Sequence[IndicatorProgress]: ...


@dataclass(frozen=True)
class Row:
    """One indicator's row in the attachment table (all cells as displayed)."""

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
class ReportContext:
    """Everything a report template may use (the names are the template's variables)."""

    kind: Kind
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


def build_context(
    result: ProgressResult,
    kind: Kind,
    front: Front,
    previous: Mapping[str, IndicatorProgress] | None = None,
    history: Sequence[tuple[str, ProgressLike]] | None = None,
) -> ReportContext:
    """The template context for one report of ``kind``."""
    result = cleaned_result(result)
    plan, period = result.plan, result.period
    indicators = result.indicators
    changes = {i.id: _change_phrase(i, previous) for i in indicators}
    final_years = {i.id: i.final_year for i in plan.indicators}
    midterm = kind == "midterm"
    trend = build_trend(result, history) if midterm else None
    return ReportContext(
        kind=kind,
        title=clean(front.title) or S.default_title(kind, plan.title, period.label),
        subtitle=period.label if kind == "weekly" else "",
        recipients=clean(front.recipients or ""),
        intro=S.intro(kind, plan.title, period.label, plan.start, result.as_of),
        issuer=clean(front.issuer) or plan.issuer,
        date=fmt.date_cn(front.date or date.today()),
        period=period.label,
        as_of=fmt.date_cn(result.as_of),
        plan_title=plan.title,
        summary=sections.summary(result, midterm),
        groups=sections.groups(indicators, midterm, changes),
        attention=sections.attention(indicators),
        tasks=sections.task_items(result.tasks),
        problems=sections.problems(result),
        next_steps=sections.next_steps(result, midterm),
        projections=sections.projections(result, final_years) if midterm else [],
        at_risk=sections.at_risk(result, final_years) if midterm else [],
        trend=trend,
        trend_note="" if trend else S.NO_TREND,
        rows=[row(i, final_years.get(i.id, i.target_year), previous) for i in indicators],
        table_note=S.table_note(result.as_of),
        legend=S.legend(plan.thresholds.severe_gap_pp),
        attachment_title=S.ATTACHMENT_TITLE,
        chart_caption="",
        trend_caption="",
    )


def cleaned_result(result: ProgressResult) -> ProgressResult:
    """The result with every free text (titles, names, task texts) cleaned for XML."""
    plan = result.plan.model_copy(
        update={"title": clean(result.plan.title), "issuer": clean(result.plan.issuer)}
    )
    indicators = [_cleaned(i, ("name", "unit", "category")) for i in result.indicators]
    tasks = [
        replace(
            _cleaned(t, ("title", "status", "progress", "problems", "next_steps")),
            lead=[clean(d) for d in t.lead],
        )
        for t in result.tasks
    ]
    return ProgressResult(plan, result.period, indicators, tasks)


def _cleaned(obj: Any, names: tuple[str, ...]) -> Any:
    """``obj`` with the texts ``names`` cleaned; ``obj`` itself when they are clean already."""
    changed = {}
    for name in names:
        text = getattr(obj, name)
        if text and (cleaned := clean(text)) != text:
            changed[name] = cleaned
    return replace(obj, **changed) if changed else obj


# ---------------------------------------------------------------- table rows and 较上期


def row(
    ind: IndicatorProgress, final_year: int, previous: Mapping[str, IndicatorProgress] | None
) -> Row:
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
        change_value=change_value_cell(ind, previous),
        change_completion=change_completion_cell(ind, previous),
        final_target=S.target_cell(ind.final_target, final_year, ind.integral),
        final_completion=fmt.percent(ind.final_completion),
        projected=S.projected_cell(ind),
    )


def _before(
    ind: IndicatorProgress, previous: Mapping[str, IndicatorProgress] | None
) -> IndicatorProgress | None:
    return previous.get(ind.id) if previous is not None else None


def change_value_cell(
    ind: IndicatorProgress, previous: Mapping[str, IndicatorProgress] | None
) -> str:
    """Reported value minus last period's ('+5', '-0.5'); 无上期数据 without an archive."""
    if previous is None:
        return S.NO_PREVIOUS
    before = _before(ind, previous)
    if before is None or before.actual is None or ind.actual is None:
        return fmt.MISSING
    return S.signed_number(ind.actual - before.actual, fmt.VALUE_PLACES)


def change_completion_cell(
    ind: IndicatorProgress, previous: Mapping[str, IndicatorProgress] | None
) -> str:
    """Completion minus last period's, in percentage points ('+12.5')."""
    if previous is None:
        return S.NO_PREVIOUS
    before = _before(ind, previous)
    if before is None or before.completion is None or ind.completion is None:
        return fmt.MISSING
    return S.signed_number((ind.completion - before.completion) * 100, fmt.PERCENT_PLACES)


def _change_phrase(ind: IndicatorProgress, previous: Mapping[str, IndicatorProgress] | None) -> str:
    before = _before(ind, previous)
    if before is None or before.actual is None or ind.actual is None:
        return ""
    return S.change_phrase(ind.actual - before.actual, ind.unit, _is_percent(ind))


def _is_percent(ind: IndicatorProgress) -> bool:
    return ind.unit.strip() in {"%", "％"}


# ---------------------------------------------------------------- trend (midterm)


def build_trend(
    result: ProgressResult, history: Sequence[tuple[str, ProgressLike]] | None
) -> Trend | None:
    """Completion per period over the archive plus the current period; None below two periods."""
    periods = [(label, {i.id: i.completion for i in p.indicators}) for label, p in history or []]
    if not any(label == result.period.key for label, _ in periods):
        periods.append((result.period.key, {i.id: i.completion for i in result.indicators}))
    periods = periods[-MAX_TREND_PERIODS:]
    if len(periods) < 2:
        return None
    series = {i.id: [values.get(i.id) for _, values in periods] for i in result.indicators}
    lines = [TrendLine(i.name, [fmt.percent(v) for v in series[i.id]]) for i in result.indicators]
    labels = [clean(label) for label, _ in periods]
    return Trend(S.trend_intro(len(periods)), labels, lines, series)
