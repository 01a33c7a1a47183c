"""Finding a table in a worksheet by its header texts, so inserted rows or columns do not matter."""

from __future__ import annotations

from dataclasses import dataclass

from reportgen.intake.layout import cell_ref
from reportgen.intake.reader import RawWorkbook, SheetData
from reportgen.intake.values import normalize_text

HEADER_SEARCH_ROWS = 10


@dataclass(frozen=True)
class Table:
    """A located table: its sheet, the zero-based header row and header text -> column."""

    sheet: SheetData
    header_row: int
    columns: dict[str, int]

    def get(self, row: list[object], header: str) -> object:
        column = self.columns.get(header)
        return row[column] if column is not None and column < len(row) else None

    def ref(self, row: int, header: str) -> str:
        return cell_ref(row, self.columns[header])


def find_table(raw: RawWorkbook, name: str, *required: str) -> Table | None:
    """The sheet called ``name``, else any sheet whose header row has the ``required`` headers.

    Sheets are read one at a time as the search reaches them (``RawWorkbook.sheets`` loads
    lazily), so other sheets cost nothing when the named one has the table.
    """
    others = [n for n in raw.sheets if n != name and not n.startswith("_")]
    for sheet_name in [name, *others] if name in raw.sheets else others:
        sheet = raw.sheets[sheet_name]
        for number, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
            columns: dict[str, int] = {}
            for column, value in enumerate(row):
                if isinstance(value, str):
                    columns.setdefault(normalize_text(value), column)
            if all(h in columns for h in required):
                return Table(sheet, number, columns)
    return None
