"""The 填报 template: sheets, headers, protection, validation, _meta and print setup."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from reportgen.errors import IntakeError
from reportgen.intake import check_files, default_template_path, make_template, write_template
from reportgen.intake.layout import INDICATOR_HEADERS, TASK_HEADERS, year_target
from reportgen.periods import parse_period
from tests.support.intake_builders import PERIOD, ROW, fill, plan_data, small_plan, template

# UTF-8, cells as shown, second sheet (指标填报)
CSV_SHEET_2_AS_SHOWN = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,2"


def test_small_plan_is_valid():
    plan = small_plan()
    assert [i.id for i in plan.indicators] == list(ROW)
    assert plan.departments() == ["市市场监管局", "市人社局", "市科技局"]


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    path = template(tmp_path_factory.mktemp("tpl"), department=None, name="填报_全部.xlsx")
    return openpyxl.load_workbook(path)


def test_sheets_and_exact_headers(book):
    assert book.sheetnames == ["填写说明", "指标填报", "重点任务", "_meta"]
    assert tuple(c.value for c in book["指标填报"][1]) == INDICATOR_HEADERS
    assert tuple(c.value for c in book["重点任务"][1]) == TASK_HEADERS
    ids = [book["指标填报"].cell(r, 1).value for r in range(2, 7)]
    assert ids == list(ROW)


def test_only_the_input_columns_are_editable(book):
    ws = book["指标填报"]
    assert ws.protection.sheet and not ws.protection.password
    unlocked = {c.column_letter for c in ws[2] if not c.protection.locked}
    assert unlocked == {"H", "I", "J"}
    tasks = book["重点任务"]
    assert tasks.protection.sheet
    assert {c.column_letter for c in tasks[2] if not c.protection.locked} == {"E", "F", "G", "H"}


def test_value_validation_by_unit_and_method(book):
    rules = {str(dv.sqref): dv for dv in book["指标填报"].data_validations.dataValidation}
    by_cell = {cell: dv for sqref, dv in rules.items() for cell in sqref.split()}
    percent = by_cell["H4"]
    assert (percent.type, percent.operator, percent.formula1, percent.formula2) == (
        "decimal",
        "between",
        "0",
        "100",
    )
    assert "95% 填 95" in percent.prompt
    count = by_cell["H2"]
    assert (count.type, count.operator, count.formula1) == ("decimal", "greaterThanOrEqual", "0")
    assert by_cell["H6"].operator == "greaterThanOrEqual"  # reverse indicators too
    titles = {cell: by_cell[f"H{row}"].promptTitle for cell, row in ROW.items()}
    assert titles == {
        "C1": "填写累计完成数",
        "L1": "填写当前水平",
        "P1": "填写当前水平",
        "A1": "填写本年累计",
        "R1": "填写当前值",
    }
    for dv in rules.values():
        assert len(dv.prompt or "") <= 255 and len(dv.promptTitle or "") <= 32


def test_status_dropdown(book):
    (status,) = [dv for dv in book["重点任务"].data_validations.dataValidation if dv.type == "list"]
    assert status.formula1 == '"已完成,推进中,未启动,滞后"'
    assert str(status.sqref) == "E2:E4"


def test_meta_is_very_hidden_and_identifies_the_template(book):
    meta = book["_meta"]
    assert meta.sheet_state == "veryHidden"
    values = {row[0]: row[1] for row in meta.iter_rows(values_only=True)}
    assert values == {
        "plan_id": "test-plan",
        "plan_hash": small_plan().content_hash,
        "period": "2024-Q2",
        "department": "全部",
        "template_version": 1,
    }


def test_layout_and_print_setup(book):
    ws = book["指标填报"]
    assert ws.freeze_panes == "C2"
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 9  # A4
    assert ws.print_title_rows == "$1:$1"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.column_dimensions["B"].width >= 30
    assert ws["B2"].alignment.wrap_text
    assert ws["H4"].number_format == "General"  # 95 shows as 95; % is in the 单位 column


def test_targets_shown(book):
    ws = book["指标填报"]
    # C1 has a 2024 target; L1 only 2025: shown with its year in the number format.
    assert (ws["E2"].value, ws["F2"].value, ws["G2"].value) == (0, 10, 20)
    assert ws["F2"].number_format == "General"
    assert (ws["F3"].value, ws["F3"].number_format) == (45, 'General"（2025年）"')
    assert ws["G3"].number_format == 'General"（2025年）"'
    assert ws["E3"].number_format == 'General"（2022年）"'


def test_year_target_rule():
    indicator = small_plan().indicator("C1")
    assert year_target(indicator, 2024) == (2024, 10)
    assert year_target(indicator, 2023) == (2024, 10)
    assert year_target(indicator, 2026) == (2025, 20)


def test_guide_explains_who_fills_what(tmp_path):
    path = write_template(
        small_plan(), PERIOD, tmp_path / "t.xlsx", department="市科技局", deadline=date(2024, 7, 5)
    )
    guide = [c.value or "" for c in openpyxl.load_workbook(path)["填写说明"]["A"]]
    text = "\n".join(guide)
    assert guide[0] == "测试市计量发展实施方案"
    assert "2024年第二季度" in text and "2024年7月5日前报送" in text
    assert "填报单位：市科技局" in text and "1 项重点任务" in text
    assert "95% 填 95" in text and "不会按 0 计算" in text
    assert "累计完成数" in text and "当前值" in text
    assert "联系电话" in text


def test_department_gets_its_tasks_only(tmp_path):
    book = openpyxl.load_workbook(template(tmp_path, department="市经信局"))
    assert [r[0] for r in book["重点任务"].iter_rows(min_row=2, values_only=True)] == ["T2"]
    assert book["指标填报"].max_row == 1  # indicators go to their lead (市科技局) only


def test_indicator_leads_filter_rows(tmp_path):
    data = plan_data()
    data["indicators"][0]["lead"] = ["市人社局"]
    book = openpyxl.load_workbook(template(tmp_path, plan=small_plan(data)))
    ids = [r[0] for r in book["指标填报"].iter_rows(min_row=2, values_only=True)]
    assert ids == ["L1", "P1", "A1", "R1"]


def test_unknown_department_is_refused():
    with pytest.raises(IntakeError, match=r"没有单位“市教育局”.*市市场监管局"):
        make_template(small_plan(), PERIOD, department="市教育局")


def test_write_is_atomic_and_default_path(tmp_path):
    out = write_template(small_plan(), PERIOD, tmp_path / "sub" / "a.xlsx")
    assert [p.name for p in out.parent.iterdir()] == ["a.xlsx"]
    assert str(default_template_path(small_plan(), parse_period("2024-W25"), None)) == (
        "outputs/test-plan/2024-W25/填报_全部.xlsx"
    )


def _soffice(source, folder, target: str) -> Path | None:
    """Convert with LibreOffice; None when it could not (Calc not installed)."""
    command = [
        "soffice",
        "--headless",
        "--convert-to",
        target,
        "--outdir",
        str(folder),
        str(source),
    ]
    subprocess.run(command, timeout=180, capture_output=True, check=False)
    made = sorted(folder.glob(f"{source.stem}*.{target.split(':')[0]}"))
    return made[0] if made else None


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice 未安装，跳过打开测试")
def test_libreoffice_opens_and_saves_the_template(tmp_path):
    probe = tmp_path / "probe.xlsx"
    openpyxl.Workbook().save(probe)
    if _soffice(probe, tmp_path / "probe", "csv") is None:
        pytest.skip("LibreOffice Calc 不可用")
    path = fill(template(tmp_path), {"H2": 12, "H4": "95"})
    shown = _soffice(path, tmp_path / "csv", CSV_SHEET_2_AS_SHOWN)
    assert shown is not None
    rows = shown.read_text(encoding="utf-8").splitlines()
    assert rows[0] == ",".join(INDICATOR_HEADERS)
    assert rows[2].startswith("L1,注册计量师,人,预期性,40（2022年）,45（2025年）,45（2025年）")
    resaved = _soffice(path, tmp_path / "lo", "xlsx")  # as a LibreOffice user would save it
    (result,) = check_files([resaved], small_plan(), PERIOD).files
    assert result.ok, result.errors
    assert {r.indicator_id: r.value for r in result.values}["C1"] == 12
