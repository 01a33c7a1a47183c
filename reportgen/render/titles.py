"""Report titles, their line breaks (GB/T 9704-2012 §7.3.2) and default output file names.

A title is built from the plan's short title and the period ("关于舟山市计量发展规划实施方案
2024年第二季度进展情况的报告"); a plan without a short title gets one derived from its full
title. Long titles are broken into balanced lines at places where the meaning stays whole:
never inside a 书名号 or bracket pair, a number, a year span (2021—2035年) or a period label.
"""

from __future__ import annotations

import itertools
import math
import re

TITLE_CHARS = 20  # 2号 (22 pt) characters on a 156 mm line, less a little margin
NAME_LIMIT = 120
UNSAFE_IN_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
KIND_NAMES = {"weekly": "周报", "quarterly": "进展报告", "midterm": "中期评估报告（初稿）"}
TITLES = {
    "weekly": "{plan}进展周报",
    "quarterly": "关于{plan}{period}进展情况的报告",
    "midterm": "{plan}中期评估报告（初稿）",
}
PAIRS = {"《": "》", "〈": "〉", "（": "）", "(": ")", "“": "”", "【": "】", "[": "]"}
# Spans a line must not break inside: year spans, dates, period labels, numbers.
WHOLE = re.compile(
    r"\d{4}\s*[—–\-－~～至]\s*\d{4}\s*年"
    r"|\d{4}年(?:第[一二三四]季度|第\d+周|[上下]半年|\d{1,2}月(?:\d{1,2}日)?|度)?"
    r"|\d{1,2}月\d{1,2}日"
    r"|[\d.,%％]+"
)
NO_LINE_START = set("，。、；：！？）》〉”’】」』…—%％")
NO_LINE_END = set("（《〈“‘【「『")
GOOD_BREAK_AFTER = ("关于", "印发", "落实", "》", "〉", "）", "方案", "意见", "规划", "度", "周）")
GOOD_BREAK_BEFORE = ("进展", "中期评估")
PLACE = re.compile(r"^.+?[省市县区州盟旗]")
DERIVE_DROP = re.compile(
    r"^关于|贯彻落实|关于|的(?=实施)|（\d{4}\s*[—–\-－]\s*\d{4}年）|[《》〈〉]"
)


def plan_short_title(short: str | None, title: str, issuer: str) -> str:
    """The plan's own short title, or one derived from its title and issuer."""
    return short or short_title(title, issuer)


def short_title(title: str, issuer: str) -> str:
    """A plan's short title from its full title and issuer when the plan gives none.

    ("关于贯彻落实《计量发展规划（2021—2035年）》的实施方案", "济南市人民政府")
    -> "济南市计量发展规划实施方案".
    """
    short = DERIVE_DROP.sub("", title.strip().removeprefix(issuer)).strip()
    if not short:
        return title.strip()
    place = PLACE.match(issuer)
    if place and not short.startswith(place.group()):
        short = place.group() + short
    return short


def report_title(kind: str, short: str, period_label: str) -> str:
    """The default title: short title, period, kind; never "关于关于"."""
    plan = short.removeprefix("关于") if TITLES[kind].startswith("关于") else short
    return TITLES[kind].format(plan=plan, period=period_label)


def width(text: str) -> float:
    """Width in characters of the title font: CJK and full-width 1, ASCII (Latin font) 0.5."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def break_title(title: str, chars: int = TITLE_CHARS) -> list[str]:
    """``title`` as balanced lines of at most ``chars`` wide (one line when it fits)."""
    total = width(title)
    if total <= chars:
        return [title]
    lines_needed = math.ceil(total / chars)
    for depth in range(3):  # a pair longer than a line may break, its inner pairs still not
        allowed = _break_points(title, depth)
        for count in range(lines_needed, lines_needed + 2):
            best = _best_split(title, allowed, count, chars)
            if best is not None:
                return best
    return [title]  # no allowed split fits: let the word processor wrap


def _best_split(title: str, allowed: list[int], count: int, chars: int) -> list[str] | None:
    """The split into ``count`` lines with the most even widths, good boundaries preferred."""
    best: tuple[float, list[str]] | None = None
    for cuts in itertools.combinations(allowed, count - 1):
        bounds = [0, *cuts, len(title)]
        lines = [title[a:b] for a, b in itertools.pairwise(bounds)]
        widths = [width(line) for line in lines]
        if max(widths) > chars:
            continue
        score = max(widths) - min(widths) - sum(_bonus(title, cut) for cut in cuts)
        if widths[-1] > widths[0]:
            score += 0.5  # 公文 titles taper: a longer last line reads as an afterthought
        if best is None or score < best[0]:
            best = (score, lines)
    return None if best is None else best[1]


def _bonus(title: str, cut: int) -> float:
    before, after = title[:cut], title[cut:]
    good = any(before.endswith(s) for s in GOOD_BREAK_AFTER)
    good = good or any(after.startswith(s) for s in GOOD_BREAK_BEFORE)
    return 4.0 if good else 0.0


def _break_points(title: str, depth_allowed: int = 0) -> list[int]:
    """Indexes a line may start at: not inside whole spans nor pairs nested deeper than
    ``depth_allowed``, not before closing marks nor after opening ones."""
    blocked: set[int] = set()
    for match in WHOLE.finditer(title):
        blocked.update(range(match.start() + 1, match.end()))
    depth: list[str] = []
    inside: set[int] = set()
    for n, ch in enumerate(title):
        if depth and ch == PAIRS[depth[-1]]:
            depth.pop()
        elif ch in PAIRS:
            depth.append(ch)
        if len(depth) > depth_allowed:
            inside.add(n + 1)
    points = []
    for n in range(1, len(title)):
        if n in blocked or n in inside:
            continue
        if title[n] in NO_LINE_START or title[n - 1] in NO_LINE_END:
            continue
        points.append(n)
    return points


def output_name(short: str, period_label: str, kind: str) -> str:
    """'济南市计量发展规划实施方案_2024年第二季度进展报告.docx': Chinese, safe on Windows."""
    return _file_name(short, f"{_label(period_label)}{KIND_NAMES[kind]}.docx")


def summary_name(short: str, period_label: str) -> str:
    """'济南市计量发展规划实施方案_2024年第二季度汇总.xlsx'."""
    return _file_name(short, f"{_label(period_label)}汇总.xlsx")


def safe_file_name(name: str) -> str:
    """``name`` with the characters Windows forbids in file names replaced by "_"."""
    return UNSAFE_IN_NAMES.sub("_", name).strip(" .") or "汇总.xlsx"


def _label(period_label: str) -> str:
    """The period label without the dates of a week: '2024年第40周'."""
    return re.sub(r"（.*?）", "", period_label)


def _file_name(short: str, tail: str) -> str:
    """``short``_``tail`` without characters Windows forbids, at most NAME_LIMIT characters."""
    tail = "_" + UNSAFE_IN_NAMES.sub("_", tail)
    head = UNSAFE_IN_NAMES.sub("_", short).strip(" .") or "报告"
    return head[: NAME_LIMIT - len(tail)] + tail
