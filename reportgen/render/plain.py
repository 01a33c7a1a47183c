"""The sandbox boundary: what a template is handed is plain data and purpose-made records.

``plain`` turns the report context into text, numbers, dates, lists and dicts, with each data
class becoming a ``Record`` (its fields and nothing else), in one walk that also protects text
from docxtpl's markers (``textclean.protect``). Charts are marker strings that render swaps for
the drawing after rendering (``report.place_charts``), so no library object (docxtpl's template,
python-docx parts, file handles) is ever within a template's reach.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from datetime import date
from operator import attrgetter
from types import SimpleNamespace
from typing import Any

from markupsafe import Markup

from reportgen.render.textclean import protect


class Record(SimpleNamespace):
    """A data class's fields as data: ``r.name`` or ``r['name']``, and nothing else.

    The fields live in the instance dict, so a template reads them natively (no Python
    ``__getattr__``); the type has no attribute of its own but dunders, which the sandbox
    refuses. Records compare by their fields.
    """

    __slots__ = ()

    def __getitem__(self, name: str) -> Any:
        return self.__dict__[name]

    def __contains__(self, name: object) -> bool:
        return name in self.__dict__


_AS_IS = frozenset({bool, int, float, date, type(None), Markup, Record})


def plain(value: Any) -> Any:
    """``value`` as plain data with its text protected (see the module docstring).

    TypeError for anything that is not text, a number, a date, a list, a dict or a data class.
    """
    kind = type(value)
    if kind is str:
        return protect(value) if "_" in value else value  # every marker holds a "_"
    if kind in _AS_IS:
        return value
    if kind is list:
        return [plain(v) for v in value]
    convert = _CONVERTERS.get(kind) or _converter(kind)
    return convert(value) if convert is not None else _other(value)


_CONVERTERS: dict[type, Callable[[Any], Record]] = {}


def _converter(kind: type) -> Callable[[Any], Record] | None:
    """The function making a data class's Record (made once per class); None for others."""
    if not dataclasses.is_dataclass(kind):
        return None
    names = tuple(f.name for f in dataclasses.fields(kind))
    values = attrgetter(*names) if len(names) > 1 else lambda v: (getattr(v, names[0]),)

    def convert(value: Any) -> Record:
        fields = dict(zip(names, values(value), strict=True))
        for name, field in fields.items():
            of = type(field)
            if of is str:
                if "_" in field:
                    fields[name] = protect(field)
            elif of not in _AS_IS:
                fields[name] = plain(field)
        return Record(**fields)

    _CONVERTERS[kind] = convert
    return convert


def _other(value: Any) -> Any:
    """Subclasses of the plain types, tuples and mappings; TypeError for anything else."""
    if isinstance(value, Markup | Record):
        return value
    if isinstance(value, str):
        return plain(str(value))
    if isinstance(value, bool | int | float):
        return float(value) if isinstance(value, float) else int(value)  # IntEnum and the like
    if isinstance(value, date):
        return value
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    raise TypeError(f"not plain data for a template: {type(value).__name__}")
