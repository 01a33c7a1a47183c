"""Units, numbers and indicator names: measure words, printed numbers, and name comparison.

Name comparison (used to merge a prose target into the table row it repeats, and by the tests to
score a draft against a hand-made catalog):
- ``normalise_name``: NFKC (full-width -> half-width), a unit in trailing brackets removed, then
  everything but letters, digits and CJK characters removed (spaces, punctuation, brackets).
- ``same_name``: equal after normalising, or one contains the other (the shorter at least 4
  characters), or difflib ratio >= 0.8.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import lru_cache

from reportgen.extract.grammar import UNIT, parse_number

__all__ = [
    "UNIT",
    "common_run",
    "is_unit",
    "normalise_name",
    "parse_number",
    "same_name",
    "split_unit",
]

_UNIT_ONLY = re.compile(rf"^{UNIT}$")
# A unit written in brackets at the end of a name: "注册计量师（人）", "覆盖率（%）".
_BRACKET_UNIT = re.compile(r"^(?P<name>.+?)\s*[（(](?P<unit>[^（）()]{1,8})[）)]$")
_NOT_WORD = re.compile(r"[^0-9a-z\u3400-\u9fff]")
SIMILAR = 0.8
MIN_CONTAINED = 4


def is_unit(text: str) -> bool:
    return bool(_UNIT_ONLY.match(text.strip()))


def split_unit(name: str) -> tuple[str, str]:
    """("注册计量师", "人") from "注册计量师（人）"; brackets that are not a unit stay in the name."""
    match = _BRACKET_UNIT.match(name.strip())
    if match and is_unit(match.group("unit")):
        return match.group("name").strip(), match.group("unit").strip()
    return name.strip(), ""


@lru_cache(maxsize=4096)
def normalise_name(name: str) -> str:
    """The comparable core of a name (see the module docstring)."""
    text = unicodedata.normalize("NFKC", name).lower()
    return _NOT_WORD.sub("", split_unit(text)[0])


@lru_cache(maxsize=65536)
def same_name(a: str, b: str) -> bool:
    """Do two indicator (or task) names denote the same thing?"""
    x, y = normalise_name(a), normalise_name(b)
    if not x or not y:
        return False
    if x == y:
        return True
    short, long = sorted((x, y), key=len)
    if len(short) >= MIN_CONTAINED and short in long:
        return True
    return difflib.SequenceMatcher(None, x, y).ratio() >= SIMILAR


def common_run(a: str, b: str) -> int:
    """Length of the longest run of characters two normalised names share."""
    x, y = normalise_name(a), normalise_name(b)
    match = difflib.SequenceMatcher(None, x, y).find_longest_match(0, len(x), 0, len(y))
    return match.size
