"""Atomic writes: the target appears whole or not at all, and an old target survives a failure."""

from __future__ import annotations

import pytest

from reportgen.errors import OutputError
from reportgen.fileio import atomic_path, sha256_file, write_text


def test_write_creates_parents_and_leaves_no_temp(tmp_path):
    target = tmp_path / "新 目录" / "报告.json"
    write_text(target, "内容")
    assert target.read_text(encoding="utf-8") == "内容"
    assert [p.name for p in target.parent.iterdir()] == ["报告.json"]


def test_failure_keeps_old_target_and_removes_temp(tmp_path):
    target = tmp_path / "out.docx"
    target.write_bytes(b"old")
    with pytest.raises(ValueError), atomic_path(target) as tmp:
        tmp.write_bytes(b"half")
        raise ValueError("render failed")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.docx"]


def test_unwritable_parent_is_output_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="无法写入"), atomic_path(blocker / "out.xlsx"):
        pass


def test_sha256_file(tmp_path):
    path = tmp_path / "a.bin"
    path.write_bytes(b"abc")
    assert sha256_file(path) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
