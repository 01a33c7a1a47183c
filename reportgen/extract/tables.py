"""Indicator tables: text rows (tab- or space-separated) and .docx tables, read by their header.

The header row is the first row with a year column ("2022年", "2025年目标") or a 基期/目标 column.
Columns are recognised by their header words: 序号, 类别, 指标/名称, 单位, 属性, 牵头/责任单位 and
the year columns. A year column is a baseline when its header says 基期/现状, or when its year is
before the plan starts; otherwise it holds targets. A blank 类别 cell continues the one above.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from reportgen.errors import Problem
from reportgen.extract.names import UNIT, parse_number, split_unit
from reportgen.extract.tasks import department_list
from reportgen.extract.text import BOX_HEADING, Para

# Header words of each column role (structural 公文 table vocabulary).
_ROLES = (
    ("seq", re.compile(r"^(?:序号|编号|序)$")),
    ("unit", re.compile(r"^(?:计量)?单位$")),
    ("attribute", re.compile(r"属性|性质|指标类型")),
    ("lead", re.compile(r"牵头|责任(?:单位|部门)")),
    ("category", re.compile(r"类别|分类|领域|维度|方面")),
    ("name", re.compile(r"指标|名称|项目|内容")),
)
_YEAR = re.compile(r"((?:19|20)\d{2})")
_BASELINE_WORD = re.compile(r"基期|现状|基准|基数|现值|完成值|实际")
_TARGET_WORD = re.compile(r"目标|预期|规划|计划")
# A value cell: "95", "≥95%", "100以上", "1.5万"; blanks and dashes mean "no target that year".
_VALUE = re.compile(
    rf"^(?:[≥≧>＞]|不低于|不少于)?\s*(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>{UNIT})?\s*(?P<qual>以上|以下|以内|左右)?$"
)
# "[500]" / "〔500〕": a total over the whole plan period (the 规划 table convention).
_PERIOD_TOTAL = re.compile(r"^[\[〔【]\s*(?P<inner>[^\]〕】]+?)\s*[\]〕】]$")
_EMPTY = re.compile(r"^(?:|[-—–－/／]+|无|—)$")
_CATEGORY_LINE = 20


@dataclass(frozen=True)
class TableYears:
    """What decides a year column: the plan's first year (earlier = baseline) and the goal year
    stated in the text (for a 目标 column without a year)."""

    start: int | None
    goal: int | None


@dataclass(frozen=True)
class Column:
    index: int
    role: str
    year: int | None = None


@dataclass
class TableRow:
    """One indicator read from a table row."""

    name: str
    unit: str
    category: str | None
    attribute: str
    targets: dict[int, int | float]
    baseline: tuple[int, int | float] | None
    lead: list[str]
    source_ref: str
    line: int
    notes: list[str] = field(default_factory=list)
    period_total: bool = False


def group_tables(paras: list[Para]) -> list[tuple[str, list[Para]]]:
    """Runs of table rows with their caption (the short paragraph just before, if any).

    A short line between two rows (a category written across the table) stays in the run as a
    one-cell row.
    """
    tables: list[tuple[str, list[Para]]] = []
    caption = ""
    for n, para in enumerate(paras):
        before = paras[n - 1] if n else None
        after = paras[n + 1] if n + 1 < len(paras) else None
        if not para.is_row:
            if (
                before
                and before.is_row
                and after
                and after.is_row
                and len(para.text) <= _CATEGORY_LINE
            ):
                tables[-1][1].append(Para(para.line, para.text, (para.text,), before.table))
                continue
            caption = para.text if len(para.text) <= 40 and not para.text.endswith("。") else ""
            continue
        if before is not None and before.is_row and before.table == para.table and tables:
            tables[-1][1].append(para)
        else:
            tables.append((caption, [para]))
    return tables


def table_label(caption: str, number: int) -> str:
    """ "专栏1" / "表2" from the caption, else the caption itself, else "表N"."""
    box = BOX_HEADING.match(caption)
    if box:
        return box.group(0).strip()
    return f"表 {caption}" if caption else f"表{number}"


def read_table(
    caption: str,
    rows: list[Para],
    number: int,
    years: TableYears,
    where: Callable[[int], str],
) -> tuple[list[TableRow], list[Problem]]:
    """Indicators of one table; problems for cells that could not be read."""
    head_at = next((n for n, r in enumerate(rows[:4]) if _is_header(r.cells)), None)
    if head_at is None:
        return [], []
    header = list(rows[head_at].cells)
    data = rows[head_at + 1 :]
    if data and _is_subheader(data[0].cells):
        header = [
            f"{h}{s}" for h, s in zip(header, [*data[0].cells, *[""] * len(header)], strict=False)
        ]
        data = data[1:]
    columns, problems = _columns(header, caption, years, where(rows[head_at].line))
    label = table_label(caption, number)
    found: list[TableRow] = []
    category: str | None = None
    number_in_table = 0
    for row in data:
        cells = _aligned(row.cells, header, columns)
        words = [c for c in cells if c]
        if len(words) == 1 and cells[0] and not _VALUE.match(cells[0]):
            category = cells[0]
            continue
        category = _category(columns, cells, category)
        number_in_table += 1
        item, row_problems = _row(
            columns, cells, category, f"{label} 第{number_in_table}行", row.line, where(row.line)
        )
        problems += row_problems
        if item:
            found.append(item)
    return found, problems


def _aligned(cells: tuple[str, ...], header: list[str], columns: list[Column]) -> list[str]:
    """Pad a row to the header; a space-separated row one cell short lost its blank first cell
    (category or number), so it is shifted right."""
    row = list(cells)
    leading = columns and min(columns, key=lambda c: c.index)
    if (
        len(row) == len(header) - 1
        and leading
        and leading.index == 0
        and leading.role in ("category", "seq")
    ):
        row.insert(0, "")
    return [*row, *[""] * (len(header) - len(row))]


def _is_header(cells: tuple[str, ...]) -> bool:
    """A row naming year/目标/基期 columns and holding no values."""
    words = [c for c in cells if c]
    labelled = any(
        _YEAR.search(c) or _TARGET_WORD.search(c) or _BASELINE_WORD.search(c) for c in words
    )
    values = any(_VALUE.match(c) and not _YEAR.fullmatch(c) for c in words)
    return labelled and not values


def _is_subheader(cells: tuple[str, ...]) -> bool:
    words = [c for c in cells if c]
    return bool(words) and all(_BASELINE_WORD.search(c) or _TARGET_WORD.search(c) for c in words)


def _columns(
    header: list[str], caption: str, years: TableYears, where: str
) -> tuple[list[Column], list[Problem]]:
    columns: list[Column] = []
    problems: list[Problem] = []
    caption_years = [int(y) for y in _YEAR.findall(caption)]
    start = years.start
    for n, text in enumerate(header):
        year_match = _YEAR.search(text)
        role = next((r for r, p in _ROLES if p.search(text)), None)
        if year_match or (not role and (_TARGET_WORD.search(text) or _BASELINE_WORD.search(text))):
            year = int(year_match.group(1)) if year_match else None
            baseline = bool(_BASELINE_WORD.search(text)) or (
                year is not None
                and start is not None
                and year < start
                and not _TARGET_WORD.search(text)
            )
            if year is None and not baseline and (caption_years or years.goal):
                year = max(caption_years) if caption_years else years.goal
                problems.append(
                    Problem(
                        where,
                        f"表头“{text}”没有写年份，按{'表题' if caption_years else '正文目标'}取 {year} 年，请核对",
                    )
                )
            if year is None:
                problems.append(
                    Problem(where, f"表头“{text}”没有写年份，这一列未提取，请在草稿中补写")
                )
                continue
            columns.append(Column(n, "baseline" if baseline else "target", year))
        elif role and not any(c.role == role for c in columns):
            columns.append(Column(n, role))
    if not any(c.role == "name" for c in columns):
        free = next((n for n, t in enumerate(header) if n not in {c.index for c in columns}), None)
        if free is not None:
            columns.append(Column(free, "name"))
    return columns, problems


def _cell(columns: list[Column], cells: list[str], role: str) -> str:
    column = next((c for c in columns if c.role == role), None)
    return cells[column.index].strip() if column and column.index < len(cells) else ""


def _category(columns: list[Column], cells: list[str], current: str | None) -> str | None:
    if not any(c.role == "category" for c in columns):
        return current
    return _cell(columns, cells, "category") or current


def _row(
    columns: list[Column], cells: list[str], category: str | None, ref: str, line: int, where: str
) -> tuple[TableRow | None, list[Problem]]:
    raw_name = _cell(columns, cells, "name")
    if not raw_name or _VALUE.match(raw_name):
        return None, []
    name, unit = split_unit(raw_name)
    unit = _cell(columns, cells, "unit") or unit
    targets: dict[int, int | float] = {}
    baselines: list[tuple[int, int | float]] = []
    notes: list[str] = []
    problems: list[Problem] = []
    period_total = False
    for column in (c for c in columns if c.role in ("target", "baseline")):
        text = cells[column.index].strip() if column.index < len(cells) else ""
        if _EMPTY.match(text):
            continue
        total = _PERIOD_TOTAL.match(text)
        if total:
            period_total = True
            notes.append(f"原文{column.year}年为“{text}”，括号内为规划期累计数")
        match = _VALUE.match(total.group("inner") if total else text)
        if not match:
            problems.append(Problem(where, f"“{name}”{column.year}年一栏“{text}”不是数字，未提取"))
            continue
        value = parse_number(match.group("num"))
        unit = unit or (match.group("unit") or "")
        if match.group("qual") or text[0] in "≥≧>＞不":
            notes.append(f"原文{column.year}年为“{text}”")
        if column.role == "target":
            targets[column.year] = value
        else:
            baselines.append((column.year, value))
    if not targets:
        problems.append(Problem(where, f"表格行“{name}”没有目标值，未提取"))
        return None, problems
    attribute_text = _cell(columns, cells, "attribute")
    attribute = "约束性" if "约束" in attribute_text else "预期性"
    if attribute_text and not re.search("约束|预期", attribute_text):
        notes.append(f"属性一栏为“{attribute_text}”，暂记为预期性")
    item = TableRow(
        name=name,
        unit=unit,
        category=category,
        attribute=attribute,
        targets=targets,
        baseline=max(baselines) if baselines else None,
        lead=department_list(_cell(columns, cells, "lead"))[:1],
        source_ref=ref,
        line=line,
        notes=notes,
        period_total=period_total,
    )
    return item, problems
