"""The hidden ``_meta`` sheet (which plan, period and department a workbook is for) and fallbacks."""

from __future__ import annotations

from dataclasses import dataclass

from reportgen.intake.layout import (
    ALL_DEPARTMENTS,
    META_KEYS,
    META_SHEET,
    META_WEEKLY,
    TEMPLATE_VERSION,
    named_departments,
)
from reportgen.intake.reader import RawWorkbook
from reportgen.intake.result import Issue
from reportgen.intake.values import cell_text
from reportgen.periods import Period
from reportgen.plan import Plan


@dataclass(frozen=True)
class Meta:
    """The template's identity as written into ``_meta`` (key in column A, value in column B)."""

    plan_id: str
    plan_hash: str
    period: str
    department: str | None  # None: the all-departments template
    template_version: int
    weekly: bool = False  # a weekly round's template: only weekly indicators


def read_meta(raw: RawWorkbook) -> Meta | None:
    """The workbook's _meta, or None when it is missing or unusable (copied sheets lose it)."""
    sheet = raw.sheets.get(META_SHEET)
    if sheet is None:
        return None
    found: dict[str, str] = {}
    for row in sheet.rows:
        if (
            len(row) >= 2
            and isinstance(row[0], str)
            and row[0].strip() in (*META_KEYS, META_WEEKLY)
        ):
            found[row[0].strip()] = cell_text(row[1])
    if any(not found.get(key) for key in META_KEYS):
        return None
    try:
        version = int(float(found["template_version"]))
    except ValueError:
        return None
    department = found["department"]
    return Meta(
        plan_id=found["plan_id"],
        plan_hash=found["plan_hash"],
        period=found["period"],
        department=None if department == ALL_DEPARTMENTS else department,
        template_version=version,
        weekly=found.get(META_WEEKLY, "") in ("1", "1.0"),
    )


def department_from_name(stem: str, plan: Plan) -> str | None:
    """The plan department named in a file name ('舟山_市科技局' -> '市科技局'), longest match."""
    matches = [d for d in named_departments(plan) if d in stem]
    return max(matches, key=len) if matches else None


def identity_errors(meta: Meta, plan: Plan, period: Period) -> list[Issue]:
    """Problems that make the workbook belong elsewhere: another plan, period or template version."""
    errors: list[Issue] = []
    if meta.plan_id != plan.id:
        errors.append(
            Issue(
                "",  # the whole file: the hidden _meta sheet is no place to send a clerk
                "",
                f"本表是方案“{meta.plan_id}”的填报表，不是方案“{plan.id}”的。"
                "请确认文件是否发错，或用 --plan 指定正确的方案。",
            )
        )
    if meta.period != period.key:
        errors.append(
            Issue(
                "",  # the whole file: the hidden _meta sheet is no place to send a clerk
                "",
                f"本表是报告期 {meta.period} 的填报表，而本次汇总的是 {period.key}（{period.label}）。"
                f"请改用 {period.key} 的模板填报，或用 --period 指定正确的报告期。",
            )
        )
    if meta.template_version > TEMPLATE_VERSION:
        errors.append(
            Issue(
                "",  # the whole file: the hidden _meta sheet is no place to send a clerk
                "",
                f"模板版本 {meta.template_version} 比本程序支持的版本 {TEMPLATE_VERSION} 新。"
                "请升级 reportgen 后再检查。",
            )
        )
    return errors


def plan_change_issue(meta: Meta, consistent: bool) -> Issue:
    """The plan was edited after the template was made: fine if ids and targets still match."""
    if consistent:
        message = (
            "方案在生成本模板后有修改，但本表的指标编号和目标与现行方案一致，可以继续使用。"
            "下次填报请用 reportgen template 重新生成模板。"
        )
    else:
        message = (
            "方案在生成本模板后有修改，本表的编号或目标已与现行方案不一致（见本文件的其他错误）。"
            "请用 reportgen template 重新生成模板，把数据转填到新模板后再提交。"
        )
    return Issue("", "", message)


def missing_meta_issue() -> Issue:
    return Issue(
        "",
        "",
        "缺少隐藏的 _meta 工作表（表格可能被复制到了新文件），已按表头识别各列；"
        "无法核对方案版本、报告期和填报单位。今后请直接在模板文件中填写。",
    )
