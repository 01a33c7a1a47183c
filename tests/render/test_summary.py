"""--summary-xlsx: numbers as numbers rounded as the report shows them, text never a formula."""

from __future__ import annotations

from dataclasses import replace

from openpyxl import load_workbook

from reportgen.render.context import FILLS
from reportgen.render.summary import INDICATOR_COLUMNS, write_summary
from tests.support import render_samples as rs


def column(name: str) -> int:
    return next(n for n, c in enumerate(INDICATOR_COLUMNS, 1) if c[0] == name)


def test_workbook_sheets_values_and_formats(tmp_path):
    tasks = [replace(rs.TASKS[0], progress='=HYPERLINK("http://x")\x07')]
    path = tmp_path / "s.xlsx"
    write_summary(rs.result(tasks=tasks), path)
    book = load_workbook(path)
    assert book.sheetnames == ["汇总", "指标完成情况", "重点任务"]
    summary = {row[0].value: row[1].value for row in book["汇总"].iter_rows()}
    assert (summary["指标总数"], summary["滞后"], summary["约束性指标预警"]) == (5, 1, 1)
    sheet = book["指标完成情况"]
    completion = sheet.cell(2, column("完成率"))
    assert completion.value == 0.333  # 1/3 shown as 33.3%
    assert completion.number_format == "0.0%"
    assert sheet.cell(2, column("差距（个百分点）")).value == 16.6
    status = sheet.cell(2, column("状态"))
    assert status.value == "滞后"
    assert status.fill.fgColor.rgb.endswith(FILLS["滞后"])
    assert status.font.bold
    assert sheet.cell(6, column("完成值")).value is None  # 未填报 stays blank, not 0
    progress = book["重点任务"].cell(2, 5)
    assert progress.data_type == "s"
    assert progress.value == '=HYPERLINK("http://x")'
    assert sheet.freeze_panes == "A2"
