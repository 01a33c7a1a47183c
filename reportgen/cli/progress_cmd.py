"""`reportgen progress PLAN --period P --data FILE|DIR…`: the progress table in the terminal."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from reportgen import fmt
from reportgen.cli.common import (
    JsonOpt,
    PlanArg,
    app,
    console,
    data_paths,
    fold_table,
    print_dataset_notices,
    print_json,
)
from reportgen.progress import (
    STATUSES,
    IndicatorProgress,
    ProgressResult,
    TaskProgress,
)

STATUS_STYLE = {"已完成": "green", "进度正常": "green", "滞后": "yellow", "严重滞后": "bold red"}


@app.command("progress")
def progress(
    plan: PlanArg,
    more_data: Annotated[
        list[Path] | None,
        typer.Argument(
            help="更多填报文件或文件夹（可直接接在 --data 之后）。",
            metavar="文件或文件夹",
            show_default=False,
        ),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            metavar="报告期",
            help="报告期，如 2024-W25、2024-06、2024-Q2、2024-H1、2024。",
        ),
    ] = None,
    data: Annotated[
        list[Path] | None,
        typer.Option(
            "--data", metavar="文件或文件夹", help="填报的 Excel 文件或所在文件夹，可重复给出。"
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", metavar="日期", help="统计截止日期（默认为报告期末），如 2024-06-20。"
        ),
    ] = None,
    lag_threshold: Annotated[
        float | None,
        typer.Option(
            "--lag-threshold",
            metavar="百分点",
            help="差距达到多少个百分点算“严重滞后”（默认取方案设置，一般为 20）。",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """计算各指标的完成率、序时进度和状态，汇总重点任务进展。"""
    from reportgen import api

    run = api.progress(plan, period, data_paths(data, more_data), as_of, lag_threshold)
    print_dataset_notices(run.dataset)
    if as_json:
        print_json(run.result.to_json())
        return
    _print_result(run.result)


def _print_result(result: ProgressResult) -> None:
    console.print(f"[bold]{escape(result.plan.title)}[/]")
    console.print(f"{result.period.label}　统计截至{fmt.date_cn(result.as_of)}")
    console.print(_indicator_table(result.indicators))
    console.print(_summary_line(result.summary))
    if result.tasks:
        console.print(_task_table(result.tasks))


def _indicator_table(indicators: list[IndicatorProgress]) -> Table:
    from reportgen.render import sentences as S  # lazy: the render package loads slowly

    table = fold_table(
        "编号",
        "指标",
        "实际值",
        "目标",
        "序时应达",
        "完成率",
        "序时进度",
        "差距",
        "状态",
        "期末预测",
    )
    for ind in indicators:
        table.add_row(
            escape(ind.id),
            escape(ind.name),
            escape(fmt.quantity(ind.actual, ind.unit)),
            escape(f"{S.target_text(ind, ind.target)}（{ind.target_year}年）"),
            escape(S.target_text(ind, ind.expected)),
            fmt.percent(ind.completion),
            fmt.percent(ind.time_progress),
            escape(_gap_text(ind)),
            _status_text(ind),
            escape(_projection_text(ind)),
        )
    return table


def _gap_text(ind: IndicatorProgress) -> str:
    """Positive gap: behind the calendar; negative: ahead of it; a flat target: the shortfall."""
    from reportgen.render import sentences as S

    if ind.gap_pp is None:
        return S.shortfall_phrase(ind) if ind.shortfall is not None else fmt.MISSING
    return f"{'落后' if ind.gap_pp > 0 else '超前'}{fmt.points(ind.gap_pp)}"


def _status_text(ind: IndicatorProgress) -> str:
    text = f"{ind.status}（约束性预警）" if ind.binding_alert else ind.status
    style = STATUS_STYLE.get(ind.status)
    return f"[{style}]{text}[/]" if style else text


def _projection_text(ind: IndicatorProgress) -> str:
    from reportgen.render import sentences as S

    if ind.projected_final is None:
        return S.NO_PROJECTION.get(ind.projection_reason or "", fmt.MISSING)
    text = f"{S.projected_text(ind)}（{ind.projection_note}）"
    return f"{text}，难以完成" if ind.at_risk else text


def _summary_line(summary: dict[str, int]) -> str:
    counts = "，".join(f"{name} {summary[name]} 项" for name in STATUSES)
    return (
        f"共 {summary['total']} 项指标：{counts}；约束性指标预警 {summary['binding_alerts']} 项。"
    )


def _task_table(tasks: list[TaskProgress]) -> Table:
    from reportgen.render import sentences as S  # lazy: the render package loads slowly

    table = fold_table("编号", "重点任务", "牵头单位", "状态", "进展")
    for task in tasks:
        table.add_row(
            escape(task.id),
            escape(task.title),
            escape("、".join(task.lead)),
            escape(S.task_status_text(task)),
            escape(task.progress or fmt.MISSING),
        )
    return table
