"""Reading one workbook file into plain rows, read-only, with clear messages for bad files.

Values come from python-calamine (fast, reads .xlsx/.xlsm/.xls/.ods/.et, cached formula values);
for .xlsx packages, xlsx_cells adds what calamine cannot see (% formats, formulas without a cached
value, error values). The file is read once into memory and never opened for writing.
"""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

import python_calamine as calamine

from reportgen.errors import IntakeError, LimitError, Problem
from reportgen.fileio import not_a_file
from reportgen.intake.xlsx_cells import (
    CellFlags,
    Extent,
    UnsafeXml,
    declared_strings,
    ods_extent,
    percent_styles,
    scan_sheet,
    sheet_paths,
)
from reportgen.limits import Limits, check_file_size, check_package_zip

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".et")
LOCK_PREFIX = "~$"
_LOCK_FILE = "这是 Excel/WPS 打开文件时生成的临时文件（~$ 开头），已跳过。"
_SKIPPED_SUFFIXES = {
    ".xlsb": "这是 Excel 二进制工作簿（.xlsb），本工具不读取该格式",
    ".csv": "这是 CSV 文本文件，缺少填报模板的结构，本工具不读取",
}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_CONTENT_TYPES = "[Content_Types].xml"
_WORKBOOK_TYPES = (
    b"spreadsheetml.sheet.main+xml",
    b"spreadsheetml.template.main+xml",
    b"ms-excel.",
)
_SAVE_AS = "请用 Excel 或 WPS 打开后“另存为”Excel 工作簿（.xlsx）再提交。"


Merge = tuple[tuple[int, int], tuple[int, int]]  # ((first row, col), (last row, col)), 0-based


@dataclass(frozen=True)
class SheetData:
    """One worksheet: ``rows[r][c]`` is Excel row r+1, column c (A=0); blank cells are None."""

    name: str
    rows: list[list[object]]
    flags: CellFlags | None  # None when the format does not tell (.xls, .ods)
    merged: tuple[Merge, ...] = ()


@dataclass(frozen=True)
class RawWorkbook:
    """A workbook as read from disk, before any checking against a plan."""

    path: Path
    display: str
    sha256: str
    size: int
    kind: str  # "xlsx", "xls" or "ods"
    sheets: Mapping[str, SheetData]


def read_workbook(path: Path, display: str, limits: Limits) -> RawWorkbook:
    """Read every worksheet of ``path``; raise IntakeError/LimitError naming ``display``."""
    data = _read_bytes(path, display, limits)
    kind, package = _sniff(data, display)
    if package is not None:
        _check_package(package, display, limits)
        if kind == "xlsx":
            _check_content_types(package, display)
    sheets = _read_sheets(data, kind, package, display, limits)
    return RawWorkbook(
        path=path,
        display=display,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        kind=kind,
        sheets=sheets,
    )


def _fail(display: str, message: str) -> IntakeError:
    return IntakeError(Problem(display, message))


def _read_bytes(path: Path, display: str, limits: Limits) -> bytes:
    try:
        reason = not_a_file(path)
        if reason is not None:
            raise _fail(display, f"{reason}。")
        if not path.is_file():
            raise _fail(display, "找不到该文件（或它不是文件）。请检查路径。")
        check_file_size(path, limits, display)
        data = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise _fail(display, f"无法读取文件：{reason}。请检查路径和文件权限。") from None
    if not data:
        raise _fail(display, "文件为空（0 字节），可能保存或发送时出错。请重新保存后再提交。")
    return data


def _sniff(data: bytes, display: str) -> tuple[str, zipfile.ZipFile | None]:
    """What the bytes are, whatever the file is called: 'xlsx', 'ods' or 'xls'."""
    if data.startswith(_ZIP_MAGIC):
        return _sniff_zip(data, display)
    if data.startswith(_OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise _fail(
                display,
                "文件设置了打开密码（已加密），无法读取。请在 Excel/WPS 中取消密码"
                "（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）后保存再提交。",
            )
        if any(n.encode("utf-16-le") in data for n in ("Workbook", "Book")):
            return "xls", None
        raise _fail(display, f"这不是 Excel 表格（可能是 Word 等其他 Office 文档）。{_SAVE_AS}")
    if data.lstrip()[:1] == b"<":
        raise _fail(
            display,
            f"这是网页或 XML 格式的表格（常见于从业务系统导出的 .xls），不是真正的 Excel 工作簿。{_SAVE_AS}",
        )
    raise _fail(display, f"无法识别的文件格式，不是 Excel 表格。{_SAVE_AS}")


def _sniff_zip(data: bytes, display: str) -> tuple[str, zipfile.ZipFile]:
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        names = set(package.namelist())
        mimetype = _head(package, "mimetype") if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, EOFError, KeyError):
        raise _fail(
            display, "文件已损坏（压缩包不完整），无法读取。请重新保存或重新发送。"
        ) from None
    if "xl/workbook.xml" in names:
        return "xlsx", package
    if b"opendocument.spreadsheet" in mimetype:
        return "ods", package
    if "xl/workbook.bin" in names:
        raise _fail(display, f"这是 Excel 二进制工作簿（.xlsb），本工具不读取该格式。{_SAVE_AS}")
    if "word/document.xml" in names:
        raise _fail(display, "这是 Word 文档，不是 Excel 表格。请提交填报用的 .xlsx 文件。")
    raise _fail(display, f"这是压缩包，但不是 Excel 表格。{_SAVE_AS}")


def _check_package(package: zipfile.ZipFile, display: str, limits: Limits) -> None:
    try:
        check_package_zip(package, display, limits)
    except zipfile.BadZipFile:
        raise _fail(
            display, "文件已损坏（压缩包中的部件无法解压），无法读取。请重新保存或重新发送。"
        ) from None


def _head(package: zipfile.ZipFile, name: str) -> bytes:
    """The first bytes of one entry (never a whole entry before the zip limits are checked)."""
    with package.open(name) as stream:
        return stream.read(256)


def _check_content_types(package: zipfile.ZipFile, display: str) -> None:
    """Refuse a package whose [Content_Types].xml does not declare an Excel workbook.

    Excel itself refuses such a file: it was damaged or made to look like a workbook.
    """
    if _CONTENT_TYPES not in package.namelist():
        raise _fail(
            display, f"文件结构不完整（缺少 {_CONTENT_TYPES}），Excel 也无法打开它。{_SAVE_AS}"
        )
    try:
        declared = package.read(_CONTENT_TYPES)
    except (zipfile.BadZipFile, OSError, EOFError):
        raise _fail(
            display, "文件已损坏（压缩包不完整），无法读取。请重新保存或重新发送。"
        ) from None
    if not any(kind in declared for kind in _WORKBOOK_TYPES):
        raise _fail(display, f"文件声明的内容类型不是 Excel 工作簿，可能被改过扩展名。{_SAVE_AS}")


def _read_sheets(
    data: bytes, kind: str, package: zipfile.ZipFile | None, display: str, limits: Limits
) -> Sheets:
    """The worksheets, each measured and loaded only when first used (see ``Sheets``)."""
    parts = _sheet_parts(package, display) if kind == "xlsx" and package else {}
    if package is not None and parts:
        _check_sheet_count(display, len(parts), limits)
        _check_shared_strings(package, display, limits)
    elif package is not None and kind == "ods":
        _check_extent(package, display, "", limits)
    try:
        book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except calamine.PasswordError:
        raise _fail(display, "文件设置了密码，无法读取。请取消密码后保存再提交。") from None
    except calamine.CalamineError:
        raise _fail(display, _unreadable(kind)) from None
    names = [m.name for m in book.sheets_metadata if m.typ == calamine.SheetTypeEnum.WorkSheet]
    _check_sheet_count(display, len(book.sheet_names), limits)

    styles: list[frozenset[int]] = []  # the %-styles, read with the first sheet

    def load(name: str) -> SheetData:
        flags = None
        if package is not None and parts:
            part = parts.get(name, "")
            if not part:
                raise _fail(display, f"{_sheet(name)}的内容找不到，文件结构异常。{_SAVE_AS}")
            if not styles:
                styles.append(_styles(package, display))
            flags = _measure_and_scan(package, display, name, limits, part, styles[0])
        rows, merged = _sheet_rows(book, name, kind, display, limits)
        return SheetData(name, rows, flags, merged)

    return Sheets(names, load)


class Sheets(Mapping[str, SheetData]):
    """A workbook's worksheets by name, each measured and read on first use.

    A sheet nobody asks for (an extra 附表 of a hundred thousand rows) costs nothing, and the
    size check runs on exactly the part calamine is about to load, right before it loads it.
    """

    def __init__(self, names: list[str], load: Callable[[str], SheetData]) -> None:
        self._names = list(dict.fromkeys(names))
        self._load = load
        self._loaded: dict[str, SheetData] = {}

    def __getitem__(self, name: str) -> SheetData:
        if name not in self._names:
            raise KeyError(name)
        if name not in self._loaded:
            self._loaded[name] = self._load(name)
        return self._loaded[name]

    def __contains__(self, name: object) -> bool:
        return name in self._names  # without reading the sheet

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


def _check_shared_strings(package: zipfile.ZipFile, display: str, limits: Limits) -> None:
    """Refuse a shared-string table declaring more strings than a sheet may hold cells
    (calamine reserves room for the declared count before reading any)."""
    count = declared_strings(package)
    if count > limits.max_cells:
        raise _limit(
            display, f"共享字符串表声明了 {count} 个字符串，超过上限 {limits.max_cells} 个"
        )


def _sheet_parts(package: zipfile.ZipFile, display: str) -> dict[str, str]:
    try:
        return sheet_paths(package)
    except UnsafeXml:
        raise _unsafe(display) from None
    except (expat.ExpatError, ValueError):
        raise _fail(display, "文件已损坏（工作簿结构无法解析）。请重新保存或重新发送。") from None


def _unreadable(kind: str) -> str:
    if kind == "xls":
        return f"无法读取这个旧版 .xls 文件（文件可能已损坏或版本过旧）。{_SAVE_AS}"
    return "文件已损坏，无法读取。请重新保存或重新发送。"


def _sheet_rows(
    book: calamine.CalamineWorkbook, name: str, kind: str, display: str, limits: Limits
) -> tuple[list[list[object]], tuple[Merge, ...]]:
    """The rows of one sheet (blank cells None) and its merged ranges."""
    try:
        sheet = book.get_sheet_by_name(name)
        end = sheet.end
        if end is not None:
            _check_area(display, name, end[0] + 1, end[1] + 1, limits)
        rows: list[list[object]] = sheet.to_python(skip_empty_area=False)  # type: ignore[assignment]
        merged = tuple(sheet.merged_cell_ranges or ())
    except calamine.CalamineError:
        raise _fail(display, _unreadable(kind)) from None
    most = limits.max_cell_chars
    for number, row in enumerate(rows):  # comprehensions, not a loop per cell: 2 M cells
        if [v for v in row if v.__class__ is str and len(v) > most]:
            raise _limit(display, f"工作表“{name}”中有单元格超过 {most} 个字符，请精简后再提交")
        if "" in row:
            rows[number] = [None if v == "" else v for v in row]
    return rows, merged


def _check_sheet_count(display: str, count: int, limits: Limits) -> None:
    if count > limits.max_sheets:
        raise _limit(display, f"工作表有 {count} 个，超过上限 {limits.max_sheets} 个")


def _check_extent(package: zipfile.ZipFile, display: str, name: str, limits: Limits) -> None:
    """Refuse an .ods package whose largest sheet is too large to load (before calamine does)."""
    try:
        extent = ods_extent(package, _bound(limits))
    except (zipfile.BadZipFile, KeyError, OSError, EOFError):
        raise _fail(display, "文件已损坏（工作表内容无法解压）。请重新保存或重新发送。") from None
    _check_cells(display, name, extent, limits)


def _measure_and_scan(
    package: zipfile.ZipFile,
    display: str,
    name: str,
    limits: Limits,
    part: str,
    styles: frozenset[int],
) -> CellFlags:
    """One pass over an .xlsx worksheet's XML: refuse it when too large to load (before
    calamine allocates it), else its CellFlags."""
    try:
        extent, flags = scan_sheet(package, part, _bound(limits), styles)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError):
        raise _fail(display, "文件已损坏（工作表内容无法解压）。请重新保存或重新发送。") from None
    except UnsafeXml:
        raise _unsafe(display) from None
    except (expat.ExpatError, ValueError):
        raise _fail(display, "文件已损坏（工作表内容无法解析）。请重新保存或重新发送。") from None
    _check_cells(display, name, extent, limits)
    return flags


def _bound(limits: Limits) -> Extent:
    return Extent(limits.max_rows, limits.max_columns, limits.max_cells)


def _check_cells(display: str, name: str, extent: Extent, limits: Limits) -> None:
    _check_area(display, name, extent.rows, extent.columns, limits)
    if extent.cells > limits.max_cells:
        raise _limit(display, f"{_sheet(name)}的单元格超过 {limits.max_cells} 个")


def _sheet(name: str) -> str:
    return f"工作表“{name}”" if name else "工作表"


def _check_area(display: str, name: str, rows: int, columns: int, limits: Limits) -> None:
    """Rows, columns and the rectangle a reader allocates for them, against the limits."""
    if rows > limits.max_rows:
        raise _limit(display, f"{_sheet(name)}有 {rows} 行，超过上限 {limits.max_rows} 行")
    if columns > limits.max_columns:
        raise _limit(display, f"{_sheet(name)}有 {columns} 列，超过上限 {limits.max_columns} 列")
    if rows * columns > limits.max_cells:
        raise _limit(
            display,
            f"{_sheet(name)}的数据区域达 {rows} 行 × {columns} 列，"
            f"超过上限 {limits.max_cells} 个单元格",
        )


def _limit(display: str, what: str) -> LimitError:
    return LimitError(
        Problem(display, f"{what}。请删除无关内容后再提交，或用环境变量 REPORTGEN_MAX_* 调高上限。")
    )


def _styles(package: zipfile.ZipFile, display: str) -> frozenset[int]:
    try:
        return percent_styles(package)
    except UnsafeXml:
        raise _unsafe(display) from None
    except (expat.ExpatError, ValueError, KeyError, zipfile.BadZipFile):
        raise _fail(display, "文件已损坏（工作表内容无法解析）。请重新保存或重新发送。") from None


def _unsafe(display: str) -> LimitError:
    """The one message for a DTD or entity declaration found while parsing (xlsx_cells.UnsafeXml)."""
    return LimitError(
        Problem(
            display,
            "文件中含有 XML 文档类型或实体声明（DTD），可能是恶意构造的文件，已拒绝读取。"
            "请确认文件来源，用 Excel/WPS 打开后重新保存再提交。",
        )
    )


@dataclass(frozen=True)
class FoundFiles:
    """The workbooks to read, and every other file of the given folders with why it is not
    read (nothing is dropped without a word; subfolders are not looked into)."""

    files: list[Path]
    skipped: list[Problem]


def find_workbooks(paths: list[Path]) -> FoundFiles:
    """Files as given plus every spreadsheet inside given folders (sorted by name)."""
    files: list[Path] = []
    skipped: list[Problem] = []
    for path in paths:
        if not path.is_dir():
            if path.name.startswith(LOCK_PREFIX):
                skipped.append(Problem(display_name(path), _LOCK_FILE))
            else:
                files.append(path)
            continue
        for entry in sorted(p for p in path.iterdir() if not p.is_dir()):
            reason = skip_reason(entry)
            if reason is None:
                files.append(entry)
            else:
                skipped.append(Problem(display_name(entry), reason))
    return FoundFiles(list(dict.fromkeys(files)), skipped)


def expand_paths(paths: list[Path]) -> list[Path]:
    """The workbooks ``find_workbooks`` would read."""
    return find_workbooks(paths).files


def skip_reason(entry: Path) -> str | None:
    """Why an entry of a --data folder is not read as a workbook; None when it is read."""
    suffix = entry.suffix.lower()
    if entry.name.startswith(LOCK_PREFIX):
        return _LOCK_FILE
    if suffix in _SKIPPED_SUFFIXES:
        return f"{_SKIPPED_SUFFIXES[suffix]}，已跳过。{_SAVE_AS}"
    if suffix not in SPREADSHEET_SUFFIXES:
        return f"不是表格文件（只读取 {'/'.join(SPREADSHEET_SUFFIXES)}），已跳过。"
    reason = not_a_file(entry)
    return f"{reason}。已跳过。" if reason else None


def display_name(path: Path) -> str:
    """The file name as shown: a name that is not valid UTF-8 (GBK bytes from a zip made on
    Windows) is decoded as GB18030 when it can be, else shown as ``escaped_text``."""
    name = path.name
    if _is_utf8(name):
        return name
    try:
        return os.fsencode(name).decode("gb18030")
    except UnicodeDecodeError:
        return escaped_text(name)


def escaped_text(text: str) -> str:
    """``text`` from the file system as valid UTF-8, losslessly: when it holds bytes that are
    not UTF-8, backslashes are doubled and each such byte is written ``\\xNN``."""
    if _is_utf8(text):
        return text
    raw = os.fsencode(text).replace(b"\\", b"\\\\")
    return raw.decode("utf-8", "backslashreplace")


def _is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
