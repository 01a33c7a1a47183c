"""The sandbox boundary: what a template is handed is plain data and purpose-made objects.

``plain`` turns the report context into text, numbers, dates, lists and dicts, with each data
class becoming a ``Record`` (its fields and nothing else). Charts are marker strings that
render swaps for the drawing after rendering (``report.place_charts``), so no library object
(docxtpl's template, python-docx parts, file handles) is ever within a template's reach.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date
from typing import Any

from markupsafe import Markup


class Record:
    """A data class's fields as data: ``r.name`` or ``r['name']``, and nothing else."""

    __slots__ = ("_fields",)

    def __init__(self, fields: dict[str, Any]) -> None:
        self._fields = fields

    def __getattr__(self, name: str) -> Any:
        try:
            return self._fields[name]
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, name: str) -> Any:
        return self._fields[name]

    def __contains__(self, name: object) -> bool:
        return name in self._fields

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Record) and other._fields == self._fields

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Record({self._fields!r})"


_SCALARS = (bool, int, float, date, type(None))


def plain(value: Any) -> Any:
    """``value`` as plain data (see the module docstring); TypeError for anything else."""
    if isinstance(value, Markup | Record):
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, _SCALARS):
        return value if type(value) in _SCALARS or isinstance(value, date) else _number(value)
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return Record({f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)})
    raise TypeError(f"not plain data for a template: {type(value).__name__}")


def _number(value: Any) -> int | float:
    """An int or float subclass (an IntEnum, numpy-like scalars) as the built-in type."""
    return float(value) if isinstance(value, float) else int(value)
