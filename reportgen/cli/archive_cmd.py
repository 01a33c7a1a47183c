"""`reportgen archive add|list|show|diff|history|export|verify`: the snapshot archive."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated, cast, get_args

import typer
from rich.markup import escape
from rich.table import Table

from reportgen import fmt
from reportgen.archive import Archive, IndicatorChange, Snapshot, SnapshotInfo
from reportgen.cli.common import (
    JsonOpt,
    PlanArg,
    app,
    console,
    data_paths,
    err_console,
    print_dataset_notices,
    print_json,
)
from reportgen.compare import History
from reportgen.errors import PeriodError
from reportgen.fileio import check_outputs
from reportgen.locations import default_archive
from reportgen.periods import EXAMPLES, Kind
from reportgen.plan import load_plan
from reportgen.plan.catalog import PLAN_SUFFIXES
from reportgen.plan.model import PERCENT_UNITS
from reportgen.progress import IndicatorProgress

archive_app = typer.Typer(help="按期归档数据快照，查看、比较、导出和校验。", no_args_is_help=True)
app.add_typer(archive_app, name="archive")

ArchiveOpt = Annotated[
    Path | None,
    typer.Option(
        "--archive",
        help="归档文件（默认取环境变量 REPORTGEN_ARCHIVE，否则为 outputs/archive.sqlite）。",
    ),
]
KINDS: tuple[str, ...] = get_args(Kind)
PeriodArg = Annotated[str, typer.Argument(help=f"报告期，如 {EXAMPLES}。")]


@archive_app.command("add")
def archive_add(
    plan: PlanArg,
    period: Annotated[str, typer.Option("--period", help=f"报告期，如 {EXAMPLES}。")],
    more_data: Annotated[
        list[Path] | None,
        typer.Argument(help="更多填报文件或文件夹（可直接接在 --data 之后）。", show_default=False),
    ] = None,
    data: Annotated[
        list[Path] | None,
        typer.Option("--data", help="填报的 Excel 文件或所在文件夹，可重复给出。"),
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="统计截止日期（默认为报告期末），如 2024-06-20。")
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="备注，如“补报后重新归档”。")] = None,
    archive: ArchiveOpt = None,
) -> None:
    """读取填报数据、计算进度，并把结果作为一个不可修改的快照归档（同一期再次归档为新版本）。"""
    from reportgen import api

    run = api.add_to_archive(plan, period, data_paths(data, more_data), archive, as_of, note)
    print_dataset_notices(run.dataset)
    info = run.info
    console.print(
        f"已归档：{escape(run.result.plan.title)} {run.result.period.label}，第{info.version}版"
        f"（{info.indicator_count} 个指标，校验和 {info.checksum[:12]}…），"
        f"归档文件 {escape(str(run.archive))}。"
    )


@archive_app.command("list")
def archive_list(
    plan: Annotated[str | None, typer.Argument(help="只列出这个方案（id 或方案文件）。")] = None,
    archive: ArchiveOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """列出归档中的快照。"""
    with Archive.open(archive, readonly=True) as opened:
        infos = opened.snapshots(_plan_id(plan) if plan else None)
    if as_json:
        print_json([i.to_json() for i in infos])
        return
    table = Table("方案", "报告期", "版本", "统计截至", "归档时间", "指标数", "备注")
    for i in infos:
        table.add_row(
            escape(i.plan_id),
            i.period.label,
            str(i.version),
            fmt.date_cn(i.as_of),
            _local_time(i.created_at),
            str(i.indicator_count),
            escape(i.note or ""),
        )
    console.print(table)
    console.print(f"共 {len(infos)} 个快照。")


@archive_app.command("show")
def archive_show(
    plan: PlanArg,
    period: PeriodArg,
    version: Annotated[int | None, typer.Option("--version", help="版本号（默认最新版）。")] = None,
    archive: ArchiveOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """显示一个快照的全部内容。"""
    with Archive.open(archive, readonly=True) as opened:
        snapshot = opened.get(_plan_id(plan), period, version)
    if as_json:
        print_json(snapshot.to_json())
        return
    _print_snapshot(snapshot)


@archive_app.command("diff")
def archive_diff(
    plan: PlanArg,
    period_a: Annotated[str, typer.Argument(help="较早的报告期；可加 @版本号，如 2024-Q1@1。")],
    period_b: Annotated[str, typer.Argument(help="较晚的报告期；可加 @版本号。")],
    archive: ArchiveOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """比较两期（各取最新版）：每个指标的数值变化和完成率变化。"""
    with Archive.open(archive, readonly=True) as opened:
        changes = opened.diff(_plan_id(plan), period_a, period_b)
    if as_json:
        print_json([c.to_json() for c in changes])
        return
    table = Table(
        "编号", "指标", "前值", "后值", "变化", "前完成率", "后完成率", "完成率变化", "状态",
        title=f"{escape(plan)}：{escape(period_a)} → {escape(period_b)}",
    )  # fmt: skip
    for c in changes:
        table.add_row(
            escape(c.id),
            escape(c.name),
            escape(fmt.quantity(c.actual_before, c.unit)),
            escape(fmt.quantity(c.actual_after, c.unit)),
            escape(_value_change(c)),
            fmt.percent(c.completion_before),
            fmt.percent(c.completion_after),
            _signed_points(c.completion_change_pp),
            _status_change(c),
        )
    console.print(table)


@archive_app.command("history")
def archive_history(
    plan: PlanArg,
    indicator: Annotated[str | None, typer.Option("--indicator", help="只显示这个指标。")] = None,
    kind: Annotated[
        str | None,
        typer.Option("--kind", help="只显示一种报告期：week、month、quarter、half 或 year。"),
    ] = None,
    archive: ArchiveOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """各指标在各期的实际值和完成率（每期取最新版）。"""
    with Archive.open(archive, readonly=True) as opened:
        history = opened.history(_plan_id(plan), indicator, _kind(kind))
    if as_json:
        print_json(history.to_json())
        return
    console.print(_indicator_history(history, indicator) if indicator else _history_grid(history))


@archive_app.command("export")
def archive_export(
    plan: PlanArg,
    out: Annotated[Path, typer.Option("-o", "--output", help="导出文件（.xlsx 或 .json）。")],
    archive: ArchiveOpt = None,
) -> None:
    """把一个方案的全部快照导出为 Excel 或 JSON。"""
    check_outputs([out], [archive or default_archive()])  # never over the archive itself
    with Archive.open(archive, readonly=True) as opened:
        plan_id = _plan_id(plan)
        written = opened.export(plan_id, out)
        count = len(opened.snapshots(plan_id))
    console.print(f"已导出 {count} 个快照：{escape(str(written))}")


@archive_app.command("verify")
def archive_verify(archive: ArchiveOpt = None) -> None:
    """重新计算每个快照的校验和，检查归档是否被改动过（有问题时退出码为 2）。"""
    with Archive.open(archive, readonly=True) as opened:
        problems = opened.verify()
        count = len(opened.snapshots())
    if problems:
        for problem in problems:
            err_console.print(f"[bold red]错误[/]：{escape(str(problem))}", soft_wrap=True)
        err_console.print(f"校验未通过：发现 {len(problems)} 个问题。")
        raise typer.Exit(2)
    console.print(f"校验通过：{count} 个快照的内容与校验和全部一致。")


# -- display helpers ---------------------------------------------------------------------------


def _plan_id(ref: str) -> str:
    """A plan id as archived; a plan file path is read for its id."""
    return load_plan(ref).id if Path(ref).suffix.lower() in PLAN_SUFFIXES else ref


def _kind(text: str | None) -> Kind | None:
    if text is None:
        return None
    if text not in KINDS:
        raise PeriodError(
            f"无法识别的报告期类型“{text}”。可选：week（周）、month（月）、quarter（季度）、"
            "half（半年）、year（年）。"
        )
    return cast(Kind, text)


def _local_time(created_at: str) -> str:
    return datetime.fromisoformat(created_at).astimezone().strftime("%Y-%m-%d %H:%M")


def _print_snapshot(snapshot: Snapshot) -> None:
    info: SnapshotInfo = snapshot.info
    console.print(f"[bold]{escape(info.plan_title)}[/]　{info.period.label}　第{info.version}版")
    console.print(
        f"统计截至{fmt.date_cn(info.as_of)}　归档于 {_local_time(info.created_at)}"
        f"　校验和 {info.checksum}"
    )
    if info.note:
        console.print(f"备注：{escape(info.note)}")
    table = Table("编号", "指标", "实际值", "目标", "完成率", "序时进度", "状态", "来源")
    for i in snapshot.indicators:
        table.add_row(
            escape(i.id),
            escape(i.name),
            escape(fmt.quantity(i.actual, i.unit)),
            escape(f"{fmt.quantity(i.target, i.unit)}（{i.target_year}年）"),
            fmt.percent(i.completion),
            fmt.percent(i.time_progress),
            i.status,
            escape(i.source or fmt.MISSING),
        )
    console.print(table)
    files = Table("来源文件", "部门", "字节数", "SHA-256")
    for f in snapshot.files:
        files.add_row(escape(f.name), escape(f.department or ""), fmt.number(f.size), f.sha256)
    console.print(files)
    if snapshot.task_progress:
        tasks = Table("编号", "重点任务", "状态", "进展")
        for t in snapshot.task_progress:
            tasks.add_row(
                escape(t.id),
                escape(t.title),
                escape(t.status or "未报送"),
                escape(t.progress or fmt.MISSING),
            )
        console.print(tasks)
    if snapshot.missing_departments:
        console.print(f"未报送部门：{escape('、'.join(snapshot.missing_departments))}")


def _signed(rounded: Decimal, text: str) -> str:
    sign = "+" if rounded > 0 else "-" if rounded < 0 else ""
    return f"{sign}{text}"


def _signed_points(pp: float | None) -> str:
    if pp is None:
        return fmt.MISSING
    return _signed(fmt.round_half_up(pp, fmt.PERCENT_PLACES), fmt.points(pp))


def _value_change(change: IndicatorChange) -> str:
    """A percent-unit value changes in 百分点; others in their unit."""
    delta = change.value_change
    if delta is None:
        return fmt.MISSING
    if change.unit.strip() in PERCENT_UNITS:
        return _signed_points(delta)
    rounded = fmt.round_half_up(delta, fmt.VALUE_PLACES)
    return _signed(rounded, fmt.quantity(abs(delta), change.unit))


def _status_change(change: IndicatorChange) -> str:
    before, after = change.status_before or "无", change.status_after or "无"
    return after if before == after else f"{before} → {after}"


def _history_grid(history: History) -> Table:
    table = Table("编号", "指标", *(p.period.label for p in history.points))
    names = history.names()
    for indicator_id in history.indicator_ids():
        cells = [_history_cell(i) for _, i in history.series(indicator_id)]
        table.add_row(escape(indicator_id), escape(names[indicator_id]), *map(escape, cells))
    return table


def _history_cell(progress: IndicatorProgress | None) -> str:
    if progress is None:
        return fmt.MISSING
    if progress.actual is None:
        return progress.status
    return f"{fmt.quantity(progress.actual, progress.unit)}（{fmt.percent(progress.completion)}）"


def _indicator_history(history: History, indicator_id: str) -> Table:
    table = Table("报告期", "版本", "实际值", "完成率", "序时进度", "状态")
    for point in history.points:
        i = point.indicators.get(indicator_id)
        if i is None:
            table.add_row(point.period.label, str(point.version), *[fmt.MISSING] * 4)
            continue
        table.add_row(
            point.period.label,
            str(point.version),
            escape(fmt.quantity(i.actual, i.unit)),
            fmt.percent(i.completion),
            fmt.percent(i.time_progress),
            i.status,
        )
    return table
