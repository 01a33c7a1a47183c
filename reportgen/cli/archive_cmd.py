"""`reportgen archive add|list|show|diff|history|export|verify|void|head|copy|upgrade`."""

from __future__ import annotations

import functools
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from reportgen import api, fmt
from reportgen.archive import (
    VERIFY_SCOPE,
    Archive,
    IndicatorChange,
    Snapshot,
    SnapshotInfo,
    append_receipt,
    heads_from,
)
from reportgen.cli.common import (
    ArchiveOpt,
    JsonOpt,
    PlanArg,
    app,
    console,
    data_paths,
    err_console,
    fold_table,
    print_dataset_notices,
    print_json,
)
from reportgen.cli.i18n import App
from reportgen.compare import History
from reportgen.fileio import check_outputs
from reportgen.locations import default_archive
from reportgen.periods import EXAMPLES, Period
from reportgen.progress import IndicatorProgress

archive_app = App(help="按期归档数据快照，查看、比较、导出和校验。", no_args_is_help=True)
app.add_typer(archive_app, name="archive")

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
    receipt: Annotated[
        Path | None,
        typer.Option("--receipt", help="把链头凭据追加到这个文本文件（宜放在归档之外的介质上）。"),
    ] = None,
    archive: ArchiveOpt = None,
) -> None:
    """读取填报数据、计算进度，并把结果作为一个不可修改的快照归档（同一期再次归档为新版本）。"""
    paths = data_paths(data, more_data)
    check_outputs([receipt], [archive or default_archive(), plan, *paths])
    run = api.add_to_archive(plan, period, paths, archive, as_of, note)
    print_dataset_notices(run.dataset)
    info = run.info
    console.print(
        f"已归档：{escape(run.result.plan.title)} {run.result.period.label}，第{info.version}版"
        f"（{info.indicator_count} 个指标，校验和 {info.checksum[:12]}…），"
        f"归档 {escape(run.archive)}。"
    )
    token = f"{info.id}:{info.checksum}"
    console.print(f"链头凭据：{token}（请另行保存，校验时用 --head 发现最新快照被删除）")
    if receipt is not None:
        append_receipt(receipt, info)


@archive_app.command("list")
def archive_list(
    plan: Annotated[str | None, typer.Argument(help="只列出这个方案（id 或方案文件）。")] = None,
    archive: ArchiveOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """列出归档中的快照。"""
    with Archive.open(archive, readonly=True) as opened:
        infos = opened.snapshots(api.archived_plan_id(plan) if plan else None)
    if as_json:
        print_json([i.to_json() for i in infos])
        return
    rows = [_list_row(i) for i in infos]
    if not console.is_terminal:  # piped or redirected: plain tab-separated lines, fast
        lines = ["\t".join(LIST_COLUMNS), *("\t".join(row) for row in rows)]
        sys.stdout.write("\n".join(lines) + f"\n共 {len(infos)} 个快照。\n")
        return
    table = fold_table(*LIST_COLUMNS)
    for row in rows:
        table.add_row(*map(escape, row))
    console.print(table)
    console.print(f"共 {len(infos)} 个快照。")


LIST_COLUMNS = ("方案", "报告期", "版本", "统计截至", "归档时间", "指标数", "备注")


@functools.lru_cache(maxsize=4096)
def _label(period: Period) -> str:
    return period.label


@functools.lru_cache(maxsize=4096)
def _date_cn(day: date) -> str:
    return fmt.date_cn(day)


def _list_row(info: SnapshotInfo) -> tuple[str, ...]:
    note = info.note or ""
    if info.void is not None:
        note = f"【已作废：{info.void.reason}（{info.void.voided_by}）】{note}"
    return (
        info.plan_id,
        _label(info.period),
        str(info.version),
        _date_cn(info.as_of),
        _local_time(info.created_at),
        str(info.indicator_count),
        note.replace("\t", " ").replace("\n", " "),
    )


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
        snapshot = opened.get(api.archived_plan_id(plan), period, version)
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
        changes = opened.diff(api.archived_plan_id(plan), period_a, period_b)
    if as_json:
        print_json([c.to_json() for c in changes])
        return
    table = fold_table(
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
    period_kind_name: Annotated[
        str | None,
        typer.Option(
            "--period-kind", help="只显示一种报告期：周、月、季度、半年或年度（week、month …）。"
        ),
    ] = None,
    archive: ArchiveOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """各指标在各期的实际值和完成率（每期取最新版）。"""
    history = api.archive_history(plan, indicator, period_kind_name, archive)
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
    run = api.export_archive(plan, out, archive)
    console.print(f"已导出 {run.snapshots} 个快照：{escape(str(run.path))}")


@archive_app.command("verify")
def archive_verify(
    heads: Annotated[
        list[str] | None,
        typer.Option(
            "--head",
            help="此前记下的链头凭据（archive add / archive head 的输出），或含凭据的文件"
            "（--receipt 文件、JSON 导出）；可重复给出。",
        ),
    ] = None,
    archive: ArchiveOpt = None,
) -> None:
    """重新计算每个快照的校验和，检查归档是否被改动过（有问题时退出码为 2）。"""
    tokens = [token for text in heads or [] for token in heads_from(text)]
    with Archive.open(archive, readonly=True) as opened:
        problems = opened.verify(tokens)
        count = len(opened.snapshots())
    if problems:
        for problem in problems:
            err_console.print(f"[bold red]错误[/]：{escape(str(problem))}", soft_wrap=True)
        err_console.print(f"校验未通过：发现 {len(problems)} 个问题。")
        err_console.print(VERIFY_SCOPE, soft_wrap=True)
        raise typer.Exit(2)
    anchored = f"，{len(tokens)} 个链头凭据所指的快照都在" if tokens else ""
    console.print(f"校验通过：{count} 个快照的内容与校验和全部一致{anchored}。")
    console.print(VERIFY_SCOPE, soft_wrap=True)


@archive_app.command("head")
def archive_head(archive: ArchiveOpt = None) -> None:
    """输出链头凭据（最新快照的编号和校验和），请保存在归档之外，供 verify --head 使用。"""
    with Archive.open(archive, readonly=True) as opened:
        token = opened.head()
    console.print(token or "归档中还没有快照。")


@archive_app.command("void")
def archive_void(
    plan: PlanArg,
    period: PeriodArg,
    version: Annotated[int, typer.Option("--version", help="要作废的版本号（必须明确给出）。")],
    by: Annotated[str, typer.Option("--by", help="作废人（姓名或账号）。")],
    reason: Annotated[str, typer.Option("--reason", help="作废原因。")],
    archive: ArchiveOpt = None,
) -> None:
    """作废一个快照：记录谁、何时、为什么；快照本身保留（归档仍只追加），较上期和历史不再使用它。"""
    with Archive.open(archive) as opened:
        void = opened.void(api.archived_plan_id(plan), period, version, by, reason)
    console.print(
        f"已作废：{escape(plan)} {escape(period)} 第{version}版（作废人 {escape(void.voided_by)}，"
        f"原因：{escape(void.reason)}）。快照仍保留在归档中，可用 archive show --version 查看。"
    )


@archive_app.command("copy")
def archive_copy(
    source: Annotated[str, typer.Argument(help="源归档：文件路径或 postgresql:// 地址。")],
    destination: Annotated[str, typer.Argument(help="目标归档（须为空或不存在）。")],
) -> None:
    """把整个归档复制到另一个后端（SQLite ⇄ PostgreSQL），原样保留编号和校验和，并校验副本。"""
    from reportgen.archive.copy import copy_archive

    report = copy_archive(source, destination)
    console.print(
        f"已复制 {report.snapshots} 个快照、{report.voids} 条作废记录，副本校验通过，"
        f"链头与源归档一致：{report.head or '（空归档）'}"
    )


@archive_app.command("upgrade")
def archive_upgrade(archive: ArchiveOpt = None) -> None:
    """创建归档或把其结构升级到本程序的版本（PostgreSQL 上请用属主账号运行）。"""
    from reportgen.archive.schema import SCHEMA_VERSION

    with Archive.open(archive) as opened:
        console.print(f"归档结构已是最新（版本 {SCHEMA_VERSION}）：{escape(opened.location)}")


# -- display helpers ---------------------------------------------------------------------------


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
    table = fold_table("编号", "指标", "实际值", "目标", "完成率", "序时进度", "状态", "来源")
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
    files = fold_table("来源文件", "部门", "字节数", "SHA-256")
    for f in snapshot.files:
        files.add_row(escape(f.name), escape(f.department or ""), fmt.number(f.size), f.sha256)
    console.print(files)
    if snapshot.task_progress:
        tasks = fold_table("编号", "重点任务", "状态", "进展")
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


def _signed_points(pp: float | None) -> str:
    return fmt.signed(pp, fmt.PERCENT_PLACES, fmt.POINTS_SUFFIX)


def _value_change(change: IndicatorChange) -> str:
    """A percent-unit value changes in 百分点; others in their unit."""
    if fmt.is_percent_unit(change.unit):
        return _signed_points(change.value_change)
    return fmt.signed(change.value_change, fmt.VALUE_PLACES, fmt.display_unit(change.unit))


def _status_change(change: IndicatorChange) -> str:
    before, after = change.status_before or "无", change.status_after or "无"
    return after if before == after else f"{before} → {after}"


def _history_grid(history: History) -> Table:
    table = fold_table("编号", "指标", *(p.period.label for p in history.points))
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
    table = fold_table("报告期", "版本", "实际值", "完成率", "序时进度", "状态")
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
