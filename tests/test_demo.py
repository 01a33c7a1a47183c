"""`reportgen demo`: the whole path on the 舟山 sample."""

from __future__ import annotations

from docx import Document

from reportgen import demo
from reportgen.archive import Archive
from reportgen.cli import run


def test_demo_writes_every_output(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(demo, "find_soffice", lambda: None)  # PDFs are tested in test_render_*
    out = tmp_path / "演示 输出"
    assert run(["demo", "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    for name in (
        "填报模板_全部.xlsx",
        "weekly.docx",
        "quarterly.docx",
        "midterm.docx",
        "汇总.xlsx",
    ):
        assert (out / name).is_file(), name
        assert name in printed
    assert "发现错误 0 处" in printed and "未检测到 LibreOffice" in printed
    with Archive.open(out / "archive.sqlite", readonly=True) as archive:
        assert [i.period_key for i in archive.snapshots()] == ["2024-Q1", "2024-Q2"]
    changes = [row.cells[-1].text for row in Document(out / "quarterly.docx").tables[-1].rows[1:]]
    assert "无上期数据" not in changes


def test_demo_twice_rebuilds_its_archive(tmp_path, monkeypatch):
    monkeypatch.setattr(demo, "find_soffice", lambda: None)
    for _ in range(2):
        result = demo.run_demo(tmp_path)
    with Archive.open(result.archive, readonly=True) as archive:
        assert [i.version for i in archive.snapshots()] == [1, 1]
