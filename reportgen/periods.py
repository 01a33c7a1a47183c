"""Reporting periods: ISO week, month, quarter, half year and year, with Chinese labels."""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Literal

from reportgen import fmt
from reportgen.errors import PeriodError

PeriodKind = Literal["week", "month", "quarter", "half", "year"]
EXAMPLES = (
    "2024-W25（第25周）、2024-06（6月）、2024-Q2（第二季度）、2024-H1（上半年）、2024（全年）"
)
_PATTERNS: list[tuple[PeriodKind, re.Pattern[str]]] = [
    ("week", re.compile(r"(\d{4})-W(\d{1,2})", re.I)),
    ("month", re.compile(r"(\d{4})-(\d{1,2})")),
    ("quarter", re.compile(r"(\d{4})-Q([1-4])", re.I)),
    ("half", re.compile(r"(\d{4})-H([12])", re.I)),
    ("year", re.compile(r"(\d{4})()")),
]
PERIOD_KIND_NAMES: dict[str, PeriodKind] = {
    "week": "week", "周": "week", "month": "month", "月": "month", "quarter": "quarter",
    "季度": "quarter", "季": "quarter", "half": "half", "半年": "half", "year": "year",
    "年": "year", "年度": "year",
}  # fmt: skip
_SUFFIX = {"week": "W{:02d}", "month": "{:02d}", "quarter": "Q{}", "half": "H{}"}


@dataclass(frozen=True)
class Period:
    """A reporting period; ``as_of`` is the date figures are measured at (default: ``end``)."""

    kind: PeriodKind
    year: int
    number: int
    start: date
    end: date
    as_of: date

    @property
    def key(self) -> str:
        """Canonical text form, read back by ``parse_period``: '2024-W25', '2024-06', '2024-Q2',
        '2024-H1', '2024'; the year always has four digits ('0005-Q2')."""
        suffix = _SUFFIX.get(self.kind)
        return f"{self.year:04d}-{suffix.format(self.number)}" if suffix else f"{self.year:04d}"

    @property
    def label(self) -> str:
        """Chinese label: '2024年第二季度', '2024年第25周（6月17日—6月23日）' …"""
        if self.kind == "week":
            start, end = (
                fmt.month_day(day) if day.year == self.year else fmt.date_cn(day)
                for day in (self.start, self.end)
            )
            return f"{self.year}年第{self.number}周（{start}—{end}）"
        if self.kind == "month":
            return f"{self.year}年{self.number}月"
        if self.kind == "quarter":
            return f"{self.year}年{fmt.quarter_name(self.start)}"
        if self.kind == "half":
            return f"{self.year}年{'上' if self.number == 1 else '下'}半年"
        return f"{self.year}年度"

    def previous(self) -> Period:
        """The period of the same kind just before this one."""
        return period_containing(self.kind, self.start - timedelta(days=1))

    def with_as_of(self, as_of: date) -> Period:
        """The same period measured at another date."""
        return replace(self, as_of=as_of)

    def __str__(self) -> str:
        return self.key


def parse_period(text: str, as_of: date | str | None = None) -> Period:
    """Parse a period in its canonical form ('2024-Q2') or as people write it ('2024年第二季度',
    '2024Q2', '2024年6月', '2024年上半年', '2024年第25周', '2024年'); raise PeriodError with
    examples of the accepted forms."""
    cleaned = canonical_period_text(text)
    for kind, pattern in _PATTERNS:
        match = pattern.fullmatch(cleaned)
        if match:
            period = _build(kind, int(match[1]), int(match[2] or 1), text)
            return _measured_at(period, parse_date(as_of)) if as_of else period
    raise PeriodError(
        f"无法识别的报告期“{text}”。请使用以下格式之一：{EXAMPLES}；"
        "也可以写 2024年第二季度、2024年6月、2024年上半年、2024年第25周。"
    )


_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_PERIOD_FORMS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(\d{4})年?第?([一二三四1-4])季度?"), "{0}-Q{1}"),
    (re.compile(r"(\d{4})[-/.]?[Qq]([1-4])"), "{0}-Q{1}"),
    (re.compile(r"(\d{4})年?第(\d{1,2})周"), "{0}-W{1}"),
    (re.compile(r"(\d{4})[-/.]?[Ww](\d{1,2})"), "{0}-W{1}"),
    (re.compile(r"(\d{4})年?([上下])半年"), "{0}-H{1}"),
    (re.compile(r"(\d{4})[-/.]?[Hh]([12])"), "{0}-H{1}"),
    (re.compile(r"(\d{4})年(\d{1,2})月份?"), "{0}-{1}"),
    (re.compile(r"(\d{4})[/.](\d{1,2})"), "{0}-{1}"),
    (re.compile(r"(\d{4})年(?:度|全年)?"), "{0}"),
]


def canonical_period_text(text: str) -> str:
    """``text`` rewritten in the canonical notation when it is one of the forms people type
    (full-width digits and spaces allowed); otherwise stripped but unchanged."""
    cleaned = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    for pattern, form in _PERIOD_FORMS:
        match = pattern.fullmatch(cleaned)
        if match:
            first, second = match[1], match[2] if match.lastindex and match.lastindex > 1 else ""
            number = {"上": "1", "下": "2"}.get(second) or str(_CN_DIGITS.get(second, second))
            return form.format(
                first, number.zfill(2) if "W" in form or form == "{0}-{1}" else number
            )
    return cleaned


def _measured_at(period: Period, as_of: date) -> Period:
    """``period`` measured at ``as_of``; PeriodError for a date before the period began."""
    if as_of < period.start:
        raise PeriodError(
            f"统计截止日期 {as_of.isoformat()} 早于报告期 {period.key} 的开始日期 "
            f"{period.start.isoformat()}。请检查 --as-of 或 --period。"
        )
    return period.with_as_of(as_of)


def parse_date(value: date | str) -> date:
    """Parse a date written as 2024-06-20, 2024/6/20, 2024.6.20, 20240620 or 2024年6月20日."""
    if isinstance(value, date):
        return value
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", value))
    text = re.sub(r"^(\d{4})(\d{2})(\d{2})$", r"\1-\2-\3", text)
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text)
    try:
        if match is None:
            raise ValueError(value)
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise PeriodError(
            f"无法识别的日期“{value}”。请按 2024-06-20 或 2024年6月20日 的格式填写。"
        ) from None


def period_kind(text: str) -> PeriodKind:
    """A period kind by its name or its Chinese name (周、月、季度、半年、年度)."""
    kind = PERIOD_KIND_NAMES.get(text.strip().lower())
    if kind is None:
        raise PeriodError(
            f"无法识别的报告期类型“{text}”。可选：week（周）、month（月）、quarter（季度）、"
            "half（半年）、year（年度）。"
        )
    return kind


def period_containing(kind: PeriodKind, day: date) -> Period:
    """The period of ``kind`` that contains ``day``."""
    if kind == "week":
        iso = day.isocalendar()
        return _build("week", iso.year, iso.week, "")
    number = {
        "month": day.month,
        "quarter": (day.month - 1) // 3 + 1,
        "half": (day.month - 1) // 6 + 1,
        "year": 1,
    }[kind]
    return _build(kind, day.year, number, "")


def _build(kind: PeriodKind, year: int, number: int, text: str) -> Period:
    if not 1 <= year <= 9999:
        raise PeriodError(f"报告期“{text}”的年份无效。请使用以下格式之一：{EXAMPLES}。")
    try:
        start, end = _bounds(kind, year, number)
    except OverflowError:
        raise PeriodError(
            f"报告期“{text}”超出可表示的日期范围（至 9999 年 12 月 31 日）。"
            f"请使用以下格式之一：{EXAMPLES}。"
        ) from None
    except ValueError:
        raise PeriodError(
            f"报告期“{text}”不存在：{year}年没有第{number}{'周' if kind == 'week' else '个月'}。"
            f"请使用以下格式之一：{EXAMPLES}。"
        ) from None
    return Period(kind, year, number, start, end, end)


def _bounds(kind: PeriodKind, year: int, number: int) -> tuple[date, date]:
    if kind == "week":
        start = date.fromisocalendar(year, number, 1)
        return start, start + timedelta(days=6)
    months = {"month": 1, "quarter": 3, "half": 6, "year": 12}[kind]
    first = (number - 1) * months + 1
    if not 1 <= first <= 12:
        raise ValueError(number)
    last = first + months - 1
    return date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1])
