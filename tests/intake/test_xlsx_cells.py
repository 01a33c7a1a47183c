"""The one streaming pass over a worksheet (xlsx_cells.scan_sheet): its byte patterns find the
same formulas, error values and %-formatted cells as the exact expat scan, whatever the spelling
and wherever the chunks are cut."""

from __future__ import annotations

import io
import zipfile

import pytest

from reportgen.intake import xlsx_cells
from reportgen.intake.xlsx_cells import CellFlags, Extent, percent_styles, scan_sheet
from tests.support.hostile_corpus import SHEET
from tests.support.hostile_workbooks import heavy_data_sheet, with_percent_style
from tests.support.paths import SAMPLES

VALID = (SAMPLES / "填报_市市场监管局.xlsx").read_bytes()
BOUND = Extent(100_000, 200, 2_000_000)
# Every kind of cell the flags care about (style 10 is a percent format), by column B..K.
CELLS = (
    '<c r="{ref}" t="e"><f>1/0</f><v>#DIV/0!</v></c>',
    '<c r="{ref}" t="e"/>',
    '<c r="{ref}" t="str"><f>""</f><v></v></c>',
    '<c r="{ref}"><f>X1</f><v></v></c>',
    '<c r="{ref}" s="10"><f t="shared" si="0"/><v>0.5</v></c>',
    '<c r="{ref}" s="10" t="s"><v>0</v></c>',
    '<c r="{ref}" s="10"/>',
    '<c r="{ref}" s="10" t="n"><v>7</v></c>',
    '<c r="{ref}" t="e"><f>Y</f></c>',
    '<c r="{ref}" s="10" t="inlineStr"><is><t>5%</t></is></c>',
    '<c r="{ref}" s="10"><f>Z</f></c>',
)


def mixed(ref: str, row: int, column: int) -> str:
    return CELLS[(column + row) % len(CELLS)].format(ref=ref)


def flags_both_ways(data: bytes) -> tuple[CellFlags, CellFlags]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        styles = percent_styles(package)
        _, fast = scan_sheet(package, SHEET, BOUND, styles)
        exact = xlsx_cells._scan_sheet(package.read(SHEET), styles)
    return fast, exact


@pytest.mark.parametrize("size", [1 << 20, 4096, 333])
@pytest.mark.parametrize("spelling", ["excel", "lower-case reference"])
def test_fast_flags_equal_the_exact_scan(monkeypatch, size, spelling):
    monkeypatch.setattr(xlsx_cells, "_EXTENT_CHUNK", size)  # cells cut across reads
    data = heavy_data_sheet(VALID, 200, 24, mixed)
    if spelling != "excel":  # not Excel's spelling: the exact scan decides
        data = heavy_data_sheet(VALID, 200, 24, lambda *a: mixed(*a).replace('r="E', 'r="e'))
    exact_scans = []
    scan = xlsx_cells._scan_sheet
    monkeypatch.setattr(xlsx_cells, "_scan_sheet", lambda *a: exact_scans.append(1) or scan(*a))
    fast, exact = flags_both_ways(with_percent_style(data))
    assert fast == exact
    assert len(exact_scans) == (1 if spelling == "excel" else 2)  # the test's own, + fallback
    assert exact.formulas and exact.errors and exact.percent


def test_extent_is_found_whatever_the_chunks(monkeypatch):
    data = heavy_data_sheet(VALID, 300, 30, mixed)
    with zipfile.ZipFile(io.BytesIO(VALID)) as package:
        sample_cells = package.read(SHEET).count(b"<c ")
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        whole, _ = scan_sheet(package, SHEET, BOUND, frozenset())
        monkeypatch.setattr(xlsx_cells, "_EXTENT_CHUNK", 500)
        cut, _ = scan_sheet(package, SHEET, BOUND, frozenset())
    assert whole == cut == Extent(310, 30, sample_cells + 300 * 30)
