"""Prose targets: "到2025年，……达到350项以上" → (name, year, value, unit).

A paragraph is read clause by clause (split at ，；。 and at 、 when every piece holds a number).
A target year set by "到2025年" / "2025年底前" / "展望2035年" holds for the clauses after it.
Each Arabic number followed by a measure word or % is a quantity; its name is, in order:
- the text before a comparison verb ("覆盖率达到90%")          – form a
- the text after the quantity ("新建2个以上省级技术委员会")    – form b
- the text before the quantity ("研制标准物质10项")            – form c
Chinese numerals (两个, 三家) are not read: they are far more often prose than targets.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from reportgen.extract.names import UNIT, parse_number

# A target year: "到2025年", "至2025年底", "2025年前", "展望2035年", or a year opening a clause.
_YEAR = re.compile(
    r"(?P<pre>到|至|截至|截止|力争|争取|展望|于)?\s*(?P<year>(?:19|20)\d{2})\s*年(?P<post>(?:年?底|末)?前?)"
)
# A year range ("2021-2025年") names a period, not a target year.
_YEAR_RANGE = re.compile(r"\d{4}\s*[-—–~至到]\s*\d{4}\s*年")
# A number (not part of a code like GB17167, PM2.5, 5·20 or 1/3) with a measure word or %.
QUANTITY = re.compile(
    r"(?<![\d.A-Za-z/·第前后])(?P<num>\d+(?:\.\d+)?)\s*"
    rf"(?P<unit>{UNIT})(?!月|工作日|小时|季度|年度)"
    r"(?P<qual>及以上|以上|以下|以内|左右|多)?"
)
# Comparison verbs between a name and its value (form a), and the ones meaning "lower is better".
_VERB_BEFORE = re.compile(
    r"(?:平均|力争|争取|分别)?(?:达到|超过|突破|不少于|不低于|不超过|不高于|低于|高于|保持在|保持|稳定在"
    r"|控制在|提高到|提高至|提升到|提升至|增加到|增加至|增长到|增至|降低到|降低至|降至|下降到|下降至"
    r"|减少到|减少至|达)$"
)
_REVERSE = re.compile(r"不超过|不高于|低于|控制在|降低|降至|下降|减少|以下|以内")
# "由78项提高到80项": the first quantity is where it starts from, not a target.
_FROM = re.compile(r"(?:由|从)\s*(?:(?P<year>\d{4})年(?:底|末)?的?)?$")
# Connectors and hedges in front of a name; generic nouns that need the previous clause.
_LEADING = re.compile(r"^(?:并且|并|且|和|及|以及|同时|其中|另外|此外|力争|争取|确保|全年)+")
_COUNT_WORD = re.compile(r"(?:的)?(?:数量|总数|总量|数目)$")
_GENERIC = {"", "总数", "总量", "数量", "规模", "比例", "比重", "数"}
_CLAUSE_SPLIT = re.compile(r"[，；。！？：]")
# "每年新增…": a figure for every year, not for the target year in force.
_EVERY_YEAR = re.compile(r"每年|年均|逐年")
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
    """One quantity found in prose, with the year it is set for (None when no year is given)."""

    name: str
    unit: str
    value: int | float
    year: int | None
    qualifier: str
    phrase: str
    line: int
    source_ref: str
    reverse: bool
    year_in_paragraph: bool
    borrowed_name: bool
    baseline: tuple[int, int | float] | None = None
    every_year: bool = False


def guess_method(text: str, unit: str, reverse: bool) -> tuple[str, str]:
    """(method, reason) guessed from the wording: 新建/培育 → cumulative, 率/% → level, /年 → annual."""
    if reverse:
        return "reverse", "原文为不超过、控制在等上限"
    for method, pattern, reason in _METHOD_RULES:
        if pattern.search(f"{text}{unit}"):
            return method, reason
    return "level", "未见累计或年度字样，按存量"


def target_year(clause: str) -> int | None:
    """The last target year a clause sets, if any."""
    found = None
    clean = _YEAR_RANGE.sub("", clause)
    for match in _YEAR.finditer(clean):
        opens = clean[: match.start()].strip() == ""
        if match.group("pre") or match.group("post") or opens:
            found = int(match.group("year"))
    return found


def first_goal_year(paras) -> int | None:
    """The first target year the goals state ("到2025年"), used for a table's 目标 column."""
    for para in paras:
        for clause in _CLAUSE_SPLIT.split(para.text):
            year = target_year(clause)
            if year:
                return year
    return None


def sentences(paragraph: str) -> list[str]:
    """A paragraph cut after each 。！？ (outside the goals a year holds within its sentence)."""
    return [s for s in re.split(r"(?<=[。！？])", paragraph) if s.strip()]


def clauses(paragraph: str) -> Iterator[str]:
    """Clauses of a paragraph; a clause listing several quantities with 、 is split further."""
    for clause in _CLAUSE_SPLIT.split(paragraph):
        pieces = clause.split("、")
        if len(pieces) > 1 and all(QUANTITY.search(p) for p in pieces):
            yield from pieces
        elif clause.strip():
            yield clause


def scan_paragraph(
    text: str, line: int, ref: str, year: int | None
) -> tuple[list[ProseTarget], int | None]:
    """Targets of one paragraph, given the year in force before it; returns the year after it."""
    found: list[ProseTarget] = []
    own_year = False
    previous = ""
    for clause in clauses(text):
        clause_year = target_year(clause)
        if clause_year:
            year, own_year = clause_year, True
        body = _YEAR_RANGE.sub("", _YEAR.sub("", clause)) if clause_year else clause
        in_force = None if _EVERY_YEAR.search(clause) and not clause_year else year
        for target in _quantities(body, clause, previous, found):
            found.append(
                ProseTarget(
                    **target, year=in_force, line=line, source_ref=ref, year_in_paragraph=own_year
                )
            )
        previous = body
    return found, year


def _quantities(
    body: str, clause: str, previous: str, earlier: list[ProseTarget]
) -> Iterator[dict]:
    matches = list(QUANTITY.finditer(body))
    for n, match in enumerate(matches):
        start = matches[n - 1].end() if n else 0
        end = matches[n + 1].start() if n + 1 < len(matches) else len(body)
        before, after = body[start : match.start()], body[match.end() : end]
        if _FROM.search(before) and n + 1 < len(matches) and _VERB_BEFORE.search(after.strip()):
            continue  # the starting value of "由…提高到…"
        name = _name(before, after)
        baseline = None
        start_from = _FROM.search(body[: matches[n - 1].start()]) if n else None
        if start_from:
            name = _clean(body[: start_from.start()])
            if start_from.group("year"):
                baseline = (
                    int(start_from.group("year")),
                    parse_number(matches[n - 1].group("num")),
                )
        borrowed = False
        if name in _GENERIC:
            name, borrowed = _borrow(previous, earlier, match.group("unit")), True
        qual = match.group("qual") or ""
        yield {
            "name": name,
            "unit": match.group("unit"),
            "value": parse_number(match.group("num")),
            "qualifier": qual,
            "phrase": clause.strip(),
            "reverse": bool(_REVERSE.search(before[-6:] + qual)),
            "borrowed_name": borrowed,
            "baseline": baseline,
            "every_year": bool(_EVERY_YEAR.search(clause)),
        }


def _name(before: str, after: str) -> str:
    """The indicator name around a quantity (forms a, b, c of the module docstring)."""
    stripped = before.strip()
    verb = _VERB_BEFORE.search(stripped)
    if verb:
        return _clean(stripped[: verb.start()])
    tail = after.strip()
    if len(tail) >= 2 and not _VERB_BEFORE.match(tail):
        return _clean(tail)
    return _clean(stripped)


def _clean(name: str) -> str:
    name = _LEADING.sub("", name.strip()).strip("的 ")
    shorter = _COUNT_WORD.sub("", name)
    return shorter if len(shorter) >= 4 else name


def _borrow(previous: str, earlier: list[ProseTarget], unit: str) -> str:
    """A name for "总数达到…": the subject of the clause before, or the previous target's name
    when it has the same unit ("2023年达到60项、2025年达到100项"); "" when there is none."""
    if re.search(r"数量|总数|总量", previous):
        return _clean(re.split(r"(?<=数量|总数|总量)", previous, maxsplit=1)[0])
    if earlier and earlier[-1].unit == unit:
        return earlier[-1].name
    return ""
