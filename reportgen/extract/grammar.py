"""The value grammar of a target: a printed number with its unit, qualifier and comparison verb.

A value is ``[近|约] N [—M] [unit] [以上|以下|以内|左右|…]``; the unit is a magnitude (万, 亿 …)
followed by a measure word or a physical unit and an optional "/denominator" ("万元/人",
"微克/立方米", "项/年"), or nothing at all (an index: "指数达到86"). A number without a unit is a
value only right after a comparison verb. The verbs come in two kinds:
- comparison verbs ("达到", "控制在", "缩短至" …) link a name to the value it must reach;
- change verbs ("增长", "下降", "减少" … without 到/至) are part of the indicator itself
  ("特种设备数量年均增长8%": the indicator is the growth).
Nothing here names a subject area; the words are those of the target sentence itself.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

_MAGNITUDE = r"(?:万亿|千亿|百亿|亿|千万|百万|万|千)?"
_MEASURE = (
    r"个百分点|个工作日|个月|个|项|家|种|人次|人|部|名|批次|次|台套|台|套|件|所|座|批|类|条|篇|起|宗|例"
    r"|户|处|本|册|株|只|块|组|支|门|间|张|份|辆|艘|架|枚|棵|头|亩|公顷|岁|天|小时|分钟|分"
)
_PHYSICAL = (
    r"元|吨标准煤|吨|千克|公斤|克|平方公里|平方米|立方米|公里|千米|米|千瓦时|千瓦|瓦|度"
    r"|微克/立方米|毫克/立方米|毫克/升|标准立方米"
)
_DENOMINATOR = r"(?:/(?:年|人|户|千人|万人|百人|平方公里|立方米|吨|家|亩|床|万元))?"
UNIT = rf"(?:%|‰|{_MAGNITUDE}(?:{_PHYSICAL}|{_MEASURE}){_DENOMINATOR})"
QUALIFIER = r"(?:及以上|以上|以下|以内|之内|左右|上下|多|余)"

# A number that is not part of a code ("GB17167", "PM2.5", "5·20", "1/3", "G109"), an ordinal or
# a rank ("第3", "前10"), with an optional range, unit and qualifier.
VALUE = re.compile(
    r"(?P<approx>近|约|超)?(?<![\d.A-Za-z/·_第前后])"
    r"(?P<num>\d+(?:\.\d+)?)(?:\s*[—–\-~～至到]\s*(?P<num2>\d+(?:\.\d+)?))?\s*"
    rf"(?P<unit>{UNIT})?(?![\dA-Za-z.·/])(?P<qual>{QUALIFIER})?"
)
# What may follow a number that is a date, a duration or a document number, never a value.
_NOT_A_VALUE = re.compile(r"^(?:年|月|日|号|时(?!间)|届|周年|期|版|大|代|[A-Za-z])")

# Comparison verbs, with the adverbs that may stand between the name and the verb.
_ADVERB = r"(?:均|都|总体|全部|平均|分别|力争|争取|确保|基本|稳定|持续|进一步|累计|年均|总计)*"
COMPARISON = re.compile(
    rf"{_ADVERB}(?:达到|达|超过|突破|不少于|不低于|不超过|不高于|不大于|低于|高于|大于|少于"
    r"|保持在|保持|稳定在|维持在|控制在|提高到|提高至|提升到|提升至|增加到|增加至|增长到|增长至|增至"
    r"|扩大到|扩大至|降低到|降低至|降至|下降到|下降至|减少到|减少至|缩短到|缩短至|缩小到|缩小至"
    r"|压缩到|压缩至|压减至|压减到|为)$"
)
# Change verbs: the indicator is the change itself.
CHANGE = re.compile(
    rf"{_ADVERB}(?:增长|增加|提高|提升|下降|降低|减少|削减|压减|压缩|缩短|缩减|新增|减排|节约)$"
)
# "lower is better" wording around a value.
REVERSE = re.compile(
    r"不超过|不高于|不大于|低于|少于|控制在|降低|降至|下降|减少|压缩|压减|缩短|缩小|以下|以内|之内"
)
# Words that make a bare number ("指数86") a value without a verb.
UNITLESS_NAME = re.compile(r"(?:指数|系数|得分|分值|评分|指标值|比|率)$")


def parse_number(text: str) -> int | float:
    """A printed number ("350", "1.5"): an int unless written with a point.

    Too many digits for a float give inf (never an error); the plan's size rule leaves it out.
    """
    value = float(text)
    return int(value) if "." not in text and math.isfinite(value) else value


@dataclass(frozen=True)
class Value:
    """One value as printed: number (lower bound of a range), unit, qualifier and notes."""

    number: int | float
    unit: str
    qualifier: str
    start: int
    end: int
    text: str
    upper: int | float | None = None
    approximate: bool = False

    @property
    def is_range(self) -> bool:
        return self.upper is not None


def values(text: str) -> list[Value]:
    """Every candidate value in ``text`` (units optional; the caller decides on unitless ones)."""
    found: list[Value] = []
    for match in VALUE.finditer(text):
        rest = text[match.end("num2") if match.group("num2") else match.end("num") :]
        if not match.group("unit") and _NOT_A_VALUE.match(rest.lstrip()):
            continue
        if match.group("num2") and not match.group("unit") and "年" in rest[:1]:
            continue
        upper = parse_number(match.group("num2")) if match.group("num2") else None
        found.append(
            Value(
                number=parse_number(match.group("num")),
                unit=match.group("unit") or "",
                qualifier=match.group("qual") or "",
                start=match.start("num") - (len(match.group("approx") or "")),
                end=match.end(),
                text=match.group(0),
                upper=upper,
                approximate=bool(match.group("approx")),
            )
        )
    return found


def comparison_before(text: str) -> re.Match[str] | None:
    """The comparison verb ``text`` ends with, if any."""
    return COMPARISON.search(text.rstrip())


def change_before(text: str) -> re.Match[str] | None:
    """The change verb ``text`` ends with, if any ("增长" in "数量年均增长")."""
    return CHANGE.search(text.rstrip())
