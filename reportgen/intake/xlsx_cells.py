"""What calamine does not tell: per-cell facts read straight from an .xlsx package's XML.

The only module that touches SpreadsheetML (and, for ``ods_extent``, OpenDocument XML).
Before any library loads a sheet, ``scan_sheet`` (``ods_extent`` for .ods) measures how far it
reaches and, in the same streaming pass over the decompressed part, finds numeric cells with a
% number format, formulas without a cached value (files written by programs and never opened in
Excel/WPS) and error values such as ``#DIV/0!``: by byte patterns where cells are written as
Excel writes them, else by an exact expat pass.
DTDs and entity declarations are refused, so no entity expansion can happen.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO
from xml.parsers import expat

from reportgen.intake.layout import column_letter

_BUILTIN_PERCENT = frozenset({9, 10})
_BUILTIN_PERCENT_ID = re.compile(rb"numFmtId=[\"'](?:9|10)[\"']")
_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')
_REF = re.compile(r"([A-Z]+)(\d+)")
# The cell grammar calamine accepts: letters of either case and any length, spaces around '='.
_ROW_OR_CELL = re.compile(rb"<(?:[\w.-]+:)?(row|c)(?=[\s/>])([^>]*)>")
_R_ATTRIBUTE = re.compile(rb"(?<![\w.-])r\s*=\s*[\"']([A-Za-z]*)(\d*)")
# Excel's own spelling, the usual case. Every row tag: its number, b"" when not spelled so;
# every cell tag: its column letters, b"" when not spelled so; the row numbers of the cells.
_FAST_ROW = re.compile(rb'<row(?=[\s/>])(?: r="(\d+)")?')
_FAST_COLUMN = re.compile(rb'<c(?=[\s/>])(?: r="([A-Za-z]+)(?=\d))?')
_FAST_CELL_ROW = re.compile(rb'<c r="[A-Za-z]+(\d+)"')
# Spellings ``_Position.fast`` could miss (a tag name followed by a line break or tab, a
# namespace prefix); other odd ones (``r = '…'``, ``r`` not first) fail the opener counts.
_ODD_CHARACTERS = (b"\n", b"\t", b"\r")  # single bytes: each found at memchr speed
_ODD_PREFIXES = (b":c", b":row")
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)")
_EXTENT_CHUNK = 1 << 20
_UNIQUE_COUNT = re.compile(rb"uniqueCount\s*=\s*[\"'](\d+)")
_ODS_TAG = re.compile(
    rb"<(/?)table:(table|table-row|table-cell|covered-table-cell)(?=[\s/>])([^>]*)>"
)
_ROWS_REPEATED = re.compile(rb"number-rows-repeated=[\"'](\d+)")
_COLUMNS_REPEATED = re.compile(rb"number-columns-repeated=[\"'](\d+)")
_FORMULA_MARKS = (
    b"<f>",
    b"<f ",
    b"<f/>",
    b":f>",
    b":f ",
    b":f/>",
)  # <f>, <x:f t="shared"/> …
_ERROR_MARKS = (b't="e"', b"t='e'")
_STYLE = re.compile(rb"\ss=[\"'](\d+)[\"']")
# Cells as Excel writes them, whose flags these byte patterns decide (groups: reference, the
# rest of the opening tag, the value element); ``_fast_flags`` counts that every formula, error
# and %-styled cell of a chunk matched, else the chunk needs the exact scan.
_REF_GROUP = rb'<c r="([A-Z]+[1-9][0-9]*)"'
_FORMULA = rb"<f(?:[ /][^>]*)?>(?:[^<]*</f>)?"
_VALUE = rb"(<v>[^<]*</v>|<v/>)?"
_FORMULA_CELL = re.compile(_REF_GROUP + rb"([^>]*)>" + _FORMULA + _VALUE + rb"</c>")
_ERROR_CELL = re.compile(
    _REF_GROUP + rb'([^>]*\st="e"[^>/]*)(?:/>|>(?:' + _FORMULA + rb")?" + _VALUE + rb"</c>)"
)
_PLAIN_FORMULA_MARKS = (b"<f>", b"<f ", b"<f/>")
# Quick tests for formulas and error values (a regular expression with a literal start finds
# these faster than ``in``)
_ANY_FORMULA = re.compile(rb"<f[ />]")
_ERROR_TYPE = re.compile(rb't="e"')
_EMPTY_VALUES = (b"<v></v>", b"<v/>")
_UNSURE_PREFIXED = (
    b":f",
    b":v",
)  # spellings the patterns do not follow (a prefix, ' quotes)
_UNSURE_QUOTED = (b"t='", b"s='")


class UnsafeXml(ValueError):
    """The package holds a DTD or entity declarations (possible entity-expansion attack)."""


@dataclass
class CellFlags:
    """Facts about one sheet's cells, by reference ('H7')."""

    percent: set[str] = field(default_factory=set)
    formulas: set[str] = field(default_factory=set)
    errors: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Extent:
    """How far a worksheet's XML reaches: last row, last column (1-based) and cell elements."""

    rows: int
    columns: int
    cells: int

    def beyond(self, bound: Extent) -> bool:
        return self.rows > bound.rows or self.columns > bound.columns or self.cells > bound.cells


def scan_sheet(
    package: zipfile.ZipFile, part: str, bound: Extent, percent_styles: frozenset[int]
) -> tuple[Extent, CellFlags]:
    """The extent of one worksheet and its CellFlags, from one streaming pass over its XML.

    Libraries allocate the whole rectangle up to the farthest cell, so one cell at XFD1048576
    would take hundreds of gigabytes: this runs before any library loads the sheet. Positions
    are worked out as calamine does (a row or cell without ``r`` follows the previous one).
    Reading stops as soon as a figure passes ``bound`` (the extent then shows which; the flags
    are then incomplete). ``percent_styles`` from ``percent_styles``. Raises UnsafeXml for a
    DTD, expat.ExpatError for XML the exact scan cannot parse.
    """
    state = _Position()
    flags = CellFlags()
    percent = _percent_pattern(percent_styles)
    extent, exact = Extent(0, 0, 0), False
    with package.open(part) as stream:
        for data in _whole_tag_chunks(stream):
            if _DTD.search(data):
                raise UnsafeXml("DTD")
            plain = state.fast(data)
            if not plain:
                state.exact(data)
            extent = Extent(state.rows, state.columns, state.cells)
            if extent.beyond(bound):
                return extent, flags
            exact = exact or not (plain and _fast_flags(data, flags, percent))
    if exact:  # some cell spelled otherwise: the whole part again, element by element
        flags = _scan_sheet(package.read(part), percent_styles)
    return extent, flags


def _fast_flags(data: bytes, flags: CellFlags, percent: _Patterns | None) -> bool:
    """Add the flags of one chunk (of plain spelling) found by the byte patterns; False when
    some formula, error or %-styled cell did not match them (the flags are then unreliable)."""
    if _holds(data, b":", _UNSURE_PREFIXED) or _holds(data, b"'", _UNSURE_QUOTED):
        return False
    marks = sum(data.count(m) for m in _PLAIN_FORMULA_MARKS) if _ANY_FORMULA.search(data) else 0
    formulas = _FORMULA_CELL.findall(data) if marks else []
    typed = _ERROR_TYPE.search(data) is not None
    errors = _ERROR_CELL.findall(data) if typed else []
    if len(formulas) != marks or (typed and len(errors) != data.count(b't="e"')):
        return False
    styled: list[tuple[bytes, bytes, bytes]] = []
    if percent is not None and percent[2].search(data):
        opened, whole, _ = percent
        count = len(opened.findall(data))
        styled = whole.findall(data) if count else []
        if len(styled) != count:
            return False
    if any(b"&" in value for _, _, value in errors):
        return False  # an escaped error value: leave it to expat
    flags.formulas.update(
        _texts(
            ref
            for ref, attrs, value in formulas
            if not value or (value in _EMPTY_VALUES and b' t="str"' not in attrs)
        )
    )
    for ref, _, value in errors:
        if value not in _EMPTY_VALUES and value:
            flags.errors[ref.decode()] = value[3:-4].decode()
        elif ref.decode() not in flags.formulas:
            flags.errors[ref.decode()] = "#N/A"
    flags.percent.update(
        _texts(
            ref
            for ref, attrs, value in styled
            if value not in _EMPTY_VALUES and value and (b' t="' not in attrs or b' t="n"' in attrs)
        )
    )
    return True


def _holds(data: bytes, byte: bytes, needles: tuple[bytes, ...]) -> bool:
    """Whether ``data`` holds one of ``needles``, all starting with ``byte``: most chunks lack
    the byte, and one memchr pass over it settles them."""
    return byte in data and any(needle in data for needle in needles)


_Patterns = tuple[re.Pattern[bytes], re.Pattern[bytes], re.Pattern[bytes]]


def _percent_pattern(styles: frozenset[int]) -> _Patterns | None:
    """Any cell opening tag with one of the %-styles, such cells of plain spelling whole
    (groups as ``_FORMULA_CELL``), and a quick test for the style attribute; None without
    %-styles."""
    if not styles:
        return None
    ids = b"|".join(str(n).encode() for n in sorted(styles))
    opener = re.compile(rb'<c [^>]*\ss="0*(?:' + ids + rb')"')
    whole = re.compile(
        _REF_GROUP
        + rb'([^>]*\ss="0*(?:'
        + ids
        + rb')"[^>/]*)(?:/>|>(?:'
        + _FORMULA
        + rb")?"
        + _VALUE
        + rb"(?:<is>.*?</is>)?</c>)",
        re.S,
    )
    return opener, whole, re.compile(rb's="0*(?:' + ids + rb')"')


def _texts(refs: Iterable[bytes]) -> list[str]:
    """Cell references as text, decoded in one call (there may be a million)."""
    joined = b" ".join(refs)
    return joined.decode().split(" ") if joined else []


class _Position:
    """Where the last row and cell were, and how far the sheet reached so far."""

    def __init__(self) -> None:
        self.rows = self.columns = self.cells = 0
        self.row = self.column = 0

    def fast(self, data: bytes) -> bool:
        """A chunk written as Excel writes, every row and cell with an ``r="A1"``-style
        reference; False (and nothing counted) for any other spelling."""
        if any(odd in data for odd in _ODD_CHARACTERS) or _holds(data, b":", _ODD_PREFIXES):
            return False
        letters, rows = _FAST_COLUMN.findall(data), _FAST_ROW.findall(data)
        columns, numbers = set(letters), _FAST_CELL_ROW.findall(data)
        if b"" in columns or b"" in rows or len(numbers) != len(letters):
            return False
        if columns:
            self.columns = max(self.columns, max(_column_number(x.decode()) for x in columns))
        if numbers or rows:
            self.rows = max(self.rows, max(map(int, {*numbers, *rows})))
        self.cells += len(letters)
        last_cell, last_row = data.rfind(b"<c "), data.rfind(b"<row")  # where the chunk ends
        if letters and last_cell > last_row:
            self.row, self.column = int(numbers[-1]), _column_number(letters[-1].decode())
        elif rows:
            self.row, self.column = int(rows[-1]), 0
        return True

    def exact(self, data: bytes) -> None:
        """Any other spelling: follow each row and cell tag as calamine does (an upper bound:
        an odd reference counts both as written and as the one after the previous cell)."""
        for tag, attrs in _ROW_OR_CELL.findall(data):
            refs = _R_ATTRIBUTE.findall(attrs)
            numbers = [int(n) for _, n in refs if n]
            if tag == b"row":
                self.row = max([self.row + 1, *numbers]) if refs else self.row + 1
                self.column = 0
            else:
                self.cells += 1
                letters = [_column_number(x.decode()) for x, _ in refs if x]
                self.column = max([self.column + 1, *letters])
                self.row = max([self.row, *numbers])
                self.columns = max(self.columns, self.column)
            self.rows = max(self.rows, self.row)


def ods_extent(package: zipfile.ZipFile, bound: Extent) -> Extent:
    """The largest sheet of an .ods package (rows, columns, cells), from content.xml.

    ODS compresses repeats into attributes (``number-rows-repeated="1048575"``), which readers
    expand into memory; only cells with a value count, as LibreOffice pads every sheet with
    empty repeated rows and cells. Reading stops once a figure passes ``bound``.
    """
    rows = columns = cells = 0
    row = row_repeat = column = widest = 0
    with package.open("content.xml") as stream:
        for data in _whole_tag_chunks(stream):
            for closing, tag, attrs in _ODS_TAG.findall(data):
                if tag == b"table" and not closing:
                    row = 0
                elif tag == b"table-row" and not closing:
                    row_repeat, column, widest = _repeat(attrs, _ROWS_REPEATED), 0, 0
                    if not attrs.endswith(b"/"):
                        continue
                if tag == b"table-row":  # the row ends: count it row_repeat times
                    if widest:
                        rows, columns = (
                            max(rows, row + row_repeat),
                            max(columns, widest),
                        )
                        cells += widest * row_repeat
                    row += row_repeat
                elif tag.endswith(b"table-cell") and not closing:
                    column += _repeat(attrs, _COLUMNS_REPEATED)
                    if b"value-type" in attrs:
                        widest = column
            if rows > bound.rows or columns > bound.columns or cells > bound.cells:
                break
    return Extent(rows, columns, cells)


def _whole_tag_chunks(stream: IO[bytes]) -> Iterator[bytes]:
    """``stream`` in chunks that never split a tag, nor a cell where one is open.

    Each chunk is cut before its last cell's ``<c `` (else its last '<'), which starts the next
    one: a tag or cell straddling two reads stays whole.
    """
    tail = b""
    while chunk := stream.read(_EXTENT_CHUNK):
        data = tail + chunk
        cut = data.rfind(b"<c ")  # whole cells where there are cells
        cut = cut if cut > 0 else data.rfind(b"<")
        data, tail = (data[:cut], data[cut:]) if cut > 0 else (data, b"")
        yield data
    if tail:
        yield tail


def _repeat(attrs: bytes, pattern: re.Pattern[bytes]) -> int:
    """An ODS ``number-rows-repeated``/``number-columns-repeated`` count (1 when absent)."""
    found = pattern.search(attrs)
    return int(found[1]) if found else 1


def _parse(
    data: bytes,
    start: Callable[[str, dict[str, str]], None],
    end: Callable[[str], None] | None = None,
    text: Callable[[str], None] | None = None,
) -> None:
    parser = expat.ParserCreate(namespace_separator="|")
    parser.StartElementHandler = start
    if end:
        parser.EndElementHandler = end
    if text:
        parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.Parse(data, True)


def _local(tag: str) -> str:
    return tag.rpartition("|")[2]


def _refuse(*_args: object) -> None:
    raise UnsafeXml("DTD")


def sheet_paths(package: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the zip entry calamine will load for it ("" when there is none).

    Resolved exactly as calamine 0.37 does, so the size checks measure the very part that is
    loaded: the workbook folder from ``_rels/.rels`` (default ``xl/``); a sheet's relationship
    id is the last attribute whose local name is ``id``; a target starting with ``/`` is from
    the package root, otherwise appended to the workbook folder as written; entry names are
    matched ignoring ASCII case, with ``\\`` read as ``/``. {} without a workbook part.
    """
    entries = entry_lookup(package)
    folder = _workbook_folder(package, entries)
    workbook = entries.get(f"{folder}workbook.xml".lower())
    rels = entries.get(f"{folder}_rels/workbook.xml.rels".lower())
    if workbook is None or rels is None:
        return {}
    sheets: dict[str, str] = {}
    targets: dict[str, str] = {}

    def on_sheet(tag: str, attrs: dict[str, str]) -> None:
        if _local(tag) == "sheet":
            ids = [v for k, v in attrs.items() if _local(k) == "id"]
            name = attrs.get("name", "")
            if name in sheets:
                raise ValueError(f"two sheets named {name!r}")  # loaders differ on which
            sheets[name] = ids[-1] if ids else ""

    def on_rel(tag: str, attrs: dict[str, str]) -> None:
        if _local(tag) == "Relationship":
            targets[attrs.get("Id", "")] = attrs.get("Target", "")

    _parse(package.read(workbook), on_sheet)
    _parse(package.read(rels), on_rel)
    return {
        name: entries.get(_target_path(folder, targets.get(rel, "")).lower(), "")
        for name, rel in sheets.items()
    }


def declared_strings(package: zipfile.ZipFile) -> int:
    """The largest ``uniqueCount`` a shared-string table of the package declares (0 if none).

    Every entry whose name ends in ``sharedstrings.xml`` (any case, any folder) is looked at,
    whichever one calamine picks; only the opening tag is read.
    """
    counts = [0]
    for name in package.namelist():
        if name.replace("\\", "/").lower().endswith("sharedstrings.xml"):
            with package.open(name) as stream:
                head = stream.read(4096)
            found = _UNIQUE_COUNT.search(head)
            counts.append(int(found[1]) if found else 0)
    return max(counts)


def entry_lookup(package: zipfile.ZipFile) -> dict[str, str]:
    """Zip entry names by their lower-case, ``/``-separated spelling (as calamine finds them)."""
    return {name.replace("\\", "/").lower(): name for name in package.namelist()}


def _workbook_folder(package: zipfile.ZipFile, entries: dict[str, str]) -> str:
    """The folder of the officeDocument part named in ``_rels/.rels`` ('xl/' by default)."""
    rels = entries.get("_rels/.rels")
    if rels is None:
        return "xl/"
    found: list[str] = []

    def on_rel(tag: str, attrs: dict[str, str]) -> None:
        if _local(tag) == "Relationship" and attrs.get("Type", "").endswith("/officeDocument"):
            found.append(attrs.get("Target", ""))

    _parse(package.read(rels), on_rel)
    if not found:
        return "xl/"
    target = found[-1]
    return target[: target.rfind("/") + 1].removeprefix("/")


def _target_path(folder: str, target: str) -> str:
    return target[1:] if target.startswith("/") else f"{folder}{target}"


def percent_styles(package: zipfile.ZipFile) -> frozenset[int]:
    """Indices of the cell styles (cellXfs) whose number format shows a percent."""
    if "xl/styles.xml" not in package.namelist():
        return frozenset()
    data = package.read("xl/styles.xml")
    if b"%" not in data and not _BUILTIN_PERCENT_ID.search(data):
        return frozenset()
    codes: dict[int, str] = {}
    formats: list[int] = []
    in_cell_xfs = False

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal in_cell_xfs
        local = _local(tag)
        if local == "numFmt":
            codes[int(attrs.get("numFmtId", "0"))] = attrs.get("formatCode", "")
        elif local == "cellXfs":
            in_cell_xfs = True
        elif local == "xf" and in_cell_xfs:
            formats.append(int(attrs.get("numFmtId", "0")))

    def end(tag: str) -> None:
        nonlocal in_cell_xfs
        if _local(tag) == "cellXfs":
            in_cell_xfs = False

    _parse(data, start, end)
    return frozenset(
        index
        for index, fmt_id in enumerate(formats)
        if fmt_id in _BUILTIN_PERCENT or "%" in _LITERALS.sub("", codes.get(fmt_id, ""))
    )


class _SheetScan:
    """Streaming state for one worksheet: which cell we are in and what it holds."""

    def __init__(self, percent_styles: frozenset[int]) -> None:
        self.percent_styles = percent_styles
        self.flags = CellFlags()
        self.row = 0
        self.column = 0
        self.ref = ""
        self.kind = ""
        self.style = 0
        self.formula = False
        self.value: list[str] | None = None
        self.in_value = False

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        local = _local(tag)
        if local == "row":
            self.row = int(attrs.get("r", self.row + 1))
            self.column = 0
        elif local == "c":
            self._start_cell(attrs)
        elif local == "f":
            self.formula = True
        elif local == "v":
            self.value = []
            self.in_value = True

    def _start_cell(self, attrs: dict[str, str]) -> None:
        ref = attrs.get("r")
        match = _REF.fullmatch(ref) if ref else None
        if match:
            self.column = _column_number(match[1])
            self.row = int(match[2])
        else:
            self.column += 1
        self.ref = f"{column_letter(self.column - 1)}{self.row}"
        self.kind = attrs.get("t", "n")
        self.style = int(attrs.get("s", "0"))
        self.formula = False
        self.value = None

    def text(self, data: str) -> None:
        if self.in_value and self.value is not None:
            self.value.append(data)

    def end(self, tag: str) -> None:
        local = _local(tag)
        if local == "v":
            self.in_value = False
        elif local == "c":
            self._end_cell()

    def _end_cell(self) -> None:
        value = "".join(self.value) if self.value is not None else None
        if self.formula and not value and not (value == "" and self.kind == "str"):
            self.flags.formulas.add(self.ref)
        elif self.kind == "e":
            self.flags.errors[self.ref] = value or "#N/A"
        elif self.kind == "n" and value and self.style in self.percent_styles:
            self.flags.percent.add(self.ref)


def _scan_sheet(data: bytes, percent_styles: frozenset[int]) -> CellFlags:
    if b"<!DOCTYPE" in data:
        raise UnsafeXml("DTD")
    if not _worth_scanning(data, percent_styles):
        return CellFlags()
    scan = _SheetScan(percent_styles)
    _parse(data, scan.start, scan.end, scan.text)
    return scan.flags


def _worth_scanning(data: bytes, percent_styles: frozenset[int]) -> bool:
    """Cheap byte test: could the sheet hold a formula, an error value or a %-styled cell?

    Most returned workbooks have none, and then the (slow, per-element) expat pass is skipped.
    """
    if any(mark in data for mark in _FORMULA_MARKS + _ERROR_MARKS):
        return True
    return bool(percent_styles) and any(int(n) in percent_styles for n in set(_STYLE.findall(data)))


def _column_number(letters: str) -> int:
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number
