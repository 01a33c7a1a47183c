"""The sandbox boundary: what a template is handed is plain data and purpose-made records.

``plain`` turns the report context into text, numbers, dates, lists and dicts, with each data
class becoming a ``Record`` (its fields and nothing else), in one walk that also protects text
from docxtpl's markers (``textclean.protect``). For the built-in templates the text comes
XML-escaped and the context's own records (classes with nothing but fields) are handed over
as they are when nothing in them needed escaping. Charts are marker strings that render swaps for
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

from reportgen.render.textclean import as_xml, may_hold_marker, needs_escape, protected


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
_FLAT = frozenset({str, bool, int, float, type(None)})  # str() of a number holds no & < > " ' _


def plain(value: Any, escaped: bool = False) -> Any:
    """``value`` as plain data with its text protected (see the module docstring).

    ``escaped``: for a template rendered without autoescaping (the built-in ones), text that
    XML would escape comes escaped, as Markup (``textclean.as_xml``); otherwise text is left
    for the template's autoescaping, markers protected (``textclean.protected``).
    TypeError for anything that is not text, a number, a date, a list, a dict or a data class.
    """
    kind = type(value)
    if kind is str:
        return as_xml(value) if escaped else protected(value)
    if kind in _AS_IS:
        return value
    if kind is list:
        return [plain(v, escaped) for v in value]
    convert = _CONVERTERS.get((kind, escaped)) or _converter(kind, escaped)
    return convert(value) if convert is not None else _other(value, escaped)


_CONVERTERS: dict[tuple[type, bool], Callable[[Any], Any]] = {}


def _converter(kind: type, escaped: bool) -> Callable[[Any], Any] | None:
    """The function making a data class's Record (made once per class); None for others.

    For a built-in template (``escaped``), a record of the context whose class has nothing but
    its fields (``_fields_only``) is handed over itself when none of its values needed a change.
    """
    if not dataclasses.is_dataclass(kind):
        return None
    names = tuple(f.name for f in dataclasses.fields(kind))
    values = attrgetter(*names) if len(names) > 1 else lambda v: (getattr(v, names[0]),)
    text, needs_work = (as_xml, needs_escape) if escaped else (protected, may_hold_marker)
    keep = escaped and _fields_only(kind, names)

    def convert(value: Any) -> Any:
        found = values(value)
        # the usual record: text and numbers only, none needing work (one check of them all)
        if _FLAT.issuperset(map(type, found)) and not needs_work("\0".join(map(str, found))):
            return value if keep else Record(**dict(zip(names, found, strict=True)))
        made = [text(v) if type(v) is str else plain(v, escaped) for v in found]
        if keep and all(new is old for new, old in zip(made, found, strict=True)):
            return value
        return Record(**dict(zip(names, made, strict=True)))

    _CONVERTERS[kind, escaped] = convert
    return convert


def _fields_only(kind: type, names: tuple[str, ...]) -> bool:
    """Whether ``kind`` has no attribute a template could reach but its fields (no method,
    property or class attribute of another name: the sandbox refuses the rest, dunders)."""
    return all(name.startswith("_") or name in names for name in dir(kind))


def _other(value: Any, escaped: bool) -> Any:
    """Subclasses of the plain types, tuples and mappings; TypeError for anything else."""
    if isinstance(value, Markup | Record):
        return value
    if isinstance(value, str):
        return plain(str(value), escaped)
    if isinstance(value, bool | int | float):
        return float(value) if isinstance(value, float) else int(value)  # IntEnum and the like
    if isinstance(value, date):
        return value
    if isinstance(value, list | tuple):
        return [plain(v, escaped) for v in value]
    if isinstance(value, Mapping):
        return {str(k): plain(v, escaped) for k, v in value.items()}
    raise TypeError(f"not plain data for a template: {type(value).__name__}")
