"""The prose sections of a report: 总体情况, indicator sentences by category, 需关注事项, tasks,
存在的问题, 下一步工作安排 and the midterm projections, as lists of ``Item`` paragraphs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from reportgen.progress import LAGGING, IndicatorProgress, ProgressResult, TaskProgress
from reportgen.render import sentences as S
from reportgen.render.textclean import clean

SEVERITY = {"严重滞后": 0, "滞后": 1}


@dataclass(slots=True)
class Item:
    """A paragraph in a list section, with an optional '1.…' heading line before it.

    Not frozen: one is made per indicator sentence (see ``context.Row``).
    """

    text: str
    heading: str = ""
    bold: bool = False


@dataclass(frozen=True)
class Group:
    """Indicator sentences of one category (heading empty when the plan has no categories)."""

    heading: str
    items: list[Item]


def summary(result: ProgressResult, midterm: bool) -> str:
    counts = result.summary
    text = S.as_of_phrase(result.as_of) + S.book_title(result.plan.title) + "确定的"
    text += S.indicator_summary(counts["total"], counts, counts["binding_alerts"])
    text += S.task_summary(result.tasks)
    if midterm:
        plan = result.plan
        share = elapsed_share(plan.start, plan.end, result.as_of)
        text = S.elapsed_sentence(plan.start, plan.end, share) + text
        risk = [i.at_risk for i in result.indicators]
        paces = [S.on_pace(i) for i in result.indicators]
        text += S.pace_summary(paces.count(True), paces.count(False))
        reasons = unknown_reasons(result.indicators)
        text += S.projection_summary(risk.count(False), risk.count(True), reasons)
    return text


def elapsed_share(start: date, end: date, as_of: date) -> float:
    """Share of the plan period elapsed at ``as_of`` (clamped to 0..1)."""
    total = (end - start).days + 1
    done = (as_of - start).days + 1
    return min(max(done / total, 0.0), 1.0)


def groups(
    indicators: Sequence[IndicatorProgress], midterm: bool, changes: Mapping[str, str]
) -> list[Group]:
    """Indicator sentences grouped by category in plan order."""
    by_category: dict[str | None, list[Item]] = {}
    for ind in indicators:
        item = Item(S.indicator_sentence(ind, changes[ind.id]), bold=ind.binding_alert)
        by_category.setdefault(ind.category, []).append(item)
    if list(by_category) == [None]:
        return [Group("", by_category[None])]
    heading = S.item_heading if midterm else S.sub_heading
    return [
        Group(heading(n, category or "其他指标"), items)
        for n, (category, items) in enumerate(by_category.items(), 1)
    ]


def lagging(indicators: Sequence[IndicatorProgress]) -> list[IndicatorProgress]:
    """滞后 and 严重滞后 indicators, the most severe first, 约束性 first within a status."""
    found = [i for i in indicators if i.status in LAGGING]
    return sorted(found, key=lambda i: (SEVERITY[i.status], not i.binding_alert))


def missing_items(indicators: Sequence[IndicatorProgress]) -> list[Item]:
    """One sentence per reason an indicator has no value (not reported, left out for errors)."""
    by_reason: dict[str, list[str]] = {}
    for ind in indicators:
        if ind.status == "未填报":
            by_reason.setdefault(ind.projection_reason or "no_data", []).append(ind.name)
    return [Item(S.missing_values(names, reason)) for reason, names in by_reason.items()]


def task_items(tasks: Sequence[TaskProgress]) -> list[Item]:
    """One paragraph per reported task ('1.标题。市X局牵头，…'); silent tasks in one sentence."""
    reported = [t for t in tasks if t.progress.strip()]
    items = [Item(S.task_text(t), S.task_heading(n, t.title)) for n, t in enumerate(reported, 1)]
    silent = [t for t in tasks if not t.progress.strip()]
    if silent:
        leads = list(dict.fromkeys(d for t in silent for d in t.lead))
        items.append(Item(S.silent_tasks([t.title for t in silent], leads)))
    return items or [Item(S.NO_TASKS)]


def _numbered(sections: list[tuple[str, list[Item]]]) -> list[Item]:
    """Flatten (heading, items) sections; the first item of each carries '1.heading'."""
    out: list[Item] = []
    for n, (heading, items) in enumerate((s for s in sections if s[1]), 1):
        first, *rest = items
        out.append(Item(first.text, S.item_heading(n, heading), first.bold))
        out.extend(rest)
    return out


def problems(result: ProgressResult) -> list[Item]:
    """存在的问题: lagging indicators (约束性 in bold), missing data, reported task problems."""
    indicators = result.indicators
    shortfalls = [Item(S.shortfall_sentence(i), bold=i.binding_alert) for i in lagging(indicators)]
    silent = [t.title for t in result.tasks if not t.progress.strip()]
    reporting = missing_items(indicators)
    reporting += [Item(S.missing_tasks(silent))] if silent else []
    issues = [Item(S.task_issue(t.title, t.problems)) for t in result.tasks if t.problems.strip()]
    items = _numbered(
        [
            (S.LAGGING_HEADING, shortfalls),
            (S.MISSING_HEADING, reporting),
            (S.TASK_PROBLEMS_HEADING, issues),
        ]
    )
    return items or [Item(S.NO_PROBLEMS)]


def next_steps(result: ProgressResult, midterm: bool) -> list[Item]:
    """下一步工作安排: catch up on lagging indicators, task plans, reporting, (midterm) risks."""
    indicators = result.indicators
    late = [i.name for i in lagging(indicators)]
    catch_up = [Item(S.catch_up(late))] if late else []
    plans = [
        Item(S.task_issue(t.title, t.next_steps)) for t in result.tasks if t.next_steps.strip()
    ]
    silent = _silent_departments(result)
    reporting = [Item(S.reporting(silent))] if silent is not None else []
    risky = [i.name for i in indicators if i.at_risk] if midterm else []
    sections = [
        (S.CATCH_UP_HEADING, catch_up),
        (S.AT_RISK_HEADING, [Item(S.at_risk_step(risky))] if risky else []),
        (S.TASK_PLANS_HEADING, plans),
        (S.REPORTING_HEADING, reporting),
    ]
    return _numbered(sections) or [Item(S.NO_NEXT_STEPS)]


def _silent_departments(result: ProgressResult) -> list[str] | None:
    """Leads of unreported indicators and tasks; None when everything was reported."""
    leads: list[str] = []
    unreported = [i.id for i in result.indicators if i.status == "未填报"]
    for ident in unreported:
        leads += result.plan.leads.get(ident, ())
    silent_tasks = [t for t in result.tasks if not t.progress.strip()]
    for task in silent_tasks:
        leads += task.lead
    if not unreported and not silent_tasks:
        return None
    return [clean(d) for d in dict.fromkeys(leads)]


def projections(result: ProgressResult) -> list[Item]:
    final_years = result.plan.final_years
    return [
        Item(S.projection_sentence(i, final_years[i.id]), bold=bool(i.at_risk and _binding(i)))
        for i in result.indicators
    ]


def at_risk(result: ProgressResult) -> list[Item]:
    final_years = result.plan.final_years
    risky = [i for i in result.indicators if i.at_risk]
    items = [Item(S.at_risk_sentence(i, final_years[i.id]), bold=_binding(i)) for i in risky]
    if not items:
        items = [Item(S.NO_RISK)]
    reasons = unknown_reasons(result.indicators)
    return items + ([Item(S.unknown_risk(reasons))] if reasons else [])


def unknown_reasons(indicators: Sequence[IndicatorProgress]) -> dict[str, int]:
    """Indicators without a projection, counted by reason code (first seen first)."""
    reasons: dict[str, int] = {}
    for ind in indicators:
        if ind.at_risk is None:
            code = ind.projection_reason or "no_data"
            reasons[code] = reasons.get(code, 0) + 1
    return reasons


def _binding(ind: IndicatorProgress) -> bool:
    return ind.attribute == "约束性"
