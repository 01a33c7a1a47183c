"""Prose targets: "到2025年，……达到350项以上" → (name, year, value, unit), each with a confidence.

A paragraph is read sentence by sentence and clause by clause (split at ，；：, and at 、 when every
piece holds a value). The year in force comes from the caller (``flow`` carries it along the
document structure) and is replaced by a year the clause sets (see ``years``). The value grammar is
in ``grammar``, the naming rules in ``naming``. Each value's name is, in order:
- share before its noun: "70%以上的地级及以上城市全面消除…" → "地级及以上城市全面消除…比例";
- the text before a comparison verb: "覆盖率达到90%" (several names before "均达到" share it);
- the text before a change verb, verb included: "数量年均增长8%";
- the text after the value when the text before is only a verb: "培育30家智能建造骨干企业";
- the text before the value: "研制标准物质10项", "问题厕所整改率100%".
A name too short to stand alone is completed from the text before it ("处理率" after "厕所粪污
得到有效处理"; "东部地区" after "全国农村生活污水处理率达到50%"). A value that is not a target is
returned as a ``Rejected`` with the reason, for the review table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from reportgen.extract.grammar import (
    REVERSE,
    UNITLESS_NAME,
    Value,
    comparison_before,
    values,
)
from reportgen.extract.names import same_name
from reportgen.extract.naming import (
    SEPARATOR,
    SHORT_NAME,
    clean,
    complete,
    names_of,
    needs_context,
    respective_names,
)
from reportgen.extract.text import Para
from reportgen.extract.years import achieved, clause_years

HIGH, MEDIUM, LOW = "high", "medium", "low"
_CLAUSE_SPLIT = re.compile(r"[，；：！？]")
_SENTENCE_END = re.compile(r"(?<=[。！？])")
# "由78项提高到80项": the first value is where it starts from.
_FROM = re.compile(r"(?:由|从)\s*(?:(?P<year>\d{4})年(?:底|末)?的?)?$")
# A value counting the measures of the plan itself ("4项任务", "26条具体措施", "9个方面").
_MEASURES = re.compile(
    r"^[\u4e00-\u9fff]{0,4}?(?:任务|措施|举措|行动|工程|方面|领域|指标|环节|政策|条款|板块|类别|大类)"
    r"(?![\u4e00-\u9fff])|^[\u4e00-\u9fff]{0,4}?(?:任务|措施|举措)(?=推进|落实|实施|开展|部署)"
)
_COUNT_UNITS = {"项", "个", "条", "类", "大", "方面"}
_DURATIONS = {"个工作日", "个月", "天", "小时", "分钟", "岁"}
_EVERY_YEAR = re.compile(r"每年|逐年|年均(?:新增|增加|培育|建设|建成|完成|引进|培训|开展)")
_METHOD_RULES = (
    ("annual", re.compile(r"/年|每年|年均|当年|年度"), "单位或原文为每年的数"),
    ("level", re.compile(r"率|比例|比重|占比|覆盖|水平|指数|%|‰|百分点"), "比率或水平类指标"),
    (
        "cumulative",
        re.compile(
            r"新建|新增|培育|累计|创建|建成|建设|研制|完成|制修订|制定|修订|编制|引进|培养|打造|认定|服务|组建|选树|评选|取得|引导发展"
        ),
        "原文为新建、培育等逐年累加的数",
    ),
)


@dataclass(frozen=True)
class ProseTarget:
    """One value found in prose, with the year it is set for (None when no year is given)."""

    name: str
    unit: str
    value: int | float
    year: int | None
    qualifier: str
    phrase: str
    line: int
    source_ref: str
    reverse: bool
    baseline: tuple[int, int | float] | None = None
    every_year: bool = False
    confidence: str = HIGH
    reasons: tuple[str, ...] = ()
    dateable: bool = False  # no year given, but a comparison verb and no "今年"/past context


@dataclass(frozen=True)
class Rejected:
    """A value that looks like a target but is not one, and why."""

    phrase: str
    value: str
    reason: str
    line: int


@dataclass(frozen=True)
class YearInForce:
    """The target year the text before a paragraph has set, and how far back it was set."""

    year: int | None = None
    carried: bool = False  # set in an earlier paragraph (a lead sentence or the section heading)
    bare: bool = False
    unknown: bool = False  # "今年" or a report of the past: the year cannot be known
    from_title: bool = False  # the year of a yearly plan, from its title


@dataclass(frozen=True)
class _Clause:
    """One clause being read: its text, the text without its year phrase, the year in force and
    why, the clause before it, and what the sentence around it says about the past."""

    text: str
    body: str
    year: int | None
    year_reason: str | None
    previous: str
    sentence_achieved: str | None
    own_year: bool
    year_unknown: bool
    line: int
    ref: str


def guess_method(text: str, unit: str, reverse: bool) -> tuple[str, str]:
    """(method, reason) guessed from the wording: 新建/培育 → cumulative, 率/% → level, /年 → annual."""
    if reverse:
        return "reverse", "原文为不超过、控制在等上限"
    for method, pattern, reason in _METHOD_RULES:
        if pattern.search(f"{text}{unit}"):
            return method, reason
    return "level", "未见累计或年度字样，按存量"


def stated_years(paras: Iterable[Para]) -> list[int]:
    """The target years the text states ("到2025年"), in order of appearance."""
    years: list[int] = []
    for para in paras:
        for clause in _CLAUSE_SPLIT.split(para.text):
            marks = clause_years(clause)
            if marks.year and not marks.bare:
                years.append(marks.year)
    return years


def sentences(paragraph: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(paragraph) if s.strip()]


def clauses(sentence: str) -> Iterator[str]:
    """Clauses of a sentence; a clause listing several values with 、 is split further."""
    for clause in _CLAUSE_SPLIT.split(sentence):
        pieces = clause.split("、")
        if len(pieces) > 1 and all(_has_value(p) for p in pieces):
            yield from pieces
        elif clause.strip():
            yield clause


def _has_value(text: str) -> bool:
    return any(v.unit for v in values(text))


def read_paragraph(
    text: str, line: int, ref: str, start: YearInForce
) -> tuple[list[ProseTarget], list[Rejected], YearInForce]:
    """Targets and rejected values of one paragraph, and the year in force after it."""
    found: list[ProseTarget] = []
    rejected: list[Rejected] = []
    state = start
    for sentence in sentences(text):
        past = achieved(sentence)
        previous = ""
        set_here = False
        for clause_text in clauses(sentence):
            marks = clause_years(clause_text)
            if marks.year:
                state, set_here = YearInForce(marks.year, False, marks.bare), True
            elif marks.relative:
                state = YearInForce(None, unknown=True)
            clause = _Clause(
                clause_text,
                marks.body if marks.year else clause_text,
                state.year,
                _year_reason(state, set_here),
                previous,
                past.word
                if past and (past.strong or state.bare or not state.year or not set_here)
                else None,
                marks.year is not None,
                state.unknown,
                line,
                ref,
            )
            targets, skipped = _read_clause(clause, found)
            found += targets
            rejected += skipped
            previous = clause.body
        if past and (past.strong or state.bare or state.carried or not state.year):
            state = YearInForce(None, unknown=True)
    return found, rejected, state


def _year_reason(state: YearInForce, here: bool) -> str | None:
    if state.year is None:
        return None
    if state.from_title:
        return f"年份取自标题的“{state.year}年”"
    if state.carried:
        return f"年份取自上文的“{state.year}年”"
    if state.bare:
        return f"“{state.year}年”前没有“到”，按目标年份处理"
    return None if here else f"年份取自同段的“{state.year}年”"


def _read_clause(
    clause: _Clause, earlier: list[ProseTarget]
) -> tuple[list[ProseTarget], list[Rejected]]:
    found: list[ProseTarget] = []
    rejected: list[Rejected] = []
    candidates = values(clause.body)
    respective: list[str] = []  # names still to pair with values: "A、B分别达到X、Y"
    for n, value in enumerate(candidates):
        start = candidates[n - 1].end if n else 0
        end = candidates[n + 1].start if n + 1 < len(candidates) else len(clause.body)
        before, after = clause.body[start : value.start], clause.body[value.end : end]
        if not _is_value(value, before):
            continue
        if _FROM.search(before) and n + 1 < len(candidates) and comparison_before(after):
            continue  # the starting value of "由…提高到…"
        reason = _not_a_target(clause, value, after)
        if reason:
            rejected.append(Rejected(clause.text.strip(" 。！？"), value.text, reason, clause.line))
            continue
        if not (respective and SEPARATOR.fullmatch(before)):
            respective = respective_names(before)
        given = respective.pop(0) if respective else None
        for target in _targets(clause, value, before, after, [*earlier, *found], given):
            if clause.year is None and not target.name:
                continue
            found.append(target)
    return found, rejected


def _is_value(value: Value, before: str) -> bool:
    """A unitless number or a duration is a value only after a comparison verb (or "指数86")."""
    if value.unit and value.unit not in _DURATIONS:
        return True
    if comparison_before(before):
        return True
    return not value.unit and bool(UNITLESS_NAME.search(before.rstrip()))


def _not_a_target(clause: _Clause, value: Value, after: str) -> str | None:
    if clause.sentence_achieved:
        return f"句中有“{clause.sentence_achieved}”，是已完成的数，不是目标"
    if value.unit in _COUNT_UNITS and _MEASURES.match(after.strip()):
        return "是方案自身措施、任务的数量，不是目标"
    return None


def _targets(
    clause: _Clause,
    value: Value,
    before: str,
    after: str,
    earlier: list[ProseTarget],
    given: str | None = None,
) -> Iterator[ProseTarget]:
    reasons: list[str] = []
    if clause.year_reason:
        reasons.append(clause.year_reason)
    names, how = ([given], "verb") if given else names_of(before, after, value)
    start_from = _start_from(clause.body, value)
    if names == [""] and start_from:
        names = [clean(clause.body[: start_from.start()])]
    borrowed = False
    last = (earlier[-1].name, earlier[-1].unit) if earlier else None
    if len(names) == 1 and needs_context(names[0], how):
        completed = complete(names[0], before, clause.previous, last, value.unit)
        if completed != names[0]:
            names, borrowed = [completed], True
            reasons.append(f"名称“{completed}”由上文补全")
    if how == "share":
        reasons.append("比例写在名词前，名称为改写")
    if len(names) > 1:
        reasons.append("多个指标共用一个数值")
    if value.is_range:
        reasons.append(f"原文为区间“{value.text}”，取下限")
    if value.approximate:
        reasons.append(f"原文为约数“{value.text}”")
    if not value.unit:
        reasons.append("原文数值没有单位")
    if how == "verb_weak":
        reasons.append("“为”后的数值，请确认是目标")
    baseline = None
    if start_from and start_from.group("year"):
        previous = [v for v in values(clause.body[: value.start]) if v.unit]
        baseline = (int(start_from.group("year")), previous[-1].number)
    every_year = bool(_EVERY_YEAR.search(clause.text))
    for name in names:
        yield ProseTarget(
            name=name,
            unit=value.unit,
            value=value.number,
            year=None if every_year and not clause.own_year else clause.year,
            qualifier=value.qualifier,
            phrase=clause.text.strip(" 。！？"),
            line=clause.line,
            source_ref=clause.ref,
            reverse=bool(REVERSE.search(before[-6:] + value.qualifier)),
            baseline=baseline,
            every_year=every_year,
            confidence=_confidence(reasons, name, borrowed),
            reasons=tuple(reasons),
            dateable=how == "verb" and not clause.year_unknown and not every_year,
        )


def date_by_document(
    targets: list[ProseTarget], stated: list[int], period_end: int | None
) -> list[ProseTarget]:
    """Give a target year to values stated with a comparison verb but no year, when the document
    has one: the end of the period in its title, else the single year it sets (the year in a
    preamble, a target pages later). They are marked low confidence."""
    years = {t.year for t in targets if t.year} | set(stated)
    if period_end:
        year, reason = period_end, f"原文这里没有写年份，取规划期末 {period_end} 年"
    elif len(years) == 1:
        (year,) = years
        reason = f"原文这里没有写年份，取全文唯一的目标年份 {year} 年"
    else:
        return targets
    dated = [t for t in targets if t.year]
    return [
        replace(t, year=year, confidence=LOW, reasons=(*t.reasons, reason))
        if t.year is None
        and t.dateable
        and t.name
        and not any(same_name(t.name, d.name) for d in dated)
        else t
        for t in targets
    ]


def _confidence(reasons: list[str], name: str, borrowed: bool) -> str:
    if borrowed or len(name) < SHORT_NAME:
        return LOW
    return MEDIUM if reasons else HIGH


def _start_from(body: str, value: Value) -> re.Match[str] | None:
    """The "由(2023年的)" before the value preceding ``value`` ("由…的9.5%提高到12%")."""
    previous = [v for v in values(body[: value.start]) if v.unit]
    return _FROM.search(body[: previous[-1].start]) if previous else None
