"""Display formatting: the one rounding rule, and numbers, percents and dates via babel (zh_CN).

Calculations keep full floats; rounding happens here, once, only for display. The locale and
the number patterns are parsed once (babel parses a pattern string on every call), and the
number formatters remember recent results: a report shows the same few values many times.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from math import ceil, floor

from babel import Locale
from babel.dates import format_date
from babel.numbers import parse_pattern

LOCALE = Locale.parse("zh_CN")
PERCENT_PATTERN = parse_pattern("0.0%")
POINTS_PATTERN = parse_pattern("0.0")
DECIMAL_PATTERN = LOCALE.decimal_formats[None]  # "#,##0.###"
PERCENT_PLACES = 1
VALUE_PLACES = 2
MISSING = "—"
WHOLE_TOLERANCE = 1e-9  # 69.99999999997 from float arithmetic is 70, not 71 rounded up
PERCENT_UNITS = frozenset({"%", "％"})
POINTS_SUFFIX = "个百分点"
CACHED = 4096  # results kept per formatter


def round_half_up(value: float | Decimal, places: int) -> Decimal:
    """The project's single rounding rule: decimal half-up at ``places`` decimals.

    A float is taken as its shortest repr (0.3335 is rounded as the decimal 0.3335, not as the
    binary 0.33349999…), so the rule applies to the number as a person would write it.
    """
    quantum = Decimal(1).scaleb(-places)
    exact = value if isinstance(value, Decimal) else Decimal(repr(value))
    result = exact.quantize(quantum, rounding=ROUND_HALF_UP)
    return result if result else abs(result)  # no "-0.0"


def percent_value(ratio: float) -> Decimal:
    """The displayed percentage as a number: 0.8535 -> Decimal('85.4').

    The ratio is scaled by 100 in Decimal: in floats 0.0045 * 100 is 0.44999…, which would
    round down to 0.4 instead of 0.5.
    """
    return round_half_up(Decimal(repr(ratio)).scaleb(2), PERCENT_PLACES)


@lru_cache(maxsize=CACHED)
def percent(ratio: float | None) -> str:
    """0.8535 -> '85.4%' (one decimal, half-up); None -> '—'."""
    if ratio is None:
        return MISSING
    return str(PERCENT_PATTERN.apply(percent_value(ratio).scaleb(-2), LOCALE))


@lru_cache(maxsize=CACHED)
def number(value: float | None) -> str:
    """A reported value at its natural precision: 80 -> '80', 95.50 -> '95.5', 12345 -> '12,345'."""
    if value is None:
        return MISSING
    rounded = round_half_up(value, VALUE_PLACES).normalize()
    if rounded == rounded.to_integral():
        rounded = rounded.quantize(Decimal(1))
    grouped = abs(rounded) >= 10000
    return str(DECIMAL_PATTERN.apply(rounded, LOCALE, group_separator=grouped))


@lru_cache(maxsize=CACHED)
def quantity(value: float | None, unit: str) -> str:
    """A value with its unit as written in 公文: '95%', '80项' ('项/年' shows as '项')."""
    if value is None:
        return MISSING
    return f"{number(value)}{display_unit(unit)}"


def whole_up(value: float | None, integral: bool) -> float | None:
    """A requirement (target, 序时应达值, shortfall) of a count: the least whole number meeting it.

    1.67项 → 2项: with whole counts, a ≥ 1.67 exactly when a ≥ 2, so the shown target agrees
    with the status. Non-integral values pass unchanged.
    """
    if value is None or not integral:
        return value
    return float(ceil(value - WHOLE_TOLERANCE))


def whole_down(value: float | None, integral: bool) -> float | None:
    """A projection of a count: the whole number actually reached (3.43个 → 3个)."""
    if value is None or not integral:
        return value
    return float(floor(value + WHOLE_TOLERANCE))


def is_percent_unit(unit: str) -> bool:
    """The one percent-unit rule: '%' or '％' (spaces around ignored) is a percentage unit."""
    return unit.strip() in PERCENT_UNITS


@lru_cache(maxsize=CACHED)
def display_unit(unit: str) -> str:
    """The unit as it follows a number: '项/年' -> '项', '％' -> '%'."""
    return unit.split("/")[0].strip().replace("％", "%")


@lru_cache(maxsize=CACHED)
def points(gap_pp: float | None) -> str:
    """A gap in percentage points, absolute, one decimal: 16.62 -> '16.6个百分点'."""
    if gap_pp is None:
        return MISSING
    value = round_half_up(abs(gap_pp), PERCENT_PLACES)
    return f"{POINTS_PATTERN.apply(value, LOCALE)}{POINTS_SUFFIX}"


@lru_cache(maxsize=CACHED)
def signed(delta: float | None, places: int, suffix: str = "", zero: str | None = None) -> str:
    """A change with its sign, the one rule for 较上期 and archive diffs: '+5', '-0.5项', '+16.7'.

    ``places`` is VALUE_PLACES (a value at its natural precision, as ``number``) or
    PERCENT_PLACES (percentage points with one fixed decimal, as ``points``); ``suffix`` follows
    the number. A change that rounds to zero has no sign and shows as ``zero`` when given.
    None -> '—'.
    """
    if delta is None:
        return MISSING
    rounded = round_half_up(delta, places)
    if not rounded and zero is not None:
        return zero
    if places == PERCENT_PLACES:
        magnitude = POINTS_PATTERN.apply(abs(rounded), LOCALE)
    else:
        magnitude = number(abs(delta))
    sign = "+" if rounded > 0 else "-" if rounded < 0 else ""
    return f"{sign}{magnitude}{suffix}"


def date_cn(day: date) -> str:
    """2024-06-30 -> '2024年6月30日'."""
    return format_date(day, "long", locale=LOCALE)


def month_day(day: date) -> str:
    """2024-06-17 -> '6月17日'."""
    return format_date(day, "M月d日", locale=LOCALE)


def quarter_name(day: date) -> str:
    """A date in Q2 -> '第二季度'."""
    return format_date(day, "QQQQ", locale=LOCALE)
