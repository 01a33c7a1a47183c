"""Command-line values turned into Python ones without the framework's pydantic adapters.

Typer converts every parameter through a pydantic ``TypeAdapter`` built on first use: about
30 ms of a report's start (importing the adapters and building one per parameter) for values
that are text, paths, whole numbers and flags. ``simple_runtime_param`` converts those kinds
directly, with the same rules (a path is checked by the framework's own path check, a number
against its ``min``/``max``); anything else keeps the framework's adapter. A value that does not
convert raises the framework's ``BadParameter`` caused by ``InvalidValue``, whose reason is in
Chinese.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from typer._click import Context
from typer._click.exceptions import BadParameter
from typer._coercion import RuntimeParam, TypeDescriptor
from typer._param_types import coerce_cli_path

NUMBER_REASONS = {int: "必须是整数", float: "必须是数字"}


class InvalidValue(ValueError):
    """A value typed on the command line that does not convert: what was typed, and why."""

    def __init__(self, value: object, reason: str) -> None:
        super().__init__(reason)
        self.value = value
        self.reason = reason


@dataclass(frozen=True)
class SimpleRuntimeParam(RuntimeParam):
    """Conversion of text, paths, numbers and flags (or a list of one of them)."""

    leaf: type

    def _coerce_value(self, value: Any, param: Any, ctx: Context) -> Any:
        try:
            if isinstance(value, (list, tuple)):
                return [self._leaf(item, param, ctx) for item in value]
            return self._leaf(value, param, ctx)
        except InvalidValue as exc:
            raise BadParameter(exc.reason, ctx=ctx, param=param) from exc

    def _leaf(self, value: Any, param: Any, ctx: Context) -> Any:
        if self.leaf is Path:
            path = value if isinstance(value, Path) else Path(str(value))
            return coerce_cli_path(path, self.parameter_info, path_type=Path, param=param, ctx=ctx)
        if self.leaf in NUMBER_REASONS:
            return self._number(value)
        if self.leaf is bool and isinstance(value, str):
            return _flag(value)
        return value if isinstance(value, self.leaf) else self.leaf(value)

    def _number(self, value: Any) -> int | float:
        try:
            number: int | float = self.leaf(value.strip() if isinstance(value, str) else value)
        except (TypeError, ValueError):
            raise InvalidValue(value, NUMBER_REASONS[self.leaf]) from None
        low, high = self.parameter_info.min, self.parameter_info.max
        if low is not None and number < low:
            raise InvalidValue(value, f"不能小于 {low}")
        if high is not None and number > high:
            raise InvalidValue(value, f"不能大于 {high}")
        return number


def _flag(text: str) -> bool:
    word = text.strip().lower()
    if word in {"", "0", "false", "f", "no", "n", "off"}:
        return False
    if word in {"1", "true", "t", "yes", "y", "on"}:
        return True
    raise InvalidValue(text, "只能是是或否")


def simple_runtime_param(descriptor: TypeDescriptor) -> SimpleRuntimeParam | None:
    """The direct conversion for ``descriptor``'s type, or None for the framework's own."""
    info = descriptor.parameter_info
    leaf: Any = descriptor.annotation  # the framework has already taken the "| None" off
    if typing.get_origin(leaf) is list:
        (leaf,) = typing.get_args(leaf)
    if info.parser or info.clamp or descriptor.is_file or leaf not in (str, Path, int, float, bool):
        return None
    return SimpleRuntimeParam(info, descriptor.annotation, leaf)
