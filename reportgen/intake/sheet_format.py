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
