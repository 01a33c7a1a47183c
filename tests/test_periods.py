"""Reporting periods: parsing, bounds, Chinese labels, previous(), ISO week-year edges."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportgen.errors import PeriodError
from reportgen.periods import parse_date, parse_period, period_containing, period_kind


@pytest.mark.parametrize(
    ("text", "key", "start", "end", "label"),
    [
        (
            "2024-W25",
            "2024-W25",
            date(2024, 6, 17),
            date(2024, 6, 23),
            "2024年第25周（6月17日—6月23日）",
        ),
        ("2024-06", "2024-06", date(2024, 6, 1), date(2024, 6, 30), "2024年6月"),
        ("2024-Q2", "2024-Q2", date(2024, 4, 1), date(2024, 6, 30), "2024年第二季度"),
        ("2024-H1", "2024-H1", date(2024, 1, 1), date(2024, 6, 30), "2024年上半年"),
        ("2024-H2", "2024-H2", date(2024, 7, 1), date(2024, 12, 31), "2024年下半年"),
        ("2024", "2024", date(2024, 1, 1), date(2024, 12, 31), "2024年度"),
        ("2024-Q1", "2024-Q1", date(2024, 1, 1), date(2024, 3, 31), "2024年第一季度"),
        ("2024-Q3", "2024-Q3", date(2024, 7, 1), date(2024, 9, 30), "2024年第三季度"),
        ("2024-Q4", "2024-Q4", date(2024, 10, 1), date(2024, 12, 31), "2024年第四季度"),
    ],
)
def test_every_kind(text: str, key: str, start: date, end: date, label: str) -> None:
    period = parse_period(text)
    assert (period.key, period.start, period.end, period.as_of, period.label) == (
        key,
        start,
        end,
        end,  # as-of defaults to the end
        label,
    )
    assert str(period) == key


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("2024-6", "2024-06"),
        ("2024-w25", "2024-W25"),
        (" 2024-q2 ", "2024-Q2"),
        ("2024-h1", "2024-H1"),
    ],
)
def test_lenient_spellings_normalise(text: str, key: str) -> None:
    assert parse_period(text).key == key


@pytest.mark.parametrize(
    ("text", "previous"),
    [
        ("2024-W25", "2024-W24"),
        ("2024-W01", "2023-W52"),
        ("2021-W01", "2020-W53"),
        ("2024-06", "2024-05"),
        ("2024-01", "2023-12"),
        ("2024-Q1", "2023-Q4"),
        ("2024-H1", "2023-H2"),
        ("2024-H2", "2024-H1"),
        ("2024", "2023"),
    ],
)
def test_previous(text: str, previous: str) -> None:
    assert parse_period(text).previous().key == previous


def test_previous_keeps_kind_and_default_as_of() -> None:
    prev = parse_period("2024-Q2", "2024-05-15").previous()
    assert (prev.kind, prev.as_of) == ("quarter", date(2024, 3, 31))


def test_iso_week_year_edges() -> None:
    # 2020 has 53 ISO weeks: W53 runs Mon 2020-12-28 … Sun 2021-01-03
    w53 = parse_period("2020-W53")
    assert (w53.start, w53.end) == (date(2020, 12, 28), date(2021, 1, 3))
    assert w53.label == "2020年第53周（12月28日—2021年1月3日）"
    # 2024-W01 starts on Monday 1 January 2024
    assert (parse_period("2024-W01").start, parse_period("2024-W01").end) == (
        date(2024, 1, 1),
        date(2024, 1, 7),
    )
    # 2026 begins on a Thursday, so it has 53 weeks; 2026-W01 starts in 2025
    assert parse_period("2026-W53").end == date(2027, 1, 3)
    assert parse_period("2026-W01").label == "2026年第1周（2025年12月29日—1月4日）"
    # a day early in January can belong to the last week of the previous ISO year
    assert period_containing("week", date(2021, 1, 3)).key == "2020-W53"
    assert period_containing("week", date(2024, 12, 30)).key == "2025-W01"


def test_leap_february() -> None:
    assert parse_period("2024-02").end == date(2024, 2, 29)
    assert parse_period("2023-02").end == date(2023, 2, 28)
    assert parse_period("2100-02").end == date(2100, 2, 28)  # century, not leap


@pytest.mark.parametrize(
    ("kind", "day", "key"),
    [
        ("month", date(2024, 2, 29), "2024-02"),
        ("quarter", date(2024, 9, 30), "2024-Q3"),
        ("half", date(2024, 7, 1), "2024-H2"),
        ("year", date(2024, 12, 31), "2024"),
        ("week", date(2024, 6, 23), "2024-W25"),
    ],
)
def test_period_containing(kind: str, day: date, key: str) -> None:
    assert period_containing(kind, day).key == key


def test_as_of_override() -> None:
    period = parse_period("2024-Q2", "2024-06-20")
    assert (period.as_of, period.end) == (date(2024, 6, 20), date(2024, 6, 30))
    assert period.with_as_of(date(2024, 6, 25)).as_of == date(2024, 6, 25)
    assert parse_period("2024-Q2", date(2024, 5, 1)).as_of == date(2024, 5, 1)


@pytest.mark.parametrize(
    "text",
    ["", "abc", "2024-13", "2024-00", "2024-Q5", "2024-H3", "24-06", "2024-W54",
     "2025-W53", "2024-W00", "0000", "2024年13月", "2024年第五季度", "11", "2024年6"],
)  # fmt: skip
def test_bad_period_gives_example(text: str) -> None:
    with pytest.raises(PeriodError) as info:
        parse_period(text)
    message = str(info.value)
    assert "2024-W25" in message and "2024-Q2" in message
    assert len(info.value.problems) == 1


@pytest.mark.parametrize("text", ["2024-6-20x", "2024-02-30", "6月20日", ""])
def test_bad_as_of_date(text: str) -> None:
    with pytest.raises(PeriodError, match="2024-06-20"):
        parse_date(text)
    with pytest.raises(PeriodError):
        parse_period("2024-Q2", text or " ")


def test_parse_date() -> None:
    assert parse_date(" 2024-02-29 ") == date(2024, 2, 29)
    assert parse_date(date(2024, 1, 1)) == date(2024, 1, 1)


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("2024年第二季度", "2024-Q2"), ("2024年二季度", "2024-Q2"), ("2024年第2季度", "2024-Q2"),
        ("2024Q2", "2024-Q2"), ("2024q2", "2024-Q2"), ("２０２４年第二季度", "2024-Q2"),
        ("2024 年 第 二 季度", "2024-Q2"), ("2024年6月", "2024-06"), ("2024年6月份", "2024-06"),
        ("2024/06", "2024-06"), ("2024.6", "2024-06"), ("2024年上半年", "2024-H1"),
        ("2024H2", "2024-H2"), ("2024年第25周", "2024-W25"), ("2024W5", "2024-W05"),
        ("2024年", "2024"), ("2024年度", "2024"), ("0005-Q2", "0005-Q2"),
    ],
)  # fmt: skip
def test_the_forms_people_type(typed: str, key: str) -> None:
    assert parse_period(typed).key == key


@pytest.mark.parametrize(
    "typed",
    ["2024-10-10", "2024/10/10", "2024.10.10", "20241010", "2024年10月10日", "2024年10月10",
     " 2024-10-10 ", "２０２４年１０月１０日"],
)  # fmt: skip
def test_dates_in_the_forms_people_type(typed: str) -> None:
    assert parse_date(typed) == date(2024, 10, 10)


@pytest.mark.parametrize("typed", ["11", "2024-02-30", "2024年13月1日", "10/10/2024", "明天"])
def test_bad_dates_name_the_form(typed: str) -> None:
    with pytest.raises(PeriodError, match="2024年6月20日"):
        parse_date(typed)


@pytest.mark.parametrize(
    ("typed", "kind"),
    [("周", "week"), ("week", "week"), ("季度", "quarter"), ("季", "quarter"), ("半年", "half"),
     ("年度", "year"), ("Month", "month")],
)  # fmt: skip
def test_period_kinds_in_chinese(typed: str, kind: str) -> None:
    assert period_kind(typed) == kind


@settings(max_examples=400, deadline=None)
@given(
    kind=st.sampled_from(["week", "month", "quarter", "half", "year"]),
    year=st.integers(1, 9999),
    number=st.integers(1, 53),
    lower=st.booleans(),
)
def test_every_period_key_reads_back_as_the_same_period(
    kind: str, year: int, number: int, lower: bool
) -> None:
    """Keys are written in one canonical form (four-digit year) that parse_period reads back."""
    limit = {"week": 53, "month": 12, "quarter": 4, "half": 2, "year": 53}[kind]  # year: no number
    suffix = {"week": f"-W{number}", "month": f"-{number}", "quarter": f"-Q{number}",
              "half": f"-H{number}", "year": ""}[kind]  # fmt: skip
    text = f"{year:04d}{suffix}"
    text = text.lower() if lower else text
    try:
        period = parse_period(text)
    except PeriodError:
        assert number > limit or kind == "week"  # only impossible numbers, or week 53 / 9999-W52
        return
    assert number <= limit
    assert len(period.key.split("-")[0]) == 4
    assert parse_period(period.key) == period
    assert parse_period(period.key, period.as_of) == period


@pytest.mark.parametrize("text", ["0001", "0001-W01", "0001-Q1", "0999-12", "9999", "9999-W51"])
def test_years_one_to_9999_at_the_edges(text: str) -> None:
    period = parse_period(text)
    assert period.key == text and parse_period(period.key) == period
