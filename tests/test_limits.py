"""Input limits: zip bombs and oversized files are refused before any parsing."""

from __future__ import annotations

import zipfile

import pytest

from reportgen.errors import LimitError
from reportgen.limits import Limits, check_file_size, check_zip, current_limits


def _zip(path, name: str, data: bytes) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(name, data)


def test_normal_package_passes(tmp_path):
    path = tmp_path / "ok.xlsx"
    _zip(path, "xl/worksheets/sheet1.xml", b"<row>1</row>" * 1000)
    check_zip(path, Limits())


def test_high_ratio_entry_is_refused(tmp_path):
    path = tmp_path / "bomb.xlsx"
    _zip(path, "xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))
    with pytest.raises(LimitError, match="压缩炸弹") as info:
        check_zip(path, Limits())
    assert info.value.problems[0].where == "bomb.xlsx"


def test_total_uncompressed_size_is_refused(tmp_path):
    path = tmp_path / "big.docx"
    _zip(path, "word/document.xml", b"\0" * (3 * 1024 * 1024))
    with pytest.raises(LimitError, match="解压后"):
        check_zip(path, Limits(max_uncompressed_mb=1))


def test_not_a_zip_is_left_to_caller(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"not a zip")
    with pytest.raises(zipfile.BadZipFile):
        check_zip(path, Limits())


def test_file_size_limit_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("REPORTGEN_MAX_FILE_MB", "0.001")
    limits = current_limits()
    assert limits.max_file_mb == 0.001
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"x" * 2000)
    with pytest.raises(LimitError, match="文件过大"):
        check_file_size(path, limits)


def test_bad_environment_value(monkeypatch):
    monkeypatch.setenv("REPORTGEN_MAX_ROWS", "many")
    with pytest.raises(LimitError, match="REPORTGEN_MAX_ROWS"):
        current_limits()
