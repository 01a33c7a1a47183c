"""The 填报 workbook layout, shared by the template writer and the reader.

Sheet names, header texts, _meta keys and the plan-derived figures a template shows live here so
that what is written and what is read back can never drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from reportgen.plan import Indicator, Plan, Task
from reportgen.plan.units import indicator_reporters, task_units

TEMPLATE_VERSION = 1

GUIDE_SHEET = "填写说明"
INDICATOR_SHEET = "指标填报"
TASK_SHEET = "重点任务"
META_SHEET = "_meta"

INDICATOR_HEADERS = (
    "指标编号",
    "指标名称",
    "单位",
    "属性",
    "基期值",
    "本年目标",
    "规划目标",
    "完成值",
    "数据截至日期",
    "填报说明",
)
TASK_HEADERS = (
    "任务编号",
    "任务",
    "牵头单位",
    "配合单位",
    "进展状态",
    "工作进展",
    "存在问题",
    "下步计划",
)
# Header text -> zero-based column, where the template writes it (readers find columns by header).
INDICATOR_COLUMNS = {header: column for column, header in enumerate(INDICATOR_HEADERS)}
TASK_COLUMNS = {header: column for column, header in enumerate(TASK_HEADERS)}
INDICATOR_EDITABLE = ("完成值", "数据截至日期", "填报说明")
TASK_EDITABLE = ("进展状态", "工作进展", "存在问题", "下步计划")
TASK_STATUSES = ("已完成", "推进中", "未启动", "滞后")

# Round templates (reportgen.rounds): a heading block above each data sheet's header row, the
# contact cells in it, and last period's archived value in a locked column before 完成值.
ROUND_TOP_ROWS = 3
FILLER_LABEL = "填报人"
PHONE_LABEL = "联系电话"
PREVIOUS_HEADER = "上期值"


@dataclass(frozen=True)
class RoundSheet:
    """What a round's template adds to the plain one (see reportgen.rounds)."""

    deadline: str  # '2024年7月5日（星期五）'
    previous_period: str  # '2024年第一季度'
    previous: dict[str, float | None] = field(default_factory=dict)  # indicator id -> value
    weekly: bool = False  # a weekly round: only weekly indicators, and task progress


def indicator_headers(round_sheet: RoundSheet | None) -> tuple[str, ...]:
    """INDICATOR_HEADERS, with 上期值 before 完成值 in a round template."""
    if round_sheet is None:
        return INDICATOR_HEADERS
    at = INDICATOR_HEADERS.index("完成值")
    return (*INDICATOR_HEADERS[:at], PREVIOUS_HEADER, *INDICATOR_HEADERS[at:])


ALL_DEPARTMENTS = "全部"
META_KEYS = ("plan_id", "plan_hash", "period", "department", "template_version")
META_WEEKLY = "weekly"  # optional: 1 in a weekly round's template (only weekly indicators)

# What to enter in 完成值, by indicator method (shown in the input message and the guide).
METHOD_ENTRY = {
    "cumulative": "累计完成数",
    "level": "当前水平",
    "annual": "本年累计",
    "reverse": "当前值",
}
METHOD_HELP = {
    "cumulative": "规划期起累计完成的总数（含以前年度），不是本期新增数",
    "level": "截至数据日期的实际水平（存量、比率等），不是增量",
    "annual": "本年 1 月 1 日起到数据日期的累计数，每年重新计数",
    "reverse": "截至数据日期的实际值；该指标越低越好",
}


@cache  # a sheet has a few columns and many rows
def column_letter(index: int) -> str:
    """0 -> 'A', 25 -> 'Z', 26 -> 'AA'."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_ref(row: int, column: int) -> str:
    """Zero-based row and column -> 'H7'."""
    return f"{column_letter(column)}{row + 1}"


def year_target(indicator: Indicator, year: int) -> tuple[int, float]:
    """The target shown as 本年目标: this year's if the plan sets one, else the next one set.

    After the last target year the final target is shown. Returns (target year, value).
    """
    if year in indicator.targets:
        return year, indicator.targets[year]
    later = [y for y in indicator.targets if y > year]
    target_year = min(later) if later else indicator.final_year
    return target_year, indicator.targets[target_year]


def indicators_for(plan: Plan, department: str | None, weekly: bool = False) -> list[Indicator]:
    """The indicators a department reports the value of (all when no department is given).

    ``weekly``: only the indicators the plan marks as collected every week.
    """
    chosen = [i for i in plan.indicators if i.weekly or not weekly]
    if department is None:
        return chosen
    reports: dict[tuple[str, ...], bool] = {}  # leads as written -> the department reports
    for indicator in chosen:  # thousands of indicators share a few lead lists
        leads = tuple(indicator.lead)
        if leads not in reports:
            reports[leads] = department in indicator_reporters(plan, indicator)
    return [i for i in chosen if reports[tuple(i.lead)]]


def tasks_for(plan: Plan, department: str | None) -> list[Task]:
    """The tasks a department leads or cooperates on (all tasks when no department is given)."""
    if department is None:
        return list(plan.tasks)
    return [t for t in plan.tasks if department in task_units(plan, t)]


def named_departments(plan: Plan) -> list[str]:
    """Every unit that reports anything for the plan (groups expanded, placeholders left out)."""
    return list(plan.reporters)
