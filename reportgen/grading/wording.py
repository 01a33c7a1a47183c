"""The Chinese words of a 评议 result: places, reasons, and the sentences of the 通报."""

from __future__ import annotations

from decimal import Decimal

from reportgen import fmt

GRADE_EFFECT_NAMES = {"downgrade": "降级", "veto": "否决"}


def score(value: Decimal) -> str:
    """A score as written in the 通报: 92.5, 100, -2."""
    return fmt.number(float(value))


def place(number: int, tied: bool) -> str:
    """'第4名' or, for a shared place, '并列第4名'."""
    return f"{'并列' if tied else ''}第{number}名"


def grade_reason(grade: str) -> str:
    return f"评议结果为{grade}级"


def rise_reason(before: int, now: int) -> str:
    return f"名次较上年度前移{before - now}位（由第{before}名升至第{now}名）"


def fall_reason(before: int, now: int) -> str:
    return f"名次较上年度后移{now - before}位（由第{before}名降至第{now}名）"


def last_places_reason(count: int, number: int, tied: bool) -> str:
    return f"评议名列后{count}位（{place(number, tied)}）"


def situation_reason(name: str, clause: str) -> str:
    return f"{name}（{clause}）"


def excluded_reason(effect: str) -> str:
    return f"存在{GRADE_EFFECT_NAMES[effect]}情形，不列入"


def change(before: int | None, now: int) -> str:
    """The change of place for tables: '↑3', '↓2', '—' (unchanged) or '' (no last year)."""
    if before is None:
        return ""
    if before == now:
        return "持平"
    return f"↑{before - now}" if before > now else f"↓{now - before}"


def joined(names: list[str]) -> str:
    return "、".join(names)
