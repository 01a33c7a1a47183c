"""The plan model: indicators with targets and tasks with departments, validated."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from functools import cache
from typing import Annotated, Any, Generic, Literal, Self, TypeVar, overload

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    StrictInt,
    StringConstraints,
    model_validator,
)
from pydantic_core import PydanticCustomError, SchemaSerializer, core_schema

from reportgen import fmt
from reportgen.errors import PlanError, Problem
from reportgen.limits import MAX_ABS_VALUE, MIN_ABS_VALUE
from reportgen.plan.units import (
    coordinating_department,
    expand_units,
    is_placeholder,
    reporting_units,
)

Method = Literal["cumulative", "level", "annual", "reverse"]
Attribute = Literal["预期性", "约束性"]
PLAN_ID_PATTERN = r"^[a-z0-9-]+$"  # a plan id: lowercase letters, digits and -


def within_limit(value: int | float) -> bool:
    """The size rule for any figure of a plan: finite and below MAX_ABS_VALUE in absolute value.

    Compares exactly for ints of any size; NaN and infinity fail the comparison.
    """
    return abs(value) < MAX_ABS_VALUE


def _number(value: object) -> int | float:
    """Accept a finite int or float as written; reject text, booleans, NaN and huge values."""
    if (type(value) is int or type(value) is float) and (  # the usual case, in one test
        MIN_ABS_VALUE <= abs(value) < MAX_ABS_VALUE or value == 0  # NaN fails both
    ):
        return value
    return _odd_number(value)


def _odd_number(value: object) -> int | float:
    """``_number`` for the rest: subclasses of int and float, and every value it refuses."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("number", "必须是数字（不要带单位或引号）")
    if isinstance(value, float) and not math.isfinite(value):
        raise PydanticCustomError("number", "必须是数字（不要带单位或引号）")
    if not within_limit(value):
        raise PydanticCustomError(
            "number", "数值过大（绝对值应小于一千万亿），请检查是否多写了位数"
        )
    if value and abs(value) < MIN_ABS_VALUE:
        raise PydanticCustomError("number", "数值过小（非零时绝对值应不小于 0.000000001），请检查")
    return value


class _NumberSchema:
    """``Number``'s schema: checked by ``_number``, written out by pydantic-core as it is
    (PlainValidator would wrap each figure's serialization in a Python call)."""

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: object, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        number = core_schema.union_schema([core_schema.int_schema(), core_schema.float_schema()])
        return core_schema.no_info_plain_validator_function(
            _number,
            json_schema_input_schema=number,
            serialization=core_schema.simple_ser_schema("any"),
        )


Number = Annotated[int | float, _NumberSchema]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
# Units that count things: values are whole numbers (the part before "/": 项/年 counts 项)
COUNT_UNITS = frozenset(
    [
        "项",
        "个",
        "家",
        "人",
        "件",
        "台",
        "次",
        "所",
        "座",
        "户",
        "名",
        "批",
        "部",
        "种",
        "套",
        "支",
        "位",
        "辆",
        "处",
        "条",
        "本",
        "篇",
        "场",
        "届",
        "起",
        "人次",
        "家次",
        "项次",
        "台套",
    ]
)


T = TypeVar("T")


class once(Generic[T]):
    """``functools.cached_property`` without its lock: Python 3.11 takes a lock on every first
    read, and a 10 000-indicator plan has 50 000 first reads. The value goes into the instance
    ``__dict__``, where later reads find it without calling this descriptor."""

    def __init__(self, func: Callable[[Any], T]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> Self: ...

    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...

    def __get__(self, instance: object | None, owner: type | None = None) -> T | Self:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.func(instance)
        return value


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, ignored_types=(once,))


class Baseline(_Model):
    """The value before the plan starts (基期值), at 12-31 of ``year``."""

    year: StrictInt
    value: Number


class Thresholds(_Model):
    """Status thresholds; ``severe_gap_pp`` splits 滞后 from 严重滞后."""

    severe_gap_pp: Number = 20


class Indicator(_Model):
    """A quantitative target of the plan."""

    id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]+$")]
    name: Name
    category: str | None = None
    unit: str = ""
    attribute: Attribute = "预期性"
    method: Method
    baseline: Baseline | None = None
    targets: dict[int, Number] = Field(min_length=1)
    lead: list[Name] = Field(default_factory=list)
    cooperating: list[Name] = Field(default_factory=list)
    departments_ref: str | None = None  # where the source names lead/cooperating (see Plan.note)
    weekly: bool = False  # also collected in weekly rounds (周报指标)
    source_ref: Name
    note: str | None = None
    # whole numbers only; None: inferred from the unit (left out of the data when unset, so
    # adding the field changed no existing plan's content hash)
    integral: bool | None = Field(default=None, exclude_if=lambda v: v is None)

    @once
    def is_integral(self) -> bool:
        """True when values are whole counts: ``integral`` if given, else a counting unit."""
        if self.integral is not None:
            return self.integral
        return self.unit.split("/")[0].strip() in COUNT_UNITS

    @property
    def departments(self) -> list[str]:
        """Responsible departments as the plan names them, lead first."""
        return list(dict.fromkeys([*self.lead, *self.cooperating]))

    @once
    def is_percent(self) -> bool:
        """True for a plain ``%`` unit, where values above 100 are impossible."""
        return fmt.is_percent_unit(self.unit)

    @once
    def first_target_year(self) -> int:
        return min(self.targets)

    @once
    def final_year(self) -> int:
        return max(self.targets)

    @once
    def final_target(self) -> float:
        return self.targets[self.final_year]


class Task(_Model):
    """A key task (重点任务) with its lead and cooperating departments."""

    id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]+$")]
    title: Name
    text: str = ""
    lead: list[Name] = Field(default_factory=list)
    cooperating: list[Name] = Field(default_factory=list)
    source_ref: Name
    note: str | None = None


class MemberGroup(_Model):
    """A group name used as a department ("各区县政府") and the units it stands for."""

    name: Name
    members: list[Name] = Field(min_length=1)
    source_ref: Name


class Plan(_Model):
    """An implementation plan (实施方案) transcribed from its source document."""

    id: Annotated[str, StringConstraints(pattern=PLAN_ID_PATTERN)]
    title: Name
    issuer: Name
    short_title: Name | None = (
        None  # for report titles and file names ("济南市计量发展规划实施方案")
    )
    reporting_office: Name | None = None  # drafts the progress reports and signs them
    doc_number: str | None = None
    source: Name
    start: date
    end: date
    indicators: list[Indicator] = Field(default_factory=list)
    tasks: list[Task] = Field(default_factory=list)
    thresholds: Thresholds = Thresholds()
    members: list[MemberGroup] = Field(default_factory=list)
    note: str | None = None

    @model_validator(mode="after")
    def _check_semantics(self) -> Plan:
        problems = semantic_problems(self)
        if problems:
            raise PlanError(problems)
        return self

    def indicator(self, indicator_id: str) -> Indicator:
        """The indicator ``indicator_id`` (KeyError when the plan has none)."""
        return self.indicators_by_id[indicator_id]

    @once
    def indicators_by_id(self) -> Mapping[str, Indicator]:
        """Indicator id -> indicator, made once (looking each one up in the list is quadratic)."""
        return {i.id: i for i in self.indicators}

    def departments(self) -> list[str]:
        """Every reporting department leading a task or indicator, in order of first mention.

        Groups are expanded to their members; placeholders ("市政府有关部门") are left out.
        """
        return list(self.lead_units)

    @once
    def lead_units(self) -> tuple[str, ...]:
        """``departments()``, worked out once (the plan is frozen)."""
        names = [d for t in self.tasks for d in t.lead] + [
            d for i in self.indicators for d in i.lead
        ]
        return tuple(expand_units(self, names))

    @once
    def groups(self) -> Mapping[str, tuple[str, ...]]:
        """Group name ("各区县政府") -> the units ``members`` lists for it."""
        return {g.name: tuple(g.members) for g in self.members}

    def to_data(self) -> dict[str, Any]:
        """The interchange structure (the same keys as the YAML files), JSON-safe."""
        return self.model_dump(mode="json", exclude_defaults=False)

    @once
    def canonical_json(self) -> str:
        """The interchange structure as JSON with sorted keys (the copy the archive stores)."""
        return "".join(self._canonical_parts())

    def _canonical_parts(self) -> Iterator[str]:
        """``canonical_json`` in pieces, the indicators a few hundred at a time: the whole
        structure of a large plan (20 MB for 10 000 indicators) never exists at once."""
        rest = self.model_dump(mode="json", exclude={"indicators"})
        rest["indicators"] = []  # where they go in key order; a string value cannot hold this:
        before, after = _dumps(rest).split('"indicators": []', 1)  # its quotes are escaped
        yield before + '"indicators": ['
        serializer = _indicators_serializer()
        for start in range(0, len(self.indicators), _INDICATORS_PER_PART):
            part = self.indicators[start : start + _INDICATORS_PER_PART]
            text = _dumps(serializer.to_python(part, mode="json"))[1:-1]
            yield f", {text}" if start else text
        yield "]" + after

    @once
    def coordinator(self) -> str | None:
        """``plan.units.coordinating_department``, worked out once per plan (it scans them all)."""
        return coordinating_department(self)

    @once
    def reporters(self) -> tuple[str, ...]:
        """``plan.units.reporting_units``, worked out once per plan (it scans every item)."""
        return tuple(reporting_units(self))

    @once
    def content_hash(self) -> str:
        """sha256 of ``canonical_json``: changes whenever any field changes."""
        if "canonical_json" in self.__dict__:
            return hashlib.sha256(self.canonical_json.encode("utf-8")).hexdigest()
        digest = hashlib.sha256()
        for part in self._canonical_parts():
            digest.update(part.encode("utf-8"))
        return digest.hexdigest()


_INDICATORS_PER_PART = 500


def _dumps(data: object) -> str:
    """The canonical JSON text of ``data``: sorted keys, non-ASCII as is (a fresh tree: no
    cycles to look for)."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, check_circular=False)


@cache
def _indicators_serializer() -> SchemaSerializer:
    """Writes a list of indicators as ``Plan.model_dump`` writes ``indicators``."""
    return SchemaSerializer(core_schema.list_schema(Indicator.__pydantic_core_schema__))


def semantic_problems(plan: Plan) -> list[Problem]:
    """Every cross-field problem of a well-typed plan, each with its key path."""
    problems: list[Problem] = []
    if plan.start > plan.end:
        problems.append(Problem("end", f"规划结束日期 {plan.end} 早于起始日期 {plan.start}"))
    groups: tuple[tuple[str, Sequence[Indicator | Task]], ...] = (
        ("indicators", plan.indicators),
        ("tasks", plan.tasks),
    )
    for key, items in groups:
        seen: set[str] = set()
        for n, item in enumerate(items):
            if item.id in seen:
                problems.append(
                    Problem(f"{key}[{n}].id", f"编号 {item.id} 重复，每个编号只能出现一次")
                )
            seen.add(item.id)
    problems += [
        problem
        for n in _suspect_indicators(plan)
        for problem in _indicator_problems(plan, plan.indicators[n], f"indicators[{n}]")
    ]
    problems += _member_problems(plan)
    return problems


def _suspect_indicators(plan: Plan) -> list[int]:
    """Positions of the indicators ``_indicator_problems`` could object to, in one cheap pass."""
    first, last = plan.start.year, plan.end.year
    percent: dict[str, bool] = {}  # unit -> is a percent unit (plans use a few units)
    suspects = []
    for n, ind in enumerate(plan.indicators):
        targets, baseline, unit = ind.targets, ind.baseline, ind.unit
        low = min(targets)
        if unit not in percent:
            percent[unit] = fmt.is_percent_unit(unit)
        if (
            low < first
            or max(targets) > last
            or (baseline is not None and baseline.year >= low)
            or (percent[unit] and not _within_percent(ind))
        ):
            suspects.append(n)
    return suspects


def _within_percent(ind: Indicator) -> bool:
    """Every target (and the baseline) of a % indicator between 0 and 100."""
    values = [*ind.targets.values(), *([ind.baseline.value] if ind.baseline else [])]
    return all(0 <= v <= 100 for v in values)


def _member_problems(plan: Plan) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    for n, group in enumerate(plan.members):
        if group.name in seen:
            problems.append(
                Problem(f"members[{n}].name", f"单位组“{group.name}”重复，每组只能列一次")
            )
        seen.add(group.name)
        for m, member in enumerate(group.members):
            if is_placeholder(member) or member == group.name:
                problems.append(
                    Problem(
                        f"members[{n}].members[{m}]",
                        f"“{member}”不是具体单位，单位组的成员须写具体单位名称",
                    )
                )
    return problems


def _indicator_problems(plan: Plan, ind: Indicator, path: str) -> list[Problem]:
    problems: list[Problem] = []
    years = plan.start.year, plan.end.year
    outside = [y for y in ind.targets if not years[0] <= y <= years[1]]
    if outside:
        problems.append(
            Problem(
                f"{path}.targets",
                f"目标年份 {outside[0]} 不在规划期 {years[0]}—{years[1]} 年内",
            )
        )
    if ind.baseline and ind.baseline.year >= ind.first_target_year:
        problems.append(
            Problem(
                f"{path}.baseline.year",
                f"基期年份 {ind.baseline.year} 必须早于第一个目标年份 {ind.first_target_year}",
            )
        )
    if ind.is_percent:
        values = {f"{path}.targets": list(ind.targets.values())}
        if ind.baseline:
            values[f"{path}.baseline.value"] = [ind.baseline.value]
        for where, vals in values.items():
            if any(not 0 <= v <= 100 for v in vals):
                problems.append(Problem(where, "单位为 % 的指标，数值必须在 0 到 100 之间"))
    return problems
