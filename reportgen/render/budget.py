"""What one user template may cost while it renders: characters, loop steps, time and widths.

A ``Budget`` lives on the sandboxed environment for one report. The sandbox charges it for
every value a tag prints, every loop step and every filter or method result, so a template
that would take gigabytes or run for minutes stops early with a ``BudgetExceeded`` naming the
limit. Width checks (``check_percent_format``, ``check_format_spec``, ``check_replace``, …)
run *before* the operation, since the damage is done by the time a result exists.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Iterator
from time import monotonic

from jinja2.exceptions import SecurityError

MAX_OUTPUT_CHARS = 3_000_000  # characters all tags of one report may print together
MAX_TEXT = 200_000  # characters (or items) of any one value a template builds
MAX_WIDTH = 1_000  # width or precision in a format, slices of |slice
MAX_STEPS = 1_000_000  # loop iterations plus filter and method calls
MAX_SECONDS = 3.0  # rendering time of one report

_PERCENT_FIELD = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d*))?[hlL]?[a-zA-Z%]")
_SPEC_WIDTH = re.compile(r"^(?:.?[<>=^])?[-+ ]?z?#?0?(\d*)[,_]?(?:\.(\d*))?")


class BudgetExceeded(SecurityError):
    """A template went past one of the rendering limits (the message says which)."""


class Budget:
    """Characters printed, steps taken and the deadline of one rendering."""

    def __init__(self, seconds: float = MAX_SECONDS) -> None:
        self.seconds = seconds
        self.deadline = monotonic() + seconds
        self.chars = 0
        self.steps = 0

    def step(self, count: int = 1) -> None:
        """Charge ``count`` steps; BudgetExceeded past the step cap or the deadline."""
        self.steps += count
        if self.steps > MAX_STEPS:
            raise BudgetExceeded(f"循环和运算超过 {MAX_STEPS:,} 步")
        if monotonic() > self.deadline:
            raise BudgetExceeded(f"生成时间超过 {self.seconds:g} 秒")

    def printed(self, value: object) -> None:
        """Charge the characters of one printed value."""
        self.chars += len(str(value)) if isinstance(value, str) else 16
        if self.chars > MAX_OUTPUT_CHARS:
            raise BudgetExceeded(f"模板输出的文字超过 {MAX_OUTPUT_CHARS:,} 个字符")
        self.step()

    def admit(self, value: object) -> object:
        """``value`` (a filter's or method's result) if it is within ``MAX_TEXT``; iterators
        come back wrapped so that each item they yield is charged as a step."""
        self.step()
        if isinstance(value, str | list | tuple | dict):
            check_size(len(value))
        elif isinstance(value, Iterator):
            return self.iterate(value)
        return value

    def iterate(self, items: Iterable[object]) -> Iterator[object]:
        """``items``, charging one step per item."""
        for item in items:
            self.step()
            yield item


def check_size(size: int) -> None:
    """BudgetExceeded when one value would hold more than ``MAX_TEXT`` characters or items."""
    if size > MAX_TEXT:
        raise BudgetExceeded(f"模板生成的单个文字或列表超过 {MAX_TEXT:,} 个字符（项）")


def check_width(width: int, what: str) -> None:
    if width > MAX_WIDTH:
        raise BudgetExceeded(f"{what}的宽度或精度为 {width:,}，超过上限 {MAX_WIDTH:,}")


def check_percent_format(text: str) -> None:
    """Widths and precisions of ``%`` formatting; ``*`` (width from an argument) is refused."""
    for match in _PERCENT_FIELD.finditer(text):
        for number in match.groups():
            if number == "*":
                raise BudgetExceeded("“%”格式中不允许用 * 指定宽度")
            if number:
                check_width(int(number), "“%”格式")


def check_format_spec(text: str) -> None:
    """Widths and precisions in a ``str.format`` string; nested fields in a spec are refused."""
    try:
        fields = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise BudgetExceeded(f"格式字符串有误（{exc}）") from None
    for _, _, spec, _ in fields:
        if not spec:
            continue
        if "{" in spec:
            raise BudgetExceeded("format 格式中不允许嵌套 {}")
        found = _SPEC_WIDTH.match(spec)
        for number in found.groups() if found else ():
            if number:
                check_width(int(number), "format 格式")


def check_replace(text: str, old: str, new: str, count: int = -1) -> None:
    """The length ``text.replace(old, new, count)`` would have, checked before replacing."""
    hits = len(text) + 1 if old == "" else text.count(old)
    if count >= 0:
        hits = min(hits, count)
    check_size(len(text) + hits * (len(new) - len(old)))


def check_join(separator: object, items: list[object]) -> None:
    """The length a join would have: the items' lengths plus the separators'."""
    sizes = [len(t) if isinstance(t, str) else 16 for t in items]
    gap = len(separator) if isinstance(separator, str) else 0
    check_size(sum(sizes) + gap * max(len(sizes) - 1, 0))
