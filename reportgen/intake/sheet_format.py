"""Formatting shared by the 填报 workbook's sheets (openpyxl): text width and the printed page."""

from __future__ import annotations

from typing import Literal

from openpyxl.worksheet.worksheet import Worksheet


def text_width(text: str) -> int:
    """How many character widths ``text`` takes in a cell: CJK and other wide characters count 2."""
    return sum(2 if ord(c) > 0x2E7F else 1 for c in text)


def page_setup(ws: Worksheet, orientation: Literal["portrait", "landscape"]) -> None:
    """Print ``ws`` on A4 in ``orientation``, scaled to one page wide (as many pages long as needed)."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = orientation
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def protect_for_printing(ws: Worksheet, freeze: str, title_rows: str) -> None:
    """Frozen headers, protection without password (formatting still allowed), A4 landscape with
    ``title_rows`` on every page and page numbers in the footer."""
    ws.freeze_panes = freeze
    protection = ws.protection
    protection.sheet = True
    protection.formatCells = False
    protection.formatColumns = False
    protection.formatRows = False
    page_setup(ws, "landscape")
    ws.print_title_rows = title_rows
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.size = 9
