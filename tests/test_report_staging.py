"""Archive first, then the report moves into place, or neither (issue 14): when archiving
fails, an older report of the same name is left as it was and no staging folder remains."""

from __future__ import annotations

from reportgen.archive import Archive
from reportgen.cli import run
from reportgen.errors import ArchiveError
from tests.support.paths import SAMPLES

REPORT = ["report", "zhoushan-2023-metrology", "--period", "2024-Q2", "--data", str(SAMPLES)]


def test_failed_archiving_leaves_the_old_report(tmp_path, monkeypatch, capsys):
    out, summary = tmp_path / "r.docx", tmp_path / "s.xlsx"
    out.write_bytes(b"the report of last week")
    summary.write_bytes(b"last week's summary")

    def refuse(*args: object, **kwargs: object) -> None:
        raise ArchiveError("归档失败（测试）")

    monkeypatch.setattr(Archive, "add", refuse)
    argv = [*REPORT, "-o", str(out), "--summary-xlsx", str(summary), "--store"]
    assert run([*argv, "--archive", str(tmp_path / "a.sqlite")]) == 2
    assert "归档失败" in capsys.readouterr().err
    assert out.read_bytes() == b"the report of last week"
    assert summary.read_bytes() == b"last week's summary"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_archived_report_is_moved_into_place(tmp_path, capsys):
    out = tmp_path / "sub" / "r.docx"
    argv = [*REPORT, "-o", str(out), "--store", "--archive", str(tmp_path / "a.sqlite")]
    assert run(argv) == 0, capsys.readouterr()
    assert out.is_file()
    assert [p.name for p in out.parent.iterdir()] == ["r.docx"]
