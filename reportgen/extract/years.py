"""Years in a clause: which set a target year, which are baselines or periods, which are relative.

- "到2025年" / "至2025年底" / "力争2025年" / "展望2035年" / "2025年底前" set a target year;
- a bare "2025年" opening a clause sets one too, but weaker (a news report or a yearly plan);
- "在2020年基础上" / "比2020年" / "较2020年" / "2018年以来" are references, not targets;
- "2021—2025年" is a period and "《…2035年远景目标纲要》" a title: both ignored;
- "今年" / "明年" / "年内" make the year unknown (the text does not say which);
- "到“十四五”末" sets the last year of that five-year period; "2023年7月21日" is a date.
A sentence with words of achievement ("较上年", "同比", "截至目前", "以来", "已经" …) reports what
was done, so its figures are not targets. "十四五" and its kin name a five-year period.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_YEAR = re.compile(
    r"(?P<pre>到|至|截至|截止|力争|争取|确保|展望|于|在)?\s*(?P<year>(?:19|20)\d{2})\s*年"
    r"(?P<post>(?:\d{1,2}\s*月(?!\s*\d{1,2}\s*日))?(?:年?底|年?末|年?中|内|份)?(?:以?前)?)"
    r"(?P<tail>(?:的)?(?:基础上|水平|以来|相比|同期|基数)|\d{1,2}\s*月\s*\d{1,2}\s*日)?"
)
_PERIOD = re.compile(r"(?:19|20)\d{2}\s*(?:年\s*)?[-—–~～至到]\s*(?:19|20)\d{2}\s*年?")
_TITLE = re.compile(r"《[^》]*》")
_REFERENCE_BEFORE = re.compile(r"(?:比|较|与|同|相对于|由|从|自|截至|截止)$")
_TARGET_PRE = {"到", "至", "力争", "争取", "展望", "于", "确保"}
_DEADLINE = re.compile(r"底|末|前|内|中")  # "2025年底前", "2026年6月底" (a month alone is a date)
_WEAK_PRE = {"截至", "截止"}  # "截至2022年底" reports as often as it sets a target
_RELATIVE = re.compile(r"今年|明年|当年|年内|本年度?|下一年|次年|再过|再用|今后\S{0,3}年")
# Words of achievement: the strong ones outweigh even "到2025年" in the same sentence ("到2022年底，
# 已建成……"); the weak ones only mark a sentence whose year is bare or carried from before.
_ACHIEVED_STRONG = re.compile(
    r"较上年|比上年|较去年|比去年|同比|去年|上年|截至目前|截至去年|截止目前|已经|已达|已全部|已完成"
    r"|已建成|已累计|实现了|完成了|取得了|超额完成|圆满完成"
)
_ACHIEVED_WEAK = re.compile(r"以来|首次|位居|位列|排名|稳中向好")
_FIVE_YEAR = re.compile(r"十([一二三四五六七八九])五")
# "到“十四五”末": the last year of that five-year period.
_FIVE_YEAR_END = re.compile(
    r"(?:到|至)?[“\"]?十([一二三四五六七八九])五[”\"]?(?:时期|规划期|期)?末"
)
_CN_DIGITS = "一二三四五六七八九"


@dataclass(frozen=True)
class YearMarks:
    """What the years of one clause say: the target year it sets (if any), whether that year was
    bare ("2025年" with no "到"), and whether the clause makes the year unknown ("今年")."""

    year: int | None
    bare: bool
    relative: bool
    body: str  # the clause with its year phrases removed


@lru_cache(maxsize=8192)
def clause_years(clause: str) -> YearMarks:
    """The target year a clause sets, and the clause without its year phrases."""
    text = _PERIOD.sub("", _TITLE.sub("", clause))
    year: int | None = None
    bare = False
    body = text
    for match in reversed(list(_YEAR.finditer(text))):
        before = text[: match.start()]
        if match.group("tail") or _REFERENCE_BEFORE.search(before.rstrip()):
            continue
        pre = match.group("pre") or ""
        deadline = bool(_DEADLINE.search(match.group("post")))
        explicit = pre in _TARGET_PRE or (deadline and pre not in _WEAK_PRE)
        opens = before.strip() == ""
        if explicit or opens:
            body = body[: match.start()] + body[match.end() :]
            if year is None:
                year, bare = int(match.group("year")), not explicit
    end = _FIVE_YEAR_END.search(body) if year is None else None
    if end:
        year, body = five_year_start(end.group(1)) + 4, body[: end.start()] + body[end.end() :]
    return YearMarks(year, bare, bool(_RELATIVE.search(body)) and year is None, body)


def title_year(title: str) -> int | None:
    """The single year of a yearly plan's title ("关于做好2022年……工作的实施意见"); None for a
    period ("（2023—2025年）"), a year inside 《》 or a title naming several years."""
    if _PERIOD.search(title):
        return None
    years = {int(m.group("year")) for m in _YEAR.finditer(_TITLE.sub("", title))}
    return years.pop() if len(years) == 1 else None


@dataclass(frozen=True)
class Achieved:
    """The word that marks a sentence as a report of what was done, and whether it outweighs a
    target year stated in the sentence."""

    word: str
    strong: bool


def achieved(sentence: str) -> Achieved | None:
    """The word that marks ``sentence`` as a report of what was achieved, if any."""
    strong = _ACHIEVED_STRONG.search(sentence)
    if strong:
        return Achieved(strong.group(0), True)
    weak = _ACHIEVED_WEAK.search(sentence)
    return Achieved(weak.group(0), False) if weak else None


def five_year_period(text: str) -> tuple[int, int] | None:
    """(2016, 2020) for "十三五" in ``text``; None when no five-year plan is named."""
    match = _FIVE_YEAR.search(text)
    if not match:
        return None
    start = five_year_start(match.group(1))
    return start, start + 4


def five_year_start(ordinal: str) -> int:
    """2016 for the 三 of "十三五" (十一五 began in 2006)."""
    return 2006 + 5 * _CN_DIGITS.index(ordinal)
