"""From scores and findings to totals, places, grades and lists (pure functions, no I/O).

The rules, and why (docs/grading.md has the worked examples):

* Places are competition ranks: equal totals share a place and the next place is skipped
  (95, 93, 93, 90 -> 1, 2, 2, 4). Totals are decimals, so 0.1 + 0.2 ties with 0.3.
* The top group (第八条 "排名位于前1/3") is every place p with p ≤ n × 1/3 rounded as the
  scheme says (floor by default: a place inside the first third, 4 of 13 and not 5, which lies
  at 38%). A tie is judged on the shared place, so units tied across the boundary all belong
  to the group ("并列第4名" is a fourth place).
* "名列后3位" is judged the same way from the bottom: a unit is among the last N when fewer
  than N units scored strictly lower.
* Each distinct 降级 situation lowers the grade one level, never below the floor (C): the
  floor would mean nothing if one level were all a unit could lose from A or B. 否决 → D.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from reportgen.errors import GradingError, Problem
from reportgen.grading import wording as W
from reportgen.grading.model import GradeRules, ListRule, Scheme, TopRule, decimal


@dataclass(frozen=True)
class Score:
    """One unit's score on one item, with the reason for any deduction or bonus."""

    unit: str
    item_id: str
    value: Decimal
    reason: str = ""
    where: str = ""  # 'file sheet!cell', for messages


@dataclass(frozen=True)
class Finding:
    """A situation of the 办法 found for a unit (降级, 否决, 成效突出, 问题未整改 …)."""

    unit: str
    situation_id: str
    facts: str
    where: str = ""


@dataclass(frozen=True)
class PreviousPlaces:
    """Last year's places by unit, and where they come from."""

    year: int
    places: dict[str, int]
    source: str


@dataclass(frozen=True)
class Reason:
    """Why a unit is on a list: the rule (grade, rise, fall, last_places, situation) and words."""

    rule: str
    text: str


@dataclass(frozen=True)
class UnitResult:
    """One unit's result."""

    unit: str
    subtotals: dict[str, Decimal]  # category id -> points it adds (deductions negative)
    total: Decimal
    place: int
    tied: bool
    bottom_place: int  # place counted from the bottom, ties sharing it
    ranked_grade: str  # from the ranking alone
    grade: str
    findings: tuple[Finding, ...]
    previous_place: int | None
    lists: dict[str, tuple[Reason, ...]] = field(default_factory=dict)
    left_off: dict[str, tuple[Reason, ...]] = field(default_factory=dict)  # and why: excluded

    @property
    def change(self) -> int | None:
        """Places gained over last year (negative: lost); None without last year's place."""
        return None if self.previous_place is None else self.previous_place - self.place

    def with_effect(self, scheme: Scheme, effect: str) -> list[Finding]:
        return [f for f in self.findings if scheme.situation(f.situation_id).effect == effect]


@dataclass(frozen=True)
class GradingResult:
    """The year's result: units in ranking order, the size of the top group, the inputs."""

    scheme_id: str
    year: int
    units: tuple[UnitResult, ...]
    top_count: int
    previous: PreviousPlaces | None
    scores: tuple[Score, ...]

    def unit(self, name: str) -> UnitResult:
        return next(u for u in self.units if u.unit == name)

    def on_list(self, list_id: str) -> list[UnitResult]:
        return [u for u in self.units if list_id in u.lists]


# ---------------------------------------------------------------- ranking and grades


def ranks(totals: dict[str, Decimal]) -> dict[str, tuple[int, int]]:
    """Unit -> (place from the top, place from the bottom), equal totals sharing a place."""
    values = list(totals.values())
    return {
        unit: (1 + sum(v > total for v in values), 1 + sum(v < total for v in values))
        for unit, total in totals.items()
    }


def top_count(units: int, rule: TopRule) -> int:
    """The last place of the top group for ``units`` units: ⌊n × share⌋ (or ⌈…⌉)."""
    exact = units * rule.share
    return math.floor(exact) if rule.rounding == "floor" else math.ceil(exact)


def ranked_grade(place: int, units: int, rules: GradeRules) -> str:
    """The grade from the place alone: the top grade within the top group, else the rest."""
    return rules.top.grade if place <= top_count(units, rules.top) else rules.rest


def final_grade(ranked: str, downgrades: int, vetoed: bool, rules: GradeRules) -> str:
    """The grade after 否决 (the veto grade) or ``downgrades`` 降级 situations (to the floor)."""
    if vetoed:
        return rules.veto
    if not downgrades:
        return ranked
    steps = downgrades if rules.downgrade_stacks else 1
    levels = rules.levels
    start = levels.index(ranked)
    return levels[max(start, min(start + steps, levels.index(rules.downgrade_floor)))]


# ---------------------------------------------------------------- totals


def subtotals(scheme: Scheme, scores: Iterable[Score]) -> dict[str, dict[str, Decimal]]:
    """Unit -> category id -> points after the category's cap (deductions as negatives)."""
    raw: dict[str, dict[str, Decimal]] = {
        u: {c.id: Decimal(0) for c in scheme.categories} for u in scheme.units
    }
    for score in scores:
        raw[score.unit][scheme.item(score.item_id).category] += score.value
    for per_unit in raw.values():
        for category in scheme.categories:
            value = per_unit[category.id]
            if category.cap is not None:
                value = min(value, decimal(category.cap))
            per_unit[category.id] = -value if category.kind == "deduction" else value
    return raw


def check_complete(scheme: Scheme, scores: list[Score], findings: list[Finding]) -> None:
    """GradingError unless every unit has exactly one score per item and findings are known."""
    problems: list[Problem] = []
    seen: dict[tuple[str, str], Score] = {}
    items = {i.id for i in scheme.items}
    situations = {s.id for s in scheme.situations}
    for score in scores:
        key = (score.unit, score.item_id)
        if score.unit not in scheme.units or score.item_id not in items:
            problems.append(
                Problem(score.where, f"评议方案中没有“{score.unit}”或“{score.item_id}”")
            )
        elif not 0 <= score.value <= scheme.item(score.item_id).full:
            item = scheme.item(score.item_id)
            problems.append(
                Problem(
                    score.where,
                    f"{score.unit}的“{item.id} {item.name}”得分 {score.value} 超出 0—{item.points:g} 分。",
                )
            )
        elif key in seen:
            problems.append(
                Problem(
                    score.where,
                    f"{score.unit}的“{score.item_id}”已在 {seen[key].where} 评过分，"
                    "同一项只能由一个文件评分。请删除重复的文件。",
                )
            )
        else:
            seen[key] = score
    for unit in scheme.units:
        for item in scheme.items:
            if (unit, item.id) not in seen:
                problems.append(
                    Problem(
                        item.scorer,
                        f"{unit}的“{item.id} {item.name}”尚未评分（评分单位：{item.scorer}）。"
                        "请收齐该单位的评分表后再计算。",
                    )
                )
    for finding in findings:
        if finding.unit not in scheme.units or finding.situation_id not in situations:
            problems.append(
                Problem(
                    finding.where, f"评议方案中没有“{finding.unit}”或情形“{finding.situation_id}”"
                )
            )
    if problems:
        raise GradingError(problems)


# ---------------------------------------------------------------- lists


def list_reasons(rule: ListRule, scheme: Scheme, unit: UnitResult) -> tuple[Reason, ...]:
    """Every reason ``rule`` has to put ``unit`` on its list (empty: not on it)."""
    reasons: list[Reason] = []
    if unit.grade in rule.grades:
        reasons.append(Reason("grade", W.grade_reason(unit.grade)))
    before = unit.previous_place
    if rule.rise is not None and before is not None and before - unit.place >= rule.rise:
        reasons.append(Reason("rise", W.rise_reason(before, unit.place)))
    if rule.fall is not None and before is not None and unit.place - before >= rule.fall:
        reasons.append(Reason("fall", W.fall_reason(before, unit.place)))
    if rule.last_places is not None and unit.bottom_place <= rule.last_places:
        reasons.append(
            Reason("last_places", W.last_places_reason(rule.last_places, unit.place, unit.tied))
        )
    for finding in unit.with_effect(scheme, rule.id):
        situation = scheme.situation(finding.situation_id)
        reasons.append(Reason("situation", W.situation_reason(situation.name, situation.clause)))
    return tuple(reasons)


def _place_lists(scheme: Scheme, unit: UnitResult) -> UnitResult:
    lists: dict[str, tuple[Reason, ...]] = {}
    left_off: dict[str, tuple[Reason, ...]] = {}
    for rule in scheme.lists:
        reasons = list_reasons(rule, scheme, unit)
        if not reasons:
            continue
        blocking = [e for e in rule.exclude_effects if unit.with_effect(scheme, e)]
        if blocking:
            excluded = (Reason("excluded", W.excluded_reason(e)) for e in blocking)
            left_off[rule.id] = (*reasons, *excluded)
        else:
            lists[rule.id] = reasons
    return replace(unit, lists=lists, left_off=left_off)


# ---------------------------------------------------------------- the whole computation


def compute(
    scheme: Scheme,
    scores: list[Score],
    findings: list[Finding],
    previous: PreviousPlaces | None = None,
) -> GradingResult:
    """The year's result; GradingError when a score is missing, doubled or unknown."""
    check_complete(scheme, scores, findings)
    per_unit = subtotals(scheme, scores)
    totals = {u: sum(per_unit[u].values(), Decimal(0)) for u in scheme.units}
    placed = ranks(totals)
    by_unit: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        if all(f.situation_id != finding.situation_id for f in by_unit[finding.unit]):
            by_unit[finding.unit].append(finding)
    n = len(scheme.units)
    results = []
    for unit in scheme.units:
        place, bottom = placed[unit]
        found = tuple(by_unit[unit])
        effects = [scheme.situation(f.situation_id).effect for f in found]
        ranked = ranked_grade(place, n, scheme.grading)
        grade = final_grade(ranked, effects.count("downgrade"), "veto" in effects, scheme.grading)
        result = UnitResult(
            unit=unit,
            subtotals=per_unit[unit],
            total=totals[unit],
            place=place,
            tied=sum(p == place for p, _ in placed.values()) > 1,
            bottom_place=bottom,
            ranked_grade=ranked,
            grade=grade,
            findings=found,
            previous_place=previous.places.get(unit) if previous else None,
        )
        results.append(_place_lists(scheme, result))
    results.sort(key=lambda r: (r.place, scheme.units.index(r.unit)))
    return GradingResult(
        scheme_id=scheme.id,
        year=scheme.year,
        units=tuple(results),
        top_count=top_count(n, scheme.grading.top),
        previous=previous,
        scores=tuple(scores),
    )
