"""The 评议方案 model: units assessed, scored items, situations and the grading rules as data.

One file per evaluation year. Everything a 办法 fixes (base score, caps, the top fraction, the
downgrade floor, who is commended or interviewed) is a value here, so another 办法 is another
file, not another program.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from reportgen.errors import PlanError, Problem
from reportgen.plan.model import Name, Number

ItemKind = Literal["base", "instant", "bonus", "deduction"]
Rounding = Literal["floor", "ceil"]
GRADE_EFFECTS = ("downgrade", "veto")
Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]+$")]
SCORE_PLACES = 2  # scores are entered to at most two decimals (0.25 分)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Category(_Model):
    """One row of the 评议内容要点: 基础工作, 即时性工作, 加分项 …, with its cap."""

    id: Id
    name: Name
    short: Name | None = None  # a table header: 基础工作
    kind: ItemKind
    cap: Number | None = None  # most points the category can add (or, for deductions, take)
    source_ref: Name
    note: str | None = None


class Item(_Model):
    """One scored item of the year's 细则, scored by one member unit (评议责任部门)."""

    id: Id
    category: Id
    name: Name
    points: Number  # full marks; for bonus/deduction items the most that can be added/taken
    scorer: Name
    criteria: str = ""
    note: str | None = None

    @field_validator("points")
    @classmethod
    def _positive(cls, value: float) -> float:
        if value <= 0:
            raise PydanticCustomError("points", "分值必须大于 0")
        return value

    @property
    def full(self) -> Decimal:
        return decimal(self.points)


class Situation(_Model):
    """A situation of the 办法 a finding can name: 降级, 否决, or one that puts a unit on a list."""

    id: Id
    effect: Id  # "downgrade", "veto" or the id of a list (commend, consider …)
    clause: Name  # 第八条第二款第（一）项
    name: Name  # a short name for drop-downs
    text: Name  # the clause's words, from the 办法


class TopRule(_Model):
    """The grade of the top of the ranking: ``grade`` for places within ``fraction`` of the units."""

    grade: Name = "A"
    fraction: str = "1/3"
    rounding: Rounding = "floor"  # floor: place ≤ n/3; ceil: place ≤ ⌈n/3⌉

    @field_validator("fraction")
    @classmethod
    def _fraction(cls, value: str) -> str:
        try:
            share = Fraction(value.strip())
        except (ValueError, ZeroDivisionError):
            raise PydanticCustomError("fraction", "必须是分数或小数，如 1/3 或 0.3") from None
        if not 0 < share <= 1:
            raise PydanticCustomError("fraction", "必须大于 0 且不超过 1")
        return value.strip()

    @property
    def share(self) -> Fraction:
        return Fraction(self.fraction)


class GradeRules(_Model):
    """第八条 as data: levels best first, the top group, downgrades and their floor, veto."""

    levels: list[Name] = Field(default=["A", "B", "C", "D"], min_length=2)
    top: TopRule = TopRule()
    rest: Name = "B"
    downgrade_floor: Name = "C"
    downgrade_stacks: bool = True  # each distinct downgrade situation lowers one level
    veto: Name = "D"


class ListRule(_Model):
    """A list the result puts units on (通报表扬, 约谈 …) and what puts them there."""

    id: Id
    name: Name
    clause: Name
    action: Name  # what happens to the units on it, as the 通报 says it
    grades: list[Name] = []
    rise: Annotated[int, Field(ge=1)] | None = None  # places gained over last year
    fall: Annotated[int, Field(ge=1)] | None = None  # places lost
    last_places: Annotated[int, Field(ge=1)] | None = None  # among the last N places
    exclude_effects: list[Id] = []  # a unit with a situation of these effects is left off


class Rectification(_Model):
    """第十条: the written 整改 report due after the 通报."""

    clause: Name = "第十条"
    within_months: Annotated[int, Field(ge=1)] = 1
    report_to: Name
    copy_to: Name | None = None


class Previous(_Model):
    """Last year's places, for a first year whose result is not in the grading archive."""

    year: int
    places: dict[Name, Annotated[int, Field(ge=1)]] = Field(min_length=1)
    source: Name


class Scheme(_Model):
    """A year's 评议方案: who is assessed, on what, by whom, and how results are graded."""

    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]+$")]
    year: Annotated[int, Field(ge=2000, le=2100)]
    title: Name
    measures: Name  # the 办法 the scheme applies
    doc_number: str | None = None
    source: Name
    subject: Name  # what is evaluated, as the 通报 title says it: 各区县食品安全工作
    authority: Name  # 济南市食品药品安全委员会: approves the result
    authority_short: Name  # 市食药安委
    organizer: Name  # its office: runs the evaluation, issues the 通报
    organizer_short: Name  # 市食药安办
    recipients: Name
    units: list[Name] = Field(min_length=2)
    base_score: Number = 100
    categories: list[Category] = Field(min_length=1)
    items: list[Item] = Field(min_length=1)
    situations: list[Situation] = []
    grading: GradeRules = GradeRules()
    lists: list[ListRule] = []
    rectification: Rectification
    previous: Previous | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _check(self) -> Scheme:
        problems = list(_problems(self))
        if problems:
            raise PlanError(problems)
        return self

    def category(self, category_id: str) -> Category:
        return next(c for c in self.categories if c.id == category_id)

    def item(self, item_id: str) -> Item:
        return next(i for i in self.items if i.id == item_id)

    def situation(self, situation_id: str) -> Situation:
        return next(s for s in self.situations if s.id == situation_id)

    def kind_of(self, item: Item) -> ItemKind:
        return self.category(item.category).kind

    def scorers(self) -> list[str]:
        """The member units that score, in order of their first item."""
        return list(dict.fromkeys(i.scorer for i in self.items))

    def items_of(self, scorer: str) -> list[Item]:
        return [i for i in self.items if i.scorer == scorer]

    @cached_property
    def content_hash(self) -> str:
        """sha256 of the canonical JSON: a template records which version it was made from."""
        text = json.dumps(self.model_dump(mode="json"), ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def decimal(value: float) -> Decimal:
    """A score as the decimal it was written as (0.1 + 0.2 must tie with 0.3)."""
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _duplicates(values: list[str]) -> set[str]:
    return {v for v, n in Counter(values).items() if n > 1}


def _problems(scheme: Scheme) -> Iterator[Problem]:
    yield from _unique(scheme)
    yield from _item_problems(scheme)
    yield from _grade_problems(scheme.grading)
    levels = scheme.grading.levels
    list_ids = {r.id for r in scheme.lists}
    for n, rule in enumerate(scheme.lists):
        for grade in rule.grades:
            if grade not in levels:
                yield Problem(f"lists[{n}].grades", f"等级“{grade}”不在 grading.levels 中")
        for effect in rule.exclude_effects:
            if effect not in GRADE_EFFECTS:
                yield Problem(f"lists[{n}].exclude_effects", "只能是 downgrade 或 veto")
    effects = {*GRADE_EFFECTS, *list_ids}
    for n, situation in enumerate(scheme.situations):
        if situation.effect not in effects:
            yield Problem(
                f"situations[{n}].effect",
                f"必须是 downgrade（降级）、veto（否决）或某个 lists 的 id（{'、'.join(sorted(list_ids))}）",
            )


def _unique(scheme: Scheme) -> Iterator[Problem]:
    groups = {
        "units": scheme.units,
        "categories": [c.id for c in scheme.categories],
        "items": [i.id for i in scheme.items],
        "situations": [s.id for s in scheme.situations],
        "lists": [r.id for r in scheme.lists],
    }
    for key, values in groups.items():
        for value in sorted(_duplicates(values)):
            yield Problem(key, f"“{value}”出现了不止一次，名称和编号必须唯一")


def _item_problems(scheme: Scheme) -> Iterator[Problem]:
    categories = {c.id: c for c in scheme.categories}
    for n, category in enumerate(scheme.categories):
        if category.kind == "base" and category.cap is not None:
            yield Problem(f"categories[{n}].cap", "基础分类别不设上限（其分值由各项分值合计）")
    for n, item in enumerate(scheme.items):
        owner = categories.get(item.category)
        if owner is None:
            yield Problem(f"items[{n}].category", f"没有 id 为“{item.category}”的类别")
        elif owner.cap is not None and item.points > owner.cap:
            yield Problem(f"items[{n}].points", f"分值 {item.points} 超过类别“{owner.name}”的上限")
    base = sum(
        (decimal(i.points) for i in scheme.items if _kind(categories, i) == "base"), Decimal(0)
    )
    if base != decimal(scheme.base_score):
        yield Problem(
            "items",
            f"基础分各项分值合计为 {base}，应等于基准分 {scheme.base_score}（base_score）",
        )


def _kind(categories: dict[str, Category], item: Item) -> ItemKind | None:
    category = categories.get(item.category)
    return category.kind if category else None


def _grade_problems(rules: GradeRules) -> Iterator[Problem]:
    levels = rules.levels
    for key, grade in (
        ("grading.top.grade", rules.top.grade),
        ("grading.rest", rules.rest),
        ("grading.downgrade_floor", rules.downgrade_floor),
        ("grading.veto", rules.veto),
    ):
        if grade not in levels:
            yield Problem(key, f"等级“{grade}”不在 grading.levels（{'、'.join(levels)}）中")
    for value in sorted(_duplicates(levels)):
        yield Problem("grading.levels", f"等级“{value}”出现了不止一次")
    if all(g in levels for g in (rules.top.grade, rules.rest, rules.downgrade_floor)):
        order = [levels.index(g) for g in (rules.top.grade, rules.rest, rules.downgrade_floor)]
        if not order[0] < order[1] <= order[2]:
            yield Problem(
                "grading",
                "等级顺序应为：前列等级（top.grade）优于其余等级（rest），"
                "其余等级不低于降级下限（downgrade_floor）",
            )
