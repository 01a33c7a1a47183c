"""Parsing one cell: what a clerk types and what it means (pure functions)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from reportgen.intake.values import (
    CellValueError,
    cell_text,
    is_blank,
    normalize_text,
    parse_day,
    parse_number,
    range_problem,
)


@pytest.mark.parametrize(
    ("raw", "unit", "expected"),
    [
        (12, "项", 12.0),
        (12.5, "项", 12.5),
        (" 12 ", "项", 12.0),
        ("12.5", "项", 12.5),
        ("１２", "项", 12.0),
        ("１２．５", "项", 12.5),
        ("1,234", "家", 1234.0),
        ("1，234", "家", 1234.0),
        ("12 345", "家", 12345.0),
        ("12项", "项", 12.0),
        ("12 个", "个", 12.0),
        ("2项", "项/年", 2.0),
        ("2项/年", "项/年", 2.0),
        ("85%", "%", 85.0),
        ("85％", "%", 85.0),
        ("85", "%", 85.0),
        ("+3", "项", 3.0),
        ("-0.2", "吨标准煤", -0.2),
    ],
)
def test_accepted_numbers(raw, unit, expected):
    assert parse_number(raw, unit) == expected


def test_percent_formatted_cell_is_scaled_for_percent_indicators():
    assert parse_number(0.85, "%", percent_cell=True) == 85
    assert parse_number(0.955, "％", percent_cell=True) == 95.5


@pytest.mark.parametrize(
    "raw", [None, "", "  ", "—", "——", "-", "－", "/", "／", "无", "暂无", " 暂无 "]
)
def test_blanks_mean_not_reported_never_zero(raw):
    assert is_blank(raw)
    assert parse_number(raw, "项") is None


def test_zero_is_a_value():
    assert parse_number(0, "项") == 0.0
    assert parse_number("0", "项") == 0.0


@pytest.mark.parametrize(
    ("raw", "unit", "fragment"),
    [
        ("约12", "项", "不是数字"),
        ("十二", "项", "不是数字"),
        ("12项以上", "项", "单位“项以上”"),
        ("12个", "项", "单位“个”与本指标的单位“项”不一致"),
        ("85%", "项", "单位“%”"),
        ("12万元", "亿元", "请换算"),
        ("1,23", "项", "不是数字"),
        (True, "项", "TRUE/FALSE"),
        (date(2024, 6, 30), "项", "日期"),
        (datetime(2024, 6, 30, 8), "项", "日期"),
    ],
)
def test_rejected_values_say_what_to_do(raw, unit, fragment):
    with pytest.raises(CellValueError, match=fragment) as info:
        parse_number(raw, unit)
    assert "请" in str(info.value)


def test_percent_format_on_a_count_indicator_is_refused():
    with pytest.raises(CellValueError, match="百分比格式"):
        parse_number(0.5, "项", percent_cell=True)


def test_ranges():
    assert range_problem(-1, "项", allow_negative=False) == (
        "完成值不能为负数（填的是 -1）。请填写 0 或正数。"
    )
    assert range_problem(-1, "项", allow_negative=True) is None
    assert "不能超过 100" in range_problem(100.5, "%", allow_negative=False)
    assert range_problem(100, "%", allow_negative=False) is None
    assert range_problem(150, "项", allow_negative=False) is None


@pytest.mark.parametrize(
    "raw",
    [
        date(2024, 6, 30),
        datetime(2024, 6, 30, 0, 0),
        "2024-06-30",
        "2024/6/30",
        "2024.6.30",
        "2024年6月30日",
        "２０２４－０６－３０",
    ],
)
def test_dates(raw):
    assert parse_day(raw) == date(2024, 6, 30)


@pytest.mark.parametrize("raw", ["6月底", "2024-06-31", 45473.0, "2024-13-01"])
def test_bad_dates(raw):
    with pytest.raises(CellValueError, match="不是有效的日期"):
        parse_day(raw)


def test_blank_date_means_period_end():
    assert parse_day(None) is None
    assert parse_day("—") is None


def test_text_helpers():
    assert normalize_text(" １２ 项\u3000") == "12项"
    assert cell_text(12.0) == "12"
    assert cell_text(12.5) == "12.5"
    assert cell_text(None) == ""
    assert cell_text(" 说明 ") == "说明"
