"""Indicator names in prose: which text around a value names it, tidied, completed from context.

``names_of`` picks the name (see ``prose`` for the order of the forms); ``clean`` drops connectors,
hedges, bracketed remarks and the list before "等"; ``complete`` gives a name that cannot stand
alone ("产量", "处理率", "东部地区") the words it leans on in the text before it.
Every word list here is grammar (connectors, verbs, scope words), never a subject area.
"""

from __future__ import annotations

import re

from reportgen.extract.grammar import Value, change_before, comparison_before

_LEADING = re.compile(
    r"^(?:并且|并|且|和|及|以及|同时|其中|另外|此外|力争|争取|确保|全年|要|使|让|将|把|推动|实现|其|"
    r"全面|进一步|基本|努力|力求|预计|计划|(?:具体|主要)?(?:指标|目标)?包括)+"
)
_TRAILING = re.compile(
    r"(?:总体|均|都|各|分别|基本|全部|平均|力争|争取|稳步|持续|进一步|年均|累计|总计)+$"
)
_BRACKETS = re.compile(r"[（(][^（）()]*[）)]")
_COUNT_WORD = re.compile(r"(?:的)?(?:数量|总数|总量|数目)$")
_GENERIC = {"", "总数", "总量", "数量", "规模", "比例", "比重", "数", "处理率", "覆盖率", "普及率"}
_REGION = re.compile(r"^.{0,6}(?:地区|区域|城市|城区|农村|乡村|县|市|省|区|镇)$")
_SCOPE = re.compile(r"^(?:全国|全省|全市|全县|全区|全州|我国|我省|我市|我县|我区)")
# The subject of a clause: the text before its first predicate word.
_PREDICATE = re.compile(
    r"得到|实现|基本|全面|达到|不断|明显|显著|有效|持续|稳步|逐步|初步|更加|取得|进一步|要|已|均|都"
)
_SHARED = re.compile(r"^(?:均|都|全部)")
_LIST = re.compile(r"[、和及与]")
_EDGE = " 的。！？；，、：…"
SHORT_NAME = 4
_TOPIC = 2  # a bare name this short ("产量") shares the topic of the indicator before ("粮食")
_COUNT_NAMES = {"", "总数", "总量", "数量"}
_NEW = re.compile(r"^(?:新增|新建|新培育|新认定|新创建)")
SEPARATOR = re.compile(r"\s*[、和及与，]?\s*")
_ACTION_ONLY = 4  # a text before the value this short is a verb ("培育"), the name follows
# A verb ending the text before a value: the name is the noun after it ("培育350家示范单位").
_ACTION = re.compile(
    r"(?:培育|建设|建成|创建|打造|新建|新增|选树|完成|引进|培养|组建|认定|评选|培训|改造|实施|推广|"
    r"建立|制定|争创|扶持|支持|引导|选育|布局|设立|推进)(?:全域|全市|全省|全县|全区)?$"
)
_PUNCT = re.compile(r"[、，；。：！？（）()“”]")


def respective_names(before: str) -> list[str]:
    """["大豆种植面积", "油菜种植面积"] for "大豆、油菜种植面积分别达"; [] without 分别.
    A bare item of one or two characters takes the rest of the last name ("大豆" + "种植面积")."""
    verb = comparison_before(before)
    if not verb or "分别" not in verb.group(0):
        return []
    parts = [clean(p) for p in _LIST.split(before.rstrip()[: verb.start()])]
    if len(parts) < 2 or not all(parts):
        return []
    last = parts[-1]
    return [p + last[len(p) :] if len(p) <= 2 < len(last) else p for p in parts]


def names_of(before: str, after: str, value: Value) -> tuple[list[str], str]:
    """The name(s) of a value and how they were found (see the module docstring)."""
    head, tail = before.rstrip(), after.strip()
    if value.unit in ("%", "‰") and tail.startswith("的") and len(tail) > 3:
        return [clean(tail[1:]) + "比例"], "share"
    verb = comparison_before(head)
    if verb:
        names = clean(head[: verb.start()])
        how = "verb_weak" if verb.group(0).endswith("为") and len(verb.group(0)) == 1 else "verb"
        if _SHARED.match(verb.group(0)) and _LIST.search(names):
            parts = [clean(p) for p in _LIST.split(names)]
            if all(len(p) >= SHORT_NAME for p in parts):
                return parts, how
        return [names], how
    if change_before(head):
        return [clean(head)], "change"
    noun = _PUNCT.split(tail, maxsplit=1)[0] if tail and not _PUNCT.match(tail) else ""
    if value.unit and len(noun) >= 2 and (len(clean(head)) <= _ACTION_ONLY or _ACTION.search(head)):
        return [clean(noun)], "after"
    return [clean(head)], "before"


def clean(name: str) -> str:
    name = _BRACKETS.sub("", name.strip(_EDGE))
    if "、" in name and "等" in name:
        rest = name[name.rindex("等") + 1 :]
        name = rest if len(rest) >= SHORT_NAME else name
    name = _TRAILING.sub("", _LEADING.sub("", name.strip(_EDGE))).strip(_EDGE)
    shorter = _COUNT_WORD.sub("", name)
    return shorter if len(shorter) >= SHORT_NAME else name


def needs_context(name: str, how: str) -> bool:
    """Too short or generic to stand alone; or only a region before a verb ("东部地区达到60%")."""
    region = how.startswith("verb") and bool(_REGION.match(name))
    return name in _GENERIC or len(name) < SHORT_NAME or region


def complete(name: str, before: str, previous: str, last: tuple[str, str] | None, unit: str) -> str:
    """A name for a value whose own name cannot stand alone, from the text before it:
    - "东部地区达到60%": the region + the indicator before it (its scope word dropped);
    - "产量稳定在3万吨" after "粮食播种面积……": the topic of the indicator before + the name;
    - "处理率达到100%" after "厕所粪污得到有效处理": the subject of the clause before + the name;
    - "总数达到…", "累计达450亩": the indicator before (its total when the verb says 累计)."""
    last_name, last_unit = last or ("", "")
    if _REGION.match(name) and last_name and last_unit == unit:
        return name + _SCOPE.sub("", last_name)
    if name not in _COUNT_NAMES and len(name) <= _TOPIC and last_name:
        return _SCOPE.sub("", last_name)[:_TOPIC] + name
    subject = re.split(r"\d", _PREDICATE.split(clean(previous), maxsplit=1)[0])[0]
    if name not in _COUNT_NAMES and len(subject) >= _TOPIC:
        return subject + name
    if re.search(r"数量|总数|总量", previous):
        return clean(re.split(r"(?<=数量|总数|总量)", previous, maxsplit=1)[0])
    if last_name and last_unit == unit and name in _COUNT_NAMES:
        return _NEW.sub("", last_name) + "累计" if "累计" in before else last_name
    return name
