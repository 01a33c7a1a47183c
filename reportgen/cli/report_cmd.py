"""`reportgen report …`: Word 进展报告, one or a batch."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from reportgen.cli.common import (
    ArchiveOpt,
    app,
    console,
    data_paths,
    err_console,
    print_error,
    print_line,
    print_notice,
)
from reportgen.periods import parse_date

if TYPE_CHECKING:
    from collections.abc import Iterator

    from reportgen.pipeline import JobOutcome, ReportJob, ReportRun

KIND_HELP = (
    "报告类型：weekly（周报）、quarterly（季度进展报告）、midterm（中期评估报告初稿）；"
    "可重复给出，一次生成多种。"
)
PLANS_HELP = "方案 id（见 reportgen plan list）或方案文件路径；多个方案用英文逗号分隔。"


@app.command("report")
def report(
    plan: Annotated[str, typer.Argument(help=PLANS_HELP)],
    more_data: Annotated[
        list[Path] | None,
        typer.Argument(help="更多填报文件或文件夹（可直接接在 --data 之后）。", show_default=False),
    ] = None,
    period: Annotated[
        list[str] | None,
        typer.Option(
            "--period",
            help="报告期，如 2024-W25、2024-06、2024-Q2、2024-H1、2024；可重复给出，一次生成多期。",
        ),
    ] = None,
    data: Annotated[
        list[Path] | None,
        typer.Option("--data", help="填报的 Excel 文件或所在文件夹，可重复给出。"),
    ] = None,
    kind: Annotated[list[str] | None, typer.Option("--kind", help=KIND_HELP)] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="输出的 .docx（默认 outputs/方案简称_报告期类型.docx，如"
            " 舟山市计量发展规划实施方案_2024年第二季度进展报告.docx）；一次生成多份时为文件夹。",
        ),
    ] = None,
    template: Annotated[
        Path | None,
        typer.Option("--template", help="自己修改过的 Word 模板（在安全沙箱中渲染）。"),
    ] = None,
    title: Annotated[
        str | None, typer.Option("--title", help="报告标题（默认按方案和报告期生成）。")
    ] = None,
    issuer: Annotated[
        str | None,
        typer.Option("--issuer", help="落款（起草）单位（默认为方案的 reporting_office）。"),
    ] = None,
    recipients: Annotated[
        str | None, typer.Option("--recipients", help="主送单位，如“各县（区）人民政府”。")
    ] = None,
    date: Annotated[
        str | None, typer.Option("--date", help="成文日期，如 2024-07-05（默认今天）。")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="统计截止日期（默认为报告期末），如 2024-06-20。")
    ] = None,
    pdf: Annotated[bool, typer.Option("--pdf", help="同时用 LibreOffice 转换为 PDF。")] = False,
    with_table: Annotated[
        bool, typer.Option("--with-table", help="周报后附“主要指标完成情况表”（附件）。")
    ] = False,
    summary_xlsx: Annotated[
        Path | None,
        typer.Option(
            "--summary-xlsx",
            help="同时输出汇总数据工作簿（.xlsx）。一次生成多份时可给文件夹（每期一个汇总表），"
            "或文件名样式，如 汇总_{报告期}.xlsx（可用 {方案}、{报告期}）；不含样式时自动加上方案和报告期。",
        ),
    ] = None,
    store: Annotated[
        bool, typer.Option("--store", help="同时把本报告所用的数据和计算结果归档为一个快照。")
    ] = False,
    archive_path: ArchiveOpt = None,
    note: Annotated[str | None, typer.Option("--note", help="归档快照的备注。")] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            help="一次生成多份时并行的进程数（默认按 CPU 核数，最多 4 个；1 为逐份生成）。",
        ),
    ] = None,
    allow_errors: Annotated[
        bool,
        typer.Option(
            "--allow-errors",
            help="填报表有错误时仍生成报告：出错的单元格按未填报处理，并在报告附件“数据问题清单”中列出。",
        ),
    ] = False,
) -> None:
    """生成公文格式的进展报告（周报、季度报告、中期评估报告初稿），可一次生成多期、多方案。"""
    from reportgen import api
    from reportgen.render import ReportOptions

    options = ReportOptions(
        template=template,
        title=title,
        issuer=issuer,
        recipients=recipients,
        date=parse_date(date) if date else None,
        pdf=pdf,
        with_table=with_table,
    )
    batch = api.reports(
        plan_refs(plan),
        period or [],
        data_paths(data, more_data),
        kind or [api.DEFAULT_REPORT_KIND],
        output,
        options,
        summary_xlsx,
        as_of,
        archive_path,
        store,
        note,
        workers,
        allow_errors=allow_errors,
    )
    for notice in batch.notices:
        print_notice(notice)
    if len(batch.jobs) == 1:
        (outcome,) = batch.outcomes
        print_run(outcome.job, outcome.unwrap(), pdf)
        return
    if run_batch(batch.outcomes, len(batch.jobs), pdf):
        raise typer.Exit(2)


def plan_refs(text: str) -> list[str]:
    """'a,b' -> ['a', 'b']; a plan file whose path contains a comma stays whole."""
    if Path(text).exists():
        return [text]
    return [ref.strip() for ref in text.split(",") if ref.strip()]


def print_run(job: ReportJob, run: ReportRun, pdf: bool) -> None:
    """The messages of a single report, as they have always been."""
    for notice in run.notices:
        print_notice(notice)
    print_line(f"已生成报告：{run.out}")
    print_extras(job, run, pdf)
    print_line(f"{counts_text(run)}。")


def print_extras(job: ReportJob, run: ReportRun, pdf: bool) -> None:
    """The PDF, summary workbook and snapshot written beside a report."""
    if pdf:
        print_line(f"已生成 PDF：{run.out.with_suffix('.pdf')}")
    if job.summary_xlsx:
        print_line(f"已生成汇总表：{job.summary_xlsx}")
    if run.snapshot_version is not None:
        print_line(f"已归档：第 {run.snapshot_version} 版快照。")


def counts_text(run: ReportRun) -> str:
    counts = run.result.summary
    return (
        f"{counts['total']} 项指标：已完成 {counts['已完成']}，进度正常 {counts['进度正常']}，"
        f"滞后 {counts['滞后']}，严重滞后 {counts['严重滞后']}，未填报 {counts['未填报']}"
    )


def run_batch(outcomes: Iterator[JobOutcome], total: int, pdf: bool) -> int:
    """Print each report as it finishes under a progress bar; return the number that failed."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    progress = Progress(
        *columns,
        TimeElapsedColumn(),
        console=err_console,
        auto_refresh=False,  # no refresh thread: the batch may fork worker processes
        disable=not err_console.is_terminal,
    )
    shown: set[str] = set()
    failed = 0
    with progress:
        task = progress.add_task("正在生成报告", total=total)
        for outcome in outcomes:
            failed += not outcome.ok
            print_outcome(outcome, pdf, shown)
            progress.update(task, advance=1, description=outcome.job.label)
            progress.refresh()
        progress.update(task, description="已完成")
    done = f"共 {total} 份报告：已生成 {total - failed} 份"
    if failed:
        err_console.print(f"{done}，失败 {failed} 份（原因见上）。", markup=False)
    else:
        console.print(f"{done}。", markup=False)
    return failed


def print_outcome(outcome: JobOutcome, pdf: bool, shown: set[str]) -> None:
    """One report of a batch: its file and counts, or why it failed (notices once each)."""
    run = outcome.run
    if run is None:
        for problem in outcome.problems:
            print_error(f"〔{outcome.job.label}〕{problem}")
        return
    for notice in run.notices:
        if notice not in shown:
            shown.add(notice)
            print_notice(notice)
    console.print(f"已生成报告：{run.out}（{counts_text(run)}）", markup=False, soft_wrap=True)
    print_extras(outcome.job, run, pdf)
