"""The forms people type, turned into the canonical ones before a command runs, and echoed.

"2024年第二季度" → 2024-Q2, "2024年10月10日" → 2024-10-10, "季度" → quarterly, "济南" →
jinan-2023-metrology. Each parameter is recognised by its name (the same names across commands);
the parsing itself is the library's (``periods``, ``render.report.report_kind``,
``plan.catalog.resolve_plan_ref``). A value the library cannot read is left as typed, so the
command reports it with its own message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportgen.cli.common import print_notice
from reportgen.errors import ReportgenError


def _period(text: str) -> str:
    from reportgen.periods import parse_period

    period = parse_period(text)
    return _echo(text, period.key, f"按 {period.key}（{period.label}）处理")


def _date(text: str) -> str:
    from reportgen.periods import parse_date

    day = parse_date(text).isoformat()
    return _echo(text, day, f"按 {day} 处理")


def _report_kind(text: str) -> str:
    from reportgen.render.report import report_kind

    kind = report_kind(text)
    return _echo(text, kind, f"按报告类型 {kind} 处理")


def _plan(text: str) -> str:
    from reportgen.plan.catalog import resolve_plan_ref

    parts = [part.strip() for part in text.split(",")]
    ids = [resolve_plan_ref(part) if part else part for part in parts]
    for part, plan_id in zip(parts, ids, strict=True):
        _echo(part, plan_id, f"按方案 {plan_id} 处理")
    return ",".join(ids)


def _echo(typed: str, canonical: str, message: str) -> str:
    if typed.strip() != canonical:
        print_notice(f"“{typed}”{message}。")
    return canonical


NORMALISERS: dict[str, Callable[[str], str]] = {
    "period": _period,
    "periods": _period,
    "date": _date,
    "as_of": _date,
    "today": _date,
    "deadline": _date,  # a working-day count ("5个工作日") is left to the command
    "kind": _report_kind,
}
PLAN_PARAMS = ("plan", "plans")


def normalise(command_name: str, params: dict[str, Any]) -> None:
    """Rewrite ``params`` (a command's parsed values) in place into canonical forms."""
    for name, value in params.items():
        convert = NORMALISERS.get(name)
        if name in PLAN_PARAMS and command_name not in {"validate", "list"}:
            convert = _plan
        if convert is None or value in (None, "", (), []):
            continue
        params[name] = _apply(convert, value)


def _apply(convert: Callable[[str], str], value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return type(value)(_apply(convert, item) for item in value)
    if not isinstance(value, str):
        return value
    try:
        return convert(value)
    except ReportgenError:
        return value  # the command itself says what is wrong, in context
