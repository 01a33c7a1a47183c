"""User text made safe for WordprocessingML: no XML-illegal characters, no docxtpl markers.

``clean`` runs on every user-supplied string when the context is built. ``protect`` runs on
each text of the finished context (``plain.plain``): docxtpl turns ``{_{``, ``}_}``, ``{_%``
and ``%_}`` in the *rendered* XML into ``{{``/``}}``/``{%``/``%}``, so a user text containing
them would change; for those rare strings the ``_`` is written as the character reference
``&#95;``, which the XML parser turns back.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

# XML 1.0 Char excludes C0 controls other than tab/LF/CR, surrogates, U+FFFE and U+FFFF.
ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
DOCXTPL_MARKERS = re.compile(r"\{_[{%]|[}%]_\}")


def clean(text: str | None) -> str:
    """``text`` without XML-illegal characters; CR and CRLF become LF (a line break in Word)."""
    if not text:
        return ""
    if text.isprintable():  # no control, surrogate or non-character: the usual case
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return ILLEGAL_XML.sub("", text)


def protect(text: str) -> str:
    """``text`` with docxtpl marker strings escaped (as Markup); ``text`` itself without any."""
    if isinstance(text, Markup) or not DOCXTPL_MARKERS.search(text):
        return text
    return Markup(str(escape(text)).replace("_", "&#95;"))


def as_xml(text: str) -> str:
    """``text`` for a template that does not escape: escaped (Markup, markers protected) when
    it holds a character XML escapes or a marker, ``text`` itself otherwise (the usual case)."""
    if isinstance(text, Markup) or not needs_escape(text):
        return text
    return protect(text) if DOCXTPL_MARKERS.search(text) else escape(text)


def protected(text: str) -> str:
    """``protect`` for a template that escapes, skipping text that cannot hold a marker."""
    return protect(text) if may_hold_marker(text) else text


def may_hold_marker(text: str) -> bool:
    """Whether ``text`` holds a "_", as every docxtpl marker does."""
    return "_" in text


def needs_escape(text: str) -> bool:
    """Whether ``as_xml`` may change ``text``: it holds & < > " ' or a "_" (a marker's)."""
    return "_" in text or "&" in text or "<" in text or ">" in text or '"' in text or "'" in text
