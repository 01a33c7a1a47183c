"""The weekly brief (周报): at most two pages, what is new this week and what needs attention.

一、本周主要进展: indicators with new figures this week (changed since the compared period, or
all reported ones when nothing is archived) in one paragraph, then tasks with progress text,
one line each (their first sentence). 二、需关注事项: lagging indicators in one sentence,
约束性 alerts in bold, the departments that did not report in one line. 三、下周安排: the tasks'
next steps, catching up, reporting. A line budget keeps the brief within two pages; what does
not fit is named in one closing sentence. The full table is an optional attachment.
"""

from __future__ import annotations

import math
import re

from reportgen import fmt
from reportgen.compare import Comparison
from reportgen.progress import IndicatorProgress, ProgressResult, TaskProgress
from reportgen.render import sentences as S
from reportgen.render.sections import Item, lagging
from reportgen.render.textclean import clean

LINE_CHARS = 28
FIGURE_LINES = 6  # 本周主要进展: the indicators' paragraph
TASK_LINES = 10  # … and the tasks; of about 36 lines of content on two pages
NEXT_LINES = 7
NAMED = 3  # names spelled out before '等N项'
LATE_DETAILS = 3
CLAUSE_CHARS = 60
FIRST_CLAUSE = re.compile(r"^(.+?[。；;！？!?])")
NOTHING_NEW = "本周各项指标数据和重点任务均无新的进展报送。"
NOTHING_NEXT = "各牵头单位按计划推进各项工作，下周按时报送进展情况。"


def lines(text: str) -> int:
    """Lines a body paragraph takes (2-character first-line indent, 28 characters a line)."""
    return max(1, math.ceil((len(text) + 2) / LINE_CHARS))


def first_clause(text: str) -> str:
    """The first sentence of a reported text, at most CLAUSE_CHARS long, department tags as text."""
    text = S.plain_tags(" ".join(text.split()))
    match = FIRST_CLAUSE.match(text)
    clause = match.group(1)[:-1] if match else text
    if len(clause) > CLAUSE_CHARS:
        clause = clause[: CLAUSE_CHARS - 1] + "…"
    return clause + "。"


def new_figures(result: ProgressResult, comparison: Comparison) -> list[IndicatorProgress]:
    """Indicators with a figure that is new this week (all reported ones without an archive)."""
    reported = [i for i in result.indicators if i.actual is not None]
    if comparison.changes is None:
        return reported
    new = []
    for ind in reported:
        change = comparison.change(ind.id)
        if change is None or change.actual_before != ind.actual:
            new.append(ind)
    return new


def named(names: list[str], noun: str) -> str:
    """'A、B、C等12项重点任务': at most NAMED names, always the count when several."""
    if len(names) == 1:
        return names[0]
    return f"{S.joined(names[:NAMED])}等{len(names)}项{noun}"


def figures_paragraph(figures: list[IndicatorProgress], comparison: Comparison) -> str:
    """'指标方面：A…；B…。' within FIGURE_LINES lines; the rest counted at the end."""
    phrases: list[str] = []
    for n, ind in enumerate(figures):
        phrase = figure_phrase(ind, comparison)
        rest = len(figures) - n
        tail = f"；另有{rest}项指标更新了数据" if rest > 1 else ""
        if lines("指标方面：" + "；".join([*phrases, phrase]) + tail + "。") > FIGURE_LINES:
            return "指标方面：" + "；".join(phrases) + f"；另有{rest}项指标更新了数据。"
        phrases.append(phrase)
    return "指标方面：" + "；".join(phrases) + "。"


def figure_phrase(ind: IndicatorProgress, comparison: Comparison) -> str:
    """'诚信计量示范单位178家（较上期增加3家），完成率78.0%'."""
    text = f"{ind.name}{S.value_text(ind, ind.actual)}"
    change = comparison.change(ind.id)
    if change is not None and change.value_change is not None:
        text += f"（{S.change_phrase(change.value_change, ind.unit)}）"
    if ind.completion is not None:
        text += f"，完成率{fmt.percent(ind.completion)}"
    return text


def progress_items(result: ProgressResult, comparison: Comparison) -> list[Item]:
    """本周主要进展 within its line budget."""
    items: list[Item] = []
    figures = new_figures(result, comparison)
    if figures:
        items.append(Item(figures_paragraph(figures, comparison)))
    reported = [t for t in result.tasks if t.progress.strip()]
    shown, left = _within(
        [(t, f"{t.title}：{first_clause(t.progress)}") for t in reported], TASK_LINES - 2
    )
    items += [Item(f"{n}.{text}") for n, (_, text) in enumerate(shown, 1)]
    if left:
        items.append(Item(f"另有{named([t.title for t in left], '重点任务')}报送了进展。"))
    return items or [Item(NOTHING_NEW)]


def _within(
    candidates: list[tuple[TaskProgress, str]], budget: int
) -> tuple[list[tuple[TaskProgress, str]], list[TaskProgress]]:
    """The leading candidates whose texts fit ``budget`` lines, and the tasks left over."""
    shown: list[tuple[TaskProgress, str]] = []
    used = 0
    for n, (task, text) in enumerate(candidates):
        if used + lines(text) > budget:
            return shown, [t for t, _ in candidates[n:]]
        shown.append((task, text))
        used += lines(text)
    return shown, []


def attention_items(result: ProgressResult) -> list[Item]:
    """需关注事项: lagging indicators (one sentence), 约束性 alerts, silent departments."""
    items: list[Item] = []
    late = lagging(result.indicators)
    for status in dict.fromkeys(i.status for i in late):  # 严重滞后 first
        group = [i for i in late if i.status == status]
        listed = "、".join(_shortfall(i) for i in group[:LATE_DETAILS])
        more = f"等{len(group)}项" if len(group) > LATE_DETAILS else ""
        items.append(Item(f"{S.STATUS_PHRASES[status]}的指标{len(group)}项：{listed}{more}。"))
    alerts = [i.name for i in late if i.binding_alert]
    if alerts:
        items.append(
            Item(
                f"约束性指标{named(alerts, '指标')}未达序时进度，须采取有力措施确保完成。",
                bold=True,
            )
        )
    silent = silent_departments(result)
    if silent:
        items.append(Item(unreported(result, silent)))
    return items or [Item(S.NO_ATTENTION)]


def _shortfall(ind: IndicatorProgress) -> str:
    if ind.completion is None or ind.gap_pp is None:
        return ind.name
    return f"{ind.name}（完成率{fmt.percent(ind.completion)}，{S.schedule_phrase(ind)}）"


def unreported(result: ProgressResult, departments: list[str]) -> str:
    """'本周有1项指标数据、1项重点任务进展未报送（涉及市市场监管局）。' in one line."""
    figures = sum(i.actual is None for i in result.indicators)
    texts = sum(not t.progress.strip() for t in result.tasks)
    parts = [f"{figures}项指标数据"] if figures else []
    parts += [f"{texts}项重点任务进展"] if texts else []
    return f"本周有{'、'.join(parts)}未报送（涉及{S.joined(departments)}）。"


def silent_departments(result: ProgressResult) -> list[str]:
    """Leads of indicators without a figure and of tasks without progress, each once."""
    leads: list[str] = []
    for ind in result.indicators:
        if ind.actual is None:
            leads += result.plan.leads.get(ind.id, ())
    for task in result.tasks:
        if not task.progress.strip():
            leads += task.lead
    return [clean(d) for d in dict.fromkeys(leads)]


def next_week_items(result: ProgressResult) -> list[Item]:
    """下周安排: tasks' next steps (first sentence), catching up, reporting."""
    late = [i.name for i in lagging(result.indicators)]
    fixed = [Item(S.catch_up(late[:NAMED]))] if late else []
    silent = silent_departments(result)
    fixed += [Item(S.reporting(silent))] if silent else []
    budget = NEXT_LINES - sum(lines(i.text) for i in fixed)
    planned = [t for t in result.tasks if t.next_steps.strip()]
    shown, left = _within(
        [(t, f"{t.title}：{first_clause(t.next_steps)}") for t in planned], budget - 1
    )
    items = [Item(text) for _, text in shown]
    if left:
        items.append(Item(f"另有{named([t.title for t in left], '重点任务')}已安排下周工作。"))
    return items + fixed or [Item(NOTHING_NEXT)]


def compared_with(comparison: Comparison) -> str:
    """Which archived period 较上期 compares with ('' when nothing is archived)."""
    if comparison.since is None:
        return ""
    return f"“较上期”为与{comparison.since.label}归档数据相比。"


def brief_sections(
    result: ProgressResult, comparison: Comparison
) -> tuple[list[Item], list[Item], list[Item]]:
    """(本周主要进展, 需关注事项, 下周安排)."""
    return (
        progress_items(result, comparison),
        attention_items(result),
        next_week_items(result),
    )
