"""Display formatting: the one half-up rule, percents, points, quantities, dates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from reportgen import fmt


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (85.35, 1, "85.4"),  # half-up, not half-even (85.35 → 85.4)
        (85.25, 1, "85.3"),  # half-even would give 85.2
        (2.5, 0, "3"),
        (-2.5, 0, "-3"),  # halves go away from zero
        # float 1.005 is really 1.00499999999999989…; the rule reads its repr "1.005"
        (1.005, 2, "1.01"),
        (-0.04, 1, "0.0"),  # never "-0.0"
        (-0.0, 1, "0.0"),
        (Decimal("33.35"), 1, "33.4"),
    ],
)
def test_round_half_up(value: float | Decimal, places: int, expected: str) -> None:
    assert str(fmt.round_half_up(value, places)) == expected


@pytest.mark.parametrize(
    ("ratio", "expected"),
    [
        (0.8535, "85.4%"),  # 85.35 → 85.4
        # 0.3335 is stored as 0.33349999999999996…; repr gives "0.3335", so 33.35 → 33.4
        (0.3335, "33.4%"),
        # in floats 0.0045 × 100 = 0.44999999999999996, which would round to 0.4%;
        # the ratio is scaled in Decimal: 0.45 → 0.5%
        (0.0045, "0.5%"),
        (0.0295, "3.0%"),  # likewise 2.9499… in floats
        (0.8125, "81.3%"),  # 81.25 → 81.3
        (1.0, "100.0%"),
        (1.125, "112.5%"),
        (0, "0.0%"),
        (-0.0004, "0.0%"),  # no "-0.0%"
        (-0.0005, "-0.1%"),
        (-0.25, "-25.0%"),
        (None, "—"),
    ],
)
def test_percent(ratio: float | None, expected: str) -> None:
    assert fmt.percent(ratio) == expected


@pytest.mark.parametrize(
    ("ratio", "expected"),
    [(0.8535, "85.4"), (0.0045, "0.5"), (1.125, "112.5"), (-0.0004, "0.0"), (0.8125, "81.3")],
)
def test_percent_value(ratio: float, expected: str) -> None:
    assert fmt.percent_value(ratio) == Decimal(expected)
    assert str(fmt.percent_value(ratio)) == expected


@pytest.mark.parametrize(
    ("gap", "expected"),
    [
        (16.62, "16.6个百分点"),
        (16.65, "16.7个百分点"),
        (-6.18, "6.2个百分点"),  # absolute: the caller says 落后/超前
        (-0.04, "0.0个百分点"),
        (20, "20.0个百分点"),
        (None, "—"),
    ],
)
def test_points(gap: float | None, expected: str) -> None:
    assert fmt.points(gap) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (80, "80"),
        (80.0, "80"),
        (95.5, "95.5"),
        (95.50, "95.5"),
        (1 + 2 / 3, "1.67"),
        (69.945355, "69.95"),
        (9999, "9999"),  # grouping only from five digits
        (12345, "12,345"),
        (12345.678, "12,345.68"),
        (-0.001, "0"),
        (-3, "-3"),
        (None, "—"),
    ],
)
def test_number(value: float | None, expected: str) -> None:
    assert fmt.number(value) == expected


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (80, "项", "80项"),
        (5 / 3, "项/年", "1.67项"),
        (95, "%", "95%"),
        (95, "％", "95%"),
        (3, " 个 ", "3个"),
        (None, "项", "—"),
    ],
)
def test_quantity(value: float | None, unit: str, expected: str) -> None:
    assert fmt.quantity(value, unit) == expected


def test_dates() -> None:
    assert fmt.date_cn(date(2024, 6, 30)) == "2024年6月30日"
    assert fmt.date_cn(date(2024, 2, 29)) == "2024年2月29日"
    assert fmt.month_day(date(2024, 6, 17)) == "6月17日"
    assert [fmt.quarter_name(date(2024, m, 1)) for m in (1, 4, 7, 10)] == [
        "第一季度",
        "第二季度",
        "第三季度",
        "第四季度",
    ]


def test_signed_changes_share_one_rule():
    assert fmt.signed(2.0, fmt.VALUE_PLACES) == "+2"
    assert fmt.signed(-0.5, fmt.VALUE_PLACES, "项") == "-0.5项"
    assert fmt.signed(16.666, fmt.PERCENT_PLACES, fmt.POINTS_SUFFIX) == "+16.7个百分点"
    assert fmt.signed(-16.65, fmt.PERCENT_PLACES) == "-16.7"
    assert fmt.signed(0.04, fmt.PERCENT_PLACES) == "0.0"
    assert fmt.signed(0.04, fmt.PERCENT_PLACES, zero="0") == "0"
    assert fmt.signed(None, fmt.VALUE_PLACES) == "—"


def test_percent_unit_rule():
    assert fmt.is_percent_unit("%") and fmt.is_percent_unit(" ％ ")
    assert not fmt.is_percent_unit("项") and not fmt.is_percent_unit("%/年")
