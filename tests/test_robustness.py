"""Issue 9 robustness: atomic outputs of every kind, inputs never written, awkward paths,
unwritable output places, a missing outputs/ folder, and the --debug contract."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docxtpl
import openpyxl
import pytest
import yaml

from reportgen.cli import run
from reportgen.fileio import sha256_file, write_text
from reportgen.intake.xlsx_cells import Extent, ods_extent
from reportgen.render import pdf
from tests.support.paths import SAMPLES, SOURCES

SOURCE = SOURCES / "zhoushan-2023-metrology-plan.txt"
PLAN = "zhoushan-2023-metrology"
PERIOD = ["--period", "2024-Q2"]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    """The sample workbooks and a source plan under a folder whose names have spaces and 汉字."""
    folder = tmp_path_factory.mktemp("robust") / "各部门 填报 2024"
    folder.mkdir()
    for sample in SAMPLES.glob("*.xlsx"):
        shutil.copy(sample, folder / sample.name.replace("_", " 填报 "))
    shutil.copy(SOURCE, folder / "舟山 计量 实施方案.txt")
    return folder


@pytest.fixture(scope="module")
def archive(inputs, tmp_path_factory) -> Path:
    """An archive with one snapshot of the samples."""
    path = tmp_path_factory.mktemp("archive") / "归档 库.sqlite"
    assert (
        run(["archive", "add", PLAN, *PERIOD, "--data", str(inputs), "--archive", str(path)]) == 0
    )
    return path


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: sha256_file(p) for p in sorted(folder.iterdir())}


def _run(argv: list[str], capsys, inputs: Path) -> tuple[int, str, str]:
    """Run the CLI; the inputs must be byte-for-byte the same afterwards."""
    before = _hashes(inputs)
    code = run([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert _hashes(inputs) == before, "an input file was changed"
    assert "Traceback" not in out + err
    return code, out, err


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# ---------------------------------------------------------------- end to end, awkward paths


def test_every_output_with_spaces_and_chinese_in_paths(inputs, archive, tmp_path, capsys):
    out = tmp_path / "输出 目录" / "2024 二季度"  # missing: created on demand
    runs = {
        "填报 模板.xlsx": ["template", PLAN, *PERIOD, "-o", out / "填报 模板.xlsx"],
        "季度 报告.docx": [
            "report", PLAN, *PERIOD, "--data", inputs, "--kind", "quarterly",
            "-o", out / "季度 报告.docx", "--summary-xlsx", out / "汇总 表.xlsx",
            "--archive", archive,
        ],
        "导出 数据.json": ["archive", "export", PLAN, "-o", out / "导出 数据.json", "--archive", archive],
        "导出 数据.xlsx": ["archive", "export", PLAN, "-o", out / "导出 数据.xlsx", "--archive", archive],
        "方案 草稿.yaml": ["plan", "extract", inputs / "舟山 计量 实施方案.txt", "-o", out / "方案 草稿.yaml"],
    }  # fmt: skip
    for name, argv in runs.items():
        code, _, err = _run(argv, capsys, inputs)
        assert code == 0, (name, err)
    for name in ("填报 模板.xlsx", "季度 报告.docx", "汇总 表.xlsx", "导出 数据.xlsx"):
        with zipfile.ZipFile(out / name) as package:
            assert package.testzip() is None
    assert json.loads((out / "导出 数据.json").read_text(encoding="utf-8"))["plan"] == PLAN
    assert yaml.safe_load((out / "方案 草稿.yaml").read_text(encoding="utf-8"))["indicators"]
    written = sorted(p.name for p in out.iterdir())
    assert written == sorted([*runs, "汇总 表.xlsx"]), "a temp file was left behind"
    assert {p.stat().st_mode & 0o777 for p in out.iterdir()} == {0o666 & ~_umask()}


@pytest.mark.parametrize("flag", ["--json", None])
def test_stdout_commands_write_no_files(inputs, tmp_path, monkeypatch, capsys, flag):
    monkeypatch.chdir(tmp_path)
    for argv in (
        ["check", inputs, "--plan", PLAN, *PERIOD],
        ["progress", PLAN, *PERIOD, "--data", inputs],
    ):
        code, out, _ = _run([*argv, *([flag] if flag else [])], capsys, inputs)
        assert code == 0
        if flag:
            json.loads(out)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(pdf.find_soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_pdf_with_spaces_and_chinese_in_paths(inputs, tmp_path, capsys):
    target = tmp_path / "周 报" / "第 25 周.docx"
    argv = ["report", PLAN, *PERIOD, "--data", inputs, "--kind", "quarterly", "--pdf", "-o", target]
    code, _, err = _run(argv, capsys, inputs)
    assert code == 0, err
    assert target.with_suffix(".pdf").read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in target.parent.iterdir()) == ["第 25 周.docx", "第 25 周.pdf"]


def test_missing_outputs_folder_is_created(inputs, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert _run(["template", PLAN, *PERIOD], capsys, inputs)[0] == 0
    argv = ["report", PLAN, *PERIOD, "--data", inputs, "--kind", "quarterly"]
    assert _run(argv, capsys, inputs)[0] == 0
    made = sorted(p.name for p in (tmp_path / "outputs" / PLAN / "2024-Q2").iterdir())
    assert made == ["填报_全部.xlsx"]
    assert (
        tmp_path / "outputs" / "舟山市计量发展规划实施方案_2024年第二季度进展报告.docx"
    ).is_file()


def test_rewritten_output_keeps_its_permissions(tmp_path):
    target = tmp_path / "报告.json"
    target.write_text("old")
    target.chmod(0o640)
    write_text(target, "new")
    assert target.read_text() == "new" and target.stat().st_mode & 0o777 == 0o640


def test_ods_padding_is_not_counted_but_repeated_values_are(tmp_path):
    """LibreOffice pads every sheet with ~1M empty repeated rows; only cells with values count."""
    empty = '<table:table-cell table:number-columns-repeated="16384"/>'
    padding = f'<table:table-row table:number-rows-repeated="1048570">{empty}</table:table-row>'
    valued = '<table:table-cell office:value-type="float" office:value="1"/>'
    rows = f"<table:table-row>{valued}{valued}{empty}</table:table-row>" * 3

    def extent(body: str) -> Extent:
        path = tmp_path / "s.ods"
        with zipfile.ZipFile(path, "w") as package:
            package.writestr("content.xml", f'<table:table table:name="S">{body}</table:table>')
        with zipfile.ZipFile(path) as package:
            return ods_extent(package, Extent(10**9, 10**9, 10**12))

    assert extent(rows + padding) == Extent(3, 2, 6)
    repeated = valued.replace(
        "<table:table-cell", '<table:table-cell table:number-columns-repeated="500"'
    )
    assert extent(
        f'<table:table-row table:number-rows-repeated="7">{repeated}</table:table-row>'
    ) == Extent(7, 500, 3500)


# ---------------------------------------------------------------- atomic outputs


def _full_disk(target) -> None:
    """Leave half of the file at ``target`` (written, or just begun), then fail as a full disk."""
    path = Path(target)
    data = path.read_bytes() if path.exists() else b"PK\x03\x04 begun"
    with open(path, "wb") as stream:
        stream.write(data[: max(len(data) // 2, 4)])
    raise OSError(errno.ENOSPC, "No space left on device")


def _fail_writer(monkeypatch, writer: str) -> None:
    """Make one kind of writer stop half-way with a full disk."""
    if writer in ("docx", "xlsx"):
        cls = docxtpl.DocxTemplate if writer == "docx" else openpyxl.Workbook
        original = cls.save

        def save(self, target) -> None:
            original(self, target)
            _full_disk(target)

        monkeypatch.setattr(cls, "save", save)
    elif writer == "pdf":
        monkeypatch.setattr(pdf, "require_soffice", lambda: "soffice")
        monkeypatch.setattr(pdf, "convert_to_pdf", lambda docx, target, soffice: _full_disk(target))
    else:
        original_write = Path.write_bytes

        def write_bytes(self: Path, data: bytes) -> int:
            written = original_write(self, data)
            if self.name.endswith(".tmp"):
                _full_disk(self)
            return written

        monkeypatch.setattr(Path, "write_bytes", write_bytes)


# kind -> (failing writer, argv before -o, target, files already there)
ATOMIC = {
    "docx": ("docx", ["report", "--kind", "quarterly"], "r.docx", ["r.docx"]),
    "pdf": ("pdf", ["report", "--kind", "quarterly", "--pdf"], "r.docx", ["r.docx", "r.pdf"]),
    "summary xlsx": ("xlsx", ["report", "--kind", "quarterly", "--summary-xlsx", "{out}/s.xlsx"],
                     "r.docx", ["r.docx", "s.xlsx"]),
    "template xlsx": ("xlsx", ["template"], "t.xlsx", ["t.xlsx"]),
    "extract yaml": ("text", ["plan", "extract", "{source}"], "p.yaml", ["p.yaml"]),
    "export json": ("text", ["archive", "export", "--archive", "{archive}"], "e.json", ["e.json"]),
    "export xlsx": ("xlsx", ["archive", "export", "--archive", "{archive}"], "e.xlsx", ["e.xlsx"]),
}  # fmt: skip


@pytest.mark.parametrize("kind", list(ATOMIC))
def test_failed_write_leaves_old_outputs_and_no_temp(
    kind, inputs, archive, tmp_path, capsys, monkeypatch
):
    writer, command, target, existing = ATOMIC[kind]
    for name in existing:
        (tmp_path / name).write_bytes(b"old " + name.encode())
    fill = {"out": tmp_path, "source": inputs / "舟山 计量 实施方案.txt", "archive": archive}
    argv = [a.format(**fill) for a in command]
    if argv[0] == "report":
        argv += [PLAN, *PERIOD, "--data", str(inputs)]
    elif argv[0] == "template":
        argv += [PLAN, *PERIOD]
    elif argv[0] == "archive":
        argv += [PLAN]
    _fail_writer(monkeypatch, writer)
    code, _, err = _run([*argv, "-o", str(tmp_path / target)], capsys, inputs)
    assert code == 2
    assert "磁盘空间已满" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(existing)
    for name in existing:
        assert (tmp_path / name).read_bytes() == b"old " + name.encode()


# ---------------------------------------------------------------- unwritable places


def _blocked(tmp_path: Path) -> dict[str, Path]:
    blocker = tmp_path / "是文件 不是目录"
    blocker.write_text("x")
    return {"parent is a file": blocker / "sub", "read-only /proc": Path("/proc/reportgen-test")}


UNWRITABLE = {
    "report": ["report", PLAN, *PERIOD, "--kind", "quarterly", "--data", "{inputs}"],
    "template": ["template", PLAN, *PERIOD],
    "extract": ["plan", "extract", "{source}"],
    "export": ["archive", "export", PLAN, "--archive", "{archive}"],
}


@pytest.mark.parametrize("place", ["parent is a file", "read-only /proc"])
@pytest.mark.parametrize("command", list(UNWRITABLE))
def test_unwritable_output_place(command, place, inputs, archive, tmp_path, capsys):
    folder = _blocked(tmp_path)[place]
    fill = {"inputs": inputs, "source": inputs / "舟山 计量 实施方案.txt", "archive": archive}
    suffix = {"report": "docx", "template": "xlsx", "extract": "yaml", "export": "json"}[command]
    target = folder / f"输出.{suffix}"
    argv = [a.format(**fill) for a in UNWRITABLE[command]]
    code, _, err = _run([*argv, "-o", str(target)], capsys, inputs)
    assert code == 2
    assert "无法写入输出文件" in err and str(target) in err.replace("\n", "")


def test_unwritable_archive_place(inputs, tmp_path, capsys):
    target = _blocked(tmp_path)["parent is a file"] / "a.sqlite"
    argv = ["archive", "add", PLAN, *PERIOD, "--data", inputs, "--archive", target]
    code, _, err = _run(argv, capsys, inputs)
    assert code == 2 and "归档" in err


def test_directory_as_output_is_refused(inputs, tmp_path, capsys):
    (tmp_path / "r.docx").mkdir()
    argv = ["report", PLAN, *PERIOD, "--kind", "quarterly", "--data", inputs]
    code, _, err = _run([*argv, "-o", tmp_path / "r.docx", "--summary-xlsx", tmp_path / "s.xlsx"],
                        capsys, inputs)  # fmt: skip
    assert code == 2 and "文件夹" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.docx"]


# ---------------------------------------------------------------- errors and --debug


def _broken_progress(*_args, **_kwargs):
    raise RuntimeError("计算出错")


def test_internal_error_is_short_and_points_to_debug(inputs, monkeypatch, capsys, tmp_path):
    monkeypatch.setattr("reportgen.pipeline.compute_progress", _broken_progress)
    argv = ["report", PLAN, *PERIOD, "--data", inputs, "-o", tmp_path / "r.docx"]
    code, _, err = _run(argv, capsys, inputs)
    assert code == 1
    assert "内部错误（RuntimeError）" in err and "--debug" in err
    code = run(["--debug", *map(str, argv)])
    assert code == 1 and "Traceback" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_user_error_has_no_traceback_even_with_debug(tmp_path, capsys):
    bad = tmp_path / "坏 文件.xlsx"
    bad.write_bytes(b"\x00" * 100)
    assert run(["--debug", "check", str(bad), "--plan", PLAN, *PERIOD]) == 2
    out, err = capsys.readouterr()
    assert "坏 文件.xlsx" in out and "Traceback" not in out + err


def test_real_process_exit_codes_and_streams(tmp_path):
    bad = tmp_path / "坏 文件.xlsx"
    bad.write_bytes(b"PK\x03\x04 truncated")
    done = subprocess.run(
        [sys.executable, "-m", "reportgen", "report", PLAN, *PERIOD, "--data", str(bad)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 2
    assert "坏 文件.xlsx" in done.stderr and "Traceback" not in done.stderr + done.stdout
    assert list(tmp_path.iterdir()) == [bad]
