"""Deadlines in working days, checked by hand against the State Council's 2024 holiday notice.

国务院办公厅关于2024年部分节假日安排的通知（国办发明电〔2023〕7号）:
- 春节：2月10日至17日放假调休，共8天。2月4日（星期日）、2月18日（星期日）上班。
  鼓励各单位安排职工在除夕（2月9日）休息 —— 除夕本身是工作日。
- 劳动节：5月1日至5日放假调休，共5天。4月28日（星期日）、5月11日（星期六）上班。
- 国庆节：10月1日至7日放假调休，共7天。9月29日（星期日）、10月12日（星期六）上班。
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reportgen.rounds.workdays import (
    DeadlineError,
    add_workdays,
    calendar_warning,
    is_workday,
    known_years,
    parse_deadline,
    weekday_date,
    workdays_between,
)

OPENED_BEFORE_SPRING = date(2024, 2, 7)  # 星期三


def test_spring_festival_skips_the_holiday_and_counts_the_makeup_sunday():
    # 2月8日(四)=1, 2月9日(五, 除夕, 上班)=2, 2月10—17日放假, 2月18日(日, 调休上班)=3,
    # 2月19日(一)=4, 2月20日(二)=5
    deadline = parse_deadline("5个工作日", OPENED_BEFORE_SPRING)
    assert deadline.day == date(2024, 2, 20)
    assert deadline.label == "2024年2月20日（星期二）"
    assert deadline.workdays == 5 and deadline.warnings == ()


def test_makeup_sunday_before_spring_festival_is_a_working_day():
    # 2月2日(五) 发起；2月3日(六)休息，2月4日(日)调休上班 = 第1个工作日
    assert add_workdays(date(2024, 2, 2), 1) == date(2024, 2, 4)
    assert weekday_date(date(2024, 2, 4)) == "2024年2月4日（星期日）"


def test_national_day_skips_the_week_and_counts_the_makeup_days():
    # 9月27日(五) 发起：9月28日(六)休息，9月29日(日, 调休上班)=1，9月30日(一)=2，
    # 10月1—7日放假，10月8日(二)=3
    assert add_workdays(date(2024, 9, 27), 3) == date(2024, 10, 8)
    # 10月10日(四) 发起：10月11日(五)=1，10月12日(六, 调休上班)=2
    deadline = parse_deadline("2个工作日", date(2024, 10, 10))
    assert deadline.label == "2024年10月12日（星期六）"


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2024, 2, 9), True),  # 除夕，通知未列为假日
        (date(2024, 2, 12), False),  # 春节假期中的星期一
        (date(2024, 2, 18), True),  # 调休上班的星期日
        (date(2024, 5, 11), True),  # 劳动节调休上班的星期六
        (date(2024, 10, 7), False),  # 国庆假期最后一天（星期一）
        (date(2024, 10, 12), True),  # 国庆调休上班的星期六
        (date(2024, 10, 13), False),  # 普通星期日
    ],
)
def test_is_workday_follows_the_notice(day, working):
    assert is_workday(day) is working


def test_overdue_days_count_working_days_only():
    # 截止9月30日(一)，10月8日(二)查看：10月1—7日放假，只逾期1个工作日
    assert workdays_between(date(2024, 9, 30), date(2024, 10, 8)) == 1
    assert workdays_between(date(2024, 10, 8), date(2024, 9, 30)) == 0


def test_date_deadline_on_a_holiday_is_questioned():
    deadline = parse_deadline("2024-10-03", date(2024, 9, 20))
    assert deadline.day == date(2024, 10, 3) and deadline.workdays is None
    assert deadline.warnings == (
        "截止日期2024年10月3日（星期四）是休息日，请确认是否应为下一个工作日2024年10月8日（星期二）。",
    )


def test_outside_the_known_years_weekends_only_with_a_warning():
    year = known_years()[1] + 73
    friday = next(date(year, 1, d) for d in range(1, 8) if date(year, 1, d).weekday() == 4)
    deadline = parse_deadline("1个工作日", friday)
    assert deadline.day.weekday() == 0  # the Monday after: only the weekend is skipped
    assert deadline.warnings and "只按周末推算" in deadline.warnings[0]
    assert calendar_warning(date(2024, 7, 5)) is None


@pytest.mark.parametrize("text", ["下周五", "2024-13-01", "0个工作日", "2024-01-01"])
def test_bad_deadlines_are_refused(text):
    with pytest.raises(DeadlineError):
        parse_deadline(text, date(2024, 6, 30))


@given(start=st.dates(date(2023, 1, 1), date(2026, 12, 31)), count=st.integers(1, 30))
def test_add_and_count_agree(start, count):
    end = add_workdays(start, count)
    assert is_workday(end) and workdays_between(start, end) == count
