"""Working days in mainland China: weekends, statutory holidays and 调休 makeup days.

The holiday calendar is the ``chinese-calendar`` package (the State Council's yearly notices).
For a year it does not know yet, only weekends count as days off and ``calendar_warning`` says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar
from babel.dates import format_date

from reportgen.errors import ReportgenError

_KNOWN = (
    min(chinese_calendar.constants.holidays).year,
    max(chinese_calendar.constants.holidays).year,
)
_RELATIVE = re.compile(r"^\s*(\d{1,2})\s*个?\s*工作日\s*$")


class DeadlineError(ReportgenError):
    """A deadline that cannot be understood."""


def known_years() -> tuple[int, int]:
    """The first and last year whose holidays the calendar knows."""
    return _KNOWN


def is_workday(day: date) -> bool:
    """True on working days, including 调休 weekends; weekdays only outside the known years."""
    if _KNOWN[0] <= day.year <= _KNOWN[1]:
        return bool(chinese_calendar.is_workday(day))
    return day.weekday() < 5


def add_workdays(start: date, count: int) -> date:
    """The ``count``-th working day after ``start`` (``start`` itself not counted)."""
    day = start
    left = count
    while left > 0:
        day += timedelta(days=1)
        left -= is_workday(day)
    return day


def workdays_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` <= ``start``)."""
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        count += is_workday(day)
    return count


def calendar_warning(*days: date) -> str | None:
    """The warning for dates outside the years the holiday calendar knows, else None."""
    outside = sorted({d.year for d in days if not _KNOWN[0] <= d.year <= _KNOWN[1]})
    if not outside:
        return None
    years = "、".join(f"{y}年" for y in outside)
    return (
        f"节假日日历只收录到{_KNOWN[1]}年（{_KNOWN[0]}—{_KNOWN[1]}年），{years}的法定节假日和调休"
        "未知，工作日只按周末推算。国务院公布放假安排后请升级 chinese-calendar 并核对截止日期。"
    )


def weekday_date(day: date) -> str:
    """'2024年7月5日（星期五）'."""
    return str(format_date(day, "y年M月d日（EEEE）", locale="zh_CN"))


@dataclass(frozen=True)
class Deadline:
    """A reporting deadline: the last day returns are on time, and how it was given."""

    day: date
    workdays: int | None  # given as 'N个工作日' after the round was opened
    warnings: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return weekday_date(self.day)


def parse_deadline(text: str, opened: date) -> Deadline:
    """'2024-07-05' or '5个工作日' (counted from the day after ``opened``)."""
    relative = _RELATIVE.match(text)
    if relative:
        count = int(relative[1])
        if count < 1:
            raise DeadlineError(f"截止时间“{text}”无效：工作日数须至少为 1。")
        day = add_workdays(opened, count)
        return Deadline(day, count, _warnings(opened, day))
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise DeadlineError(
            f"无法识别的截止时间“{text}”。请写日期（如 2024-07-05）或工作日数（如 5个工作日）。"
        ) from None
    if day < opened:
        raise DeadlineError(f"截止日期 {weekday_date(day)} 早于发起日期 {weekday_date(opened)}。")
    return Deadline(day, None, _warnings(day))


def _warnings(*days: date) -> tuple[str, ...]:
    found = [calendar_warning(*days)]
    last = days[-1]
    if not is_workday(last):
        following = add_workdays(last, 1)
        found.append(
            f"截止日期{weekday_date(last)}是休息日，请确认是否应为下一个工作日"
            f"{weekday_date(following)}。"
        )
    return tuple(w for w in found if w)
