"""Reading one cell's value the way a clerk meant it (pure functions, no I/O).

Accepted: numbers; numeric text with spaces, 全角 digits, thousands separators and the indicator's
own unit as a suffix (``12项``, ``85％``); 0.85 in a %-formatted cell of a % indicator (= 85).
Blank and the placeholders ``— - / 无 暂无`` mean 未填报 (None), never zero.
Anything else raises CellValueError with a Chinese message saying what to enter instead.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, time, timedelta

from reportgen import fmt
from reportgen.fmt import is_percent_unit
from reportgen.limits import MAX_ABS_VALUE

BLANK_TOKENS = frozenset({"", "—", "——", "–", "-", "--", "/", "无", "暂无", "未填报"})
_NUMBER = re.compile(r"([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+)(.*)")
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_WHITESPACE = re.compile(r"\s+")
_STRAY_DIGITS = re.compile(r"[\d,.]")  # '1,23' is not 1 with the unit ',23'
FIRST_REAL_DAY = date(1901, 1, 1)  # earlier "dates" are small numbers typed into a date cell
_SCALE_PLACES = 10  # 0.85 * 100 -> 85.00000000000001; trim float noise after scaling


class CellValueError(ValueError):
    """A cell whose content cannot be taken as the value asked for; ``str()`` is the message."""


def normalize_text(text: str) -> str:
    """NFKC (全角 -> 半角) with all whitespace removed: '１２ 项' -> '12项'."""
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", text))


def is_blank(raw: object) -> bool:
    """True for an empty cell or a placeholder meaning 未填报."""
    if raw is None:
        return True
    return isinstance(raw, str) and normalize_text(raw) in BLANK_TOKENS


def parse_number(raw: object, unit: str, percent_cell: bool = False) -> float | None:
    """The number a cell holds for an indicator measured in ``unit``; None when blank.

    ``percent_cell`` says the cell has a % number format, so 0.85 displays as 85%.
    """
    if type(raw) is float and not percent_cell and -MAX_ABS_VALUE < raw < MAX_ABS_VALUE:
        return raw  # the usual cell: a finite number as such (NaN fails the comparison)
    if is_blank(raw):
        return None
    if isinstance(raw, bool):
        raise CellValueError("这里应填数字，不能是“是/否”（TRUE/FALSE）。请填写数字，如 12。")
    if isinstance(raw, int | float):
        return _sane(_from_number(float(raw), unit, percent_cell))
    if isinstance(raw, datetime | date | time | timedelta):
        raise CellValueError(
            "单元格是日期或时间格式，不是数字。请把单元格格式改为“常规”后重新填写数字。"
        )
    return _sane(_from_text(str(raw), unit))


def _sane(value: float) -> float:
    """Refuse NaN, infinities and magnitudes no indicator has (a slip of the keyboard)."""
    if not math.isfinite(value) or abs(value) >= MAX_ABS_VALUE:
        raise CellValueError(
            f"数值“{value:g}”无效或过大（绝对值应小于一千万亿）。"
            "请检查是否多填了位数，只填写数字，如 12 或 12.5。"
        )
    return value


def _from_number(value: float, unit: str, percent_cell: bool) -> float:
    if not percent_cell:
        return value
    if not is_percent_unit(unit):
        raise CellValueError(
            f"单元格设置成了百分比格式，但本指标的单位是“{unit}”。"
            "请把单元格格式改为“常规”后填写数字。"
        )
    return round(value * 100, _SCALE_PLACES)


def _from_text(text: str, unit: str) -> float:
    cleaned = normalize_text(text)
    match = _NUMBER.fullmatch(cleaned)
    if not match or _STRAY_DIGITS.search(match[2]):
        raise CellValueError(
            f"“{_clip(text)}”不是数字。请只填写数字（如 12 或 12.5），文字说明请写在“填报说明”列。"
        )
    value = float(match[1].replace(",", ""))
    suffix = match[2]
    if suffix and not _unit_matches(suffix, unit):
        expected = f"以“{unit}”为单位的" if unit else ""
        raise CellValueError(
            f"“{_clip(text)}”的单位“{suffix}”与本指标的单位“{unit or '无'}”不一致。"
            f"请换算后只填写{expected}数字。"
        )
    return value


def _unit_matches(suffix: str, unit: str) -> bool:
    """'项' matches unit '项/年'; '%' and '％' match a percent unit."""
    if is_percent_unit(unit):
        return suffix in fmt.PERCENT_UNITS
    wanted = normalize_text(unit)
    return bool(wanted) and suffix in {wanted, normalize_text(fmt.display_unit(unit))}


def range_problem(value: float, unit: str, allow_negative: bool) -> str | None:
    """Why ``value`` is impossible for the indicator, or None when it is acceptable."""
    if value < 0 and not allow_negative:
        return f"完成值不能为负数（填的是 {fmt.number(value)}）。请填写 0 或正数。"
    if is_percent_unit(unit) and value > 100:
        return (
            f"百分比指标的完成值不能超过 100（填的是 {fmt.number(value)}）。"
            "请填写 0 到 100 之间的数字，如 95 表示 95%。"
        )
    return None


def parse_day(raw: object) -> date | None:
    """A 数据截至日期 cell: a date cell or text like 2024-06-30, 2024/6/30, 2024年6月30日."""
    if is_blank(raw):
        return None
    if isinstance(raw, datetime | date):
        day = raw.date() if isinstance(raw, datetime) else raw
        if day < FIRST_REAL_DAY:
            raise CellValueError(
                f"“{excel_serial(day)}”不是日期（在日期格式的单元格里显示为 {day.isoformat()}）。"
                "请按 2024-06-30 的格式填写完整日期，或留空（表示报告期末）。"
            )
        return day
    match = _DATE.fullmatch(normalize_text(str(raw))) if isinstance(raw, str) else None
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    raise CellValueError(
        f"“{_clip(str(raw))}”不是有效的日期。请按 2024-06-30 的格式填写，或留空（表示报告期末）。"
    )


def excel_serial(day: date) -> int:
    """The number Excel shows as ``day`` (1900-01-11 is 11; Excel counts a 1900-02-29)."""
    epoch = date(1899, 12, 31) if day < date(1900, 3, 1) else date(1899, 12, 30)
    return (day - epoch).days


def cell_text(raw: object) -> str:
    """A text cell as written (numbers and dates rendered plainly); blank -> ''."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime | date):
        return raw.isoformat()
    return str(raw).strip()


def _clip(text: str, limit: int = 30) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[:limit] + "…"
