"""Hostile and broken workbooks (issue 9), made from one valid filled 填报 workbook.

Byte-level damage (truncation, random bytes, renamed files, zip and XML bombs, damaged entries),
wrong values in the right cells (error values, formulas, dates for numbers, edited targets) and
edited structure (merged, hidden, deleted or emptied sheets), each with what a run must do.
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from collections.abc import Callable
from datetime import datetime, time, timedelta
from functools import partial
from pathlib import Path

from reportgen.limits import Limits
from tests.support.hostile_corpus import (
    ERROR,
    OK,
    SHEET,
    WARN,
    ZEROS,
    Data,
    append_rows,
    cell_edit,
    entity_bomb,
    keep,
    million_rows,
    part_edit,
    replace_part,
    rezip,
)


def workbook_mutations(valid: bytes) -> dict[str, tuple[Data, str]]:
    """name -> (file bytes, expectation) for broken variants of one valid filled workbook."""
    cases: dict[str, tuple[Data, str]] = {}
    for n, cut in enumerate(
        (10, 100, 500, 1000, len(valid) // 4, len(valid) // 2, len(valid) - 200, len(valid) - 22)
    ):
        cases[f"truncated_{n}.xlsx"] = (valid[:cut], ERROR)
    rng = random.Random(9704)
    for n, size in enumerate((0, 1, 16, 512, 4096, 65536, 300_000)):
        cases[f"random_{n}.xlsx"] = (rng.randbytes(size), ERROR)
    cases["zip_header_then_junk.xlsx"] = (b"PK\x03\x04" + rng.randbytes(2000), ERROR)
    cases["ole_encrypted.xlsx"] = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000), ERROR)
    cases["garbage.xls"] = (rng.randbytes(3000), ERROR)
    cases["garbage.ods"] = (rng.randbytes(3000), ERROR)
    cases["garbage.et"] = (rng.randbytes(3000), ERROR)
    cases["text_renamed.xlsx"] = ("指标编号,完成值\nZS01,3\n".encode(), ERROR)
    cases["html_renamed.xlsx"] = (
        b"<html><body><table><tr><td>1</td></tr></table></body></html>",
        ERROR,
    )
    cases["pdf_renamed.xlsx"] = (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF", ERROR)
    cases["png_renamed.xlsx"] = (b"\x89PNG\r\n\x1a\n" + bytes(100), ERROR)
    cases["empty_zip.xlsx"] = (rezip(valid, lambda name, body: None), ERROR)
    cases["no_workbook_part.xlsx"] = (
        rezip(valid, lambda name, body: None if name == "xl/workbook.xml" else body),
        ERROR,
    )
    cases["no_content_types.xlsx"] = (
        rezip(valid, lambda name, body: None if name == "[Content_Types].xml" else body),
        ERROR,
    )
    cases["docx_content_types.xlsx"] = (
        rezip(
            valid,
            lambda name, body: (
                body.replace(b"spreadsheetml", b"wordprocessingml")
                if name == "[Content_Types].xml"
                else body
            ),
        ),
        ERROR,
    )
    cases["sheet_xml_garbage.xlsx"] = (
        rezip(valid, lambda name, body: b"<<<not xml" if name == SHEET else body),
        ERROR,
    )
    cases["workbook_xml_garbage.xlsx"] = (
        rezip(valid, lambda name, body: b"\x00\x01" if name == "xl/workbook.xml" else body),
        ERROR,
    )
    for part in (SHEET, "xl/workbook.xml", "xl/styles.xml", "[Content_Types].xml"):
        cases[f"entity_bomb_{Path(part).stem.strip('[]')}.xlsx"] = (
            rezip(
                valid,
                lambda name, body, part=part: entity_bomb("worksheet") if name == part else body,
            ),
            ERROR,
        )
    cases["entity_bomb_sharedStrings.xlsx"] = (
        rezip(valid, lambda name, body: body, {"xl/sharedStrings.xml": entity_bomb("sst")}),
        ERROR,
    )
    xxe = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><worksheet>&e;</worksheet>'
    cases["external_entity.xlsx"] = (
        rezip(valid, lambda name, body: xxe if name == SHEET else body),
        ERROR,
    )
    cases["million_rows.xlsx"] = (
        partial(rezip, valid, replace_part(SHEET, million_rows), level=1),
        ERROR,
    )
    cases["zip_bomb.xlsx"] = (
        partial(rezip, valid, keep, {"xl/media/zeros.bin": ZEROS}),
        ERROR,
    )
    cases["many_entries.xlsx"] = (
        partial(rezip, valid, keep, {f"xl/junk/{n}.xml": b"<a/>" for n in range(10_001)}),
        ERROR,
    )
    cases["huge_cell_string.xlsx"] = (
        rezip(valid, cell_edit(SHEET, "J4", f"<is><t>{'长' * 100_000}</t></is>", 't="inlineStr"')),
        ERROR,
    )
    cases |= _damaged_entries(valid)
    cases["ods_repeat_bomb.ods"] = (_ods_repeat_bomb(9000, 9000), ERROR)
    return cases


def _damaged_entries(valid: bytes) -> dict[str, tuple[Data, str]]:
    """Zips whose sheet entry cannot be inflated: bad data, unknown method, encryption flag."""
    header = valid.index(SHEET.encode()) - 30  # the local file header of the sheet entry
    assert valid[header : header + 4] == b"PK\x03\x04"
    start = header + 30 + len(SHEET) + int.from_bytes(valid[header + 28 : header + 30], "little")

    def patched(at: int, data: bytes) -> bytes:
        return valid[:at] + data + valid[at + len(data) :]

    return {
        "entry_bad_data.xlsx": (patched(start + 10, b"\xff" * 64), ERROR),
        "entry_unknown_method.xlsx": (_every_header(valid, 8, (99).to_bytes(2, "little")), ERROR),
        "entry_encrypted_flag.xlsx": (_every_header(valid, 6, (1).to_bytes(2, "little")), ERROR),
    }


def _every_header(data: bytes, field: int, value: bytes) -> bytes:
    """Set one field of every local header (field offset from PK\\3\\4) and central record."""
    out = bytearray(data)
    for magic, shift in ((b"PK\x03\x04", 0), (b"PK\x01\x02", 2)):
        at = data.find(magic)
        while at >= 0:
            out[at + field + shift : at + field + shift + len(value)] = value
            at = data.find(magic, at + 4)
    return bytes(out)


def _ods_repeat_bomb(rows: int, columns: int) -> bytes:
    """An .ods whose one row of one cell, repeated, means rows x columns cells to a reader."""
    ns = 'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
    cell = f'<table:table-cell table:number-columns-repeated="{columns}" office:value-type="float" office:value="1"/>'
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns}><office:body>'
        f'<office:spreadsheet><table:table table:name="S"><table:table-row table:number-rows-repeated="{rows}">'
        f"{cell}</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(
            "mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED
        )
        package.writestr("content.xml", content)
        package.writestr("META-INF/manifest.xml", manifest)
    return out.getvalue()


TASKS = "xl/worksheets/sheet3.xml"
META = "xl/worksheets/sheet4.xml"
DATE_STYLE = 's="9"'  # the 数据截至日期 cells' date format in the sample


def _text(value: str) -> tuple[str, str]:
    return f"<is><t>{value}</t></is>", 't="inlineStr"'


def cell_mutations(valid: bytes) -> dict[str, tuple[Data, str]]:
    """Wrong values in the right places: error values, formulas, dates for numbers, edited targets."""
    edits: dict[
        str, tuple[str, str, str, str, str]
    ] = {}  # name -> (part, ref, inner, attrs, expect)
    for code in ("#DIV/0!", "#N/A", "#REF!", "#NAME?", "#NUM!", "#VALUE!"):
        slug = re.sub(r"\W", "", code).lower()
        edits[f"error_{slug}"] = (SHEET, "H3", f"<f>1/0</f><v>{code}</v>", 't="e"', ERROR)
    edits |= {
        "formula_no_cache": (SHEET, "H3", "<f>40*2</f>", "", ERROR),
        "formula_shared_no_cache": (
            SHEET,
            "H3",
            '<f t="shared" ref="H3:H4" si="0">1+1</f>',
            "",
            ERROR,
        ),
        "formula_text_result": (SHEET, "H3", '<f>"八十"</f><v>八十</v>', 't="str"', ERROR),
        "value_bool": (SHEET, "H3", "<v>1</v>", 't="b"', ERROR),
        "value_date": (SHEET, "H3", "<v>45473</v>", DATE_STYLE, ERROR),
        "value_text": (SHEET, "H3", *_text("八十项左右"), ERROR),
        "value_date_text": (SHEET, "H3", *_text("2024-06-30"), ERROR),
        "value_negative": (SHEET, "H3", "<v>-5</v>", "", ERROR),
        "value_nan": (SHEET, "H3", "<v>NaN</v>", "", ERROR),
        "value_inf": (SHEET, "H3", "<v>INF</v>", "", ERROR),
        "value_overflow": (SHEET, "H3", "<v>1e999</v>", "", ERROR),
        "value_1e308": (SHEET, "H3", "<v>1e308</v>", "", ERROR),
        "value_percent_250": (SHEET, "H10", "<v>250</v>", "", ERROR),
        "value_percent_fraction": (SHEET, "H10", "<v>0.952</v>", "", WARN),
        "date_garbage": (SHEET, "I3", *_text("昨天"), ERROR),
        "date_serial_huge": (SHEET, "I3", "<v>99999999</v>", DATE_STYLE, ERROR),
        "date_serial_negative": (SHEET, "I3", "<v>-1</v>", DATE_STYLE, ERROR),
        "date_bool": (SHEET, "I3", "<v>0</v>", 't="b"', ERROR),
        "date_outside_period": (SHEET, "I3", "<v>44927</v>", DATE_STYLE, WARN),
        "target_edited": (SHEET, "F3", "<v>999</v>", "", ERROR),
        "baseline_edited": (SHEET, "E3", "<v>1</v>", "", ERROR),
        "final_target_text": (SHEET, "G3", *_text("八十"), ERROR),
        "unit_edited": (SHEET, "C3", *_text("个"), ERROR),
        "name_edited": (SHEET, "B3", *_text("随便写的名称"), ERROR),
        "id_unknown": (SHEET, "A3", *_text("ZS99"), ERROR),
        "id_blank_with_value": (SHEET, "A3", "", "", ERROR),
        "id_duplicate": (SHEET, "A4", *_text("ZS02"), ERROR),
        "remark_control_chars": (SHEET, "J3", *_text("说明_x0001__x001F_结束"), OK),
        "remark_markup_emoji": (SHEET, "J3", *_text("&lt;w:p&gt; &amp;&amp; {{ x }} 😀"), OK),
        "task_status_invalid": (TASKS, "E2", *_text("差不多了"), ERROR),
        "task_id_unknown": (TASKS, "A2", *_text("T99"), ERROR),
        "meta_other_plan": (META, "B1", *_text("no-such-plan"), ERROR),
        "meta_other_period": (META, "B3", *_text("2023-Q1"), ERROR),
        "meta_period_garbage": (META, "B3", *_text("明年"), ERROR),
        "meta_hash_changed": (META, "B2", *_text("0" * 64), WARN),
        "meta_version_text": (META, "B5", *_text("x"), WARN),
    }
    cases = {
        f"{name}.xlsx": (rezip(valid, cell_edit(part, ref, inner, attrs)), expect)
        for name, (part, ref, inner, attrs, expect) in edits.items()
    }
    far = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    cases["far_cell_dense_range.xlsx"] = (rezip(valid, append_rows(SHEET, far)), ERROR)
    wide = '<row r="11"><c r="ZZ11"><v>1</v></c></row>'
    cases["too_many_columns.xlsx"] = (rezip(valid, append_rows(SHEET, wide)), ERROR)
    deep = '<row r="200001"><c r="A200001"><v>1</v></c></row>'
    cases["row_beyond_limit.xlsx"] = (rezip(valid, append_rows(SHEET, deep)), ERROR)
    cases["million_rows_lying_dimension.xlsx"] = (
        partial(
            rezip,
            valid,
            replace_part(SHEET, partial(million_rows, '<dimension ref="A1:J10"/>')),
            level=1,
        ),
        ERROR,
    )
    rows = "<row><c><v>1</v></c></row>" * 150_000
    cases["rows_without_refs.xlsx"] = (partial(rezip, valid, append_rows(SHEET, rows)), ERROR)
    nested = "<x>" * 100_000 + "</x>" * 100_000
    cases["deep_nesting.xlsx"] = (partial(rezip, valid, append_rows(SHEET, nested)), OK)
    cases["missing_sheet_part.xlsx"] = (
        rezip(valid, lambda name, body: None if name == SHEET else body),
        ERROR,
    )
    cases["rels_outside_package.xlsx"] = (
        rezip(
            valid,
            part_edit(
                "xl/_rels/workbook.xml.rels",
                lambda text: text.replace("/xl/worksheets/sheet2.xml", "../../../../etc/passwd"),
            ),
        ),
        ERROR,
    )
    return cases


def _openpyxl_edit(valid: bytes, edit: Callable) -> bytes:
    """Load the workbook with openpyxl, apply ``edit(workbook)``, save as a new .xlsx."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(valid))
    edit(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _every_type(sheet, column: str) -> None:
    values = [7, 2.5, "文字", True, datetime(2024, 6, 30), time(8, 0), timedelta(days=1)]
    values += ["=1/0", "#N/A"]
    for row, value in enumerate(values, start=2):
        sheet[f"{column}{row}"] = value


def _many_sheets(book) -> None:
    for n in range(60):
        book.create_sheet(f"多余{n}")


def _unprotect_and_edit(book) -> None:
    sheet = book["指标填报"]
    sheet.protection.sheet = False
    sheet["F3"] = 999
    sheet["G5"] = None


def structure_mutations(valid: bytes) -> dict[str, tuple[Data, str]]:
    """Workbooks whose sheets were merged, hidden, deleted, emptied or rearranged."""
    edits: dict[str, tuple[Callable, str]] = {
        "merged_over_data": (lambda b: b["指标填报"].merge_cells("H3:J10"), ERROR),
        "merged_header": (lambda b: b["指标填报"].merge_cells("A1:H1"), ERROR),
        "merged_task_rows": (lambda b: b["重点任务"].merge_cells("E2:H6"), ERROR),
        "protection_removed_targets_edited": (_unprotect_and_edit, ERROR),
        "data_sheet_hidden": (lambda b: setattr(b["指标填报"], "sheet_state", "hidden"), OK),
        "indicator_sheet_deleted": (lambda b: b.remove(b["指标填报"]), ERROR),
        "indicator_sheet_renamed": (lambda b: setattr(b["指标填报"], "title", "Sheet1"), OK),
        "indicator_sheet_emptied": (
            lambda b: b["指标填报"].delete_rows(1, b["指标填报"].max_row),
            ERROR,
        ),
        "indicator_header_only": (lambda b: b["指标填报"].delete_rows(2, 20), WARN),
        "rows_inserted_above_header": (lambda b: b["指标填报"].insert_rows(1, 3), OK),
        "columns_inserted": (lambda b: b["指标填报"].insert_cols(3, 2), OK),
        "task_sheet_deleted": (lambda b: b.remove(b["重点任务"]), WARN),
        "meta_sheet_deleted": (lambda b: b.remove(b["_meta"]), WARN),
        "all_sheets_emptied": (
            lambda b: [s.delete_rows(1, s.max_row) for s in b.worksheets],
            ERROR,
        ),
        "every_type_in_values": (lambda b: _every_type(b["指标填报"], "H"), ERROR),
        "every_type_in_dates": (lambda b: _every_type(b["指标填报"], "I"), ERROR),
        "every_type_in_remarks": (lambda b: _every_type(b["指标填报"], "J"), OK),
        "every_type_in_task_status": (lambda b: _every_type(b["重点任务"], "E"), ERROR),
        "too_many_sheets": (_many_sheets, ERROR),
    }
    return {
        f"{name}.xlsx": (partial(_openpyxl_edit, valid, e), x) for name, (e, x) in edits.items()
    }


def heavy_legal(valid: bytes, rows: int = 99_000, columns: int = 20) -> bytes:
    """``valid`` plus a sheet 附表 of ``rows`` x ``columns`` numbers: heavy, within the limits
    (2 000 000 cells), about 11 MB on disk."""
    rng = random.Random(11)
    letters = [chr(65 + n) for n in range(columns)]
    body = "".join(
        f'<row r="{r}">'
        + "".join(f'<c r="{x}{r}"><v>{rng.random() * 1e5:.3f}</v></c>' for x in letters)
        + "</row>"
        for r in range(1, rows + 1)
    )
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet '
        'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{body}</sheetData></worksheet>"
    ).encode()
    relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    extra_sheet = f'<sheet xmlns:r="{relationships}" name="附表" sheetId="99" r:id="rId99"/>'
    extra_rel = (
        f'<Relationship Type="{relationships}/worksheet" Target="/xl/worksheets/sheet99.xml" '
        'Id="rId99"/>'
    )
    extra_type = (
        '<Override PartName="/xl/worksheets/sheet99.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    )
    edits = {
        "xl/workbook.xml": lambda t: t.replace("</sheets>", extra_sheet + "</sheets>"),
        "xl/_rels/workbook.xml.rels": lambda t: t.replace(
            "</Relationships>", extra_rel + "</Relationships>"
        ),
        "[Content_Types].xml": lambda t: t.replace("</Types>", extra_type + "</Types>"),
    }

    def edit(name: str, data: bytes) -> bytes:
        change = edits.get(name)
        return change(data.decode()).encode() if change else data

    return rezip(valid, edit, {"xl/worksheets/sheet99.xml": sheet})


def _far_cell(ref: str, row: int = 3000, row_attr: str = 'r="{row}"') -> Callable[[str], str]:
    """A sheet edit adding one cell at ``ref`` in a new row (the rectangle a reader allocates)."""
    extra = f"<row {row_attr.format(row=row)}><c {ref}><v>1</v></c></row>"
    return lambda text: text.replace("</sheetData>", extra + "</sheetData>", 1)


def reader_mutations(valid: bytes) -> dict[str, tuple[Data, str]]:
    """name -> (bytes, expectation) for workbooks where a pre-check reading the package
    differently from calamine would let calamine allocate terabytes (a process abort)."""
    relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    def renamed_part(name: str, body: bytes) -> bytes:
        if name == "xl/_rels/workbook.xml.rels":
            return body.replace(b"/xl/worksheets/sheet2.xml", b"/XL/Worksheets/SHEET2.xml")
        return part_edit(SHEET, _far_cell('r="XFD3000"'))(name, body)

    def second_id(name: str, body: bytes) -> bytes:
        if name == "xl/workbook.xml":
            return body.replace(
                b'r:id="rId2"', b'r:id="rId2" xmlns:y="urn:reportgen:other" y:id="rId99"'
            )
        if name == "xl/_rels/workbook.xml.rels":
            rel = f'<Relationship Type="{relationships}/worksheet" Target="worksheets/big.xml" Id="rId99"/>'
            return body.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
        return body

    big = million_rows().replace(
        b"</sheetData>", b'<row r="1000001"><c r="XFD1000001"><v>1</v></c></row></sheetData>'
    )
    sst = (
        b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main" count="1" uniqueCount="100000000000"><si><t>x</t></si></sst>'
    )

    def wide_row(text: str) -> str:
        row = '<row r="99999">' + "<c><v>1</v></c>" * 30_000 + "</row>"
        return text.replace("</sheetData>", row + "</sheetData>", 1)

    twice = part_edit(
        "xl/workbook.xml",
        lambda t: t.replace('name="重点任务"', 'name="指标填报"', 1),
    )
    return {
        "lowercase_far_column.xlsx": (
            rezip(valid, part_edit(SHEET, _far_cell('r="zzzzzz3000"'))),
            ERROR,
        ),
        "long_column_letters.xlsx": (
            rezip(valid, part_edit(SHEET, _far_cell('r="AAAAAAA3000"'))),
            ERROR,
        ),
        "spaced_references.xlsx": (
            rezip(valid, part_edit(SHEET, _far_cell('r = "XFD1048576"', 1048576, 'r = "{row}"'))),
            ERROR,
        ),
        "single_quoted_references.xlsx": (
            rezip(valid, part_edit(SHEET, _far_cell("r='XFD1048576'", 1048576, "r='{row}'"))),
            ERROR,
        ),
        "cells_without_references.xlsx": (rezip(valid, part_edit(SHEET, wide_row)), ERROR),
        "newline_in_cell_tag.xlsx": (
            rezip(valid, part_edit(SHEET, _far_cell('\nr="XFD3000"'))),
            ERROR,
        ),
        "part_name_case.xlsx": (rezip(valid, renamed_part), ERROR),
        "second_id_attribute.xlsx": (
            partial(rezip, valid, second_id, {"xl/worksheets/big.xml": big}, level=1),
            ERROR,
        ),
        "huge_shared_strings.xlsx": (rezip(valid, keep, {"xl/sharedStrings.xml": sst}), ERROR),
        "duplicate_sheet_names.xlsx": (rezip(valid, twice), ERROR),
    }


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _letters(columns: int) -> list[str]:
    """Column letters A, B, … for the first ``columns`` columns."""
    out = []
    for n in range(1, columns + 1):
        name = ""
        while n:
            n, rest = divmod(n - 1, 26)
            name = chr(65 + rest) + name
        out.append(name)
    return out


def heavy_data_sheet(
    valid: bytes,
    rows: int,
    columns: int,
    cell: Callable[[str, int, int], str],
    ident: Callable[[int], str] = "X{}".format,
) -> bytes:
    """``valid`` with ``rows`` more rows of ``columns`` cells appended to 指标填报 itself
    (``cell(ref, row, column)`` gives each cell's XML, column 0 = A). Column A of row r holds
    ``ident(r)`` (no cell when it is ''); by default an id not in the plan, so each row is an
    error."""
    letters = _letters(columns)
    first = 11  # the sample's data ends at row 10
    body = "".join(
        f'<row r="{r}">'
        + (_inline(f"A{r}", ident(r)) if ident(r) else "")
        + "".join(cell(f"{x}{r}", r, c) for c, x in enumerate(letters) if c)
        + "</row>"
        for r in range(first, first + rows)
    )
    return rezip(
        valid, part_edit(SHEET, lambda t: t.replace("</sheetData>", body + "</sheetData>", 1))
    )


def _number(ref: str, row: int, column: int) -> str:
    return f'<c r="{ref}"><v>{row * 7 + column * 0.125}</v></c>'


def _formula(ref: str, row: int, column: int) -> str:
    """Formulas without cached values, and %-styled numbers (style 8 made a percent below)."""
    if column % 2:
        return f'<c r="{ref}"><f>{column}+{row}</f></c>'
    return f'<c r="{ref}" s="10"><v>0.{row}</v></c>'


def _long_text(length: int) -> Callable[[str, int, int], str]:
    unit = "".join(chr(0x4E00 + (n * 7919) % 20000) for n in range(331))
    text = (unit * (length // len(unit) + 1))[:length]
    return lambda ref, row, column: _inline(ref, f"{row}{text}"[:length])


def _shared(columns: int) -> Callable[[str, int, int], str]:
    return lambda ref, row, column: f'<c r="{ref}" t="s"><v>{(row - 11) * columns + column}</v></c>'


def _with_shared_strings(data: bytes, count: int) -> bytes:
    """Add a shared-string table of ``count`` distinct strings (and its relationship)."""
    strings = "".join(f"<si><t>串{n}</t></si>" for n in range(count))
    sst = (
        '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main" count="{count}" uniqueCount="{count}">{strings}</sst>'
    ).encode()
    relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    rel = (
        f'<Relationship Type="{relationships}/sharedStrings" Target="sharedStrings.xml" Id="rIdS"/>'
    )
    kind = (
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sharedStrings+xml"/>'
    )
    edits = {
        "xl/_rels/workbook.xml.rels": lambda t: t.replace(
            "</Relationships>", rel + "</Relationships>"
        ),
        "[Content_Types].xml": lambda t: t.replace("</Types>", kind + "</Types>"),
    }

    def edit(name: str, body: bytes) -> bytes:
        change = edits.get(name)
        return change(body.decode()).encode() if change else body

    return rezip(data, edit, {"xl/sharedStrings.xml": sst})


def with_percent_style(data: bytes) -> bytes:
    """Add cell style 10 with the built-in 0% format (numFmtId 9) to styles.xml."""

    def edit(text: str) -> str:
        found = re.search(r'<cellXfs count="(\d+)">', text)
        assert found and int(found[1]) == 10, "the sample has styles 0-9"
        text = text.replace(found[0], '<cellXfs count="11">', 1)
        return text.replace(
            "</cellXfs>",
            '<xf numFmtId="9" fontId="0" fillId="0" borderId="0" applyNumberFormat="1"/></cellXfs>',
            1,
        )

    return rezip(data, part_edit("xl/styles.xml", edit))


def worst_data_sheets(valid: bytes) -> dict[str, Callable[[], bytes]]:
    """name -> how to make it: the largest legal 指标填报 sheet by each limit (default Limits).

    rows: as many rows of 20 columns as the cell limit allows; columns: 200 columns and as many
    rows; formulas: every other cell a formula without a cached value, the rest %-formatted
    (the per-cell scan); shared_strings: one distinct shared string per cell; long_strings:
    cells of the cell-text limit up to nine tenths of the uncompressed-size limit.
    Every extra row carries an id that is not in the plan (an error each).
    """
    limits = Limits()
    cells, width = limits.max_cells, 20
    rows = min(limits.max_rows, cells // width) - 10
    text = limits.max_cell_chars
    long_rows = int(limits.max_uncompressed_mb * 1024 * 1024 * 0.9) // (text * 3 * 2)
    return {
        "rows": lambda: heavy_data_sheet(valid, rows, width, _number),
        "columns": lambda: heavy_data_sheet(valid, cells // 200 - 10, 200, _number),
        "formulas": lambda: with_percent_style(heavy_data_sheet(valid, rows, width, _formula)),
        "shared_strings": lambda: _with_shared_strings(
            heavy_data_sheet(valid, rows, width, _shared(width)), cells
        ),
        "long_strings": lambda: heavy_data_sheet(valid, long_rows, 2, _long_text(text)),
    }
