"""`reportgen template [make] …`, `reportgen check …`: Excel 填报 templates and their checking;
`reportgen template lint T.docx`: a Word report template's Jinja tags."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from reportgen.cli.common import (
    ArchiveOpt,
    JsonOpt,
    PlanArg,
    app,
    console,
    err_console,
    print_error,
    print_json,
)
from reportgen.cli.i18n import App, ChineseGroup
from reportgen.periods import EXAMPLES

if TYPE_CHECKING:
    from reportgen.intake import CheckReport

DEFAULT_TEMPLATE_COMMAND = "make"


class DefaultCommandGroup(ChineseGroup):
    """A group that runs its default command when the first argument names no subcommand.

    So `reportgen template PLAN --period P` means `reportgen template make PLAN --period P`,
    while `reportgen template lint …` still reaches the `lint` subcommand.
    """

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # click's Context
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = [DEFAULT_TEMPLATE_COMMAND, *args]
        return super().parse_args(ctx, args)


template_app = App(
    cls=DefaultCommandGroup,
    help=(
        "填报模板。直接写 `reportgen template 方案 --period 报告期` 即生成 Excel 填报模板"
        "（等同于 `reportgen template make …`）。"
    ),
    no_args_is_help=True,
    subcommand_metavar="[make] 方案 --period 报告期 | 命令 …",
)
app.add_typer(template_app, name="template")

PeriodOpt = Annotated[str, typer.Option("--period", help=f"报告期，如 {EXAMPLES}。")]


@template_app.command(DEFAULT_TEMPLATE_COMMAND)
def template_make(
    plan: PlanArg,
    period: PeriodOpt,
    department: Annotated[
        str | None,
        typer.Option(
            "--department", help="填报单位名称；只列出该单位牵头或配合的任务。不写则生成全部。"
        ),
    ] = None,
    deadline: Annotated[
        str | None, typer.Option("--deadline", help="报送截止日期，如 2024-07-05，写入填写说明。")
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="输出文件（.xlsx）。默认 outputs/<方案>/<报告期>/填报_<单位或全部>.xlsx。",
        ),
    ] = None,
) -> None:
    """生成 Excel 填报模板：填写说明、指标填报、重点任务三个工作表。"""
    from reportgen import api

    written = api.make_template(plan, period, output, department, deadline)
    console.print(f"已生成填报模板：{written}", markup=False, soft_wrap=True)


@template_app.command("lint")
def template_lint(
    file: Annotated[Path, typer.Argument(help="要检查的 Word 报告模板（.docx）。")],
) -> None:
    """检查 Word 报告模板中的 Jinja 标签：未闭合、语法错误、未知过滤器和变量等。"""
    from reportgen import api

    problems = api.lint_template(file)
    for problem in problems:
        print_error(problem)
    if problems:
        err_console.print(f"共发现 {len(problems)} 个问题。", markup=False)
        raise typer.Exit(2)
    console.print(f"模板检查通过：{file}", markup=False, soft_wrap=True)


@app.command("check")
def check(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="填好的表格文件或文件夹（文件夹中的 .xlsx/.xlsm/.xls/.ods/.et 全部检查）。"
        ),
    ],
    plan: Annotated[
        str | None,
        typer.Option("--plan", help="方案 id 或方案文件。不写则按各表格中记录的方案检查。"),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option("--period", help="报告期。不写则按各表格中记录的报告期检查。"),
    ] = None,
    archive_path: ArchiveOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """检查填好的表格：列出每个文件、工作表、单元格的全部问题。有错误时退出码为 2。"""
    from reportgen import api

    report = api.check(paths, plan, period, archive_path)
    if as_json:
        print_json(report.to_json())
    else:
        _print_report(report)
    if not report.ok:
        raise typer.Exit(2)


def _print_report(report: CheckReport) -> None:
    for result in report.files:
        who = "、".join(x for x in (result.department, result.period) if x)
        head = f"{result.display}（{who}）" if who else result.display
        verdict = "通过" if result.ok else f"{len(result.errors)} 个错误"
        if result.warnings:
            verdict += f"，{len(result.warnings)} 条警告"
        mark = "✓" if result.ok else "✗"
        console.print(f"{mark} {head}：{verdict}", markup=False, soft_wrap=True)
        if result.filler or result.phone:
            contact = f"  填报人　{result.filler or '未填'}　联系电话　{result.phone or '未填'}"
            console.print(contact, markup=False, soft_wrap=True)
        for problem in result.problems(result.errors):
            console.print(f"  错误　{problem}", markup=False, soft_wrap=True)
        for problem in result.problems(result.warnings):
            console.print(f"  警告　{problem}", markup=False, soft_wrap=True)
    for problem in report.skipped:
        console.print(f"- 未读取　{problem}", markup=False, soft_wrap=True)
    failed = sum(not f.ok for f in report.files)
    console.print(
        f"共检查 {len(report.files)} 个文件：{len(report.files) - failed} 个通过，{failed} 个有错误；"
        f"有效记录 {report.records} 条。",
        markup=False,
    )
    if report.missing_departments:
        console.print(
            f"尚未报送的牵头单位：{'、'.join(report.missing_departments)}。", markup=False
        )
