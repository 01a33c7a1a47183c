"""填报人 and 联系电话: their own cells above a round template's table, found by their labels."""

from __future__ import annotations

import re
from dataclasses import dataclass

from reportgen.intake.layout import (
    FILLER_LABEL,
    INDICATOR_SHEET,
    PHONE_LABEL,
    ROUND_TOP_ROWS,
    TASK_SHEET,
    cell_ref,
)
from reportgen.intake.reader import RawWorkbook
from reportgen.intake.result import Issue
from reportgen.intake.values import cell_text, normalize_text

# Landline with optional area code and extension, or an 11-digit mobile number.
_PHONE = re.compile(r"^(?:\(?0\d{2,3}\)?[-\s]?)?\d{7,8}(?:[-转]\d{1,6})?$|^1\d{10}$")


@dataclass(frozen=True)
class Contact:
    """Who filled the return; ``cells`` maps each label found to the cell of its value."""

    filler: str | None
    phone: str | None
    sheet: str
    cells: dict[str, str]


def read_contact(raw: RawWorkbook) -> Contact | None:
    """The contact cells of a round template (None for a workbook without them)."""
    for name in (INDICATOR_SHEET, TASK_SHEET):
        sheet = raw.sheets.get(name)
        if sheet is None:
            continue
        found: dict[str, str | None] = {}
        cells: dict[str, str] = {}
        for r, row in enumerate(sheet.rows[:ROUND_TOP_ROWS]):
            for c, value in enumerate(row[:-1]):
                label = normalize_text(cell_text(value)).rstrip("：:")
                if label in (FILLER_LABEL, PHONE_LABEL):
                    found[label] = cell_text(row[c + 1]).strip() or None
                    cells[label] = cell_ref(r, c + 1)
        if cells:
            return Contact(found.get(FILLER_LABEL), found.get(PHONE_LABEL), name, cells)
    return None


def contact_issues(contact: Contact) -> list[Issue]:
    """Warnings for a blank 填报人/联系电话 or a number that does not look like a phone number."""
    issues = []
    for label, value in ((FILLER_LABEL, contact.filler), (PHONE_LABEL, contact.phone)):
        cell = contact.cells.get(label, "")
        if not value:
            issues.append(Issue(contact.sheet, cell, f"请填写{label}，以便核实数据时联系。"))
    phone = contact.phone
    if phone and not _PHONE.match(re.sub(r"[\s（）()]", "", phone).replace("—", "-")):
        issues.append(
            Issue(
                contact.sheet,
                contact.cells.get(PHONE_LABEL, ""),
                f"联系电话“{phone}”不像电话号码。请填写手机号（11 位）或带区号的座机号，如 0531-12345678。",
            )
        )
    return issues
