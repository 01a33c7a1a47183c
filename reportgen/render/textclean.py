"""User text made safe for WordprocessingML: no XML-illegal characters, no docxtpl markers.

``clean`` runs on every user-supplied string when the context is built. ``protect`` runs on the
finished context: docxtpl turns ``{_{``, ``}_}``, ``{_%`` and ``%_}`` in the *rendered* XML into
``{{``/``}}``/``{%``/``%}``, so a user text containing them would change; for those rare strings
the ``_`` is written as the character reference ``&#95;``, which the XML parser turns back.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from markupsafe import Markup, escape

# XML 1.0 Char excludes C0 controls other than tab/LF/CR, surrogates, U+FFFE and U+FFFF.
ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
DOCXTPL_MARKERS = re.compile(r"\{_[{%]|[}%]_\}")


def clean(text: str | None) -> str:
    """``text`` without XML-illegal characters; CR and CRLF become LF (a line break in Word)."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return ILLEGAL_XML.sub("", text)


def protect(value: Any) -> Any:
    """``value`` (a context object, list, dict or string) with docxtpl marker strings escaped.

    Returns ``value`` itself when nothing in it needed escaping (the usual case).
    """
    if isinstance(value, str):
        if isinstance(value, Markup) or not DOCXTPL_MARKERS.search(value):
            return value
        return Markup(str(escape(value)).replace("_", "&#95;"))
    if isinstance(value, list):
        items = [protect(v) for v in value]
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    if isinstance(value, dict):
        return {k: protect(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for f in dataclasses.fields(value):
            old = getattr(value, f.name)
            new = protect(old)
            if new is not old:
                changes[f.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    return value
