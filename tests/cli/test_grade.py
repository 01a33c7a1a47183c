"""`reportgen grade template|check|compute|report|archive`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from docx import Document

from reportgen.cli import run
from tests.support import grading_builders as gb


@pytest.fixture
def scheme_file(tmp_path) -> Path:
    previous = {"year": 2023, "places": gb.LAST_YEAR, "source": "2023年度评议结果通报"}
    return gb.write_scheme(tmp_path / "评议方案.yaml", previous=previous)


@pytest.fixture
def returns(tmp_path) -> Path:
    folder = tmp_path / "评分表"
    folder.mkdir()
    gb.fill_workbooks(gb.scheme(), folder)
    return folder


def test_template_writes_one_workbook_per_scorer(tmp_path, scheme_file, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run(["grade", "template", str(scheme_file)]) == 0
    folder = Path("outputs/grading/jinan-food-safety/2024")
    assert sorted(p.name for p in folder.iterdir()) == [
        "评分_市市场监管局.xlsx",
        "评分_市食药安办.xlsx",
    ]
    assert capsys.readouterr().out.count("已生成评分表") == 2


def test_template_for_the_catalog_scheme_and_one_scorer(tmp_path):
    out = tmp_path / "卫健委.xlsx"
    assert (
        run(["grade", "template", "jinan-food-safety", "--scorer", "市卫生健康委", "-o", str(out)])
        == 0
    )
    assert out.is_file()


def test_check_passes_and_fails_with_exit_2(scheme_file, returns, capsys):
    assert run(["grade", "check", str(scheme_file), str(returns)]) == 0
    assert "共检查 2 个文件：2 个通过，0 个有错误" in capsys.readouterr().out
    (returns / f"评分_{gb.MARKET}.xlsx").unlink()
    assert run(["grade", "check", str(scheme_file), str(returns), "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["missing_scorers"] == [gb.MARKET]


def test_compute_prints_the_table_and_json(scheme_file, returns, capsys, tmp_path):
    archive = ["--archive", str(tmp_path / "archive.sqlite")]
    assert run(["grade", "compute", str(scheme_file), str(returns), *archive]) == 0
    captured = capsys.readouterr()
    assert captured.out.count("并列4") == 2
    assert "通报表扬　历城区：评议结果为A级" in captured.out
    assert "未列入通报表扬　槐荫区" in captured.out
    assert "历城区 │ 101.25 │ A        │ A        │ 7        │ ↑3" in captured.out
    assert run(["grade", "compute", str(scheme_file), str(returns), *archive, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [u["grade"] for u in data["units"]] == [g for _, _, g, _ in gb.HAND_RESULT.values()]


def test_report_default_names_say_what_the_files_are(scheme_file, returns, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run(["grade", "report", str(scheme_file), str(returns), "--date", "2025-01-20"]) == 0
    folder = tmp_path / "outputs" / "grading" / "jinan-food-safety" / "2024"
    assert sorted(p.name for p in folder.iterdir()) == [
        "2024年度各区县食品安全工作评议汇总.xlsx",
        "2024年度各区县食品安全工作评议结果通报.docx",
    ]


def test_report_writes_notice_and_summary(scheme_file, returns, tmp_path):
    out = tmp_path / "out" / "通报.docx"
    argv = [
        "grade",
        "report",
        str(scheme_file),
        str(returns),
        "-o",
        str(out),
        "--date",
        "2025-01-20",
    ]
    assert run([*argv, "--archive", str(tmp_path / "archive.sqlite")]) == 0
    assert (tmp_path / "out" / "评议汇总.xlsx").is_file()
    text = [p.text for p in Document(str(out)).paragraphs]
    assert "2025年1月20日" in text


def test_archive_then_next_year_reads_the_places(scheme_file, returns, tmp_path, capsys):
    archive = ["--archive", str(tmp_path / "archive.sqlite")]
    assert run(["grade", "archive", str(scheme_file), str(returns), *archive]) == 0
    assert run(["grade", "archive", str(scheme_file), str(returns), *archive]) == 2
    assert "请加 --replace" in capsys.readouterr().err
    assert run(["grade", "archive", str(scheme_file), str(returns), *archive, "--replace"]) == 0


def test_bad_scores_exit_2_with_cell_precise_errors(scheme_file, returns, capsys):
    import openpyxl

    path = returns / f"评分_{gb.ORGANIZER}.xlsx"
    book = openpyxl.load_workbook(path)
    book["评分"]["B5"] = 70
    book.save(path)
    assert run(["grade", "compute", str(scheme_file), str(returns)]) == 2
    err = capsys.readouterr().err
    assert (
        f"评分_{gb.ORGANIZER}.xlsx 评分!B5：槐荫区 · B1 基础工作（60分）：得分 70 超出范围" in err
    )
