"""File problems: every bad file gives a clear Chinese message naming it, never a traceback."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from reportgen.errors import IntakeError, LimitError
from reportgen.intake import check_files
from reportgen.intake.layout import INDICATOR_HEADERS
from reportgen.intake.reader import expand_paths, read_workbook
from reportgen.limits import Limits
from tests.support.hostile_corpus import SHEET, part_edit, rezip
from tests.support.intake_builders import PERIOD, filled, small_plan, template

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504


def file_errors(path: Path) -> list[str]:
    (result,) = check_files([path], small_plan(), PERIOD).files
    assert not result.ok and result.values == []
    return [e.message for e in result.errors]


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("a.xlsx", b"", "文件为空"),
        ("b.xlsx", "部门,完成值\n市科技局,12\n".encode(), "无法识别的文件格式"),
        ("c.xls", b"<html><table><tr><td>12</td></tr></table></html>", "网页或 XML"),
        ("d.xlsx", OLE + "EncryptedPackage".encode("utf-16-le") + b"\0" * 64, "加密"),
        ("e.xls", OLE + "Workbook".encode("utf-16-le") + b"\0" * 64, "另存为"),
        ("f.xlsx", OLE + "WordDocument".encode("utf-16-le"), "不是 Excel 表格"),
        ("g.et", b"\x00\x01garbage", "不是 Excel 表格"),
    ],
)
def test_not_a_usable_spreadsheet(tmp_path, name, content, fragment):
    path = tmp_path / name
    path.write_bytes(content)
    (message,) = file_errors(path)
    assert fragment in message and "请" in message


def test_truncated_workbook(tmp_path):
    path = template(tmp_path)
    path.write_bytes(path.read_bytes()[:3000])
    (message,) = file_errors(path)
    assert "损坏" in message


@pytest.mark.parametrize(
    ("part", "fragment"),
    [("word/document.xml", "Word 文档"), ("xl/workbook.bin", ".xlsb"), ("a.txt", "压缩包")],
)
def test_other_zip_packages(tmp_path, part, fragment):
    path = tmp_path / "报告.xlsx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(part, "<x/>")
    (message,) = file_errors(path)
    assert fragment in message and "请" in message


def test_missing_path(tmp_path):
    (message,) = file_errors(tmp_path / "没有这个文件.xlsx")
    assert "找不到该文件" in message


def test_lock_files_are_skipped(tmp_path):
    real = template(tmp_path)
    (tmp_path / "~$填报_市科技局.xlsx").write_bytes(b"\0" * 165)
    (tmp_path / "说明.txt").write_text("not a workbook")
    assert expand_paths([tmp_path]) == [real]
    assert expand_paths([tmp_path / "~$填报_市科技局.xlsx"]) == []


def test_empty_folder_is_an_error(tmp_path):
    with pytest.raises(IntakeError, match="没有找到要检查的表格文件"):
        check_files([tmp_path], small_plan(), PERIOD)


def test_row_limit(tmp_path):
    path = filled(tmp_path, {"H2": 1})
    raw = read_workbook(path, "填报.xlsx", Limits(max_rows=3))  # sheets are read when used
    with pytest.raises(LimitError, match="超过上限 3 行") as info:
        raw.sheets["指标填报"]
    assert info.value.problems[0].where == "填报.xlsx"


def test_limits_from_environment_reach_check(tmp_path, monkeypatch):
    monkeypatch.setenv("REPORTGEN_MAX_ROWS", "3")
    (message,) = file_errors(filled(tmp_path, {"H2": 1}))
    assert "REPORTGEN_MAX_" in message


def test_xml_entities_are_refused(tmp_path):
    path = filled(tmp_path, {"H2": 1})
    entity = '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaa">]>'
    path.write_bytes(rezip(path.read_bytes(), part_edit(SHEET, lambda xml: entity + xml)))
    (message,) = file_errors(path)
    assert "实体声明" in message and "已拒绝读取" in message


def test_percent_styles_ignore_quoted_percent_signs(tmp_path):
    path = filled(tmp_path, {"H2": 0.5, "H4": 0.5}, formats={"H2": '0"%"', "H4": "0%"})
    sheet = read_workbook(path, path.name, Limits()).sheets["指标填报"]
    assert sheet.flags is not None and sheet.flags.percent == {"H4"}


def test_ods_is_read_with_calamine(tmp_path):
    plan = small_plan()
    meta = [
        ["plan_id", plan.id],
        ["plan_hash", plan.content_hash],
        ["period", "2024-Q2"],
        ["department", "市科技局"],
        ["template_version", 1],
    ]
    rows = [
        list(INDICATOR_HEADERS),
        ["C1", "累计新建社会公用计量标准", "项", "预期性", 0, 10, 20, 12],
    ]
    path = tmp_path / "填报_市科技局.ods"
    path.write_bytes(_ods({"指标填报": rows, "_meta": meta}))
    (result,) = check_files([path], plan, PERIOD).files
    assert result.ok, result.errors
    assert [(r.indicator_id, r.value) for r in result.values] == [("C1", 12.0)]


def _ods(sheets: dict[str, list[list[object]]]) -> bytes:
    """A minimal OpenDocument spreadsheet, enough for calamine."""
    tables = "".join(
        f'<table:table table:name="{escape(name)}">'
        + "".join(
            "<table:table-row>" + "".join(_ods_cell(v) for v in row) + "</table:table-row>"
            for row in rows
        )
        + "</table:table>"
        for name, rows in sheets.items()
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        package.writestr("META-INF/manifest.xml", manifest)
        package.writestr("content.xml", content)
    return buffer.getvalue()


def _ods_cell(value: object) -> str:
    if isinstance(value, int | float):
        return f'<table:table-cell office:value-type="float" office:value="{value}"/>'
    return (
        '<table:table-cell office:value-type="string">'
        f"<text:p>{escape(str(value))}</text:p></table:table-cell>"
    )
