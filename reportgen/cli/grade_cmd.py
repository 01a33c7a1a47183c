"""`reportgen grade template|check|compute|report|archive`: 工作评议 (scores, grades, 通报)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from reportgen.archive.location import locate
from reportgen.cli.common import ArchiveOpt, JsonOpt, app, console, print_json, print_notice
from reportgen.cli.i18n import App
from reportgen.grading import (
    GradingResult,
    NoticeFront,
    Scheme,
    ScoreCheck,
    check_scoresheets,
    default_notice_path,
    default_summary_path,
    default_template_path,
    evaluate,
    load_scheme,
    result_json,
    save_result,
    write_outputs,
    write_template,
)
from reportgen.grading import wording as W
from reportgen.periods import parse_date

grade_app = App(
    help="工作评议：评分表、汇总计算、评议等级、表扬约谈名单和评议结果通报。",
    no_args_is_help=True,
)
app.add_typer(grade_app, name="grade")

SchemeArg = Annotated[
    str,
    typer.Argument(help="评议方案 id（如 jinan-food-safety）或评议方案文件（.yaml/.json）。"),
]
PathsArg = Annotated[list[Path], typer.Argument(help="填好的评分表文件或所在文件夹，可给多个。")]


@grade_app.command("template")
def grade_template(
    scheme: SchemeArg,
    scorer: Annotated[
        str | None,
        typer.Option("--scorer", help="评分单位（成员单位）名称；不写则为每个评分单位各生成一份。"),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="输出文件（只生成一个单位时）或文件夹。默认 outputs/grading/<方案>/<年度>/。",
        ),
    ] = None,
) -> None:
    """生成评分表：每个评分单位一份，只含其负责的项目，每个被评议单位一行。"""
    loaded = load_scheme(scheme)
    scorers = [scorer] if scorer else loaded.scorers()
    for name in scorers:
        target = default_template_path(loaded, name)
        if output is not None:
            single = scorer is not None and output.suffix.lower() == ".xlsx"
            target = output if single else output / target.name
        written = write_template(loaded, name, target)
        console.print(f"已生成评分表：{written}", markup=False, soft_wrap=True)


@grade_app.command("check")
def grade_check(scheme: SchemeArg, paths: PathsArg, as_json: JsonOpt = False) -> None:
    """检查评分表：逐个文件、工作表、单元格列出问题，并列出尚未报送的评分单位。有错误时退出码为 2。"""
    check = check_scoresheets(load_scheme(scheme), paths)
    if as_json:
        print_json(check.to_json())
    else:
        _print_check(check)
    if not check.ok:
        raise typer.Exit(2)


@grade_app.command("compute")
def grade_compute(
    scheme: SchemeArg,
    paths: PathsArg,
    archive: ArchiveOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """汇总评分表，计算总分、名次、等级和表扬、约谈名单并显示（不写文件）。"""
    loaded, result = _compute(scheme, paths, archive)
    if as_json:
        print_json(result_json(loaded, result))
    else:
        _print_result(loaded, result)


@grade_app.command("report")
def grade_report(
    scheme: SchemeArg,
    paths: PathsArg,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="通报文件（.docx）。默认 outputs/grading/<方案>/<年度>/<年度><评议对象>评议结果通报.docx。",
        ),
    ] = None,
    summary: Annotated[
        Path | None,
        typer.Option(
            "--xlsx", help="评议汇总表（.xlsx）。默认与通报同目录、同名的“…评议汇总.xlsx”。"
        ),
    ] = None,
    day: Annotated[
        str | None,
        typer.Option("--date", help="成文日期，如 2025-01-20（默认今天）；整改期限从该日起算。"),
    ] = None,
    with_pdf: Annotated[
        bool, typer.Option("--pdf", help="同时生成 PDF（需要 LibreOffice）。")
    ] = False,
    archive: ArchiveOpt = None,
) -> None:
    """生成评议结果通报（公文格式 .docx）和评议汇总表（.xlsx）。"""
    loaded, result = _compute(scheme, paths, archive)
    out = output or default_notice_path(loaded)
    front = NoticeFront(parse_date(day) if day else date.today())
    written = write_outputs(
        loaded, result, front, out, summary or default_summary_path(out), with_pdf
    )
    for path in (written.notice, written.pdf, written.summary):
        if path is not None:
            console.print(f"已生成：{path}", markup=False, soft_wrap=True)


@grade_app.command("archive")
def grade_archive(
    scheme: SchemeArg,
    paths: PathsArg,
    replace: Annotated[
        bool, typer.Option("--replace", help="该年度已归档时，用本次结果替换。")
    ] = False,
    archive: ArchiveOpt = None,
) -> None:
    """把审定后的评议结果按年度归档；次年计算名次变化时自动读取。"""
    loaded, result = _compute(scheme, paths, archive)
    version = save_result(loaded, result, archive, replace=replace)
    console.print(
        f"已归档{loaded.year}年度评议结果（第{version}版）：{locate(archive).display}",
        markup=False,
        soft_wrap=True,
    )


def _compute(scheme: str, paths: list[Path], archive: str | None) -> tuple[Scheme, GradingResult]:
    run = evaluate(scheme, paths, archive)
    for notice in run.notices:
        print_notice(notice)
    return run.scheme, run.result


def _print_check(check: ScoreCheck) -> None:
    for sheet in check.sheets:
        verdict = "通过" if sheet.ok else f"{len(sheet.errors)} 个错误"
        if sheet.warnings:
            verdict += f"，{len(sheet.warnings)} 条警告"
        who = f"（{sheet.scorer}）" if sheet.scorer else ""
        mark = "✓" if sheet.ok else "✗"
        console.print(f"{mark} {sheet.display}{who}：{verdict}", markup=False, soft_wrap=True)
        for problem in sheet.problems(sheet.errors):
            console.print(f"  错误　{problem}", markup=False, soft_wrap=True)
        for problem in sheet.problems(sheet.warnings):
            console.print(f"  警告　{problem}", markup=False, soft_wrap=True)
    failed = sum(not s.ok for s in check.sheets)
    console.print(
        f"共检查 {len(check.sheets)} 个文件：{len(check.sheets) - failed} 个通过，{failed} 个有错误。",
        markup=False,
    )
    if check.missing_scorers:
        console.print(f"尚未报送的评分单位：{W.joined(check.missing_scorers)}。", markup=False)


def _print_result(scheme: Scheme, result: GradingResult) -> None:
    names = {r.id: r.name for r in scheme.lists}
    table = Table()
    for header in ("名次", "单位", "总分", "排名等级", "评议等级", "上年名次", "变化", "名单"):
        table.add_column(header, overflow="fold")
    for u in result.units:
        table.add_row(
            f"并列{u.place}" if u.tied else str(u.place),
            escape(u.unit),
            W.score(u.total),
            u.ranked_grade,
            u.grade,
            "" if u.previous_place is None else str(u.previous_place),
            W.change(u.previous_place, u.place),
            escape(W.joined([names[k] for k in u.lists])),
        )
    console.print(table)
    console.print(
        f"共 {len(result.units)} 个单位；前 {result.top_count} 名（含并列）可评 "
        f"{scheme.grading.top.grade} 级。",
        markup=False,
    )
    for u in result.units:
        for finding in u.findings:
            situation = scheme.situation(finding.situation_id)
            console.print(
                f"{u.unit}：{situation.name}（{situation.clause}）—— {finding.facts}",
                markup=False,
                soft_wrap=True,
            )
    for rule in scheme.lists:
        for u in result.on_list(rule.id):
            reasons = "；".join(r.text for r in u.lists[rule.id])
            console.print(f"{rule.name}　{u.unit}：{reasons}", markup=False, soft_wrap=True)
        for u in result.units:
            if rule.id in u.left_off:
                reasons = "；".join(r.text for r in u.left_off[rule.id])
                console.print(
                    f"未列入{rule.name}　{u.unit}：{reasons}", markup=False, soft_wrap=True
                )
