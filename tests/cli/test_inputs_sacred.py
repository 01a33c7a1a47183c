"""Inputs are sacred (issue 14): an output naming one of the run's inputs — directly, through a
symbolic link or as a hard link — is exit 2 with a message, and nothing is written."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from reportgen.cli import run
from reportgen.errors import OutputError
from reportgen.fileio import check_outputs, sha256_file
from tests.support.paths import CATALOG, SAMPLES, TEMPLATES

PLAN = "zhoushan-2023-metrology"
SAMPLE = "填报_市市场监管局.xlsx"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(SAMPLES, folder)
    return folder


def fingerprints(folder: Path) -> dict[str, str]:
    return {p.name: sha256_file(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def report(data: Path, *extra: str) -> list[str]:
    return ["report", PLAN, "--period", "2024-Q2", "--data", str(data), *extra]


def refused(argv: list[str], capsys, watched: Path) -> str:
    before = fingerprints(watched)
    code = run(argv)
    err = capsys.readouterr().err
    assert code == 2, err
    assert "输入文件" in err
    assert fingerprints(watched) == before
    return err


def test_report_over_a_workbook_in_data(data, capsys):
    refused(report(data, "-o", str(data / SAMPLE)), capsys, data)


def test_summary_over_a_workbook(data, tmp_path, capsys):
    argv = report(data, "-o", str(tmp_path / "r.docx"), "--summary-xlsx", str(data / SAMPLE))
    refused(argv, capsys, data)
    assert not (tmp_path / "r.docx").exists()


def test_report_through_a_symlink_to_the_template(data, tmp_path, capsys):
    template = tmp_path / "mine.docx"
    shutil.copy(TEMPLATES / "quarterly.docx", template)
    link = tmp_path / "out.docx"
    link.symlink_to(template)
    refused(report(data, "--template", str(template), "-o", str(link)), capsys, tmp_path)


def test_report_over_a_hard_link_of_a_workbook(data, tmp_path, capsys):
    hard = tmp_path / "elsewhere.docx"
    os.link(data / SAMPLE, hard)
    refused(report(data, "-o", str(hard)), capsys, data)


def test_report_over_the_archive(data, tmp_path, capsys):
    archive = tmp_path / "a.sqlite"
    assert (
        run(report(data, "-o", str(tmp_path / "r.docx"), "--store", "--archive", str(archive))) == 0
    )
    capsys.readouterr()
    refused(
        report(data, "-o", str(archive), "--store", "--archive", str(archive)),
        capsys,
        tmp_path,
    )


def test_report_over_the_plan_file(data, tmp_path, capsys):
    plan = tmp_path / "plan.yaml"
    shutil.copy(CATALOG / f"{PLAN}.yaml", plan)
    argv = ["report", str(plan), "--period", "2024-Q2", "--data", str(data), "-o", str(plan)]
    refused(argv, capsys, tmp_path)


def test_archive_export_over_the_archive(data, tmp_path, capsys):
    archive = tmp_path / "a.sqlite"
    assert (
        run(report(data, "-o", str(tmp_path / "r.docx"), "--store", "--archive", str(archive))) == 0
    )
    capsys.readouterr()
    link = tmp_path / "export.json"
    link.symlink_to(archive)
    refused(
        ["archive", "export", PLAN, "-o", str(link), "--archive", str(archive)], capsys, tmp_path
    )


def test_plan_extract_over_its_source_by_hard_link(tmp_path, capsys):
    source = tmp_path / "方案.txt"
    source.write_text("（一）到2025年，全市计量标准达到80项以上。\n", encoding="utf-8")
    os.link(source, tmp_path / "draft.yaml")
    refused(["plan", "extract", str(source), "-o", str(tmp_path / "draft.yaml")], capsys, tmp_path)


def test_template_over_the_plan_file(tmp_path, capsys):
    plan = tmp_path / "plan.yaml"
    shutil.copy(CATALOG / f"{PLAN}.yaml", plan)
    link = tmp_path / "填报.xlsx"
    link.symlink_to(plan)
    refused(["template", str(plan), "--period", "2024-Q2", "-o", str(link)], capsys, tmp_path)


def test_library_guard_allows_other_files(tmp_path):
    (tmp_path / "in.xlsx").write_bytes(b"x")
    check_outputs([tmp_path / "out.docx", None], [tmp_path, None])
    with pytest.raises(OutputError):
        check_outputs([tmp_path / "sub" / ".." / "in.xlsx"], [tmp_path])
