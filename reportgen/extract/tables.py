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
from reportgen.extract.years import five_year_period

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
    rf"^(?P<cmp>[≥≧>＞≤≦<＜]|不低于|不少于|不高于|不超过)?\s*(?P<num>\d+(?:\.\d+)?)\s*"
    rf"(?P<unit>{UNIT})?\s*(?P<qual>以上|以下|以内|左右)?$"
)
# "76。7": a full stop for a decimal point (OCR); a footnote digit glued inside a name
# ("地级及以上城市2空气质量…", "〔累计〕1").
_OCR_POINT = re.compile(r"(?<=\d)。(?=\d)")
_FOOTNOTE = re.compile(r"(?<=[\u4e00-\u9fff）〕])\d(?=[\u4e00-\u9fff（]|$)")
_TOTAL_WORD = re.compile(r"累计|合计|期间")
_ATTRIBUTE_WORD = re.compile(r"^(?:约束性|预期性|约束|预期)$")
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
    period: tuple[int, int] | None = None  # a five-year plan named in the caption or title


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
    confidence: str = "high"
    reasons: list[str] = field(default_factory=list)


def group_tables(paras: list[Para]) -> list[tuple[str, list[Para]]]:
    """Runs of table rows with their caption (the short paragraph just before, if any).

    A short line between two rows (a category written across the table) stays in the run as a
    one-cell row.
    """
    tables: list[tuple[str, list[Para]]] = []
    caption = ""
    before: Para | None = None
    for n, para in enumerate(paras):
        after = paras[n + 1] if n + 1 < len(paras) else None
        if not para.is_row:
            if (
                before
                and before.is_row
                and after
                and after.is_row
                and len(para.text) <= _CATEGORY_LINE
            ):
                before = Para(para.line, para.text, (para.text,), before.table)
                tables[-1][1].append(before)
                continue
            caption = para.text if len(para.text) <= 40 and not para.text.endswith("。") else ""
            before = para
            continue
        if before is not None and before.is_row and before.table == para.table and tables:
            tables[-1][1].append(para)
        else:
            tables.append((caption, [para]))
        before = para
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
    columns, problems, column_reasons = _columns(header, caption, years, where(rows[head_at].line))
    label = table_label(caption, number)
    found: list[TableRow] = []
    category: str | None = None
    number_in_table = 0
    for row in data:
        cells, row_category, realigned = _aligned(row.cells, header, columns)
        words = [c for c in cells if c]
        if len(words) == 1 and cells[0] and not _VALUE.match(cells[0]):
            category = cells[0]
            continue
        category = row_category or _category(columns, cells, category)
        number_in_table += 1
        item, row_problems = _row(
            columns, cells, category, f"{label} 第{number_in_table}行", row.line, where(row.line)
        )
        problems += row_problems
        if item:
            if realigned:
                item.reasons.append("行中缺格，数值按顺序对应各列")
            item.reasons += [r for r in column_reasons if r not in item.reasons]
            item.confidence = "medium" if item.reasons else "high"
            found.append(item)
    return found, problems


def _aligned(
    cells: tuple[str, ...], header: list[str], columns: list[Column]
) -> tuple[list[str], str | None, bool]:
    """(cells padded to the header, a category cell the header has no column for, realigned?).

    A space-separated row one cell short lost its blank first cell (category or number), so it is
    shifted right. A row of a pasted table with more cells than the header starts with its
    category; one with fewer lost blank cells, so its cells are placed by what they hold: the
    name first, 约束性/预期性 in the attribute column, the values in the value columns in order."""
    row = list(cells)
    leading = min(columns, key=lambda c: c.index) if columns else None
    category = None
    if len(row) > len(header) and not any(c.role == "category" for c in columns):
        category, row = row[0], row[1:]
    if (
        len(row) == len(header) - 1
        and leading
        and leading.index == 0
        and leading.role in ("category", "seq")
    ):
        row.insert(0, "")
    if len(row) >= len(header) or len(row) < 2:
        return [*row, *[""] * (len(header) - len(row))], category, False
    return _placed(row, header, columns), category, True


def _placed(row: list[str], header: list[str], columns: list[Column]) -> list[str]:
    placed = [""] * len(header)
    slots = sorted(
        (c for c in columns if c.role in ("target", "baseline", "total")), key=lambda c: c.index
    )
    name = next((c for c in columns if c.role == "name"), None)
    attribute = next((c for c in columns if c.role == "attribute"), None)
    rest = row
    if name is not None:
        placed[name.index], rest = row[0], row[1:]
    for text in rest:
        if attribute is not None and _ATTRIBUTE_WORD.match(text):
            placed[attribute.index] = text
        elif slots:
            placed[slots.pop(0).index] = text
    return placed


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
) -> tuple[list[Column], list[Problem], list[str]]:
    """Column roles from the header; also the reasons to check the reading of the whole table."""
    columns: list[Column] = []
    problems: list[Problem] = []
    reasons: list[str] = []
    caption_years = [int(y) for y in _YEAR.findall(caption)]
    period = years.period or five_year_period(caption)
    start = years.start or (period[0] if period else None)
    for n, text in enumerate(header):
        year_match = _YEAR.search(text)
        role = next((r for r, p in _ROLES if p.search(text)), None)
        if not year_match and _TOTAL_WORD.search(text):
            columns.append(Column(n, "total"))
        elif year_match or (
            not role and (_TARGET_WORD.search(text) or _BASELINE_WORD.search(text))
        ):
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
    if start is None:
        reasons += _first_year_as_baseline(columns, header)
    _total_year(columns, period)
    if not any(c.role == "name" for c in columns):
        free = next((n for n, t in enumerate(header) if n not in {c.index for c in columns}), None)
        if free is not None:
            columns.append(Column(free, "name"))
    return columns, problems, reasons


def _first_year_as_baseline(columns: list[Column], header: list[str]) -> list[str]:
    """With no plan start known, an unlabelled first year column several years before the next
    one (2015 | 2020) is the baseline; consecutive years (2023 | 2024 | 2025) are all targets."""
    dated = [c for c in columns if c.role == "target" and not _TARGET_WORD.search(header[c.index])]
    if len(dated) < 2 or (dated[1].year or 0) - (dated[0].year or 0) <= 1:
        return []
    columns[columns.index(dated[0])] = Column(dated[0].index, "baseline", dated[0].year)
    return [f"{dated[0].year}年一列按基期处理（与下一年份列相隔多年）"]


def _total_year(columns: list[Column], period: tuple[int, int] | None) -> None:
    """A 累计 column holds totals over the plan: they count for the last target year."""
    totals = [c for c in columns if c.role == "total"]
    targets = [c.year for c in columns if c.role == "target" and c.year]
    year = max(targets) if targets else (period[1] if period else None)
    for column in totals:
        columns[columns.index(column)] = Column(column.index, "total", year)


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
    reasons: list[str] = []
    if _FOOTNOTE.search(name):
        reasons.append(f"名称“{name}”中夹有脚注数字，已去掉")
        name = _FOOTNOTE.sub("", name)
    unit = _cell(columns, cells, "unit") or unit
    targets: dict[int, int | float] = {}
    baselines: list[tuple[int, int | float]] = []
    notes: list[str] = []
    problems: list[Problem] = []
    period_total = False
    for column in (c for c in columns if c.role in ("target", "baseline", "total") and c.year):
        text = _OCR_POINT.sub(".", cells[column.index].strip()) if column.index < len(cells) else ""
        if _EMPTY.match(text) or (column.role == "total" and column.year in targets):
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
        if match.group("qual") or match.group("cmp"):
            notes.append(f"原文{column.year}年为“{text}”")
        if column.role == "total" and not total:
            continue
        if column.role == "total":
            reasons.append(f"“{text}”在累计列，记为 {column.year} 年目标")
        year = column.year or 0  # the loop takes dated columns only
        if column.role in ("target", "total"):
            targets[year] = value
        else:
            baselines.append((year, value))
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
        reasons=reasons,
    )
    return item, problems
