"""Table rows kept as text: which row loops of a template qualify, and finishing their output.

A row loop of the Jinja source docxtpl makes of a template (``{% for … %}<w:tr>…</w:tr>{% endfor
%}``) is spliced when its rows can be written exactly as docxtpl would write them without ever
being parsed:

- its body is whole rows, with no loop, table, drawing, docxtpl marker or listing character
  (tab, line feed, \\a, \\f) of its own, and every ``{{ … }}`` sits in ``w:t`` text or is a
  ``{% cellbg %}`` colour: so each line feed in the output is in text and becomes a ``w:br``
  by one replace;
- the rest of its table holds no tags and every row of the table fills the grid exactly: so
  docxtpl's ``fix_tables`` leaves the table alone, with the rows or without them.

``with_row_blocks`` wraps each such loop in a Jinja block; the renderer (reportgen.render.onepass)
routes the block's output through ``finished_rows`` and leaves a ``placeholder`` in the frame.
Values come XML-escaped (for the built-in templates by ``report.context_mapping``); ``textclean``
has removed XML-illegal characters and protected docxtpl markers in every user text, so the rows
are well-formed by construction.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

BLOCK_PREFIX = "reportgen_rows_"
PLACEHOLDER = re.compile(rb"<\?reportgen-rows (\d+)\?>")
BREAK = '</w:t><w:br/><w:t xml:space="preserve">'
OTHER_LISTING = re.compile("[\t\a\f]")
PARAGRAPH_XML = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)  # as resolve_listing
ROW_END = "</w:tr>"
BATCH = 20_000  # rendered pieces (values and the XML between them) finished at a time

_STATEMENT = re.compile(r"\{%-?\s*(\w+)(?:(?!%\}).)*%\}", re.DOTALL)
_EXPRESSION = re.compile(r"\{\{(?:(?!\}\}).)*\}\}", re.DOTALL)
_MARKER = re.compile(r"\{_[{%]|[}%]_\}")
_FORBIDDEN = re.compile(r"[\t\n\a\f]|<w:tbl[ >]|<wp:docPr[ >]|\{#")
_IN_TEXT = re.compile(r"<w:t(?: [^<>]*)?>[^<>]*$")
_IN_FILL = re.compile(r'<w:shd [^<>]*w:fill="$')
_TABLE_START = re.compile(r"<w:tbl[ >]")
_ROW_START = re.compile(r"<w:tr[ >]")
_CELL_START = re.compile(r"<w:tc[ >]")


def placeholder(index: int) -> str:
    """The processing instruction standing in the frame for the ``index``-th spliced loop."""
    return f"<?reportgen-rows {index}?>"


def block_names(blocks: Iterable[str]) -> list[str]:
    """The names of the row blocks among a template's blocks."""
    return [name for name in blocks if name.startswith(BLOCK_PREFIX)]


def unmark(xml: str) -> str:
    """docxtpl's last step: ``{_{`` ``}_}`` ``{_%`` ``%_}`` become ``{{`` ``}}`` ``{%`` ``%}``."""
    if "_" not in xml or not ("{_" in xml or "_}" in xml):
        return xml
    return xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")


def finished_rows(
    pieces: Iterator[str], resolve_paragraph: Callable[[re.Match[str]], str]
) -> list[bytes]:
    """The rendered rows ``pieces`` as UTF-8 chunks, markers and listing resolved as docxtpl does.

    The pieces are joined ``BATCH`` at a time and cut after the last complete row (the rest is
    carried to the next batch), so each chunk holds whole rows and paragraphs.
    """
    chunks: list[bytes] = []
    carry = ""
    while batch := list(islice(pieces, BATCH)):
        if carry:
            batch.insert(0, carry)
        text = "".join(batch)
        end = text.rfind(ROW_END)
        end = end + len(ROW_END) if end >= 0 else 0
        text, carry = text[:end], text[end:]
        if text:
            chunks.append(_finished(text, resolve_paragraph))
    if carry:
        chunks.append(_finished(carry, resolve_paragraph))
    return chunks


def _finished(text: str, resolve_paragraph: Callable[[re.Match[str]], str]) -> bytes:
    """Whole rows as UTF-8: line feeds alone (the usual case) become ``w:br`` by one replace;
    a tab, \\a or \\f needs docxtpl's paragraph-wise ``resolve_listing``."""
    if "\t" in text or "\a" in text or "\f" in text:
        text = PARAGRAPH_XML.sub(resolve_paragraph, text)
    elif "\n" in text:
        text = text.replace("\n", BREAK)
    return unmark(text).encode()


def with_row_blocks(source: str) -> str:
    """``source`` with each row loop that qualifies (see the module docstring) in a block."""
    edits: list[tuple[int, int]] = []
    for start, body_start, body_end, end in _innermost_loops(source):
        if _rows_only(source[body_start:body_end]) and _table_neutral(source, start, end):
            edits.append((start, end))
    for number, (start, end) in reversed(list(enumerate(edits))):
        source = (
            f"{source[:start]}{{% block {BLOCK_PREFIX}{number} scoped %}}"
            f"{source[start:end]}{{% endblock %}}{source[end:]}"
        )
    return source


def _innermost_loops(source: str) -> Iterator[tuple[int, int, int, int]]:
    """(start, body start, body end, end) of each ``for`` loop with no loop inside."""
    stack: list[tuple[re.Match[str], bool]] = []
    for match in _STATEMENT.finditer(source):
        word = match.group(1)
        if word == "for":
            if stack:
                stack[-1] = (stack[-1][0], True)
            stack.append((match, False))
        elif word == "endfor" and stack:
            opening, nested = stack.pop()
            if not nested:
                yield opening.start(), opening.end(), match.start(), match.end()


def _rows_only(body: str) -> bool:
    """Whole rows, nothing forbidden, every expression in ``w:t`` text or a cell colour."""
    if _FORBIDDEN.search(body) or _MARKER.search(body):
        return False
    flat = _STATEMENT.sub("", body)
    if not (_ROW_START.match(flat) and flat.endswith(ROW_END)):
        return False
    literals = _EXPRESSION.split(flat)
    tag = ""
    for literal in literals[:-1]:
        if "<" in literal:
            tag = literal[literal.rfind("<") :]
        if not (_IN_TEXT.match(tag) or _IN_FILL.match(tag)):
            return False
    return True


def _table_neutral(source: str, start: int, end: int) -> bool:
    """The loop's table has no other tags, and each of its rows has one cell per grid column."""
    starts = list(_TABLE_START.finditer(source, 0, start))
    table_end = source.find("</w:tbl>", end)
    if not starts or table_end < 0:
        return False
    table_start = starts[-1].start()
    outside = source[table_start:start] + source[end:table_end]
    if "{{" in outside or "{%" in outside or len(_TABLE_START.findall(outside)) != 1:
        return False
    table = source[table_start:table_end]
    columns = table.count("<w:gridCol ") + table.count("<w:gridCol/>")
    rows = _ROW_START.split(table)[1:]
    return "w:gridSpan" not in table and all(
        len(_CELL_START.findall(row)) == columns for row in rows
    )
