"""From table rows and prose quantities to draft indicators the plan model accepts.

Order of work: prose quantities with the same name and unit become one indicator (several
years); a prose target that repeats a table row is dropped (noted on the row); a number in a task
without a year is kept only where it restates a goal, and then only as the stricter figure;
finally anything the plan model would reject (a year outside the plan, a figure too large, a %
over 100) is left out with a warning. Nothing is invented: every value is a number printed in
the source.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reportgen.errors import Problem
from reportgen.extract.names import common_run, normalise_name, same_name
from reportgen.extract.prose import ProseTarget, guess_method
from reportgen.extract.tables import TableRow
from reportgen.fmt import is_percent_unit
from reportgen.plan.model import within_limit

Number = int | float
Where = Callable[[int], str]
DUPLICATE_RUN = 4  # shared characters that, with equal year and value, mark a repeated target
DUPLICATE_RUN_ANY_UNIT = 6
_TOO_LARGE = "过大（绝对值应小于一千万亿）"
_CONFIDENCE_RANK = {"low": 0, "medium": 1, "high": 2}


@dataclass
class DraftIndicator:
    """An indicator before ids are given; ``kind`` is "table" or "prose"."""

    name: str
    unit: str
    targets: dict[int, Number]
    source_ref: str
    line: int
    kind: str
    confidence: str
    wording: str
    category: str | None = None
    attribute: str = "预期性"
    baseline: tuple[int, Number] | None = None
    lead: list[str] = field(default_factory=list)
    reverse: bool = False
    notes: list[str] = field(default_factory=list)
    period_total: bool = False
    reasons: list[str] = field(default_factory=list)

    def method(self) -> tuple[str, str]:
        if self.period_total:
            return "cumulative", "表中数值在方括号内，为规划期累计数"
        return guess_method(f"{self.wording}{self.name}", self.unit, self.reverse)


def from_table(row: TableRow) -> DraftIndicator:
    return DraftIndicator(
        name=row.name,
        unit=row.unit,
        targets=dict(row.targets),
        source_ref=row.source_ref,
        line=row.line,
        kind="table",
        wording=row.name,
        category=row.category,
        attribute=row.attribute,
        baseline=row.baseline,
        lead=list(row.lead),
        notes=list(row.notes),
        period_total=row.period_total,
        confidence=row.confidence,
        reasons=list(row.reasons),
    )


def from_prose(
    targets: list[ProseTarget], where: Where
) -> tuple[list[DraftIndicator], list[Problem]]:
    """Prose targets with a year, grouped into indicators by name and unit."""
    grouped: dict[tuple[str, str], DraftIndicator] = {}
    problems: list[Problem] = []
    for target in targets:
        key = (normalise_name(target.name), target.unit)
        draft = grouped.get(key)
        if draft is None:
            draft = grouped[key] = DraftIndicator(
                name=target.name,
                unit=target.unit,
                targets={},
                source_ref=target.source_ref,
                line=target.line,
                kind="prose",
                confidence=target.confidence,
                wording=target.phrase,
                reverse=target.reverse,
                baseline=target.baseline,
            )
        year = target.year
        if year is None:
            continue
        draft.confidence = _least_sure(draft.confidence, target.confidence)
        draft.reasons += [r for r in target.reasons if r not in draft.reasons]
        if year in draft.targets and draft.targets[year] != target.value:
            kept = _stricter(draft.targets[year], target.value, draft.reverse)
            problems.append(
                Problem(
                    where(target.line),
                    f"“{draft.name}”{year}年目标有两个数字（{draft.targets[year]}、{target.value}），取较严格的 {kept}，请核对",
                )
            )
            draft.notes.append(f"原文{year}年目标另有不同数字，取较严格的 {kept}")
            draft.targets[year] = kept
        else:
            draft.targets[year] = target.value
        draft.notes.append(_wording_note(target))
    return list(grouped.values()), problems


def _least_sure(a: str, b: str) -> str:
    return min(a, b, key=_CONFIDENCE_RANK.__getitem__)


def _wording_note(target: ProseTarget) -> str:
    note = f"原文“{target.phrase}”"
    if target.qualifier in ("以上", "及以上", "多"):
        note += "，“以上”为下限"
    elif target.qualifier in ("以下", "以内"):
        note += "，为上限"
    return note


def _stricter(a: Number, b: Number, reverse: bool) -> Number:
    return min(a, b) if reverse else max(a, b)


def drop_repeats(
    tables: list[DraftIndicator], prose: list[DraftIndicator], where: Where
) -> tuple[list[DraftIndicator], list[Problem]]:
    """Prose indicators that repeat (or contradict) a table row are folded into the row."""
    kept: list[DraftIndicator] = []
    problems: list[Problem] = []
    for draft in prose:
        for year, value in list(draft.targets.items()):
            row = next((t for t in tables if _repeats(t, draft, year, value)), None)
            if row is not None:
                row.notes.append(
                    f"正文（{draft.source_ref}）另写“{draft.wording}”，与本行一致，未另设指标"
                )
                del draft.targets[year]
                continue
            rival = next(
                (t for t in tables if year in t.targets and same_name(t.name, draft.name)), None
            )
            if rival is not None:
                problems.append(
                    Problem(
                        where(draft.line),
                        f"正文“{draft.wording}”与表格中“{rival.name}”{year}年目标 {rival.targets[year]} 不一致，草稿按表格，请核对",
                    )
                )
                del draft.targets[year]
        if draft.targets:
            kept.append(draft)
    return kept, problems


def _repeats(row: DraftIndicator, draft: DraftIndicator, year: int, value: Number) -> bool:
    if row.targets.get(year) != value:
        return False
    run = common_run(row.name, draft.name)
    a, b = sorted((normalise_name(row.name), normalise_name(draft.name)), key=len)
    same_kind = is_percent_unit(row.unit) == is_percent_unit(draft.unit)
    return (same_kind and (run >= DUPLICATE_RUN or (a and a in b))) or run >= DUPLICATE_RUN_ANY_UNIT


def restated(
    yearless: list[ProseTarget], indicators: list[DraftIndicator], where: Where
) -> list[Problem]:
    """Numbers without a year: a restated goal confirms it (or, if different, the stricter wins)."""
    problems: list[Problem] = []
    for target in yearless:
        goal = (
            None
            if target.every_year
            else next(
                (i for i in indicators if i.unit == target.unit and same_name(i.name, target.name)),
                None,
            )
        )
        if goal is None:
            problems.append(
                Problem(
                    where(target.line),
                    f"“{target.phrase}”没有写目标年份，未收录为指标，如需要请手工补写",
                )
            )
            continue
        year = max(goal.targets)
        if goal.targets[year] == target.value:
            continue
        kept = _stricter(goal.targets[year], target.value, goal.reverse)
        problems.append(
            Problem(
                where(target.line),
                f"“{target.phrase}”与“{goal.name}”{year}年目标 {goal.targets[year]} 不一致，草稿取较严格的 {kept}，请核对",
            )
        )
        goal.notes.append(
            f"原文两处数字不一致：{goal.targets[year]}（{goal.source_ref}）与 {target.value}（{target.source_ref}），取较严格的 {kept}"
        )
        goal.targets[year] = kept
        if kept == target.value:
            goal.source_ref = target.source_ref
        goal.confidence = "low"
        goal.reasons.append(f"原文另一处写作 {target.value}（{target.source_ref}），两处不一致")
    return problems


def admissible(
    indicators: list[DraftIndicator], start: int, end: int, where: Where
) -> tuple[list[DraftIndicator], list[Problem]]:
    """Leave out what the plan model would reject, with a warning for each."""
    kept: list[DraftIndicator] = []
    problems: list[Problem] = []
    for draft in indicators:
        outside = sorted(y for y in draft.targets if not start <= y <= end)
        for year in outside:
            problems.append(
                Problem(
                    where(draft.line),
                    f"“{draft.name}”的 {year} 年目标不在规划期 {start}—{end} 年内，未收录",
                )
            )
            del draft.targets[year]
        problems += _too_large(draft, where)
        if is_percent_unit(draft.unit) and any(not 0 <= v <= 100 for v in draft.targets.values()):
            problems.append(
                Problem(where(draft.line), f"“{draft.name}”单位为 %，但数值超过 100，未收录")
            )
            continue
        if draft.baseline and (
            draft.baseline[0] >= min(draft.targets, default=draft.baseline[0] + 1)
        ):
            problems.append(
                Problem(
                    where(draft.line),
                    f"“{draft.name}”的基期年份 {draft.baseline[0]} 不早于目标年份，基期未收录",
                )
            )
            draft.baseline = None
        if draft.baseline and is_percent_unit(draft.unit) and not 0 <= draft.baseline[1] <= 100:
            draft.baseline = None
        if draft.targets:
            kept.append(draft)
    return kept, problems


def _too_large(draft: DraftIndicator, where: Where) -> list[Problem]:
    """Drop targets and a baseline too large for the plan model (typing slips, 400-digit runs)."""
    problems: list[Problem] = []
    for year in sorted(y for y, v in draft.targets.items() if not within_limit(v)):
        problems.append(
            Problem(
                where(draft.line), f"“{draft.name}”的 {year} 年目标{_TOO_LARGE}，未收录，请核对原文"
            )
        )
        del draft.targets[year]
    if draft.baseline and not within_limit(draft.baseline[1]):
        problems.append(
            Problem(
                where(draft.line), f"“{draft.name}”的基期值{_TOO_LARGE}，基期未收录，请核对原文"
            )
        )
        draft.baseline = None
    return problems


def plan_entry(draft: DraftIndicator, number: int) -> dict[str, Any]:
    """The interchange-format mapping of one indicator (method guessed, with a note saying so)."""
    method, reason = draft.method()
    notes = [*dict.fromkeys(draft.notes), f"计算方法 {method} 为自动推断（{reason}），请核对"]
    return {
        "id": f"I{number:02d}",
        "name": draft.name,
        "category": draft.category,
        "unit": draft.unit,
        "attribute": draft.attribute,
        "method": method,
        "baseline": {"year": draft.baseline[0], "value": draft.baseline[1]}
        if draft.baseline
        else None,
        "targets": dict(sorted(draft.targets.items())),
        "lead": draft.lead,
        "source_ref": draft.source_ref,
        "note": "；".join(notes),
    }
