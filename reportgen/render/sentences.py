"""The generated 公文 sentences: every Chinese string of the reports, kept together.

Numbers are formatted only through ``reportgen.fmt``; nothing here rounds on its own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from functools import lru_cache

from reportgen import fmt
from reportgen.progress import LAGGING, STATUSES, IndicatorProgress, TaskProgress

DIGITS = "零一二三四五六七八九"
VERBS = {"cumulative": "累计达到", "level": "达到", "annual": "本年累计达到", "reverse": "为"}
MARKS = {"滞后": "▲", "严重滞后": "▲▲"}
NO_PREVIOUS = "无上期数据"
NO_DATA = "本期未报送数据"
NO_TASK_STATUS = "进展状态未填"
STATUS_PHRASES = {"滞后": "进度滞后", "严重滞后": "进度严重滞后"}
# Why an indicator has no projection (IndicatorProgress.projection_reason): one wording each,
# used by every sentence about that indicator
NO_PROJECTION = {
    "no_data": NO_DATA,
    "invalid": "本期填报数据有误，已按未填报处理",
    "not_started": "尚无已实施时间可据以推算",
}
NO_REPORTING_OFFICE = "（起草单位）"


def no_reporting_office(plan_id: str) -> str:
    return (
        f"方案“{plan_id}”未写明起草单位（reporting_office），落款暂用“{NO_REPORTING_OFFICE}”。"
        "请在方案文件中填写 reporting_office，或用 --issuer 指定落款单位。"
    )


ATTACHMENT_TITLE = "主要指标完成情况表"
ENDINGS = tuple("。！？；….!?;")


# ---------------------------------------------------------------- small pieces


def cn_number(n: int) -> str:
    """1 -> '一', 10 -> '十', 12 -> '十二', 21 -> '二十一' (1..99)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else f"{DIGITS[tens]}十")
    return head + (DIGITS[ones] if ones else "") if n else DIGITS[0]


def sub_heading(n: int, text: str) -> str:
    """The second-level heading form: '（一）text'."""
    return f"（{cn_number(n)}）{text}"


def item_heading(n: int, text: str) -> str:
    """The third-level heading form: '1.text'."""
    return f"{n}.{text}"


def book_title(title: str) -> str:
    """Wrap a document title in 《》, turning inner 《》 into 〈〉 as 公文 requires."""
    inner = title.replace("《", "〈").replace("》", "〉")
    return f"《{inner}》"


def sentence(text: str) -> str:
    """``text`` stripped and ending with a full stop unless it already ends a sentence."""
    text = text.strip()
    return text if not text or text.endswith(ENDINGS) else f"{text}。"


def joined(names: Sequence[str]) -> str:
    return "、".join(names)


@lru_cache(maxsize=16)
def status_text(status: str) -> str:
    """The status as shown in tables: shortfalls carry ▲ marks (survive black-and-white print)."""
    return f"{MARKS.get(status, '')}{status}"


def is_zero(value: float, places: int) -> bool:
    """Whether ``value`` shows as zero at ``places`` decimals under the project's rounding."""
    if abs(value) >= 1:  # the usual case, without the exact decimal rounding
        return False
    return fmt.round_half_up(abs(value), places) == 0


def change_cell(delta: float | None, places: int) -> str:
    """+5 / -0.5 / 0 for table cells (the unit is in the column header or unit column)."""
    return fmt.signed(delta, places, zero="0")


def change_phrase(delta: float, unit: str) -> str:
    """较上期增加5项 / 较上期提高1.0个百分点 / 与上期持平."""
    is_percent = fmt.is_percent_unit(unit)
    if is_zero(delta, fmt.PERCENT_PLACES if is_percent else fmt.VALUE_PLACES):
        return "与上期持平"
    if is_percent:
        return f"较上期{'提高' if delta > 0 else '下降'}{fmt.points(delta)}"
    return f"较上期{'增加' if delta > 0 else '减少'}{fmt.quantity(abs(delta), unit)}"


# ---------------------------------------------------------------- indicators


def indicator_sentence(ind: IndicatorProgress, change: str = "") -> str:
    """One formal sentence per indicator, by status; ``change`` is a 较上期 phrase or ''.

    严重滞后: '新建和升级社会公用计量标准累计达到65项，2024年目标为80项（序时应达70项），
    当期完成率25.0%，低于时间进度24.7个百分点，进度严重滞后。'
    """
    if ind.status == "未填报" or ind.actual is None:
        return f"{ind.name}{NO_PROJECTION.get(ind.projection_reason or '', NO_DATA)}。"
    head = f"{ind.name}{VERBS.get(ind.method, '达到')}{value_text(ind, ind.actual)}"
    if change:
        head += f"（{change}）"
    if ind.status == "已完成":
        text = f"{head}，已完成{ind.target_year}年目标（{target_text(ind, ind.target)}）。"
    elif ind.completion is None:
        text = f"{head}，{shortfall_phrase(ind)}，{STATUS_PHRASES[ind.status]}。"
    else:
        expected = target_text(ind, ind.expected)
        text = (
            f"{head}，{ind.target_year}年目标为{target_text(ind, ind.target)}（序时应达{expected}），"
            f"当期完成率{fmt.percent(ind.completion)}，{schedule_phrase(ind)}"
        )
        text += f"，{STATUS_PHRASES[ind.status]}。" if ind.status in LAGGING else "。"
    if ind.binding_alert:
        text += "该指标为约束性指标，须采取有力措施确保完成。"
    return text


def value_text(ind: IndicatorProgress, value: float | None) -> str:
    """A reported value with its unit ('65项', '95%')."""
    return fmt.quantity(value, ind.unit)


def target_text(ind: IndicatorProgress, value: float | None) -> str:
    """A requirement (target, 序时应达值) with its unit; a count rounded up to a whole number."""
    return _requirement(value, ind.unit, ind.integral)


@lru_cache(maxsize=fmt.CACHED)
def _requirement(value: float | None, unit: str, integral: bool) -> str:
    return fmt.quantity(fmt.whole_up(value, integral), unit)


def projected_text(ind: IndicatorProgress) -> str:
    """The projection with its unit; a count rounded down to a whole number."""
    return fmt.quantity(fmt.whole_down(ind.projected_final, ind.integral), ind.unit)


def schedule_phrase(ind: IndicatorProgress) -> str:
    """低于时间进度16.6个百分点 / 超过时间进度2.0个百分点 / 与时间进度持平 (差距 = f − c)."""
    gap = ind.gap_pp or 0.0
    if is_zero(gap, fmt.PERCENT_PLACES):
        return "与时间进度持平"
    return f"{'低于' if gap > 0 else '超过'}时间进度{fmt.points(gap)}"


def shortfall_phrase(ind: IndicatorProgress) -> str:
    """A miss of a flat target in the unit: 低于目标2.3个百分点 / 差5项 / 高于目标1.5吨."""
    short = fmt.whole_up(ind.shortfall, ind.integral) or 0.0
    if fmt.is_percent_unit(ind.unit):
        return f"{'高于' if ind.method == 'reverse' else '低于'}目标{fmt.points(short)}"
    if ind.integral and ind.method != "reverse":
        return f"差{fmt.quantity(short, ind.unit)}"
    word = "超出" if ind.method == "reverse" else "低于"
    return f"{word}目标{fmt.quantity(short, ind.unit)}"


def shortfall_sentence(ind: IndicatorProgress) -> str:
    """A lagging indicator as a problem: '约束性指标X当期完成率…，低于时间进度…，进度严重滞后。'"""
    prefix = "约束性指标" if ind.attribute == "约束性" else ""
    if ind.completion is None:
        text = f"{prefix}{ind.name}{shortfall_phrase(ind)}"
    else:
        text = f"{prefix}{ind.name}当期完成率{fmt.percent(ind.completion)}，{schedule_phrase(ind)}"
    return f"{text}，{STATUS_PHRASES[ind.status]}。"


def status_counts(counts: dict[str, int]) -> str:
    """'已完成1项，进度正常4项，滞后2项' (zero counts left out)."""
    return "，".join(f"{s}{counts[s]}项" for s in STATUSES if counts.get(s))


def indicator_summary(total: int, counts: dict[str, int], alerts: int) -> str:
    """The 总体情况 sentence about indicators."""
    if total == 0:
        return "实施方案未设定量化指标。"
    present = [s for s in STATUSES if counts.get(s)]
    if len(present) == 1:
        text = f"{total}项主要指标均为“{present[0]}”。"
    else:
        text = f"{total}项主要指标中，{status_counts(counts)}。"
    if alerts:
        text += f"其中，约束性指标滞后{alerts}项，需重点关注。"
    return text


def task_summary(tasks: Sequence[TaskProgress]) -> str:
    """'14项重点任务中，已完成2项，推进中10项，未报送进展2项。'"""
    if not tasks:
        return ""
    counts: dict[str, int] = {}
    for task in tasks:
        key = task.status or (NO_TASK_STATUS if task.progress.strip() else "未报送进展")
        counts[key] = counts.get(key, 0) + 1
    parts = "，".join(f"{k}{v}项" for k, v in counts.items())
    return f"{len(tasks)}项重点任务中，{parts}。"


# ---------------------------------------------------------------- front matter


def intro(kind: str, plan_title: str, period_label: str, start: date, as_of: date) -> str:
    if kind == "midterm":
        return (
            f"根据{book_title(plan_title)}实施安排，现对规划实施以来（{fmt.date_cn(start)}至"
            f"{fmt.date_cn(as_of)}）的进展情况开展中期评估，有关情况报告如下："
        )
    return f"现将{book_title(plan_title)}{period_label}实施进展情况报告如下："


def as_of_phrase(as_of: date) -> str:
    return f"截至{fmt.date_cn(as_of)}，"


def elapsed_sentence(start: date, end: date, share: float) -> str:
    return (
        f"实施方案规划期为{fmt.date_cn(start)}至{fmt.date_cn(end)}，"
        f"时间进度已过{fmt.percent(share)}。"
    )


def table_note(as_of: date) -> str:
    return f"数据截至{fmt.date_cn(as_of)}，完成率、序时进度按实施方案目标测算。"


def legend(severe_gap_pp: float) -> str:
    return (
        f"注：▲为滞后，▲▲为严重滞后（低于序时进度{fmt.number(severe_gap_pp)}个百分点及以上）；"
        "底色红色为严重滞后、橙色为滞后、绿色为已完成、灰色为未填报；加粗为约束性指标预警。"
        "较上期：完成值之差（单位同指标，%类指标为百分点），完成率之差（个百分点）。"
    )


@lru_cache(maxsize=fmt.CACHED)
def target_cell(value: float, year: int, integral: bool = False) -> str:
    """Target with its year on a second line: '97\n2025年' (a count rounded up to whole)."""
    return f"{fmt.number(fmt.whole_up(value, integral))}\n{year}年"


def projected_cell(ind: IndicatorProgress) -> str:
    if ind.projected_final is None:
        return fmt.MISSING
    text = fmt.number(fmt.whole_down(ind.projected_final, ind.integral))
    return f"{text}\n▲难以完成" if ind.at_risk else text


# ---------------------------------------------------------------- charts

CHART_CAPTION = "图{n}　主要指标完成率与序时进度对比"
TREND_CAPTION = "图{n}　主要指标完成率变化趋势"
CHART_LEGEND = ("完成率", "序时进度")


# ---------------------------------------------------------------- tasks, problems, next steps


def task_status_text(task: TaskProgress) -> str:
    """The status as reported; 进展状态未填 when there is progress text but no status."""
    if task.status:
        return task.status
    return NO_TASK_STATUS if task.progress.strip() else "未报送"


TASK_STATUS_NOTES = {"滞后": "该项任务进度滞后。", "未启动": "该项任务尚未启动。"}
DEPARTMENT_TAG = re.compile(r"【([^】]{1,30})】")


def plain_tags(text: str) -> str:
    """Department tags of merged returns ('【市科技局】…') as plain text ('市科技局…')."""
    return DEPARTMENT_TAG.sub(r"\1", text)


def task_heading(n: int, title: str) -> str:
    """The run-in heading of a task paragraph: '1.加强计量标准建设。'."""
    return f"{n}.{sentence(title)}"


def task_text(task: TaskProgress) -> str:
    """'市市场监管局牵头，{progress}' (the lead once; the status only when 滞后 or 未启动).

    Department tags of merged returns ('【市科技局】…') become plain text; the lead's own tag
    at the start is dropped, since the sentence already names it.
    """
    progress = task.progress.strip()
    lead = joined(task.lead)
    if lead:
        progress = progress.removeprefix(f"【{lead}】")
    text = sentence(plain_tags(progress))
    if lead:
        text = f"{lead}牵头，{text}"
    return text + TASK_STATUS_NOTES.get(task.status or "", "")


def silent_tasks(titles: Sequence[str], departments: Sequence[str]) -> str:
    """All tasks without progress in one sentence, with their lead departments."""
    who = f"（牵头单位：{joined(departments)}）" if departments else ""
    subject = titles[0] if len(titles) == 1 else f"{joined(titles)}等{len(titles)}项重点任务"
    return f"{subject}本期未报送进展情况{who}。"


NO_TASKS = "本期未收到重点任务进展情况。"
NO_ATTENTION = "本期各项指标均按序时推进，暂无需特别关注的事项。"
NO_PROBLEMS = "本期各项指标和重点任务总体按计划推进，未发现突出问题。"
NO_NEXT_STEPS = "继续按照实施方案确定的目标任务，统筹推进各项工作，确保按期完成规划目标。"
LAGGING_HEADING = "部分指标进度滞后"
MISSING_HEADING = "部分数据未按时报送"
TASK_PROBLEMS_HEADING = "重点任务推进中的困难"
CATCH_UP_HEADING = "加快推进滞后指标"
TASK_PLANS_HEADING = "抓好重点任务落实"
REPORTING_HEADING = "做好数据报送"
AT_RISK_HEADING = "确保规划目标如期完成"


def counted(names: Sequence[str], noun: str) -> str:
    """'A指标' for one, 'A、B等2项指标' for several."""
    return f"{names[0]}{noun}" if len(names) == 1 else f"{joined(names)}等{len(names)}项{noun}"


def missing_values(names: Sequence[str], reason: str = "no_data") -> str:
    """Indicators without a value, by reason code: 本期未报送数据 / 本期填报数据有误…"""
    return f"{counted(names, '指标')}{NO_PROJECTION[reason]}，无法评估进展。"


def missing_tasks(titles: Sequence[str]) -> str:
    return f"{counted(titles, '重点任务')}本期未报送进展情况。"


def task_issue(title: str, text: str) -> str:
    return f"{title}：{sentence(plain_tags(text))}"


def catch_up(names: Sequence[str]) -> str:
    return (
        f"针对{joined(names)}等滞后指标，督促牵头单位逐项分析原因、制定追赶措施，确保完成年度目标。"
    )


def reporting(departments: Sequence[str]) -> str:
    who = joined(departments) if departments else "相关责任单位"
    return f"督促{who}按时、准确报送指标数据和任务进展。"


def at_risk_step(names: Sequence[str]) -> str:
    return (
        f"针对{counted(names, '指标')}按目前进度难以完成规划目标的问题，建议加大工作力度，"
        "必要时研究调整推进措施。"
    )


# ---------------------------------------------------------------- 数据问题清单 (annex)

DATA_PROBLEMS_TITLE = "数据问题清单"
DATA_PROBLEM_HEADERS = ("填报文件", "单元格", "指标或任务", "问题")
NOT_USED = "（本项数据未采用，按未填报处理）"


def drafted_despite_errors(count: int) -> str:
    """The one-line warning of `report --allow-errors` when errors were found."""
    return (
        f"填报表中有{count}处错误，相关数据已按未填报处理，报告照常生成；"
        f"错误已列入报告附件“{DATA_PROBLEMS_TITLE}”，请核实后重新生成。"
    )


def item_label(item: str, names: Mapping[str, str]) -> str:
    """'JN03 新建和升级社会公用计量标准' for an indicator or task id ('' stays '')."""
    name = names.get(item, "")
    return f"{item} {name}".strip()


# ---------------------------------------------------------------- midterm


def projection_sentence(ind: IndicatorProgress, final_year: int) -> str:
    """规划目标, 规划期时间进度 against 规划目标完成率, and the projection with its method."""
    if ind.projection_reason is not None or ind.projected_final is None:
        reason = NO_PROJECTION.get(ind.projection_reason or "no_data", NO_DATA)
        return f"{ind.name}{reason}，暂无法测算能否完成规划目标。"
    target = target_text(ind, ind.final_target)
    verdict = "难以完成规划目标" if ind.at_risk else "可以完成规划目标"
    return (
        f"{ind.name}规划目标为{final_year}年达到{target}，{plan_reading(ind)}；"
        f"按目前进度推算（{ind.projection_note}），{projected_when(ind, final_year)}预计达到"
        f"{projected_text(ind)}，"
        f"{verdict}。"
    )


def projected_when(ind: IndicatorProgress, final_year: int) -> str:
    """'2025年'; an annual indicator projects this year's total: '2024年全年'."""
    return f"{ind.target_year}年全年" if ind.method == "annual" else f"{final_year}年"


def plan_reading(ind: IndicatorProgress) -> str:
    """规划期时间进度 vs 规划目标完成率 ("时间过半、任务过半")."""
    time = f"规划期时间进度{fmt.percent(ind.plan_time_progress)}"
    if ind.final_completion is None:  # the target equals the start point: met or not
        return f"{time}，目前{'已达到规划目标' if meets_final(ind) else '尚未达到规划目标'}"
    done = f"规划目标完成率{fmt.percent(ind.final_completion)}"
    pace = "任务进度不慢于时间进度" if on_pace(ind) else "任务进度慢于时间进度"
    return f"{time}，{done}，{pace}"


def meets_final(ind: IndicatorProgress) -> bool:
    """The reported value already meets the final target."""
    if ind.actual is None:
        return False
    if ind.method == "reverse":
        return ind.actual <= ind.final_target
    return ind.actual >= ind.final_target


def on_pace(ind: IndicatorProgress) -> bool | None:
    """规划目标完成率 ≥ 规划期时间进度 (None when either is unknown)."""
    if ind.final_completion is None or ind.plan_time_progress is None:
        return None
    return ind.final_completion >= ind.plan_time_progress


def at_risk_sentence(ind: IndicatorProgress, final_year: int) -> str:
    target = target_text(ind, ind.final_target)
    prefix = "约束性指标" if ind.attribute == "约束性" else ""
    return (
        f"{prefix}{ind.name}：按目前进度推算（{ind.projection_note}），"
        f"{projected_when(ind, final_year)}预计达到"
        f"{projected_text(ind)}，未达到规划目标{target}。"
    )


NO_RISK = "按目前进度推算，各项指标均可如期完成规划目标。"


def unknown_risk(reasons: dict[str, int]) -> str:
    """'另有2项指标本期未报送数据，暂无法判断能否完成规划目标。' (one clause per reason)."""
    parts = "，".join(f"{n}项指标{NO_PROJECTION[r]}" for r, n in reasons.items())
    return f"另有{parts}，暂无法判断能否完成规划目标。"


def projection_summary(ok: int, risk: int, reasons: dict[str, int]) -> str:
    parts = [f"{ok}项指标可以如期完成规划目标"]
    if risk:
        parts.append(f"{risk}项存在未完成风险")
    parts += [f"{n}项{NO_PROJECTION[r]}，暂无法测算" for r, n in reasons.items()]
    return f"按目前进度推算，{'，'.join(parts)}。"


def pace_summary(on: int, behind: int) -> str:
    """The midterm reading of 时间过半、任务过半 over all indicators with both figures."""
    if not on + behind:
        return ""
    return (
        f"对照“时间过半、任务过半”要求，{on}项指标规划目标完成率不低于规划期时间进度，"
        f"{behind}项低于规划期时间进度。"
    )


def trend_intro(count: int) -> str:
    return f"近{count}个报告期主要指标完成率变化情况见下表。"


NO_TREND = (
    "目前尚无往期存档数据，暂不能分析指标变化趋势。积累两期及以上数据后，本部分将列出各期完成情况。"
)
