"""Plan extraction: a draft plan (the YAML interchange format) from a 实施方案 text or Word file.

``extract_plan(path)`` reads the source, finds the plan in it (a gazette may print several
documents), and returns the draft ``Plan`` (already validated), one ``ReviewItem`` per thing found
with its source line and a confidence, and a warning for everything it could not decide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from reportgen.errors import PlanError, Problem
from reportgen.extract.flow import read_prose
from reportgen.extract.header import Found, Header, read_header
from reportgen.extract.indicators import (
    DraftIndicator,
    admissible,
    drop_repeats,
    from_prose,
    from_table,
    plan_entry,
    restated,
)
from reportgen.extract.prose import Rejected, date_by_document, stated_years
from reportgen.extract.source import Source, read_source
from reportgen.extract.structure import (
    Section,
    Segment,
    build_outline,
    split_documents,
)
from reportgen.extract.tables import TableYears, group_tables, read_table
from reportgen.extract.tasks import DraftTask, build_task, document_says_first_leads, task_sections
from reportgen.extract.years import five_year_period, title_year
from reportgen.plan import Plan
from reportgen.plan.model import PLAN_ID_PATTERN

__all__ = ["Extraction", "ReviewItem", "draft_yaml", "extract_plan"]

PLAN_ID = re.compile(PLAN_ID_PATTERN)
PLACEHOLDER = "待补充"
_METHOD_LABELS = {"cumulative": "累计", "level": "存量", "annual": "年度", "reverse": "越低越好"}
_HEADER_LABELS = {"title": "标题", "issuer": "发文机关", "doc_number": "文号", "period": "规划期"}
_KIND_LABELS = {
    "header": "文件信息",
    "table": "表格指标",
    "prose": "正文指标",
    "task": "任务",
    "rejected": "未收录",
}
# Review order: what needs checking first; values left out come last, for reference.
_REVIEW_ORDER = {"low": 0, "medium": 1, "high": 2, "none": 3}


@dataclass(frozen=True)
class ReviewItem:
    """One extracted thing for the user to check: where it came from and how sure we are."""

    kind: str  # "header" | "table" | "prose" | "task"
    id: str
    text: str
    line: int | None
    confidence: str  # "high" | "medium" | "low"; "none" for a value left out
    reason: str = ""  # why the confidence is not high, or why the value was left out

    @property
    def kind_label(self) -> str:
        return _KIND_LABELS[self.kind]

    @property
    def label(self) -> str:
        """The id as shown to the user (header fields by their Chinese name)."""
        return _HEADER_LABELS.get(self.id, self.id) if self.kind == "header" else self.id


@dataclass(frozen=True)
class Extraction:
    plan: Plan
    items: list[ReviewItem]
    warnings: list[Problem]
    line_unit: str  # "行" (text) or "段" (.docx)


def extract_plan(source: Path, plan_id: str | None = None) -> Extraction:
    """Draft a plan from ``source`` (.txt or .docx); raise PlanError if the file is unusable."""
    src = read_source(Path(source))
    plan_id = _plan_id(src.path, plan_id)
    warnings: list[Problem] = []
    segment = _plan_segment(src, warnings)
    preamble, roots = build_outline(segment.paras)
    header = read_header(preamble, segment.paras)

    indicators, rejected = _indicators(src, segment, header, warnings)
    years = [y for d in indicators for y in d.targets]
    start, end = _plan_years(src, header, years, warnings)
    indicators, problems = admissible(indicators, start, end, src.where)
    warnings += problems
    tasks = _tasks(src, segment, roots, warnings)

    data, items = _header_data(src, header, plan_id, start, end, warnings)
    entries = [plan_entry(d, n) for n, d in enumerate(indicators, start=1)]
    data["indicators"] = entries
    data["tasks"] = [_task_entry(t, n) for n, t in enumerate(tasks, start=1)]
    items += [_indicator_item(d, e) for d, e in zip(indicators, entries, strict=True)]
    items += [_task_item(t, n) for n, t in enumerate(tasks, start=1)]
    items += [_rejected_item(r) for r in rejected]
    items.sort(key=lambda item: _REVIEW_ORDER[item.confidence])
    if not indicators:
        warnings.append(
            Problem(src.path.name, "没有找到带年份的数字目标，草稿中没有指标，请手工补写")
        )
    if not tasks:
        warnings.append(
            Problem(src.path.name, "没有找到重点任务（如“（一）……。”标题），草稿中没有任务")
        )
    return Extraction(Plan.model_validate(data), items, warnings, src.unit)


def _plan_id(path: Path, given: str | None) -> str:
    if given is not None:
        if not PLAN_ID.fullmatch(given):
            raise PlanError(
                Problem(
                    "--id",
                    f"方案 id“{given}”不合规：只能用小写字母、数字和 -，如 jinan-2023-metrology",
                )
            )
        return given
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")
    return slug or "plan-draft"


def _plan_segment(src: Source, warnings: list[Problem]) -> Segment:
    segments = split_documents(src.paras)
    if not segments:
        raise PlanError(Problem(str(src.path), "文件中没有可读的文字，请检查文件内容"))
    best = max(segments, key=lambda s: s.score)
    for other in segments:
        if other is not best and other.score > 0:
            warnings.append(
                Problem(
                    f"{src.path.name} 第{other.first}—{other.last}{src.unit}",
                    f"这部分是另一份文件（{other.name}），未提取；如需要，请单独保存后再提取",
                )
            )
    return best


def _indicators(
    src: Source, segment: Segment, header: Header, warnings: list[Problem]
) -> tuple[list[DraftIndicator], list[Rejected]]:
    tables: list[DraftIndicator] = []
    prose_paras = [p for p in segment.paras if not p.is_row]
    stated = stated_years(prose_paras)
    title = header.title.value if header.title else ""
    period = header.period or five_year_period(title)
    years = TableYears(header.start_year, stated[0] if stated else None, period)
    for number, (caption, rows) in enumerate(group_tables(segment.paras), start=1):
        found, problems = read_table(caption, rows, number, years, src.where)
        tables += [from_table(row) for row in found]
        warnings += problems
    yearly = title_year(title) if title else None
    targets, rejected = read_prose(segment.paras, yearly)
    targets = date_by_document(targets, stated, header.period[1] if header.period else None)
    dated = [t for t in targets if t.year]
    for target in (t for t in targets if not t.name):
        warnings.append(
            Problem(
                src.where(target.line), f"“{target.phrase}”中的数字没有可识别的指标名称，未收录"
            )
        )
    prose, problems = from_prose([t for t in dated if t.name], src.where)
    warnings += problems
    prose, problems = drop_repeats(tables, prose, src.where)
    warnings += problems
    indicators = sorted(tables + prose, key=lambda d: d.line)
    yearless = [t for t in targets if not t.year and t.name]
    warnings += restated(yearless, indicators, src.where)
    return indicators, rejected


def _plan_years(
    src: Source, header: Header, years: list[int], warnings: list[Problem]
) -> tuple[int, int]:
    """Plan period: the plan's own "（2023—2025年）", else issue year (or the parent plan's start,
    or the year of a yearly plan's title) to the last target year."""
    if header.period:
        return header.period
    start = header.start_year or (title_year(header.title.value) if header.title else None)
    if start is None:
        start = min(years) if years else date.today().year
        warnings.append(
            Problem(src.path.name, f"没有找到发文年份或规划期，规划起始年暂取 {start} 年，请核对")
        )
    start = min([start, *years])
    end = (
        max([start, *years])
        if years
        else (header.parent_period[1] if header.parent_period else start)
    )
    return start, end


def _tasks(
    src: Source, segment: Segment, roots: list[Section], warnings: list[Problem]
) -> list[DraftTask]:
    first_leads = document_says_first_leads([p.text for p in segment.paras if not p.is_row])
    tasks = [build_task(s, first_leads) for s in task_sections(roots, first_leads)]
    for task in (t for t in tasks if not t.title):
        warnings.append(Problem(src.where(task.line), "任务标题为空，未收录，请手工补写"))
    tasks = [t for t in tasks if t.title]
    if tasks and not any(t.clause for t in tasks):
        warnings.append(Problem(src.path.name, "原文没有为任务写明责任单位，各任务的牵头单位留空"))
        return tasks
    for task in tasks:
        if task.clause and not task.recognised:
            warnings.append(
                Problem(
                    src.where(task.line),
                    f"任务“{task.title}”的责任单位写法“{task.clause}”无法判断牵头单位"
                    "（已知写法：……依职责分工负责 / ……牵头，……配合 / 责任单位：……），牵头单位留空，请补写",
                )
            )
        elif not task.clause:
            warnings.append(
                Problem(src.where(task.line), f"任务“{task.title}”没有写责任单位，牵头单位留空")
            )
    return tasks


def _header_data(
    src: Source, header: Header, plan_id: str, start: int, end: int, warnings: list[Problem]
) -> tuple[dict[str, Any], list[ReviewItem]]:
    title = header.title.value if header.title else src.path.stem
    issuer = header.issuer.value if header.issuer else PLACEHOLDER
    if not header.title:
        warnings.append(Problem(src.path.name, f"没有找到方案标题，暂用文件名“{title}”，请补写"))
    if not header.issuer:
        warnings.append(Problem(src.path.name, f"没有找到发文机关，暂写“{PLACEHOLDER}”，请补写"))
    data = {
        "id": plan_id,
        "title": title,
        "issuer": issuer,
        "doc_number": header.doc_number.value if header.doc_number else None,
        "source": src.path.name,
        "start": date(start, 1, 1),
        "end": date(end, 12, 31),
        "note": f"由 reportgen plan extract 从 {src.path.name} 自动提取的草稿，请逐项核对原文后使用。",
    }
    items = [
        _header_item("title", title, header.title),
        _header_item("issuer", issuer, header.issuer),
        _header_item(
            "doc_number",
            header.doc_number.value if header.doc_number else "（无）",
            header.doc_number,
        ),
        ReviewItem(
            "header", "period", f"{start}—{end} 年", None, "high" if header.period else "medium"
        ),
    ]
    return data, items


def _header_item(key: str, value: str, found: Found | None) -> ReviewItem:
    return ReviewItem(
        "header", key, value, found.line if found else None, "high" if found else "low"
    )


def _indicator_item(draft: DraftIndicator, entry: dict[str, Any]) -> ReviewItem:
    targets = "，".join(f"{y}年 {v}" for y, v in entry["targets"].items())
    base = f"基期 {draft.baseline[0]}年 {draft.baseline[1]}；" if draft.baseline else ""
    unit = f"（{draft.unit}）" if draft.unit else ""
    text = f"{draft.name}{unit}：{base}{targets}；计算方法 {entry['method']}（{_METHOD_LABELS[entry['method']]}）"
    return ReviewItem(
        draft.kind, entry["id"], text, draft.line, draft.confidence, "；".join(draft.reasons)
    )


def _rejected_item(rejected: Rejected) -> ReviewItem:
    return ReviewItem(
        "rejected",
        rejected.value,
        f"原文“{rejected.phrase}”",
        rejected.line,
        "none",
        rejected.reason,
    )


def _task_entry(task: DraftTask, number: int) -> dict[str, Any]:
    departments = task.departments
    return {
        "id": f"T{number:02d}",
        "title": task.title,
        "text": task.text,
        "lead": list(departments.lead) if departments else [],
        "cooperating": list(departments.cooperating) if departments else [],
        "source_ref": task.source_ref,
        "note": departments.note if departments else None,
    }


def _task_item(task: DraftTask, number: int) -> ReviewItem:
    departments = task.departments
    if departments and departments.lead:
        text = f"{task.title}（牵头：{'、'.join(departments.lead)}"
        text += (
            f"；配合：{'、'.join(departments.cooperating)}）" if departments.cooperating else "）"
        )
        confidence = "medium" if departments.note else "high"
    else:
        text, confidence = f"{task.title}（牵头单位未识别）", "low"
    return ReviewItem("task", f"T{number:02d}", text, task.line, confidence)


def draft_yaml(extraction: Extraction) -> str:
    """The draft as YAML in the interchange format, with the warnings as comments on top."""
    plan = extraction.plan
    lines = [
        f"# 草稿：由 reportgen plan extract 自动提取自 {plan.source}，请逐项核对原文后再使用。"
    ]
    lines += [f"# 待核对：{w}" for w in extraction.warnings]
    body = yaml.dump(
        plan.model_dump(mode="python"),
        Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper),  # libyaml: same text, 5x faster
        allow_unicode=True,
        sort_keys=False,
        width=100,
    )
    return "\n".join(lines) + "\n" + body
