"""`reportgen report …` (Word 进展报告) and `reportgen template lint T.docx`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from reportgen.cli.common import PlanArg, app, console, err_console
from reportgen.cli.intake_cmd import template_app
from reportgen.errors import IntakeError, PeriodError
from reportgen.periods import EXAMPLES, parse_date, parse_period
from reportgen.plan import load_plan

KIND_HELP = "报告类型：weekly（周报）、quarterly（季度进展报告）、midterm（中期评估报告初稿）。"


@app.command("report")
def report(
    plan: PlanArg,
    more_data: Annotated[
        list[Path] | None,
        typer.Argument(help="更多填报文件或文件夹（可直接接在 --data 之后）。", show_default=False),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option("--period", help="报告期，如 2024-W25、2024-06、2024-Q2、2024-H1、2024。"),
    ] = None,
    data: Annotated[
        list[Path] | None,
        typer.Option("--data", help="填报的 Excel 文件或所在文件夹，可重复给出。"),
    ] = None,
    kind: Annotated[str, typer.Option("--kind", help=KIND_HELP)] = "quarterly",
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", help="输出的 .docx。默认 outputs/<方案>/<报告期>/<类型>.docx。"
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
        str | None, typer.Option("--issuer", help="落款单位（默认为方案印发单位）。")
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
    summary_xlsx: Annotated[
        Path | None, typer.Option("--summary-xlsx", help="同时输出汇总数据工作簿（.xlsx）。")
    ] = None,
    archive: Annotated[
        bool, typer.Option("--archive", help="把本报告所用的数据和计算结果归档为一个快照。")
    ] = False,
    archive_path: Annotated[
        Path | None,
        typer.Option(
            "--archive-path",
            help="归档库文件（默认 $REPORTGEN_ARCHIVE 或 outputs/archive.sqlite）；存在时报告显示较上期变化。",
        ),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="归档快照的备注。")] = None,
) -> None:
    """生成公文格式的进展报告（周报、季度报告、中期评估报告初稿）。"""
    from reportgen.pipeline import make_report
    from reportgen.render import ReportOptions
    from reportgen.render.report import check_kind

    check_kind(kind)
    if not period:
        raise PeriodError(f"请用 --period 指定报告期。可用的格式：{EXAMPLES}。")
    paths = [*(data or []), *(more_data or [])]
    if not paths:
        raise IntakeError("请用 --data 指定填报的 Excel 文件或所在文件夹。")
    options = ReportOptions(
        template=template,
        title=title,
        issuer=issuer,
        recipients=recipients,
        date=parse_date(date) if date else None,
        pdf=pdf,
        summary_xlsx=summary_xlsx,
    )
    run = make_report(
        load_plan(plan),
        parse_period(period, as_of),
        paths,
        kind,
        out=output,
        options=options,
        archive=archive_path,
        store=archive,
        note=note,
    )
    for notice in run.notices:
        err_console.print(f"[yellow]提示[/]：{escape(notice)}", soft_wrap=True)
    console.print(f"已生成报告：{run.out}", markup=False, soft_wrap=True)
    if pdf:
        console.print(f"已生成 PDF：{run.out.with_suffix('.pdf')}", markup=False, soft_wrap=True)
    if summary_xlsx:
        console.print(f"已生成汇总表：{summary_xlsx}", markup=False, soft_wrap=True)
    if run.snapshot_version is not None:
        console.print(f"已归档：第 {run.snapshot_version} 版快照。", markup=False)
    result = run.result
    counts = result.summary
    console.print(
        f"{counts['total']} 项指标：已完成 {counts['已完成']}，进度正常 {counts['进度正常']}，"
        f"滞后 {counts['滞后']}，严重滞后 {counts['严重滞后']}，未填报 {counts['未填报']}。",
        markup=False,
    )


@template_app.command("lint")
def template_lint(
    file: Annotated[Path, typer.Argument(help="要检查的 Word 报告模板（.docx）。")],
) -> None:
    """检查 Word 报告模板中的 Jinja 标签：未闭合、语法错误、未知过滤器和变量等。"""
    from reportgen.render import lint_template

    problems = lint_template(file)
    for problem in problems:
        err_console.print(f"[bold red]错误[/]：{escape(str(problem))}", soft_wrap=True)
    if problems:
        err_console.print(f"共发现 {len(problems)} 个问题。", markup=False)
        raise typer.Exit(2)
    console.print(f"模板检查通过：{file}", markup=False, soft_wrap=True)
